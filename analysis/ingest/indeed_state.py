"""Indeed Hiring Lab's state file (job_postings_tracker, US/state_job_postings_us.csv) -> `postings_state_daily`.

Layout: `date,state,indeed_job_postings_index`: one row per state (two-letter abbreviation, lower case
in the file) and day; the index is seasonally adjusted by Indeed, 7-day trailing average, 1 Feb 2020 = 100.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from . import cells
from . import common as c
from .quarantine import screen_and_finish

TABLE = "postings_state_daily"
ALIASES = {"date": ("date",), "state_code": ("state",), "value": ("indeed_job_postings_index",)}
# NOTE: the 50 states and DC, as Indeed's README says the file covers; any other code is quarantined, not guessed.
STATES = (
    "AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE NH NJ NM NV NY OH OK "
    "OR PA RI SC SD TN TX UT VA VT WA WI WV WY"
).split()


def ingest(path: Path, source_id: str, vintage: dt.date, progress: bool | None = None, today: dt.date | None = None) -> c.Result:
    """Every value of the file, one row per state and day."""
    src = c.source(c.scan_csv(path), ALIASES, tuple(ALIASES))
    parsers = [
        cells.date("_in_date", "date"),
        cells.text("_in_state_code", "state_code", lambda t: t.str.to_uppercase()),
        cells.number("_in_value", "value"),
    ]
    extra = [
        pl.lit("index_2020_02_01_eq_100").alias("value_unit"),
        pl.lit("sa").alias("seasonal_adjustment"),
        pl.lit(vintage, pl.Date).alias("vintage"),
        pl.lit(source_id).alias("source_id"),
    ]
    checks = [
        ("date", cells.bad("date"), cells.DATE_REASON),
        ("value", cells.bad("value"), "type: must be a number"),
        ("state_code", pl.col("state_code").is_not_null() & ~pl.col("state_code").is_in(STATES), "enum: must be a U.S. state or DC"),
    ]
    raw, frame, problems, rows, blank = c.load(src, parsers, checks, path, progress, extra)
    dates = frame["date"].drop_nulls()
    notes = [f"vintage {vintage}", f"dates {dates.min()} to {dates.max()}" if dates.len() else "no dated rows",
             f"{frame['state_code'].drop_nulls().n_unique()} states (with DC)"]
    parsed = c.Parsed(TABLE, rows, raw, frame, src.columns, problems, src.ignored, {"blank rows": blank}, notes)
    return screen_and_finish(parsed, today)


def totals(result: c.Result) -> pl.DataFrame:
    """Per state: days, first and last date, last value."""
    return (
        result.accepted.sort("date")
        .group_by("state_code", maintain_order=True)
        .agg(pl.len().alias("days"), pl.col("date").first().alias("first"), pl.col("date").last().alias("last"),
             pl.col("value").last().alias("last_value"))
        .sort("state_code")
    )
