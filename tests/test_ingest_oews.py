"""`talentgap ingest oews`: XLSX and CSV, BLS marks as flags, detailed occupations only, build --with."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from talentgap.build import build, verify
from talentgap.cli import main

TODAY = dt.date(2026, 11, 22)
TABLE = "oews_occupations"

HEADER = ["AREA", "AREA_TITLE", "OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", "EMP_PRSE", "H_MEAN", "A_MEAN", "A_MEDIAN"]
ROWS = [
    [99, "U.S.", "00-0000", "All Occupations", "total", 151853870, 0.1, 32.66, 67920, 48060],  # 1 skipped
    [99, "U.S.", "15-0000", "Computer and Mathematical Occupations", "major", 5000000, 0.3, 55, 110000, 100000],  # 2 skipped
    [99, "U.S.", "15-1252", "Software Developers", "detailed", 1654440, 0.9, 69.5, 144570, "#"],  # 3
    [99, "U.S.", "11-1011", "Chief Executives", "detailed", "**", 1.1, "#", 258900.5, "*"],  # 4
    [None] * 10,  # 5 blank
    [99, "U.S.", "27-2011", "Actors", "detailed", 50000, 2, "*", "*", "*"],  # 6 hourly-only: no annual wage
    [99, "U.S.", "15-1299", "Computer Occupations, All Other", "detailed", "1,234", 3, 50, "12,5", "#"],  # 7 bad mean
    [99, "U.S.", "15-2051", "Data Scientists", "detailed", "#", 3, 60, 120000, 110000],  # 8 # is no count
    [99, "U.S.", "=15-2099", "Formula", "detailed", 10, 3, 60, 120000, 110000],  # 9
    ["Footnotes:"] + [None] * 9,  # 10 skipped (no O_GROUP)
]


def _col(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def write_xlsx(path: Path, rows: list[list], notes: list[list] | None = None) -> None:
    """The smallest workbook calamine reads: one sheet (and BLS's notes sheet if given), numbers as numbers,
    text as inline strings."""

    def cell(ref: str, v) -> str:
        if v is None:
            return ""
        if isinstance(v, (int, float)):
            return f'<c r="{ref}"><v>{v}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'

    def body(rows: list[list]) -> str:
        return "".join(
            f'<row r="{r + 1}">' + "".join(cell(f"{_col(c)}{r + 1}", v) for c, v in enumerate(row)) + "</row>"
            for r, row in enumerate(rows)
        )

    main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel_ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    doc_rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    sheets = [("national", rows)] + ([("Field Descriptions", notes)] if notes is not None else [])
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ct}.worksheet+xml"/>' for i in range(1, len(sheets) + 1))
            + "</Types>"
        ),
        "_rels/.rels": f'<Relationships xmlns="{rel_ns}"><Relationship Id="rId1" Type="{doc_rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main_ns}" xmlns:r="{doc_rel}"><sheets>'
        + "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, (n, _) in enumerate(sheets, start=1))
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{rel_ns}">'
        + "".join(f'<Relationship Id="rId{i}" Type="{doc_rel}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
        + "</Relationships>",
    }
    for i, (_, sheet_rows) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = f'<worksheet xmlns="{main_ns}"><sheetData>{body(sheet_rows)}</sheetData></worksheet>'
    with zipfile.ZipFile(path, "w") as z:
        for name, xml in parts.items():
            z.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + xml)


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([["" if v is None else v for v in row] for row in rows])


def rows_of(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def ingest(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["ingest", "oews", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def workbook(tmp_path) -> Path:
    path = tmp_path / "national_M2024_dl.xlsx"
    write_xlsx(path, [HEADER, *ROWS])
    return path


def test_workbook_gives_occupations_with_bls_marks_named(workbook, tmp_path, capsys):
    code, stdout, _ = ingest(capsys, str(workbook), "--out", str(tmp_path / "out"))
    assert code == 0
    table = {r["soc_code"]: r for r in rows_of(tmp_path / "out" / f"{TABLE}.csv")}
    assert sorted(table) == ["00-0000", "11-1011", "15-0000", "15-1252", "27-2011"]
    dev, ceo, actors = table["15-1252"], table["11-1011"], table["27-2011"]
    assert (dev["year"], dev["reference_period"], dev["employment"], dev["occupation_group"]) == ("2024", "May 2024", "1654440", "detailed")
    assert (dev["employment_rse_percent"], dev["hourly_mean_wage_usd"]) == ("0.9", "69.5")
    assert (dev["annual_mean_wage_usd"], dev["annual_median_wage_usd"], dev["bls_markers"]) == ("144570.0", "", "annual_median_wage_usd=#")
    # A mark never becomes a number: the cell is empty and bls_markers says which mark stood there.
    assert (ceo["employment"], ceo["hourly_mean_wage_usd"], ceo["annual_mean_wage_usd"]) == ("", "", "258900.5")
    assert ceo["bls_markers"] == "employment=**; hourly_mean_wage_usd=#; annual_median_wage_usd=*"
    assert actors["bls_markers"] == "hourly_mean_wage_usd=*; annual_mean_wage_usd=*; annual_median_wage_usd=*"
    assert (table["00-0000"]["occupation_group"], table["15-0000"]["occupation_group"]) == ("total", "major")
    assert table["00-0000"]["bls_markers"] == ""
    lines = [line.split() for line in stdout.splitlines()]
    assert ["skipped", "1", "(no", "O_GROUP:", "notes", "under", "the", "data)"] in lines
    assert ["skipped", "1", "(blank", "rows)"] in lines
    assert ["2024", "3", "1,704,440", "0", "1"] in lines  # detailed occupations only
    assert "columns not used: AREA, AREA_TITLE" in stdout
    assert "columns absent from the file, left empty: mean_wage_rse_percent, annual_wage_p10_usd" in stdout


def test_broad_and_minor_groups_are_skipped_not_quarantined(tmp_path, capsys):
    path = tmp_path / "national_M2023_dl.xlsx"
    broad = [99, "U.S.", "15-1250", "Software and Web Developers", "broad", 1, 1, 1, 1, 1]
    minor = [99, "U.S.", "15-1200", "Computer Occupations", "minor", 1, 1, 1, 1, 1]
    write_xlsx(path, [HEADER, ROWS[2], broad, minor])
    code, stdout, _ = ingest(capsys, str(path), "--out", str(tmp_path / "out"))
    assert code == 0
    assert [r["soc_code"] for r in rows_of(tmp_path / "out" / f"{TABLE}.csv")] == ["15-1252"]
    assert rows_of(tmp_path / "out" / f"{TABLE}.quarantine.csv") == []
    assert ["skipped", "2", "(O_GROUP", "is", "minor", "or", "broad", "(their", "codes", "repeat", "detailed", "ones))"] in [line.split() for line in stdout.splitlines()]


def test_quarantine_keeps_spreadsheet_row_numbers_and_reasons(workbook, tmp_path, capsys):
    ingest(capsys, str(workbook), "--out", str(tmp_path / "out"))
    quarantine = {int(r["source_row"]): r for r in rows_of(tmp_path / "out" / f"{TABLE}.quarantine.csv")}
    assert {n: r["reasons"] for n, r in quarantine.items()} == {
        7: "annual_mean_wage_usd: type: must be a number or a BLS mark (*, ** or #)",
        8: "employment: type: must be a whole number or a BLS mark (* or **; # marks wages only)",
        9: "soc_code: no_formula: must not start with =, +, - or @ (spreadsheet formula) | soc_code: pattern: must match ^\\d{2}-\\d{4}$",
    }
    assert quarantine[7]["A_MEAN"] == "12,5" and quarantine[7]["TOT_EMP"] == "1,234"
    assert quarantine[9]["OCC_CODE"] == "'=15-2099"


def test_csv_with_older_occ_group_header_and_year_option(tmp_path, capsys):
    path = tmp_path / "oews.csv"
    header = [h.lower().replace("o_group", "occ_group") for h in HEADER]
    write_csv(path, header, ROWS[:4])
    code, _, _ = ingest(capsys, str(path), "--year", "2023", "--out", str(tmp_path / "out"))
    assert code == 0
    table = rows_of(tmp_path / "out" / f"{TABLE}.csv")
    assert [(r["soc_code"], r["year"], r["reference_period"]) for r in table] == [
        ("00-0000", "2023", "May 2023"), ("15-0000", "2023", "May 2023"), ("15-1252", "2023", "May 2023"), ("11-1011", "2023", "May 2023"),
    ]


def test_year_must_be_known(tmp_path, capsys):
    path = tmp_path / "oews.csv"
    write_csv(path, HEADER, ROWS[:3])
    code, stdout, err = ingest(capsys, str(path), "--out", str(tmp_path / "out"))
    assert code == 2 and stdout == "" and "pass --year" in err
    assert not (tmp_path / "out").exists()


def test_rerun_is_byte_identical(workbook, tmp_path, capsys):
    ingest(capsys, str(workbook), "--out", str(tmp_path / "a"))
    ingest(capsys, str(workbook), "--out", str(tmp_path / "b"))
    for name in (f"{TABLE}.csv", f"{TABLE}.quarantine.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_build_with_includes_oews_occupations(curated, workbook, tmp_path, capsys):
    out = tmp_path / "out"
    ingest(capsys, str(workbook), "--out", str(out))
    release = tmp_path / "release"
    descriptor = build(curated, release, today=TODAY, with_dir=out)
    assert TABLE in [r["name"] for r in descriptor["resources"]]
    assert len(rows_of(release / f"{TABLE}.csv")) == 5
    assert verify(release, today=TODAY) == []


NOTES = [
    ["May 2024 OEWS Estimates"], ["Notes:"],
    ["*  = indicates that a wage estimate is not available"],
    ["#  = indicates a wage equal to or greater than $115.00 per hour or $239,200 per year "],
]


def test_the_top_code_is_read_from_the_notes_and_recorded_only_where_a_wage_carries_it(tmp_path):
    from talentgap.ingest import oews

    marked = tmp_path / "national_M2024_dl.xlsx"
    write_xlsx(marked, [HEADER, ROWS[0], ROWS[2]], NOTES)  # Software Developers' median is #
    assert oews.stated_top_code(marked) == 239_200.0
    assert oews.applied_top_code(marked, oews.ingest(marked, today=TODAY).accepted) == 239_200.0
    # Notes that still define # over a file whose cells never carry it (as May 2025's): no top code applied.
    unmarked = tmp_path / "national_M2025_dl.xlsx"
    write_xlsx(unmarked, [HEADER, ROWS[0], [99, "U.S.", "11-1011", "Chief Executives", "detailed", 204350, 1.1, 129.63, 269630, 213990]], NOTES)
    assert oews.stated_top_code(unmarked) == 239_200.0
    assert oews.applied_top_code(unmarked, oews.ingest(unmarked, today=TODAY).accepted) is None
    # A workbook without the notes sheet states none.
    bare = tmp_path / "national_M2023_dl.xlsx"
    write_xlsx(bare, [HEADER, ROWS[0], ROWS[2]])
    assert oews.stated_top_code(bare) is None
