"""The DuckDB tables mirror the models: every field a user could query has a column."""

import duckdb

from schemas import Document, Failure, Figure, Page
from schemas.ddl import DDL


def columns(table: str) -> set[str]:
    connection = duckdb.connect()
    connection.execute(DDL[table])
    return {row[0] for row in connection.execute(f"DESCRIBE {table}").fetchall()}


def test_every_model_field_has_a_column():
    assert set(Figure.model_fields) - {"table", "chart"} <= columns("figures")
    assert {"payload", "title", "figure_id"} <= columns("figures")
    assert set(Failure.model_fields) <= columns("failures")
    assert set(Document.model_fields) <= columns("documents")
    assert set(Page.model_fields) - {"size"} | {"width", "height"} <= columns("pages")


def test_contract_tables_and_columns():
    assert set(DDL) == {"documents", "pages", "figures", "table_cells", "chart_points", "runs", "failures"}
    assert columns("table_cells") == {"figure_id", "row", "col", "text", "value", "is_header"}
    assert columns("chart_points") == {"figure_id", "series", "x", "x_value", "y"}
