"""A small held-out table set from a producer the dev PDFs do not use: HTML tables printed to PDF by LibreOffice.

Each case is one page: a caption, a paragraph, one table (ruled, unruled, merged header cells, wrapped cells,
shaded cells, numbers with thousands separators), another paragraph. It writes ``<case>.pdf`` and its truth
``<case>.json`` (the dev format: covered cells of a span empty) into OUT_DIR, to score with
``python -m bench.tables OUT_DIR``. Needs ``soffice`` on PATH; a benchmark tool, never run by the tests.
Usage: python -m bench.heldout_tables OUT_DIR
"""

from __future__ import annotations

import argparse
import html
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

PROSE = ("The figures below were compiled from the annual returns of each office and checked against the audited "
         "accounts; totals may not add up because of rounding. ") * 2
MONEY = [["North", "1,250,300", "1,402,118", "12.1"], ["South", "845,020", "790,415", "-6.5"],
         ["East", "2,031,775", "2,210,940", "8.8"], ["West", "96,400", "101,230", "5.0"],
         ["Total", "4,223,495", "4,504,703", "6.7"]]


@dataclass
class Case:
    """One table as HTML cells: text (``\\n`` breaks a line), col_span, and the table tag's attributes."""

    name: str
    header: list[list[tuple[str, int]]]
    body: list[list[str]]
    attributes: str = 'border="1" cellpadding="4" cellspacing="0"'
    cell_style: str = ""
    page: int = 1  # 0: scored against the whole document (a table continued on the next page)

    def html(self) -> str:
        def cell(tag: str, text: str, span: int = 1) -> str:
            colspan = f' colspan="{span}"' if span > 1 else ""
            return f"<{tag}{colspan} style=\"{self.cell_style}\">{html.escape(text).replace(chr(10), '<br>')}</{tag}>"

        head = "<thead>" + "".join("<tr>" + "".join(cell("th", t, s) for t, s in row) + "</tr>"
                                   for row in self.header) + "</thead>"
        body = "".join("<tr>" + "".join(cell("td", t) for t in row) + "</tr>" for row in self.body)
        return (f"<html><body><p><b>Table 1. {self.name.replace('_', ' ').capitalize()}</b></p><p>{PROSE}</p>"
                f"<table {self.attributes}>{head}{body}</table><p>{PROSE}</p></body></html>")

    def truth(self) -> dict:
        header = [[text for text, span in row for text in [text] + [""] * (span - 1)] for row in self.header]
        return {"source": "bench/heldout_tables.py (LibreOffice)", "file": f"{self.name}.pdf", "page": self.page,
                "tables": [{"rows": header + self.body}]}


CASES = [
    Case("ruled_money", [[("Region", 1), ("2022", 1), ("2023", 1), ("Change %", 1)]], MONEY),
    Case("unruled_money", [[("Region", 1), ("2022", 1), ("2023", 1), ("Change %", 1)]], MONEY,
         attributes='border="0" cellpadding="6" cellspacing="0"'),
    Case("merged_header", [[("Office", 1), ("Staff", 2), ("Budget (EUR)", 2)],
                           [("", 1), ("2022", 1), ("2023", 1), ("2022", 1), ("2023", 1)]],
         [["Lisbon", "120", "131", "4,500,000", "4,810,250"], ["Porto", "85", "88", "3,120,400", "3,200,000"],
          ["Faro", "23", "25", "910,000", "955,500"]]),
    Case("wrapped_cells", [[("Programme", 1), ("Participants", 1), ("Cost per head", 1)]],
         [["Adult literacy\nevening classes", "1,204", "310.50"],
          ["Digital skills for\nsmall businesses", "845", "1,020.00"],
          ["Apprenticeships in\nconstruction trades", "2,310", "4,480.75"]]),
    Case("unruled_wide", [[("Year", 1), ("Imports", 1), ("Exports", 1), ("Balance", 1), ("Share", 1), ("Index", 1)]],
         [["2019", "10,220", "9,870", "-350", "41.2", "100.0"], ["2020", "9,105", "9,230", "125", "40.8", "97.3"],
          ["2021", "11,480", "10,960", "-520", "42.5", "104.9"], ["2022", "12,930", "12,410", "-520", "43.1", "111.2"]],
         attributes='border="0" cellpadding="3" cellspacing="0"'),
    Case("shaded_cells", [[("Indicator", 1), ("Launch", 1), ("One year", 1), ("Two years", 1)]],
         [["Data sets available", "47", "272,768", "389,933"], ["Downloads", "0", "652,412", "2,348,928"],
          ["Cities with open data", "0", "8", "11"]],
         attributes='border="0" cellpadding="5" cellspacing="2"', cell_style="background:#c8d8f0"),
    Case("right_aligned", [[("Item", 1), ("Units", 1), ("Unit price", 1), ("Amount", 1)]],
         [["Paper, A4 reams", "1,200", "4.35", "5,220.00"], ["Toner cartridges", "48", "89.90", "4,315.20"],
          ["Desk lamps", "15", "32.00", "480.00"], ["Total", "", "", "10,015.20"]],
         attributes='border="0" cellpadding="4" cellspacing="0"', cell_style="text-align:right"),
    Case("row_rules", [[("Country", 1), ("Population", 1), ("Area km2", 1), ("Density", 1)]],
         [["Iceland", "387,758", "103,000", "3.8"], ["Malta", "535,064", "316", "1,693.2"],
          ["Luxembourg", "660,809", "2,586", "255.5"], ["Cyprus", "1,260,138", "9,251", "136.2"]],
         attributes='frame="hsides" rules="rows" cellpadding="4" cellspacing="0"'),
    Case("long_table", [[("Week", 1), ("Orders", 1), ("Returns", 1), ("Net sales", 1)]],
         [[f"Week {w}", f"{1000 + 37 * w:,}", f"{w * 3 % 41}", f"{(1000 + 37 * w) * 12:,}"] for w in range(1, 61)],
         page=0),
]


def build(out_dir: Path) -> list[Path]:
    """Write every case's HTML, PDF and truth JSON into ``out_dir``; the PDFs' paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = []
    for case in CASES:
        page = out_dir / f"{case.name}.html"
        page.write_text(case.html())
        (out_dir / f"tab-{case.name}.json").write_text(json.dumps(case.truth(), indent=1))
        pages.append(page)
    subprocess.run(["soffice", "--headless", "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export",
                    "--outdir", str(out_dir), *map(str, pages)], check=True, capture_output=True, timeout=300)
    return [page.with_suffix(".pdf") for page in pages]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    for pdf in build(parser.parse_args().out_dir):
        print(pdf)


if __name__ == "__main__":
    main()
