"""A scripted Messages API on 127.0.0.1 for the real SDK, the environment that points the backend at it, and the
pages the tests read (drawn here, so no test depends on a downloaded file)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pymupdf
import pytest

from messages_api_server import MessagesServer


@pytest.fixture
def api_key() -> str:
    """A fresh fake key per test, so a test can look for it wherever it must not appear."""
    return f"sk-ant-test-{secrets.token_hex(12)}"


@pytest.fixture
def messages_api(monkeypatch, api_key):
    """The server, with ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY pointing the SDK at it; fast timeouts, and
    retries that honour the server's ``retry-after-ms`` (the real API sends ``retry-after``)."""
    server = MessagesServer().start()
    monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", api_key)
    monkeypatch.setenv("FIGTAB_ANTHROPIC_TIMEOUT", "5")
    monkeypatch.setenv("FIGTAB_ANTHROPIC_MAX_RETRIES", "2")
    for variable in ("FIGTAB_ANTHROPIC_MODEL", "FIGTAB_ANTHROPIC_MAX_TOKENS", "FIGTAB_ANTHROPIC_MAX_IN_FLIGHT",
                     "FIGTAB_PALIGEMMA_MODEL"):
        monkeypatch.delenv(variable, raising=False)
    yield server
    server.stop()


def bar_chart_page(page, left: float, top: float, width: float, height: float) -> None:
    """Four bars with an axis and labels drawn as vector graphics in the given box (points)."""
    page.draw_line((left, top + height), (left + width, top + height))
    page.draw_line((left, top), (left, top + height))
    for index, value in enumerate((140, 155, 171, 120)):
        bar_h = (height - 20) * value / 180
        x0 = left + 15 + index * (width - 20) / 4
        bar = pymupdf.Rect(x0, top + height - bar_h, x0 + (width - 20) / 6, top + height)
        page.draw_rect(bar, fill=(0.2, 0.4, 0.8))
        page.insert_text((x0, top + height + 12), str(2021 + index), fontsize=8)


@pytest.fixture
def chart_png(tmp_path) -> Path:
    """A raster bar chart, 1200 x 800 px: what a screenshot or a scanned chart looks like to figtab."""
    doc = pymupdf.open()
    page = doc.new_page(width=600, height=400)
    bar_chart_page(page, 40, 30, 520, 320)
    path = tmp_path / "chart.png"
    page.get_pixmap(dpi=144).save(path)
    return path


@pytest.fixture
def letter_pdf(tmp_path) -> Path:
    """A born-digital US Letter page with a heading, prose and a chart: read whole, it needs tiles."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 72), "Annual report: units sold per year", fontsize=14)
    page.insert_textbox(pymupdf.Rect(72, 90, 540, 200), "Sales grew in every year but the last. " * 8, fontsize=10)
    bar_chart_page(page, 72, 420, 460, 300)
    path = tmp_path / "letter.pdf"
    doc.save(path)
    return path


@pytest.fixture
def page_with_raster_chart(tmp_path, chart_png) -> tuple[Path, pymupdf.Rect]:
    """A text page with the raster chart placed in the lower half: `auto` sends just that image region."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 72), "Quarterly report", fontsize=14)
    page.insert_textbox(pymupdf.Rect(72, 90, 540, 200), "The chart below shows units sold. " * 6, fontsize=10)
    where = pymupdf.Rect(100, 380, 520, 660)
    page.insert_image(where, filename=str(chart_png))
    path = tmp_path / "report.pdf"
    doc.save(path)
    return path, where
