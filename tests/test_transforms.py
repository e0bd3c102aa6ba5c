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


def _occupations(rows):
    return pl.DataFrame(rows, schema={
        "soc_code": pl.String, "occupation_title": pl.String, "year": pl.Int64, "employment": pl.Int64,
        "annual_median_wage_usd": pl.Float64, "source_id": pl.String,
    }, orient="row")


def test_wage_change_nominal_and_real():
    occ = _occupations([
        ("15-1251", "Computer Programmers", 2021, 100, 100_000.0, "a"),
        ("15-1251", "Computer Programmers", 2024, 90, 110_000.0, "a"),
        ("15-2051", "Data Scientists", 2022, 50, 100_000.0, "a"),
        ("15-2051", "Data Scientists", 2023, 60, 105_000.0, "a"),
    ])
    cpi = pl.DataFrame({"year": [2021, 2024], "cpi_u_annual_average": [270.0, 297.0], "source_id": ["c", "c"]})
    out = {r["soc_code"]: r for r in t.wage_change(occ, cpi).iter_rows(named=True)}
    assert out["15-1251"]["nominal_change_share"] == pytest.approx(0.10)
    # 110k at 297 vs 100k at 270: real change = (110/297)/(100/270) - 1 = 0
    assert out["15-1251"]["real_change_share"] == pytest.approx(0.0)
    assert out["15-1251"]["role_group"] == "routine"
    assert out["15-2051"]["nominal_change_share"] == pytest.approx(0.05)
    assert out["15-2051"]["real_change_share"] is None  # no CPI for 2022/2023: never interpolated


def test_employment_change_by_role_group():
    occ = _occupations([
        ("15-1251", "Computer Programmers", 2021, 200, None, "a"),
        ("15-1251", "Computer Programmers", 2024, 150, None, "a"),
        ("15-2051", "Data Scientists", 2022, 100, None, "a"),
    ])
    out = {r["soc_code"]: r for r in t.employment_change(occ).iter_rows(named=True)}
    assert out["15-1251"]["employment_change_share"] == pytest.approx(-0.25)
    assert out["15-2051"]["employment_change_share"] is None  # one year only


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
