"""`parse_number`: the value a table cell shows, as people print numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from figtab.schemas.values import parse_number


@pytest.mark.parametrize(("text", "value"), [
    ("1,250", 1250.0), ("(45)", -45.0), ("12.5%", 12.5), ("€3.2", 3.2), ("$1,000.50", 1000.5), ("17*", 17.0),
    ("42†", 42.0), ("3.1a", 3.1), ("7¹", 7.0), ("−8", -8.0), ("-0.5", -0.5), (".75", 0.75), ("USD 12", 12.0),
    ("(1,234.5)", -1234.5), ("1 250", 1250.0),
])
def test_numbers_people_print(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "n/a", "Region", "12-15", "1,25", "(95% CI)", "2.3.4", "--"])
def test_not_numbers(text: str) -> None:
    assert parse_number(text) is None


@given(st.integers(min_value=-10**9, max_value=10**9))
def test_thousands_separated_integers_round_trip(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"({abs(n):,})") == -abs(n)
