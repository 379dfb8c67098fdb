"""An estimated cost for a request's tokens, from a small table of list prices.

Prices are US dollars per million tokens, as listed on Anthropic's pricing page
(https://platform.claude.com/docs/en/about-claude/pricing; checked 2026-12-02 against stored copies of that page,
not live): base input, 5-minute cache writes, cache reads, output; standard tier, no batch discount, no regional
surcharge. Update the table when the page changes. A model not in the table gets no
estimate (``cost_usd`` NULL) rather than a guess; a dated snapshot id is priced as its alias.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from figtab.schemas import Usage


class Price(NamedTuple):
    """US dollars per million tokens."""

    input: float
    cache_write: float
    cache_read: float
    output: float


PRICES: dict[str, Price] = {
    "claude-opus-4-1": Price(15.0, 18.75, 1.50, 75.0),
    "claude-opus-4-5": Price(5.0, 6.25, 0.50, 25.0),
    "claude-opus-4-6": Price(5.0, 6.25, 0.50, 25.0),
    "claude-sonnet-4-0": Price(3.0, 3.75, 0.30, 15.0),
    "claude-sonnet-4-5": Price(3.0, 3.75, 0.30, 15.0),
    "claude-sonnet-4-6": Price(3.0, 3.75, 0.30, 15.0),
    "claude-haiku-4-5": Price(1.0, 1.25, 0.10, 5.0),
}

_SNAPSHOT = re.compile(r"-\d{8}$")  # claude-sonnet-4-5-20250929 -> claude-sonnet-4-5


def price_of(model: str) -> Price | None:
    return PRICES.get(model) or PRICES.get(_SNAPSHOT.sub("", model))


def estimate_cost(model: str, usage: Usage) -> float | None:
    """US dollars for ``usage`` on ``model``, or None when the model's price is not known."""
    price = price_of(model)
    if price is None:
        return None
    dollars = (usage.input_tokens * price.input + usage.cache_write_tokens * price.cache_write
               + usage.cache_read_tokens * price.cache_read + usage.output_tokens * price.output) / 1e6
    return round(dollars, 8)
