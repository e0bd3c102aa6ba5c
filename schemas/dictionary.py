"""The data dictionary (one row per table column), generated from the registry."""

from __future__ import annotations

import polars as pl

from .fields import FIELDS
from .tables import TABLES


def _constraints(table, f) -> str:
    parts = []
    if table.is_required(f):
        parts.append("required")
    if f.minimum is not None:
        parts.append(f">= {f.minimum}")
    if f.maximum is not None:
        parts.append(f"<= {f.maximum}")
    if f.min_date:
        parts.append(f"on or after {f.min_date}")
    if f.max_date:
        parts.append(f"on or before {f.max_date}")
    if f.enum:
        parts.append("one of: " + ", ".join(f.enum))
    if f.pattern:
        parts.append(f"matches {f.pattern}")
    return "; ".join(parts)


def data_dictionary() -> pl.DataFrame:
    """Every column of every table with type, unit, constraints and description."""
    rows = []
    for table in TABLES.values():
        for name in table.fields:
            f = FIELDS[name]
            rows.append(
                {
                    "table": table.name,
                    "column": name,
                    "type": f.type,
                    "unit": f.unit or "",
                    "key": "primary key" if name in table.primary_key else "",
                    "constraints": _constraints(table, f),
                    "description": f.description,
                }
            )
    return pl.DataFrame(rows)


def table_summaries() -> pl.DataFrame:
    """One row per table: title, description, key and schema version."""
    return pl.DataFrame(
        [
            {
                "table": t.name,
                "title": t.title,
                "description": t.description,
                "primary_key": ", ".join(t.primary_key),
                "schema_version": t.schema_version,
                "origin": t.origin,
            }
            for t in TABLES.values()
        ]
    )
