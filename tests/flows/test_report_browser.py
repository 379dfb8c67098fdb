"""The report as a real headless Chromium renders it: one drawing per figure, one mark per stored point, the right
number of table cells, decoded source images, and a re-drawing with a note where the document has moved.

Chromium is Debian's ``chromium`` (``make test`` installs it). The test drives it over the DevTools protocol on
loopback: it loads the page, asks the rendered DOM what it holds, and takes a screenshot.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pymupdf
import pytest
from websockets.sync.client import connect

import figtab
from figtab.flows.report import write_report
from figtab.flows.store import run_query

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--remote-debugging-port=0", "--window-size=1280,900"]

# Asked of the rendered page: per article, its drawings, marks inside them, table cells, decoded images, notes.
INSPECT = """JSON.stringify({
  scripts: document.querySelectorAll('script').length,
  articles: [...document.querySelectorAll('article')].map(a => ({
    id: a.dataset.figureId,
    charts: [...a.querySelectorAll('svg.chart')].map(svg => {
      const box = svg.getBoundingClientRect();
      const marks = [...svg.querySelectorAll('[data-point]')].map(m => m.getBoundingClientRect());
      return {marks: marks.length, width: box.width, height: box.height,
              left: box.left + window.scrollX, top: box.top + window.scrollY,
              inside: marks.filter(m => m.left >= box.left - 1 && m.right <= box.right + 1 &&
                                        m.top >= box.top - 1 && m.bottom <= box.bottom + 1).length};
    }),
    tables: [...a.querySelectorAll('table.data')].map(t => t.querySelectorAll('td, th').length),
    images: [...a.querySelectorAll('.source img')].map(img => img.complete ? img.naturalWidth : 0),
    notes: [...a.querySelectorAll('.source-note')].map(n => n.textContent),
  })),
})"""


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("Debian's chromium is missing: `make test` installs it "
                    "(apt-get install --no-install-recommends chromium)")
    return path


class Browser:
    """A headless Chromium and one DevTools connection to its page, on 127.0.0.1."""

    def __init__(self, profile: Path) -> None:
        self.process = subprocess.Popen([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                pytest.fail("chromium did not start its DevTools endpoint within 60 s")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            page = next(target for target in json.load(response) if target["type"] == "page")
        self.socket = connect(page["webSocketDebuggerUrl"], max_size=None, open_timeout=10)
        self.next_id = 0

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("id") == self.next_id:
                assert "error" not in message, message
                return message["result"]

    def open(self, url: str) -> None:
        self.call("Page.enable")
        self.call("Page.navigate", url=url)
        while json.loads(self.socket.recv(timeout=60)).get("method") != "Page.loadEventFired":
            pass

    def evaluate(self, expression: str) -> object:
        return json.loads(self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"]["value"])

    def screenshot(self, path: Path) -> None:
        size = self.call("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 6000), "scale": 1}
        data = self.call("Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        if hasattr(self, "socket"):
            self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def browser(tmp_path):
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    opened = Browser(profile)
    yield opened
    opened.close()


def test_chromium_renders_each_figure_redrawn_beside_its_source(tmp_path, sample_pdf, browser):
    moved = tmp_path / "moved.pdf"  # the same pages as other bytes, so a second document that then goes away
    with pymupdf.open(sample_pdf) as doc:
        doc.set_metadata({"title": "a copy that will move"})
        doc.save(moved)
    db = str(tmp_path / "f.duckdb")
    figtab.extract([str(sample_pdf), str(moved)], backend="native", db=db)
    moved.rename(tmp_path / "gone.pdf")
    report = write_report(db, tmp_path / "report.html").path

    browser.open(report.as_uri())
    page = browser.evaluate(INSPECT)
    browser.screenshot(tmp_path / "report.png")

    figures = {row[0]: row[1:] for row in run_query(db, "SELECT figure_id, kind, file, payload FROM figures")[1]}
    points = dict(run_query(db, "SELECT figure_id, count(*) FROM chart_points GROUP BY figure_id")[1])
    cells = dict(run_query(db, "SELECT figure_id, count(*) FROM table_cells GROUP BY figure_id")[1])
    assert page["scripts"] == 0
    assert sorted(a["id"] for a in page["articles"]) == sorted(figures)
    assert {kind for kind, _, _ in figures.values()} == {"chart", "table"}
    for article in page["articles"]:
        kind, file, payload = figures[article["id"]]
        if kind == "chart":
            assert article["tables"] == [] and len(article["charts"]) == 1
            chart = article["charts"][0]
            assert chart["marks"] == points[article["id"]] == chart["inside"] and chart["width"] > 100
        else:
            spans = json.loads(payload)["table"]["spans"]
            hidden = sum(span["row_span"] * span["col_span"] - 1 for span in spans)
            assert article["charts"] == [] and article["tables"] == [cells[article["id"]] - hidden]
        if file == str(moved):
            assert article["images"] == [] and "no longer at" in article["notes"][0]
        else:
            assert article["notes"] == [] and len(article["images"]) == 1 and article["images"][0] > 50

    screen = pymupdf.Pixmap(str(tmp_path / "report.png"))
    assert screen.width >= 1000
    for chart in [c for a in page["articles"] for c in a["charts"] if c["top"] + c["height"] < screen.height]:
        assert painted(screen, chart, FIRST_SERIES) > 20  # the re-drawing shows on screen, in its series colour


FIRST_SERIES = (0x4E, 0x79, 0xA7)


def painted(screen: pymupdf.Pixmap, box: dict, rgb: tuple[int, int, int]) -> int:
    """Screenshot pixels inside ``box`` (page CSS pixels) within a small distance of ``rgb``, every 2nd pixel."""
    xs = range(int(box["left"]), int(box["left"] + box["width"]), 2)
    ys = range(int(box["top"]), int(box["top"] + box["height"]), 2)
    return sum(all(abs(a - b) <= 6 for a, b in zip(screen.pixel(x, y), rgb)) for y in ys for x in xs)
