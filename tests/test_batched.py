"""The batched validator (one polars query per table) reports exactly what pandera reports, check by check."""

from __future__ import annotations

import datetime as dt
import random

import pandera.polars as pa
import polars as pl
import pytest

import talentgap
from talentgap import screen
from talentgap.batched import batched_cases
from talentgap.schemas.pandera_schemas import schema_for
from talentgap.schemas.tables import TABLES
from talentgap.validate import _hygiene_cases, pandera_cases

TODAY = dt.date(2026, 11, 27)
RELEASED = [n for n, t in TABLES.items() if t.origin != "ingested"]


def _sorted(cases: pl.DataFrame | None) -> pl.DataFrame:
    if cases is None:
        return pl.DataFrame(schema={"index": pl.Int32, "column": pl.String, "check": pl.String, "failure_case": pl.String})
    return cases.select("index", "column", "check", "failure_case").cast({"index": pl.Int32}).sort(pl.all(), nulls_last=True)


def _broken(df: pl.DataFrame, rng: random.Random) -> pl.DataFrame:
    """A copy with a few cells set to values that break nulls, ranges, patterns, dates, keys."""
    for _ in range(rng.randint(2, 6)):
        col = rng.choice(df.columns)
        i = rng.randrange(df.height)
        dtype = df.schema[col]
        values = df[col].to_list()
        if dtype == pl.String:
            values[i] = rng.choice([None, "", "  ", "=1+1", "-5", "BAD Value", (values[i] or "x").upper() + " "])
        elif dtype == pl.Float64:
            values[i] = rng.choice([None, -1.0, float("nan"), float("inf"), 1e308, 2.5])
        elif dtype == pl.Int64:
            values[i] = rng.choice([None, -1, 0, 10**15, 13])
        elif dtype == pl.Date:
            values[i] = rng.choice([None, dt.date(1800, 1, 1), dt.date(2099, 1, 1), dt.date(2023, 5, 2)])
        else:
            values[i] = None
        df = df.with_columns(pl.Series(col, values, dtype=dtype))
    if rng.random() < 0.5:
        df = pl.concat([df, df.sample(1, seed=rng.randrange(1000))])  # an exact duplicate key
    return df


@pytest.mark.parametrize("name", RELEASED)
def test_batched_equals_pandera_and_the_screen_agrees_on_broken_rows(name):
    """On the same broken copies: the batched cases equal pandera's, and the screen (analysis/screen.py) passes a
    copy exactly when pandera and the hygiene rules find nothing."""
    df = talentgap.load(name).head(300)
    schema = schema_for(name, TODAY)
    rng = random.Random(name)
    failing = 0
    for df_ in [df] + [_broken(df, rng) for _ in range(4)] if df.height else [df]:
        ours, theirs = batched_cases(schema, df_), pandera_cases(schema, df_)
        assert ours is not None, "the registry's schemas are all batched (no fallback to pandera)"
        assert _sorted(ours).equals(_sorted(theirs)), name
        clean = theirs is None and _hygiene_cases(name, df_).height == 0
        assert screen.passes(name, df_, TODAY) == clean, name
        failing += theirs is not None
    # The broken copies really break rules (this test compares failures, not two empty results).
    assert failing >= (2 if df.height else 0)


def _tiny_schema(*checks: pa.Check, frame_checks: list[pa.Check] | None = None) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {"k": pa.Column(pl.String, nullable=False), "v": pa.Column(pl.Float64, checks=list(checks), nullable=True)},
        checks=frame_checks or [], unique=["k"], name="tiny",
    )


TINY = pl.DataFrame({"k": ["a", "b", "b", None], "v": [1.0, -2.0, None, float("nan")]})


def test_any_check_the_registry_adds_runs_as_pandera_runs_it():
    """Checks are pandera's own (any lazy polars check): built-ins, custom, element-wise, row checks."""
    schema = _tiny_schema(
        pa.Check.ge(0),
        pa.Check(lambda d: d.lazyframe.select(pl.col(d.key) < 1.5), name="small", error="small: must be < 1.5"),
        pa.Check(lambda x: x != 1.0, element_wise=True, name="not_one"),
        frame_checks=[pa.Check(lambda d: d.lazyframe.select(pl.col("v").is_null() | (pl.col("k") != "a")), name="row")],
    )
    ours, theirs = batched_cases(schema, TINY), pandera_cases(schema, TINY)
    assert ours is not None and theirs is not None
    assert _sorted(ours).equals(_sorted(theirs))
    assert set(ours["check"]) >= {"not_nullable", "multiple_fields_uniqueness", "small: must be < 1.5", "row"}


@pytest.mark.parametrize("case", ["missing column", "wrong type", "scalar check", "aggregate check", "raising check"])
def test_what_it_cannot_mirror_is_left_to_pandera(case):
    schema, df = _tiny_schema(pa.Check.ge(0)), pl.DataFrame({"k": ["a", "b"], "v": [1.0, 2.0]})
    if case == "missing column":
        df = df.drop("v")
    elif case == "wrong type":
        df = df.with_columns(pl.col("v").cast(pl.Float32))
    elif case == "scalar check":
        schema = _tiny_schema(pa.Check(lambda d: False, name="never"))
    elif case == "aggregate check":
        schema = _tiny_schema(pa.Check(lambda d: d.lazyframe.select(pl.col(d.key).sum() > 100), name="sum"))
        assert batched_cases(_tiny_schema(pa.Check.ge(0)), df) is not None  # the frame alone is batched
    else:
        schema = _tiny_schema(pa.Check(lambda d: d.lazyframe.select(pl.col("no_such_column") > 0), name="oops"))
    assert batched_cases(schema, df) is None
    assert pandera_cases(schema, df) is not None  # and pandera does report it


@pytest.mark.parametrize("near", [True, False])
def test_a_large_table_finds_a_near_duplicate_key_as_pandera_does(near):
    """On a large table the near-duplicate check first compares each key column's distinct values (its fast path)."""
    from talentgap.schemas.rules import NEAR_DUPLICATE_PRECHECK_ROWS

    df = talentgap.load("postings_state_daily")
    assert df.height > NEAR_DUPLICATE_PRECHECK_ROWS
    if near:  # a copy of a row whose key differs from it only by case and spaces
        row = df.head(1).with_columns(pl.col("source_id").str.to_uppercase() + " ")
        df = pl.concat([df, row])
    schema = schema_for("postings_state_daily", TODAY)
    ours, theirs = batched_cases(schema, df), pandera_cases(schema, df)
    assert _sorted(ours).equals(_sorted(theirs))
    flagged = ours.filter(pl.col("check").str.starts_with("primary_key_near"))
    assert flagged.height == (2 if near else 0)
