"""Values computed from publishers' files, checked against what the publishers themselves published.

The statements (with the URL of the stored page each was read on) are in
tests/fixtures/publisher_statements.csv; a doctored copy of a file fails them.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import talentgap
from talentgap.statements import SERIES_TABLES, statement_failures

STATEMENTS = pl.read_csv(Path(__file__).parent / "fixtures" / "publisher_statements.csv", infer_schema=False)
# NOTE: series for which fewer than three publisher statements could be found in the stored pages, and why.
# Also unchecked, for want of a statement matching the vintage we hold: FRED's post-revision software
# development copy and Indeed's post-revision aggregate file (see data/NOTES.md).
FEW_STATEMENTS = {
    "ai_share_of_postings": "Hiring Lab's posts in the stored pages state the US share twice (March 2022 peak, end of February 2024); later figures come from the press, of an older vintage",
}


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    return {name: talentgap.load(name) for name in set(SERIES_TABLES.values())}


def test_every_statement_is_reproduced_by_the_release(tables):
    assert statement_failures(tables, STATEMENTS) == []


def test_every_series_has_three_statements_or_a_stated_reason():
    counts = dict(STATEMENTS.group_by("series").len().iter_rows())
    for series in SERIES_TABLES:
        assert counts.get(series, 0) >= 3 or series in FEW_STATEMENTS, series


# NOTE: OEWS years for which the stored pages hold fewer than three BLS statements (searches listed in
# data/NOTES.md): each is also checked against a second copy of BLS's values, named as such, never as a bls.gov page.
FEW_BLS_STATEMENTS = {
    "bls-oews-national-m2025": "BLS's release of 15 May 2026 and its tables are not in the stored pages; one BLS regional page "
                               "states the national mean hourly wage; the rest is checked against copies of BLS's time-series "
                               "values (oe.data.0.Current, the BLS API) kept by a third party",
}


def test_every_oews_year_checked_by_a_bls_page_and_thin_years_by_a_second_copy_named_as_such(tables):
    oews = STATEMENTS.filter(pl.col("series") == "oews")
    assert set(oews["source_id"]) == {f"bls-oews-national-m{y}" for y in range(2021, 2026)}
    on_bls = oews.filter(pl.col("url").str.contains(r"^https?://[a-z0-9.]*bls\.gov/"))
    assert set(on_bls["source_id"]) == set(oews["source_id"])
    for source_id in FEW_BLS_STATEMENTS:
        second = oews.filter((pl.col("source_id") == source_id) & ~pl.col("url").is_in(on_bls["url"].to_list()))
        assert second.height >= 3 and second["note"].str.starts_with("second copy, not a BLS page").all()
        assert not on_bls.filter(pl.col("source_id") == source_id)["note"].str.starts_with("second copy").any()


@pytest.mark.parametrize("series", sorted(SERIES_TABLES))
def test_a_doctored_value_is_caught(tables, series):
    # NOTE: the statement with the largest figure, so that a 2% change shows at the publisher's rounding.
    statement = STATEMENTS.filter(pl.col("series") == series).sort(pl.col("stated").cast(pl.Float64).abs()).row(-1, named=True)
    name = SERIES_TABLES[series]
    column = statement["column"]
    doctored = dict(tables)
    doctored[name] = tables[name].with_columns(pl.col(column) * 1.02)  # a 2% change anywhere in the copy
    assert any(statement["url"] in f for f in statement_failures(doctored, STATEMENTS.filter(pl.col("series") == series)))


def test_page_quoted_bls_values_equal_the_workbooks(tables):
    """Where a curator read an OEWS value off a BLS page, the workbook gives the same number."""
    sources = talentgap.load("sources")
    occ = tables["occupations"]
    files = sources.filter(pl.col("kind") == "publisher_file").select("source_id")
    from_files = occ.join(files, on="source_id", how="semi")
    from_pages = occ.join(files, on="source_id", how="anti")
    joined = from_pages.join(from_files, on=["soc_code", "year"], suffix="_file")
    assert joined.height >= 15
    for column in ("employment", "annual_mean_wage_usd", "annual_median_wage_usd"):
        both = joined.filter(pl.col(column).is_not_null())
        assert (both[column] == both[f"{column}_file"]).all(), column


# --- issue #16: jobs held and unemployment --------------------------------------------------------
# NOTE: no stored BLS page states the 20-24 (LNS14000036) or bachelor's 20-24 (CGBD2024) rates of the months we
# hold (BLS's table A-9 gives the 20-24 level, not the rate; searches in data/NOTES.md): those are not in SERIES_TABLES.
# The New York Fed's SCE releases for January, March and April 2015 are (sce_labour_expectations); the workbook of
# 2025 no longer reproduces one figure of March 2015 (see the test below and data/NOTES.md).
CHANGES = pl.read_csv(Path(__file__).parent / "fixtures" / "publisher_statements_changes.csv", infer_schema=False)


@pytest.fixture(scope="module")
def change_tables() -> dict[str, pl.DataFrame]:
    from talentgap.statements import CHANGE_SERIES_TABLES

    return {name: talentgap.load(name) for name in set(CHANGE_SERIES_TABLES.values())}


def test_bls_payroll_changes_are_reproduced_by_the_release(change_tables):
    from talentgap.statements import change_failures

    assert CHANGES.height >= 12
    assert change_failures(change_tables, CHANGES) == []


@pytest.mark.parametrize("series", ["ces_information", "ces_total_nonfarm"])
def test_a_doctored_payroll_month_is_caught(change_tables, series):
    from talentgap.statements import change_failures

    statements = CHANGES.filter(pl.col("series") == series)
    assert statements.height >= 3
    month = statements.row(0, named=True)["filter"].rsplit("month=", 1)[1]
    ces = change_tables["ces_employment"]
    # one month's level moved by 1,000 jobs: the change into it and out of it no longer match BLS's
    doctored = {"ces_employment": ces.with_columns(
        pl.when(pl.col("month") == pl.lit(month).str.to_date()).then(pl.col("employment_thousands") + 1).otherwise(pl.col("employment_thousands")).alias("employment_thousands"))}
    assert change_failures(doctored, statements)


def test_unemployment_statements_cover_both_copies_of_unrate():
    checked = set(STATEMENTS.filter(pl.col("series") == "unemployment_rate")["source_id"])
    assert checked == {"bls-cps-unrate-2026-08-09", "bls-cps-youth-2026-02-15"}


def test_sce_statements_come_from_new_york_fed_pages_and_cover_each_measure():
    sce = STATEMENTS.filter(pl.col("series") == "sce_labour_expectations")
    assert sce["url"].str.contains(r"^https://(www|resources)\.newyorkfed\.org/").all()
    measures = sce["filter"].str.extract(r"series=(\w+)")
    assert set(measures) == {"job_loss_probability_mean", "job_finding_probability_mean", "earnings_growth_median_expected"}


def test_the_revised_sce_month_is_a_known_gap_not_a_silent_pass(tables):
    # NOTE: the March 2015 release stated a 15.0% mean job-loss probability; the 2025 workbook holds 14.95, which
    # rounds to 14.9. Kept out of the fixture and asserted here, so a later workbook that restores 15.0 is noticed.
    stated = pl.DataFrame([{"series": "sce_labour_expectations", "source_id": "frbny-sce-2025-04",
                            "filter": "series=job_loss_probability_mean; month=2015-03-01", "column": "expectation_percent",
                            "stated": "15.0", "decimals": "1", "compare_date": None,
                            "url": "https://www.newyorkfed.org/newsevents/news/research/2015/an150413"}])
    assert len(statement_failures(tables, stated)) == 1
