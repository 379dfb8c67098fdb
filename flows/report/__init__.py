"""`figtab show`: one self-contained HTML report in which each stored figure is re-drawn beside its source.

People trust an extraction by looking at it: a series off by one category shows at a glance in a re-drawn chart,
never in ``chart_points`` rows. The report is built in three steps, each its own module: read the selection on a
read-only connection (`model`), render each figure's source crop through `figtab.tiling` (`crops`), and write the
page (`page`, drawing charts with `charts` and tables with `tables`). Writing it needs no browser and no JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from figtab.flows.report.model import DEFAULT_LIMIT, Report, Selection, load_report
from figtab.schemas import UsageError

__all__ = ["DEFAULT_LIMIT", "Report", "Selection", "WrittenReport", "write_report"]


@dataclass(frozen=True)
class WrittenReport:
    path: Path
    n_bytes: int
    report: Report


def write_report(db: str, out: str | Path, selection: Selection = Selection(), sources: bool = True) -> WrittenReport:
    """Write the report on ``selection`` of ``db`` to ``out``; ``sources=False`` skips rendering the crops.

    A filter that matches no figure and no failure is a `UsageError`, since it is most likely a typo.
    """
    # Imported here: the CLI reads `DEFAULT_LIMIT` from this package at start-up, and every other command
    # would pay for the rendering modules.
    from figtab.flows.report.crops import render_crops
    from figtab.flows.report.page import render_page

    report = load_report(db, selection)
    filtered = any(value is not None for value in (selection.file, selection.doc, selection.figure, selection.run))
    if filtered and not report.figures and not report.failures:
        raise UsageError("no figure or failure matches the selection (--file, --doc, --figure, --run)")
    crops = render_crops(report.figures) if sources else {}
    path = Path(out)
    try:
        path.write_text(render_page(report, crops), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from exc
    return WrittenReport(path=path, n_bytes=path.stat().st_size, report=report)
