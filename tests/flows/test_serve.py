"""`figtab serve` on a real Prefect server: files dropped in are stored once, bad ones become failures, a run
killed mid-load leaves whole documents only and the next run finishes the rest, each file exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pymupdf
import pytest

from figtab.flows.runner import extract_files
from figtab.flows.store import run_query
from figtab.schemas import StoreError

pytestmark = pytest.mark.slow

WAIT = 300  # seconds; a bound for a shared, loaded 2-core machine, never a timing assertion


def distinct_copies(source: Path, folder: Path, n: int) -> list[Path]:
    """``n`` copies of ``source`` with different bytes (a title each), backdated so they count as settled."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for i in range(n):
        path = folder / f"report-{i:02d}.pdf"
        with pymupdf.open(source) as doc:
            doc.set_metadata({"title": f"report {i}"})
            doc.save(path)
        then = time.time() - 60
        os.utime(path, (then, then))
        copies.append(path)
    return copies


def rows(db: Path, sql: str) -> list[tuple]:
    """Rows of ``sql``, waiting while a writer holds the database."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return run_query(str(db), sql).rows
        except StoreError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited, only its parent has not collected it yet


def processes_with(variable: str) -> list[int]:
    """Live processes whose environment holds ``variable`` (``NAME=value``): all that a command started inherit it."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and variable.encode() in (entry / "environ").read_bytes().split(b"\0") \
                    and alive(int(entry.name)):
                found.append(int(entry.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(30)


def test_serve_stores_dropped_files_and_records_the_corrupt_one(tmp_path, sample_pdf, bad_inputs):
    """No PREFECT_API_URL: serve starts its own Prefect server, serves, and Ctrl-C stops all of it."""
    inbox, db, home = tmp_path / "inbox", tmp_path / "drop.duckdb", tmp_path / "figtab-home"
    inbox.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(FIGTAB_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_HOME=str(tmp_path / "ph"))
    serve = subprocess.Popen([sys.executable, "-m", "figtab", "serve", str(inbox), "--every", "30", "--db", str(db),
                              "--backend", "native"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    server_pid = None
    try:
        pid_file = home / "prefect" / "server.pid"
        deadline = time.monotonic() + WAIT
        while not pid_file.exists() and serve.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        server_pid = int(pid_file.read_text())
        distinct_copies(sample_pdf, inbox, 2)
        (inbox / "scan.pdf").write_bytes(bad_inputs["corrupt"].read_bytes())
        while time.monotonic() < deadline and serve.poll() is None:
            if db.exists() and rows(db, "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM failures)") \
                    == [(2, 1)]:
                break
            time.sleep(2)
        assert rows(db, "SELECT count(*) FROM documents") == [(2,)]
        assert rows(db, "SELECT file, stage FROM failures") == [(str(inbox / "scan.pdf"), "open")]
        assert rows(db, "SELECT status, count(*) FROM drop_files GROUP BY ALL ORDER BY ALL") == [("failed", 1),
                                                                                               ("stored", 2)]
        assert sorted(p.name for p in inbox.iterdir()) == ["report-00.pdf", "report-01.pdf", "scan.pdf"]
        serve.send_signal(signal.SIGINT)
        output = serve.communicate(timeout=120)[0].decode()
        assert serve.returncode == 0, output[-3000:]
        assert "Prefect UI: http://127.0.0.1:" in output
        assert not alive(server_pid)
        assert not (home / "prefect" / "server.pid").exists()
        assert processes_with(f"FIGTAB_HOME={home}") == []  # no server, runner or flow run left behind
    finally:
        stop(serve)
        if server_pid is not None and alive(server_pid):
            os.killpg(server_pid, signal.SIGKILL)


KILLED_RUN = """
import sys
from figtab.flows.serve import process_drop
process_drop(sys.argv[1], sys.argv[2], backend="native", workers=1)
"""

STORED = "SELECT doc_id, page, kind, payload::VARCHAR FROM figures ORDER BY ALL"


def run_drop(inbox: Path, db: Path, kill_after_first_store: bool) -> tuple[int | None, str]:
    """One process-drop run in its own process; optionally SIGKILLed just after it commits its first document."""
    run = subprocess.Popen([sys.executable, "-u", "-c", KILLED_RUN, str(inbox), str(db)], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    seen = []
    try:
        for line in run.stdout:
            seen.append(line)
            if kill_after_first_store and " - stored " in line:
                run.send_signal(signal.SIGKILL)
                break
        run.wait(WAIT)
        return run.returncode, "".join(seen)
    finally:
        stop(run)


def test_a_run_killed_mid_load_leaves_whole_documents_and_the_rerun_does_each_file_once(
        prefect_server, tmp_path, sample_pdf, bad_inputs):
    from prefect.settings import PREFECT_API_URL

    os.environ["PREFECT_API_URL"] = PREFECT_API_URL.value()  # for the run's own process
    try:
        inbox, db, reference = tmp_path / "inbox", tmp_path / "drop.duckdb", tmp_path / "reference.duckdb"
        files = distinct_copies(sample_pdf, inbox, 16)
        corrupt = inbox / "zz-corrupt.pdf"
        corrupt.write_bytes(bad_inputs["corrupt"].read_bytes())
        os.utime(corrupt, (time.time() - 60, time.time() - 60))
        code, output = run_drop(inbox, db, kill_after_first_store=True)
        assert code == -signal.SIGKILL, output[-3000:]
        first = rows(db, "SELECT doc_id, run_id FROM drop_files")
        assert 1 <= len(first) < 17, "the kill should land mid-load"
        whole = rows(db, "SELECT d.doc_id FROM documents d JOIN pages p USING (doc_id) GROUP BY d.doc_id, d.n_pages "
                         "HAVING count(*) = d.n_pages")
        assert len(whole) == rows(db, "SELECT count(*) FROM documents")[0][0]  # no half-stored document

        code, output = run_drop(inbox, db, kill_after_first_store=False)
        assert code == 0, output[-3000:]
        after = dict(rows(db, "SELECT doc_id, run_id FROM drop_files"))
        assert len(after) == 17
        assert all(after[doc_id] == run_id for doc_id, run_id in first)  # what was committed was not redone
        assert sorted(n for (n,) in rows(db, "SELECT n_files FROM runs WHERE finished_at IS NOT NULL")) == \
            [17 - len(first)]
        assert rows(db, "SELECT count(*) FROM failures") == [(1,)]

        extract_files([*map(str, files), str(corrupt)], str(reference), backend="native", use_prefect=False)
        assert rows(db, STORED) == rows(reference, STORED)
        assert rows(db, "SELECT * FROM pages ORDER BY ALL") == rows(reference, "SELECT * FROM pages ORDER BY ALL")
    finally:
        del os.environ["PREFECT_API_URL"]
