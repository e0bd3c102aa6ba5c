"""Curated input rules added for hostile or broken input (issue #11): each case was accepted, or
crashed with a traceback, before; now each is a row of the failure table and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest

from talentgap.build import build
from talentgap.cli import main
from talentgap.failures import ValidationError, format_failures

from .conftest import append_copy, read_rows, set_cell, write_rows

TODAY = dt.date(2026, 11, 22)
RANGE = "amount_in_unit_range: a mean or median amount (usd_per_year) must be > 0; a premium or change (share), > -1 and <= 3"
FORMULA = "no_formula: must not start with =, +, - or @ (spreadsheet formula)"
CONTROL = "no_control: must not hold control or bidi-override characters"

CASES = [
    # (file, row, column, bad value, expected rule)
    ("salaries.csv", 1, "amount", "-190000", RANGE),
    ("salaries.csv", 2, "amount", "20", RANGE),  # a percent typed as a share
    ("salaries.csv", 1, "amount", "inf", "finite: must be a finite number"),
    ("salaries.csv", 1, "amount", "NaN", "finite: must be a finite number"),
    ("ai_demand.csv", 1, "value", "-68.5", "value_not_negative: value must not be negative (shares, index values and counts)"),
    ("sources.csv", 1, "date_published", "2030-01-01", "max_date: must be on or before 2026-11-22"),
    ("salaries.csv", 1, "period_end", "2030-12-31", "max_date: must be on or before 2026-11-22"),
    ("confidence.csv", 1, "month", "2030-01-01", "max_date: must be on or before 2026-11-22"),
    ("layoff_events.csv", 2, "company", " =HYPERLINK(\"x\")", FORMULA),
    ("layoff_events.csv", 2, "units", "\t+Sales", FORMULA),
    ("sources.csv", 2, "title", "\x01@SUM(A1)", FORMULA),
    ("layoff_events.csv", 1, "notes", "a\x00b", CONTROL),
    ("layoff_events.csv", 1, "company", "Exa\u202empleco", CONTROL),
    ("sources.csv", 1, "notes", "x" * 4001, "max_length: must be at most 4000 characters"),
]


@pytest.mark.parametrize("file,row,column,value,rule", CASES)
def test_hostile_or_out_of_range_cell_is_a_failure_row(curated, file, row, column, value, rule):
    set_cell(curated / file, row, column, value)
    with pytest.raises(ValidationError) as err:
        build(curated, curated.parent / "release", today=TODAY)
    # A row rule names the table in `column`; a cell rule names the column.
    assert (file, row, rule) in [(f.file, f.row, f.rule) for f in err.value.failures]
    assert any(f.column in (column, file[:-4]) for f in err.value.failures if f.rule == rule)
    assert not (curated.parent / "release").exists()


def test_valid_negative_change_and_large_premium_pass(curated):
    set_cell(curated / "salaries.csv", 2, "amount", "-0.158")  # pay fell 15.8%
    build(curated, curated.parent / "release", today=TODAY)
    set_cell(curated / "salaries.csv", 2, "amount", "1.18")  # a 118% premium
    build(curated, curated.parent / "release", today=TODAY)


def test_near_duplicate_keys_fail(curated):
    append_copy(curated / "layoff_events.csv", 1, company=" examplecorp ", headcount="11000")
    with pytest.raises(ValidationError) as err:
        build(curated, curated.parent / "release", today=TODAY)
    near = [(f.row, f.column, f.value) for f in err.value.failures if f.rule.startswith("primary_key_near")]
    assert near == [(1, "company, announced_on", "Examplecorp, 2023-01-20"), (4, "company, announced_on", " examplecorp , 2023-01-20")]


def test_header_only_table_is_rejected(curated):
    path = curated / "cpi.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    with pytest.raises(ValidationError) as err:
        build(curated, curated.parent / "release", today=TODAY)
    assert [(f.file, f.rule) for f in err.value.failures if f.file == "cpi.csv"] == [
        ("cpi.csv", "empty: the table has no rows (the registry does not allow an empty table)")
    ]


def test_flags_may_be_empty():
    # A derived table of findings may be empty (the registry says so); no curated table may.
    from talentgap.schemas.tables import TABLES

    assert [n for n, t in TABLES.items() if t.may_be_empty] == ["flags"]


def test_non_utf8_bytes_are_a_failure_row_not_a_traceback(curated, capsys):
    path = curated / "layoff_events.csv"
    data = path.read_bytes().replace(b"Widgets Ltd", b"Widg\xe9ts Ltd")
    path.write_bytes(data)
    assert main(["build", "--curated", str(curated), "--release", str(curated.parent / "release")]) == 1
    err = capsys.readouterr().err
    assert "layoff_events.csv  2            encoding: not UTF-8  byte 0xe9 at offset 228" in err


@pytest.mark.parametrize("content", [b"", b"\n\n", b"a,b\n1,2,3,4\n\"unclosed\n"])
def test_empty_or_unparsable_file_is_a_failure_row(curated, content):
    (curated / "confidence.csv").write_bytes(content)
    with pytest.raises(ValidationError) as err:
        build(curated, curated.parent / "release", today=TODAY)
    rules = [f.rule for f in err.value.failures if f.file == "confidence.csv"]
    assert rules and all(r.split(":")[0] in ("file", "csv", "header") for r in rules), rules


def test_failure_table_escapes_terminal_sequences(curated, capsys):
    # An escape sequence in a cell (here: set the terminal title) is shown, never sent to the terminal.
    set_cell(curated / "layoff_events.csv", 1, "notes", "\x1b]0;pwned\x07")
    assert main(["build", "--curated", str(curated), "--release", str(curated.parent / "release")]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b]0;pwned\\x07" in err


def test_escape_covers_bidi_and_nul():
    from talentgap.failures import Failure

    text = format_failures([Failure("f\u202e.csv", 1, "c", "r", "a\x00b")])
    assert "\u202e" not in text and "\x00" not in text and "f\\u202e.csv" in text and "a\\x00b" in text


def test_header_only_curated_table_is_never_published_by_the_cli(curated, capsys):
    rows = read_rows(curated / "ai_demand.csv")
    write_rows(curated / "ai_demand.csv", rows[:1])
    (curated / "ai_demand.csv").write_text((curated / "ai_demand.csv").read_text().splitlines()[0] + "\n")
    assert main(["build", "--curated", str(curated), "--release", str(curated.parent / "release")]) == 1
    assert "empty: the table has no rows" in capsys.readouterr().err
    assert not (curated.parent / "release").exists()
