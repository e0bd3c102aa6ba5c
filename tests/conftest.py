"""Shared fixtures: a small valid set of curated inputs the tests copy and break."""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import os
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CURATED_MIN = FIXTURES / "curated_min"
# The build date the fixture inputs are checked against (their dates must not be after it).
TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def curated(tmp_path: Path) -> Path:
    """A writable copy of the minimal valid curated inputs."""
    dest = tmp_path / "curated"
    shutil.copytree(CURATED_MIN, dest)
    return dest


@pytest.fixture
def release(curated: Path, tmp_path: Path) -> Path:
    """A release built from the minimal curated inputs."""
    from talentgap.build import build

    out = tmp_path / "release"
    build(curated, out, today=TODAY)
    return out


def tree(directory: Path) -> dict[str, bytes]:
    """Every file below `directory` with its bytes, by relative path."""
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def read_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; `row` counts data rows from 1, as the failure table does."""
    rows = read_rows(path)
    rows[row - 1][column] = value
    write_rows(path, rows)


def append_copy(path: Path, row: int, **changes: str) -> None:
    """Append a copy of data row `row` with some cells changed."""
    rows = read_rows(path)
    rows.append({**rows[row - 1], **changes})
    write_rows(path, rows)


# Browser fixtures (one Playwright instance for the whole session), shared by every browser test.
from .browser_utils import browser, browser_page  # noqa: E402,F401


def _run_root(tmp_path_factory) -> Path:
    """A folder of this test run shared by all its processes.

    NOTE: under pytest-xdist each worker's basetemp (popen-gwN) sits in the run's own basetemp;
    without xdist the run has one process and its basetemp is the run's.
    """
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_run(tmp_path_factory, name: str, make) -> Path:
    """`make(folder)` once per test run whatever the number of workers; returns the path it returned.

    The first process to ask makes it under an exclusive lock; the others wait, then reuse it (a
    slow render or build shared by the tests of several workers). The result must be read-only to them.
    """
    root = _run_root(tmp_path_factory)
    folder, done = root / f"once-{name}", root / f"once-{name}.done"
    with open(root / f"once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            result = Path(make(folder))
            done.write_text(str(result), encoding="utf-8")
    return Path(done.read_text(encoding="utf-8"))


# Modules whose tests take seconds each (a wheel in a fresh venv, browsers, page kernels, fresh
# processes, kill-and-restart loops): collected first, so that a parallel run (make test) starts
# them at once instead of ending on one of them.
SLOW_FIRST = ("test_wheel.py", "test_report.py", "test_site_render.py", "test_startup.py", "test_faults.py", "test_site_browser.py")


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
