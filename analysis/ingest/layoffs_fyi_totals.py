"""Aggregates of a Layoffs.fyi export: monthly totals and year totals as of each day.

Layoffs.fyi grants no licence for its rows, so only these sums are published (see data/NOTES.md).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

YEAR = pl.col("announced_on").dt.year()


def monthly(events: pl.DataFrame, source_id: str, vintage: dt.date) -> pl.DataFrame:
    """Per month of layoff date: people (where the row gives a number), distinct companies, rows; one export."""
    return (
        events.group_by(pl.col("announced_on").dt.truncate("1mo").alias("month"))
        .agg(
            pl.col("headcount").sum().alias("employees"),
            pl.col("company").n_unique().alias("companies"),
            pl.len().alias("events"),
            pl.col("headcount").is_null().sum().alias("events_size_unknown"),
        )
        .with_columns(pl.lit(source_id).alias("source_id"), pl.lit(vintage, pl.Date).alias("vintage"))
        .sort("month")
        .cast({"employees": pl.Int64, "companies": pl.Int64, "events": pl.Int64, "events_size_unknown": pl.Int64})
    )


COUNTS = ("employees", "companies", "events", "events_size_unknown")


def newest_covering(by_export: pl.DataFrame) -> pl.DataFrame:
    """For every month any export holds, the export the monthly series takes it from (source_id, month).

    NOTE: an export covers a month from its first month with rows to the last month that ended before its
    vintage: the month it was taken in is only partly listed, so it waits for a later export. Of the exports
    covering a month, the newest (latest vintage; source_id breaks a tie) wins: the tracker revises its list.
    """
    spans = by_export.group_by("source_id").agg(pl.col("month").min().alias("_first"), pl.col("vintage").first())
    months = by_export.select(pl.col("month").unique())
    covered = months.join(spans, how="cross").filter(
        (pl.col("month") >= pl.col("_first")) & (pl.col("month").dt.offset_by("1mo") <= pl.col("vintage"))
    )
    return (
        covered.sort(["month", "vintage", "source_id"], descending=[False, True, True])
        .group_by("month", maintain_order=True)
        .first()
        .select("source_id", "month")
    )


def split(by_export: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(every export's months with in_monthly_series, the one monthly series) from the exports' monthly sums.

    NOTE: a month the chosen export covers but lists no layoff in is a real zero, so its counts are 0.
    """
    chosen = newest_covering(by_export)
    vintages = by_export.group_by("source_id").agg(pl.col("vintage").first())
    flagged = by_export.join(chosen.with_columns(pl.lit(True).alias("in_monthly_series")), on=["source_id", "month"], how="left")
    flagged = flagged.with_columns(pl.col("in_monthly_series").fill_null(False))
    series = (
        chosen.join(by_export.drop("vintage"), on=["source_id", "month"], how="left")
        .join(vintages, on="source_id", how="left")
        .with_columns([pl.col(c).fill_null(0) for c in COUNTS])
        .sort("month")
    )
    return flagged.sort("source_id", "month"), series


def as_of(events: pl.DataFrame, source_id: str) -> pl.DataFrame:
    """For each year, its running totals at the end of each day on which rows of that year were added.

    NOTE: a company counts from the first day a row of it was added for the year (distinct names, as
    the tracker's own company counts appear to be: our 2024 count equals its published one).
    """
    dated = events.filter(pl.col("date_added").is_not_null()).with_columns(YEAR.alias("year"))
    undated = events.filter(pl.col("date_added").is_null()).group_by(YEAR.alias("year")).agg(pl.len().alias("rows_without_date_added"))
    first_seen = dated.group_by("year", "company").agg(pl.col("date_added").min().alias("as_of"))
    new_companies = first_seen.group_by("year", "as_of").agg(pl.len().alias("_new_companies"))
    daily = dated.group_by("year", pl.col("date_added").alias("as_of")).agg(
        pl.col("headcount").sum().alias("_people"), pl.len().alias("_events")
    )
    return (
        daily.join(new_companies, on=["year", "as_of"], how="left")
        .sort("year", "as_of")
        .with_columns(
            pl.col("_people").cum_sum().over("year").alias("employees"),
            pl.col("_new_companies").fill_null(0).cum_sum().over("year").alias("companies"),
            pl.col("_events").cum_sum().over("year").alias("events"),
        )
        .join(undated, on="year", how="left")
        .select(
            pl.col("year").cast(pl.Int64), "as_of", "employees", "companies", "events",
            pl.col("rows_without_date_added").fill_null(0), pl.lit(source_id).alias("source_id"),
        )
        .cast({"employees": pl.Int64, "companies": pl.Int64, "events": pl.Int64, "rows_without_date_added": pl.Int64})
    )
