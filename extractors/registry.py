"""Backends by name. A lookup of an unknown name lists the known ones."""

from __future__ import annotations

from collections.abc import Callable

from figtab.extractors.base import Extractor, ExtractorOptions
from figtab.schemas import UsageError

ExtractorFactory = Callable[[ExtractorOptions], Extractor]

_FACTORIES: dict[str, ExtractorFactory] = {}


def register(name: str, factory: ExtractorFactory) -> None:
    """Make a backend available as ``--backend name``; ``factory(options)`` builds it."""
    _FACTORIES[name] = factory


def unregister(name: str) -> None:
    """Forget a backend made available by `register` (tests register throwaway ones)."""
    _FACTORIES.pop(name, None)


def backend_names() -> list[str]:
    return sorted(_FACTORIES)


def get_extractor(name: str, options: ExtractorOptions | None = None) -> Extractor:
    """Build the backend called ``name``; raises `UsageError` naming the known backends for an unknown one."""
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise UsageError(f"unknown backend {name!r}; known backends: {', '.join(backend_names())}") from None
    return factory(options or ExtractorOptions())
