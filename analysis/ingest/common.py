"""Shared machinery of `talentgap ingest`: map headers, read (with a progress bar on large files), parse."""

from __future__ import annotations

import importlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .cells import Parser

ROW = "_row"  # 1-based number of the row among the file's data rows (the header is not a row)
# NOTE: a bar only pays off when reading takes seconds; smaller files, and output that is not a terminal, get none.
PROGRESS_MIN_BYTES = 20_000_000


class IngestError(Exception):
    """The file cannot be ingested at all (unreadable, a needed column missing): nothing is written."""


@dataclass
class Source:
    """A file's columns mapped to a table's fields; the scan renames them `_in_<field>` / `_ig_<n>`."""

    lf: pl.LazyFrame
    columns: list[tuple[str, str]]  # (name in the file, name in the scan), in file order
    found: dict[str, str]  # field -> name in the file
    ignored: list[str]


@dataclass
class Parsed:
    """A source parsed to a table's types, with every cell problem found on the way."""

    table: str
    rows_read: int
    raw: pl.DataFrame  # ROW + the source columns as read (scan names)
    frame: pl.DataFrame  # ROW + the table's fields + "_" helpers, row for row with `raw`
    columns: list[tuple[str, str]]
    problems: pl.DataFrame  # ROW, column, reason
    ignored_columns: list[str]
    skipped: dict[str, int]  # why -> rows left out on purpose (not quarantined)
    notes: list[str] = field(default_factory=list)  # decisions taken for the whole file
    meta: dict = field(default_factory=dict)  # facts about the file a later step needs
    # Rows set aside on purpose and written apart from the quarantine (ROW, reason): out of scope.
    set_aside: pl.DataFrame | None = None


@dataclass
class Result:
    """What an ingest produced: accepted rows, quarantined rows, and what to tell the user."""

    table: str
    rows_read: int
    accepted: pl.DataFrame
    quarantine: pl.DataFrame
    skipped: dict[str, int]
    ignored_columns: list[str]
    notes: list[str]
    # Rows left out on purpose, not for an error (out of scope, exact duplicates): source_row, why, source columns.
    set_aside: pl.DataFrame | None = None


# --- reading -------------------------------------------------------------------------------


def header_key(name: str) -> str:
    """Header spellings compared loosely: `# Laid Off`, `#_laid_off` and `# laid off` are one key."""
    return re.sub(r"[^a-z0-9#%$]+", "", name.strip().lower())


def map_headers(columns: list[str], aliases: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> tuple[dict[str, str], list[str]]:
    """{field: column in the file} for every alias found, and the file's columns left unused."""
    by_key: dict[str, list[str]] = {}
    for c in columns:
        by_key.setdefault(header_key(c), []).append(c)
    found: dict[str, str] = {}
    for target, names in aliases.items():
        hits = [c for k in dict.fromkeys(header_key(n) for n in names) for c in by_key.get(k, [])]
        if len(hits) > 1:
            raise IngestError(f"columns {', '.join(hits)} all look like {target}: keep one")
        if hits:
            found[target] = hits[0]
    missing = [t for t in required if t not in found]
    if missing:
        raise IngestError(f"no column for {', '.join(missing)} (columns found: {', '.join(columns)})")
    used = set(found.values())
    return found, [c for c in columns if c not in used]


def scan_csv(path: Path) -> pl.LazyFrame:
    """Every column as text (empty cells null) after ROW.

    NOTE: a malformed CSV (a row with more fields than the header, bytes that are not UTF-8) fails
    the whole run: column alignment can no longer be trusted, so no row could be vouched for.
    """
    check_file(path)
    return pl.scan_csv(path, infer_schema=False, row_index_name=ROW, row_index_offset=1)


def check_file(path: Path) -> None:
    """IngestError unless `path` is a regular file this process can open."""
    if path.is_dir():
        raise IngestError("is a folder, not a file")
    if path.exists() and not path.is_file():
        raise IngestError("not a regular file (a device, a pipe or a socket)")
    if not path.is_file():
        raise IngestError("no such file")
    try:
        with open(path, "rb"):
            pass
    except OSError as err:
        raise IngestError(f"cannot be opened ({err.strerror})") from err


def header_names(path: Path) -> list[str]:
    """The CSV's column names (ROW left out); IngestError when there is no readable header."""
    try:
        return [n for n in scan_csv(path).collect_schema().names() if n != ROW]
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as err:
        raise IngestError(f"cannot read the header ({str(err).splitlines()[0]})") from err


def source(lf: pl.LazyFrame, aliases: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> Source:
    """Map the header; fields absent from the file become null `_in_` columns."""
    try:
        names = [c for c in lf.collect_schema().names() if c != ROW]
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as err:
        raise IngestError(f"cannot read the header ({str(err).splitlines()[0]})") from err
    found, ignored = map_headers(names, aliases, required)
    scan_name = {c: f"_in_{t}" for t, c in found.items()} | {c: f"_ig_{i}" for i, c in enumerate(ignored)}
    columns = [(c, scan_name[c]) for c in names]
    absent = [pl.lit(None, pl.String).alias(f"_in_{t}") for t in aliases if t not in found]
    lf = lf.select(ROW, *[pl.col(c).alias(s) for c, s in columns], *absent)
    return Source(lf, columns, found, ignored)


def load(
    src: Source, parsers: list[Parser], checks: list[tuple[str, pl.Expr, str]], path: Path, progress: bool | None,
    extra: list[pl.Expr] = (),
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, int, int]:
    """Read, then parse: raw frame, parsed frame, problems (ROW, column, reason), rows read, blank rows.

    Blank rows are left out of both frames. `extra` expressions, then `checks` (column, true
    where bad, reason), run on the parsed frame.
    """
    raw = _collect(src.lf, path, progress)
    rows_read = raw.height
    # A blank line, or a row of empty cells, reads as all nulls.
    blank = raw.select(pl.all_horizontal([pl.col(s).is_null() for _, s in src.columns])).to_series()
    n_blank = int(blank.sum())
    raw = raw.filter(~blank) if n_blank else raw
    if raw.height == 0:
        raise IngestError("no data rows (a header only, or blank rows only)")
    # NOTE: one contiguous chunk per column: steps on columns chunked differently realign (copy) them.
    frame = pl.DataFrame([raw[ROW], *_parse(raw, parsers)]).rechunk().with_columns(extra)
    flags = frame.select(*[bad.fill_null(False).alias(str(i)) for i, (_, bad, _) in enumerate(checks)])
    found = [
        frame.select(ROW).filter(flags[str(i)]).with_columns(pl.lit(column).alias("column"), pl.lit(reason).alias("reason"))
        for i, (column, _, reason) in enumerate(checks)
    ]
    problems = pl.concat(found) if found else empty_problems()
    return raw, frame.drop([c for c in frame.columns if c.startswith("_bad_")]), problems, rows_read, n_blank


def _parse(df: pl.DataFrame, parsers: list[Parser]) -> list[pl.Series]:
    """Every parser's output columns; the parsers run in parallel (pl.collect_all)."""
    queries = []
    for parser in parsers:
        outputs = [e.meta.output_name() for stage in parser.plan for e in stage]
        outputs = [o for o in outputs if not o.startswith("_t_")]
        column = df[parser.raw]
        sample = column.head(10_000)
        # NOTE: a column whose first 10,000 cells are mostly distinct (names, URLs) is parsed cell by
        # cell; otherwise each distinct value is parsed once and the results joined back.
        memo = parser.memo and sample.n_unique() * 2 <= max(len(sample), 1)
        lf = (column.unique() if memo else column).to_frame().lazy()
        for stage in parser.plan:
            lf = lf.with_columns(stage)
        lf = lf.select(parser.raw, *outputs)
        if memo:
            lf = column.to_frame().lazy().join(lf, on=parser.raw, how="left", maintain_order="left", nulls_equal=True)
        queries.append(lf.select(outputs))
    # NOTE: the in-memory engine: the streaming engine's join of a long column to a few keys
    # sometimes took twice the time and 1 GB more memory.
    return [s for frame in pl.collect_all(queries, engine="in-memory") for s in frame.iter_columns()]


def _collect(lf: pl.LazyFrame, path: Path, progress: bool | None) -> pl.DataFrame:
    size = path.stat().st_size
    if progress is None:
        progress = size >= PROGRESS_MIN_BYTES and sys.stderr.isatty()
    try:
        if progress:
            return _collect_with_bar(lf, path, size)
        query = lf.collect(engine="streaming", background=True)
        # NOTE: pandera's import (0.1 s polars-only, see talentgap.startup) runs while polars reads in its own threads.
        importlib.import_module("talentgap.batched")
        importlib.import_module("talentgap.schemas.pandera_schemas")
        return query.fetch_blocking()
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as err:
        raise IngestError(f"not a readable UTF-8 CSV ({str(err).splitlines()[0]})") from err


def _collect_with_bar(lf: pl.LazyFrame, path: Path, size: int) -> pl.DataFrame:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with open(path, "rb") as fh:
        sample = fh.read(1 << 20)
    # NOTE: the row total is estimated from the first MiB (rows per byte); the bar is a guide, not a count.
    estimate = max(1, int(size * max(1, sample.count(b"\n") - 1) / max(1, len(sample))))
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    batches = []
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"reading {path.name}", total=estimate)
        for batch in lf.collect_batches(chunk_size=100_000):
            batches.append(batch)
            done = bar.tasks[0].completed + batch.height
            bar.update(task, completed=done, total=max(estimate, done))
    return pl.concat(batches) if batches else lf.collect()


def set_aside_where(parsed: Parsed, keep: pl.Expr, why: str) -> Parsed:
    """Move the rows where `keep` is false out of the parsed frame and problems, into parsed.set_aside."""
    mask = parsed.frame.select(keep.fill_null(True)).to_series()
    out = parsed.frame.filter(~mask).select(ROW, pl.lit(why).alias("reason"))
    if out.height == 0:
        return parsed
    parsed.frame = parsed.frame.filter(mask)
    parsed.problems = parsed.problems.filter(~pl.col(ROW).is_in(out[ROW].implode()))
    parsed.set_aside = out if parsed.set_aside is None else pl.concat([parsed.set_aside, out])
    parsed.skipped[why] = parsed.skipped.get(why, 0) + out.height
    return parsed


def problems_where(frame: pl.DataFrame, column: str, bad: pl.Expr, reason: str) -> pl.DataFrame:
    """Problems found after loading (checks that need the whole file first)."""
    return frame.filter(bad.fill_null(False)).select(ROW, pl.lit(column).alias("column"), pl.lit(reason).alias("reason"))


def empty_problems() -> pl.DataFrame:
    return pl.DataFrame(schema={ROW: pl.UInt32, "column": pl.String, "reason": pl.String})
