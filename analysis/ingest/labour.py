"""Labour-market series files -> `ces_employment`, `cps_unemployment` and `sce_labour_expectations`.

Layouts read:
- FRED's CSV of one series: `observation_date,<SERIES>` (older downloads `DATE,<SERIES>`), or the
  `date,value` layout some copies write, which names no series: the caller names it (the manifest
  takes it from the FRED address, fred.stlouisfed.org/series/<SERIES>);
- a table of several FRED series, one column each: `Date,UNRATE,LNS14000036,...`; the columns of
  series the table does not take are left out (and named in the notes);
- the New York Fed's SCE workbook (FRBNY-SCE-Data.xlsx): one sheet per question, months as YYYYMM in
  the first column, one column per statistic under a header row.
A month with no value (FRED's `.`, an empty cell) is counted as skipped, never filled.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from . import cells
from . import common as c
from .common import ROW
from .monthly import _finish
from .quarantine import REASON_SEP

# FRED series name -> seasonal adjustment, per table.
# NOTE: CGBD2024 is not seasonally adjusted: BLS publishes the education-by-age rates unadjusted (FRED marks
# every sibling CG* series "Not Seasonally Adjusted"), and the copy shows the June peaks of graduation season.
TABLE_SERIES = {
    "ces_employment": {"USINFO": "sa", "PAYEMS": "sa"},
    "cps_unemployment": {"UNRATE": "sa", "LNS14000036": "sa", "CGBD2024": "nsa"},
}
VALUE_FIELD = {"ces_employment": "employment_thousands", "cps_unemployment": "unemployment_rate_percent"}
# NOTE: UMCSENT is published not seasonally adjusted (FRED: "Not Seasonally Adjusted").
TABLE_SERIES["consumer_sentiment"] = {"UMCSENT": "nsa"}
VALUE_FIELD["consumer_sentiment"] = "sentiment_index"
DATE_HEADERS = ("observationdate", "date")  # header keys (common.header_key)
FRED_ADDRESS = re.compile(r"^https?://(?:alfred|fred)\.stlouisfed\.org/series/([A-Za-z0-9_]+)/?$")

SCE_TABLE = "sce_labour_expectations"


@dataclass(frozen=True)
class SceSeries:
    sheet: str
    header: str  # the statistic's column header, compared loosely (common.header_key)


# NOTE: the three statistics the New York Fed headlines in its labour-market release; the workbook's other
# columns (voluntary job leaving, percentiles) are not taken.
SCE_SERIES = {
    "job_loss_probability_mean": SceSeries("Job separation expectation", "Mean probability of losing a job"),
    "job_finding_probability_mean": SceSeries(
        "Job finding expectations", "Mean probability of finding a job in the next three months if one loses a job today"),
    "earnings_growth_median_expected": SceSeries("Earnings growth", "Median expected earnings growth"),
}
# A workbook unpacks to ~10 MB; see oews.MAX_UNPACKED_BYTES for why a limit.
SCE_MAX_UNPACKED_BYTES = 128 * 1024 * 1024


def series_from_address(url: str | None) -> str | None:
    """The series a FRED address names (https://fred.stlouisfed.org/series/USINFO -> USINFO), else None."""
    m = FRED_ADDRESS.match((url or "").strip())
    return m.group(1).upper() if m else None


def _series_columns(path: Path, table: str, series: str | None) -> tuple[str, dict[str, str], list[str]]:
    """The date column, {series: column} for the table's series in the file, and the other columns."""
    names = [n for n in c.scan_csv(path).collect_schema().names() if n != ROW]
    dates = [n for n in names if c.header_key(n) in DATE_HEADERS]
    if len(dates) != 1:
        raise c.IngestError(f"need one date column (observation_date or date); columns found: {', '.join(names)}")
    rest = [n for n in names if n not in dates]
    wanted = TABLE_SERIES[table]
    if [c.header_key(n) for n in rest] == ["value"]:
        # NOTE: a `date,value` copy names no series: it is taken on the caller's word (the manifest's FRED address).
        if series is None:
            raise c.IngestError("the file's `value` column names no series: give the series (FRED address or --series)")
        found = {series.upper(): rest[0]}
    else:
        # NOTE: a file whose columns name their series is read as it says; `series` only names a `value` column.
        found = {n.strip().upper(): n for n in rest if n.strip().upper() in wanted}
    unknown = [s for s in found if s not in wanted]
    if unknown:
        raise c.IngestError(f"series {', '.join(unknown)} is not one {table} takes ({', '.join(wanted)})")
    if not found:
        raise c.IngestError(f"no column of a series {table} takes ({', '.join(wanted)}); columns found: {', '.join(names)}")
    return dates[0], found, [n for n in rest if n not in found.values()]


def _no_value(parsed: c.Parsed) -> c.Parsed:
    """Rows whose value cell is empty or FRED's `.` are counted as skipped: the publisher gave no value."""
    cell = pl.col("_in_value").str.strip_chars()
    empty = parsed.raw.select((cell.is_null() | (cell == "") | (cell == ".")).fill_null(True)).to_series()
    if empty.any():
        parsed.raw, parsed.frame = parsed.raw.filter(~empty), parsed.frame.filter(~empty)
        parsed.problems = parsed.problems.filter(pl.col(ROW).is_in(parsed.frame[ROW].implode()))
        parsed.skipped["no value (empty or '.')"] = int(empty.sum())
    return parsed


def _one_series(path: Path, table: str, date_column: str, series: str, column: str, source_id: str,
                progress: bool | None, today: dt.date | None) -> c.Result:
    """One series column of the file, read row for row."""
    value = VALUE_FIELD[table]
    src = c.source(c.scan_csv(path), {"month": (date_column,), "value": (column,)}, ("month", "value"))
    parsers = [cells.date("_in_month", "month"), cells.number("_in_value", value)]
    checks = [("month", cells.bad("month"), cells.DATE_REASON), (value, cells.bad(value), "type: must be a number")]
    extra = [
        pl.lit(series).alias("series_id"),
        pl.lit(TABLE_SERIES[table][series]).alias("seasonal_adjustment"),
        pl.lit(source_id).alias("source_id"),
    ]
    raw, frame, problems, rows, blank = c.load(src, parsers, checks, path, progress, extra)
    parsed = c.Parsed(table, rows, raw, frame, src.columns, problems, src.ignored, {"blank rows": blank}, [])
    return _finish(_no_value(parsed), today, series)


def ingest_series(path: Path, table: str, source_id: str, series: str | None = None,
                  progress: bool | None = None, today: dt.date | None = None) -> c.Result:
    """Every series of `table` the file holds, one pass per series column (`series` names a `value` column)."""
    date_column, found, others = _series_columns(path, table, series)
    results = [_one_series(path, table, date_column, s, col, source_id, progress, today) for s, col in found.items()]
    merged = combine(results)
    # NOTE: each pass reads one series column; the file's unused columns are those of no pass.
    return replace(merged, ignored_columns=others)


def combine(results: list[c.Result], same_rows: bool = True) -> c.Result:
    """Passes over one file as one result.

    same_rows: the passes read the same rows (a column each), so a row quarantined by several passes is
    listed once and counted once; otherwise (sheets of a workbook) their rows are added up.
    """
    if len(results) == 1:
        return results[0]
    both = pl.concat([r.quarantine for r in results], how="diagonal_relaxed")
    if same_rows:
        both = both.group_by("source_row", maintain_order=True).agg(
            pl.col("reasons").unique(maintain_order=True).str.join(REASON_SEP), pl.exclude("reasons").first()
        ).select(both.columns)
    quarantine = both.sort("source_row", maintain_order=True)
    aside = [r.set_aside for r in results if r.set_aside is not None]
    skipped: dict[str, int] = {}
    for r in results:
        for why, n in r.skipped.items():
            skipped[why] = skipped.get(why, 0) + n
    notes = [n for r in results for n in r.notes]
    return replace(
        results[0], accepted=pl.concat([r.accepted for r in results]), quarantine=quarantine, skipped=skipped,
        notes=notes, set_aside=pl.concat(aside, how="diagonal_relaxed") if aside else None,
        rows_read=results[0].rows_read if same_rows else sum(r.rows_read for r in results),
    )


# --- the New York Fed's SCE workbook ---------------------------------------------------------------


def _sheet(path: Path, sheet: str) -> pl.DataFrame:
    """A sheet, every cell as text, no header, ROW = the spreadsheet's row number."""
    from .oews import _check_unpacked_size

    if not path.is_file():
        raise c.IngestError("no such file")
    _check_unpacked_size(path, SCE_MAX_UNPACKED_BYTES)
    try:
        df = pl.read_excel(path, sheet_name=sheet, has_header=False, infer_schema_length=0,
                           drop_empty_rows=False, drop_empty_cols=False)
    except Exception as err:  # fastexcel raises its own error types
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise c.IngestError(f"no readable sheet {sheet!r} ({first[:160]})") from err
    return df.with_row_index(ROW, offset=1)


def _header_row(df: pl.DataFrame, header: str, sheet: str) -> tuple[int, str]:
    """(row index, column name) of the cell holding `header` in the sheet's first 20 rows."""
    key = c.header_key(header)
    for i, row in enumerate(df.head(20).drop(ROW).iter_rows(named=True)):
        for name, cell in row.items():
            if cell is not None and c.header_key(cell) == key:
                return i, name
    raise c.IngestError(f"sheet {sheet!r}: no column headed {header!r} in its first 20 rows")


def _month_parser() -> cells.Parser:
    """YYYYMM (as text, or a number Excel stores as 201306.0) -> the month's first day."""
    raw = pl.col("_in_month").str.strip_chars()
    ok = raw.str.extract(r"^(\d{6})(?:\.0+)?$", 1)
    parsed = (ok + "01").str.to_date("%Y%m%d", strict=False)
    return cells.Parser("_in_month", [[parsed.alias("month")], [(raw.is_not_null() & pl.col("month").is_null()).alias("_bad_month")]], memo=False)


def _one_sce(path: Path, series: str, spec: SceSeries, source_id: str, today: dt.date | None) -> c.Result:
    df = _sheet(path, spec.sheet)
    at, column = _header_row(df, spec.header, spec.sheet)
    first = df.columns[1]
    body = df.slice(at + 1).select(ROW, pl.col(first).alias("_in_month"), pl.col(column).alias("_in_value"))
    columns = [("month (YYYYMM)", "_in_month"), (spec.header, "_in_value")]
    blank = body.select(pl.col("_in_month").is_null() & pl.col("_in_value").is_null()).to_series()
    raw = body.filter(~blank)
    if raw.height == 0:
        raise c.IngestError(f"sheet {spec.sheet!r}: no data rows under the header")
    parsers = [_month_parser(), cells.number("_in_value", "expectation_percent")]
    frame = pl.DataFrame([raw[ROW], *c._parse(raw, parsers)]).with_columns(
        pl.lit(series).alias("series"), pl.lit(source_id).alias("source_id"))
    checks = [("month", "must be a month written YYYYMM"), ("expectation_percent", "type: must be a number")]
    problems = pl.concat([c.problems_where(frame, col, pl.col(f"_bad_{col}"), why) for col, why in checks])
    frame = frame.drop([x for x in frame.columns if x.startswith("_bad_")])
    parsed = c.Parsed(SCE_TABLE, body.height, raw, frame, columns, problems, [], {"blank rows": int(blank.sum())},
                      [f"sheet {spec.sheet!r}, column {spec.header!r}"])
    return _finish(_no_value(parsed), today, series)


def ingest_sce(path: Path, source_id: str, progress: bool | None = None, today: dt.date | None = None) -> c.Result:
    """The three labour-market expectations of the SCE workbook, one pass per sheet."""
    # NOTE: rows of different sheets share row numbers; the quarantine names the sheet in each row's reasons.
    results = []
    for series, spec in SCE_SERIES.items():
        r = _one_sce(path, series, spec, source_id, today)
        if r.quarantine.height:
            r = replace(r, quarantine=r.quarantine.with_columns(pl.format("sheet {}: {}", pl.lit(spec.sheet), "reasons").alias("reasons")))
        results.append(r)
    return combine(results, same_rows=False)


def totals(result: c.Result) -> pl.DataFrame:
    """Per series: months kept, first and last month, and the last value."""
    key = "series" if result.table == SCE_TABLE else "series_id"
    value = {"sce_labour_expectations": "expectation_percent", **VALUE_FIELD}[result.table]
    return (
        result.accepted.sort("month")
        .group_by(key, maintain_order=True)
        .agg(pl.len().alias("months"), pl.col("month").first().alias("first"), pl.col("month").last().alias("last"),
             pl.col(value).last().alias("last_value"))
        .sort(key)
    )
