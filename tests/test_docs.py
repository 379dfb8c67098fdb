"""The README documents the CLI that exists: every command and option it shows is real, and vice versa."""

import re
from pathlib import Path

from typer.main import get_command

from figtab.flows.cli import app
from figtab.schemas.ddl import DDL

README = (Path(__file__).parents[1] / "README.md").read_text()
COMMANDS = get_command(app).commands


def test_every_command_is_documented_and_every_documented_command_exists():
    documented = set(re.findall(r"`figtab (\w+)", README))
    assert documented == set(COMMANDS)


def test_documented_options_exist():
    for name, options in re.findall(r"\| `figtab (\w+) ([^`]*)`", README):
        real = {opt for param in COMMANDS[name].params for opt in param.opts}
        for option in re.findall(r"--[\w-]+", options):
            assert option in real, f"README shows `figtab {name} {option}`, which does not exist"


def test_every_table_is_documented():
    for table in DDL:
        assert f"| `{table}` |" in README


def test_documented_columns_match_the_ddl():
    import duckdb

    connection = duckdb.connect()
    for table, columns in re.findall(r"^\| `(\w+)` \| [^|]+ \| `([^`]+)`", README, flags=re.MULTILINE):
        connection.execute(DDL[table])
        real = [row[0] for row in connection.execute(f"DESCRIBE {table}").fetchall()]
        assert [c.strip() for c in columns.split(",")] == real, table
