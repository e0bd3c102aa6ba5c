"""Checks across tables: references, totals against trackers, and revisions of tracker snapshots."""

from __future__ import annotations

import polars as pl

from talentgap.schemas.tables import TABLES

from .failures import Failure

# NOTE: our event list mixes in non-tech companies cutting tech units (Nike) and
# multi-country announcements that a tracker may count in part; 10% above a tracker's
# total is the most such scope differences explain. More than that means double counting.
EVENTS_OVER_TRACKER_TOLERANCE = 0.10

# NOTE: trackers revise their counts (duplicates removed, announcements withdrawn). A later
# snapshot more than 5% below an earlier one for the same year is flagged for a reader, not dropped.
REVISION_TOLERANCE = 0.05

def scope_filter(scope: str) -> pl.Expr:
    """Which of our events a tracker's scope covers: US-only scopes start with `us_`."""
    if scope.startswith("us_"):
        return pl.col("country") == "United States"
    return pl.lit(True)


def _rows(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_row_index("_row", offset=1)


def foreign_key_failures(tables: dict[str, pl.DataFrame]) -> list[Failure]:
    """Every value of a foreign-key column must name a row of the referenced table."""
    failures = []
    for name, df in tables.items():
        for col, (ref_table, ref_col) in TABLES[name].foreign_keys.items():
            if ref_table not in tables:
                continue
            known = tables[ref_table][ref_col].drop_nulls().unique()
            bad = _rows(df).filter(pl.col(col).is_not_null() & ~pl.col(col).is_in(known.implode()))
            for row, value in bad.select("_row", col).iter_rows():
                failures.append(
                    Failure(f"{name}.csv", row, col, f"foreign_key: must name a row of {ref_table}.{ref_col}", value)
                )
    return failures


def cross_file_key_failures(name: str, parts: list[tuple[str, pl.DataFrame]]) -> list[Failure]:
    """A key may appear once across all the files a table is read from (each file checks its own)."""
    key = list(TABLES[name].primary_key)
    seen = pl.concat([df.select(key).unique().with_columns(pl.lit(label).alias("_file")) for label, df in parts])
    dup = seen.filter(pl.struct(key).is_duplicated())
    failures = []
    for label, df in parts[1:]:
        clash = _rows(df).join(dup.filter(pl.col("_file") == label).select(key), on=key, how="semi", nulls_equal=True)
        for row in clash["_row"]:
            failures.append(Failure(label, row, ", ".join(key), f"primary_key: also in another input file of {name}", ""))
    return failures


def source_url_failures(tables: dict[str, pl.DataFrame]) -> list[Failure]:
    """A row's source_url must be the url of its source."""
    failures = []
    sources = tables.get("sources")
    if sources is None:
        return failures
    for name, df in tables.items():
        if "source_url" not in df.columns or "source_id" not in df.columns:
            continue
        joined = _rows(df).join(sources.select("source_id", pl.col("url").alias("_url")), on="source_id", how="inner")
        bad = joined.filter(pl.col("source_url") != pl.col("_url")).sort("_row")
        for row, value in bad.select("_row", "source_url").iter_rows():
            failures.append(Failure(f"{name}.csv", row, "source_url", "source_url: must equal the url of its source_id", value))
    return failures


def largest_snapshots(totals: pl.DataFrame) -> pl.DataFrame:
    """For each tracker, scope and year, the largest total it reported (latest coverage on ties).

    NOTE: the check below guards against double counting in our events, for which the
    ceiling is the largest count the tracker ever published for the year; downward
    revisions are flagged separately (revision_flags).
    """
    return (
        totals.sort(
            ["tracker", "scope", "year", "employees", "period_end", "as_of"],
            descending=[False, False, False, True, True, True],
            nulls_last=True,
        )
        .group_by(["tracker", "scope", "year"], maintain_order=True)
        .first()
    )


def event_sum_failures(events: pl.DataFrame, totals: pl.DataFrame) -> list[Failure]:
    """Our events in a year must not add up to more than the tracker's total (plus tolerance)."""
    failures = []
    for snap in largest_snapshots(totals).iter_rows(named=True):
        scoped = events.filter(
            (pl.col("announced_on").dt.year() == snap["year"]) & (pl.col("announced_on") <= snap["period_end"])
        )
        scoped = scoped.filter(scope_filter(snap["scope"]))
        ours = int(scoped["headcount"].sum() or 0)
        limit = snap["employees"] * (1 + EVENTS_OVER_TRACKER_TOLERANCE)
        if ours > limit:
            failures.append(
                Failure(
                    "layoff_events.csv",
                    None,
                    "headcount",
                    f"events_below_tracker: {snap['year']} events sum to more than {snap['tracker']}'s "
                    f"{snap['employees']} (through {snap['period_end']}) + {EVENTS_OVER_TRACKER_TOLERANCE:.0%}",
                    str(ours),
                )
            )
    return failures


def revision_flags(totals: pl.DataFrame) -> pl.DataFrame:
    """Snapshots that fall below an earlier snapshot of the same tracker and year by more than the tolerance."""
    # NOTE: a snapshot is ordered by the last day it covers, then by the day it was reported;
    # undated pages sort after dated ones of the same coverage.
    ordered = totals.sort(["tracker", "scope", "year", "period_end", "as_of", "source_id"], nulls_last=True).with_columns(
        pl.col("employees")
        .cum_max()
        .shift(1)
        .over(["tracker", "scope", "year"])
        .alias("_earlier_max")
    )
    flagged = ordered.filter(pl.col("employees") < pl.col("_earlier_max") * (1 - REVISION_TOLERANCE))
    return flagged.select(
        pl.lit("layoff_tracker_totals").alias("table"),
        pl.format(
            "tracker={}; scope={}; year={}; period_end={}; employees={}; source_id={}",
            "tracker", "scope", "year", "period_end", "employees", "source_id",
        ).alias("row_key"),
        pl.lit("revised_down").alias("rule"),
        pl.format(
            "{} is more than 5% below an earlier snapshot of the same year ({})",
            "employees", pl.col("_earlier_max").cast(pl.Int64),
        ).alias("message"),
    )
