"""The occupation-level file of "GPTs are GPTs" (openai/GPTs-are-GPTs, data/occ_level.csv) -> `ai_exposure`.

Layout: `O*NET-SOC Code,Title,dv_rating_alpha,dv_rating_beta,dv_rating_gamma,human_rating_alpha,
human_rating_beta,human_rating_gamma`; dv_ columns are GPT-4's ratings, human_ the annotators'.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from . import cells
from . import common as c
from .quarantine import simple_ingest

TABLE = "ai_exposure"
MEASURES = {
    "exposure_alpha_gpt4": "dv_rating_alpha", "exposure_beta_gpt4": "dv_rating_beta", "exposure_gamma_gpt4": "dv_rating_gamma",
    "exposure_alpha_human": "human_rating_alpha", "exposure_beta_human": "human_rating_beta", "exposure_gamma_human": "human_rating_gamma",
}
ALIASES = {"onet_soc_code": ("o*net-soc code", "onet_soc_code", "o*net-soc"), "occupation_title": ("title",), **{k: (v,) for k, v in MEASURES.items()}}
REQUIRED = tuple(ALIASES)


def ingest(path: Path, source_id: str, progress: bool | None = None, today: dt.date | None = None) -> c.Result:
    """Every published row, its scores as given, and its 6-digit SOC code."""
    src = c.source(c.scan_csv(path), ALIASES, REQUIRED)
    parsers = [
        cells.text("_in_onet_soc_code", "onet_soc_code"),
        cells.text("_in_occupation_title", "occupation_title"),
        *[cells.number(f"_in_{m}", m) for m in MEASURES],
    ]
    # NOTE: an O*NET-SOC code is a 2018 SOC code with a .NN suffix (.00 for the SOC occupation itself,
    # .01, .02 ... for O*NET's finer occupations within it), so dropping the suffix gives the SOC code.
    extra = [pl.col("onet_soc_code").str.slice(0, 7).alias("soc_code"), pl.lit(source_id).alias("source_id")]
    checks = [(m, cells.bad(m), "type: must be a number") for m in MEASURES]
    return simple_ingest(TABLE, src, parsers, checks, path, progress, extra, today)


def totals(result: c.Result) -> pl.DataFrame:
    """Occupations scored, SOC codes they fall in, and the mean of each measure."""
    df = result.accepted
    return df.select(
        pl.len().alias("onet_occupations"), pl.col("soc_code").n_unique().alias("soc_codes"),
        *[pl.col(m).mean().round(3).alias(m.removeprefix("exposure_")) for m in MEASURES],
    )
