"""Training examples from case folders (`figtab synth` output or the dev-data format): one example per page.

A page's target is every figure its cases name, in case-id order, linearised by the backend's codec; cases
that span pages (``"page": 0``) and truths that fail validation are left out and counted. Held-back pages are
chosen by a hash of their name, so the split does not move when folders gain files.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from figtab.extractors.paligemma import codec
from figtab.flows.evaluate import load_cases
from figtab.schemas import Chart, Table

_CHART_FIELDS = ("chart_type", "title", "x_label", "y_label", "series")
_TABLE_FIELDS = ("rows", "title", "header_rows", "spans")


@dataclass(frozen=True)
class Example:
    """One page to learn: the document, its 1-based page number, the target text and the cases it came from."""

    folder: Path
    file: str
    page: int
    target: str
    case_ids: tuple[str, ...]

    @property
    def path(self) -> Path:
        return self.folder / self.file


@dataclass
class Collected:
    examples: list[Example] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "case id: why"


def collect(folders: list[Path]) -> Collected:
    """Every page with truth in ``folders``, as examples; what cannot be used is listed in ``skipped``."""
    collected = Collected()
    for folder in folders:
        by_page: dict[tuple[str, int], list[tuple[str, list[Table | Chart]]]] = defaultdict(list)
        for case_id, case in load_cases(Path(folder)).items():
            page = int(case.get("page", 1))
            if page == 0:
                collected.skipped.append(f"{case_id}: spans several pages")
                continue
            try:
                by_page[(Path(case["file"]).name, page)].append((case_id, truth_figures(case)))
            except ValidationError as exc:
                collected.skipped.append(f"{case_id}: {exc.errors()[0]['msg']}")
        for (file, page), cases in sorted(by_page.items()):
            cases.sort(key=lambda case: case[0])
            figures = [figure for _, found in cases for figure in found]
            collected.examples.append(Example(Path(folder), file, page, codec.encode(figures),
                                              tuple(case_id for case_id, _ in cases)))
    return collected


def truth_figures(case: dict) -> list[Table | Chart]:
    """The tables or the chart a case describes, validated like any extracted figure."""
    if "tables" in case:
        return [Table.model_validate({key: table[key] for key in _TABLE_FIELDS if key in table})
                for table in case["tables"]]
    return [Chart.model_validate({key: case[key] for key in _CHART_FIELDS if key in case})]


def split(examples: list[Example], hold_out: float, seed: int = 0) -> tuple[list[Example], list[Example]]:
    """(train, held back): ``hold_out`` of the pages, at least one when there are two or more, chosen by hash."""
    n_held = round(hold_out * len(examples))
    if hold_out > 0 and len(examples) >= 2:
        n_held = min(max(n_held, 1), len(examples) - 1)
    ranked = sorted(examples, key=lambda e: hashlib.sha256(f"{seed}:{e.folder.name}/{e.file}:{e.page}".encode())
                    .hexdigest())
    held = set(map(id, ranked[:n_held]))
    return [e for e in examples if id(e) not in held], [e for e in examples if id(e) in held]
