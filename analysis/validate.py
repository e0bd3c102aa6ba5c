"""Run a table's pandera schema lazily and turn every failure case into a Failure."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
from pandera.errors import SchemaErrors

from talentgap.schemas.pandera_schemas import schema_for
from talentgap.schemas.tables import TABLES

from .failures import Failure


def _rule(check: str, table_name: str) -> str:
    if check == "not_nullable":
        return "required: must not be empty"
    if check == "multiple_fields_uniqueness":
        return "primary_key: duplicate (" + ", ".join(TABLES[table_name].primary_key) + ")"
    return check


def schema_failures(
    table_name: str, df: pl.DataFrame, file: str, today: dt.date | None = None, raw: pl.DataFrame | None = None
) -> list[Failure]:
    """Every failure of the table's pandera schema, with 1-based data row numbers.

    With `raw` (the file as text), a cell's value is shown as written ("-1", not "-1.0").
    """
    try:
        schema_for(table_name, today or dt.date.today()).validate(df, lazy=True)
    except SchemaErrors as err:
        cases = err.failure_cases
    else:
        return []
    key = ", ".join(TABLES[table_name].primary_key)
    failures = []
    for case in cases.iter_rows(named=True):
        check = case["check"]
        column = key if check == "multiple_fields_uniqueness" else case["column"]
        index = case["index"]
        value = case["failure_case"]
        if value is not None and check != "multiple_fields_uniqueness" and value.startswith("{"):
            # NOTE: row-level checks report the whole row; keep it compact.
            value = json.dumps(json.loads(value), ensure_ascii=False, separators=(",", ":"))
        if raw is not None and index is not None and column in raw.columns:
            value = raw[column][int(index)]
        failures.append(Failure(file, None if index is None else int(index) + 1, column, _rule(check, table_name), value))
    return failures
