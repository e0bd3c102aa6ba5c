"""The screen (one polars query, no pandera) passes a table exactly when pandera and the hygiene rules find nothing.

Small broken copies of every table are compared in tests/test_batched.py; here, the large tables' distinct-value path."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys

import polars as pl
import pytest

import talentgap
from talentgap import paths, screen
from talentgap.schemas.pandera_schemas import schema_for
from talentgap.validate import _hygiene_cases, pandera_cases, schema_failures

from .test_batched import RELEASED, TODAY, _broken


def _clean(name: str, df: pl.DataFrame, today: dt.date = TODAY) -> bool:
    """What the full validation says: no pandera failure case and no hygiene case."""
    return pandera_cases(schema_for(name, today), df) is None and _hygiene_cases(name, df).height == 0


def test_every_released_table_passes_the_screen():
    # NOTE: on the day the test runs: a source accessed after the fixed TODAY is rightly "in the future" then.
    # Broken small copies of every table: tests/test_batched.py, beside pandera's and the batched cases.
    assert [name for name in RELEASED if not screen.passes(name, talentgap.load(name))] == []


@pytest.mark.parametrize("name", [n for n in RELEASED if talentgap.load(n).height >= screen.DISTINCT_ROWS])
def test_on_a_large_table_the_screen_runs_text_rules_on_distinct_values_and_still_agrees(name):
    whole, today = talentgap.load(name), dt.date.today()
    rng = random.Random(f"screen-large:{name}")
    verdicts = []
    for _ in range(3):
        broken = _broken(whole, rng)
        verdicts.append(screen.passes(name, broken, today))
        assert verdicts[-1] == _clean(name, broken, today), name
    text = next(c for c in whole.columns if whole.schema[c] == pl.String)
    for bad in ("=cmd", " ", "a\u202eb", "x" * 5000):  # formula, blank, bidi override, too long
        values = whole[text].to_list()
        values[-1] = bad
        broken = whole.with_columns(pl.Series(text, values, dtype=pl.String))
        assert not screen.passes(name, broken, today) and not _clean(name, broken, today), bad
    assert False in verdicts


@pytest.mark.parametrize("change", ["dropped", "reordered", "retyped", "extra"])
def test_a_frame_whose_columns_differ_from_the_registry_is_left_to_pandera(change):
    df = talentgap.load("salaries")
    if change == "dropped":
        df = df.drop(df.columns[-1])
    elif change == "reordered":
        df = df.select(reversed(df.columns))
    elif change == "retyped":
        df = df.with_columns(pl.col("amount").cast(pl.Float32))
    else:
        df = df.with_columns(pl.lit("x").alias("extra"))
    assert not screen.passes("salaries", df, TODAY)
    assert schema_failures("salaries", df, "salaries.csv", TODAY)  # and pandera words what is wrong


@pytest.mark.parametrize("cell", [float("nan"), None])
def test_a_missing_required_number_fails_the_screen_nan_included(cell):
    """pandera counts NaN as missing in a required float column; so does the screen."""
    df = talentgap.load("cpi_monthly")
    required = [c for c in df.columns if df.schema[c] == pl.Float64][0]
    values = df[required].to_list()
    values[0] = cell
    broken = df.with_columns(pl.Series(required, values, dtype=pl.Float64))
    assert not screen.passes("cpi_monthly", broken, TODAY)
    assert any(f.row == 1 and f.column == required for f in schema_failures("cpi_monthly", broken, "x.csv", TODAY))


def test_a_build_of_valid_data_never_loads_pandera_and_a_bad_row_still_gets_its_message(tmp_path, curated):
    run = ("import sys; from talentgap.cli import main; code = main(sys.argv[1:]); "
           "print('pandera loaded:', 'pandera' in sys.modules); sys.exit(code)")
    good = subprocess.run([sys.executable, "-c", run, "build", "--release", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=paths.ROOT, timeout=120)
    assert good.returncode == 0, good.stderr
    assert good.stdout.strip().endswith("pandera loaded: False")
    from .conftest import set_cell

    set_cell(curated / "salaries.csv", 1, "amount", "-5")
    bad = subprocess.run([sys.executable, "-c", run, "build", "--curated", str(curated), "--release", str(tmp_path / "bad")],
                         capture_output=True, text=True, cwd=paths.ROOT, timeout=120)
    assert bad.returncode == 1
    assert "pandera loaded: True" in bad.stdout
    assert "amount_in_unit_range" in bad.stderr or "minimum" in bad.stderr, bad.stderr


@pytest.mark.parametrize("name", ["salaries", "cpi_monthly", "layoff_events", "postings_daily"])
def test_a_repeated_key_alone_fails_the_screen(name):
    """A copy of one row, nothing else wrong: the key's uniqueness is the only check that can see it."""
    df = talentgap.load(name)
    repeated = pl.concat([df, df.head(1)])
    assert not screen.passes(name, repeated)
    assert not _clean(name, repeated, dt.date.today())


def test_a_key_repeated_once_case_and_spaces_are_ignored_fails_the_screen():
    df = talentgap.load("layoff_events")
    key = [c for c in df.columns if df.schema[c] == pl.String][0]
    near = df.head(1).with_columns((pl.col(key).str.to_uppercase() + " ").alias(key))
    assert not screen.passes("layoff_events", pl.concat([df, near]))
