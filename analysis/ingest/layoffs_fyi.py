"""Layoffs.fyi export (any of the column variants of public mirrors) -> `layoffs_fyi_events`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from talentgap.schemas.fields import INDUSTRIES
from talentgap.schemas.registry import PLAUSIBLE_MIN_DATE

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
# are mapped. Any other value (Layoffs.fyi added "Construction" in 2025) is kept: industry is Other,
# industry_as_given keeps the upstream value and row_flags says industry_unmapped.
INDUSTRY_ALIASES = {i.lower(): i for i in INDUSTRIES} | {"crypto currency": "Crypto", "cryptocurrency": "Crypto"}

# NOTE: Layoffs.fyi stamps date_added when it enters a row, possibly a day off the announcement by
# time zone. Earlier than that is odd (a planned layoff entered ahead, or a typo) but plausible: the
# row is kept and flagged date_added_before_announced_on.
DATE_ADDED_SLACK = dt.timedelta(days=1)
# Years the project covers; rows announced outside them are set aside as out of scope, not errors.
SCOPE_YEARS = (2022, 2026)
OUT_OF_SCOPE = f"out of scope: announced outside {SCOPE_YEARS[0]}-{SCOPE_YEARS[1]}"


def _in(name: str) -> str:
    return f"_in_{name}"


def _place(t: pl.Expr) -> pl.Expr:
    place = t.str.replace(r"(?i),?\s*Non-U\.S\.?$", "")
    return pl.when(place != "").then(place)


def _flags() -> list[pl.Expr]:
    """industry (ours, or Other) and row_flags, from the parsed columns."""
    given = pl.col("industry_as_given")
    mapped = given.str.to_lowercase().replace_strict(INDUSTRY_ALIASES, default=None, return_dtype=pl.String)
    unmapped = given.is_not_null() & mapped.is_null()
    late = pl.col("date_added") < pl.col("announced_on") - DATE_ADDED_SLACK
    missing = ("hq_location", "industry_as_given", "country")
    names = ["industry_unmapped", "date_added_before_announced_on", *[f"{f.removesuffix('_as_given')}_missing" for f in missing]]
    raised = [unmapped, late.fill_null(False), *[pl.col(f).is_null() for f in missing]]
    # NOTE: the flags a row raises, as bits of one small integer, then the text of each combination
    # (the names in this order, joined by "; "; no flag: null): a lookup, not a string built per row.
    bits = pl.sum_horizontal([flag.cast(pl.UInt8) * (1 << i) for i, flag in enumerate(raised)])
    text = {m: "; ".join(n for i, n in enumerate(names) if m >> i & 1) for m in range(1, 1 << len(names))}
    return [
        pl.when(unmapped).then(pl.lit("Other")).otherwise(mapped).alias("industry"),
        bits.replace_strict(text, default=None, return_dtype=pl.String).alias("row_flags"),
        pl.col(c.ROW).cast(pl.Int64).alias("source_row"),
    ]


def parse(src: c.Source, path: Path, progress: bool | None) -> c.Parsed:
    """Parse every cell in one pass, then settle the file's percentage unit."""
    pct = pl.col("_t_pct")
    parsers = [
        cells.text(_in("company"), "company"),
        cells.date(_in("announced_on"), "announced_on"),
        # NOTE: ", Non-U.S." is Layoffs.fyi's marker for a headquarters abroad; `country` says where.
        # A location of only "Non-U.S." names no place: it is empty (and flagged hq_location_missing).
        cells.text(_in("hq_location"), "hq_location", _place),
        cells.integer(_in("headcount"), "headcount"),
        cells.checked(_in("share_of_workforce"), "_pct", [
            [pl.col(_in("share_of_workforce")).str.strip_chars().alias("_t_pct")],
            [pct.str.ends_with("%").alias("_pct_sign"), pct.str.strip_suffix("%").str.strip_chars().cast(pl.Float64, strict=False).alias("_pct")],
        ]),
        # NOTE: a trailing full stop ("United States.") is a known typo in mirrors, not part of a name.
        cells.text(_in("country"), "country", lambda t: t.str.strip_suffix(".")),
        cells.text(_in("industry"), "industry_as_given"),
        cells.text(_in("funding_stage"), "funding_stage"),
        cells.number(_in("funds_raised_usd"), "funds_raised_usd", currency=True, scale=1_000_000),
        cells.date(_in("date_added"), "date_added"),
        # NOTE: text that looks like a spreadsheet formula (= + - @) is never stripped: the schema's
        # no_formula check quarantines it, since removing the sign would change the value silently.
        # The source is kept as given: only surrounding spaces go.
        cells.text(_in("source_as_given"), "source_as_given", collapse=False),
    ]
    checks = [
        ("announced_on", cells.bad("announced_on"), cells.DATE_REASON),
        ("date_added", cells.bad("date_added"), cells.DATE_REASON),
        ("headcount", cells.bad("headcount"), cells.INTEGER_REASON),
        ("share_of_workforce", cells.bad("_pct"), "type: must be a share (0.1) or a percent (10 or 10%)"),
        ("funds_raised_usd", cells.bad("funds_raised_usd"), "type: must be a number (millions of USD)"),
    ]
    raw, frame, problems, rows, blank = c.load(src, parsers, checks, path, progress, _flags())
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
    parsed = c.Parsed(TABLE, rows, raw, frame, src.columns, problems, src.ignored, {"blank rows": blank}, notes)
    year = pl.col("announced_on").dt.year()
    # NOTE: only a plausible date can be out of scope; 1/1/1800 is an error, left for the schema's
    # min_date to quarantine rather than set aside as if it were a real, older layoff.
    plausible = year.is_between(int(PLAUSIBLE_MIN_DATE[:4]), dt.date.today().year + 1)
    return c.set_aside_where(parsed, year.is_null() | year.is_between(*SCOPE_YEARS) | ~plausible, OUT_OF_SCOPE)


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
