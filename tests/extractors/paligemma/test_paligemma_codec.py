"""The linearised answer format: every valid table and chart survives the round trip; any text decodes safely."""

from hypothesis import given, settings
from hypothesis import strategies as st

from figtab.extractors.paligemma import codec
from figtab.schemas import Chart, Table

cell_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
numbers = st.floats(allow_nan=False, allow_infinity=False, width=64)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    n_cols = draw(st.integers(1, 4))
    rows = draw(st.lists(st.lists(cell_text, min_size=n_cols, max_size=n_cols), min_size=1, max_size=4))
    rows[0][0] = draw(st.text(min_size=1, max_size=5).filter(str.strip))  # a table needs a non-empty cell
    if rows[-1] == [""]:  # an empty last row of a one-column table is a blank line the format does not keep
        rows[-1] = ["-"]
    return Table(rows=rows, title=draw(st.none() | cell_text.filter(bool)),
                 header_rows=draw(st.integers(0, len(rows))))


@st.composite
def charts(draw: st.DrawFn) -> Chart:
    labels = draw(st.booleans())
    xs = st.text(max_size=8) if labels else numbers
    names = draw(st.lists(cell_text, min_size=1, max_size=3, unique=True))
    series = [{"name": name, "points": [{"x": x, "y": y} for x, y in
                                        draw(st.lists(st.tuples(xs, numbers), min_size=1, max_size=5))]}
              for name in names]
    chart_type = draw(st.sampled_from(["bar", "line", "scatter", "area", "other"]))
    return Chart(chart_type=chart_type, title=draw(st.none() | cell_text.filter(bool)),
                 x_label=draw(st.none() | cell_text.filter(bool)), y_label=draw(st.none() | cell_text.filter(bool)),
                 series=series)


def decoded_figures(text: str) -> list[Table | Chart]:
    found = codec.decode(text)
    assert all(not block.errors for block in found), [block.errors for block in found]
    return [Table.model_validate(b.payload) if b.kind == "table" else Chart.model_validate(b.payload) for b in found]


def points_by_series(chart: Chart) -> list[tuple[str, list[tuple]]]:
    """Series with their points as a multiset: a point's order within a series follows the shared x rows.
    Adding 0.0 makes -0.0 (written "0") sort as the 0.0 it equals."""
    def point(p):
        return str(type(p.x)), p.x if isinstance(p.x, str) else p.x + 0.0, p.y + 0.0

    return [(s.name, sorted(map(point, s.points), key=repr)) for s in chart.series]


@settings(max_examples=100, deadline=None)
@given(tables())
def test_tables_round_trip_exactly(table):
    assert decoded_figures(codec.encode([table])) == [table]


@settings(max_examples=100, deadline=None)
@given(charts())
def test_charts_round_trip_with_their_labels_types_and_every_point(chart):
    (back,) = decoded_figures(codec.encode([chart]))
    assert back.model_dump(exclude={"series"}) == chart.model_dump(exclude={"series"})
    assert points_by_series(back) == points_by_series(chart)


def test_a_chart_whose_series_share_their_x_values_keeps_point_order_and_reads_as_rows():
    chart = Chart(chart_type="bar", title="Revenue", x_label="Quarter", series=[
        {"name": "North", "points": [{"x": "Q1", "y": 12}, {"x": "Q2", "y": 7.25}]},
        {"name": "South", "points": [{"x": "Q1", "y": 30.5}, {"x": "Q2", "y": 18}]}])
    text = codec.encode([chart])
    assert text == "#chart bar label | title=Revenue\nQuarter | North | South\nQ1 | 12 | 30.5\nQ2 | 7.25 | 18"
    assert decoded_figures(text) == [chart]


def test_several_figures_and_a_region_without_any():
    table = Table(rows=[["Region", "2023"], ["North", "12.5"]], header_rows=1,
                  spans=[{"row": 0, "col": 0, "row_span": 1, "col_span": 1}])
    chart = Chart(chart_type="pie", series=[{"name": "", "points": [{"x": "Coal", "y": 40}, {"x": "Gas", "y": 60}]}])
    assert decoded_figures(codec.encode([table, chart])) == [table, chart]
    assert codec.encode([]) == "#none" and codec.decode("#none\n") == []


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_decodes_without_raising(text):
    for block in codec.decode(text):
        assert block.kind in ("table", "chart")
        assert (block.payload is None) == bool(block.errors)


def test_garbage_comes_back_as_errors_that_say_what_is_wrong():
    (no_header,) = codec.decode("Q2 | 1=Revenue\nQ4 | 18")
    assert no_header.payload is None and "does not start with a #chart or #table header" in no_header.errors[0]
    (unknown,) = codec.decode("#picture of a cat")
    assert unknown.payload is None and "unknown block" in unknown.errors[0]
    (bad_number,) = codec.decode("#chart bar label\n | Sales\nQ1 | twelve")
    assert bad_number.kind == "chart" and "'twelve' is not a number" in bad_number.errors[0]
    (too_many,) = codec.decode("#chart line number\nx | a\n1 | 2 | 3")
    assert "row 2 has 2 values for 1 series" in too_many.errors[0]
    (bad_span,) = codec.decode("#table header=1 | span=0,0\na | b")
    assert bad_span.kind == "table" and "span" in bad_span.errors[0]
