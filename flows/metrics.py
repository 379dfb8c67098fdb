"""The scores of DESIGN.md, on plain JSON-like dicts so truth files and predictions are read the same way.

Tables: ICDAR-2013 adjacency relations (each non-empty cell and its next non-empty neighbour to the right and
below), pooled over a page's tables and summed over cases (micro). Charts: DePlot RMS-F1 (key = series + x,
text θ 0.5, number θ 0.1) and the share of truth points recovered within 1%; pie charts are compared as shares
(each series' values as percent of its sum), since a pie without value labels only shows shares. Agrees with
``shared/score_reference.py``, headline numbers rounded to 4 places as it prints them.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

_WHITESPACE = re.compile(r"\s+")
_FIRST_NUMBER = re.compile(r"-?\d[\d,]*\.?\d*")
_TEXT_THETA = 0.5
_NUMBER_THETA = 0.1
_EXACT = 0.01


def normalize(text: Any) -> str:
    """Cell or label text as compared: NFKC, whitespace removed, lower case."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", str(text if text is not None else ""))).lower()


def adjacency(rows: list[list[str]]) -> Counter:
    """The table's adjacency relations ("h"/"v", from, to) with their multiplicity."""
    grid = [[normalize(cell) for cell in row] for row in rows]
    relations: Counter = Counter()
    for row in grid:
        filled = [cell for cell in row if cell]
        relations.update(("h", a, b) for a, b in zip(filled, filled[1:]))
    for col in range(max((len(row) for row in grid), default=0)):
        filled = [row[col] for row in grid if col < len(row) and row[col]]
        relations.update(("v", a, b) for a, b in zip(filled, filled[1:]))
    return relations


@dataclass
class TableCounts:
    """Adjacency relations matched, predicted and in the truth; add them up for a micro average."""

    matched: int = 0
    predicted: int = 0
    truth: int = 0

    def __add__(self, other: TableCounts) -> TableCounts:
        return TableCounts(self.matched + other.matched, self.predicted + other.predicted, self.truth + other.truth)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.truth if self.truth else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def table_counts(truth_tables: Iterable[list[list[str]]], predicted_tables: Iterable[list[list[str]]]) -> TableCounts:
    """Adjacency counts of one case: all truth tables of the page against all tables predicted for it."""
    truth = sum((adjacency(rows) for rows in truth_tables), Counter())
    predicted = sum((adjacency(rows) for rows in predicted_tables), Counter())
    return TableCounts(sum((truth & predicted).values()), sum(predicted.values()), sum(truth.values()))


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)):
        return float(value)
    match = _FIRST_NUMBER.search(str(value or ""))
    return float(match.group().replace(",", "")) if match else None


def chart_points(chart: dict, shares: bool = False) -> list[tuple[str, float]]:
    """(key, y) per point: the key is x (numbers as ``%g``), prefixed by the series name when there are several.

    With ``shares`` each y is a percent of its series' sum (how pies are compared).
    """
    series = chart.get("series") or []
    points = []
    for one in series:
        values = [(point.get("x"), _number(point.get("y"))) for point in one.get("points") or []]
        values = [(x, y) for x, y in values if y is not None]
        total = sum(y for _, y in values)
        for x, y in values:
            if shares:
                y = 100.0 * y / total if total else 0.0
            x_key = f"{float(x):g}" if isinstance(x, (int, float)) else normalize(x)
            points.append((x_key if len(series) <= 1 else f"{normalize(one.get('name'))}|{x_key}", y))
    return points


def rms_f1(truth: list[tuple[str, float]], predicted: list[tuple[str, float]]) -> tuple[float, float]:
    """DePlot RMS-F1 and the share of truth points matched within 1%, after optimal key matching."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment  # imported here: only chart scoring needs it

    if not truth or not predicted:
        return 0.0, 0.0
    cost = np.ones((len(predicted), len(truth)))
    for i, (p_key, _) in enumerate(predicted):
        for j, (t_key, _) in enumerate(truth):
            distance = 1 - difflib.SequenceMatcher(None, p_key, t_key).ratio()
            cost[i, j] = 1.0 if distance >= _TEXT_THETA else distance
    score, exact = 0.0, 0
    for i, j in zip(*linear_sum_assignment(cost)):
        if cost[i, j] >= 1:
            continue
        p_value, t_value = predicted[i][1], truth[j][1]
        error = min(1.0, abs(p_value - t_value) / abs(t_value)) if t_value else float(p_value != t_value)
        error = 1.0 if error >= _NUMBER_THETA else error
        score += (1 - cost[i, j]) * (1 - error)
        exact += abs(p_value - t_value) <= _EXACT * abs(t_value) + 1e-9
    precision, recall = score / len(predicted), score / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, exact / len(truth)


class ChartScore(NamedTuple):
    rms_f1: float
    exact: float


def best_chart_score(truth_case: dict, predicted_charts: Iterable[dict]) -> ChartScore:
    """The best (RMS-F1, exact share) any predicted chart of the page reaches; (0, 0) when none.

    When the truth is a pie, both sides are compared as shares, whatever type the prediction claims.
    """
    shares = truth_case.get("chart_type") == "pie"
    truth = chart_points(truth_case, shares)
    return ChartScore(*max((rms_f1(truth, chart_points(chart, shares)) for chart in predicted_charts),
                           default=(0.0, 0.0)))


def summary(table_total: TableCounts, table_cases: int, chart_scores: list[ChartScore]) -> dict:
    """The headline object: micro table P/R/F1 and mean chart RMS-F1 / exact share, each rounded to 4 places."""
    result: dict[str, Any] = {}
    if table_cases:
        result["tables"] = {"cases": table_cases, "precision": round(table_total.precision, 4),
                            "recall": round(table_total.recall, 4),
                            "f1": round(table_total.f1, 4) if table_total.precision + table_total.recall else 0.0}
    if chart_scores:
        n = len(chart_scores)
        result["charts"] = {"cases": n, "rms_f1": round(sum(f for f, _ in chart_scores) / n, 4),
                            "exact_points": round(sum(e for _, e in chart_scores) / n, 4)}
    return result
