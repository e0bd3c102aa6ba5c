"""Microsoft's AI applicability scores (microsoft/working-with-ai, soc_ai_applicability_scores.csv) -> `ai_applicability`.

Layout: `SOC Code,title,ai_applicability_score`, one row per occupation, keyed on the codes OEWS publishes
(2018 SOC codes and OEWS's combined codes such as 25-9045). Tomlinson et al. 2025, CC BY 4.0.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from . import cells
from . import common as c
from .quarantine import simple_ingest

TABLE = "ai_applicability"
SCORE = "ai_applicability_microsoft"
ALIASES = {"soc_code": ("soc code", "soc_code"), "occupation_title": ("title",), SCORE: ("ai_applicability_score",)}
REQUIRED = tuple(ALIASES)


def ingest(path: Path, source_id: str, progress: bool | None = None, today: dt.date | None = None) -> c.Result:
    """Every published row with its score as given; rows the schema rejects are quarantined with their reasons."""
    src = c.source(c.scan_csv(path), ALIASES, REQUIRED)
    parsers = [
        cells.text("_in_soc_code", "soc_code"),
        cells.text("_in_occupation_title", "occupation_title"),
        cells.number(f"_in_{SCORE}", SCORE),
    ]
    extra = [pl.lit(source_id).alias("source_id")]
    checks = [(SCORE, cells.bad(SCORE), "type: must be a number")]
    return simple_ingest(TABLE, src, parsers, checks, path, progress, extra, today)


def totals(result: c.Result) -> pl.DataFrame:
    """Occupations scored and the score's range and mean."""
    df = result.accepted
    return df.select(pl.len().alias("occupations"), pl.col(SCORE).min().round(3).alias("min"),
                     pl.col(SCORE).mean().round(3).alias("mean"), pl.col(SCORE).max().round(3).alias("max"))
