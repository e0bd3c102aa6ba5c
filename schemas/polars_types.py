"""The polars type of each registry type, and a table's columns as a polars schema (no pandera needed)."""

from __future__ import annotations

import polars as pl

from .fields import FIELDS
from .tables import table as get_table

POLARS_TYPES = {
    "string": pl.String,
    "integer": pl.Int64,
    "number": pl.Float64,
    "date": pl.Date,
    "boolean": pl.Boolean,
}


def polars_schema(table_name: str) -> dict[str, pl.DataType]:
    """A table's columns in registry order, each with its polars type."""
    return {n: POLARS_TYPES[FIELDS[n].type] for n in get_table(table_name).fields}
