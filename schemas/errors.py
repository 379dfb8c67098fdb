"""The one error tree of figtab; library errors are mapped onto it where they are caught.

    FigtabError
     ├── InputError      a file that cannot be read: missing, empty, corrupt, encrypted, not a PDF or image
     ├── ExtractorError  a backend that cannot run or answered garbage
     │    └── BackendNotConfigured   no model backend for a page that needs one
     ├── StoreError      the DuckDB file cannot be opened or written (locked, read-only, ...)
     └── UsageError      a bad option value (exit code 2)

Each carries a one-line message meant for a person; ``stage`` names the pipeline step it came from.
"""

from __future__ import annotations


class FigtabError(Exception):
    """Base of every error figtab raises on purpose."""

    stage = "pipeline"


class InputError(FigtabError):
    stage = "open"


class ExtractorError(FigtabError):
    """``figures`` holds what the backend read before it failed, so a partial page is not lost."""

    stage = "extract"

    def __init__(self, message: str, figures: list | None = None) -> None:
        super().__init__(message)
        self.figures = figures or []


class BackendNotConfigured(ExtractorError):
    pass


class StoreError(FigtabError):
    stage = "store"


class UsageError(FigtabError):
    stage = "usage"
