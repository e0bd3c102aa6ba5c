"""Check values of the release against the publishers' own published statements.

A statement names a source (the file a value came from), a filter that picks one row, the column,
the figure as stated and the decimals the publisher rounded it to. With a `compare_date` the
statement is a percent change from that date to the row's date. A copy whose numbers were altered
fails these checks (see tests/test_publisher_statements.py).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from talentgap.schemas.fields import FIELDS

# The release table holding each series.
SERIES_TABLES = {
    "oews": "occupations", "cpi_u": "cpi_monthly", "fedfunds": "rates", "ai_share_of_postings": "postings_daily",
    "total_postings_index": "postings_daily", "software_development_postings_index": "postings_daily", "genai_share_of_postings": "postings_daily",
}
SERIES_TABLES["unemployment_rate"] = "cps_unemployment"
SERIES_TABLES["sce_labour_expectations"] = "sce_labour_expectations"
SERIES_TABLES["consumer_sentiment"] = "consumer_sentiment"
# Series checked against a publisher's over-the-month changes (tests/fixtures/publisher_statements_changes.csv).
CHANGE_SERIES_TABLES = {"ces_information": "ces_employment", "ces_total_nonfarm": "ces_employment"}


def _filter(spec: str) -> pl.Expr:
    """`col=value; col=value` as a polars predicate, each value read in its field's type."""
    expr = pl.lit(True)
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        col, value = (x.strip() for x in part.split("=", 1))
        typed = dt.date.fromisoformat(value) if FIELDS[col].type == "date" else value
        expr = expr & (pl.col(col) == typed)
    return expr


def _value(df: pl.DataFrame, statement: dict) -> float | None:
    rows = df.filter((pl.col("source_id") == statement["source_id"]) & _filter(statement["filter"]))
    if rows.height != 1:
        return None
    value = rows[statement["column"]][0]
    if statement.get("compare_date"):
        spec = statement["filter"].rsplit("date=", 1)[0] + f"date={statement['compare_date']}"
        base = df.filter((pl.col("source_id") == statement["source_id"]) & _filter(spec))
        if base.height != 1 or value is None:
            return None
        value = (value / base[statement["column"]][0] - 1) * 100
    return value


def statement_failures(tables: dict[str, pl.DataFrame], statements: pl.DataFrame) -> list[str]:
    """One message per statement the release does not reproduce (rounded as the publisher rounded it)."""
    failures = []
    for s in statements.iter_rows(named=True):
        value = _value(tables[SERIES_TABLES[s["series"]]], s)
        if value is None:
            failures.append(f"{s['series']} {s['source_id']} {s['filter']}: no single row holds {s['column']}")
        elif round(value, int(s["decimals"])) != round(float(s["stated"]), int(s["decimals"])):
            failures.append(f"{s['series']} {s['source_id']} {s['filter']}: {s['column']} is {value}, the publisher states {s['stated']} ({s['url']})")
    return failures


def change_failures(tables: dict[str, pl.DataFrame], statements: pl.DataFrame) -> list[str]:
    """Like statement_failures, for stated changes: the row's value less the value at `from_date` (same filter).

    NOTE: BLS states payroll changes over the month in thousands; a level would not do, as BLS revises
    levels (benchmarks) while the changes of months it calls final stay as stated until the next benchmark.
    """
    failures = []
    for s in statements.iter_rows(named=True):
        df = tables[CHANGE_SERIES_TABLES[s["series"]]]
        base = {**s, "filter": s["filter"].rsplit("month=", 1)[0] + f"month={s['from_date']}"}
        now, before = _value(df, s), _value(df, base)
        if now is None or before is None:
            failures.append(f"{s['series']} {s['source_id']} {s['filter']}: no single row for the month or {s['from_date']}")
            continue
        change = now - before
        if round(change, int(s["decimals"])) != round(float(s["stated"]), int(s["decimals"])):
            failures.append(f"{s['series']} {s['source_id']} {s['filter']}: change is {change}, the publisher states {s['stated']} ({s['url']})")
    return failures
