"""Indeed Hiring Lab's daily files -> `postings_daily`.

Layouts read (told apart by their header):
- ai-tracker `AI_posting.csv` / `GenAI_posting.csv`: `date,jobcountry,<AI|GenAI>_share_postings`,
  the percent of postings that mention AI (GenAI), 7-day trailing average, by country;
- job_postings_tracker `aggregate_job_postings_<CC>.csv`: `date,jobcountry,indeed_job_postings_index_SA,
  indeed_job_postings_index_NSA,variable` (variable: total postings, new postings);
- job_postings_tracker `job_postings_by_sector_<CC>.csv`: `date,jobcountry,indeed_job_postings_index,
  variable,display_name`, seasonally adjusted; only the Software Development sector is kept;
- FRED's copy of that sector series: `observation_date,IHLIDXUSTPSOFTDEVE` (seasonally adjusted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import polars as pl

from . import cells
from . import common as c
from .common import ROW
from .quarantine import REASON_SEP, finish, screen

TABLE = "postings_daily"
SECTOR = "Software Development"
SECTOR_SERIES = "software_development_postings_index"
INDEX_UNIT = "index_2020_02_01_eq_100"
SHARE_COLUMNS = {"aisharepostings": "ai_share_of_postings", "genaisharepostings": "genai_share_of_postings"}
VARIABLES = {"total postings": "total_postings_index", "new postings": "new_postings_index"}
FRED_SECTOR = "ihlidxustpsoftdeve"


def layout(path: Path) -> str:
    """Which of the layouts above the file's header is."""
    keys = [c.header_key(n) for n in c.header_names(path)]
    if any(k in SHARE_COLUMNS for k in keys):
        return "share"
    if "indeedjobpostingsindexsa" in keys:
        return "aggregate"
    if "displayname" in keys:
        return "sector"
    if FRED_SECTOR in keys:
        return "fred"
    raise c.IngestError(f"not a layout of Indeed's files this command reads (header: {', '.join(keys)})")


def _aliases(value_column: str) -> dict:
    """Every field any layout has (absent ones read as empty), the value from `value_column`."""
    return {
        "date": ("date", "observation_date"), "country_code": ("jobcountry",), "value": (value_column,),
        "variable": ("variable",), "sector": ("display_name",),
    }


def _parse(path: Path, aliases: dict, required: tuple, series: pl.Expr, adjustment: str, unit: str,
           vintage: dt.date, source_id: str, progress: bool | None, keep: pl.Expr | None = None, keep_why: str = "") -> c.Parsed:
    src = c.source(c.scan_csv(path), aliases, required)
    parsers = [
        cells.date("_in_date", "date"),
        cells.text("_in_country_code", "_country", lambda t: t.str.to_uppercase()),
        cells.number("_in_value", "value"),
        cells.text("_in_variable", "_variable", lambda t: t.str.to_lowercase()),
        cells.text("_in_sector", "_sector"),
    ]
    extra = [
        series.alias("series"),
        # NOTE: FRED's copy names no country: the series is Indeed's United States sector index.
        pl.coalesce(pl.col("_country"), pl.lit("US")).alias("country_code"),
        pl.lit(adjustment).alias("seasonal_adjustment"),
        pl.lit(unit).alias("value_unit"),
        pl.lit(vintage, pl.Date).alias("vintage"),
        pl.lit(source_id).alias("source_id"),
    ]
    checks = [("date", cells.bad("date"), cells.DATE_REASON), ("value", cells.bad("value"), "type: must be a number")]
    raw, frame, problems, rows, blank = c.load(src, parsers, checks, path, progress, extra)
    skipped = {"blank rows": blank}
    if keep is not None:
        mask = frame.select(keep.fill_null(False)).to_series()
        skipped[keep_why] = int((~mask).sum())
        raw, frame = raw.filter(mask), frame.filter(mask)
        problems = problems.filter(pl.col(ROW).is_in(frame[ROW].implode()))
    dates = frame["date"].drop_nulls()
    notes = [f"vintage {vintage}", f"dates {dates.min()} to {dates.max()}" if dates.len() else "no dated rows"]
    return c.Parsed(TABLE, rows, raw, frame, src.columns, problems, src.ignored, skipped, notes)


def _result(parsed: c.Parsed, today: dt.date | None) -> c.Result:
    accepted, reasons = screen(parsed, today)
    return finish(parsed, accepted, reasons)


def ingest(path: Path, source_id: str, vintage: dt.date, progress: bool | None = None, today: dt.date | None = None) -> c.Result:
    """Every value of the file as rows of postings_daily (the aggregate file gives two per row: SA and NSA)."""
    kind = layout(path)
    args = dict(vintage=vintage, source_id=source_id, progress=progress)
    if kind == "share":
        names = [n for n in c.header_names(path) if c.header_key(n) in SHARE_COLUMNS]
        series = SHARE_COLUMNS[c.header_key(names[0])]
        parsed = _parse(path, _aliases(names[0]), ("date", "country_code", "value"), pl.lit(series), "none", "percent", **args)
        return _result(parsed, today)
    if kind == "fred":
        parsed = _parse(path, _aliases(FRED_SECTOR), ("date", "value"), pl.lit(SECTOR_SERIES), "sa", INDEX_UNIT, **args)
        return _result(parsed, today)
    if kind == "sector":
        # NOTE: the sector file gives total postings only; a row of any other variable is not this series.
        keep = (pl.col("_sector") == SECTOR) & (pl.col("_variable") == "total postings")
        parsed = _parse(path, _aliases("indeed_job_postings_index"), ("date", "country_code", "value", "sector"), pl.lit(SECTOR_SERIES), "sa", INDEX_UNIT,
                        keep=keep, keep_why=f"sectors other than {SECTOR}", **args)
        return _result(parsed, today)
    # The aggregate file: one pass per adjustment, each a 1:1 reading of the rows.
    series = pl.col("_variable").replace_strict(VARIABLES, default=None)
    results = []
    for column, adjustment in (("indeed_job_postings_index_SA", "sa"), ("indeed_job_postings_index_NSA", "nsa")):
        parsed = _parse(path, _aliases(column), ("date", "country_code", "value", "variable"), series, adjustment, INDEX_UNIT, **args)
        results.append(_result(parsed, today))
    return _combine(results)


def _combine(results: list[c.Result]) -> c.Result:
    """The SA and NSA passes over one file as one result.

    NOTE: each value stands alone: a row whose SA value is bad still gives its NSA value. The row is
    quarantined once, with the reasons of both passes.
    """
    sa, nsa = results
    both = pl.concat([sa.quarantine, nsa.quarantine])
    merged = both.group_by("source_row", maintain_order=True).agg(
        pl.col("reasons").unique(maintain_order=True).str.join(REASON_SEP), pl.exclude("reasons").first()
    )
    quarantine = merged.select(both.columns).sort("source_row")
    notes = [*sa.notes, "two values per row: seasonally adjusted (sa) and not adjusted (nsa)"]
    return replace(sa, accepted=pl.concat([sa.accepted, nsa.accepted]), quarantine=quarantine, notes=notes)


def totals(result: c.Result) -> pl.DataFrame:
    """Per series, country and adjustment: days, first and last date."""
    return (
        result.accepted.group_by("series", "country_code", "seasonal_adjustment")
        .agg(pl.len().alias("days"), pl.col("date").min().alias("first"), pl.col("date").max().alias("last"))
        .sort("series", "country_code", "seasonal_adjustment")
    )
