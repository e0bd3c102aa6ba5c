"""`talentgap ingest layoffs-fyi`: header variants, messy cells, quarantine, idempotence, atomic output, build --with."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from talentgap.build import build, verify
from talentgap.cli import main
from talentgap.ingest import layoffs_fyi, output

TODAY = dt.date(2026, 11, 22)
TABLE = "layoffs_fyi_events"

# The messiest mirror layout (Layoffs.fyi's own sheet headers); row numbers in comments count data rows.
MESSY = """\
Company,Location HQ,Industry,# Laid Off,%,Date,Source,$ Raised (mm),Stage,Date Added,Country,List of Employees Laid Off
Acme,SF Bay Area,Consumer,16000.0,10%,1/28/2026,https://example.org/a,"$1,200",Post-IPO,1/28/2026,United States,Unknown
Beta,"Ottawa, Non-U.S.",Healthcare,,12,2025-11-03,Internal memo,6.8,Series B,2025-11-04 09:30:00,Canada,
Gamma,New York City,crypto currency,200,,2025-06-01,https://example.org/g,,Unknown,2025-06-01,United States.,
Delta,Austin,Data,,,3/3/2025,https://example.org/d,,Seed,3/3/2025,United States,
Epsilon,London,Retail,50,0.5,2025-02-02,https://example.org/e,,Series A,2025-02-02,United Kingdom,
Zeta,Paris,Travel,30,5,2025-04-10,https://example.org/z,,Series C,2025-03-01,France,
Acme,SF Bay Area,Consumer,16000,10 %,2026-01-28,https://example.org/a,1200,Post-IPO,2026-01-28,United States,https://example.org/list
"=HYPERLINK(""http://x"")",Boston,Media,10,1,2025-05-05,https://example.org/h,,Seed,2025-05-05,United States,
Eta,Boston,Widgets,10,1,2025-05-05,https://example.org/w,,Seed,2025-05-05,United States,
Theta,Boston,Media,16000.5,,28/1/2026,https://example.org/t,,Seed,2026-01-28,United States,

Iota,Boston,Media,10,,2021-06-01,https://example.org/i,,Seed,2021-06-01,United States,
Kappa,Denver,Energy,100,,2025-07-07,https://example.org/k,,,2025-07-06,United States,
Lambda,Denver,Energy,100,,2025-07-08,https://example.org/l,,,2025-07-08,United States,
Lambda,Denver,Energy,120,,2025-07-08,https://example.org/l,,,2025-07-08,United States,
Mu,Denver,Energy,0,,2025-07-09,https://example.org/m,,,2025-07-09,United States,
"""

# The same two events in each header variant seen in public mirrors.
VARIANTS = {
    "kaggle": (
        "company,location,total_laid_off,date,percentage_laid_off,industry,source,stage,funds_raised,country,date_added\n"
        "Acme,SF Bay Area,16000.0,2026-01-28,0.1,Consumer,https://example.org/a,Post-IPO,1200.0,United States,2026-01-29\n"
        "Beta,\"Ottawa, Non-U.S.\",,2025-11-03,0.25,Healthcare,https://example.org/b,Series B,,Canada,2025-11-03\n"
    ),
    "underscored": (
        "Company,Location_HQ,Industry,Laid_Off_Count,Percentage,Date,Source,Funds_Raised,Stage,Date_Added,Country,List_of_Employees_Laid_Off\n"
        "Acme,SF Bay Area,Consumer,16000,10,1/28/2026,https://example.org/a,1200,Post-IPO,1/29/2026,United States,Unknown\n"
        "Beta,\"Ottawa, Non-U.S.\",Healthcare,,25,11/3/2025,https://example.org/b,,Series B,11/3/2025,Canada,\n"
    ),
    "sheet": (
        "Company,Location HQ,Industry,# Laid Off,%,Date,Source,$ Raised (mm),Stage,Date Added,Country,List of Employees Laid Off\n"
        "Acme,SF Bay Area,Consumer,\"16,000\",10%,2026-01-28,https://example.org/a,\"$1,200\",Post-IPO,2026-01-29,United States,Unknown\n"
        "Beta,\"Ottawa, Non-U.S.\",Healthcare,,25%,2025-11-03,https://example.org/b,,Series B,2025-11-03,Canada,\n"
    ),
}


def write(tmp_path: Path, text: str, name: str = "layoffs.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def ingest(path: Path, out: Path, capsys) -> tuple[int, str, str]:
    code = main(["ingest", "layoffs-fyi", str(path), "--out", str(out)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def messy(tmp_path, capsys):
    out = tmp_path / "ingested"
    code, stdout, _ = ingest(write(tmp_path, MESSY), out, capsys)
    assert code == 0
    return out, stdout


def test_messy_export_is_normalised_where_unambiguous(messy):
    out, _ = messy
    table = {r["company"]: r for r in rows(out / f"{TABLE}.csv")}
    assert sorted(table) == ["Acme", "Beta", "Delta", "Eta", "Gamma", "Kappa", "Lambda", "Zeta"]
    acme, beta, gamma, delta = table["Acme"], table["Beta"], table["Gamma"], table["Delta"]
    assert (acme["headcount"], acme["share_of_workforce"], acme["announced_on"]) == ("16000", "0.1", "2026-01-28")
    assert acme["funds_raised_usd"] == "1200000000.0"  # "$1,200" millions
    assert (beta["hq_location"], beta["country"], beta["headcount"], beta["share_of_workforce"]) == ("Ottawa", "Canada", "", "0.12")
    assert beta["date_added"] == "2025-11-04" and beta["funds_raised_usd"] == "6800000.0"
    assert beta["source_as_given"] == "Internal memo"  # not a URL: kept as given
    assert (gamma["industry"], gamma["industry_as_given"], gamma["country"]) == ("Crypto", "crypto currency", "United States")
    assert delta["headcount"] == delta["share_of_workforce"] == ""  # size unknown: kept
    assert table["Kappa"]["date_added"] == "2025-07-06" and table["Kappa"]["row_flags"] == ""  # one day early: within the slack


def test_odd_but_plausible_rows_are_kept_with_a_flag(messy):
    out, _ = messy
    table = rows(out / f"{TABLE}.csv")
    by_row = {int(r["source_row"]): r for r in table}
    # An industry we do not list: kept as Other, the upstream value beside it, flagged.
    assert (by_row[9]["industry"], by_row[9]["industry_as_given"], by_row[9]["row_flags"]) == ("Other", "Widgets", "industry_unmapped")
    # date_added more than a day before the layoff date: kept, flagged.
    assert by_row[6]["row_flags"] == "date_added_before_announced_on"
    # Two entries for one company on one date with different counts: both kept (keyed on the source row).
    assert [(r["company"], r["headcount"]) for n, r in sorted(by_row.items()) if n in (14, 15)] == [("Lambda", "100"), ("Lambda", "120")]


def test_quarantine_lists_each_bad_row_with_its_number_and_reasons(messy):
    out, _ = messy
    quarantine = {int(r["source_row"]): r for r in rows(out / f"{TABLE}.quarantine.csv")}
    assert sorted(quarantine) == [5, 8, 10, 16]  # 11 is blank; 7 and 12 are set aside, not errors
    reasons = {n: r["reasons"] for n, r in quarantine.items()}
    assert reasons[5] == "share_of_workforce: ambiguous: a value between 0 and 1 in a file of percents (share or percent?)"
    assert reasons[8] == "company: no_formula: must not start with =, +, - or @ (spreadsheet formula)"
    assert reasons[10] == (
        "announced_on: type: must be a date (YYYY-MM-DD, M/D/YYYY or MM-DD-YYYY) | headcount: type: must be a whole number"
    )
    assert reasons[16] == "headcount: minimum: must be >= 1"
    # Source values as read, under the file's own headers; a formula is defused with a leading quote.
    assert quarantine[10]["# Laid Off"] == "16000.5" and quarantine[10]["Date"] == "28/1/2026"
    assert quarantine[8]["Company"] == "'=HYPERLINK(\"http://x\")"


def test_out_of_scope_rows_and_exact_duplicates_are_set_aside_apart_from_the_quarantine(messy):
    out, _ = messy
    aside = {int(r["source_row"]): r for r in rows(out / f"{TABLE}.set_aside.csv")}
    assert {n: r["why"] for n, r in aside.items()} == {
        7: "exact duplicate of an earlier row: same values as row 1",
        12: "out of scope: announced outside 2022-2026",
    }
    assert aside[7]["List of Employees Laid Off"] == "https://example.org/list"


def test_summary_counts_rows_and_totals_per_year(messy):
    _, stdout = messy
    lines = [line.split() for line in stdout.splitlines()]
    assert ["rows", "read", "16"] in lines and ["accepted", "9"] in lines
    assert ["quarantined", "4"] == lines[3][:2] and ["skipped", "1", "(blank", "rows)"] in lines
    assert ["skipped", "1", "(out", "of", "scope:", "announced", "outside", "2022-2026)"] in lines
    assert ["skipped", "1", "(exact", "duplicates", "of", "earlier", "rows)"] in lines
    assert "columns not used: List of Employees Laid Off" in stdout
    assert "bare percentage values read as percents" in stdout
    assert ["year", "events", "headcount", "size_unknown"] in lines
    assert ["2025", "8", "560", "1"] in lines and ["2026", "1", "16,000", "0"] in lines


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_header_variant_gives_the_same_table(tmp_path, capsys, variant):
    reference = tmp_path / "reference"
    assert ingest(write(tmp_path, VARIANTS["sheet"], "sheet.csv"), reference, capsys)[0] == 0
    out = tmp_path / variant
    assert ingest(write(tmp_path, VARIANTS[variant], f"{variant}.csv"), out, capsys)[0] == 0
    assert (out / f"{TABLE}.csv").read_bytes() == (reference / f"{TABLE}.csv").read_bytes()
    table = rows(out / f"{TABLE}.csv")
    assert [(r["company"], r["share_of_workforce"], r["hq_location"]) for r in table] == [
        ("Acme", "0.1", "SF Bay Area"), ("Beta", "0.25", "Ottawa"),
    ]
    assert rows(out / f"{TABLE}.quarantine.csv") == []


def test_bare_values_up_to_one_are_read_as_shares(tmp_path, capsys):
    text = VARIANTS["kaggle"].replace(",0.25,", ",1,")
    code, stdout, _ = ingest(write(tmp_path, text), tmp_path / "out", capsys)
    assert code == 0 and "read as shares" in stdout
    assert [r["share_of_workforce"] for r in rows(tmp_path / "out" / f"{TABLE}.csv")] == ["0.1", "1.0"]


def test_missing_column_fails_the_run_and_writes_nothing(tmp_path, capsys):
    text = VARIANTS["kaggle"].replace("industry,", "sector,")
    code, stdout, err = ingest(write(tmp_path, text), tmp_path / "out", capsys)
    assert code == 2 and stdout == ""
    assert "no column for industry" in err and "nothing was written" in err
    assert not (tmp_path / "out").exists()


def test_rerun_gives_byte_identical_output(tmp_path, capsys):
    source = write(tmp_path, MESSY)
    first, second = tmp_path / "a", tmp_path / "b"
    ingest(source, first, capsys)
    ingest(source, second, capsys)
    for name in (f"{TABLE}.csv", f"{TABLE}.quarantine.csv", f"{TABLE}.set_aside.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_previous_output_survives_a_failed_run(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    ingest(write(tmp_path, MESSY), out, capsys)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # A file that cannot be ingested writes nothing.
    assert ingest(write(tmp_path, "company,date\nAcme,2025-01-01\n", "bad.csv"), out, capsys)[0] == 2
    # A crash while writing (disk full, killed) leaves the old files, and no temporary file, behind.
    calls = []

    def failing_write(df, path):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        path.write_text("partial")

    monkeypatch.setattr(output, "_write_csv", failing_write)
    code, _, err = ingest(write(tmp_path, VARIANTS["kaggle"], "other.csv"), out, capsys)
    assert code == 1 and "disk full" in err and len(calls) == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_progress_bar_path_gives_the_same_result(tmp_path):
    source = write(tmp_path, MESSY)
    quiet = layoffs_fyi.ingest(source, progress=False)
    with_bar = layoffs_fyi.ingest(source, progress=True)
    assert with_bar.accepted.equals(quiet.accepted) and with_bar.quarantine.equals(quiet.quarantine)


def test_build_with_adds_the_ingested_table_to_an_extended_release(curated, tmp_path, messy):
    out, _ = messy
    release = tmp_path / "release"
    descriptor = build(curated, release, today=TODAY, with_dir=out)
    resource = next(r for r in descriptor["resources"] if r["name"] == TABLE)
    assert resource["talentgap:origin"] == "ingested"
    assert len(rows(release / f"{TABLE}.csv")) == 9
    # Written in registry order (tables appended to the registry after the ingested ones follow them).
    written = [r["name"] for r in json.loads((release / "datapackage.json").read_text())["resources"]]
    assert TABLE in written and written == [r["name"] for r in descriptor["resources"]]
    assert verify(release, today=TODAY) == []


def test_blank_location_industry_or_country_is_kept_with_a_flag_and_counted(tmp_path):
    """A real export's rows with only "Non-U.S." as location, or no industry or country, are layoffs all the same."""
    text = (
        "company,location,total_laid_off,date,percentage_laid_off,industry,source,stage,funds_raised,country,date_added\n"
        "BitMEX,Non-U.S.,75,04-04-2022,,Crypto,https://example.org/b,Series A,,Seychelles,04-05-2022\n"
        "Appsmith,SF Bay Area,35,9/22/2023,,,https://example.org/a,Series B,,United States,9/23/2023\n"
        "Ludia,\"Montreal, Non-U.S.\",55,6/28/2023,,Consumer,https://example.org/l,Unknown,,,6/29/2023\n"
    )
    result = layoffs_fyi.ingest(write(tmp_path, text))
    assert result.quarantine.height == 0
    kept = result.accepted.select("company", "hq_location", "industry", "country", "headcount", "row_flags").rows()
    assert kept == [
        ("BitMEX", None, "Crypto", "Seychelles", 75, "hq_location_missing"),
        ("Appsmith", "SF Bay Area", None, "United States", 35, "industry_missing"),
        ("Ludia", "Montreal", "Consumer", None, 55, "country_missing"),
    ]
