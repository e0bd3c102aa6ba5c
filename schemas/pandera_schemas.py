"""Pandera (polars backend) schemas generated from the registry."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pandera.polars as pa
import polars as pl

from .fields import FIELDS
from .registry import Field, Table
from .tables import table as get_table

POLARS_TYPES = {
    "string": pl.String,
    "integer": pl.Int64,
    "number": pl.Float64,
    "date": pl.Date,
    "boolean": pl.Boolean,
}

FORMULA_PREFIX = r"^[=+\-@]"


def resolve_date(value: str, today: dt.date) -> dt.date:
    """An ISO date, or the build date for the word 'today'."""
    return today if value == "today" else dt.date.fromisoformat(value)


def _col_check(name: str, error: str, make_expr) -> pa.Check:
    """A column check from a function of the column expression; nulls pass.

    The error text is `<rule>: <what is required>`, which the failure table shows as is.
    """
    return pa.Check(
        lambda data: data.lazyframe.select(make_expr(pl.col(data.key)) | pl.col(data.key).is_null()),
        name=name,
        error=f"{name}: {error}",
    )


def field_checks(f: Field, today: dt.date) -> list[pa.Check]:
    """Checks for one field's constraints, each with a readable rule."""
    checks = []
    if f.minimum is not None:
        checks.append(_col_check("minimum", f"must be >= {f.minimum}", lambda c, m=f.minimum: c >= m))
    if f.maximum is not None:
        checks.append(_col_check("maximum", f"must be <= {f.maximum}", lambda c, m=f.maximum: c <= m))
    if f.min_date is not None:
        lo = resolve_date(f.min_date, today)
        checks.append(_col_check("min_date", f"must be on or after {lo.isoformat()}", lambda c, lo=lo: c >= lo))
    if f.max_date is not None:
        hi = resolve_date(f.max_date, today)
        checks.append(_col_check("max_date", f"must be on or before {hi.isoformat()}", lambda c, hi=hi: c <= hi))
    if f.enum is not None:
        allowed = list(f.enum)
        shown = ", ".join(allowed) if len(allowed) <= 8 else ", ".join(allowed[:8]) + ", ..."
        checks.append(_col_check("enum", f"must be one of: {shown}", lambda c, a=allowed: c.is_in(a)))
    if f.pattern is not None:
        checks.append(_col_check("pattern", f"must match {f.pattern}", lambda c, p=f.pattern: c.str.contains(p)))
    if f.type == "string":
        checks.append(
            _col_check(
                "no_formula",
                "must not start with =, +, - or @ (spreadsheet formula)",
                lambda c: ~c.str.contains(FORMULA_PREFIX),
            )
        )
        checks.append(_col_check("not_blank", "must not be blank", lambda c: c.str.strip_chars() != ""))
    return checks


# Row rules: name -> (error, expression that is true for a valid row).
ROW_RULES = {
    "headcount_or_share": (
        "headcount or share_of_workforce must be given",
        lambda: pl.col("headcount").is_not_null() | pl.col("share_of_workforce").is_not_null(),
    ),
    "period_end_in_year": (
        "period_end must fall in year",
        lambda: pl.col("period_end").dt.year() == pl.col("year"),
    ),
    "period_end_not_after_as_of": (
        "period_end must not be after as_of",
        lambda: pl.col("period_end") <= pl.col("as_of"),
    ),
    "reference_period_matches_year": (
        "reference_period must be 'May <year>'",
        lambda: pl.col("reference_period") == pl.format("May {}", pl.col("year")),
    ),
    "period_ordered": (
        "period_start must not be after period_end",
        lambda: pl.col("period_start") <= pl.col("period_end"),
    ),
    "amount_unit_matches_statistic": (
        "mean/median need usd_per_year; premium/change need share",
        lambda: pl.when(pl.col("statistic").is_in(["mean", "median"]))
        .then(pl.col("amount_unit") == "usd_per_year")
        .otherwise(pl.col("amount_unit") == "share"),
    ),
    "share_in_unit_range": (
        "a value in unit share must be within 0-1",
        lambda: (pl.col("value_unit") != "share") | pl.col("value").is_between(0, 1),
    ),
    "percent_in_unit_range": (
        "a value in unit percent must be within 0-100",
        lambda: (pl.col("value_unit") != "percent") | pl.col("value").is_between(0, 100),
    ),
    "month_is_first_day": (
        "month must be the first day of a month",
        lambda: pl.col("month").dt.day() == 1,
    ),
    "offsets_ordered": (
        "char_start must be before char_end",
        lambda: pl.col("char_start") < pl.col("char_end"),
    ),
}


def _row_check(rule: str) -> pa.Check:
    error, make_expr = ROW_RULES[rule]
    return pa.Check(
        lambda data, e=make_expr: data.lazyframe.select(e().fill_null(True)),
        name=rule,
        error=f"{rule}: {error}",
    )


@cache
def schema_for(table_name: str, today: dt.date | None = None) -> pa.DataFrameSchema:
    """The pandera schema of a table, from the registry."""
    today = today or dt.date.today()
    table: Table = get_table(table_name)
    columns = {}
    for name in table.fields:
        f = FIELDS[name]
        columns[name] = pa.Column(
            POLARS_TYPES[f.type],
            checks=field_checks(f, today),
            nullable=not table.is_required(f),
            description=f.description,
            title=name,
        )
    return pa.DataFrameSchema(
        columns,
        checks=[_row_check(r) for r in table.row_rules],
        unique=list(table.primary_key),
        strict=True,
        ordered=True,
        name=table_name,
        description=table.description,
    )
