"""The built wheel installs one top-level name, `figtab`, and works with no source tree on the path.

The fresh environment borrows this environment's installed dependencies through a path entry (no network),
while figtab itself comes only from the wheel.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
UNTRACKED = shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__", "*.duckdb*", ".hypothesis",
                                   ".pytest_cache", "out")
SCRIPT = """
import figtab
found = figtab.extract(figtab.flows.demo.SAMPLE, backend="native")
print("figures", len(found), "failures", len(found.failures), "version", figtab.__version__)
print("from", figtab.__file__)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("src") / "figtab"
    shutil.copytree(ROOT, source, ignore=UNTRACKED)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(out), str(source)], check=True, capture_output=True)
    return next(out.glob("figtab-*.whl"))


@pytest.fixture(scope="module")
def fresh_env(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    env = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    site = Path(subprocess.run([env / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "borrowed_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(env / "bin" / "python"), "install", "--quiet",
                    "--no-deps", str(wheel)], check=True, capture_output=True)
    return env


@pytest.mark.slow
def test_the_wheel_installs_one_top_level_name_and_ships_the_sample(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top_level == {"figtab"}
    assert "figtab/flows/samples/sample.pdf" in names
    assert not any(name.startswith(("figtab/tests", "tests/", "bench/")) for name in names)


@pytest.mark.slow
def test_a_fresh_environment_runs_the_demo_and_the_api(fresh_env: Path, tmp_path: Path):
    run = dict(cwd=tmp_path, capture_output=True, text=True, timeout=300)
    demo = subprocess.run([fresh_env / "bin" / "figtab", "demo", "--db", str(tmp_path / "demo.duckdb")], **run)
    assert demo.returncode == 0, demo.stderr
    assert "figures stored" in demo.stdout
    api = subprocess.run([fresh_env / "bin" / "python", "-c", "import figtab.flows.demo\n" + SCRIPT], **run)
    assert api.returncode == 0, api.stderr
    assert "figures 4 failures 0" in api.stdout
    assert str(ROOT) not in api.stdout.split("from ")[1]
    module = subprocess.run([fresh_env / "bin" / "python", "-m", "figtab", "--version"], **run)
    assert module.stdout.startswith("figtab ")
    for generic in ("schemas", "flows", "tiling", "extractors"):
        imported = subprocess.run([fresh_env / "bin" / "python", "-c", f"import {generic}"], **run)
        assert imported.returncode != 0 and "ModuleNotFoundError" in imported.stderr, generic
