"""The DuckDB tables users query, mirroring the Pydantic models (a test checks every model field has a column).

Table and column names are a public contract: rename nothing without a migration and a changelog line.
"""

from __future__ import annotations

DDL: dict[str, str] = {
    "documents": """
        CREATE TABLE IF NOT EXISTS documents (
            doc_id     VARCHAR PRIMARY KEY,   -- sha256 of the file's bytes
            file       VARCHAR NOT NULL,      -- path as first given
            format     VARCHAR NOT NULL,      -- pdf | png | jpeg | tiff
            n_bytes    BIGINT NOT NULL,
            n_pages    INTEGER NOT NULL,
            first_seen TIMESTAMPTZ NOT NULL
        )""",
    "pages": """
        CREATE TABLE IF NOT EXISTS pages (
            doc_id   VARCHAR NOT NULL,
            page     INTEGER NOT NULL,        -- 1-based
            width    DOUBLE NOT NULL,         -- PDF points, after rotation and crop box
            height   DOUBLE NOT NULL,
            rotation INTEGER NOT NULL,
            has_text BOOLEAN NOT NULL,
            PRIMARY KEY (doc_id, page)
        )""",
    "figures": """
        CREATE TABLE IF NOT EXISTS figures (
            figure_id VARCHAR PRIMARY KEY,    -- stable: same bytes, page, backend, model and order -> same id
            doc_id    VARCHAR NOT NULL,
            file      VARCHAR NOT NULL,
            page      INTEGER NOT NULL,
            kind      VARCHAR NOT NULL,       -- table | chart
            backend   VARCHAR NOT NULL,
            model     VARCHAR,
            valid     BOOLEAN NOT NULL,
            errors    VARCHAR[] NOT NULL,
            title     VARCHAR,
            bbox      DOUBLE[4],              -- [x0, y0, x1, y1] in PDF points, origin top-left
            payload   JSON NOT NULL,          -- the Figure as printed by --format jsonl
            run_id    VARCHAR NOT NULL,
            input_tokens       INTEGER,       -- model backends only: what reading the figure cost
            output_tokens      INTEGER,
            cache_read_tokens  INTEGER,
            cache_write_tokens INTEGER,
            visual_tokens      INTEGER,       -- image tokens the model saw
            cost_usd           DOUBLE         -- estimated from the model's list price
        )""",
    "table_cells": """
        CREATE TABLE IF NOT EXISTS table_cells (
            figure_id VARCHAR NOT NULL,
            row       INTEGER NOT NULL,       -- 0-based
            col       INTEGER NOT NULL,
            text      VARCHAR NOT NULL,
            value     DOUBLE,                 -- the number in text, when there is one
            is_header BOOLEAN NOT NULL
        )""",
    "chart_points": """
        CREATE TABLE IF NOT EXISTS chart_points (
            figure_id VARCHAR NOT NULL,
            series    VARCHAR NOT NULL,
            x         VARCHAR NOT NULL,       -- the label as read
            x_value   DOUBLE,                 -- x as a number, when it is one
            y         DOUBLE NOT NULL
        )""",
    "runs": """
        CREATE TABLE IF NOT EXISTS runs (
            run_id      VARCHAR PRIMARY KEY,
            started_at  TIMESTAMPTZ NOT NULL,
            finished_at TIMESTAMPTZ,
            backend     VARCHAR NOT NULL,
            model       VARCHAR,
            n_files     INTEGER NOT NULL DEFAULT 0,
            n_figures   INTEGER NOT NULL DEFAULT 0,
            n_failures  INTEGER NOT NULL DEFAULT 0,
            input_tokens       BIGINT DEFAULT 0,   -- summed over the run's model requests
            output_tokens      BIGINT DEFAULT 0,
            cache_read_tokens  BIGINT DEFAULT 0,
            cache_write_tokens BIGINT DEFAULT 0,
            visual_tokens      BIGINT DEFAULT 0,
            cost_usd           DOUBLE
        )""",
    "failures": """
        CREATE TABLE IF NOT EXISTS failures (
            run_id  VARCHAR NOT NULL,
            file    VARCHAR NOT NULL,
            doc_id  VARCHAR,
            page    INTEGER,
            stage   VARCHAR NOT NULL,          -- open | extract | store | ...
            error   VARCHAR NOT NULL,          -- error class name
            message VARCHAR NOT NULL,
            failed_at TIMESTAMPTZ NOT NULL
        )""",
    "drop_files": """
        CREATE TABLE IF NOT EXISTS drop_files (
            doc_id   VARCHAR NOT NULL,        -- sha256 of the bytes read
            backend  VARCHAR NOT NULL,        -- as requested (auto, native, ...)
            model    VARCHAR NOT NULL,        -- '' when the backend has no model
            file     VARCHAR NOT NULL,        -- path it was read from
            n_bytes  BIGINT NOT NULL,
            mtime_ns BIGINT NOT NULL,
            status   VARCHAR NOT NULL,        -- stored | failed (see failures; `serve --retry-failed` redoes it)
            run_id   VARCHAR NOT NULL,
            done_at  TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (doc_id, backend, model)
        )""",
}

# Columns added after a table was first published; databases made by an older figtab get them on open.
ADDED_COLUMNS: dict[str, list[str]] = {
    "figures": ["input_tokens INTEGER", "output_tokens INTEGER", "cache_read_tokens INTEGER",
                "cache_write_tokens INTEGER", "visual_tokens INTEGER", "cost_usd DOUBLE"],
    "runs": ["input_tokens BIGINT DEFAULT 0", "output_tokens BIGINT DEFAULT 0",
             "cache_read_tokens BIGINT DEFAULT 0", "cache_write_tokens BIGINT DEFAULT 0",
             "visual_tokens BIGINT DEFAULT 0", "cost_usd DOUBLE"],
}
MIGRATIONS = [f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column}"
              for table, columns in ADDED_COLUMNS.items() for column in columns]
