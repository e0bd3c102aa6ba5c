"""Verdict logic on small known cases: qualifiers, snapshot dates, sums over years, own-article exclusion."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from talentgap.claims import check_claim, consistent

D = dt.date


@pytest.mark.parametrize(
    "qualifier,claim,data,expected",
    [
        ("over", 50_000, 52_000, True),
        ("over", 50_000, 48_000, False),
        ("over", 50_000, 70_000, False),  # past +25% a writer would have named a larger figure
        ("more_than", 50_000, 50_000, True),
        ("exceeding", 190_000, 200_000, True),
        ("at_least", 200, 199, False),
        ("nearly", 900_000, 850_000, True),
        ("nearly", 900_000, 910_000, False),
        ("nearly", 900_000, 700_000, False),
        ("approximately", 1_400, 1_450, True),
        ("approximately", 1_400, 1_500, False),
        ("around", 0.472, 0.478, True),
        ("none", 168_032, 168_032, True),
        ("none", 168_032, 175_000, False),
        ("none", 428_449, 429_489, True),  # within 2%: snapshots days apart
        ("up_to", 500, 400, True),
        ("up_to", 500, 600, False),
    ],
)
def test_qualifier_bounds(qualifier, claim, data, expected):
    assert consistent(claim, qualifier, data) is expected


def _tables(totals: list[dict], events: list[dict] | None = None) -> dict[str, pl.DataFrame]:
    return {
        "layoff_tracker_totals": pl.DataFrame(totals),
        "layoff_events": pl.DataFrame(
            events or [],
            schema={"company": pl.String, "announced_on": pl.Date, "headcount": pl.Int64,
                    "share_of_workforce": pl.Float64, "source_id": pl.String},
        ),
        "sources": pl.DataFrame({"source_id": ["own", "t1", "t2", "t3", "e1"], "url": ["https://a/own", "https://a/1", "https://a/2", "https://a/3", "https://a/e"]}),
        "seed_documents": pl.DataFrame({"seed_id": ["000_0000000000000000"], "url": ["https://a/own"]}),
    }


def _snap(year, period_end, as_of, employees, source_id="t1", tracker="layoffs.fyi", qualifier="none", companies=None):
    return {"tracker": tracker, "year": year, "period_end": period_end, "as_of": as_of,
            "employees": employees, "companies": companies, "qualifier": qualifier, "source_id": source_id}


def _claim(value, qualifier, start, end, as_of, metric="tech_layoffs_employees", attributed="Layoffs.fyi", entity=None):
    return {"claim_id": "000_0000000000000000#1", "seed_id": "000_0000000000000000", "figure_text": f"{value:,}",
            "claim_value": value, "qualifier": qualifier, "metric": metric, "period_start": start,
            "period_end": end, "as_of": as_of, "attributed_source": attributed, "entity": entity}


TOTALS = [
    _snap(2024, D(2024, 3, 18), D(2024, 3, 18), 50_000, "t1"),
    _snap(2024, D(2024, 12, 31), D(2025, 1, 10), 152_000, "t2"),
    _snap(2023, D(2023, 12, 31), D(2024, 1, 5), 262_000, "t3"),
    _snap(2022, D(2022, 12, 31), D(2023, 1, 5), 165_000, "t3"),
]


def test_midyear_claim_uses_snapshot_of_its_date_not_the_year_total():
    verdict = check_claim(_claim(50_000, "over", D(2024, 1, 1), D(2024, 3, 17), D(2024, 3, 17)), _tables(TOTALS))
    assert verdict["verdict"] == "consistent"
    assert verdict["compared_value"] == 50_000 and verdict["compared_source_id"] == "t1"


def test_claim_far_from_any_snapshot_is_not_checkable():
    verdict = check_claim(_claim(90_000, "over", D(2024, 1, 1), D(2024, 6, 30), D(2024, 6, 30)), _tables(TOTALS))
    assert verdict["verdict"] == "not_checkable"
    assert "days from the claim" in verdict["reason"]


def test_sum_over_years_uses_each_full_year_total():
    verdict = check_claim(_claim(427_000, "none", D(2022, 1, 1), D(2023, 12, 31), D(2024, 3, 1)), _tables(TOTALS))
    assert verdict["verdict"] == "consistent"
    assert verdict["compared_value"] == 427_000
    wrong = check_claim(_claim(500_000, "none", D(2022, 1, 1), D(2023, 12, 31), D(2024, 3, 1)), _tables(TOTALS))
    assert wrong["verdict"] == "inconsistent"


def test_year_total_not_yet_published_is_not_checkable():
    verdict = check_claim(_claim(152_000, "none", D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 31)), _tables(TOTALS))
    assert verdict["verdict"] == "not_checkable"


def test_claim_is_never_checked_against_its_own_article():
    totals = [_snap(2024, D(2024, 3, 18), D(2024, 3, 18), 50_000, "own")]
    verdict = check_claim(_claim(50_000, "over", D(2024, 1, 1), D(2024, 3, 17), D(2024, 3, 17)), _tables(totals))
    assert verdict["verdict"] == "not_checkable"


def test_unattributed_claim_matches_any_tracker():
    totals = TOTALS + [_snap(2023, D(2023, 12, 31), D(2024, 1, 5), 168_032, "t1", tracker="challenger")]
    claim = _claim(168_032, "none", D(2023, 1, 1), D(2023, 12, 31), D(2024, 1, 18), attributed=None, entity="Tech sector")
    verdict = check_claim(claim, _tables(totals))
    assert verdict["verdict"] == "consistent" and "challenger" in verdict["reason"]


def test_later_snapshot_confirms_lower_bound_claim():
    totals = [_snap(2024, D(2024, 1, 25), D(2024, 1, 25), 11_000, "t1")]
    claim = _claim(7_500, "over", D(2024, 1, 1), D(2024, 1, 18), D(2024, 1, 18))
    assert check_claim(claim, _tables(totals))["verdict"] == "consistent"
    exact = _claim(7_500, "none", D(2024, 1, 1), D(2024, 1, 18), D(2024, 1, 18))
    assert check_claim(exact, _tables(totals))["verdict"] == "inconsistent"


def test_company_claim_against_events():
    events = [{"company": "Nike", "announced_on": D(2026, 4, 20), "headcount": 1_400, "share_of_workforce": None, "source_id": "e1"}]
    claim = _claim(1_400, "approximately", None, None, D(2026, 4, 23), metric="company_layoffs_employees", attributed=None, entity="Nike")
    assert check_claim(claim, _tables(TOTALS, events))["verdict"] == "consistent"
    both = _claim(20_000, "exceeding", None, None, D(2026, 4, 23), metric="company_layoffs_employees", attributed=None, entity="Meta and Nike")
    assert check_claim(both, _tables(TOTALS, events))["verdict"] == "not_checkable"


def test_vague_and_unmeasured_claims_are_not_checkable():
    vague = _claim(100, "vague_multiple", None, None, D(2024, 1, 18), metric="company_layoffs_employees", entity="Amazon")
    assert check_claim(vague, _tables(TOTALS))["verdict"] == "not_checkable"
    revenue = _claim(50_000_000, "none", None, None, D(2024, 1, 18), metric="revenue")
    assert check_claim(revenue, _tables(TOTALS))["reason"].endswith("no dataset measures revenue")


def test_claims_command_prints_every_claim_with_its_verdict(curated, tmp_path, capsys):
    from talentgap.build import build
    from talentgap.cli import main

    build(curated, tmp_path / "release", today=D(2026, 11, 22))
    assert main(["claims", "--release", str(tmp_path / "release")]) == 0
    out = capsys.readouterr().out
    assert "001_8d6d8615f2c2a2e0#1" in out and "consistent" in out and "50,000" in out
