"""`figtab eval`: run a backend over a folder of truth cases and score it with the metrics of DESIGN.md.

A cases folder holds one JSON file per case (``{"file", "page", "tables": [{"rows"}]}`` or a chart with
``"series"``) with the documents beside them. Each document is extracted once, over the pages its cases name
(every page when a case has ``"page": 0``, a table continued across pages, scored against the whole document).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from figtab.extractors import ExtractorOptions, get_extractor
from figtab.flows.metrics import TableCounts, best_chart_score, summary, table_counts
from figtab.flows.pipeline import extract_file
from figtab.schemas import UsageError

Predictions = dict[tuple[str, int], list[dict]]


def load_cases(cases_dir: Path, cases: list[str] | None = None) -> dict[str, dict]:
    """Truth cases by id (the JSON file's stem), sorted; ``cases`` keeps only those ids."""
    if not cases_dir.is_dir():
        raise UsageError(f"{cases_dir} is not a folder of cases")
    found = {path.stem: _read_case(path) for path in sorted(cases_dir.glob("*.json"))}
    if cases is not None:
        unknown = sorted(set(cases) - set(found))
        if unknown:
            raise UsageError(f"no such cases in {cases_dir}: {', '.join(unknown)}")
        found = {case_id: case for case_id, case in found.items() if case_id in set(cases)}
    return found


def _read_case(path: Path) -> dict:
    try:
        case = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"case {path.name} cannot be read as JSON: {exc}") from exc
    if not isinstance(case, dict) or "file" not in case:
        raise UsageError(f"case {path.name} names no \"file\"")
    return case


def pages_to_read(cases: dict[str, dict]) -> dict[str, list[int] | None]:
    """Per document file name, the pages its cases need; None means every page."""
    wanted: dict[str, set[int] | None] = {}
    for case in cases.values():
        name, page = Path(case["file"]).name, int(case.get("page", 1))
        if page == 0 or wanted.get(name, set()) is None:
            wanted[name] = None
        else:
            wanted.setdefault(name, set()).add(page)
    return {name: None if pages is None else sorted(pages) for name, pages in wanted.items()}


def predict(cases_dir: Path, cases: dict[str, dict], backend: str,
            options: ExtractorOptions | None = None) -> tuple[Predictions, dict[str, Any]]:
    """Every figure the backend finds in the cases' documents, as JSON dicts keyed by (file name, page).

    Also returns run facts: pages read, failures and seconds per page (extraction wall time only).
    """
    extractor = get_extractor(backend, options)
    predictions: Predictions = defaultdict(list)
    n_pages, failures, seconds = 0, 0, 0.0
    for name, pages in pages_to_read(cases).items():
        start = time.perf_counter()
        result = extract_file(str(cases_dir / name), extractor, pages=pages)
        seconds += time.perf_counter() - start
        n_pages += len(result.pages)
        failures += len(result.all_failures)
        for figure in result.figures:
            predictions[(name, figure.page)].append(figure.model_dump(mode="json"))
    run = {"pages": n_pages, "failures": failures, "seconds_per_page": round(seconds / n_pages, 4) if n_pages else 0.0}
    return predictions, run


def score(cases: dict[str, dict], predictions: Predictions, per_case: bool = False) -> dict[str, Any]:
    """The metrics object for ``predictions``; a page-0 case is scored against its whole document."""
    total, table_cases, chart_scores, each = TableCounts(), 0, [], {}
    for case_id, case in cases.items():
        name, page = Path(case["file"]).name, int(case.get("page", 1))
        got = [f for (file, _), figures in predictions.items() if file == name for f in figures] if page == 0 \
            else predictions.get((name, page), [])
        if "tables" in case:
            counts = table_counts((t["rows"] for t in case["tables"]),
                                  (f["table"]["rows"] for f in got if f.get("kind") == "table" and f.get("table")))
            total, table_cases = total + counts, table_cases + 1
            each[case_id] = {"precision": counts.precision, "recall": counts.recall}
        elif "series" in case:
            best = best_chart_score(case, (f["chart"] for f in got if f.get("kind") == "chart" and f.get("chart")))
            chart_scores.append(best)
            each[case_id] = {"rms_f1": best.rms_f1, "exact": best.exact}
    result = summary(total, table_cases, chart_scores)
    if per_case:
        result["per_case"] = each
    return result


def evaluate(cases_dir: Path, backend: str = "auto", options: ExtractorOptions | None = None,
             cases: list[str] | None = None, per_case: bool = False) -> dict[str, Any]:
    """Extract every case's document with ``backend`` and return the JSON-able metrics and run facts."""
    cases_dir = Path(cases_dir)
    chosen = load_cases(cases_dir, cases)
    predictions, run = predict(cases_dir, chosen, backend, options)
    return {"backend": backend, **score(chosen, predictions, per_case), **run}
