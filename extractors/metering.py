"""What model requests spent on one page, counted whether or not the page yielded a figure.

A backend calls `record_usage` after each request; the pipeline reads the total around one page's extraction
with `metered`. A context variable keeps pages read at the same time (threads, Prefect tasks) apart, and keeps
the backend's interface (`extract(page) -> figures`) unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from figtab.schemas import Usage

_SPENT: ContextVar[list[Usage] | None] = ContextVar("figtab_page_usage", default=None)


class Meter:
    """The requests recorded while it is open; ``total`` is None when no model was asked."""

    def __init__(self) -> None:
        self.spent: list[Usage] = []

    @property
    def total(self) -> Usage | None:
        return sum(self.spent[1:], self.spent[0]) if self.spent else None


@contextmanager
def metered() -> Iterator[Meter]:
    """Count the usage recorded by the code run inside the block (in this thread or task)."""
    meter = Meter()
    token = _SPENT.set(meter.spent)
    try:
        yield meter
    finally:
        _SPENT.reset(token)


def record_usage(usage: Usage) -> None:
    """Add one request's usage to the open meter; outside `metered` (a backend called directly) it is a no-op."""
    spent = _SPENT.get()
    if spent is not None:
        spent.append(usage)
