"""AI exposure and occupational change, May 2021 to May 2025 (issue #13).

Exposure scores are those of "GPTs are GPTs" (table `ai_exposure`); employment and wages come from
BLS's national workbooks (`occupations`). Everything here is a correlation across occupations: it
cannot say that exposure caused a change, and OEWS estimates carry sampling error (see their RSEs).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np
import polars as pl

from .transforms import from_files, may_cpi, role_group

MEASURES = (
    "exposure_alpha_gpt4", "exposure_beta_gpt4", "exposure_gamma_gpt4",
    "exposure_alpha_human", "exposure_beta_human", "exposure_gamma_human",
)
FROM_YEAR, TO_YEAR = 2021, 2025
# NOTE: a fixed seed so that the bootstrap intervals, and so the release, are byte-identical on rebuild.
BOOTSTRAP_SEED = 20261127
BOOTSTRAP_DRAWS = 2000
BOOTSTRAP_BLOCK = 128  # draws computed together (see bootstrap_interval)
# NOTE: below this many occupations with a score a slope is not estimated (its interval would be meaningless).
MIN_OCCUPATIONS = 10
THRESHOLDS = {"share_of_employment_exposure_at_least_0_1": 0.1, "share_of_employment_exposure_at_least_0_5": 0.5}


def exposure_by_soc(ai_exposure: pl.DataFrame) -> pl.DataFrame:
    """Scores aggregated to 6-digit SOC: the unweighted mean over the O*NET-SOC occupations of each code.

    NOTE: O*NET splits some SOC occupations into finer ones (15-1299.08 ...) without employment
    weights, so each counts equally; most SOC codes have a single O*NET occupation (.00).
    """
    return (
        ai_exposure.group_by("soc_code")
        .agg(pl.len().cast(pl.Int64).alias("onet_codes_counted"), *[pl.col(m).mean() for m in MEASURES])
        .sort("soc_code")
    )


def broad_group_exposure(ai_exposure: pl.DataFrame) -> pl.DataFrame:
    """Scores for OEWS codes ending in 0, which pool a broad group's detailed occupations (31-1120 = 31-1121, 31-1122).

    NOTE: in the SOC a broad occupation's detailed codes share its first five digits; OEWS publishes some
    broad groups as one "detailed" row. Their score is the unweighted mean over the group's O*NET
    occupations, the same rule as for a single SOC code.
    """
    return (
        ai_exposure.group_by((pl.col("soc_code").str.slice(0, 6) + "0").alias("soc_code"))
        .agg(pl.len().cast(pl.Int64).alias("onet_codes_counted"), *[pl.col(m).mean() for m in MEASURES])
        .sort("soc_code")
    )


def exposure_change(occupations: pl.DataFrame, sources: pl.DataFrame, cpi_monthly: pl.DataFrame,
                    exposure_soc: pl.DataFrame, ai_exposure: pl.DataFrame) -> pl.DataFrame:
    """One row per detailed occupation in both May years: exposure, employment and wages then and now."""
    occ = from_files(occupations, sources).filter(pl.col("occupation_group") == "detailed")
    cols = ["soc_code", "employment", "annual_median_wage_usd"]
    start = occ.filter(pl.col("year") == FROM_YEAR).select(cols).rename({"employment": "from_employment", "annual_median_wage_usd": "from_median_wage_usd"})
    end = occ.filter(pl.col("year") == TO_YEAR).select(*cols, "occupation_title").rename(
        {"employment": "to_employment", "annual_median_wage_usd": "to_median_wage_usd"}
    )
    cpi = dict(may_cpi(cpi_monthly).iter_rows())
    # NOTE: an occupation missing from either year's workbook (BLS published no estimate) is not in the
    # table; an occupation without an exposure score is kept with onet_codes_counted 0 and empty scores.
    direct = exposure_soc.with_columns(pl.lit("soc").alias("exposure_match"))
    broad = broad_group_exposure(ai_exposure).join(exposure_soc.select("soc_code"), on="soc_code", how="anti").with_columns(
        pl.lit("broad_group").alias("exposure_match")
    )
    both = start.join(end, on="soc_code").join(pl.concat([direct, broad], how="diagonal"), on="soc_code", how="left")
    deflator = cpi.get(TO_YEAR, float("nan")) / cpi.get(FROM_YEAR, float("nan"))
    return both.select(
        "soc_code", "occupation_title", role_group().alias("role_group"), pl.col("exposure_match").fill_null("none"),
        pl.col("onet_codes_counted").fill_null(0), *MEASURES,
        pl.lit(FROM_YEAR, pl.Int64).alias("from_year"), pl.lit(TO_YEAR, pl.Int64).alias("to_year"),
        "from_employment", "to_employment",
        (pl.col("to_employment") / pl.col("from_employment")).log().alias("log_employment_change"),
        "from_median_wage_usd", "to_median_wage_usd",
        (pl.col("to_median_wage_usd") / pl.col("from_median_wage_usd") - 1).alias("nominal_change_share"),
        (pl.col("to_median_wage_usd") / pl.col("from_median_wage_usd") / deflator - 1).alias("real_change_share"),
    ).filter(pl.col("from_employment").is_not_null() & pl.col("to_employment").is_not_null()).sort("soc_code")


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The smallest value at which the cumulative weight reaches half the total."""
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, cum[-1] / 2)])


def exposure_bins(change: pl.DataFrame) -> pl.DataFrame:
    """Employment-weighted quintiles of each measure: employment and median real wage change per bin.

    NOTE: occupations are sorted by exposure and cut where cumulative May 2021 employment passes each
    fifth of the total, so each bin holds about a fifth of the jobs (not of the occupations).
    """
    frames = []
    for measure in MEASURES:
        scored = change.filter(pl.col(measure).is_not_null()).sort(measure, "soc_code")
        share = scored["from_employment"].cum_sum() / scored["from_employment"].sum()
        scored = scored.with_columns(pl.Series("exposure_bin", np.minimum(np.ceil(share.to_numpy() * 5), 5).astype(np.int64)))
        for (b,), part in scored.group_by("exposure_bin", maintain_order=True):
            wages = part.filter(pl.col("real_change_share").is_not_null())
            median = weighted_median(wages["real_change_share"].to_numpy(), wages["from_employment"].to_numpy().astype(float)) if wages.height else None
            frames.append({
                "exposure_measure": measure, "exposure_bin": int(b), "exposure_min": part[measure].min(), "exposure_max": part[measure].max(),
                "occupations_counted": part.height, "from_employment": int(part["from_employment"].sum()),
                "to_employment": int(part["to_employment"].sum()),
                "employment_change_share": part["to_employment"].sum() / part["from_employment"].sum() - 1,
                "median_real_wage_change_share": median,
            })
    return pl.DataFrame(frames).sort("exposure_measure", "exposure_bin")


def wls_slope(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Slope of the weighted least-squares line of y on x (weights w)."""
    xm, ym = np.average(x, weights=w), np.average(y, weights=w)
    return float(np.sum(w * (x - xm) * (y - ym)) / np.sum(w * (x - xm) ** 2))


@lru_cache(maxsize=8)
def _resamples(seed: int, draws: int, n: int) -> np.ndarray:
    """Row numbers of every resample (draws x n), read-only.

    NOTE: a function of (seed, draws, n) alone, so statistics over the same number of occupations
    share one draw instead of generating it again.
    """
    idx = np.random.default_rng(seed).integers(0, n, size=(draws, n))
    idx.setflags(write=False)
    return idx


def bootstrap_interval(x: np.ndarray, y: np.ndarray, w: np.ndarray, draws: int = BOOTSTRAP_DRAWS,
                       seed: int = BOOTSTRAP_SEED) -> tuple[float, float]:
    """95% percentile interval of the WLS slope over occupations resampled with replacement."""
    idx = _resamples(seed, draws, len(x))
    # The slope of every resample (rows are draws): the same formula as wls_slope.
    # NOTE: in blocks of draws that stay in the CPU cache (half the time of all draws at once); each
    # row's sums are computed the same way whatever the block, so every bit of the result is unchanged.
    slopes = np.empty(draws)
    for start in range(0, draws, BOOTSTRAP_BLOCK):
        rows = idx[start:start + BOOTSTRAP_BLOCK]
        xs, ys, ws = x[rows], y[rows], w[rows]
        wsum = ws.sum(axis=1, keepdims=True)
        xm = (ws * xs).sum(axis=1, keepdims=True) / wsum
        ym = (ws * ys).sum(axis=1, keepdims=True) / wsum
        dx = xs - xm
        with np.errstate(invalid="ignore", divide="ignore"):
            slopes[start:start + BOOTSTRAP_BLOCK] = (ws * dx * (ys - ym)).sum(axis=1) / (ws * dx ** 2).sum(axis=1)
    # NOTE: a resample whose occupations all share one exposure has no slope; it is left out.
    lo, hi = np.nanpercentile(slopes, [2.5, 97.5])
    return float(lo), float(hi)


def exposure_summary(change: pl.DataFrame, published: pl.DataFrame) -> pl.DataFrame:
    """Slopes with intervals and employment shares above thresholds, per measure, beside the paper's figures."""
    rows, samples = [], []
    for measure in MEASURES:
        scored = change.filter(pl.col(measure).is_not_null())
        for stat, column in (("slope_log_employment_change", "log_employment_change"), ("slope_real_wage_change", "real_change_share")):
            data = scored.filter(pl.col(column).is_not_null())
            x, y, w = (data[c].to_numpy().astype(float) for c in (measure, column, "from_employment"))
            if data.height < MIN_OCCUPATIONS or np.ptp(x) == 0:
                rows.append((measure, stat, None, None, None, data.height))  # too few occupations for a slope
                continue
            samples.append((len(rows), x, y, w))
            rows.append((measure, stat, wls_slope(x, y, w), None, None, data.height))
        total = scored["from_employment"].sum()
        for stat, cut in THRESHOLDS.items():
            share = scored.filter(pl.col(measure) >= cut)["from_employment"].sum() / total
            rows.append((measure, stat, float(share), None, None, scored.height))
    # NOTE: the bootstraps (most of the build's arithmetic) run on two threads: numpy releases the GIL, and
    # each has its own seeded generator, so the intervals do not depend on the order they finish in.
    with ThreadPoolExecutor(max_workers=2) as pool:
        intervals = list(pool.map(lambda s: bootstrap_interval(*s[1:]), samples))
    for (i, *_), (lo, hi) in zip(samples, intervals):
        rows[i] = (*rows[i][:3], lo, hi, rows[i][5])
    out = pl.DataFrame(rows, schema={
        "exposure_measure": pl.String, "summary_statistic": pl.String, "estimate": pl.Float64, "ci_low": pl.Float64,
        "ci_high": pl.Float64, "occupations_counted": pl.Int64,
    }, orient="row")
    paper = published.sort("source_id").unique(["exposure_measure", "summary_statistic"], keep="first").select(
        "exposure_measure", "summary_statistic", "published_value", pl.col("source_id").alias("published_source_id"), "notes"
    )
    return out.join(paper, on=["exposure_measure", "summary_statistic"], how="left").sort("exposure_measure", "summary_statistic")
