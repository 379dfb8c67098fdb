"""Tick-label text to numbers and dates, across the formats charts print (1,000 / 5k / 10% / $3 / 10^2 / 2×10^1 /
2020-03)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_NUMBER = re.compile(r"^(?P<sign>[-+]?)(?P<cur>[$€£¥]?)(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)(?:[eE](?P<exp>[-+]?\d+))?"
                     r"(?P<suffix>[kKMB%]|bn)?$")
_POWER = re.compile(r"^(?:(?P<mantissa>\d+(?:\.\d+)?)[×x·])?(?P<base>\d+(?:\.\d+)?)\^(?P<exp>[-+]?\d+)$")
_SUFFIX = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "bn": 1e9, "%": 1.0, None: 1.0}
_DATE_FORMATS = ["%Y-%m-%d", "%Y-%m", "%Y/%m/%d", "%Y/%m", "%b %Y", "%B %Y", "%d %b %Y", "%m/%d/%Y", "%d.%m.%Y",
                 "%b-%y", "%b '%y", "%Y-%m-%d %H:%M"]
_DATE_LIKE = re.compile(r"^[0-9A-Za-z].*\d$", re.DOTALL)  # every format starts with a digit or month, ends in a digit
_DATE_PARTS = re.compile(r"[\d\s\-/.:']*(?P<month>[A-Za-z]*)[\d\s\-/.:']*")  # digits, separators, one word
_MONTHS = {name.lower() for m in range(1, 13) for name in (dt.date(2000, m, 1).strftime("%b"),
                                                            dt.date(2000, m, 1).strftime("%B"))}


@lru_cache(maxsize=8192)
def parse_number(text: str) -> float | None:
    """The number a label shows, or None; a percent label gives the number before '%', ``(5)`` gives -5."""
    t = text.strip().replace("\u2212", "-").replace("\u2013", "-").replace("\u2009", "").replace(" ", "")
    negative = t.startswith("(") and t.endswith(")")
    if negative:
        t = t[1:-1]
    power = _POWER.match(t)
    if power:
        return float(power["mantissa"] or 1) * float(power["base"]) ** int(power["exp"])
    t = re.sub(r"^([$€£¥])([-+])", r"\2\1", t)  # $-5 and -$5 alike
    m = _NUMBER.match(t)
    if not m:
        return None
    value = float(m["num"].replace(",", "")) * _SUFFIX[m["suffix"]]
    if m["exp"]:
        value *= 10 ** int(m["exp"])
    if m["sign"] == "-" or negative:
        value = -value
    return value


@lru_cache(maxsize=8192)
def parse_date(text: str) -> dt.date | None:
    """The date a label shows in a common format, or None (a bare year is a number, not a date).

    Cached, and text that cannot be a date is turned away before `strptime`, which is slow to fail.
    """
    t = text.strip().replace("\u2212", "-").replace("\u2013", "-")  # a typeset minus or dash between the parts
    if not _may_be_date(t):
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    return None


def _may_be_date(text: str) -> bool:
    """Whether any of the formats could read ``text``: digits and separators around at most a month's name, and
    without a name the separators of a numeric date ("-", "/", or two dots; "0.5" is no date)."""
    parts = _DATE_PARTS.fullmatch(text)
    if not _DATE_LIKE.match(text) or parts is None:
        return False
    if parts["month"]:
        return parts["month"].lower() in _MONTHS
    return "-" in text or "/" in text or text.count(".") >= 2
