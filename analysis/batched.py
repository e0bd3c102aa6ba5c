"""A pandera (polars) schema's data checks in one polars query per table, with pandera's failure cases.

pandera's polars backend collects one query per check, per column and per core check (nulls,
uniqueness): about 3,800 queries for the shipped data, most of a second of the build. Here pandera's
own check backend builds each check's lazy output (so any check the registry adds runs as pandera
runs it), the outputs are set side by side and collected once, and only the checks that fail are
looked at again. The result is pandera's failure-case frame (index, column, check, failure_case) with
the same rows: tests/test_batched.py compares the two on broken inputs of every table.

Where a schema or frame uses something this does not mirror (a column missing, out of order or of
another type, coercion, per-column uniqueness, a check returning one bool, ...), batched_cases returns
None and the caller runs pandera itself, which then reports exactly what it always did.
"""

from __future__ import annotations

import polars as pl
import pandera.polars as pa
from pandera.api.polars.types import PolarsData
from pandera.backends.polars.checks import PolarsCheckBackend
from pandera.backends.polars.register import register_polars_backends

CHECK_OUTPUT = "check_output"  # pandera.constants.CHECK_OUTPUT_KEY
UNIQUE = "multiple_fields_uniqueness"
EAGER_ROWS = 10_000
CASES = {"index": pl.Int32, "column": pl.String, "check": pl.String, "failure_case": pl.String}


def batched_cases(schema: pa.DataFrameSchema, df: pl.DataFrame) -> pl.DataFrame | None:
    """pandera's failure cases for `df` (an empty frame when it passes), or None to run pandera instead."""
    if not _mirrorable(schema, df):
        return None
    # NOTE: pandera registers its polars check functions (the built-in checks among them) at its first validate;
    # done here too, so that a built-in check runs the same whether or not pandera has validated before.
    register_polars_backends()
    try:
        plans = _plans(schema, df)
        # NOTE: one query per table: the checks that carry their expression are one select, the others
        # are set beside it. A check's output shorter than the frame would be padded with nulls, longer
        # would lengthen it: either way it is not a row-wise check, so pandera decides.
        exprs = [p[-1] for p in plans if isinstance(p[-1], pl.Expr)]
        others = [p[-1] for p in plans if isinstance(p[-1], pl.LazyFrame)]
        if df.height < EAGER_ROWS and not others:
            # NOTE: on a small frame an eager select costs half what planning the lazy query does; on a large
            # one the optimised lazy query is faster (measured on the release's tables).
            flags = df.select(exprs)
        else:
            parts = ([df.lazy().select(exprs)] if exprs else []) + others
            flags = pl.concat(parts, how="horizontal").collect() if parts else pl.DataFrame()
    except Exception:  # NOTE: a check that raises (or returns one bool) is reported by pandera, in its words.
        return None
    if flags.width and (flags.height != df.height or any(flags.null_count().row(0))):
        return None
    failing = flags.select(pl.all().any()).row(0, named=True) if flags.height else {}
    parts = [_unique_cases(schema, df)]
    parts += [_cases(schema, df, kind, column, check, flags[flag]) for kind, column, check, flag, _ in plans if failing.get(flag)]
    return pl.concat(parts)


def _mirrorable(schema: pa.DataFrameSchema, df: pl.DataFrame) -> bool:
    """True when the frame has exactly the schema's columns and types and the schema uses only what we mirror."""
    if list(df.columns) != list(schema.columns):
        return False
    if schema.coerce or schema.add_missing_columns or schema.drop_invalid_rows or schema.report_duplicates != "all":
        return False
    if schema.unique is not None and not all(isinstance(k, str) for k in schema.unique):
        return False
    for name, col in schema.columns.items():
        if col.regex or col.unique or col.coerce or col.default is not None or col.drop_invalid_rows:
            return False
        if col.dtype is None or df.schema[name] != col.dtype.type:
            return False
    checks = [c for col in schema.columns.values() for c in col.checks] + list(schema.checks)
    return not any(c.raise_warning or c.n_failure_cases is not None or c.groupby is not None for c in checks)


def _output(check: pa.Check, lf: pl.LazyFrame, key: str) -> pl.LazyFrame:
    """The check's boolean output as pandera's check backend builds it (not collected)."""
    # NOTE: as pandera.api.checks.Check.__call__ does, a built-in check reloads its function first.
    builtin = getattr(check._check_fn, "__name__", None)
    if builtin is not None and check.is_builtin_check(builtin):
        check._check_fn = check.get_builtin_check_fn(builtin)
    out = PolarsCheckBackend(check).apply(PolarsData(lf, key))
    if isinstance(out, bool):
        raise TypeError("a check returning one bool: run pandera")
    return out


def _plans(schema: pa.DataFrameSchema, df: pl.DataFrame) -> list[tuple]:
    """(kind, column, check, flag name, the flag), in pandera's order of checks.

    kinds: "null" (a required column), "column" (a column's check), "frame" (a dataframe check).
    The flag, an expression over the frame or a lazy frame of one column, is true where pandera counts
    the row as failing.
    """
    plans = []
    for n, (name, col) in enumerate(schema.columns.items()):
        if not col.nullable:
            present = pl.col(name).is_not_null()
            if df.schema[name] in (pl.Float32, pl.Float64):
                present = present & pl.col(name).is_not_nan()  # NOTE: pandera counts NaN as null
            plans.append(("null", name, None, f"{n}.null", (~present).alias(f"{n}.null")))
        for i, check in enumerate(col.checks):
            plans.append(("column", name, check, f"{n}.{i}", _flag(check, df, name, f"{n}.{i}")))
    for i, check in enumerate(schema.checks):
        plans.append(("frame", None, check, f"frame.{i}", _flag(check, df, "*", f"frame.{i}")))
    return plans


def _flag(check: pa.Check, df: pl.DataFrame, key: str, alias: str) -> pl.Expr | pl.LazyFrame:
    """The check's failure flag: its own expression where it carries one, else pandera's check backend's output."""
    passes = getattr(check, "talentgap_passes", None)
    if passes is not None:
        return _failed(check, passes(key, df), alias)
    return _output(check, df.lazy(), key).select(_failed(check, pl.col(CHECK_OUTPUT), alias))


def _failed(check: pa.Check, c: pl.Expr, alias: str) -> pl.Expr:
    """True where the row fails, as pandera's postprocessing decides (ignore_na: a null output passes)."""
    passed = (c | c.is_null()) if check.ignore_na else c.fill_null(False)
    return (~passed).alias(alias)


def _identifier(check: pa.Check) -> str:
    """The check's name in pandera's failure cases: its error text, else its name."""
    return check.error if check.error is not None else (check.name if check.name is not None else str(check))


def _encoded(rows: pl.DataFrame) -> pl.Series:
    """Failure cases as pandera shows them: one column's values as text, several columns' rows as JSON."""
    if rows.width > 1:
        return pl.Series(rows.rows(named=True)).struct.json_encode()
    values = rows.to_series(0)
    if isinstance(values.dtype, (pl.List, pl.Array, pl.Struct)):
        return pl.DataFrame({"v": values}).select(pl.struct("v").struct.json_encode().str.slice(5).str.head(-1)).to_series()
    return values.cast(pl.String)


def _frame(index: pl.Series, column: str | None, check: str, values: pl.Series) -> pl.DataFrame:
    return pl.DataFrame(
        {"index": index, "column": [column] * len(index), "check": [check] * len(index), "failure_case": values},
        schema=CASES,
    )


def _cases(schema, df: pl.DataFrame, kind: str, column: str | None, check, failed: pl.Series) -> pl.DataFrame:
    index = failed.arg_true()
    if kind == "frame":
        return _frame(index, schema.name, _identifier(check), _encoded(df.filter(failed)))
    values = _encoded(df.select(column).filter(failed))
    return _frame(index, column, "not_nullable" if kind == "null" else _identifier(check), values)


def _unique_cases(schema: pa.DataFrameSchema, df: pl.DataFrame) -> pl.DataFrame:
    """Rows sharing the schema's unique columns: every copy, the whole row as JSON (pandera reports them so)."""
    if not schema.unique:
        return pl.DataFrame(schema=CASES)
    subset = [k for k in schema.unique if k in df.columns]
    duplicated = df.select(subset).is_duplicated()
    if not duplicated.any():
        return pl.DataFrame(schema=CASES)
    return _frame(duplicated.arg_true(), schema.name, UNIQUE, _encoded(df.filter(duplicated)))
