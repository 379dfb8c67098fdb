"""Garbage collection paced for extraction.

Reading a page makes tens of thousands of small objects (characters, labels, shapes) that live until the page is
done. At Python's default pace, a young-generation collection every 700 new objects, a native run spent a tenth
of its time walking them (`bench/pipeline.py`). Collecting every hundred thousand keeps each page's objects out of
the collector's way; cycles are still found, a little later.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_NEW_OBJECTS = 100_000  # objects made between two young-generation collections while extracting


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage at the extraction pace for the duration, then at the pace the caller had."""
    previous = gc.get_threshold()
    gc.set_threshold(_NEW_OBJECTS, *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)
