"""The DuckDB tables mirror the models: every field a user could query has a column."""

import duckdb

from figtab.schemas import Document, Failure, Figure, Page, Usage
from figtab.schemas.ddl import DDL


def columns(table: str) -> set[str]:
    connection = duckdb.connect()
    connection.execute(DDL[table])
    return {row[0] for row in connection.execute(f"DESCRIBE {table}").fetchall()}


def test_every_model_field_has_a_column():
    assert set(Figure.model_fields) - {"table", "chart", "usage"} | set(Usage.model_fields) <= columns("figures")
    assert set(Usage.model_fields) <= columns("runs")
    assert {"payload", "title", "figure_id"} <= columns("figures")
    assert set(Failure.model_fields) <= columns("failures")
    assert set(Document.model_fields) <= columns("documents")
    assert set(Page.model_fields) - {"size"} | {"width", "height"} <= columns("pages")


def test_contract_tables_and_columns():
    assert set(DDL) == {"documents", "pages", "figures", "table_cells", "chart_points", "runs", "failures",
                        "drop_files"}
    assert columns("table_cells") == {"figure_id", "row", "col", "text", "value", "is_header"}
    assert columns("chart_points") == {"figure_id", "series", "x", "x_value", "y"}


def test_an_older_database_gains_the_added_columns(tmp_path):
    from figtab.flows.store import Store

    db = str(tmp_path / "old.duckdb")
    connection = duckdb.connect(db)
    connection.execute("CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, started_at TIMESTAMPTZ NOT NULL, "
                       "finished_at TIMESTAMPTZ, backend VARCHAR NOT NULL, model VARCHAR, n_files INTEGER NOT NULL "
                       "DEFAULT 0, n_figures INTEGER NOT NULL DEFAULT 0, n_failures INTEGER NOT NULL DEFAULT 0)")
    connection.close()
    with Store(db) as store:
        store.finish_run(store.start_run("native", None), 1, 0, 0)
        names = {row[0] for row in store.connection.execute("DESCRIBE runs").fetchall()}
    assert set(Usage.model_fields) <= names
