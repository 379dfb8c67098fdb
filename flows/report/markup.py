"""Building HTML and SVG text safely: every value goes through `esc`, every tag through `tag`.

Text in a report comes from documents (titles, labels, cell texts, error messages), so it is untrusted: nothing is
written into the page without escaping, and no builder here can emit a script or an event-handler attribute.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

_FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "link", "base", "form"}


def esc(text: object) -> str:
    """``text`` as HTML/SVG character data or an attribute value (quotes escaped too)."""
    return html.escape(str(text), quote=True)


def attrs(**values: object) -> str:
    """`` name="value"`` pairs, escaped; ``None`` and ``False`` leave the attribute out, ``True`` writes it bare.

    Python names map to attribute names: a trailing ``_`` is dropped (``class_``) and ``_`` becomes ``-``
    (``data_point`` -> ``data-point``).
    """
    parts = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        if name.lower().startswith("on"):
            raise ValueError(f"event-handler attributes are never written: {name}")
        parts.append(f" {name}" if value is True else f' {name}="{esc(value)}"')
    return "".join(parts)


def tag(element: str, /, *children: str | Iterable[str], **values: object) -> str:
    """``<element ...>children</element>``; children are already-built markup (escape text with `esc` first)."""
    _check(element)
    body = "".join(child if isinstance(child, str) else "".join(child) for child in children)
    return f"<{element}{attrs(**values)}>{body}</{element}>"


def void(element: str, /, **values: object) -> str:
    """An element without content, written self-closed so it is valid inside SVG as well as HTML."""
    _check(element)
    return f"<{element}{attrs(**values)}/>"


def _check(element: str) -> None:
    if element.lower() in _FORBIDDEN_TAGS:
        raise ValueError(f"a report never contains <{element}>")


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for labels that must fit a fixed space."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:max(limit - 1, 1)] + "…"
