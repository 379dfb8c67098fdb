"""The drop folder's record of what it has done: one `drop_files` row per (content, backend, model).

`figtab serve` writes a row in the same transaction as the document it stored (`Store.save(..., also=...)`), so
after a crash a document is either stored and recorded or neither: the next run redoes exactly the files that
were not committed. The row also remembers the path, size and mtime it was read from, so an unchanged file is
recognised without hashing it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import duckdb

from figtab.schemas import Failure
from figtab.schemas.ddl import DDL


@dataclass(frozen=True)
class Done:
    """What the ledger knows for one backend and model: finished contents, and the paths it read them from."""

    doc_ids: frozenset[str] = frozenset()
    failed: frozenset[str] = frozenset()  # those of doc_ids whose reading failed
    by_path: dict[tuple[str, int, int], str] = field(default_factory=dict)  # (file, n_bytes, mtime_ns) -> doc_id

    def known(self, file: str, n_bytes: int, mtime_ns: int) -> str | None:
        """The doc_id of a file read before with this very size and mtime, without hashing it again."""
        return self.by_path.get((file, n_bytes, mtime_ns))


def done(connection: duckdb.DuckDBPyConnection, backend: str, model: str | None) -> Done:
    """The contents already finished (stored or failed) for ``backend`` and ``model``."""
    exists = connection.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'drop_files'").fetchone()
    if not exists or not exists[0]:
        return Done()
    rows = connection.execute("SELECT doc_id, file, n_bytes, mtime_ns, status FROM drop_files "
                              "WHERE backend = ? AND model = ?", [backend, model or ""]).fetchall()
    return Done(frozenset(row[0] for row in rows), frozenset(row[0] for row in rows if row[4] == "failed"),
                {(file, n, mtime): doc_id for doc_id, file, n, mtime, _ in rows})


# Errors that reading the same file again with the same setup would repeat: a bad input, a bad option, a backend
# without its configuration or key, an answer that is not valid. Anything else (a timeout, HTTP 5xx/529, a lost
# connection or worker, a locked database, a bug) may pass, so such a file is not recorded and is read again.
PERMANENT_ERRORS = frozenset({"InputError", "UsageError", "BackendNotConfigured", "KeyRejected", "ValidationError"})


# Reads of one content that may end in a transient failure before it is recorded as failed: an overloaded API
# passes within a few runs, while a failure that never passes (a bug on one file) would be paid for on every run.
MAX_TRANSIENT_ATTEMPTS = 3


def status(failures: list[Failure], earlier_failed_runs: int = 0) -> str | None:
    """``'stored'`` with no failures, ``'failed'`` when every failure is permanent or this was the last of
    `MAX_TRANSIENT_ATTEMPTS` failing reads, else None: a transient failure, not recorded, so the next run reads
    the file again (its `failures` rows are kept all the same)."""
    if not failures:
        return "stored"
    permanent = all(failure.error in PERMANENT_ERRORS for failure in failures)
    return "failed" if permanent or earlier_failed_runs + 1 >= MAX_TRANSIENT_ATTEMPTS else None


def failed_runs(connection: duckdb.DuckDBPyConnection, doc_id: str, file: str, backend: str,
                model: str | None) -> int:
    """How many earlier runs of ``backend`` and ``model`` wrote `failures` rows for this content (or for its file,
    where a failure came before its bytes were read)."""
    row = connection.execute(
        "SELECT count(DISTINCT f.run_id) FROM failures f JOIN runs r ON r.run_id = f.run_id "
        "WHERE (f.doc_id = ? OR (f.doc_id IS NULL AND f.file = ?)) AND r.backend = ? AND coalesce(r.model, '') = ?",
        [doc_id, file, backend, model or ""]).fetchall()
    return row[0][0]


def create(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(DDL["drop_files"])


def record(connection: duckdb.DuckDBPyConnection, doc_id: str, backend: str, model: str | None, file: str,
           n_bytes: int, mtime_ns: int, failed: bool, run_id: str) -> None:
    """Mark one content finished; called inside the transaction that stores its document (after `create`)."""
    connection.execute("INSERT OR REPLACE INTO drop_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [doc_id, backend, model or "", file, n_bytes, mtime_ns, "failed" if failed else "stored",
                        run_id, datetime.now(timezone.utc)])


def forget_failed(connection: duckdb.DuckDBPyConnection, backend: str, model: str | None) -> int:
    """Let the next run redo the files that failed for ``backend`` and ``model``; returns how many."""
    create(connection)
    row = connection.execute("DELETE FROM drop_files WHERE backend = ? AND model = ? AND status = 'failed' "
                             "RETURNING doc_id", [backend, model or ""]).fetchall()
    return len(row)
