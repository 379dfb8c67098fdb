"""Table extraction, figtab `native` against its peers on the dev tables: adjacency F1 and seconds per page.

Peers (camelot stream, pdfplumber, PyMuPDF `find_tables()`) come from bench/requirements-tables.txt, not from
figtab's install. "figtab tables only" is the native table reader alone, page by page like the peers (the
`native` backend also looks for charts on every page, and joins tables continued across pages). Every reader
sees the same PDF pages and is scored by the same metric (`figtab.flows.evaluate.score`); time is the median of
``--runs`` runs in this one process, so the numbers compare on one machine.
Usage: python -m bench.tables [CASES_DIR] [--runs 3]   (from the repo root, so bench/ does not shadow packages)
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from figtab.flows.evaluate import Predictions, load_cases, predict, score

Reader = Callable[[Path, dict[str, dict]], Predictions]
DEV_TABLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev" / "tables"


def _as_figures(name: str, page: int, tables: list[list[list]]) -> list[dict]:
    return [{"file": name, "page": page, "kind": "table",
             "table": {"rows": [["" if c is None else str(c) for c in row] for row in rows]}} for rows in tables]


def _per_page(extract: Callable[[Path, int], list[list[list]]]) -> Reader:
    def read(cases_dir: Path, cases: dict[str, dict]) -> Predictions:
        pages = sorted({(c["file"], page) for c in cases.values() for page in _pages(cases_dir / c["file"], c)})
        return {(name, page): _as_figures(name, page, extract(cases_dir / name, page)) for name, page in pages}
    return read


def _pages(path: Path, case: dict) -> list[int]:
    """The pages a case is scored on: its own, or every page of the document for a page-0 case."""
    if int(case["page"]):
        return [int(case["page"])]
    import pymupdf

    with pymupdf.open(path) as doc:
        return list(range(1, doc.page_count + 1))


def _camelot(path: Path, page: int) -> list[list[list]]:
    import camelot

    with warnings.catch_warnings():  # camelot warns on every page without a table; the table is the output here
        warnings.simplefilter("ignore")
        return [t.df.values.tolist() for t in camelot.read_pdf(str(path), pages=str(page), flavor="stream")]


def _pdfplumber(path: Path, page: int) -> list[list[list]]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return pdf.pages[page - 1].extract_tables()


def _pymupdf(path: Path, page: int) -> list[list[list]]:
    import pymupdf

    with pymupdf.open(path) as doc:
        return [t.extract() for t in doc[page - 1].find_tables().tables]


def _figtab_tables(path: Path, page: int) -> list[list[list]]:
    import pymupdf

    from figtab.extractors.native.page_content import PageContent
    from figtab.extractors.native.tables import find_tables

    with pymupdf.open(path) as doc:
        return [found.table.rows for found in find_tables(PageContent(doc[page - 1]))]


READERS: dict[str, Reader] = {
    "figtab native": lambda cases_dir, cases: predict(cases_dir, cases, "native")[0],
    "figtab tables only": _per_page(_figtab_tables),
    "camelot stream": _per_page(_camelot),
    "pdfplumber": _per_page(_pdfplumber),
    "pymupdf find_tables": _per_page(_pymupdf),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases_dir", nargs="?", type=Path, default=DEV_TABLES)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cases = {k: c for k, c in load_cases(args.cases_dir).items() if c["file"].lower().endswith(".pdf")}
    n_pages = len({(c["file"], page) for c in cases.values() for page in _pages(args.cases_dir / c["file"], c)})
    print(f"{len(cases)} table cases, {n_pages} PDF pages, median of {args.runs} runs")
    print(f"{'reader':<22}{'precision':>10}{'recall':>8}{'F1':>8}{'s/page':>9}")
    for name, read in READERS.items():
        seconds = []
        try:
            for _ in range(args.runs):
                start = time.perf_counter()
                predictions = read(args.cases_dir, cases)
                seconds.append(time.perf_counter() - start)
        except ImportError as exc:
            print(f"{name:<22}not installed ({exc.name}): pip install -r bench/requirements-tables.txt")
            continue
        t = score(cases, predictions)["tables"]
        print(f"{name:<22}{t['precision']:>10.3f}{t['recall']:>8.3f}{t['f1']:>8.3f}"
              f"{statistics.median(seconds) / n_pages:>9.3f}")


if __name__ == "__main__":
    main()
