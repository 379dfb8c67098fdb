"""Backends by name. A lookup of an unknown name lists the known ones."""

from __future__ import annotations

from collections.abc import Callable

from extractors.base import Extractor
from schemas import UsageError

ExtractorFactory = Callable[[str | None], Extractor]

_FACTORIES: dict[str, ExtractorFactory] = {}


def register(name: str, factory: ExtractorFactory) -> None:
    """Make a backend available as ``--backend name``; ``factory(model)`` builds it."""
    _FACTORIES[name] = factory


def backend_names() -> list[str]:
    return sorted(_FACTORIES)


def get_extractor(name: str, model: str | None = None) -> Extractor:
    """Build the backend called ``name`` for ``model`` (a model name or local path, where the backend takes one)."""
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise UsageError(f"unknown backend {name!r}; known backends: {', '.join(backend_names())}") from None
    return factory(model)
