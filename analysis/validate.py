"""Run a table's pandera schema lazily and turn every failure case into a Failure.

pandera is loaded on the first table that does not pass the screen (analysis/screen.py): a build of
valid data never loads it. A caller that will need it (an ingest) loads talentgap.batched early.
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from talentgap.schemas.fields import FIELDS
from talentgap.schemas.rules import NEAR_DUPLICATE, hygiene_rules
from talentgap.schemas.tables import table as get_table

from . import screen
from .failures import Failure


_UNIQUE = "multiple_fields_uniqueness"
CASE_SCHEMA = {"index": pl.Int64, "column": pl.String, "rule": pl.String, "value": pl.String, "row_level": pl.Boolean}


def failure_cases(table_name: str, df: pl.DataFrame, today: dt.date | None = None) -> pl.DataFrame:
    """Every failure of the table's pandera schema (lazy=True), one row each, in our terms.

    index: 0-based row of `df` (null for a whole-column failure); column: for a duplicate key, the
    key's fields joined by ", "; rule: "<rule>: <requirement>"; value: as pandera shows it;
    row_level: a row rule, whose value is the whole row as JSON.
    """
    from talentgap.schemas.pandera_schemas import schema_for

    from .batched import batched_cases

    hygiene = _hygiene_cases(table_name, df)
    schema = schema_for(table_name, today or dt.date.today())
    cases = batched_cases(schema, df)
    if cases is None:
        cases = pandera_cases(schema, df)
    if cases is None or cases.height == 0:
        return hygiene
    key = ", ".join(get_table(table_name).primary_key)
    near = pl.col("check").str.starts_with(f"{NEAR_DUPLICATE}:")
    unique = (pl.col("check") == _UNIQUE) | near
    value = pl.col("failure_case").cast(pl.String)
    # NOTE: a near-duplicate key is shown by its key values as written, not the whole row.
    key_values = pl.concat_str(
        [value.str.json_path_match(f"$.{k}").fill_null("") for k in get_table(table_name).primary_key], separator=", "
    )
    value = pl.when(near).then(key_values).otherwise(value)
    return pl.concat([cases.select(
        pl.col("index").cast(pl.Int64),
        pl.when(unique).then(pl.lit(key)).otherwise(pl.col("column")).alias("column"),
        pl.when(pl.col("check") == "not_nullable").then(pl.lit("required: must not be empty"))
        .when(pl.col("check") == _UNIQUE).then(pl.lit(f"primary_key: duplicate ({key})"))
        .otherwise(pl.col("check")).alias("rule"),
        value.alias("value"),
        (~unique & value.str.starts_with("{")).fill_null(False).alias("row_level"),
    ), hygiene])


def pandera_cases(schema, df: pl.DataFrame) -> pl.DataFrame | None:
    """pandera's own failure cases (index, column, check, failure_case), or None when the frame passes.

    One polars query per check and column (thousands per build): the reference batched_cases must equal.
    """
    from pandera.errors import SchemaErrors

    try:
        schema.validate(df, lazy=True)
    except SchemaErrors as err:
        return err.failure_cases.select("index", "column", "check", "failure_case")
    return None


def _hygiene_cases(table_name: str, df: pl.DataFrame) -> pl.DataFrame:
    """Cells breaking a type-wide rule (finite numbers; text without control characters, not too long), one pass."""
    rules = [
        (name, rule, broken)
        for name in get_table(table_name).fields
        if name in df.columns
        for rule, broken in hygiene_rules(FIELDS[name])
    ]
    if not rules or df.height == 0:
        return pl.DataFrame(schema=CASE_SCHEMA)
    flags = df.select(broken.fill_null(False).alias(str(i)) for i, (_, _, broken) in enumerate(rules))
    # NOTE: which rules any cell breaks first (one pass over the flags); only those are looked at row by row.
    broken_any = flags.select(pl.all().any()).row(0)
    found = []
    for i, (name, rule, _) in enumerate(rules):
        if not broken_any[i]:
            continue
        idx = flags[str(i)].arg_true()
        if len(idx):
            found.append(pl.DataFrame({
                "index": idx.cast(pl.Int64), "column": name, "rule": rule,
                "value": df[name].gather(idx).cast(pl.String), "row_level": False,
            }, schema=CASE_SCHEMA))
    return pl.concat(found) if found else pl.DataFrame(schema=CASE_SCHEMA)


def schema_failures(
    table_name: str, df: pl.DataFrame, file: str, today: dt.date | None = None, raw: pl.DataFrame | None = None
) -> list[Failure]:
    """Every failure of the table's pandera schema, with 1-based data row numbers.

    With `raw` (the file as text), a cell's value is shown as written ("-1", not "-1.0").
    """
    # NOTE: a table that passes the screen has no failure to find; pandera runs only where one is.
    if screen.passes(table_name, df, today):
        return []
    failures = []
    for case in failure_cases(table_name, df, today).iter_rows(named=True):
        index, column, value = case["index"], case["column"], case["value"]
        if case["row_level"]:
            # NOTE: row-level checks report the whole row; keep it compact.
            value = json.dumps(json.loads(value), ensure_ascii=False, separators=(",", ":"))
        if raw is not None and index is not None and column in raw.columns:
            value = raw[column][index]
        failures.append(Failure(file, None if index is None else index + 1, column, case["rule"], value))
    return failures
