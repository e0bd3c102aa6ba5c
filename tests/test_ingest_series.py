"""`talentgap ingest cpi|rates|indeed` on small files in each publisher's exact layout."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from talentgap.cli import main
from talentgap.ingest import common, indeed, monthly

D = dt.date


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def ingest(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["ingest", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


# Datahub's cpi-us layout; 2015-02 is missing, a footnote-like blank tail, one bad and one mid-month row.
CPI_DATAHUB = """\
Date,Index,Inflation
2014-12-01,234.812,-0.56
2015-01-01,233.707,-0.47
2015-03-01,236.119,0.6
2015-04-01,abc,
2015-05-15,237.805,0.51
2015-06-01,238.638,0.35
,,
"""


def test_cpi_datahub_layout_keeps_months_from_2015_and_names_the_gap(tmp_path):
    result = monthly.ingest_cpi(write(tmp_path / "cpiai.csv", CPI_DATAHUB), "bls-cpi")
    assert result.accepted.select("month", "cpi_u_index").rows() == [(D(2015, 1, 1), 233.707), (D(2015, 3, 1), 236.119), (D(2015, 6, 1), 238.638)]
    assert set(result.accepted["series_id"]) == {"CUUR0000SA0"} and set(result.accepted["source_id"]) == {"bls-cpi"}
    assert dict(zip(result.quarantine["source_row"], result.quarantine["reasons"])) == {
        4: "cpi_u_index: type: must be a number",
        5: "month_is_first_day: month must be the first day of a month",
    }
    assert result.skipped == {"blank rows": 1, "before 2015-01 (out of scope)": 1}
    # The gaps among the months kept are reported, never filled (a quarantined month is a gap too).
    assert result.notes[-2:] == ["CPI-U: 2015-01 to 2015-06 kept", "months absent from the file, left absent: 2015-02, 2015-04, 2015-05"]


# BLS's own flat file: tab-separated, padded, several series, M13 annual averages, footnote codes.
CPI_BLS = (
    "series_id        \tyear\tperiod\t       value\tfootnote_codes\n"
    "CUSR0000SA0      \t2024\tM01\t     309.794\t\n"
    "CUUR0000SA0      \t2024\tM01\t     308.417\t\n"
    "CUUR0000SA0      \t2024\tM02\t     310.326\t\n"
    "CUUR0000SA0      \t2024\tM13\t     313.689\t\n"
    "CUUR0000SA0      \t2024\tS01\t     311.000\t\n"
    "CUUR0000SA0      \t2025\tM09\t     324.800\t\n"
    "CUUR0000SA0      \t2025\tM11\t     324.122\tP\n"
)


def test_cpi_bls_layout_keeps_the_series_months_only(tmp_path):
    result = monthly.ingest_cpi(write(tmp_path / "cu.data.1.AllItems", CPI_BLS), "bls-cpi")
    assert result.accepted.select("month", "cpi_u_index").rows() == [
        (D(2024, 1, 1), 308.417), (D(2024, 2, 1), 310.326), (D(2025, 9, 1), 324.8), (D(2025, 11, 1), 324.122),
    ]
    assert result.skipped["series other than CUUR0000SA0"] == 1
    assert result.skipped["annual-average or half-year periods (M13, S01-S03)"] == 2
    assert "months absent from the file, left absent: 2024-03, 2024-04, 2024-05, 2024-06, 2024-07, 2024-08, 2024-09, 2024-10, 2024-11, 2024-12, 2025-01, 2025-02, 2025-03, 2025-04, 2025-05, 2025-06, 2025-07, 2025-08, 2025-10" in result.notes


def test_fred_rate_layouts_and_missing_values(tmp_path, capsys):
    native = write(tmp_path / "FEDFUNDS.csv", "observation_date,FEDFUNDS\r\n2014-12-01,0.12\r\n2015-01-01,0.11\r\n2015-02-01,.\r\n2015-03-01,0.11\r\n")
    result = monthly.ingest_rate(native, "fred")
    assert result.accepted.select("series_id", "month", "rate_percent").rows() == [("FEDFUNDS", D(2015, 1, 1), 0.11), ("FEDFUNDS", D(2015, 3, 1), 0.11)]
    assert result.skipped == {"blank rows": 0, "no value ('.')": 1, "before 2015-01 (out of scope)": 1}
    older = write(tmp_path / "old.csv", "DATE,FEDFUNDS\n2015-01-01,0.11\n")
    assert monthly.ingest_rate(older, "fred").accepted.height == 1
    other = write(tmp_path / "GS10.csv", "observation_date,GS10\n2015-01-01,1.88\n")
    code, out, err = ingest(capsys, "rates", str(other), "--out", str(tmp_path / "out"))
    assert code == 2 and out == "" and "series 'GS10' is not a rate series this table takes (FEDFUNDS)" in err
    assert not (tmp_path / "out").exists()


AI_SHARE = """\
date,jobcountry,AI_share_postings
2019-01-01,US,1.5
2019-01-01,GB,2.25
2019-01-02,US,1.51
2019-01-02,GB,x
"""
AGGREGATE = """\
date,jobcountry,indeed_job_postings_index_SA,indeed_job_postings_index_NSA,variable
2020-02-01,US,100,100,total postings
2020-02-02,US,99.98,100.06,total postings
2020-02-01,US,100,100,new postings
2020-02-02,US,,101.2,new postings
"""
SECTOR = """\
date,jobcountry,indeed_job_postings_index,variable,display_name
2020-02-01,US,100,total postings,Accounting
2020-02-01,US,100,total postings,Software Development
2020-02-02,US,99.75,total postings,Software Development
"""


def test_indeed_share_file_by_country_in_percent(tmp_path):
    result = indeed.ingest(write(tmp_path / "AI_posting.csv", AI_SHARE), "indeed-ai", D(2026, 7, 21))
    rows = result.accepted.select("series", "country_code", "date", "value", "value_unit", "seasonal_adjustment", "vintage").rows()
    assert rows == [
        ("ai_share_of_postings", "US", D(2019, 1, 1), 1.5, "percent", "none", D(2026, 7, 21)),
        ("ai_share_of_postings", "GB", D(2019, 1, 1), 2.25, "percent", "none", D(2026, 7, 21)),
        ("ai_share_of_postings", "US", D(2019, 1, 2), 1.51, "percent", "none", D(2026, 7, 21)),
    ]
    assert result.quarantine["reasons"].to_list() == ["value: type: must be a number"]


def test_indeed_aggregate_file_gives_sa_and_nsa_values(tmp_path):
    result = indeed.ingest(write(tmp_path / "aggregate_job_postings_US.csv", AGGREGATE), "indeed-agg", D(2026, 8, 19))
    got = sorted(result.accepted.select("series", "seasonal_adjustment", "date", "value").rows())
    assert got == [
        ("new_postings_index", "nsa", D(2020, 2, 1), 100.0), ("new_postings_index", "nsa", D(2020, 2, 2), 101.2),
        ("new_postings_index", "sa", D(2020, 2, 1), 100.0),
        ("total_postings_index", "nsa", D(2020, 2, 1), 100.0), ("total_postings_index", "nsa", D(2020, 2, 2), 100.06),
        ("total_postings_index", "sa", D(2020, 2, 1), 100.0), ("total_postings_index", "sa", D(2020, 2, 2), 99.98),
    ]
    # NOTE: the row with no SA value still gives its NSA value; the row is reported once.
    assert result.quarantine.select("source_row", "reasons").rows() == [(4, "value: required: must not be empty")]


def test_indeed_sector_and_fred_copies_give_the_software_development_index(tmp_path):
    sector = indeed.ingest(write(tmp_path / "job_postings_by_sector_US.csv", SECTOR), "indeed-sector", D(2024, 10, 3))
    assert sector.accepted.select("series", "date", "value", "seasonal_adjustment").rows() == [
        ("software_development_postings_index", D(2020, 2, 1), 100.0, "sa"),
        ("software_development_postings_index", D(2020, 2, 2), 99.75, "sa"),
    ]
    assert sector.skipped["sectors other than Software Development"] == 1
    fred = indeed.ingest(write(tmp_path / "IHLIDXUSTPSOFTDEVE.csv", "observation_date,IHLIDXUSTPSOFTDEVE\n2020-02-02,99.84\n"), "fred-sd", D(2026, 4, 9))
    assert fred.accepted.select("series", "country_code", "date", "value").rows() == [("software_development_postings_index", "US", D(2020, 2, 2), 99.84)]


def test_indeed_unknown_layout_is_refused_with_its_header(tmp_path, capsys):
    path = write(tmp_path / "postings.csv", "day,country,value\n2020-02-01,US,1\n")
    with pytest.raises(common.IngestError, match="not a layout of Indeed's files"):
        indeed.ingest(path, "x", D(2026, 1, 1))
    code, out, err = ingest(capsys, "indeed", str(path), "--vintage", "2026-01-01", "--out", str(tmp_path / "out"))
    assert code == 2 and "nothing was written" in err and not (tmp_path / "out").exists()


def test_ingest_cli_names_the_source_after_the_file_and_reruns_identically(tmp_path, capsys):
    path = write(tmp_path / "cpiai.csv", CPI_DATAHUB)
    for out in ("a", "b"):
        code, stdout, _ = ingest(capsys, "cpi", str(path), "--out", str(tmp_path / out))
        assert code == 0 and "note: months absent from the file, left absent: 2015-02, 2015-04, 2015-05" in stdout
    table = pl.read_csv(tmp_path / "a" / "cpi_monthly.csv")
    assert set(table["source_id"]) == {"file-cpiai.csv"}
    for name in ("cpi_monthly.csv", "cpi_monthly.quarantine.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
