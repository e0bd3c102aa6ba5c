"""Validation failures: one record per broken rule and cell, shown together as one table."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from .safe_text import escape

FAILURE_COLUMNS = ("file", "row", "column", "rule", "value")


@dataclass(frozen=True)
class Failure:
    """One broken rule. `row` counts data rows from 1 (the header is not a row); None = whole file."""

    file: str
    row: int | None
    column: str | None
    rule: str
    value: str | None


class ValidationError(Exception):
    """Raised with every failure found, never just the first."""

    def __init__(self, failures: list[Failure]):
        self.failures = sorted(failures, key=lambda f: (f.file, f.row or 0, f.column or "", f.rule))
        super().__init__(f"{len(self.failures)} validation failure(s)")

    def __str__(self) -> str:
        return f"{len(self.failures)} validation failure(s)\n{format_failures(self.failures)}"

    def table(self) -> pl.DataFrame:
        return failures_frame(self.failures)


def failures_frame(failures: list[Failure]) -> pl.DataFrame:
    return pl.DataFrame(
        [(f.file, f.row, f.column, f.rule, f.value) for f in failures],
        schema={"file": pl.String, "row": pl.Int64, "column": pl.String, "rule": pl.String, "value": pl.String},
        orient="row",
    )


def format_failures(failures: list[Failure]) -> str:
    """A plain-text table (fixed columns) fit for a terminal or a CI log."""
    rows = [("file", "row", "column", "rule", "value")]
    for f in failures:
        # NOTE: values come from input files: control and bidi characters are shown escaped, never sent raw.
        value = "" if f.value is None else escape(f.value)
        if len(value) > 60:
            value = value[:57] + "..."
        rows.append((escape(f.file), "" if f.row is None else str(f.row), escape(f.column or ""), f.rule, value))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
