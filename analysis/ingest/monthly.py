"""Monthly series files -> `cpi_monthly` (BLS CPI-U) and `rates` (FRED's federal funds rate).

Layouts read (headers compared loosely, see common.header_key):
- CPI as Datahub's cpi-us distributes it: `Date,Index[,Inflation]`, one row per month;
- BLS's own time-series layout (`cu.data.*`): tab-separated `series_id year period value footnote_codes`,
  one row per series and period, M01-M12 months and M13 the annual average;
- FRED's CSV download: `observation_date,<SERIES>` (older downloads: `DATE,<SERIES>`), `.` for no value.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from . import cells
from . import common as c
from .common import ROW
from .quarantine import finish, screen

CPI_SERIES = "CUUR0000SA0"  # CPI-U, U.S. city average, all items, not seasonally adjusted
CPI_ALIASES = {"month": ("date", "observation_date"), "value": ("index", "cpiaucns", "value")}
BLS_ALIASES = {"series_id": ("series_id",), "year": ("year",), "period": ("period",), "value": ("value",), "footnote": ("footnote_codes",)}
# NOTE: FRED's series that `rates` takes; each is a percent per year, monthly average of daily rates.
RATE_SERIES = ("FEDFUNDS",)
START = dt.date(2015, 1, 1)


def _is_bls_layout(path: Path) -> bool:
    """BLS's flat files are tab-separated and start with `series_id`."""
    c.check_file(path)
    with open(path, "rb") as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf")
    return head.startswith(b"series_id") and b"\t" in head.split(b"\n", 1)[0]


def _missing_months(months: pl.Series) -> list[str]:
    """Months between the first and the last of `months` that the file does not have."""
    present = months.drop_nulls().unique().sort()
    if present.is_empty():
        return []
    every = pl.date_range(present[0], present[-1], "1mo", eager=True)
    return [d.strftime("%Y-%m") for d in every.filter(~every.is_in(present.implode()))]


def _notes(frame: pl.DataFrame, what: str) -> list[str]:
    """The span of the months kept, and the months inside it that the file does not give."""
    months = frame["month"]
    if months.drop_nulls().is_empty():
        return []
    gaps = _missing_months(months)
    first, last = months.min().strftime("%Y-%m"), months.max().strftime("%Y-%m")
    notes = [f"{what}: {first} to {last} kept"]
    # NOTE: a gap is reported, never filled: BLS did not publish every month (October 2025).
    notes.append("months absent from the file, left absent: " + (", ".join(gaps) if gaps else "none"))
    return notes


def _finish(parsed: c.Parsed, today: dt.date | None, what: str) -> c.Result:
    """Set aside the months before the tables' scope, screen and quarantine the rest, and name the gaps."""
    # NOTE: months before 2015 are out of the tables' scope (pre-pandemic baselines reach back to
    # 2015), not errors: they are counted as skipped and never quarantined.
    early = (pl.col("month") < START).fill_null(False)
    out = parsed.frame.select(early).to_series()
    if out.any():
        parsed.raw, parsed.frame = parsed.raw.filter(~out), parsed.frame.filter(~out)
        parsed.problems = parsed.problems.filter(pl.col(ROW).is_in(parsed.frame[ROW].implode()))
        parsed.skipped[f"before {START:%Y-%m} (out of scope)"] = int(out.sum())
    accepted, reasons = screen(parsed, today)
    parsed.notes += _notes(accepted.select("month"), what)
    return finish(parsed, accepted, reasons)


def _month_parsers(value: str) -> list[cells.Parser]:
    return [cells.date("_in_month", "month"), cells.number("_in_value", value)]


def _month_checks(value: str) -> list[tuple[str, pl.Expr, str]]:
    return [("month", cells.bad("month"), cells.DATE_REASON), (value, cells.bad(value), "type: must be a number")]


def ingest_cpi(path: Path, source_id: str, progress: bool | None = None, today: dt.date | None = None) -> c.Result:
    """CPI-U monthly index values, in either the cpi-us or BLS's own layout."""
    if _is_bls_layout(path):
        return _ingest_cpi_bls(path, source_id, progress, today)
    src = c.source(c.scan_csv(path), CPI_ALIASES, ("month", "value"))
    extra = [pl.lit(CPI_SERIES).alias("series_id"), pl.lit(source_id).alias("source_id")]
    raw, frame, problems, rows, blank = c.load(src, _month_parsers("cpi_u_index"), _month_checks("cpi_u_index"), path, progress, extra)
    notes = ["the file is taken to be CPI-U, U.S. city average, all items, NSA (series CUUR0000SA0)"]
    parsed = c.Parsed("cpi_monthly", rows, raw, frame, src.columns, problems, src.ignored, {"blank rows": blank}, notes)
    return _finish(parsed, today, "CPI-U")


def _ingest_cpi_bls(path: Path, source_id: str, progress: bool | None, today: dt.date | None) -> c.Result:
    """BLS's `cu.data.*` layout: keep CUUR0000SA0's monthly rows (M01-M12)."""
    lf = pl.scan_csv(path, separator="\t", infer_schema=False, row_index_name=ROW, row_index_offset=1, quote_char=None)
    src = c.source(lf, BLS_ALIASES, ("series_id", "year", "period", "value"))
    period = pl.col("_in_period").str.strip_chars()
    parsers = [
        cells.text("_in_series_id", "series_id"),
        cells.Parser("_in_period", [[period.alias("_period")]], memo=False),
        cells.Parser("_in_year", [[pl.col("_in_year").str.strip_chars().alias("_year")]], memo=False),
        cells.number("_in_value", "cpi_u_index"),
    ]
    raw, frame, problems, rows, blank = c.load(src, parsers, [("cpi_u_index", cells.bad("cpi_u_index"), "type: must be a number")], path, progress, [])
    frame = frame.with_columns(
        pl.format("{}-{}-01", "_year", pl.col("_period").str.slice(1, 2)).str.to_date("%Y-%m-%d", strict=False).alias("month"),
        pl.lit(source_id).alias("source_id"),
    )
    monthly = pl.col("_period").str.contains(r"^M(0[1-9]|1[0-2])$")
    keep = ((pl.col("series_id") == CPI_SERIES) & monthly).fill_null(False)
    kept_mask = frame.select(keep).to_series()
    other_series = frame.select((pl.col("series_id") != CPI_SERIES).fill_null(True).sum()).item()
    skipped = {
        "blank rows": blank,
        f"series other than {CPI_SERIES}": other_series,
        "annual-average or half-year periods (M13, S01-S03)": frame.height - other_series - int(kept_mask.sum()),
    }
    kept = frame.filter(kept_mask)
    problems = pl.concat([
        problems.filter(pl.col(ROW).is_in(kept[ROW].implode())),
        c.problems_where(kept, "month", pl.col("month").is_null(), "type: year and period must give a month"),
    ])
    parsed = c.Parsed("cpi_monthly", rows, raw.filter(kept_mask), kept, src.columns, problems, src.ignored, skipped, ["BLS time-series layout"])
    return _finish(parsed, today, "CPI-U")


def fred_series_column(path: Path) -> str:
    """The series named in a FRED CSV's header (its second column)."""
    names = c.header_names(path)
    if len(names) != 2:
        raise c.IngestError(f"a FRED CSV has two columns, date and series; this one has {len(names)}: {', '.join(names)}")
    return names[1]


def ingest_rate(path: Path, source_id: str, progress: bool | None = None, today: dt.date | None = None) -> c.Result:
    """A FRED rate series (FEDFUNDS), monthly, in percent."""
    series = fred_series_column(path)
    if series.strip().upper() not in RATE_SERIES:
        raise c.IngestError(f"series {series!r} is not a rate series this table takes ({', '.join(RATE_SERIES)})")
    aliases = {"month": ("observation_date", "date"), "value": (series,)}
    src = c.source(c.scan_csv(path), aliases, ("month", "value"))
    extra = [pl.lit(series.strip().upper()).alias("series_id"), pl.lit(source_id).alias("source_id")]
    raw, frame, problems, rows, blank = c.load(src, _month_parsers("rate_percent"), _month_checks("rate_percent"), path, progress, extra)
    # NOTE: FRED writes "." for a period with no value; such rows are counted as skipped, not quarantined.
    dot = (pl.col("_in_value").str.strip_chars() == ".").fill_null(False)
    no_value = raw.select(dot).to_series()
    raw, frame = raw.filter(~no_value), frame.filter(~no_value)
    problems = problems.filter(pl.col(ROW).is_in(frame[ROW].implode()))
    skipped = {"blank rows": blank, "no value ('.')": int(no_value.sum())}
    parsed = c.Parsed("rates", rows, raw, frame, src.columns, problems, src.ignored, skipped, [])
    return _finish(parsed, today, series)


def totals(result: c.Result) -> pl.DataFrame:
    """Per year: months with a value, first and last value."""
    value = "cpi_u_index" if result.table == "cpi_monthly" else "rate_percent"
    return (
        result.accepted.sort("month")
        .group_by(pl.col("month").dt.year().alias("year"), maintain_order=True)
        .agg(pl.len().alias("months"), pl.col(value).first().alias("first"), pl.col(value).last().alias("last"))
        .sort("year")
    )
