"""Jobs held (CES), unemployment (CPS), job-security expectations (SCE) and Indeed's state postings:
the ingest kinds on the publishers' files (where the shared copies are at hand) and on small hostile inputs."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import polars as pl
import pytest

import talentgap
from talentgap import paths
from talentgap.cli import main
from talentgap.ingest import indeed_state, labour
from talentgap.ingest.common import IngestError

D = dt.date
SHARED = paths.ROOT.parent / "shared" / "upstream"


def shared(name: str) -> Path:
    for folder in ("candidates", "files"):
        path = SHARED / folder / name
        if path.is_file():
            return path
    pytest.skip(f"{name} is not on this machine (../shared/upstream)")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A minimal workbook: each sheet's rows of text (inline strings) or numbers."""
    def cell(ref: str, v: object) -> str:
        if v is None:
            return ""
        if isinstance(v, (int, float)):
            return f'<c r="{ref}"><v>{v}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{xml_escape(str(v))}</t></is></c>'

    def sheet_xml(rows: list[list[object]]) -> str:
        body = "".join(
            f'<row r="{i}">' + "".join(cell(f"{chr(65 + j)}{i}", v) for j, v in enumerate(row)) + "</row>"
            for i, row in enumerate(rows, start=1))
        return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f"<sheetData>{body}</sheetData></worksheet>")

    names = list(sheets)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, len(names) + 1)) + "</Types>"))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        z.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + "".join(f'<sheet name="{xml_escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, start=1))
            + "</sheets></workbook>"))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(names) + 1)) + "</Relationships>"))
        for i, n in enumerate(names, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", sheet_xml(sheets[n]))
    return path


def sce_sheets(job_loss_rows: list[list[object]]) -> dict[str, list[list[object]]]:
    head = [["Source: Survey of Consumer Expectations"], ["title"], [None]]
    return {
        "Job separation expectation": [*head, [None, "Mean probability of losing a job", "Mean probability of leaving a job voluntarily"], *job_loss_rows],
        "Job finding expectations": [*head, [None, "Mean probability of finding a job in the next three months if one loses a job today"], [201501, 55.5]],
        "Earnings growth": [*head, [None, "Median expected earnings growth"], [201501, 2.5]],
    }


# --- the publishers' files ---------------------------------------------------------------------------


def test_ces_files_give_jobs_held_from_2015_without_gaps():
    info = labour.ingest_series(shared("fred-USINFO.csv"), "ces_employment", "s", series="USINFO")
    total = labour.ingest_series(shared("fred-PAYEMS.csv"), "ces_employment", "s", series="PAYEMS")
    for result in (info, total):
        assert result.quarantine.is_empty()
        months = result.accepted["month"]
        assert months.min() == D(2015, 1, 1) and months.max() == D(2026, 7, 1) and months.n_unique() == 139
        assert result.accepted["seasonal_adjustment"].unique().to_list() == ["sa"]
    # The figure: Information employment peaked at 3,115 thousand in November 2022.
    peak = info.accepted.sort("employment_thousands", descending=True).row(0, named=True)
    assert (peak["month"], peak["employment_thousands"]) == (D(2022, 11, 1), 3115)


def test_the_youth_file_gives_three_rates_and_leaves_october_2025_absent():
    youth = labour.ingest_series(shared("fred-youth-unemployment_df_official.csv"), "cps_unemployment", "y")
    assert youth.ignored_columns == ["U6RATE", "CIVPART"]
    counts = dict(youth.accepted.group_by("series_id").len().iter_rows())
    assert counts == {"UNRATE": 72, "LNS14000036": 72, "CGBD2024": 72}
    assert D(2025, 10, 1) not in youth.accepted["month"].to_list()
    adjustment = dict(youth.accepted.select("series_id", "seasonal_adjustment").unique().iter_rows())
    assert adjustment == {"UNRATE": "sa", "LNS14000036": "sa", "CGBD2024": "nsa"}


def test_both_copies_of_unrate_agree_in_every_month_both_give():
    youth = labour.ingest_series(shared("fred-youth-unemployment_df_official.csv"), "cps_unemployment", "y").accepted
    unrate = labour.ingest_series(shared("fred-UNRATE.csv"), "cps_unemployment", "u", series="UNRATE").accepted
    both = youth.filter(pl.col("series_id") == "UNRATE").join(unrate, on=["series_id", "month"], suffix="_u")
    assert both.height == 72
    assert (both["unemployment_rate_percent"] == both["unemployment_rate_percent_u"]).all()


def test_sce_workbook_values_agree_with_the_reported_releases():
    """Not publisher statements (no stored New York Fed page gives them): the press reporting its releases."""
    sce = labour.ingest_sce(shared("frbny-sce-data-2025-04.xlsx"), "f")
    assert sce.quarantine.is_empty()
    assert dict(sce.accepted.group_by("series").len().iter_rows()) == {s: 124 for s in labour.SCE_SERIES}

    def at(series: str, month: dt.date) -> float:
        return round(sce.accepted.filter((pl.col("series") == series) & (pl.col("month") == month))["expectation_percent"].item(), 1)

    # staffingindustry.com, 11 March 2025 (February 2025 release): 14.1%, 51.2%, 3.0%.
    assert at("job_loss_probability_mean", D(2025, 2, 1)) == 14.1
    assert at("job_finding_probability_mean", D(2025, 2, 1)) == 51.2
    assert at("earnings_growth_median_expected", D(2025, 2, 1)) == 3.0
    # scoontv.com (March 2025 release): job loss 15.7%; staffingindustry.com, 9 September 2024 (August 2024): 13.3% and 52.3%.
    assert at("job_loss_probability_mean", D(2025, 3, 1)) == 15.7
    assert at("job_loss_probability_mean", D(2024, 8, 1)) == 13.3
    assert at("job_finding_probability_mean", D(2024, 8, 1)) == 52.3


def test_indeed_state_file_gives_every_state_and_dc_daily():
    result = indeed_state.ingest(shared("indeed-state-job-postings-us-2026-08-19.csv"), "i", D(2026, 8, 19))
    assert result.quarantine.is_empty() and result.accepted.height == 121_737
    assert sorted(result.accepted["state_code"].unique()) == sorted(indeed_state.STATES)
    assert result.accepted["date"].max() == D(2026, 8, 14)


def test_release_holds_the_new_tables_with_attribution():
    sources = talentgap.load("sources")
    sce = talentgap.load("sce_labour_expectations")
    assert set(sce["source_id"]) == {"frbny-sce-2025-04"}
    licence = sources.filter(pl.col("source_id") == "frbny-sce-2025-04")["license"].item()
    assert "Federal Reserve Bank of New York" in licence and "disclaims" in licence
    from talentgap.schemas.tables import TABLES

    assert "Federal Reserve Bank of New York" in TABLES["sce_labour_expectations"].description
    for name in ("ces_employment", "cps_unemployment", "sce_labour_expectations", "postings_state_daily"):
        assert "seasonally adjusted" in TABLES[name].description, name
    ces = talentgap.load("ces_employment")
    assert set(ces["series_id"]) == {"USINFO", "PAYEMS"}


# --- small hostile inputs ------------------------------------------------------------------------------


def test_a_date_value_copy_needs_its_series_named(tmp_path, capsys):
    path = write(tmp_path, "copy.csv", "date,value\n2020-01-01,2900\n")
    with pytest.raises(IngestError, match="names no series"):
        labour.ingest_series(path, "ces_employment", "s")
    assert main(["ingest", "ces", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "names no series" in capsys.readouterr().err and not (tmp_path / "out").exists()
    assert main(["ingest", "ces", str(path), "--series", "USINFO", "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "ces_employment.csv").read_text().splitlines()[1] == "USINFO,2020-01-01,2900.0,sa,file-copy.csv"


def test_a_series_the_table_does_not_take_is_refused(tmp_path):
    with pytest.raises(IngestError, match="not one ces_employment takes"):
        labour.ingest_series(write(tmp_path, "a.csv", "date,value\n2020-01-01,1\n"), "ces_employment", "s", series="FEDFUNDS")
    with pytest.raises(IngestError, match="no column of a series cps_unemployment takes"):
        labour.ingest_series(write(tmp_path, "b.csv", "Date,U6RATE\n2020-01-01,7.0\n"), "cps_unemployment", "s")
    with pytest.raises(IngestError, match="one date column"):
        labour.ingest_series(write(tmp_path, "c.csv", "when,UNRATE\n2020-01-01,3.5\n"), "cps_unemployment", "s")


def test_bad_cells_are_quarantined_and_missing_values_skipped(tmp_path):
    text = (
        "observation_date,UNRATE\n"
        "2020-01-01,3.5\n"
        "2020-02-01,.\n"  # FRED's no value: skipped
        "2020-03-01,abc\n"  # not a number
        "2020-13-01,4.0\n"  # not a date
        "2020-04-01,140\n"  # above 100 percent
        "2020-05-15,13.0\n"  # not a month's first day
        "2020-06-01,11.0\n"
        "2020-06-01,11.1\n"  # same key, another value: both quarantined
    )
    result = labour.ingest_series(write(tmp_path, "u.csv", text), "cps_unemployment", "s")
    assert result.accepted.select("month", "unemployment_rate_percent").rows() == [(D(2020, 1, 1), 3.5)]
    assert result.skipped["no value (empty or '.')"] == 1
    reasons = dict(result.quarantine.select("source_row", "reasons").iter_rows())
    assert set(reasons) == {3, 4, 5, 6, 7, 8}
    assert "must be a number" in reasons[3] and "must be a date" in reasons[4]
    assert "series_id, month, source_id" in reasons[7] and "series_id, month, source_id" in reasons[8]


def test_a_formula_in_a_file_never_reaches_the_quarantine_as_a_formula(tmp_path):
    path = write(tmp_path, "s.csv", "date,state,indeed_job_postings_index\n2021-01-01,ca,101.5\n2021-01-01,zz,99\n2021-01-02,=cmd(),98\n")
    result = indeed_state.ingest(path, "s", D(2026, 8, 19))
    assert result.accepted.select("state_code", "value").rows() == [("CA", 101.5)]
    rows = {r["source_row"]: r for r in result.quarantine.iter_rows(named=True)}
    assert "must be a U.S. state or DC" in rows[2]["reasons"]
    assert rows[3]["state"] == "'=cmd()"


def test_sce_workbook_layout_is_checked(tmp_path):
    good = labour.ingest_sce(xlsx(tmp_path / "ok.xlsx", sce_sheets([[201501, 14.2], [201502, 14.4], [201412, 15.0]])), "f")
    assert good.accepted.filter(pl.col("series") == "job_loss_probability_mean")["expectation_percent"].to_list() == [14.2, 14.4]
    assert good.skipped["before 2015-01 (out of scope)"] == 1
    bad = labour.ingest_sce(xlsx(tmp_path / "bad.xlsx", sce_sheets([[201501, 14.2], ["2015-2", 14.4], [201503, "n/a?"]])), "f")
    reasons = " ".join(bad.quarantine["reasons"])
    assert "sheet Job separation expectation" in reasons and "YYYYMM" in reasons and "must be a number" in reasons
    missing = sce_sheets([[201501, 14.2]])
    del missing["Earnings growth"]
    with pytest.raises(IngestError, match="Earnings growth"):
        labour.ingest_sce(xlsx(tmp_path / "missing.xlsx", missing), "f")
    renamed = sce_sheets([[201501, 14.2]])
    renamed["Job separation expectation"][3][1] = "Mean probability of keeping a job"
    with pytest.raises(IngestError, match="no column headed"):
        labour.ingest_sce(xlsx(tmp_path / "renamed.xlsx", renamed), "f")
    with pytest.raises(IngestError, match="not a readable workbook"):
        labour.ingest_sce(write(tmp_path, "fake.xlsx", "not a zip"), "f")


def test_the_series_of_a_fred_address():
    assert labour.series_from_address("https://fred.stlouisfed.org/series/USINFO") == "USINFO"
    assert labour.series_from_address("https://fred.stlouisfed.org/series/usinfo/") == "USINFO"
    assert labour.series_from_address("https://www.bls.gov/cps/") is None
    assert labour.series_from_address(None) is None


def _manifest(folder: Path, rows: list[dict]) -> None:
    import csv

    with open(folder / "manifest.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _entry(source_id: str, kind: str, name: str, path: Path, url: str, vintage: str = "") -> dict:
    import hashlib

    return {
        "source_id": source_id, "upstream_kind": kind, "upstream_file": name, "vintage": vintage, "title": f"test {name}",
        "publisher": "Test Publisher", "url": url, "date_published": "", "date_accessed": "2026-11-20", "license": "Public domain",
        "copy_repository": "owner/repo", "copy_commit": "0" * 40, "copy_path": name,
        "copy_sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "notes": "",
    }


def test_refresh_names_the_series_by_the_fred_address_and_refuses_a_file_it_cannot_name(tmp_path, capsys):
    upstream = tmp_path / "upstream"
    (upstream / "files").mkdir(parents=True)
    info = write(upstream / "files", "info.csv", "date,value\n2020-01-01,2900\n2020-02-01,2910\n")
    youth = write(upstream / "files", "youth.csv", "Date,UNRATE,CGBD2024\n2020-01-01,3.6,5.1\n2020-02-01,,\n")
    state = write(upstream / "files", "state.csv", "date,state,indeed_job_postings_index\n2020-02-01,ak,100\n")
    rows = [
        _entry("t-info", "ces", "info.csv", info, "https://fred.stlouisfed.org/series/USINFO"),
        _entry("t-youth", "cps", "youth.csv", youth, "https://www.bls.gov/cps/"),
        _entry("t-state", "indeed-state", "state.csv", state, "https://github.com/hiring-lab/job_postings_tracker", "2026-08-19"),
    ]
    _manifest(upstream, rows)
    curated = tmp_path / "curated"
    assert main(["refresh", "--upstream", str(upstream), "--curated", str(curated)]) == 0, capsys.readouterr().err
    out = curated / "refreshed"
    assert (out / "ces_employment.csv").read_text().splitlines()[1:] == ["USINFO,2020-01-01,2900.0,sa,t-info", "USINFO,2020-02-01,2910.0,sa,t-info"]
    assert (out / "cps_unemployment.csv").read_text().splitlines()[1:] == ["CGBD2024,2020-01-01,5.1,nsa,t-youth", "UNRATE,2020-01-01,3.6,sa,t-youth"]
    assert (out / "postings_state_daily.csv").read_text().splitlines()[1] == "AK,2020-02-01,100.0,index_2020_02_01_eq_100,sa,2026-08-19,t-state"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # The same file under an address naming no series: refused, nothing written.
    rows[0]["url"] = "https://www.bls.gov/ces/"
    _manifest(upstream, rows)
    capsys.readouterr()
    assert main(["refresh", "--upstream", str(upstream), "--curated", str(curated)]) != 0
    assert "names no series" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
