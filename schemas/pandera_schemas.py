"""Pandera (polars backend) schemas generated from the registry, their checks the rules of rules.py."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pandera.polars as pa

from .fields import FIELDS
from .polars_types import POLARS_TYPES
from .registry import Table
from .rules import NEAR_DUPLICATE, Rule, field_rules, frame_rules
from .tables import table as get_table


def _with_expression(check: pa.Check, rule: Rule) -> pa.Check:
    """The check, carrying the expression its function selects (`passes(column name, frame)`, true where a row passes).

    NOTE: analysis/batched.py evaluates such checks as expressions of one query per table instead of one
    pandera query each; tests/test_batched.py compares the failure cases with pandera's own.
    """
    check.talentgap_passes = rule.passes
    return check


def _column_check(rule: Rule) -> pa.Check:
    """A column's rule as a pandera check; the error text is what the failure table shows."""
    return _with_expression(pa.Check(lambda data: data.lazyframe.select(rule.passes(data.key)), name=rule.name, error=rule.error), rule)


def _frame_check(rule: Rule) -> pa.Check:
    """A rule over whole rows as a pandera dataframe check."""
    # NOTE: the near-duplicate expression (a struct's duplicates, or a repeat) is given a column name of its own.
    if rule.name == NEAR_DUPLICATE:
        return _with_expression(pa.Check(lambda data: data.lazyframe.select(rule.passes(data.key).alias("ok")), name=rule.name, error=rule.error), rule)
    return _column_check(rule)


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
            checks=[_column_check(r) for r in field_rules(f, today)],
            nullable=not table.is_required(f),
            description=f.description,
            title=name,
        )
    return pa.DataFrameSchema(
        columns,
        checks=[_frame_check(r) for r in frame_rules(table)],
        unique=list(table.primary_key),
        strict=True,
        ordered=True,
        name=table_name,
        description=table.description,
    )
