"""Aggregates of a Layoffs.fyi export: monthly totals and year totals as of each day.

Layoffs.fyi grants no licence for its rows, so only these sums are published (see data/NOTES.md).
"""

from __future__ import annotations

import polars as pl

YEAR = pl.col("announced_on").dt.year()


def monthly(events: pl.DataFrame, source_id: str) -> pl.DataFrame:
    """Per month of layoff date: people (where the row gives a number), distinct companies, rows."""
    return (
        events.group_by(pl.col("announced_on").dt.truncate("1mo").alias("month"))
        .agg(
            pl.col("headcount").sum().alias("employees"),
            pl.col("company").n_unique().alias("companies"),
            pl.len().alias("events"),
            pl.col("headcount").is_null().sum().alias("events_size_unknown"),
        )
        .with_columns(pl.lit(source_id).alias("source_id"))
        .sort("month")
        .cast({"employees": pl.Int64, "companies": pl.Int64, "events": pl.Int64, "events_size_unknown": pl.Int64})
    )


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
