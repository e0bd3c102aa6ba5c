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


def _exposure(rows):
    cols = ["onet_soc_code", "soc_code", *e.MEASURES]
    return pl.DataFrame([dict(zip(cols, r)) for r in rows])


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
    change = {r["soc_code"]: r for r in e.exposure_change(occ, sources, cpi, e.exposure_by_soc(exp), exp).iter_rows(named=True)}
    assert [change[c]["exposure_match"] for c in ("15-1299", "31-1120", "99-9999")] == ["soc", "broad_group", "none"]
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
    assert slopes.height == 12 and (slopes["ci_low"] < slopes["estimate"]).all() and (slopes["estimate"] < slopes["ci_high"]).all()
    beta = summary.filter((pl.col("exposure_measure") == "exposure_beta_human") & (pl.col("summary_statistic") == "share_of_employment_exposure_at_least_0_1"))
    assert beta["published_value"][0] == 0.8 and beta["published_source_id"][0].startswith("huggingface-")
