"""Extraction collects garbage less often, and gives the caller's pace back however it ends."""

import gc

import pytest

from figtab.flows.collection import fewer_collections


def test_the_pace_is_slower_inside_and_restored_after_an_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError):
        with fewer_collections():
            assert gc.get_threshold()[0] > 100 * before[0]
            assert gc.get_threshold()[1:] == before[1:]
            raise RuntimeError("a document failed")
    assert gc.get_threshold() == before
