"""Shared fixtures: the bundled sample, the bad inputs every stage must survive, and a Prefect test server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pymupdf
import pytest

SAMPLE = Path(__file__).parents[1] / "flows" / "samples" / "sample.pdf"


@pytest.fixture
def sample_pdf(tmp_path: Path) -> Path:
    """A private copy of the bundled three-page sample (two tables, two charts)."""
    return Path(shutil.copy(SAMPLE, tmp_path / "sample.pdf"))


@pytest.fixture
def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    """One file for each way an input can be unreadable, keyed by what is wrong with it."""
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n" + os.urandom(2048))
    encrypted = tmp_path / "encrypted.pdf"
    with pymupdf.open(SAMPLE) as doc:
        doc.save(encrypted, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", user_pw="user")
    empty = tmp_path / "empty.pdf"
    empty.touch()
    text = tmp_path / "notes.pdf"
    text.write_text("these are meeting notes, not a PDF\n")
    return {"corrupt": corrupt, "encrypted": encrypted, "empty": empty, "text": text,
            "missing": tmp_path / "missing.pdf"}


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory):
    """A real temporary Prefect server for the whole session (slow: starts once, ~10-20 s)."""
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def tiny_paligemma(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight PaliGemma checkpoint folder, tiny enough for CPU tests (see tests/tiny_paligemma.py).

    Torch runs on one thread: the CI machine's cores are shared, and tiny matrices gain nothing from more.
    """
    import torch
    from tiny_paligemma import build_tiny_paligemma

    torch.set_num_threads(1)
    return build_tiny_paligemma(tmp_path_factory.mktemp("tiny-paligemma"))
