"""`figtab show` without a browser: what the page holds for real extractions stored in a real DuckDB file.

The written page is well-formed markup, so it is parsed as XML and its elements are counted; the browser test
checks the same page as Chromium renders it.
"""

import shutil
import xml.etree.ElementTree as ET

import pymupdf
import pytest
from typer.testing import CliRunner

import figtab
from figtab.flows.cli import app
from figtab.flows.report import Selection, write_report
from figtab.flows.store import Store, run_query
from figtab.schemas import Document, DocumentResult, Figure, Page, PageResult, Size, Usage, UsageError

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def page_of(path) -> ET.Element:
    return ET.fromstring(path.read_text(encoding="utf-8").split("\n", 1)[1])  # past the DOCTYPE line


def articles(root: ET.Element) -> dict[str, ET.Element]:
    return {a.get("data-figure-id"): a for a in root.iter("article")}


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def extracted(tmp_path, *files):
    db = str(tmp_path / "f.duckdb")
    figtab.extract([str(f) for f in files], backend="native", db=db)
    return db


def store_hand_made(db: str, figures: list[Figure], file: str = "scan.png") -> None:
    """Store figures as a model backend would (the store is real; the figures are made here)."""
    document = Document(file=file, doc_id="d" * 64, format="png", n_bytes=1, n_pages=1)
    page = Page(doc_id=document.doc_id, page=1, size=Size(width=600, height=800))
    with Store(db) as store:
        run_id = store.start_run("anthropic", "claude-test")
        store.save(DocumentResult(file=file, document=document,
                                  pages=[PageResult(page=page, backend="anthropic", model="claude-test",
                                                    figures=figures)]), run_id)
        store.finish_run(run_id, 1, len(figures), 0)


def test_every_stored_figure_is_redrawn_beside_its_source_crop(tmp_path, sample_pdf):
    db = extracted(tmp_path, sample_pdf)
    written = write_report(db, tmp_path / "r.html")
    root = page_of(written.path)
    stored = dict(run_query(db, "SELECT figure_id, kind FROM figures")[1])
    found = articles(root)
    assert set(found) == set(stored)
    for figure_id, article in found.items():
        images = [img for img in article.iter("img") if img.get("src", "").startswith("data:image/")]
        assert len(images) == 1 and int(images[0].get("width")) <= 480
        drawn = by_class(article, "chart") if stored[figure_id] == "chart" else by_class(article, "data")
        assert len(drawn) == 1
    links = [a.get("href") for a in root.find(".//nav").iter("a")]
    assert sorted(links) == sorted(f"#fig-{figure_id}" for figure_id in stored)
    assert not list(root.iter("script")) and written.n_bytes == written.path.stat().st_size


def test_a_moved_document_still_gets_its_redrawing_with_a_note(tmp_path, sample_pdf):
    db = extracted(tmp_path, sample_pdf)
    sample_pdf.rename(tmp_path / "elsewhere.pdf")
    root = page_of(write_report(db, tmp_path / "r.html").path)
    for article in articles(root).values():
        assert not list(article.iter("img"))
        assert "no longer at" in by_class(article, "source-note")[0].text
        assert len(by_class(article, "chart") + by_class(article, "data")) == 1


def test_a_document_changed_since_it_was_read_is_not_shown_as_its_source(tmp_path, sample_pdf):
    db = extracted(tmp_path, sample_pdf)
    with pymupdf.open(sample_pdf) as doc:
        doc.set_metadata({"title": "edited"})
        doc.save(tmp_path / "edited.pdf")
    shutil.move(tmp_path / "edited.pdf", sample_pdf)
    root = page_of(write_report(db, tmp_path / "r.html").path)
    notes = [note.text for note in by_class(root, "source-note")]
    assert len(notes) == len(articles(root)) and all("has changed" in note for note in notes)


def test_limit_and_filters_pick_figures_and_say_what_was_left_out(tmp_path, sample_pdf):
    db = extracted(tmp_path, sample_pdf)
    total = run_query(db, "SELECT count(*) FROM figures")[1][0][0]
    root = page_of(write_report(db, tmp_path / "r.html", Selection(limit=2)).path)
    assert len(articles(root)) == 2
    assert f"first 2 of {total}" in by_class(root, "limit")[0].text
    pages = run_query(db, "SELECT figure_id FROM figures WHERE page = 3")[1]
    some_id = pages[0][0]
    only = page_of(write_report(db, tmp_path / "one.html", Selection(figure=some_id[:8])).path)
    assert list(articles(only)) == [some_id]
    by_name = page_of(write_report(db, tmp_path / "name.html", Selection(file="sample.pdf")).path)
    assert len(articles(by_name)) == total
    with pytest.raises(UsageError, match="no figure or failure matches"):
        write_report(db, tmp_path / "none.html", Selection(file="other.pdf"))


def test_the_runs_failures_are_listed_with_their_reasons(tmp_path, sample_pdf, bad_inputs):
    db = extracted(tmp_path, sample_pdf, bad_inputs["corrupt"], bad_inputs["missing"])
    root = page_of(write_report(db, tmp_path / "r.html").path)
    section = next(s for s in root.iter("section") if s.get("id") == "failures")
    rows = [[cell.text for cell in row] for row in section.find("table/tbody")]
    stored = run_query(db, "SELECT file, message FROM failures")[1]
    assert sorted((row[0], row[4]) for row in rows) == sorted(stored)
    assert len(stored) == 2


def test_invalid_figures_stand_out_and_model_usage_is_shown(tmp_path):
    db = str(tmp_path / "f.duckdb")
    good = Figure(file="scan.png", doc_id="d" * 64, page=1, kind="chart", backend="anthropic", model="claude-test",
                  chart={"chart_type": "bar", "series": [{"name": "s", "points": [{"x": "a", "y": 1}]}]},
                  usage=Usage(input_tokens=1200, output_tokens=80, visual_tokens=900, cost_usd=0.0042))
    bad = Figure(file="scan.png", doc_id="d" * 64, page=1, kind="table", backend="anthropic", model="claude-test",
                 valid=False, errors=["rows have different numbers of cells [2, 3]"])
    store_hand_made(db, [good, bad])
    root = page_of(write_report(db, tmp_path / "r.html").path)
    by_validity = {a.get("class"): a for a in root.iter("article")}
    invalid = by_validity["invalid"]
    assert [li.text for li in by_class(invalid, "errors")[0]] == bad.errors
    assert by_class(invalid, "no-data") and by_class(invalid, "badge")[0].text == "invalid"
    meta = {dt.text: dd.text for dt, dd in zip(*(by_validity["valid"].iter(t) for t in ("dt", "dd")))}
    assert meta["model"] == "claude-test"
    assert "1,200 input" in meta["model usage"] and "900 visual" in meta["model usage"]
    assert "$0.0042" in meta["model usage"]
    assert "model usage" not in {dt.text for dt in invalid.iter("dt")}  # that figure's columns are NULL


def test_text_from_documents_cannot_inject_markup(tmp_path):
    db = str(tmp_path / "f.duckdb")
    figure = Figure(file="scan.png", doc_id="d" * 64, page=1, kind="table", backend="anthropic", model=HOSTILE,
                    table={"rows": [[HOSTILE, "b"], ["1", "2"]], "header_rows": 1, "title": HOSTILE},
                    errors=[HOSTILE])
    store_hand_made(db, [figure], file=f"{HOSTILE}.png")
    path = write_report(db, tmp_path / "r.html").path
    text = path.read_text()
    root = page_of(path)  # still well-formed: nothing broke out of its element
    assert "<script" not in text.lower() and not list(root.iter("script"))
    assert not [a for e in root.iter() for a in e.attrib if a.lower().startswith("on")]
    assert [e for e in root.iter("img")] == []  # the hostile <img> stayed text (the png is not on disk)
    assert sum(HOSTILE in (e.text or "") for e in root.iter()) >= 4


def test_cli_show_writes_the_report_and_says_where(tmp_path, sample_pdf):
    db = extracted(tmp_path, sample_pdf)
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["show", "--db", db, "--out", str(out), "--limit", "3"])
    assert result.exit_code == 0, result.output
    total = run_query(db, "SELECT count(*) FROM figures")[1][0][0]
    assert result.stdout.startswith(f"{out}: 3 of {total} figures, 0 failures") and out.exists()
    typo = CliRunner().invoke(app, ["show", "--db", db, "--figure", "nosuchid", "--out", str(out)])
    assert typo.exit_code == 2 and "no figure or failure matches" in typo.stderr


def test_a_chart_of_extreme_values_is_drawn_and_does_not_stop_the_report(tmp_path):
    db = str(tmp_path / "f.duckdb")
    extreme = Figure(file="scan.png", doc_id="d" * 64, page=1, kind="chart", backend="anthropic", model="claude-test",
                     chart={"chart_type": "line", "series": [{"name": "s", "points": [{"x": 1, "y": -1e308},
                                                                                      {"x": 2, "y": 1e308}]}]})
    store_hand_made(db, [extreme])
    [article] = page_of(write_report(db, tmp_path / "r.html").path).iter("article")
    assert len([e for e in article.iter() if "data-point" in e.attrib]) == 2
