"""AI exposure: the published file read as published, the SOC aggregation rule, the statistics."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

import talentgap
from talentgap import exposure as e
from talentgap.ingest import exposure as ingest

D = dt.date
HEADER = "O*NET-SOC Code,Title,dv_rating_alpha,dv_rating_beta,dv_rating_gamma,human_rating_alpha,human_rating_beta,human_rating_gamma\n"


def test_published_file_read_as_given_with_its_soc_code(tmp_path):
    path = tmp_path / "occ_level.csv"
    path.write_text(HEADER + (
        "15-1252.00,Software Developers,0.5,0.75,1.0,0.4,0.6,0.8\n"
        "15-1299.08,Computer Systems Engineers/Architects,0.2,0.4,0.6000000000000001,0.1,0.3,0.5\n"
        "15-1299.09,Information Technology Project Managers,0.3,0.5,0.7,0.2,0.35,0.5\n"
        "11-1011.00,Chief Executives,0.1,x,0.82,0.18,0.35,0.52\n"
        "11-9999.00,Made Up,0.1,1.5,0.82,0.18,0.35,0.52\n"
    ))
    result = ingest.ingest(path, "gpts")
    got = result.accepted.select("onet_soc_code", "soc_code", "exposure_gamma_gpt4").rows()
    # 0.6000000000000001 is kept exactly as published: never rounded.
    assert got == [("15-1252.00", "15-1252", 1.0), ("15-1299.08", "15-1299", 0.6000000000000001), ("15-1299.09", "15-1299", 0.7)]
    assert dict(zip(result.quarantine["source_row"], result.quarantine["reasons"])) == {
        4: "exposure_beta_gpt4: type: must be a number",
        5: "exposure_beta_gpt4: maximum: must be <= 1",
    }


def test_microsoft_file_read_as_given_and_bad_rows_quarantined(tmp_path):
    from talentgap.ingest import applicability

    path = tmp_path / "soc_ai_applicability_scores.csv"
    path.write_text(
        "SOC Code,title,ai_applicability_score\n"
        "25-9045,\"Teaching Assistants, Except Postsecondary\",0.20853098510460286\n"
        "27-3091,Interpreters and Translators,0.4921992\n"
        "11-1021,Ops,n/a\n"
        "11-1031,Legislators,1.2\n"
        "1110-11,Bad code,0.1\n"
    )
    result = applicability.ingest(path, "msft")
    # Values kept exactly as published; "n/a" is the file saying "no score": kept empty, and never averaged.
    assert result.accepted.select("soc_code", "ai_applicability_microsoft", "source_id").rows() == [
        ("25-9045", 0.20853098510460286, "msft"), ("27-3091", 0.4921992, "msft"), ("11-1021", None, "msft")]
    reasons = dict(zip(result.quarantine["source_row"], result.quarantine["reasons"]))
    assert set(reasons) == {4, 5}
    assert reasons[4] == "ai_applicability_microsoft: maximum: must be <= 1"
    assert "soc_code" in reasons[5]
    both = pl.DataFrame({"soc_code": ["11-1021", "25-9045"]})
    long = e.long_scores(both["soc_code"].to_list(), result.accepted, (e.APPLICABILITY,), "soc_code")
    assert long["soc_code"].to_list() == ["25-9045"]


def _exposure(rows):
    cols = ["onet_soc_code", "soc_code", *e.GPTS_MEASURES]
    return pl.DataFrame([dict(zip(cols, r)) for r in rows]).with_columns(pl.lit("g").alias("source_id"))


def test_soc_score_is_the_unweighted_mean_of_its_onet_occupations_and_broad_groups_are_pooled():
    exp = _exposure([
        ("15-1299.08", "15-1299", 0.2, 0.4, 0.6, 0.1, 0.3, 0.5),
        ("15-1299.09", "15-1299", 0.4, 0.5, 0.7, 0.2, 0.35, 0.5),
        ("31-1121.00", "31-1121", 0.0, 0.1, 0.2, 0.0, 0.0, 0.1),
        ("31-1122.00", "31-1122", 0.2, 0.3, 0.4, 0.1, 0.2, 0.3),
    ])
    soc = {r["soc_code"]: r for r in e.exposure_by_soc(exp).iter_rows(named=True)}
    assert soc["15-1299"]["onet_codes_counted"] == 2 and soc["15-1299"]["exposure_alpha_gpt4"] == pytest.approx(0.3)
    broad = {r["soc_code"]: r for r in e.broad_group_exposure(exp).iter_rows(named=True)}
    assert broad["31-1120"]["exposure_beta_gpt4"] == pytest.approx(0.2) and broad["31-1120"]["onet_codes_counted"] == 2


def test_exposure_change_lists_unscored_occupations_and_uses_may_cpi():
    occ = pl.DataFrame({
        "soc_code": ["15-1299", "15-1299", "31-1120", "31-1120", "99-9999", "99-9999"],
        "occupation_title": ["Computer Occupations, All Other"] * 2 + ["Home Health and Personal Care Aides"] * 2 + ["Unscored"] * 2,
        "occupation_group": ["detailed"] * 6, "year": [2021, 2025] * 3,
        "employment": [100, 150, 1000, 900, 50, 50], "annual_median_wage_usd": [100.0, 121.0, 30.0, 33.0, None, 40.0],
        "source_id": ["f"] * 6,
    })
    sources = pl.DataFrame({"source_id": ["f"], "kind": ["publisher_file"]})
    cpi = pl.DataFrame({"series_id": ["C", "C"], "month": [D(2021, 5, 1), D(2025, 5, 1)], "cpi_u_index": [100.0, 110.0], "source_id": ["c", "c"]})
    exp = _exposure([("15-1299.08", "15-1299", 0.2, 0.4, 0.6, 0.1, 0.3, 0.5), ("31-1121.00", "31-1121", 0.0, 0.1, 0.2, 0.0, 0.0, 0.1)])
    both = e.occupations_both_years(occ, sources)
    change = {r["soc_code"]: r for r in e.exposure_change(both, cpi, e.exposure_scores(both, exp, None)).iter_rows(named=True)}
    assert [change[c]["exposure_match"] for c in ("15-1299", "31-1120", "99-9999")] == ["soc", "broad_group", "none"]
    assert change["15-1299"]["ai_applicability_microsoft"] is None  # no second measure given: column present, empty
    assert change["99-9999"]["exposure_beta_gpt4"] is None and change["99-9999"]["onet_codes_counted"] == 0
    assert change["15-1299"]["log_employment_change"] == pytest.approx(np.log(1.5))
    assert change["15-1299"]["nominal_change_share"] == pytest.approx(0.21)
    assert change["15-1299"]["real_change_share"] == pytest.approx(0.1)  # 1.21 / 1.10 - 1
    assert change["99-9999"]["real_change_share"] is None


def test_weighted_slope_matches_a_hand_computed_example():
    # x = 0, 1, 2 with weights 1, 2, 1: weighted mean of x is 1; y = 1, 2, 5 has weighted mean 2.5.
    # slope = sum w (x-1)(y-2.5) / sum w (x-1)^2 = (1*-1*-1.5 + 0 + 1*1*2.5) / (1 + 0 + 1) = 4 / 2 = 2
    x, y, w = np.array([0.0, 1.0, 2.0]), np.array([1.0, 2.0, 5.0]), np.array([1.0, 2.0, 1.0])
    assert e.wls_slope(x, y, w) == pytest.approx(2.0)
    # Weights change the answer: y = 0, 3, 2 gives 1 unweighted; with weights 3, 1, 1 the weighted means are
    # x 0.6 and y 1, and the slope is (3*0.6*1 + 0.4*2 + 1.4*1) / (3*0.36 + 0.16 + 1.96) = 4.0 / 3.2 = 1.25.
    y2 = np.array([0.0, 3.0, 2.0])
    assert e.wls_slope(x, y2, np.ones(3)) == pytest.approx(1.0)
    assert e.wls_slope(x, y2, np.array([3.0, 1.0, 1.0])) == pytest.approx(1.25)


def test_bootstrap_is_seeded_deterministic_and_brackets_the_slope():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, 200)
    y = -0.5 * x + rng.normal(0, 0.1, 200)
    w = rng.uniform(1, 10, 200)
    first, again = e.bootstrap_interval(x, y, w), e.bootstrap_interval(x, y, w)
    assert first == again
    assert first[0] < e.wls_slope(x, y, w) < first[1] and first[1] < 0
    assert e.bootstrap_interval(x, y, w, seed=2) != first


def test_bootstrap_equals_the_slope_of_each_resample_drawn_one_by_one():
    # The matrix form must give the percentiles of wls_slope over the very resamples the seed draws.
    rng = np.random.default_rng(3)
    x, w = rng.uniform(0, 1, 60), rng.uniform(1, 5, 60)
    y = 0.3 * x + rng.normal(0, 0.2, 60)
    idx = np.random.default_rng(7).integers(0, 60, size=(300, 60))
    slopes = [e.wls_slope(x[r], y[r], w[r]) for r in idx]
    expected = np.percentile(slopes, [2.5, 97.5])
    assert e.bootstrap_interval(x, y, w, draws=300, seed=7) == pytest.approx(tuple(expected), rel=1e-12)


def test_bins_hold_a_fifth_of_the_jobs_each():
    change = pl.DataFrame({
        "soc_code": [f"00-000{i}" for i in range(10)], "from_employment": [10] * 10, "to_employment": [10] * 5 + [20] * 5,
        "real_change_share": [0.0] * 10, **{m: [i / 10 for i in range(10)] for m in e.MEASURES},
    })
    bins = e.exposure_bins(change).filter(pl.col("exposure_measure") == "exposure_beta_gpt4")
    assert bins["occupations_counted"].to_list() == [2] * 5
    assert bins["employment_change_share"].to_list() == [0.0, 0.0, 0.5, 1.0, 1.0]
    assert bins.row(0, named=True)["exposure_max"] == 0.1 and bins.row(4, named=True)["exposure_min"] == 0.8


def test_weighted_median():
    assert e.weighted_median(np.array([3.0, 1.0, 2.0]), np.array([1.0, 1.0, 5.0])) == 2.0
    assert e.weighted_median(np.array([3.0, 1.0, 2.0]), np.array([10.0, 1.0, 1.0])) == 3.0


def test_release_exposure_tables_cover_every_detailed_occupation():
    occ = talentgap.load("occupations")
    sources = talentgap.load("sources")
    files = sources.filter(pl.col("kind") == "publisher_file").select("source_id")
    detailed = occ.join(files, on="source_id", how="semi").filter(pl.col("occupation_group") == "detailed")
    both_years = detailed.group_by("soc_code").agg(pl.col("year")).filter(pl.col("year").list.contains(2021) & pl.col("year").list.contains(2025))
    change = talentgap.load("exposure_change")
    assert sorted(change["soc_code"]) == sorted(both_years["soc_code"])
    assert change.filter(pl.col("exposure_match") == "none").height > 0  # listed, not dropped
    summary = talentgap.load("exposure_summary")
    slopes = summary.filter(pl.col("summary_statistic").str.starts_with("slope"))
    assert slopes.height == 3 * len(e.MEASURES) and (slopes["ci_low"] < slopes["estimate"]).all() and (slopes["estimate"] < slopes["ci_high"]).all()
    beta = summary.filter((pl.col("exposure_measure") == "exposure_beta_human") & (pl.col("summary_statistic") == "share_of_employment_exposure_at_least_0_1"))
    assert beta["published_value"][0] == 0.8 and beta["published_source_id"][0].startswith("huggingface-")


def test_combined_and_all_other_codes_take_their_broad_groups_scores():
    oews = ["21-1012", "21-1018", "21-1019", "25-9044", "25-9045", "31-1120", "99-9998"]
    scored = {"21-1011", "21-1012", "21-1014", "25-9042", "25-9043", "25-9044", "31-1121", "31-1122"}
    m = e.match_codes(oews, scored)
    assert m["21-1012"] == ("soc", ["21-1012"])
    # 21-1018 combines the parts of 21-101x that OEWS does not publish on their own (21-1012 it does).
    assert m["21-1018"] == ("oews_combined", ["21-1011", "21-1014"])
    assert m["25-9045"] == ("oews_combined", ["25-9042", "25-9043"])
    # An All Other residual is never read as a combination: it takes its whole broad group, marked as such.
    assert m["21-1019"] == ("all_other_broad_group", ["21-1011", "21-1012", "21-1014"])
    assert m["31-1120"] == ("broad_group", ["31-1121", "31-1122"])
    assert m["99-9998"] == ("none", [])


def test_long_scores_average_the_rows_matched_and_name_them():
    rows = _exposure([("25-9042.00", "25-9042", 0.1, 0.2, 0.3, 0.1, 0.2, 0.3), ("25-9043.00", "25-9043", 0.3, 0.4, 0.5, 0.3, 0.4, 0.5)])
    both = pl.DataFrame({"soc_code": ["25-9045"], "from_employment": [10], "to_employment": [10]})
    long = e.exposure_scores(both, rows, pl.DataFrame({"soc_code": ["25-9045"], "ai_applicability_microsoft": [0.25], "source_id": ["m"]}))
    beta = long.filter(pl.col("exposure_measure") == "exposure_beta_gpt4").row(0, named=True)
    assert beta["exposure_score"] == pytest.approx(0.3) and beta["source_rows_counted"] == 2
    assert beta["source_codes"] == "25-9042.00; 25-9043.00" and beta["exposure_match"] == "oews_combined" and beta["exposure_rater"] == "gpt4"
    msft = long.filter(pl.col("exposure_measure") == "ai_applicability_microsoft").row(0, named=True)
    assert (msft["exposure_score"], msft["exposure_match"], msft["exposure_rater"], msft["source_id"]) == (0.25, "soc", "copilot_usage", "m")
    with pytest.raises(ValueError, match="one file per measure"):
        e.exposure_scores(both, rows.with_columns(pl.Series("source_id", ["g", "h"])), None)


def test_correlation_weighted_and_rank():
    x, y = np.array([0.0, 1.0, 2.0, 3.0]), np.array([0.0, 1.0, 4.0, 9.0])
    assert e.weighted_correlation(x, 2 * x + 1, np.array([1.0, 5.0, 1.0, 2.0])) == pytest.approx(1.0)
    # Weights matter: with (almost) all the weight on two points, any relation is a straight line.
    assert e.weighted_correlation(x, y, np.ones(4)) < 0.97
    assert e.weighted_correlation(x, y, np.array([1e-12, 1e-12, 1.0, 1.0])) == pytest.approx(1.0)
    n = 12
    change = pl.DataFrame({"from_employment": [1] * n, **{m: [i / n for i in range(n)] for m in e.MEASURES}}).with_columns(
        pl.Series("ai_applicability_microsoft", [(i / n) ** 3 for i in range(n)]))
    corr = e.exposure_correlation(change)
    pair = corr.filter((pl.col("exposure_measure") == "exposure_beta_gpt4") & (pl.col("exposure_measure_other") == "ai_applicability_microsoft")).row(0, named=True)
    assert pair["correlation_rank"] == pytest.approx(1.0) and pair["correlation_weighted"] < 0.99  # monotone, not linear
    assert corr.height == len(e.MEASURES) * (len(e.MEASURES) - 1) // 2


def test_release_puts_two_measures_on_one_key_with_under_one_percent_of_jobs_unscored():
    scores = talentgap.load("exposure_scores")
    assert set(scores["exposure_measure"]) == set(e.MEASURES)
    summary = talentgap.load("exposure_summary").filter(pl.col("summary_statistic") == "share_of_employment_unscored")
    assert summary.height == len(e.MEASURES) and (summary["estimate"] < 0.01).all()
    # Recomputed from exposure_change, not trusted from the summary.
    change = talentgap.load("exposure_change")
    for measure in e.MEASURES:
        unscored = change.filter(pl.col(measure).is_null())["from_employment"].sum() / change["from_employment"].sum()
        assert unscored < 0.01, measure
    # The five OEWS combined codes of issue #16 are scored from their parts (parts as Lightcast's SOC notes list
    # them for 25-9045, 25-2052 and 53-1047; O*NET scores no 53-1049).
    combined = scores.filter((pl.col("exposure_measure") == "exposure_beta_gpt4") & (pl.col("exposure_match") == "oews_combined"))
    assert dict(combined.select("soc_code", "source_codes").iter_rows()) == {
        "21-1018": "21-1011.00; 21-1014.00", "25-2052": "25-2055.00; 25-2056.00", "25-9045": "25-9042.00; 25-9043.00",
        "51-2028": "51-2022.00; 51-2023.00", "53-1047": "53-1042.00; 53-1042.01; 53-1043.00; 53-1044.00",
    }
    # Microsoft's file is keyed on OEWS's own codes: every one it scores joins directly.
    msft = scores.filter(pl.col("exposure_measure") == "ai_applicability_microsoft")
    assert msft.filter(pl.col("exposure_match") == "soc").height == talentgap.load("ai_applicability")["soc_code"].is_in(change["soc_code"].implode()).sum()


def test_slope_without_all_other_leaves_out_exactly_the_imputed_occupations():
    summary = talentgap.load("exposure_summary")
    scores = talentgap.load("exposure_scores")
    for measure in e.MEASURES:
        row = lambda st: summary.filter((pl.col("exposure_measure") == measure) & (pl.col("summary_statistic") == st)).row(0, named=True)
        imputed = scores.filter((pl.col("exposure_measure") == measure) & (pl.col("exposure_match") == "all_other_broad_group")).height
        assert imputed > 0
        assert row("slope_log_employment_change_without_all_other")["occupations_counted"] == row("slope_log_employment_change")["occupations_counted"] - imputed


# The twelve codes OEWS publishes for combinations of 2018 SOC occupations, with their parts, as BLS's May 2021
# occupation definitions (occupation_definitions_m2021.xlsx) list them; read in a public package's source, not in
# a copy of BLS's file (see data/NOTES.md). 25-9045 also lists the 2010 code 25-9041, which no measure scores.
OEWS_COMBINATIONS = {
    "13-1020": ["13-1021", "13-1022", "13-1023"], "13-2020": ["13-2022", "13-2023"], "21-1018": ["21-1011", "21-1014"],
    "25-2052": ["25-2055", "25-2056"], "25-9045": ["25-9042", "25-9043", "25-9049"], "29-2010": ["29-2011", "29-2012"],
    "31-1120": ["31-1121", "31-1122"], "39-7010": ["39-7011", "39-7012"], "47-4090": ["47-4091", "47-4099"],
    "51-2028": ["51-2022", "51-2023"], "51-2090": ["51-2092", "51-2099"], "53-1047": ["53-1042", "53-1043", "53-1044", "53-1049"],
}


def test_the_matching_rule_reproduces_every_oews_combination():
    """Each combined code takes exactly the parts that BLS lists and GPTs are GPTs scores; no other code is matched
    to a group (Microsoft's file scores the combined codes themselves)."""
    scores = talentgap.load("exposure_scores").filter(pl.col("exposure_measure") == "exposure_beta_gpt4")
    scored = set(talentgap.load("ai_exposure")["soc_code"])
    grouped = scores.filter(pl.col("exposure_match").is_in(["broad_group", "oews_combined"]))
    assert sorted(grouped["soc_code"]) == sorted(OEWS_COMBINATIONS)
    for row in grouped.iter_rows(named=True):
        used = sorted({c[:7] for c in row["source_codes"].split("; ")})
        assert used == [c for c in OEWS_COMBINATIONS[row["soc_code"]] if c in scored], row["soc_code"]
    msft = talentgap.load("exposure_scores").filter(
        (pl.col("exposure_measure") == "ai_applicability_microsoft") & pl.col("soc_code").is_in(list(OEWS_COMBINATIONS)))
    assert set(msft["exposure_match"]) == {"soc"} and msft.height == len(OEWS_COMBINATIONS)


# The release's exposure summary computed in a fresh interpreter whose BLAS has the given number of threads.
SUMMARY_IN_FRESH_PROCESS = (
    "import polars as pl; from talentgap import exposure as e, paths; r = lambda n: pl.read_parquet(paths.release_dir() / f'{n}.parquet'); "
    "print(e.exposure_summary(r('exposure_change'), r('exposure_published'), r('exposure_scores')).write_csv())"
)


def test_the_bootstrap_intervals_do_not_depend_on_how_many_threads_blas_has():
    import os
    import subprocess
    import sys

    outputs = []
    for threads in ("1", "2"):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads}
        done = subprocess.run([sys.executable, "-c", SUMMARY_IN_FRESH_PROCESS], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and "slope_log_employment_change" in outputs[0]
