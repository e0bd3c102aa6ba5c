"""Read a curated CSV as text and cast it to the registry's types, recording every cell that fails."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

from talentgap.schemas.fields import FIELDS
from talentgap.schemas.polars_types import polars_schema
from talentgap.schemas.tables import table as get_table

from .failures import Failure
from .safe_text import escape

TYPE_RULES = {
    "integer": "type: must be a whole number",
    "number": "type: must be a number",
    "date": "type: must be a date YYYY-MM-DD",
    "boolean": "type: must be true or false",
}


# NOTE: optional columns added to a table after files were written without them: a file that lacks
# one reads as if the column were empty (manifests written before `talentgap update` existed).
LATER_COLUMNS = {"upstream_manifest": ("latest_url",)}


def _cast(col: pl.Expr, type_: str) -> pl.Expr:
    text = col.str.strip_chars()
    if type_ == "integer":
        # NOTE: "16000.0" is not accepted as an integer in curated data: it would hide a typo.
        return text.cast(pl.Int64, strict=False)
    if type_ == "number":
        return text.cast(pl.Float64, strict=False)
    if type_ == "date":
        # NOTE: polars' parser takes 2023-1-5 for %Y-%m-%d; curated dates must be written in full ISO form.
        return pl.when(text.str.contains(r"^\d{4}-\d{2}-\d{2}$")).then(text.str.to_date("%Y-%m-%d", strict=False))
    if type_ == "boolean":
        return pl.when(text == "true").then(True).when(text == "false").then(False).otherwise(None)
    return col


def read_csv_text(path: Path) -> pl.DataFrame:
    """Every column as text; empty cells as null."""
    return pl.read_csv(path, infer_schema=False)


def _read_text(path: Path, file: str) -> tuple[pl.DataFrame | None, list[Failure]]:
    """The file as a frame of text, or the failures that stop it being read (never an exception)."""
    data = path.read_bytes()
    if not data.strip():
        return None, [Failure(file, None, None, "file: empty (a header row is needed)", f"{len(data)} bytes")]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        # Rows count from 1 after the header, so the line index of the bad byte is its row.
        row = data[: err.start].count(b"\n")
        shown = f"byte 0x{data[err.start]:02x} at offset {err.start}"
        return None, [Failure(file, row or None, None, "encoding: not UTF-8", shown)]
    try:
        return pl.read_csv(io.BytesIO(data), infer_schema=False), []
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, pl.exceptions.ShapeError) as err:
        return None, [Failure(file, None, None, "csv: cannot be parsed", escape(str(err).splitlines()[0])[:200])]


def read_curated(table_name: str, path: Path, file: str | None = None) -> tuple[pl.DataFrame, list[Failure], pl.DataFrame | None]:
    """The table cast to its types, a failure for each header problem or uncastable cell, and the text as read.

    `file` is the name failures give the file (default: its name).
    """
    table = get_table(table_name)
    file = file or path.name
    if not path.exists():
        return _empty(table_name), [Failure(file, None, None, "file: missing", str(path))], None
    raw, failures = _read_text(path, file)
    if raw is None:
        return _empty(table_name), failures, None
    later = [c for c in LATER_COLUMNS.get(table_name, ()) if c not in raw.columns]
    if later:
        raw = raw.with_columns(pl.lit(None, pl.String).alias(c) for c in later)
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
        # NOTE: Series operations, not a query per column: most columns have no bad cell.
        bad = raw[n].is_not_null() & cast[n].is_null()
        if bad.any():
            for index in bad.arg_true().to_list():
                failures.append(Failure(file, index + 1, n, TYPE_RULES[type_], raw[n][index]))
    if raw.height == 0 and not table.may_be_empty:
        failures.append(Failure(file, None, None, "empty: the table has no rows (the registry does not allow an empty table)", ""))
    return cast, failures, raw


def _empty(table_name: str) -> pl.DataFrame:
    return pl.DataFrame(schema=polars_schema(table_name))
