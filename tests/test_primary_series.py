"""The primary series in the release: complete, continuous, and in line with what the publishers published."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

import talentgap
from talentgap import paths
from talentgap.claims import reconstructed_sum
from talentgap.transforms import ROLE_GROUPS, TOTALS

D = dt.date


@pytest.fixture(scope="module")
def tb() -> dict[str, pl.DataFrame]:
    return {n: talentgap.load(n) for n in talentgap.tables()}


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    return pl.date_range(first, last, "1mo", eager=True).to_list()


def test_occupations_hold_every_may_year_from_the_workbooks(tb):
    files = tb["sources"].filter(pl.col("kind") == "publisher_file").select("source_id")
    occ = tb["occupations"].join(files, on="source_id", how="semi")
    years = occ.group_by("soc_code").agg(pl.col("year").sort())
    followed = years.filter(pl.col("soc_code").is_in([*ROLE_GROUPS, *TOTALS]))
    assert followed.height == 9 and followed.filter(pl.col("year") != [2021, 2022, 2023, 2024, 2025]).is_empty()
    # Every detailed occupation of every year: 830 or 831 a year (BLS skipped one code in 2022 and one in 2025).
    detailed = occ.filter(pl.col("occupation_group") == "detailed").group_by("year").len().sort("year")
    assert detailed["len"].to_list() == [831, 830, 831, 831, 830]
    # Every value BLS published is there; a cell BLS marked is empty and named in bls_markers.
    for column in ("employment", "annual_mean_wage_usd", "annual_median_wage_usd", "annual_wage_p10_usd", "annual_wage_p90_usd"):
        empty = occ.filter(pl.col(column).is_null())
        assert empty.filter(~pl.col("bls_markers").fill_null("").str.contains(f"{column}=")).is_empty(), column



def test_top_codes_per_year_and_no_published_wage_at_or_above_its_years_top_code(tb):
    files = tb["sources"].filter(pl.col("kind") == "publisher_file").select("source_id")
    occ = tb["occupations"].join(files, on="source_id", how="semi")
    marked = pl.col("bls_markers").fill_null("").str.contains("=#", literal=True)
    per_year = occ.group_by("year").agg(
        pl.col("wage_top_code_usd").unique().alias("codes"), marked.sum().alias("marked")).sort("year")
    codes = {y: c for y, c, _ in per_year.iter_rows()}
    assert codes == {2021: [208_000.0], 2022: [239_200.0], 2023: [239_200.0], 2024: [239_200.0], 2025: [None]}
    # Every top-coding year hides some wages behind #; May 2025 hides none (issue #16).
    assert [m > 0 for y, _, m in per_year.iter_rows()] == [True, True, True, True, False]
    # The percentiles are what BLS top-codes (means above the code are published, e.g. chief executives').
    wages = ["annual_wage_p10_usd", "annual_wage_p25_usd", "annual_median_wage_usd", "annual_wage_p75_usd", "annual_wage_p90_usd"]
    capped = occ.filter(pl.col("wage_top_code_usd").is_not_null())
    assert capped.filter(pl.any_horizontal([pl.col(w) >= pl.col("wage_top_code_usd") for w in wages])).is_empty()
    assert capped.filter(pl.col("annual_mean_wage_usd") >= pl.col("wage_top_code_usd")).height > 0
    assert occ.filter((pl.col("year") == 2025) & (pl.col("annual_wage_p90_usd") >= 239_200)).height > 0


def test_wage_change_compares_no_median_at_or_above_the_lower_top_code(tb):
    wc = tb["wage_change"]
    assert wc["comparison_cap_usd"].null_count() == 0
    assert wc.filter((pl.col("from_median_wage_usd") >= pl.col("comparison_cap_usd"))
                     | (pl.col("to_median_wage_usd") >= pl.col("comparison_cap_usd"))).is_empty()
    across = wc.filter(pl.col("to_year") == 2025)
    assert across.height > 0 and (across["to_median_wage_usd"] < 239_200).all()


def test_cpi_is_monthly_from_2015_with_only_the_month_bls_did_not_publish_missing(tb):
    cpi = tb["cpi_monthly"]
    months = set(cpi["month"])
    missing = [m for m in _months(D(2015, 1, 1), max(months)) if m not in months]
    assert min(months) == D(2015, 1, 1) and missing == [D(2025, 10, 1)]
    assert "October 2025" in (paths.ROOT / "data" / "NOTES.md").read_text()


def test_cpi_annual_averages_equal_bls_published_figures(tb):
    annual = tb["cpi_annual"]
    both = annual.filter(pl.col("cpi_u_annual_average").is_not_null() & pl.col("published_annual_average").is_not_null())
    assert both.height >= 1
    assert (both["cpi_u_annual_average"] == both["published_annual_average"]).all()
    # 2025 lacks October: no computed average, though BLS published one from eleven months.
    row = annual.filter(pl.col("year") == 2025).row(0, named=True)
    assert row["months"] == 11 and row["cpi_u_annual_average"] is None and row["published_annual_average"] is not None
    assert annual.filter(pl.col("months") == 12)["cpi_u_annual_average"].null_count() == 0


def test_rates_are_monthly_from_2015_without_gaps(tb):
    months = sorted(tb["rates"].filter(pl.col("series_id") == "FEDFUNDS")["month"])
    assert months == _months(D(2015, 1, 1), months[-1]) and months[-1] >= D(2026, 1, 1)


@pytest.mark.parametrize("series,country", [
    ("ai_share_of_postings", "US"), ("ai_share_of_postings", "GB"), ("software_development_postings_index", "US"),
    ("total_postings_index", "US"),
])
def test_indeed_series_are_daily_without_gaps_in_every_vintage(tb, series, country):
    rows = tb["postings_daily"].filter((pl.col("series") == series) & (pl.col("country_code") == country))
    assert rows.height
    for (source, adjustment), part in rows.group_by("source_id", "seasonal_adjustment"):
        days = part["date"].sort()
        assert days.to_list() == pl.date_range(days[0], days[-1], "1d", eager=True).to_list(), (source, adjustment)
        assert part["vintage"].n_unique() == 1


def test_indeed_vintages_are_kept_apart(tb):
    total = tb["postings_daily"].filter((pl.col("series") == "total_postings_index") & (pl.col("seasonal_adjustment") == "sa"))
    vintages = total.group_by("vintage").agg(pl.col("date").max()).sort("vintage")
    assert vintages["vintage"].to_list() == [D(2024, 11, 5), D(2026, 8, 19)]  # before and after the November 2024 revision


def test_layoffs_fyi_monthly_is_one_row_a_month_from_2022_without_gaps(tb):
    monthly = tb["layoffs_fyi_monthly"]
    months = monthly["month"].to_list()
    assert months == _months(D(2022, 1, 1), max(months)) and monthly["month"].is_unique().all()
    # The month each export was taken in is only partly listed: never in the series.
    assert (monthly["month"].dt.offset_by("1mo") <= monthly["vintage"]).all()
    for source, part in tb["layoffs_fyi_monthly_by_export"].group_by("source_id"):
        months = sorted(part["month"])
        assert months == _months(months[0], months[-1]), source


def test_a_plain_sum_of_layoffs_fyi_monthly_counts_each_export_month_once(tb):
    monthly, by_export = tb["layoffs_fyi_monthly"], tb["layoffs_fyi_monthly_by_export"]
    newest = by_export.filter(pl.col("vintage") == by_export["vintage"].max())
    newest_whole = newest.filter(pl.col("month").dt.offset_by("1mo") <= pl.col("vintage"))
    # Over the months the newest export covers whole, the series sums to that export's own total ...
    covered = monthly.filter(pl.col("month") >= newest_whole["month"].min())
    assert covered["source_id"].unique().to_list() == newest["source_id"].unique().to_list()
    assert covered["employees"].sum() == newest_whole["employees"].sum()
    assert covered["companies"].sum() == newest_whole["companies"].sum()
    # ... the whole series is the flagged rows of every export, and summing every export's rows would
    # count the overlapping months twice.
    flagged = by_export.filter("in_monthly_series").sort("month")
    assert flagged.select("month", "employees", "source_id").equals(monthly.select("month", "employees", "source_id"))
    assert by_export["employees"].sum() > monthly["employees"].sum()


def test_rebuilt_year_totals_match_layoffs_fyi_published_totals_within_one_percent(tb):
    published = tb["layoff_tracker_totals"].filter(
        (pl.col("tracker") == "layoffs.fyi") & (pl.col("qualifier") == "none") & pl.col("as_of").is_not_null()
        & (pl.col("period_end") == pl.date(pl.col("year"), 12, 31))
    )
    assert published.height >= 5
    for row in published.iter_rows(named=True):
        claim = {"period_start": D(row["year"], 1, 1), "period_end": D(row["year"], 12, 31), "as_of": row["as_of"]}
        rebuilt = reconstructed_sum(claim, tb["layoffs_fyi_as_of"], "employees").value
        assert abs(rebuilt / row["employees"] - 1) <= 0.01, (row["year"], row["as_of"], row["employees"], rebuilt)


def test_fewer_than_fifteen_claims_are_not_checkable_each_with_its_reason(tb):
    checks = tb["claim_checks"]
    unchecked = checks.filter(pl.col("verdict") == "not_checkable")
    assert unchecked.height < 15
    assert unchecked["reason"].str.contains("data: ").all()
