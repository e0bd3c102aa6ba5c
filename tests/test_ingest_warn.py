"""`talentgap ingest warn`: consolidated and integrated forms, amendments counted once, quarantine, build --with."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from talentgap.build import build, verify
from talentgap.cli import main

TODAY = dt.date(2026, 11, 22)
TABLE = "warn_notices"

CONSOLIDATED = """\
hash_id,postal_code,company,location,notice_date,effective_date,jobs,is_temporary,is_closure,is_amendment
a1,ca,Acme Inc.,San Jose,2024-01-10,2024-03-10,100,False,False,False
a2,CA,"ACME, INC",San Jose,2024-02-01,2024-03-31,120,False,False,True
a3,CA,Acme Inc,san jose,2024-03-01,2024-04-30,90,false,false,true
b1,NY,Beta LLC,,1/5/2024,,50.0,,True,False
b2,NY,Beta LLC,,2024-01-05,,50,False,True,False
b2,NY,Beta LLC,,2024-01-05,,50,False,True,False
c1,TX,Gamma,Austin,2024-13-01,,abc,maybe,False,False
c2,TX,=Gamma,Austin,2024-05-01,,0,False,False,False
d1,WA,Delta,Seattle,2023-06-01,2023-08-01,40,False,False,True
e1,WA,Epsilon,Tacoma,2023-07-01,,30,False,False,False
e1,WA,Epsilon,Tacoma,2023-07-01,,35,False,False,False
f1,OR,Zeta,Portland,2023-08-01,,60,False,False,False
f2,OR,Zeta,Portland,2023-08-15,,70,False,False,perhaps
"""

INTEGRATED = """\
hash_id,postal_code,company,location,notice_date,effective_date,jobs,is_temporary,is_closure,is_amendment,first_inserted_date,is_superseded,likely_ancestor,estimated_amendments,last_updated_date
x1,WA,Delta,Seattle,2023-06-01,2023-08-01,300,false,false,false,2023-06-02,true,,1,2023-07-01
x2,WA,Delta,Seattle,2023-06-20,2023-08-01,250,false,false,true,2023-07-01,false,x1,1,2023-07-01
y1,WA,Epsilon,Tacoma,2023-06-05,2023-08-01,40,false,false,false,2023-06-06,false,,0,2023-06-06
z1,ID,Zeta,Boise,2024-02-01,,20,false,true,false,2024-02-02,false,,1,2024-02-02
z2,ID,Zeta,Boise,2024-02-09,,25,false,true,true,2024-02-10,false,z1,1,2024-02-10
"""


def run(tmp_path: Path, text: str, capsys, out: str = "out") -> tuple[int, str, str, Path]:
    source = tmp_path / "warn.csv"
    source.write_text(text, encoding="utf-8")
    code = main(["ingest", "warn", str(source), "--out", str(tmp_path / out)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err, tmp_path / out


def rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_consolidated_amendments_and_relistings_are_counted_once(tmp_path, capsys):
    code, stdout, _, out = run(tmp_path, CONSOLIDATED, capsys)
    assert code == 0
    table = {r["hash_id"]: r for r in rows(out / f"{TABLE}.csv")}
    assert sorted(table) == ["a1", "a2", "a3", "b1", "b2", "d1", "f1"]
    replaces = {h: r["replaces_hash_id"] for h, r in table.items()}
    assert replaces == {"a1": "", "a2": "a1", "a3": "a2", "b1": "", "b2": "b1", "d1": "", "f1": ""}
    counted = sorted(h for h, r in table.items() if r["is_superseded"] == "false")
    # a3 is the last amendment of a1; b2 re-lists b1; d1 amends nothing we have; f1's amendment was quarantined.
    assert counted == ["a3", "b2", "d1", "f1"]
    assert table["a1"]["postal_code"] == "CA" and table["b1"]["notice_date"] == "2024-01-05"
    assert table["b1"]["headcount"] == "50" and table["b1"]["is_temporary"] == ""
    lines = [line.split() for line in stdout.splitlines()]
    assert ["year", "notices", "counted", "headcount"] in lines
    assert ["2023", "2", "2", "100"] in lines and ["2024", "5", "2", "140"] in lines
    assert "consolidated file" in stdout


def test_consolidated_quarantine_has_row_numbers_and_reasons(tmp_path, capsys):
    _, stdout, _, out = run(tmp_path, CONSOLIDATED, capsys)
    reasons = {int(r["source_row"]): r["reasons"] for r in rows(out / f"{TABLE}.quarantine.csv")}
    key = "hash_id: primary_key: duplicate (hash_id)"
    assert reasons == {
        7: "notice_date: type: must be a date (YYYY-MM-DD, M/D/YYYY or MM-DD-YYYY) | headcount: type: must be a whole number"
        " | is_temporary: type: must be true or false",
        8: "company: no_formula: must not start with =, +, - or @ (spreadsheet formula) | headcount: minimum: must be >= 1",
        10: key,
        11: key,
        13: "is_amendment: type: must be true or false",
    }
    assert ["quarantined", "5"] == stdout.splitlines()[3].split()[:2]
    # An exact duplicate is not an error: set aside, apart from the quarantine, and counted.
    aside = rows(out / f"{TABLE}.set_aside.csv")
    assert [(r["source_row"], r["why"]) for r in aside] == [("6", "exact duplicate of an earlier row: same values as row 5")]
    assert "(exact duplicates of earlier rows)" in stdout


def test_integrated_form_follows_big_local_news_links(tmp_path, capsys):
    code, stdout, _, out = run(tmp_path, INTEGRATED, capsys)
    assert code == 0
    table = {r["hash_id"]: r for r in rows(out / f"{TABLE}.csv")}
    superseded = {h: r["is_superseded"] for h, r in table.items()}
    # x1 is flagged upstream; z1 is named as ancestor by z2 though not flagged.
    assert superseded == {"x1": "true", "x2": "false", "y1": "false", "z1": "true", "z2": "false"}
    assert table["x2"]["replaces_hash_id"] == "x1"
    assert "columns not used: first_inserted_date, estimated_amendments, last_updated_date" in stdout
    lines = [line.split() for line in stdout.splitlines()]
    assert ["2023", "3", "2", "290"] in lines and ["2024", "2", "1", "25"] in lines


def test_half_an_integrated_header_is_refused(tmp_path, capsys):
    text = INTEGRATED.replace("likely_ancestor", "ancestor")
    code, _, err, out = run(tmp_path, text, capsys)
    assert code == 2 and "needs both is_superseded and likely_ancestor" in err
    assert not out.exists()


def test_rerun_is_byte_identical(tmp_path, capsys):
    _, _, _, first = run(tmp_path, CONSOLIDATED, capsys, "a")
    _, _, _, second = run(tmp_path, CONSOLIDATED, capsys, "b")
    for name in (f"{TABLE}.csv", f"{TABLE}.quarantine.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_build_with_includes_warn_notices(curated, tmp_path, capsys):
    _, _, _, out = run(tmp_path, CONSOLIDATED, capsys)
    release = tmp_path / "release"
    descriptor = build(curated, release, today=TODAY, with_dir=out)
    assert TABLE in [r["name"] for r in descriptor["resources"]]
    assert len(rows(release / f"{TABLE}.csv")) == 7
    assert verify(release, today=TODAY) == []
