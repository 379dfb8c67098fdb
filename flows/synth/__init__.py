"""`figtab synth`: born-digital pages with charts and tables, and their truth, deterministic by seed.

Charts come from three independent producers (matplotlib, reportlab, PyMuPDF's own drawing calls) so a reader
cannot lean on one library's drawing habits. Truth JSON follows ``../shared/data/dev/``: one file per chart,
one per page of tables.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pymupdf

from figtab.flows.synth import mpl, mu, rl
from figtab.flows.synth.page import add_chart, add_table, add_text, chart_fits, new_page
from figtab.flows.synth.spec import ChartSpec, random_spec

LIBRARIES = {"matplotlib": mpl, "pymupdf": mu, "reportlab": rl}


def make_chart(rng: random.Random) -> tuple[str, ChartSpec, bytes]:
    """A random chart from a random library: (library name, spec, one-page PDF bytes)."""
    library = rng.choice(sorted(LIBRARIES))
    module = LIBRARIES[library]
    spec = random_spec(rng, module.KINDS, module.X_KINDS, allow_log=True)
    return library, spec, module.draw(spec)


def generate(out_dir: Path, n: int = 20, seed: int = 0) -> list[Path]:
    """Write PDFs holding ``n`` charts (plus some tables) and their truth JSON to ``out_dir``; returns the JSONs."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    written: list[Path] = []
    charts_left, doc_no = n, 0
    while charts_left > 0:
        name = f"synth-{seed}-{doc_no:04d}.pdf"
        truths: list[tuple[str, dict]] = []
        with pymupdf.open() as doc:
            for page_no in range(1, rng.randint(1, 2) + 1):
                if charts_left <= 0:
                    break
                page_truths, charts_left = _fill_page(new_page(doc, rng), rng, name, page_no, charts_left)
                truths += page_truths
            doc.save(out_dir / name, garbage=3, deflate=True)
        for stem, truth in truths:
            path = out_dir / f"{stem}.json"
            path.write_text(json.dumps(truth, indent=1) + "\n")
            written.append(path)
        doc_no += 1
    return written


def _fill_page(page: pymupdf.Page, rng: random.Random, name: str, page_no: int,
               charts_left: int) -> tuple[list[tuple[str, dict]], int]:
    """Text, one or two charts (while any are left to make) and perhaps a table on ``page``; returns the truths
    written for it, by case id, and how many charts are still to make."""
    truths: list[tuple[str, dict]] = []
    top = add_text(page, 50, rng, rng.randint(2, 6))
    tables: list[dict] = []
    for slot in range(rng.choice([1, 1, 2])):
        if charts_left <= 0:
            break
        library, spec, pdf = make_chart(rng)
        scale = chart_fits(page, top, pdf)
        if scale is None:
            break
        add_chart(page, top, pdf, scale)
        top += spec.height * scale + 10
        truths.append((f"{Path(name).stem}-p{page_no}-c{slot}", spec.truth(name, page_no) | {"library": library}))
        charts_left -= 1
        top = add_text(page, top, rng, rng.randint(1, 3))
    if rng.random() < 0.3 and (found := add_table(page, top, rng)) is not None:
        tables.append({"rows": found[0]})
    if tables:
        truths.append((f"{Path(name).stem}-p{page_no}-tables", {"file": name, "page": page_no, "tables": tables}))
    return truths, charts_left
