"""AI exposure and occupational change, May 2021 to May 2025 (issues #13 and #16).

Exposure scores are those of "GPTs are GPTs" (table `ai_exposure`, six measures) and Microsoft's AI
applicability score (`ai_applicability`), put on one key, the occupation codes OEWS publishes
(`exposure_scores`); employment and wages come from BLS's national workbooks (`occupations`). Everything
here is a correlation across occupations: it cannot say that exposure caused a change, and OEWS
estimates carry sampling error (see their RSEs).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import polars as pl

from .transforms import from_files, may_cpi, role_group

GPTS_MEASURES = (
    "exposure_alpha_gpt4", "exposure_beta_gpt4", "exposure_gamma_gpt4",
    "exposure_alpha_human", "exposure_beta_human", "exposure_gamma_human",
)
APPLICABILITY = "ai_applicability_microsoft"
MEASURES = (*GPTS_MEASURES, APPLICABILITY)
RATERS = {m: m.rsplit("_", 1)[1] for m in GPTS_MEASURES} | {APPLICABILITY: "copilot_usage"}
FROM_YEAR, TO_YEAR = 2021, 2025
# NOTE: a fixed seed so that the bootstrap intervals, and so the release, are byte-identical on rebuild.
BOOTSTRAP_SEED = 20261127
BOOTSTRAP_DRAWS = 2000
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
        .agg(pl.len().cast(pl.Int64).alias("onet_codes_counted"), *[pl.col(m).mean() for m in GPTS_MEASURES])
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
        .agg(pl.len().cast(pl.Int64).alias("onet_codes_counted"), *[pl.col(m).mean() for m in GPTS_MEASURES])
        .sort("soc_code")
    )


def occupations_both_years(occupations: pl.DataFrame, sources: pl.DataFrame) -> pl.DataFrame:
    """Detailed occupations in both May years' workbooks: employment and median wage then and now."""
    occ = from_files(occupations, sources).filter(pl.col("occupation_group") == "detailed")
    cols = ["soc_code", "employment", "annual_median_wage_usd"]
    start = occ.filter(pl.col("year") == FROM_YEAR).select(cols).rename({"employment": "from_employment", "annual_median_wage_usd": "from_median_wage_usd"})
    end = occ.filter(pl.col("year") == TO_YEAR).select(*cols, "occupation_title").rename(
        {"employment": "to_employment", "annual_median_wage_usd": "to_median_wage_usd"}
    )
    # NOTE: an occupation missing from either year's workbook (BLS published no estimate) is left out.
    return start.join(end, on="soc_code").filter(
        pl.col("from_employment").is_not_null() & pl.col("to_employment").is_not_null()
    ).sort("soc_code")


def match_codes(oews_codes: list[str], scored: set[str]) -> dict[str, tuple[str, list[str]]]:
    """For every OEWS code: how it meets a measure's file, and the file's SOC codes whose scores it takes.

    `scored` holds the SOC codes the file scores (an O*NET-SOC code without its .NN suffix). The first
    five digits of a 2018 SOC code name its broad occupation, whose detailed codes share them.
    """
    published = set(oews_codes)
    by_broad: dict[str, list[str]] = {}
    for s in sorted(scored):
        by_broad.setdefault(s[:6], []).append(s)
    matches = {}
    for code in oews_codes:
        group = by_broad.get(code[:6], [])
        if code in scored:
            matches[code] = ("soc", [code])
        elif code.endswith("0") and group:
            matches[code] = ("broad_group", group)
        elif code.endswith("9") and group:
            # NOTE: an "All Other" residual (SOC codes ending in 9) is scored by no measure; it takes the mean of
            # its broad group's scored occupations. This is an assumption (the residual's work may differ from its
            # siblings'), marked all_other_broad_group so that a stricter analysis can leave these rows out.
            matches[code] = ("all_other_broad_group", group)
        else:
            # NOTE: OEWS publishes some occupations as one combined code (25-9045 = 25-9042 + 25-9043); its parts are
            # the scored SOC codes of its broad group that OEWS does not publish on their own. BLS's hybrid
            # structure file was not found in a citable copy; the rule's result is checked in tests/test_exposure.py.
            parts = [s for s in group if s not in published]
            matches[code] = ("oews_combined", parts) if parts else ("none", [])
    return matches


def long_scores(oews_codes: list[str], rows: pl.DataFrame, measures: tuple[str, ...], row_code: str) -> pl.DataFrame:
    """One row per OEWS code and measure: the mean of the file's rows its match takes, which rows, and how many."""
    matches = match_codes(oews_codes, set(rows.filter(pl.any_horizontal(pl.col(measures).is_not_null()))["soc_code"]))
    links = pl.DataFrame(
        [(code, how, part) for code, (how, parts) in matches.items() for part in parts],
        schema={"soc_code": pl.String, "exposure_match": pl.String, "member_soc_code": pl.String}, orient="row",
    )
    joined = links.join(rows.rename({"soc_code": "member_soc_code"}), on="member_soc_code").sort("soc_code", row_code)
    frames = []
    for measure in measures:
        frames.append(
            joined.filter(pl.col(measure).is_not_null()).group_by("soc_code", "exposure_match", maintain_order=True).agg(
                pl.col(measure).mean().alias("exposure_score"), pl.len().cast(pl.Int64).alias("source_rows_counted"),
                pl.col(row_code).str.join("; ").alias("source_codes"), pl.col("source_id").first(),
            ).with_columns(pl.lit(measure).alias("exposure_measure"), pl.lit(RATERS[measure]).alias("exposure_rater"))
        )
    return pl.concat(frames)


def exposure_scores(both_years: pl.DataFrame, ai_exposure: pl.DataFrame, ai_applicability: pl.DataFrame | None) -> pl.DataFrame:
    """Every measure on one key, the OEWS codes of `both_years` (table `exposure_scores`)."""
    codes = both_years["soc_code"].sort().to_list()
    # NOTE: each file is read from one source; were a second vintage added, its rows would be averaged in, so
    # refuse that rather than mix vintages silently.
    for name, df in (("ai_exposure", ai_exposure), ("ai_applicability", ai_applicability)):
        if df is not None and df["source_id"].n_unique() > 1:
            raise ValueError(f"{name}: rows from {df['source_id'].n_unique()} sources; exposure_scores takes one file per measure")
    parts = [long_scores(codes, ai_exposure, GPTS_MEASURES, "onet_soc_code")]
    if ai_applicability is not None and ai_applicability.height:
        parts.append(long_scores(codes, ai_applicability, (APPLICABILITY,), "soc_code"))
    fields = ["soc_code", "exposure_measure", "exposure_rater", "exposure_score", "exposure_match", "source_rows_counted", "source_codes", "source_id"]
    return pl.concat([p.select(fields) for p in parts]).sort("soc_code", "exposure_measure")


def exposure_change(both_years: pl.DataFrame, cpi_monthly: pl.DataFrame, scores: pl.DataFrame) -> pl.DataFrame:
    """One row per detailed occupation in both May years: every measure's score, employment and wages then and now."""
    cpi = dict(may_cpi(cpi_monthly).iter_rows())
    wide = scores.pivot(on="exposure_measure", index="soc_code", values="exposure_score")
    # NOTE: exposure_match and onet_codes_counted describe GPTs are GPTs (its six measures share one match);
    # an occupation without a score is kept with onet_codes_counted 0 and empty scores.
    gpts = scores.filter(pl.col("exposure_measure") == "exposure_beta_gpt4").select(
        "soc_code", "exposure_match", pl.col("source_rows_counted").alias("onet_codes_counted"))
    both = both_years.join(gpts, on="soc_code", how="left").join(wide, on="soc_code", how="left").with_columns(
        *[pl.lit(None, pl.Float64).alias(m) for m in MEASURES if m not in wide.columns]
    )
    deflator = cpi.get(TO_YEAR, float("nan")) / cpi.get(FROM_YEAR, float("nan"))
    return both.select(
        "soc_code", "occupation_title", role_group().alias("role_group"), pl.col("exposure_match").fill_null("none"),
        pl.col("onet_codes_counted").fill_null(0), *GPTS_MEASURES,
        pl.lit(FROM_YEAR, pl.Int64).alias("from_year"), pl.lit(TO_YEAR, pl.Int64).alias("to_year"),
        "from_employment", "to_employment",
        (pl.col("to_employment") / pl.col("from_employment")).log().alias("log_employment_change"),
        "from_median_wage_usd", "to_median_wage_usd",
        (pl.col("to_median_wage_usd") / pl.col("from_median_wage_usd") - 1).alias("nominal_change_share"),
        (pl.col("to_median_wage_usd") / pl.col("from_median_wage_usd") / deflator - 1).alias("real_change_share"),
        APPLICABILITY,
    ).sort("soc_code")


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
def _resample_counts(seed: int, draws: int, n: int) -> np.ndarray:
    """How many times each occupation is drawn in each resample (draws x n), read-only.

    NOTE: a function of (seed, draws, n) alone, so statistics over the same number of occupations
    share one draw instead of generating it again. The draws are the same row numbers as always
    (one generator call, draws x n); only their counts are kept.
    """
    idx = np.random.default_rng(seed).integers(0, n, size=(draws, n))
    flat = (idx + (np.arange(draws) * n)[:, None]).ravel()
    counts = np.bincount(flat, minlength=draws * n).reshape(draws, n).astype(float)
    counts.setflags(write=False)
    return counts


def bootstrap_interval(x: np.ndarray, y: np.ndarray, w: np.ndarray, draws: int = BOOTSTRAP_DRAWS,
                       seed: int = BOOTSTRAP_SEED) -> tuple[float, float]:
    """95% percentile interval of the WLS slope over occupations resampled with replacement."""
    counts = _resample_counts(seed, draws, len(x))
    # NOTE: a resample is a weighting of the occupations by how often each is drawn, so the weighted sums the
    # slope needs are one matrix product. Each resample is centred on the full sample's weighted means
    # first (the slope does not change under a shift of x or y) to keep the sums' rounding small.
    xc, yc = x - np.average(x, weights=w), y - np.average(y, weights=w)
    # NOTE: einsum's own loop, not a BLAS matrix product: BLAS splits the sums among its threads, so their
    # rounding (and the interval's last digits in the release) would depend on how many threads it has. Each
    # sum is a dot product of two contiguous rows (the weights' columns stacked as rows), einsum's fastest loop.
    columns = np.stack([w, w * xc, w * yc, w * xc * xc, w * xc * yc])
    sums = np.einsum("dn,kn->dk", counts, columns)
    s_w, s_x, s_y, s_xx, s_xy = sums.T
    with np.errstate(invalid="ignore", divide="ignore"):
        slopes = (s_xy - s_x * s_y / s_w) / (s_xx - s_x * s_x / s_w)
    # NOTE: a resample whose occupations all share one exposure has no slope; it is left out.
    slopes[~np.isfinite(slopes)] = np.nan
    lo, hi = np.nanpercentile(slopes, [2.5, 97.5])
    return float(lo), float(hi)


def _slope_row(measure: str, stat: str, data: pl.DataFrame, column: str, samples: list, index: int) -> tuple:
    """The jobs-weighted slope of `column` on the measure over `data`; its bootstrap is queued in `samples`."""
    x, y, w = (data[c].to_numpy().astype(float) for c in (measure, column, "from_employment"))
    if data.height < MIN_OCCUPATIONS or np.ptp(x) == 0:
        return (measure, stat, None, None, None, data.height)  # too few occupations for a slope
    samples.append((index, x, y, w))
    return (measure, stat, wls_slope(x, y, w), None, None, data.height)


def exposure_summary(change: pl.DataFrame, published: pl.DataFrame, scores: pl.DataFrame | None = None) -> pl.DataFrame:
    """Slopes with intervals and employment shares above thresholds, per measure, beside the paper's figures.

    With `scores` (exposure_scores), the jobs slope is also given without the "All Other" occupations whose
    score is their broad group's mean, so that a reader sees what that assumption does.
    """
    rows, samples = [], []
    for measure in MEASURES:
        scored = change.filter(pl.col(measure).is_not_null())
        for stat, column in (("slope_log_employment_change", "log_employment_change"), ("slope_real_wage_change", "real_change_share")):
            rows.append(_slope_row(measure, stat, scored.filter(pl.col(column).is_not_null()), column, samples, len(rows)))
        if scores is not None:
            imputed = scores.filter((pl.col("exposure_measure") == measure) & (pl.col("exposure_match") == "all_other_broad_group"))
            direct = scored.join(imputed.select("soc_code"), on="soc_code", how="anti")
            rows.append(_slope_row(measure, "slope_log_employment_change_without_all_other", direct, "log_employment_change", samples, len(rows)))
        total = scored["from_employment"].sum()
        for stat, cut in THRESHOLDS.items():
            share = scored.filter(pl.col(measure) >= cut)["from_employment"].sum() / total
            rows.append((measure, stat, float(share), None, None, scored.height))
        unscored = change.filter(pl.col(measure).is_null())
        # NOTE: occupations_counted of this row is every occupation (the share's base), as for the other shares'
        # rows it is the occupations the share is taken over.
        rows.append((measure, "share_of_employment_unscored", float(unscored["from_employment"].sum() / change["from_employment"].sum()),
                     None, None, change.height))
    intervals = [bootstrap_interval(*s[1:]) for s in samples]
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


def weighted_correlation(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Pearson correlation of x and y with weights w."""
    xm, ym = np.average(x, weights=w), np.average(y, weights=w)
    cov = np.sum(w * (x - xm) * (y - ym))
    return float(cov / np.sqrt(np.sum(w * (x - xm) ** 2) * np.sum(w * (y - ym) ** 2)))


def exposure_correlation(change: pl.DataFrame) -> pl.DataFrame:
    """For each pair of measures, their correlation across the occupations both score (table `exposure_correlation`)."""
    rows = []
    for i, a in enumerate(MEASURES):
        for b in MEASURES[i + 1:]:
            both = change.filter(pl.col(a).is_not_null() & pl.col(b).is_not_null())
            if both.height < MIN_OCCUPATIONS:
                rows.append((a, b, both.height, None, None))  # too few occupations scored by both for a correlation
                continue
            x, y, w = (both[c].to_numpy().astype(float) for c in (a, b, "from_employment"))
            # NOTE: Spearman's rank correlation is Pearson's on average ranks (ties share their mean rank), unweighted.
            ranks = both.select(pl.col(a).rank("average"), pl.col(b).rank("average"))
            rank = float(np.corrcoef(ranks[a].to_numpy(), ranks[b].to_numpy())[0, 1])
            rows.append((a, b, both.height, weighted_correlation(x, y, w), rank))
    return pl.DataFrame(rows, schema={
        "exposure_measure": pl.String, "exposure_measure_other": pl.String, "occupations_counted": pl.Int64,
        "correlation_weighted": pl.Float64, "correlation_rank": pl.Float64,
    }, orient="row")
