"""Derived tables: arithmetic checked on small inputs whose answers are known."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from talentgap import transforms as t

D = dt.date


def _salaries(rows):
    cols = ["role", "seniority", "geography", "period_start", "period_end", "statistic", "amount", "amount_unit", "comparison", "source_id"]
    return pl.DataFrame([dict(zip(cols, r)) for r in rows], schema={
        "role": pl.String, "seniority": pl.String, "geography": pl.String, "period_start": pl.Date,
        "period_end": pl.Date, "statistic": pl.String, "amount": pl.Float64, "amount_unit": pl.String,
        "comparison": pl.String, "source_id": pl.String,
    })


def test_ai_premium_reported_and_computed_from_one_source():
    sal = _salaries([
        ("AI engineer", "all", "US", D(2023, 1, 1), D(2023, 12, 31), "median", 180_000, "usd_per_year", None, "s1"),
        ("Software engineer", "all", "US", D(2023, 1, 1), D(2023, 12, 31), "median", 150_000, "usd_per_year", None, "s1"),
        ("Software engineer", "all", "US", D(2023, 1, 1), D(2023, 12, 31), "median", 100_000, "usd_per_year", None, "s2"),
        ("Jobs requiring AI skills", "all", "Global", D(2024, 1, 1), D(2024, 12, 31), "premium", 0.56, "share", "same jobs", "s3"),
    ])
    out = t.ai_pay_premium(sal)
    computed = out.filter(pl.col("method") == "computed").row(0, named=True)
    assert computed["premium_share"] == pytest.approx(0.2)  # 180k / 150k - 1, never across sources
    assert computed["source_id"] == "s1" and computed["year"] == 2023
    assert out.filter(pl.col("method") == "reported")["premium_share"].to_list() == [0.56]
    assert out.height == 2


def _occupations(rows, top_codes: dict[int, float] | None = None):
    """Rows (soc, title, year, employment, median, source[, bls_markers]); top codes by year (none: no top-coding)."""
    rows = [(*r, None) if len(r) == 6 else r for r in rows]
    df = pl.DataFrame(rows, schema={
        "soc_code": pl.String, "occupation_title": pl.String, "year": pl.Int64, "employment": pl.Int64,
        "annual_median_wage_usd": pl.Float64, "source_id": pl.String, "bls_markers": pl.String,
    }, orient="row")
    return df.with_columns(pl.col("year").replace_strict(top_codes or {}, default=None, return_dtype=pl.Float64).alias("wage_top_code_usd"))


SOURCES = pl.DataFrame({"source_id": ["file", "page"], "kind": ["publisher_file", "government_statistics"]})


def _cpi_monthly(values: dict[tuple[int, int], float]) -> pl.DataFrame:
    return pl.DataFrame({
        "series_id": ["CUUR0000SA0"] * len(values),
        "month": [D(y, m, 1) for y, m in values],
        "cpi_u_index": list(values.values()),
        "source_id": ["cpi"] * len(values),
    })


def test_wage_change_every_pair_of_years_nominal_and_real_with_may_cpi():
    occ = _occupations([
        ("15-1251", "Computer Programmers", 2021, 100, 100_000.0, "file"),
        ("15-1251", "Computer Programmers", 2023, 95, 104_000.0, "file"),
        ("15-1251", "Computer Programmers", 2024, 90, 110_000.0, "file"),
        ("15-1251", "Computer Programmers", 2022, 90, 999_999.0, "page"),  # a web-page row: never used
    ])
    cpi = _cpi_monthly({(2021, 5): 270.0, (2021, 6): 999.0, (2024, 5): 297.0})  # no May 2023
    out = {(r["from_year"], r["to_year"]): r for r in t.wage_change(occ, cpi, SOURCES).iter_rows(named=True)}
    assert sorted(out) == [(2021, 2023), (2021, 2024), (2023, 2024)]
    assert out[(2021, 2024)]["nominal_change_share"] == pytest.approx(0.10)
    # 110k at 297 vs 100k at 270 (May to May, June ignored): real change = (110/297)/(100/270) - 1 = 0
    assert out[(2021, 2024)]["real_change_share"] == pytest.approx(0.0)
    assert out[(2021, 2024)]["role_group"] == "routine"
    assert out[(2021, 2023)]["nominal_change_share"] == pytest.approx(0.04)
    assert out[(2021, 2023)]["real_change_share"] is None  # no CPI for May 2023: never interpolated


def test_wage_change_leaves_out_pairs_across_a_top_code():
    # May 2024 top-codes at $239,200 and May 2025 does not (issue #16), May 2021 at $208,000.
    caps = {2021: 208_000.0, 2024: 239_200.0}
    occ = _occupations([
        ("29-1215", "Family Medicine Physicians", 2024, 10, 230_000.0, "file"),
        ("29-1215", "Family Medicine Physicians", 2025, 10, 250_000.0, "file"),  # above 2024's cap: out
        ("29-1223", "Psychiatrists", 2024, 10, None, "file", "annual_median_wage_usd=#"),  # top-coded: out
        ("29-1223", "Psychiatrists", 2025, 10, 260_000.0, "file"),
        ("15-1252", "Software Developers", 2021, 10, 120_000.0, "file"),
        ("15-1252", "Software Developers", 2024, 10, 133_000.0, "file"),
        ("15-1252", "Software Developers", 2025, 10, 136_000.0, "file"),
        ("29-1024", "Prosthodontists", 2021, 10, 200_000.0, "file"),
        ("29-1024", "Prosthodontists", 2024, 10, 220_000.0, "file"),  # below 2024's cap, above 2021's: 2021 pair out
    ], caps)
    cpi = _cpi_monthly({(2021, 5): 270.0, (2024, 5): 297.0, (2025, 5): 300.0})
    out = t.wage_change(occ, cpi, SOURCES)
    kept = {(r["soc_code"], r["from_year"], r["to_year"]): r["comparison_cap_usd"] for r in out.iter_rows(named=True)}
    assert kept == {
        ("15-1252", 2021, 2024): 208_000.0, ("15-1252", 2021, 2025): 208_000.0, ("15-1252", 2024, 2025): 239_200.0,
    }
    # Without the 2024 cap the physicians' pair would be compared: the rule follows the top codes, not the years.
    uncapped = t.wage_change(_occupations(occ.drop("wage_top_code_usd").rows()[:2]), cpi, SOURCES)
    assert uncapped.height == 1 and uncapped["comparison_cap_usd"][0] is None


def test_employment_change_first_to_last_year_and_by_role_group():
    occ = _occupations([
        ("15-1251", "Computer Programmers", 2021, 100, None, "file"),
        ("15-1251", "Computer Programmers", 2025, 75, None, "file"),
        ("15-1253", "Software QA", 2021, 300, None, "file"),
        ("15-1253", "Software QA Analysts and Testers", 2025, 325, None, "file"),
        ("15-2051", "Data Scientists", 2025, 60, None, "file"),  # one year only: no change
        ("00-0000", "All Occupations", 2021, 1000, None, "file"),
        ("00-0000", "All Occupations", 2025, 1100, None, "file"),
    ])
    change = t.employment_change(occ, SOURCES)
    out = {r["soc_code"]: r for r in change.iter_rows(named=True)}
    assert sorted(out) == ["00-0000", "15-1251", "15-1253"]
    assert out["15-1251"]["employment_change"] == -25
    assert out["15-1251"]["employment_change_share"] == pytest.approx(-0.25)
    assert out["15-1253"]["occupation_title"] == "Software QA Analysts and Testers"  # the later title
    assert out["00-0000"]["role_group"] == "total"
    groups = t.employment_change_groups(change)
    assert groups.rows() == [("routine", 2, 2021, 2025, 400, 400, 0, 0.0)]  # totals are never summed in


def test_cpi_annual_average_for_complete_years_only_rounded_as_bls_rounds():
    monthly = _cpi_monthly({**{(2024, m): 300.0 for m in range(1, 12)}, (2024, 12): 300.08, **{(2025, m): 310.0 for m in range(1, 12)}})
    published = pl.DataFrame({"year": [2024], "cpi_u_annual_average": [300.007], "source_id": ["bls"]})
    out = {r["year"]: r for r in t.cpi_annual(monthly, published).iter_rows(named=True)}
    # the mean, 300.00666..., to three decimals
    assert out[2024]["months"] == 12 and out[2024]["cpi_u_annual_average"] == pytest.approx(300.007)
    assert out[2024]["published_annual_average"] == 300.007 and out[2024]["published_source_id"] == "bls"
    assert out[2025]["months"] == 11 and out[2025]["cpi_u_annual_average"] is None



def test_latest_vintage_and_layoffs_by_month():
    conf = pl.DataFrame({
        "series": ["overall_us"] * 3,
        "month": [D(2023, 12, 1), D(2023, 12, 1), D(2024, 1, 1)],
        "as_of": [D(2024, 1, 10), D(2024, 2, 10), None],
        "confident_share": [0.472, 0.475, 0.456],
        "source_id": ["a", "b", "c"],
    })
    latest = t.latest_vintage(conf)
    assert latest["confident_share"].to_list() == [0.475, 0.456]
    events = pl.DataFrame({
        "announced_on": [D(2023, 12, 5), D(2023, 12, 20), D(2024, 2, 1)],
        "headcount": [100, None, 50],
        "company": ["A", "B", "C"],
        "ai_attribution": ["none_stated", "ai_named_as_reason", "none_stated"],
    })
    joined = t.confidence_vs_layoffs(conf, events)
    assert joined.select("month", "announced_headcount", "announcements").rows() == [
        (D(2023, 12, 1), 100, 2),
        (D(2024, 1, 1), 0, 0),
    ]
    by_year = t.attribution_by_year(events)
    assert by_year.filter(pl.col("year") == 2023)["announcements"].sum() == 2


def test_tracker_year_totals_take_latest_full_year_figure():
    totals = pl.DataFrame({
        "tracker": ["x", "x", "x"], "scope": ["s"] * 3, "year": [2023] * 3,
        "period_end": [D(2023, 6, 30), D(2023, 12, 31), D(2023, 12, 31)],
        "as_of": [D(2023, 7, 1), D(2024, 1, 2), D(2024, 8, 1)],
        "employees": [100, 200, 210], "companies": [None, None, None], "qualifier": ["none"] * 3,
        "source_id": ["a", "b", "c"],
    })
    assert t.tracker_year_totals(totals)["employees"].to_list() == [210]


def test_event_disagreements_show_kept_figure_and_range():
    events = pl.DataFrame({"company": ["A", "B"], "announced_on": [D(2023, 1, 5), D(2023, 2, 1)],
                           "headcount": [1000, 500], "source_id": ["s1", "s2"]})
    conflicts = pl.DataFrame({"company": ["A", "A"], "announced_on": [D(2023, 1, 5)] * 2,
                              "headcount": [1200, 900], "source_id": ["s3", "s4"]})
    out = t.event_disagreements(events, conflicts)
    assert out.select("company", "kept_headcount", "low_headcount", "high_headcount", "other_sources").rows() == [
        ("A", 1000, 900, 1200, 2)
    ]
