"""Output: the table and its quarantine written atomically, and the summary printed after."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from .common import Result


def _write_csv(df: pl.DataFrame, path: Path) -> None:
    df.write_csv(path, date_format="%Y-%m-%d", line_terminator="\n")
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def write_outputs(result: Result, out_dir: Path) -> dict[str, Path]:
    """`<table>.csv` and `<table>.quarantine.csv`, each written to a temporary file, then os.replace'd.

    Both temporaries are complete before either replaces anything, so a failure leaves the previous
    outputs as they were. The quarantine file is always written (header only when empty) so that
    one from an earlier run never lingers.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [(result.accepted, out_dir / f"{result.table}.csv"), (result.quarantine, out_dir / f"{result.table}.quarantine.csv")]
    temps = [path.with_name(f".{path.name}.tmp-{os.getpid()}") for _, path in targets]
    try:
        for (df, _), tmp in zip(targets, temps):
            _write_csv(df, tmp)
        for (_, path), tmp in zip(targets, temps):
            os.replace(tmp, path)
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
    return {"table": targets[0][1], "quarantine": targets[1][1]}


def format_summary(result: Result, path: Path, written: dict[str, Path], totals: pl.DataFrame) -> str:
    """Plain text: counts, what was skipped or ignored, per-year totals, where the files went."""
    q = result.quarantine.height
    lines = [
        f"talentgap ingest: {path} -> {result.table}",
        f"  rows read     {result.rows_read:>12,}",
        f"  accepted      {result.accepted.height:>12,}",
        f"  quarantined   {q:>12,}" + (f"  (rows and reasons in {written['quarantine']})" if q else ""),
    ]
    lines += [f"  skipped       {n:>12,}  ({why})" for why, n in result.skipped.items() if n]
    if result.ignored_columns:
        lines.append("  columns not used: " + ", ".join(result.ignored_columns))
    lines += [f"  note: {n}" for n in result.notes]
    if totals.height:
        lines.append("  per year (accepted rows):")
        cells = [totals.columns] + [[_cell(v) for v in row] for row in totals.iter_rows()]
        widths = [max(len(r[i]) for r in cells) for i in range(totals.width)]
        lines += ["    " + "  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in cells]
    lines.append(f"  wrote {written['table']}")
    return "\n".join(lines)


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10_000:
        return f"{v:,}"
    return str(v)
