"""Held-out table cases from five PDF producers figtab was not developed on, for the kinds of table that trip it.

Kinds: text-heavy tables whose cells wrap over several lines, two-column term-definition tables of long text,
two-level headers (years over ``n`` / ``%Pos`` sub-columns, groups over Number / Percent) and text columns beside
figures; unruled, ruled under the header only (booktabs style) or ruled between rows. Each producer draws the same
specs its own way: LibreOffice (HTML import), wkhtmltopdf (QtWebKit), reportlab (platypus), pdflatex (tabular) and
groff (ms macros with tbl, justified text blocks).
Contents come from a seeded generator, so ``--seed`` gives fresh cases of the same kinds.

Writes ``OUT_DIR/<producer>/<case>.pdf`` and its truth ``tab-<case>.json`` (the dev format: wrapped lines of a
cell joined by spaces, covered cells of a span empty), then prints native's F1 per producer; score one producer
alone with ``figtab eval OUT_DIR/<producer> --backend native`` or ``python -m bench.tables OUT_DIR/<producer>``.
Needs ``soffice``, ``wkhtmltopdf``, ``pdflatex`` and ``groff`` on PATH (Debian: libreoffice-writer-nogui,
wkhtmltopdf, texlive-latex-recommended, groff) and reportlab; a benchmark tool, never run by the tests.
Usage: python -m bench.table_producers OUT_DIR [--seed 1] [--producers libreoffice,wkhtmltopdf,reportlab,latex,groff]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from figtab.flows.evaluate import evaluate

Header = list[list[tuple[str, int]]]  # rows of (text, columns spanned)

WORDS = ("the annual grant covers staff costs equipment and travel for projects that serve rural areas where "
         "local councils have agreed a plan with the regional office and applicants must show that the work "
         "will continue after funding ends reports are due each quarter and payments follow approval of the "
         "audited accounts by the managing authority small firms charities schools and health boards may "
         "apply together with a lead partner that holds the contract and answers for the budget under the 2021 "
         "rules of the European Social Fund and the Ministry of Finance and guidance from NHS England").split()
TERMS = ["Household", "Reference person", "Median income", "Dependent child", "Lone parent", "Tenure",
         "Economic activity", "Long-term illness", "Usual resident", "Equivalised income", "Deprivation index",
         "Working age", "Benefit unit", "Caseload", "Net migration", "Output area", "Full-time equivalent",
         "Persistent poverty", "Material deprivation", "Small area"]
PLACES = ["North East", "North West", "Yorkshire", "East Midlands", "West Midlands", "East", "London",
          "South East", "South West", "Wales", "Scotland", "Northern Ireland"]
AGES = ["Under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75 and over"]
OWNERS = ["Finance team", "Regional office", "Ministry of Health", "Audit committee", "Programme board",
          "Local councils", "Data protection officer"]
PROSE = ("The table below was compiled from the returns of each office and checked against the published "
         "accounts. Figures are provisional and may be revised when the final returns arrive. ")


@dataclass
class Spec:
    """One table: header rows of (text, span), body rows of cell texts, relative column widths, rule style."""

    name: str
    caption: str
    header: Header
    body: list[list[str]]
    widths: list[float]
    rules: str = "none"  # "none", "header" (top, under the header, bottom) or "rows" (under every row)
    valign: str = "top"
    numbers_right: bool = True  # columns of figures set flush right (as most reports do) or left

    def right(self, col: int) -> bool:
        """True when column ``col`` holds figures set flush right."""
        return self.numbers_right and all(re.fullmatch(r"[\d,.]+", row[col]) for row in self.body)

    @property
    def n_cols(self) -> int:
        return len(self.widths)

    def truth(self, producer: str, pages: int = 1) -> dict:
        """The dev format's truth; a table that ran onto a second page is scored over the document (page 0),
        as one table stitched across its pages."""
        header = [_expanded(row) for row in self.header]
        return {"source": f"bench/table_producers.py ({producer})", "file": f"{self.name}.pdf",
                "page": 1 if pages == 1 else 0, "tables": [{"rows": header + self.body}]}


def _expanded(row: list[tuple[str, int]]) -> list[str]:
    """A header row's texts, one per column: a spanning cell's text in its first column, the rest empty."""
    return [text for cell, span in row for text in [cell] + [""] * (span - 1)]


def _sentence(rng: random.Random, low: int, high: int) -> str:
    start = rng.randrange(len(WORDS))
    words = [WORDS[(start + i) % len(WORDS)] for i in range(rng.randint(low, high))]
    return " ".join([words[0].capitalize(), *words[1:]])


def _widths(first: float, n_cols: int) -> list[float]:
    return [first] + [(1 - first) / (n_cols - 1)] * (n_cols - 1)


def text_heavy(rng: random.Random, name: str) -> Spec:
    """Three or four text columns whose cells wrap over one to five lines (failure class 10)."""
    heads = rng.choice([["Programme", "Purpose", "Who can apply", "Contact"], ["Measure", "What changes", "Owner"],
                        ["Risk", "Description", "Mitigation", "Owner"]])
    body = [[_sentence(rng, 1, 4)] + [_sentence(rng, 3, 26) for _ in heads[1:-1]] + [rng.choice(OWNERS)]
            for _ in range(rng.randint(5, 8))]
    widths = [0.2] + [0.6 / (len(heads) - 2)] * (len(heads) - 2) + [0.2]
    return Spec(name, "Programmes open in the current round", [[(h, 1) for h in heads]], body, widths,
                rules=rng.choice(["none", "header"]), valign=rng.choice(["top", "top", "middle"]))


def term_definition(rng: random.Random, name: str) -> Spec:
    """Two columns: a short term and a definition of long wrapped text (failure class 11)."""
    terms = rng.sample(TERMS, rng.randint(5, 8))
    body = [[term, _sentence(rng, 12, 48) + "."] for term in terms]
    header = [[("Term", 1), ("Definition", 1)]] if rng.random() < 0.6 else []
    return Spec(name, "Definitions used in this release", header, body, [0.25, 0.75],
                rules=rng.choice(["none", "none", "header"]))


def year_subcolumns(rng: random.Random, name: str) -> Spec:
    """Years spanning two sub-columns each (``n`` / ``%Pos``) over rows of counts and percents (classes 9, 12)."""
    first = rng.randint(2012, 2020)
    years = [str(first + i) for i in range(rng.choice([2, 3]))]
    sub = rng.choice([("n", "%Pos"), ("Tested", "% positive"), ("Cases", "Rate")])
    stub, labels = rng.choice([("Region", PLACES), ("Age group", AGES)])
    body = [[label] + [x for _ in years for x in (f"{rng.randint(40, 9000):,}", f"{rng.uniform(0.5, 40):.1f}")]
            for label in rng.sample(labels, rng.randint(5, 8))]
    header = [[("", 1)] + [(year, 2) for year in years], [(stub, 1)] + [(s, 1) for _ in years for s in sub]]
    return Spec(name, "Tests and positive results by year", header, body, _widths(0.28, 1 + 2 * len(years)),
                rules=rng.choice(["none", "header"]), numbers_right=rng.random() < 0.7)


def group_subcolumns(rng: random.Random, name: str) -> Spec:
    """Groups (sexes, areas) spanning Number / Percent sub-columns (class 12)."""
    groups = rng.choice([["Men", "Women"], ["Urban", "Rural", "Total"], ["Full-time", "Part-time"]])
    stub, labels = rng.choice([("Region", PLACES), ("Age", AGES)])
    body = [[label] + [x for _ in groups for x in (f"{rng.randint(100, 99000):,}", f"{rng.uniform(1, 60):.1f}")]
            for label in rng.sample(labels, rng.randint(5, 8))]
    header = [[("", 1)] + [(group, 2) for group in groups], [(stub, 1)] + [(s, 1) for _ in groups
                                                                           for s in ("Number", "Percent")]]
    return Spec(name, "People in work by group", header, body, _widths(0.25, 1 + 2 * len(groups)),
                rules=rng.choice(["none", "header", "rows"]), numbers_right=rng.random() < 0.7)


def text_and_numbers(rng: random.Random, name: str) -> Spec:
    """An indicator, its wrapped description, and a figure per year (text columns beside numbers)."""
    first = rng.randint(2015, 2021)
    years = [str(first + i) for i in range(rng.choice([2, 3]))]
    body = [[_sentence(rng, 1, 4), _sentence(rng, 6, 24)] + [f"{rng.uniform(1, 900):.1f}" for _ in years]
            for _ in range(rng.randint(4, 7))]
    widths = [0.22, 0.46] + [0.32 / len(years)] * len(years)
    return Spec(name, "Indicators and their latest values", [[("Indicator", 1), ("Description", 1)] +
                                                             [(y, 1) for y in years]], body, widths,
                rules=rng.choice(["none", "header", "rows"]), valign=rng.choice(["top", "middle"]),
                numbers_right=rng.random() < 0.7)


KINDS: list[Callable[[random.Random, str], Spec]] = [text_heavy, term_definition, year_subcolumns,
                                                     group_subcolumns, text_and_numbers]


def random_specs(seed: int, per_kind: int = 2) -> list[Spec]:
    """``per_kind`` tables of every kind, drawn from ``seed``."""
    rng = random.Random(seed)
    return [kind(rng, f"{kind.__name__}_{i + 1}") for kind in KINDS for i in range(per_kind)]


# --- HTML, for LibreOffice and wkhtmltopdf -----------------------------------------------------------------------

def to_html(spec: Spec) -> str:
    """A page with a caption, paragraphs and the table: rules and alignment as attributes and CSS, which the two
    HTML producers honour in their own ways."""
    rule = "border-bottom:0.75pt solid black;"
    attributes = {"none": 'border="0"', "header": 'border="0" frame="hsides"',
                  "rows": 'border="0" frame="hsides" rules="rows"'}[spec.rules]

    def cell(tag: str, text: str, col: int, span: int, ruled: bool) -> str:
        colspan = f' colspan="{span}"' if span > 1 else ""
        align = "center" if span > 1 else "right" if spec.right(col) else "left"
        style = f"vertical-align:{spec.valign};text-align:{align};" + (rule if ruled else "")
        return f'<{tag}{colspan} align="{align}" valign="{spec.valign}" style="{style}">{html.escape(text)}</{tag}>'

    def row_html(tag: str, cells: list[tuple[str, int]], ruled: Callable[[int], bool]) -> str:
        starts = [sum(span for _, span in cells[:i]) for i in range(len(cells))]
        return "<tr>" + "".join(cell(tag, text, col, span, ruled(span)) for (text, span), col in zip(cells, starts)) \
            + "</tr>"

    cols = "".join(f'<col width="{round(100 * w)}%">' for w in spec.widths)
    last = len(spec.header) - 1
    head = "".join(row_html("th", row, lambda span, i=i: spec.rules != "none" and (i == last or span > 1))
                   for i, row in enumerate(spec.header))
    body = "".join(row_html("td", [(t, 1) for t in row], lambda span: spec.rules == "rows") for row in spec.body)
    return (f"<html><head><meta charset=\"utf-8\"><style>body{{font-family:'Liberation Serif',serif;font-size:10pt}}"
            f"td,th{{padding:2pt 4pt}}</style></head><body><p><b>Table 1. {html.escape(spec.caption)}</b></p>"
            f"<p>{PROSE * 2}</p><table {attributes} cellpadding=\"3\" cellspacing=\"0\" width=\"100%\" "
            f"style=\"border-collapse:collapse\">{cols}{head}{body}</table>"
            f"<p>Source: annual returns.</p><p>{PROSE * 3}</p></body></html>")


def libreoffice(cases: list[Spec], out: Path) -> None:
    pages = []
    for spec in cases:
        (page := out / f"{spec.name}.html").write_text(to_html(spec))
        pages.append(str(page))
    subprocess.run(["soffice", "--headless", "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export",
                    "--outdir", str(out), *pages], check=True, capture_output=True, timeout=600)


def wkhtmltopdf(cases: list[Spec], out: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for spec in cases:
        (page := out / f"{spec.name}.html").write_text(to_html(spec))
        subprocess.run(["wkhtmltopdf", "--quiet", "--page-size", "A4", str(page), str(out / f"{spec.name}.pdf")],
                       check=True, capture_output=True, timeout=120, env=env)


# --- reportlab ---------------------------------------------------------------------------------------------------

def reportlab(cases: list[Spec], out: Path) -> None:
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    plain, bold = styles["BodyText"], styles["Heading5"]

    def paragraph(text: str, style: ParagraphStyle, alignment: int) -> Paragraph:
        return Paragraph(html.escape(text), ParagraphStyle(f"{style.name}-{alignment}", style, alignment=alignment))

    for spec in cases:
        doc = SimpleDocTemplate(str(out / f"{spec.name}.pdf"), pagesize=letter)
        commands = [("VALIGN", (0, 0), (-1, -1), spec.valign.upper()), ("LEFTPADDING", (0, 0), (-1, -1), 4)]
        rows = []
        for r, row in enumerate(spec.header):
            cells, col = [], 0
            for text, span in row:
                alignment = TA_CENTER if span > 1 else TA_RIGHT if spec.right(col) else TA_LEFT
                cells += [paragraph(text, bold, alignment)] + [""] * (span - 1)
                if span > 1:
                    commands.append(("SPAN", (col, r), (col + span - 1, r)))
                col += span
            rows.append(cells)
        rows += [[paragraph(t, plain, TA_RIGHT if spec.right(c) else TA_LEFT) for c, t in enumerate(row)]
                 for row in spec.body]
        n_head = len(spec.header)
        if spec.rules != "none":
            commands += [("LINEABOVE", (0, 0), (-1, 0), 0.75, "black"), ("LINEBELOW", (0, -1), (-1, -1), 0.75, "black")]
            if n_head:
                commands.append(("LINEBELOW", (0, n_head - 1), (-1, n_head - 1), 0.5, "black"))
        if spec.rules == "rows":
            commands.append(("LINEBELOW", (0, n_head), (-1, -1), 0.25, "black"))
        table = Table(rows, colWidths=[w * doc.width for w in spec.widths], style=TableStyle(commands))
        doc.build([Paragraph(f"Table 1. {spec.caption}", bold), Paragraph(PROSE * 2, plain), Spacer(1, 6), table,
                   Spacer(1, 6), Paragraph("Source: annual returns.", plain), Paragraph(PROSE * 3, plain)])


# --- pdflatex ----------------------------------------------------------------------------------------------------

def _tex(text: str) -> str:
    return text.replace("%", r"\%").replace("&", r"\&")


def to_latex(spec: Spec) -> str:
    box = "m" if spec.valign == "middle" else "p"
    columns = "".join(rf">{{\{'raggedleft' if spec.right(c) else 'raggedright'}\arraybackslash}}{box}"
                      rf"{{{0.95 * w:.3f}\linewidth}}" for c, w in enumerate(spec.widths))
    lines = [r"\toprule" if spec.rules != "none" else ""]
    for i, row in enumerate(spec.header):
        cells, col, rules = [], 1, []
        for text, span in row:
            cells.append(rf"\multicolumn{{{span}}}{{c}}{{\textbf{{{_tex(text)}}}}}" if span > 1
                         else rf"\textbf{{{_tex(text)}}}")
            if span > 1:
                rules.append(rf"\cmidrule(lr){{{col}-{col + span - 1}}}")
            col += span
        lines.append(" & ".join(cells) + r" \\" + ("".join(rules) if spec.rules != "none" else ""))
    if spec.header and spec.rules != "none":
        lines.append(r"\midrule")
    for row in spec.body:
        lines.append(" & ".join(map(_tex, row)) + r" \\" + (r" \midrule" if spec.rules == "rows" else ""))
    lines.append(r"\bottomrule" if spec.rules != "none" else "")
    return "\n".join([r"\documentclass[10pt]{article}", r"\usepackage[margin=2.5cm]{geometry}",
                      r"\usepackage{array,booktabs}", r"\hyphenpenalty=10000 \exhyphenpenalty=10000",
                      r"\begin{document}", rf"\noindent\textbf{{Table 1. {spec.caption}}}", "", PROSE * 2, "",
                      r"\medskip\noindent", rf"\begin{{tabular}}{{{columns}}}", *lines, r"\end{tabular}", "",
                      r"\medskip\noindent Source: annual returns.", "", PROSE * 3, r"\end{document}"])


def latex(cases: list[Spec], out: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        for spec in cases:
            (source := Path(work) / f"{spec.name}.tex").write_text(to_latex(spec))
            subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", source.name], cwd=work,
                           check=True, capture_output=True, timeout=120)
            (out / f"{spec.name}.pdf").write_bytes(source.with_suffix(".pdf").read_bytes())


# --- groff (ms macros, tbl) -------------------------------------------------------------------------------------

def to_groff(spec: Spec) -> str:
    """An ms document with the table set by tbl: text blocks (``T{ ... T}``) wrap at the column widths, justified,
    without hyphens (the truth joins wrapped lines with spaces). tbl sets the cells of a row at its top, so
    ``valign`` is not drawn."""
    line_length = 6.0  # inches: the ms macros' default line length

    def formats(row: list[tuple[str, int]], bold: bool) -> str:
        cells, col = [], 0
        for _, span in row:
            key = "c" if span > 1 else "r" if spec.right(col) else "l"
            cells += [f"{key}{'b' if bold else ''}w({spec.widths[col] * line_length:.2f}i)"] + ["s"] * (span - 1)
            col += span
        return " ".join(cells)

    def entry(text: str) -> str:
        return f"T{{\n{text}\nT}}" if len(text.split()) > 2 else text

    rule = ["_"] if spec.rules != "none" else []
    lines = [*rule]
    for row in spec.header:
        lines.append("@".join(entry(text) for text, _ in row))  # a spanned column takes no entry
    lines += rule
    for i, row in enumerate(spec.body):
        lines.append("@".join(entry(text) for text in row))
        if spec.rules == "rows" and i < len(spec.body) - 1:
            lines.append("_")
    lines += rule
    layout = [formats(row, bold=True) for row in spec.header] + \
        [formats([(text, 1) for text in spec.body[0]], bold=False) + "."]
    return "\n".join([".nr HY 0", ".nh", ".LP", f'.B "Table 1. {spec.caption}"', ".PP", PROSE * 2, ".sp", ".TS",
                      "tab(@);", *layout, *lines, ".TE", ".LP", "Source: annual returns.", ".PP", PROSE * 3, ""])


def groff(cases: list[Spec], out: Path) -> None:
    for spec in cases:
        result = subprocess.run(["groff", "-ms", "-t", "-T", "pdf"], input=to_groff(spec).encode(), check=True,
                                capture_output=True, timeout=120)
        (out / f"{spec.name}.pdf").write_bytes(result.stdout)


# --- Word documents (python-docx), printed by LibreOffice -----------------------------------------------------

_DOCX_RULES = {"none": None, "header": "Light Shading", "rows": "Light List"}  # built-in styles of python-docx's
# default template: no lines; lines over and under the header and at the bottom; lines between rows as well


def to_docx(spec: Spec, path: Path) -> None:
    """A Word document with a caption, paragraphs and the table: widths, merged header cells, vertical alignment
    and figures set flush right as cell properties, rules from a built-in table style."""
    from docx import Document
    from docx.enum.table import WD_ALIGN_VERTICAL
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Inches, Pt

    doc = Document()
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_paragraph().add_run(f"Table 1. {spec.caption}").bold = True
    doc.add_paragraph(PROSE * 2)
    table = doc.add_table(rows=len(spec.header) + len(spec.body), cols=spec.n_cols, style=_DOCX_RULES[spec.rules])
    table.autofit = False
    for column, share in zip(table.columns, spec.widths):
        column.width = Inches(6.0 * share)  # the grid LibreOffice lays out; cell widths alone do not move it
    valign = WD_ALIGN_VERTICAL.CENTER if spec.valign == "middle" else WD_ALIGN_VERTICAL.TOP
    for r, row in enumerate([_expanded(header) for header in spec.header] + spec.body):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.width = Inches(6.0 * spec.widths[c])
            cell.vertical_alignment = valign
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(text)
            run.bold = r < len(spec.header)
            if r >= len(spec.header) and spec.right(c):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for r, header in enumerate(spec.header):
        col = 0
        for text, span in header:
            if span > 1:
                merged = table.cell(r, col).merge(table.cell(r, col + span - 1))
                merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                for extra in merged.paragraphs[1:]:  # merging keeps each covered cell's (empty) paragraph
                    extra._element.getparent().remove(extra._element)
            col += span
    doc.add_paragraph("Source: annual returns.")
    doc.add_paragraph(PROSE * 3)
    doc.save(str(path))


def word(cases: list[Spec], out: Path) -> None:
    documents = []
    for spec in cases:
        to_docx(spec, path := out / f"{spec.name}.docx")
        documents.append(str(path))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out),
                    *documents], check=True, capture_output=True, timeout=600)


PRODUCERS: dict[str, Callable[[list[Spec], Path], None]] = {
    "libreoffice": libreoffice, "wkhtmltopdf": wkhtmltopdf, "reportlab": reportlab, "latex": latex, "groff": groff,
    "word": word}


def build(out_dir: Path, seed: int, producers: list[str]) -> list[Path]:
    """Every producer's PDFs and truth JSON, one folder per producer; the folders."""
    import pymupdf  # after figtab, which keeps pymupdf's unused companions from loading

    folders = []
    for producer in producers:
        folder = out_dir / producer
        folder.mkdir(parents=True, exist_ok=True)
        cases = random_specs(seed)
        PRODUCERS[producer](cases, folder)
        for spec in cases:
            with pymupdf.open(folder / f"{spec.name}.pdf") as pdf:
                truth = spec.truth(producer, pdf.page_count)
            (folder / f"tab-{spec.name}.json").write_text(json.dumps(truth, indent=1))
        folders.append(folder)
    return folders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--producers", default=",".join(PRODUCERS))
    args = parser.parse_args()
    print(f"{'producer':<14}{'cases':>6}{'precision':>11}{'recall':>8}{'F1':>8}")
    for folder in build(args.out_dir, args.seed, args.producers.split(",")):
        t = evaluate(folder, "native")["tables"]
        print(f"{folder.name:<14}{t['cases']:>6}{t['precision']:>11.3f}{t['recall']:>8.3f}{t['f1']:>8.3f}")


if __name__ == "__main__":
    main()
