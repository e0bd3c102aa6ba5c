"""Shared fixtures: a small valid set of curated inputs the tests copy and break."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CURATED_MIN = FIXTURES / "curated_min"


@pytest.fixture
def curated(tmp_path: Path) -> Path:
    """A writable copy of the minimal valid curated inputs."""
    dest = tmp_path / "curated"
    shutil.copytree(CURATED_MIN, dest)
    return dest


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
