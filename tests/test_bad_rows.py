"""Each class of bad curated row is rejected with its own message, and nothing is written."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from talentgap.build import build, verify
from talentgap.cli import main
from talentgap.failures import Failure, ValidationError

from .conftest import append_copy, set_cell

TODAY = dt.date(2026, 11, 22)

CASES = [
    # (file, row, column, bad value, expected rule)
    ("layoff_events.csv", 1, "headcount", "twelve", "type: must be a whole number"),
    ("layoff_events.csv", 1, "headcount", "16000.0", "type: must be a whole number"),
    ("layoff_events.csv", 1, "headcount", "-5", "minimum: must be >= 1"),
    ("layoff_events.csv", 1, "share_of_workforce", "1.5", "maximum: must be <= 1"),
    ("layoff_events.csv", 1, "announced_on", "2021-12-31", "min_date: must be on or after 2022-01-01"),
    ("layoff_events.csv", 1, "announced_on", "2027-01-05", "max_date: must be on or before 2026-11-22"),
    ("layoff_events.csv", 1, "announced_on", "20/01/2023", "type: must be a date YYYY-MM-DD"),
    ("layoff_events.csv", 1, "industry", "Widgets", "enum: must be one of: Aerospace, AI, Consumer, Crypto, Data, Education, Energy, Finance, ..."),
    ("layoff_events.csv", 1, "ai_attribution", "maybe", "enum: must be one of: ai_named_as_reason, ai_investment_shift, none_stated"),
    ("layoff_events.csv", 2, "company", "=HYPERLINK(\"x\")", "no_formula: must not start with =, +, - or @ (spreadsheet formula)"),
    ("layoff_events.csv", 2, "units", "+Sales", "no_formula: must not start with =, +, - or @ (spreadsheet formula)"),
    ("layoff_events.csv", 2, "notes", "-1 in source", "no_formula: must not start with =, +, - or @ (spreadsheet formula)"),
    ("sources.csv", 2, "title", "@SUM(A1)", "no_formula: must not start with =, +, - or @ (spreadsheet formula)"),
    ("layoff_events.csv", 3, "source_id", "no-such-source", "foreign_key: must name a row of sources.source_id"),
    ("layoff_tracker_totals.csv", 1, "employees", "-1", "minimum: must be >= 0"),
    ("confidence.csv", 1, "confident_share", "47.2", "maximum: must be <= 1"),
    ("sources.csv", 1, "kind", "blog", "enum: must be one of: tracker, government_statistics, survey, news, company_statement, seed_document, publisher_file"),
    ("sources.csv", 2, "url", "example.org/news", "pattern: must match ^https?://\\S+$"),
    ("occupations.csv", 1, "soc_code", "151252", "pattern: must match ^\\d{2}-\\d{4}$"),
    ("occupations.csv", 1, "annual_median_wage_usd", "-1", "minimum: must be >= 0"),
    ("occupations.csv", 2, "employment", "1.6 million", "type: must be a whole number"),
    ("cpi.csv", 1, "cpi_u_annual_average", "n/a", "type: must be a number"),
    ("salaries.csv", 1, "statistic", "average", "enum: must be one of: mean, median, premium, change"),
    ("salaries.csv", 2, "amount_unit", "percent", "enum: must be one of: usd_per_year, share"),
    ("ai_demand.csv", 1, "value_unit", "percentage", "enum: must be one of: share, percent, index_2020_02_01_eq_100, count"),
    ("confidence.csv", 2, "month", "2023-13-01", "type: must be a date YYYY-MM-DD"),
    ("claims.csv", 1, "qualifier", "roughly", "enum: must be one of: none, over, more_than, exceeding, at_least, nearly, approximately, around, ..."),
    ("seed_documents.csv", 1, "sha256", "abc", "pattern: must match ^[0-9a-f]{64}$"),
]

ROW_RULE_CASES = [
    # (file, row, column, value, expected rule): a cell that is valid alone but breaks a rule across columns
    ("salaries.csv", 1, "amount_unit", "share", "amount_unit_matches_statistic: mean/median need usd_per_year; premium/change need share"),
    ("ai_demand.csv", 2, "value", "1.6", "share_in_unit_range: a value in unit share must be within 0-1"),
    ("confidence.csv", 1, "month", "2023-12-15", "month_is_first_day: month must be the first day of a month"),
    ("occupations.csv", 1, "reference_period", "May 2021", "reference_period_matches_year: reference_period must be 'May <year>'"),
    ("layoff_tracker_totals.csv", 1, "period_end", "2024-01-01", "period_end_in_year: period_end must fall in year"),
    ("claims.csv", 1, "char_end", "10", "offsets_ordered: char_start must be before char_end"),
]


@pytest.mark.parametrize("file,row,column,value,rule", ROW_RULE_CASES)
def test_cross_column_rules(curated, file, row, column, value, rule):
    set_cell(curated / file, row, column, value)
    with pytest.raises(ValidationError) as err:
        build(curated, curated.parent / "release", today=TODAY)
    assert [(f.file, f.row, f.rule) for f in err.value.failures] == [(file, row, rule)]


@pytest.mark.parametrize("file,row,column,value,rule", CASES)
def test_bad_cell_is_reported_with_file_row_column_rule_value(curated, file, row, column, value, rule):
    set_cell(curated / file, row, column, value)
    with pytest.raises(ValidationError) as err:
        build(curated, curated.parent / "release", today=TODAY)
    assert Failure(file, row, column, rule, value) in err.value.failures
    assert not (curated.parent / "release").exists()


def test_missing_headcount_and_share_is_a_row_failure(curated):
    set_cell(curated / "layoff_events.csv", 3, "headcount", "")
    with pytest.raises(ValidationError) as err:
        build(curated, curated.parent / "release", today=TODAY)
    [failure] = err.value.failures
    assert (failure.file, failure.row, failure.rule) == (
        "layoff_events.csv", 3, "headcount_or_share: headcount or share_of_workforce must be given",
    )


def test_duplicate_key_reports_both_rows(curated):
    append_copy(curated / "layoff_events.csv", 1, headcount="11000")
    with pytest.raises(ValidationError) as err:
        build(curated, curated.parent / "release", today=TODAY)
    dupes = [f for f in err.value.failures if f.rule.startswith("primary_key")]
    assert {f.row for f in dupes} == {1, 4}
    assert dupes[0].rule == "primary_key: duplicate (company, announced_on)"
    assert dupes[0].column == "company, announced_on"


def test_source_url_must_match_its_source(curated):
    set_cell(curated / "layoff_events.csv", 2, "source_url", "https://example.org/other")
    with pytest.raises(ValidationError) as err:
        build(curated, curated.parent / "release", today=TODAY)
    assert err.value.failures == [
        Failure("layoff_events.csv", 2, "source_url", "source_url: must equal the url of its source_id", "https://example.org/other")
    ]


def test_all_failures_are_collected_not_just_the_first(curated):
    set_cell(curated / "layoff_events.csv", 1, "headcount", "-5")
    set_cell(curated / "layoff_events.csv", 2, "share_of_workforce", "2")
    set_cell(curated / "salaries.csv", 1, "amount", "lots")
    with pytest.raises(ValidationError) as err:
        build(curated, curated.parent / "release", today=TODAY)
    assert {(f.file, f.row, f.column) for f in err.value.failures} == {
        ("layoff_events.csv", 1, "headcount"),
        ("layoff_events.csv", 2, "share_of_workforce"),
        ("salaries.csv", 1, "amount"),
    }


def test_events_above_tracker_total_fail(curated):
    set_cell(curated / "layoff_events.csv", 1, "headcount", "300000")
    with pytest.raises(ValidationError) as err:
        build(curated, curated.parent / "release", today=TODAY)
    [failure] = err.value.failures
    assert failure.rule.startswith("events_below_tracker: 2023 events sum to more than layoffs.fyi's 262000")
    assert failure.value == "300000"


def test_missing_and_unknown_columns(curated):
    path = curated / "cpi.csv"
    path.write_text(path.read_text().replace("cpi_u_annual_average", "cpi"))
    with pytest.raises(ValidationError) as err:
        build(curated, curated.parent / "release", today=TODAY)
    assert Failure("cpi.csv", None, "cpi_u_annual_average", "header: column missing", "") in err.value.failures
    assert Failure("cpi.csv", None, "cpi", "header: unknown column", "") in err.value.failures


def test_cli_bad_input_exits_non_zero_prints_table_and_keeps_previous_release(curated, capsys):
    release = curated.parent / "release"
    assert main(["build", "--curated", str(curated), "--release", str(release)]) == 0
    before = {p.name: p.read_bytes() for p in release.iterdir()}
    set_cell(curated / "layoff_events.csv", 1, "headcount", "-5")
    set_cell(curated / "layoff_events.csv", 2, "company", "=cmd")
    capsys.readouterr()
    assert main(["build", "--curated", str(curated), "--release", str(release)]) == 1
    err = capsys.readouterr().err
    assert "2 validation failure(s); nothing was written" in err
    assert "file" in err and "row" in err and "column" in err and "rule" in err and "value" in err
    assert "layoff_events.csv  1    headcount  minimum: must be >= 1" in err
    assert {p.name: p.read_bytes() for p in release.iterdir()} == before
    assert verify(release) == []


def test_fixture_is_valid(curated, tmp_path):
    build(curated, tmp_path / "release", today=TODAY)
    shutil.rmtree(tmp_path / "release")


def test_a_second_row_for_a_month_of_the_layoffs_fyi_series_is_refused(curated):
    # Two exports stacked for one month (the 0.2.0 trap): the one series is keyed on the month alone.
    # Another listed source stands in for a second export: under the old key (month, source_id) this passed.
    append_copy(curated / "refreshed" / "layoffs_fyi_monthly.csv", 1, employees="1", source_id="indeed-ai-posting-2026-07-21")
    with pytest.raises(ValidationError) as err:
        build(curated, curated.parent / "release", today=TODAY)
    dupes = [f for f in err.value.failures if f.rule.startswith("primary_key")]
    assert dupes and dupes[0].rule == "primary_key: duplicate (month)"
    assert dupes[0].file == "refreshed/layoffs_fyi_monthly.csv"
