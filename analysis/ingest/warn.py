"""Big Local News WARN notices (consolidated or integrated file) -> `warn_notices`.

Dedupe rule, so that a layoff is counted once (sum `headcount` where `is_superseded` is false):

- integrated file: Big Local News already links versions. A row replaces its `likely_ancestor`;
  a row is superseded when the file flags it `is_superseded` or an accepted row names it as ancestor.
- consolidated file: rows are grouped by state, company and worksite (compared ignoring case and
  punctuation) and ordered by notice date (an original before a same-day amendment, then file order).
  An amendment replaces the row just before it in its group; so does a re-listing of that row
  (same notice date, effective date and headcount under another hash_id). A replaced row is superseded.
- the same hash_id twice with equal values is one row listed twice (see quarantine.screen).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from . import cells
from . import common as c
from .common import ROW
from .quarantine import finish, screen

TABLE = "warn_notices"

ALIASES = {
    "hash_id": ("hash_id",),
    "postal_code": ("postal_code",),
    "company": ("company",),
    "worksite_location": ("location",),
    "notice_date": ("notice_date",),
    "effective_date": ("effective_date",),
    "headcount": ("jobs",),
    "is_temporary": ("is_temporary",),
    "is_closure": ("is_closure",),
    "is_amendment": ("is_amendment",),
    "is_superseded": ("is_superseded",),
    "replaces_hash_id": ("likely_ancestor",),
}
REQUIRED = ("hash_id", "postal_code", "company", "worksite_location", "notice_date", "effective_date",
            "headcount", "is_temporary", "is_closure", "is_amendment")
INTEGRATED = ("is_superseded", "replaces_hash_id")
# NOTE: first_inserted_date, last_updated_date and estimated_amendments describe Big Local News'
# scraping, not the notice; they are reported as unused columns, not carried.


def parse(src: c.Source, path: Path, progress: bool | None) -> c.Parsed:
    """Parse every cell in one pass; which form the file is in decides how resolve links notices."""
    integrated = all(t in src.found for t in INTEGRATED)
    if any(t in src.found for t in INTEGRATED) and not integrated:
        raise c.IngestError("an integrated WARN file needs both is_superseded and likely_ancestor")
    flags = ("is_temporary", "is_closure", "is_amendment")
    parsers = [
        cells.text("_in_hash_id", "hash_id"),
        cells.text("_in_postal_code", "postal_code", lambda t: t.str.to_uppercase()),
        cells.text("_in_company", "company"),
        cells.text("_in_worksite_location", "worksite_location"),
        cells.date("_in_notice_date", "notice_date"),
        cells.date("_in_effective_date", "effective_date"),
        cells.integer("_in_headcount", "headcount"),
        *[cells.boolean(f"_in_{f}", f) for f in flags],
        cells.text("_in_replaces_hash_id", "replaces_hash_id"),
        # The file's own flag is kept aside; is_superseded is settled from the accepted rows (resolve).
        cells.boolean("_in_is_superseded", "_flag_superseded"),
    ]
    checks = [
        ("notice_date", cells.bad("notice_date"), cells.DATE_REASON),
        ("effective_date", cells.bad("effective_date"), cells.DATE_REASON),
        ("headcount", cells.bad("headcount"), cells.INTEGER_REASON),
        *[(f, cells.bad(f), cells.BOOL_REASON) for f in flags],
        ("is_superseded", cells.bad("_flag_superseded"), cells.BOOL_REASON),
    ]
    # NOTE: a headcount of 0 (some states list cancelled notices so) fails the schema's minimum of 1
    # and is quarantined: counting it as nothing could leave the notice it cancels counted.
    raw, frame, problems, rows, blank = c.load(src, parsers, checks, path, progress, [pl.lit(False).alias("is_superseded")])
    form = "integrated" if integrated else "consolidated"
    notes = [f"{form} file: superseded notices are kept, flagged is_superseded, and left out of the totals"]
    return c.Parsed(TABLE, rows, raw, frame, src.columns, problems, src.ignored, {"blank rows": blank}, notes, {"integrated": integrated})


def _key(col: str) -> pl.Expr:
    return pl.col(col).str.to_lowercase().str.replace_all(r"[^0-9a-z]+", " ").str.strip_chars().fill_null("")


def resolve(accepted: pl.DataFrame, integrated: bool) -> pl.DataFrame:
    """Fill replaces_hash_id (consolidated form) and is_superseded from the accepted rows only.

    NOTE: a quarantined row replaces nothing, so the notice it would amend stays counted. Without
    Big Local News' links an amendment is matched to the nearest earlier row of its group; an
    amendment filed after a second, unrelated notice at the same site would be matched to that one.
    """
    if not integrated:
        group = ["postal_code", "_company_key", "_site_key"]
        ordered = accepted.with_columns(_key("company").alias("_company_key"), _key("worksite_location").alias("_site_key")).sort(
            [*group, "notice_date", pl.col("is_amendment").fill_null(False), ROW]
        )
        prev = {col: pl.col(col).shift(1).over(group) for col in ("hash_id", "notice_date", "effective_date", "headcount")}
        relisting = (
            (pl.col("notice_date") == prev["notice_date"])
            & pl.col("effective_date").eq_missing(prev["effective_date"])
            & pl.col("headcount").eq_missing(prev["headcount"])
        )
        accepted = ordered.with_columns(
            pl.when(pl.col("is_amendment").fill_null(False) | relisting.fill_null(False)).then(prev["hash_id"]).alias("replaces_hash_id")
        ).sort(ROW)
    replaced = accepted.filter(pl.col("replaces_hash_id") != pl.col("hash_id"))["replaces_hash_id"].implode()
    return accepted.with_columns(
        (pl.col("hash_id").is_in(replaced) | pl.col("_flag_superseded").fill_null(False)).alias("is_superseded")
    )


def totals(result: c.Result) -> pl.DataFrame:
    """Per notice year: notices, those counted (not superseded), and the people they cover."""
    counted = ~pl.col("is_superseded")
    return (
        result.accepted.group_by(pl.col("notice_date").dt.year().alias("year"))
        .agg(
            pl.len().alias("notices"),
            counted.sum().alias("counted"),
            pl.col("headcount").filter(counted).sum().alias("headcount"),
        )
        .sort("year")
    )


def ingest(path: Path, progress: bool | None = None, today: dt.date | None = None) -> c.Result:
    src = c.source(c.scan_csv(path), ALIASES, REQUIRED)
    parsed = parse(src, path, progress)
    accepted, reasons = screen(parsed, today)
    return finish(parsed, resolve(accepted, parsed.meta["integrated"]), reasons)
