"""Read a curated CSV as text and cast it to the registry's types, recording every cell that fails."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from talentgap.schemas.fields import FIELDS
from talentgap.schemas.pandera_schemas import POLARS_TYPES
from talentgap.schemas.tables import table as get_table

from .failures import Failure

TYPE_RULES = {
    "integer": "type: must be a whole number",
    "number": "type: must be a number",
    "date": "type: must be a date YYYY-MM-DD",
    "boolean": "type: must be true or false",
}


def _cast(col: pl.Expr, type_: str) -> pl.Expr:
    text = col.str.strip_chars()
    if type_ == "integer":
        # NOTE: "16000.0" is not accepted as an integer in curated data: it would hide a typo.
        return text.cast(pl.Int64, strict=False)
    if type_ == "number":
        return text.cast(pl.Float64, strict=False)
    if type_ == "date":
        return text.str.to_date("%Y-%m-%d", strict=False)
    if type_ == "boolean":
        return pl.when(text == "true").then(True).when(text == "false").then(False).otherwise(None)
    return col


def read_csv_text(path: Path) -> pl.DataFrame:
    """Every column as text; empty cells as null."""
    return pl.read_csv(path, infer_schema=False)


def read_curated(table_name: str, path: Path, file: str | None = None) -> tuple[pl.DataFrame, list[Failure], pl.DataFrame | None]:
    """The table cast to its types, a failure for each header problem or uncastable cell, and the text as read.

    `file` is the name failures give the file (default: its name).
    """
    table = get_table(table_name)
    file = file or path.name
    if not path.exists():
        return _empty(table_name), [Failure(file, None, None, "file: missing", str(path))], None
    raw = read_csv_text(path)
    failures = []
    missing = [c for c in table.fields if c not in raw.columns]
    extra = [c for c in raw.columns if c not in table.fields]
    for c in missing:
        failures.append(Failure(file, None, c, "header: column missing", ""))
    for c in extra:
        failures.append(Failure(file, None, c, "header: unknown column", ""))
    if missing:
        return _empty(table_name), failures, raw
    raw = raw.select(table.fields)
    cast = raw.select(_cast(pl.col(n), FIELDS[n].type).alias(n) for n in table.fields)
    for n in table.fields:
        type_ = FIELDS[n].type
        if type_ == "string":
            continue
        bad = raw.with_row_index("row", offset=1).filter(pl.col(n).is_not_null() & cast[n].is_null())
        for row, value in bad.select("row", n).iter_rows():
            failures.append(Failure(file, row, n, TYPE_RULES[type_], value))
    return cast, failures, raw


def _empty(table_name: str) -> pl.DataFrame:
    table = get_table(table_name)
    return pl.DataFrame(schema={n: POLARS_TYPES[FIELDS[n].type] for n in table.fields})
