"""The `talentgap` command runs polars-only (pandas hidden from pandera) and gives the same results."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest

from talentgap import paths
from talentgap.cli import main
from talentgap.startup import _HidePandas, hide_pandas

from .test_ingest_layoffs_fyi import MESSY

# Runs the CLI in a fresh interpreter, then reports whether pandas was ever loaded.
RUN = "import sys; from talentgap.cli import main; code = main(sys.argv[1:]); print('pandas loaded:', 'pandas' in sys.modules); sys.exit(code)"


def run_fresh(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True, cwd=paths.ROOT, timeout=120)


def test_hidden_pandas_reads_as_not_installed():
    finder = _HidePandas()
    with pytest.raises(ModuleNotFoundError, match="No module named 'pandas'"):
        finder.find_spec("pandas")
    with pytest.raises(ModuleNotFoundError, match="No module named 'pandas.core'"):
        finder.find_spec("pandas.core")
    assert finder.find_spec("pandasx") is None and finder.find_spec("polars") is None


def test_hide_pandas_does_nothing_once_pandas_is_loaded():
    importlib.import_module("pandas")
    assert hide_pandas() is False
    assert not any(isinstance(f, _HidePandas) for f in sys.meta_path)


def test_ingest_in_a_fresh_process_skips_pandas_and_matches_in_process(tmp_path, capsys):
    source = tmp_path / "layoffs.csv"
    source.write_text(MESSY, encoding="utf-8")
    fresh = run_fresh("ingest", "layoffs-fyi", str(source), "--out", str(tmp_path / "fresh"))
    assert fresh.returncode == 0, fresh.stderr
    assert "pandas loaded: False" in fresh.stdout
    assert main(["ingest", "layoffs-fyi", str(source), "--out", str(tmp_path / "here")]) == 0  # pandas loaded here
    capsys.readouterr()
    for name in ("layoffs_fyi_events.csv", "layoffs_fyi_events.quarantine.csv", "layoffs_fyi_events.set_aside.csv"):
        assert (tmp_path / "fresh" / name).read_bytes() == (tmp_path / "here" / name).read_bytes(), name
    # The schema's own checks ran: the minimum and formula failures are in the quarantine.
    quarantine = (tmp_path / "fresh" / "layoffs_fyi_events.quarantine.csv").read_text(encoding="utf-8")
    assert "headcount: minimum: must be >= 1" in quarantine and "company: no_formula" in quarantine


def test_build_in_a_fresh_process_skips_pandas_and_reproduces_the_release(tmp_path):
    fresh = run_fresh("build", "--release", str(tmp_path / "release"))
    assert fresh.returncode == 0, fresh.stderr
    assert "pandas loaded: False" in fresh.stdout
    committed = paths.ROOT / "data" / "release"
    names = sorted(p.name for p in committed.iterdir())
    assert names == sorted(p.name for p in (tmp_path / "release").iterdir())
    for name in names:
        assert (tmp_path / "release" / name).read_bytes() == (committed / name).read_bytes(), name


def test_verify_and_claims_in_a_fresh_process_skip_pandas():
    for args in (["verify"], ["claims", "--verdict", "consistent"]):
        fresh = run_fresh(*args)
        assert fresh.returncode == 0, fresh.stderr
        assert "pandas loaded: False" in fresh.stdout, args


def test_the_command_runs_blas_on_one_thread_unless_the_user_chose():
    code = ("import os, sys; from talentgap.startup import single_blas_thread as s; done = s(); import numpy; "
            "print(done, os.environ.get('OPENBLAS_NUM_THREADS'), s())")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    fresh = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert fresh.stdout.split() == ["True", "1", "False"], fresh.stderr  # set before numpy loads; not again after
    chosen = subprocess.run([sys.executable, "-c", code], env={**env, "OPENBLAS_NUM_THREADS": "2"}, capture_output=True, text=True, timeout=60)
    assert chosen.stdout.split() == ["False", "2", "False"], chosen.stderr


def test_the_ingest_modules_leave_pandera_to_be_imported_while_the_file_is_read():
    # NOTE: talentgap.ingest.common imports pandera (through talentgap.validate) while polars reads the file in
    # its own threads; a module-level import of pandera_schemas anywhere on the ingest path would put pandera's
    # 0.15-0.3 s before the read instead (as quarantine.py once did).
    code = ("import sys; import talentgap.cli, talentgap.ingest.cli, talentgap.ingest.quarantine, talentgap.ingest.layoffs_fyi, "
            "talentgap.ingest.applicability; print(sorted(m for m in sys.modules if m.split('.')[0] == 'pandera'))")
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.ROOT, timeout=60)
    assert fresh.returncode == 0, fresh.stderr
    assert fresh.stdout.strip() == "[]"
