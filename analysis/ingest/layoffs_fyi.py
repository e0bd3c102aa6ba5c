"""Layoffs.fyi export (any of the column variants of public mirrors) -> `layoffs_fyi_events`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from talentgap.schemas.fields import INDUSTRIES

from . import cells
from . import common as c
from .quarantine import finish, screen

TABLE = "layoffs_fyi_events"

# Field -> header spellings seen in mirrors (compared loosely, see common.header_key).
ALIASES = {
    "company": ("company",),
    "hq_location": ("location", "location_hq"),
    "industry": ("industry",),
    "headcount": ("total_laid_off", "laid_off_count", "# laid off", "num_laid_off"),
    "share_of_workforce": ("percentage_laid_off", "percentage", "%"),
    "announced_on": ("date",),
    "source_as_given": ("source",),
    # NOTE: every variant gives funds in millions of USD ("$ Raised (mm)"); we store USD.
    "funds_raised_usd": ("funds_raised", "funds_raised_millions", "$ raised (mm)"),
    "funding_stage": ("stage",),
    "date_added": ("date_added",),
    "country": ("country",),
}
REQUIRED = ("company", "hq_location", "industry", "headcount", "share_of_workforce", "announced_on", "country")
# NOTE: List of Employees Laid Off links to lists of named people; it is reported as unused, never carried.

# NOTE: industry is matched to our classes ignoring case, and the old spellings of Crypto in mirrors
# are mapped. Any other value is kept as given, so the schema's enum check quarantines it.
INDUSTRY_ALIASES = {i.lower(): i for i in INDUSTRIES} | {"crypto currency": "Crypto", "cryptocurrency": "Crypto"}

# NOTE: Layoffs.fyi stamps date_added when it enters a row, possibly a day off the announcement by
# time zone. Earlier than that, one of the two dates is wrong and we cannot tell which: quarantine.
DATE_ADDED_SLACK = dt.timedelta(days=1)


def _in(name: str) -> str:
    return f"_in_{name}"


def _industry(col: pl.Expr) -> pl.Expr:
    return col.str.to_lowercase().replace_strict(INDUSTRY_ALIASES, default=col)


def parse(src: c.Source, path: Path, progress: bool | None) -> c.Parsed:
    """Parse every cell in one pass, then settle the file's percentage unit."""
    pct = pl.col("_t_pct")
    parsers = [
        cells.text(_in("company"), "company"),
        cells.date(_in("announced_on"), "announced_on"),
        # NOTE: ", Non-U.S." is Layoffs.fyi's marker for a headquarters abroad; `country` says where.
        cells.text(_in("hq_location"), "hq_location", lambda t: t.str.replace(r"(?i),?\s*Non-U\.S\.?$", "")),
        cells.integer(_in("headcount"), "headcount"),
        cells.checked(_in("share_of_workforce"), "_pct", [
            [pl.col(_in("share_of_workforce")).str.strip_chars().alias("_t_pct")],
            [pct.str.ends_with("%").alias("_pct_sign"), pct.str.strip_suffix("%").str.strip_chars().cast(pl.Float64, strict=False).alias("_pct")],
        ]),
        # NOTE: a trailing full stop ("United States.") is a known typo in mirrors, not part of a name.
        cells.text(_in("country"), "country", lambda t: t.str.strip_suffix(".")),
        cells.text(_in("industry"), "industry", _industry),
        cells.text(_in("funding_stage"), "funding_stage"),
        cells.number(_in("funds_raised_usd"), "funds_raised_usd", currency=True, scale=1_000_000),
        cells.date(_in("date_added"), "date_added"),
        # NOTE: text that looks like a spreadsheet formula (= + - @) is never stripped: the schema's
        # no_formula check quarantines it, since removing the sign would change the value silently.
        # The source is kept as given: only surrounding spaces go.
        cells.text(_in("source_as_given"), "source_as_given", collapse=False),
    ]
    late = pl.col("date_added") < pl.col("announced_on") - DATE_ADDED_SLACK
    checks = [
        ("announced_on", cells.bad("announced_on"), cells.DATE_REASON),
        ("date_added", cells.bad("date_added"), cells.DATE_REASON),
        ("headcount", cells.bad("headcount"), cells.INTEGER_REASON),
        ("share_of_workforce", cells.bad("_pct"), "type: must be a share (0.1) or a percent (10 or 10%)"),
        ("funds_raised_usd", cells.bad("funds_raised_usd"), "type: must be a number (millions of USD)"),
        ("date_added", late, "before_announced_on: more than a day before announced_on (which date is wrong is unclear)"),
    ]
    raw, frame, problems, rows, blank = c.load(src, parsers, checks, path, progress)
    # NOTE: a file is "in percents" when any bare value (no % sign) lies in (1, 100]; otherwise bare
    # values are shares. In a file of percents a bare value strictly between 0 and 1 could be that
    # many percent or a share pasted in from another export: ambiguous, so it is quarantined.
    bare = ~pl.col("_pct_sign")
    in_percent = bool(frame.select((bare & pl.col("_pct").is_between(1, 100, closed="right")).any()).item())
    frame = frame.with_columns(
        pl.when(pl.col("_pct_sign") | in_percent).then(pl.col("_pct") / 100).otherwise(pl.col("_pct")).alias("share_of_workforce")
    )
    if in_percent:
        ambiguous = bare & (pl.col("_pct") > 0) & (pl.col("_pct") < 1)
        reason = "ambiguous: a value between 0 and 1 in a file of percents (share or percent?)"
        problems = pl.concat([problems, c.problems_where(frame, "share_of_workforce", ambiguous, reason)])
    unit = "percents (10 = 10%)" if in_percent else "shares (0.1 = 10%)"
    notes = [f"bare percentage values read as {unit}; a value with a % sign is always a percent"]
    return c.Parsed(TABLE, rows, raw, frame, src.columns, problems, src.ignored, {"blank rows": blank}, notes)


def totals(result: c.Result) -> pl.DataFrame:
    """Per announcement year: events, people cut (where stated), events of unknown size."""
    return (
        result.accepted.group_by(pl.col("announced_on").dt.year().alias("year"))
        .agg(
            pl.len().alias("events"),
            pl.col("headcount").sum().alias("headcount"),
            (pl.col("headcount").is_null() & pl.col("share_of_workforce").is_null()).sum().alias("size_unknown"),
        )
        .sort("year")
    )


def ingest(path: Path, progress: bool | None = None, today: dt.date | None = None) -> c.Result:
    src = c.source(c.scan_csv(path), ALIASES, REQUIRED)
    parsed = parse(src, path, progress)
    accepted, reasons = screen(parsed, today)
    return finish(parsed, accepted, reasons)
