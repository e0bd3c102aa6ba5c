"""A wheel built from the repository carries the release: installed into a fresh venv, outside the
repository and offline, `talentgap.load()` works (issue #11)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

import talentgap
from talentgap import paths

SOURCES = ["analysis", "schemas", "data/release", "pyproject.toml", "README.md", "LICENSE"]


def run(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(list(map(str, args)), capture_output=True, text=True, cwd=cwd, timeout=300)


def test_wheel_installed_in_a_fresh_venv_loads_the_release(tmp_path):
    pytest.importorskip("setuptools")
    src = tmp_path / "src"
    for name in SOURCES:
        origin = paths.ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(origin, src / name)
    wheels = tmp_path / "wheels"
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-index", "--no-build-isolation", "-w", wheels, src)
    assert built.returncode == 0, built.stderr[-2000:]
    fresh = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(fresh)
    python = fresh / "bin" / "python"
    # The dependencies come from this venv (nothing downloaded): its site-packages, as a path only,
    # so its editable talentgap is not seen.
    site = Path(sysconfig.get_paths()["purelib"])
    fresh_site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (fresh_site / "deps.pth").write_text(f"{site}\n")
    [wheel] = wheels.glob("talentgap-*.whl")
    installed = run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel)
    assert installed.returncode == 0, installed.stderr[-2000:]
    code = (
        "import talentgap, sys; "
        "assert 'site-packages' in talentgap.__file__, talentgap.__file__; "
        "df = talentgap.load('layoff_events'); print(df.height, len(talentgap.tables()))"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    package = fresh_site / "talentgap"
    before = sorted(str(p.relative_to(fresh_site)) for p in package.rglob("*") if "__pycache__" not in p.parts)
    loaded = run(python, "-c", code, cwd=elsewhere)
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    # Loading writes nothing into site-packages (issue #17: a lock file appeared beside release_data/).
    after = sorted(str(p.relative_to(fresh_site)) for p in package.rglob("*") if "__pycache__" not in p.parts)
    assert after == before
    expected = len((paths.ROOT / "data" / "release" / "layoff_events.csv").read_text().splitlines()) - 1
    assert loaded.stdout.split() == [str(expected), str(len(talentgap.tables()))]
