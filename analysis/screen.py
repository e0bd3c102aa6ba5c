"""Whether a table passes its schema, in one polars query and without loading pandera.

Most builds find nothing wrong. The screen runs every check of the table's pandera schema (the
columns, their order and types, required cells, each field's rules, the row rules, the key's
uniqueness) and the type-wide hygiene rules, from the same rules the schema is made of
(schemas/rules.py), as one select of "does any row fail?" flags. Only a table that does not pass
goes through pandera (analysis/validate.py), which then finds and words every failure.
tests/test_screen.py shows on every shipped table and on broken inputs that the screen passes a
table exactly when pandera and the hygiene rules find no failure.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from talentgap.schemas.fields import FIELDS
from talentgap.schemas.polars_types import polars_schema
from talentgap.schemas.rules import field_rules, frame_rules, hygiene_rules
from talentgap.schemas.tables import table as get_table

# NOTE: below this many rows one eager select is quickest; above it, the distinct values' query
# (measured on the release: 1-7 ms a small table either way, 35 -> 19 ms for the largest).
DISTINCT_ROWS = 10_000


def passes(table_name: str, df: pl.DataFrame, today: dt.date | None = None) -> bool:
    """True when no check of the table's schema and no hygiene rule fails on any row of `df`."""
    today = today or dt.date.today()
    if list(df.schema.items()) != list(polars_schema(table_name).items()):
        return False  # a column missing, extra, out of order or of another type
    if df.height == 0:
        return True
    table = get_table(table_name)
    if df.height < DISTINCT_ROWS:
        flags = _row_flags(table, df, today) + [flag for n in table.fields for flag in _cell_flags(table, n, today)]
        return not any(df.select(_named(flags)).row(0))
    texts = [n for n in table.fields if FIELDS[n].type == "string"]
    # NOTE: a text cell's rules (patterns, blanks, control characters) look at the cell alone, so on a large
    # table they run on each column's distinct values: the large tables repeat a few codes over 100,000 rows.
    # Other cells' rules are comparisons, cheaper than finding the distinct values first.
    parts = [df.lazy().select(_named(_row_flags(table, df, today) + [
        flag for n in table.fields if n not in texts for flag in _cell_flags(table, n, today)
    ]))]
    parts += [df.lazy().select(pl.col(n).unique()).select(_named(_cell_flags(table, n, today), n)) for n in texts]
    return not any(pl.concat(parts, how="horizontal").collect().row(0))


def _named(flags: list[pl.Expr], prefix: str = "") -> list[pl.Expr]:
    return [flag.alias(f"{prefix}.{i}") for i, flag in enumerate(flags)]


def _cell_flags(table, name: str, today: dt.date) -> list[pl.Expr]:
    """One expression per rule on a column's cells, true when some cell fails it (a null rule result passes, as in pandera)."""
    f = FIELDS[name]
    # NOTE: pandera also counts NaN as missing in a required number column; NaN breaks every number's
    # hygiene rule (finite), so the screen fails it either way.
    flags = [pl.col(name).is_null().any()] if table.is_required(f) else []
    flags += [(~rule.passes(name)).fill_null(False).any() for rule in field_rules(f, today)]
    return flags + [broken.fill_null(False).any() for _, broken in hygiene_rules(f)]


def _row_flags(table, df: pl.DataFrame, today: dt.date) -> list[pl.Expr]:
    """The rules over whole rows and the key's uniqueness, each true when some row fails."""
    flags = [(~rule.passes("*", df)).fill_null(False).any() for rule in frame_rules(table)]
    if table.primary_key:
        flags.append(pl.struct(list(table.primary_key)).is_duplicated().any())
    return flags
