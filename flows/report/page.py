"""The report as one self-contained HTML page: index, failures, each figure's source beside its re-drawing, runs.

Self-contained means it opens offline and fetches nothing: images are ``data:`` URIs, drawings inline SVG, the
style inline. It holds no script, and its Content-Security-Policy forbids any, so a hostile cell text that slipped
past escaping still could not run.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from itertools import groupby

from figtab.flows.report.charts import chart_svg, count_points
from figtab.flows.report.crops import Crop
from figtab.flows.report.markup import esc, shorten, tag, void
from figtab.flows.report.model import Report, ReportFigure, RunRow
from figtab.flows.report.tables import count_cells, table_html
from figtab.schemas import Usage
from figtab.schemas.figures import USAGE_COUNTS

_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; color: #1f2328; margin: 0 auto; max-width: 1240px; padding: 0 20px 40px; }
h1 { font-size: 22px; margin: 20px 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; }
h3 { font-size: 15px; margin: 0 0 10px; }
a { color: #0b5cad; } code { font-size: 12px; color: #57606a; }
.summary, .limit { color: #57606a; margin: 0 0 6px; } .limit { color: #9a6700; }
nav ul { margin: 4px 0; padding-left: 20px; } nav li { margin: 2px 0; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; padding: 0 6px; border-radius: 8px;
         vertical-align: 1px; } .badge.valid { background: #dafbe1; color: #116329; }
.badge.invalid { background: #ffebe9; color: #a40e26; }
article { border: 1px solid #d0d7de; border-left: 5px solid #2da44e; border-radius: 6px; padding: 14px 16px;
          margin: 18px 0; }
article.invalid { border-color: #cf222e; border-left-width: 8px; background: #fff8f8; }
.panes { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; }
.panes > figure { margin: 0; flex: 1 1 460px; max-width: 580px; overflow-x: auto; }
figcaption { color: #57606a; font-size: 12px; margin-top: 4px; }
.source img { max-width: 100%; height: auto; border: 1px solid #d0d7de; }
.source-note, .no-data { background: #fff8c5; border: 1px solid #d4a72c; padding: 8px 10px; border-radius: 4px;
                         margin: 0; }
svg.chart { max-width: 100%; height: auto; background: #fff; border: 1px solid #eaeef2; }
svg.chart text { font: 11px system-ui, sans-serif; fill: #1f2328; }
svg.chart .title { font-size: 13px; font-weight: 600; } svg.chart .axis-label { font-size: 12px; fill: #57606a; }
svg.chart .axis { stroke: #57606a; } svg.chart .tick { stroke: #57606a; } svg.chart .grid { stroke: #eaeef2; }
svg.chart .pie .mark { stroke: #fff; stroke-width: 1; }
table.data, table.list { border-collapse: collapse; font-size: 13px; }
table.data td, table.data th, table.list td, table.list th { border: 1px solid #d0d7de; padding: 3px 7px;
                                                              vertical-align: top; text-align: left; }
table.data th, table.list th { background: #f6f8fa; } table.data td.num { text-align: right; }
table.data caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: 4px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 12px 0 0; font-size: 13px; }
dl.meta dt { color: #57606a; } dl.meta dd { margin: 0; }
ul.errors { color: #a40e26; background: #ffebe9; border-radius: 4px; padding: 8px 8px 8px 28px; margin: 10px 0 0; }
"""


def render_page(report: Report, crops: dict[str, Crop]) -> str:
    """The whole HTML document for ``report``; ``crops`` maps figure ids to their rendered sources."""
    head = tag("head", void("meta", charset="utf-8"), void("meta", http_equiv="Content-Security-Policy",
                                                            content=_POLICY),
               void("meta", name="viewport", content="width=device-width, initial-scale=1"),
               tag("title", esc(f"figtab report: {report.db}")), tag("style", _STYLE))
    body = tag("body", _header(report), _index(report), _failures(report),
               tag("main", *(_figure(item, crops.get(item.figure_id)) for item in report.figures)), _runs(report.runs))
    return "<!DOCTYPE html>\n" + tag("html", head, body, lang="en") + "\n"


def _header(report: Report) -> str:
    invalid = sum(not item.figure.valid for item in report.figures)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    facts = [f"{len(report.figures):,} figure{'s' * (len(report.figures) != 1)}",
             f"{invalid:,} invalid", f"{report.total_failures:,} failure{'s' * (report.total_failures != 1)}",
             f"database {report.db}", f"written {stamp}"]
    parts = [tag("h1", "figtab report"), tag("p", esc(" · ".join(facts)), class_="summary")]
    if report.total_figures > len(report.figures):
        parts.append(tag("p", esc(f"Showing the first {len(report.figures):,} of {report.total_figures:,} figures "
                                  f"(--limit {report.selection.limit}); narrow with --file, --doc or --run, or "
                                  "raise --limit."), class_="limit"))
    return tag("header", *parts)


def _index(report: Report) -> str:
    if not report.figures:
        return tag("nav", tag("h2", "Documents and figures"), tag("p", "No figures match.", class_="no-data"),
                   id="index")
    documents = []
    for (file, doc_id), group in groupby(report.figures, key=lambda item: (item.figure.file, item.figure.doc_id)):
        items = list(group)
        links = [tag("li", tag("a", esc(_figure_label(item)), href=f"#fig-{item.figure_id}"), " ",
                     _badge(item.figure.valid)) for item in items]
        documents.append(tag("li", tag("strong", esc(file)), " ", tag("code", esc(doc_id[:12])),
                             esc(f" · {len(items)} figure{'s' * (len(items) != 1)}"), tag("ul", *links)))
    return tag("nav", tag("h2", "Documents and figures"), tag("ul", *documents), id="index")


def _figure_label(item: ReportFigure) -> str:
    figure = item.figure
    kind = figure.chart.chart_type + " chart" if figure.chart is not None else figure.kind
    title = f": {shorten(figure.title, 80)}" if figure.title else ""
    return f"page {figure.page}, {kind}{title}"


def _badge(valid: bool) -> str:
    return tag("span", "valid" if valid else "invalid", class_=f"badge {'valid' if valid else 'invalid'}")


def _figure(item: ReportFigure, crop: Crop | None) -> str:
    figure = item.figure
    heading = tag("h3", esc(f"{figure.file} · {_figure_label(item)}"), " ", _badge(figure.valid))
    panes = tag("div", _source(item, crop), _redrawn(item), class_="panes")
    errors = tag("ul", *(tag("li", esc(error)) for error in figure.errors), class_="errors") if figure.errors else ""
    return tag("article", heading, panes, errors, _meta(item), id=f"fig-{item.figure_id}",
               class_="valid" if figure.valid else "invalid", data_figure_id=item.figure_id, data_kind=figure.kind)


def _source(item: ReportFigure, crop: Crop | None) -> str:
    where = f"Source: page {item.figure.page}"
    if crop is None:
        body = tag("p", "The source was not rendered for this report.", class_="source-note")
    elif crop.data_uri is None:
        body = tag("p", esc(crop.note or "No source image."), class_="source-note")
    else:
        body = void("img", src=crop.data_uri, width=crop.width, height=crop.height, alt=where, decoding="async")
    return tag("figure", body, tag("figcaption", esc(where)), class_="source")


def _redrawn(item: ReportFigure) -> str:
    """The figure drawn again from its stored data; one that cannot be drawn is a note on that figure, never a
    report that fails."""
    try:
        return _redrawing(item)
    except (ArithmeticError, ValueError) as exc:
        return tag("figure", tag("p", esc(f"Could not re-draw the stored {item.figure.kind}: {exc}"),
                                 class_="no-data"), class_="redrawn")


def _redrawing(item: ReportFigure) -> str:
    figure = item.figure
    if figure.chart is not None:
        chart = figure.chart
        note = " (type 'other': drawn as points)" if chart.chart_type == "other" else ""
        caption = (f"Re-drawn from {count_points(chart):,} stored points in {len(chart.series)} "
                   f"series{note}")
        return tag("figure", chart_svg(chart), tag("figcaption", esc(caption)), class_="redrawn")
    if figure.table is not None:
        table = figure.table
        caption = (f"Re-drawn from {len(table.rows)} x {table.n_cols} stored cells, {table.header_rows} header "
                   f"row{'s' * (table.header_rows != 1)}, {len(table.spans)} merged")
        return tag("figure", table_html(table), tag("figcaption", esc(caption)), class_="redrawn",
                   data_cells=count_cells(table))
    return tag("figure", tag("p", esc(f"Nothing to re-draw: no {figure.kind} data was stored."), class_="no-data"),
               class_="redrawn")


def _meta(item: ReportFigure) -> str:
    figure = item.figure
    rows: list[tuple[str, str]] = [("backend", figure.backend), ("model", figure.model or "none")]
    if item.usage is not None:
        rows.append(("model usage", _usage_text(item.usage)))
    if figure.bbox is not None:
        rows.append(("bbox (pt)", ", ".join(f"{v:.1f}" for v in figure.bbox.as_list())))
    rows += [("figure id", item.figure_id), ("run", item.run_id)]
    return tag("dl", *(tag("dt", esc(name)) + tag("dd", esc(value)) for name, value in rows), class_="meta")


def _usage_text(usage: Usage) -> str:
    counts = [f"{getattr(usage, name):,} {name.removesuffix('_tokens').replace('_', ' ')}" for name in USAGE_COUNTS]
    cost = f"${usage.cost_usd:.4f}" if usage.cost_usd is not None else "cost unknown"
    return " · ".join(counts) + f" tokens · {cost}"


def _failures(report: Report) -> str:
    heading = tag("h2", esc(f"Failures ({report.total_failures:,})"))
    if not report.failures:
        return tag("section", heading, tag("p", "None: every page selected was read.", class_="summary"),
                   id="failures")
    rows = [[failure.file, "" if failure.page is None else str(failure.page), failure.stage, failure.error,
             failure.message] for failure in report.failures]
    more = (tag("p", esc(f"Showing {len(report.failures):,} of {report.total_failures:,}."), class_="limit")
            if report.total_failures > len(report.failures) else "")
    return tag("section", heading, _list_table(["file", "page", "stage", "error", "reason"], rows), more,
               id="failures")


def _runs(runs: list[RunRow]) -> str:
    if not runs:
        return ""
    rows = [[run.run_id, run.started_at.strftime("%Y-%m-%d %H:%M:%S"), run.backend, run.model or "",
             str(run.n_files), str(run.n_figures), str(run.n_failures), _usage_text(run.usage) if run.usage else ""]
            for run in runs]
    return tag("section", tag("h2", "Runs"), _list_table(
        ["run", "started", "backend", "model", "files", "figures", "failures", "model usage"], rows), id="runs")


def _list_table(columns: list[str], rows: Iterable[list[str]]) -> str:
    header = tag("tr", *(tag("th", esc(column)) for column in columns))
    body = (tag("tr", *(tag("td", esc(cell)) for cell in row)) for row in rows)
    return tag("table", tag("thead", header), tag("tbody", body), class_="list")
