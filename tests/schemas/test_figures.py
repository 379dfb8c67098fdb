import json
import math

import pytest
from pydantic import ValidationError

from figtab.schemas import BBox, Chart, Figure, Size, Table


def envelope(**payload):
    return {"file": "r.pdf", "doc_id": "ab" * 32, "page": 2, "backend": "native", **payload}


def test_table_must_be_rectangular_once_spans_are_expanded():
    with pytest.raises(ValidationError, match="different numbers of cells"):
        Table(rows=[["a", "b", "c"], ["d", "e"]])
    merged = Table(rows=[["Region", "2023", "2024"], ["Total", "9"]], spans=[{"row": 1, "col": 1, "col_span": 2}])
    assert merged.rows[1] == ["Total", "9", ""]


def test_table_rejects_empty_grids_and_spans_off_the_grid():
    for rows in ([], [[]], [["", " "], ["", ""]]):
        with pytest.raises(ValidationError):
            Table(rows=rows)
    with pytest.raises(ValidationError, match="runs off"):
        Table(rows=[["a", "b"]], spans=[{"row": 0, "col": 1, "col_span": 2}])
    with pytest.raises(ValidationError, match="header_rows"):
        Table(rows=[["a"]], header_rows=2)


@pytest.mark.parametrize("bad_y", [math.nan, math.inf, -math.inf])
def test_chart_values_are_finite(bad_y):
    with pytest.raises(ValidationError, match="finite"):
        Chart(chart_type="line", series=[{"name": "s", "points": [{"x": 1, "y": bad_y}]}])


def test_chart_rules():
    with pytest.raises(ValidationError):
        Chart(chart_type="bar", series=[{"name": "s", "points": []}])
    with pytest.raises(ValidationError, match="mix numbers and labels"):
        Chart(chart_type="bar", series=[{"name": "a", "points": [{"x": "Q1", "y": 1}]},
                                        {"name": "b", "points": [{"x": 2020, "y": 1}]}])
    with pytest.raises(ValidationError, match="non-negative"):
        Chart(chart_type="pie", series=[{"points": [{"x": "a", "y": 3}, {"x": "b", "y": -1}]}])
    assert Chart(chart_type="bar", series=[{"points": [{"x": "a", "y": -3}]}]).series[0].points[0].y == -3


def test_bbox_must_lie_on_the_page_when_the_page_size_is_known():
    data = envelope(kind="table", table={"rows": [["a"]]}, bbox=[10, 10, 700, 50])
    Figure.model_validate(data)  # no page size, no check
    with pytest.raises(ValidationError, match="outside the page"):
        Figure.model_validate(data, context={"page_size": Size(width=595, height=842)})
    with pytest.raises(ValidationError, match="out of order"):
        BBox.model_validate([50, 10, 10, 20])


def test_payload_must_match_kind():
    with pytest.raises(ValidationError, match="needs its 'chart' payload"):
        Figure.model_validate(envelope(kind="chart"))
    with pytest.raises(ValidationError, match="must not carry"):
        Figure.model_validate(envelope(kind="chart", chart={"chart_type": "pie", "series": [
            {"points": [{"x": "a", "y": 1}]}]}, table={"rows": [["a"]]}))
    invalid = Figure.model_validate(envelope(kind="chart", valid=False, errors=["model answered garbage"]))
    assert invalid.chart is None and not invalid.valid


def test_json_lines_contract_keys_and_round_trip():
    figure = Figure.model_validate(envelope(kind="table", bbox=[1, 2, 3, 4],
                                            table={"rows": [["Region", "2023"], ["North", "12.5"]],
                                                   "header_rows": 1}))
    line = json.loads(figure.model_dump_json())
    assert list(line)[:11] == ["file", "doc_id", "page", "kind", "bbox", "backend", "model", "valid", "errors",
                               "table", "chart"]
    assert line["bbox"] == [1, 2, 3, 4]
    assert Figure.model_validate_json(figure.model_dump_json()) == figure


def test_json_schema_describes_bbox_as_four_numbers():
    schema = Figure.model_json_schema()
    assert schema["$defs"]["BBox"]["type"] == "array"
    assert schema["$defs"]["BBox"]["minItems"] == schema["$defs"]["BBox"]["maxItems"] == 4
    assert set(schema["properties"]) >= {"file", "page", "kind", "table", "chart"}


def test_several_series_always_have_distinct_names():
    points = [{"x": "a", "y": 1}]
    chart = Chart(chart_type="line", series=[{"name": "", "points": points}, {"name": "Web", "points": points},
                                             {"name": "Web", "points": points}, {"name": " ", "points": points}])
    assert [s.name for s in chart.series] == ["Series 1", "Web", "Web (2)", "Series 4"]
    assert Chart(chart_type="pie", series=[{"points": points}]).series[0].name == ""
