"""Numbers as people print them in tables: ``1,250``, ``(45)``, ``12.5%``, ``€3.2``, ``17*``."""

from __future__ import annotations

import re

_FOOTNOTE = re.compile(r"(?<=\d)(\*+|[†‡§¶]+|[¹²³⁰-⁹]+|[a-z]|\(\w\))$")
_CURRENCY = re.compile(r"[$€£¥₹]|\b(?:USD|EUR|GBP)\b")
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$")


def parse_number(text: str) -> float | None:
    """The number a cell's text shows, or None when the cell is not a number.

    Thousands separators are dropped, parentheses and a leading minus (ASCII or Unicode) make it negative,
    and currency signs, a trailing ``%`` and footnote marks are stripped from the value (the text keeps them).
    """
    cleaned = _CURRENCY.sub("", text.strip()).replace("\u2212", "-").replace("\u2013", "-").replace(" ", "")
    cleaned = _FOOTNOTE.sub("", cleaned)
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    cleaned = cleaned.removesuffix("%")
    if not _NUMBER.match(cleaned):
        return None
    value = float(cleaned.replace(",", ""))
    return -value if negative else value
