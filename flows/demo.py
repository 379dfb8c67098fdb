"""`figtab demo`: the whole pipeline on the bundled sample, then SQL over what it stored."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from figtab.flows.output import failure_line, print_rows
from figtab.flows.runner import extract_files
from figtab.flows.store import run_query
from figtab.schemas import DocumentResult

SAMPLE = Path(__file__).parent / "samples" / "sample.pdf"
QUERIES = {
    "Table cells, one row per table row": """
        SELECT f.page, c.row, string_agg(c.text, ' | ' ORDER BY c.col) AS cells, count(c.value) AS numbers
        FROM figures f JOIN table_cells c USING (figure_id)
        WHERE f.doc_id = ? GROUP BY ALL ORDER BY f.page, c.row""",
    "Chart points": """
        SELECT f.page, f.title, p.series, p.x, p.y
        FROM figures f JOIN chart_points p USING (figure_id)
        WHERE f.doc_id = ? ORDER BY f.page, f.title, p.series, p.x""",
}


def run_demo(db: str, console: Console) -> int:
    """Extract the sample into ``db`` and print the demo queries; returns the exit code."""
    console.print(f"figtab demo: extracting {SAMPLE.name} into {db}")
    results: list[DocumentResult] = []
    summary = extract_files([str(SAMPLE)], db, on_result=results.append)
    for failure in summary.failures:
        console.print(failure_line(failure), markup=False)
    print(f"{summary.n_figures} figures stored.")
    doc_id = results[0].document.doc_id if results and results[0].document else ""
    for title, sql in QUERIES.items():
        print(f"\n{title}:\n  {' '.join(sql.split())}")
        print_rows(*run_query(db, sql, [doc_id]), "table")
    print(f"\nTry: figtab query \"select * from table_cells limit 10\" --db {db}")
    return 1 if summary.failures else 0
