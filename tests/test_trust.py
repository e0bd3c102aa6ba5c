"""Nothing lost, nothing deleted (issue #11): build refuses folders that are not ours, verify only reads
and checks against the registry, load() checks what it returns, ingest writes one unit or nothing.
Each test failed before the change it names."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import shutil
from pathlib import Path

import polars as pl
import pytest

import talentgap
from talentgap import api
from talentgap import release as release_mod
from talentgap.build import build, verify
from talentgap.cli import main
from talentgap.ingest import layoffs_fyi, oews, output

from .test_ingest_layoffs_fyi import VARIANTS
from .conftest import TODAY, tree

TABLE = "layoffs_fyi_events"


def descriptor(release: Path) -> dict:
    return json.loads((release / "datapackage.json").read_text())


def rewrite(release: Path, change) -> None:
    d = descriptor(release)
    change(d)
    (release / "datapackage.json").write_text(json.dumps(d, indent=2))


# --- build never deletes what is not ours -------------------------------------------------------


def test_build_refuses_a_folder_that_is_not_a_release(curated, tmp_path, capsys):
    project_data = tmp_path / "data"
    shutil.copytree(curated, project_data / "curated")
    (project_data / "notes.txt").write_text("mine")
    before = tree(project_data)
    assert main(["build", "--curated", str(curated), "--release", str(project_data)]) == 2
    err = capsys.readouterr().err
    assert "is not a talentgap release" in err and "nothing was written or removed" in err
    assert tree(project_data) == before


def test_build_refuses_a_release_holding_a_users_file(curated, release, capsys):
    (release / "notes.txt").write_text("mine")
    before = tree(release)
    assert main(["build", "--curated", str(curated), "--release", str(release)]) == 2
    assert "holds files that no build wrote (notes.txt)" in capsys.readouterr().err
    assert tree(release) == before


def test_build_replaces_an_empty_folder_and_its_own_release(curated, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    build(curated, empty, today=TODAY)
    build(curated, empty, today=TODAY)
    assert verify(empty) == [] and sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".empty")) == [
        ".empty.write.lock",
    ]


def test_verify_is_read_only(release):
    # Siblings that look like leftovers of an old swap are not verify's to touch.
    for name in ("release.old", "release.tmp-1"):
        (release.parent / name).mkdir()
        (release.parent / name / "notes.txt").write_text("mine")
    before = tree(release.parent)
    assert verify(release) == []
    assert tree(release.parent) == before


# --- verify checks against the registry ---------------------------------------------------------


def test_verify_fails_when_a_whole_table_is_removed(release):
    for ext in ("csv", "parquet"):
        (release / f"sources.{ext}").unlink()
    rewrite(release, lambda d: d.update(resources=[r for r in d["resources"] if r["name"] != "sources"]))
    assert ("sources.csv", "table: missing from release (the registry expects it)") in {(f.file, f.rule) for f in verify(release)}


@pytest.mark.parametrize("edit,column", [
    (lambda d: d["resources"][5]["schema"]["fields"][1].update(type="string"), "cpi.schema"),
    (lambda d: d["resources"][5].update({"talentgap:schema_version": "9.0.0"}), "cpi.talentgap:schema_version"),
    (lambda d: d.update(version="9.9.9"), "version"),
])
def test_verify_fails_when_the_descriptor_differs_from_the_registry(release, edit, column):
    rewrite(release, edit)
    failures = verify(release)
    assert ("datapackage.json", column, "descriptor: differs from what the registry generates") in {(f.file, f.column, f.rule) for f in failures}


def test_verify_never_hashes_a_path_outside_the_release(release, monkeypatch):
    hashed = []
    real = release_mod.sha256_file
    monkeypatch.setattr(release_mod, "sha256_file", lambda p: hashed.append(Path(p)) or real(p))
    rewrite(release, lambda d: d["resources"][0].update(path="/etc/hostname"))
    failures = verify(release)
    assert ("datapackage.json", "path: must be sources.csv inside the release folder") in {(f.file, f.rule) for f in failures}
    assert all(p.parent == release for p in hashed)


@pytest.mark.parametrize("text", ['{"resources": [', "", "[]", '{"name": "talentgap"}', "\xff"])
def test_corrupt_or_partial_json_is_a_failure_row(release, text, capsys):
    (release / "datapackage.json").write_text(text, encoding="latin-1")
    assert main(["verify", "--release", str(release)]) == 1
    err = capsys.readouterr().err
    assert "datapackage.json" in err and "Traceback" not in err


# --- load() you can trust -----------------------------------------------------------------------


def test_load_detects_a_tampered_file(release):
    path = release / "cpi.parquet"
    df = pl.read_parquet(path).with_columns(pl.col("cpi_u_annual_average") + 1)
    df.write_parquet(path)
    with pytest.raises(talentgap.ReleaseError, match=r"cpi\.parquet: sha256 differs from datapackage.json"):
        talentgap.load("cpi", release)


def test_load_detects_swapped_files(release):
    a, b = release / "cpi.parquet", release / "occupations.parquet"
    data_a, data_b = a.read_bytes(), b.read_bytes()
    a.write_bytes(data_b)
    b.write_bytes(data_a)
    with pytest.raises(talentgap.ReleaseError, match="occupations.parquet: sha256 differs"):
        talentgap.load("occupations", release)


def test_load_names_a_corrupt_parquet_file(release):
    path = release / "cpi.parquet"
    path.write_bytes(b"PAR1 not really parquet PAR1")
    rewrite(release, lambda d: d["resources"][5]["talentgap:parquet"].update(hash="sha256:" + release_mod.sha256_file(path)))
    with pytest.raises(talentgap.ReleaseError, match=r"cpi\.parquet: not a readable Parquet file"):
        talentgap.load("cpi", release)


def test_load_checks_columns_against_the_registry(release):
    path = release / "cpi.parquet"
    pl.read_parquet(path).rename({"year": "yr"}).write_parquet(path)
    rewrite(release, lambda d: d["resources"][5]["talentgap:parquet"].update(hash="sha256:" + release_mod.sha256_file(path)))
    with pytest.raises(talentgap.ReleaseError, match="columns differ from the registry"):
        talentgap.load("cpi", release)


def test_load_detects_same_size_tampering_with_the_mtime_restored(release):
    """Issue #17, finding 4: a cache keyed on size, mtime and inode returned the tampered bytes."""
    path = release / "cpi.parquet"
    talentgap.load("cpi", release)
    st = path.stat()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))  # same inode, same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_ino == st.st_ino and path.stat().st_mtime_ns == st.st_mtime_ns
    with pytest.raises(talentgap.ReleaseError, match=r"cpi\.parquet: sha256 differs"):
        talentgap.load("cpi", release)


@pytest.mark.parametrize("name", ["no_such_table", None, 3, ["cpi"]])
def test_load_of_an_unknown_table_is_a_release_error(release, name):
    """Issue #17, finding 9: KeyError (or TypeError) before."""
    with pytest.raises(talentgap.ReleaseError, match="unknown table"):
        talentgap.load(name, release)


def test_ingested_tables_are_listed_apart_and_say_how_to_get_them(release):
    assert "layoffs_fyi_events" not in talentgap.tables() and "flags" in talentgap.tables()
    assert talentgap.ingested_tables(release) == []
    with pytest.raises(FileNotFoundError, match="layoffs_fyi_events is an ingested table .* --with"):
        talentgap.load("layoffs_fyi_events", release)


def test_load_of_a_missing_release_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found: run `talentgap build` first"):
        talentgap.load("cpi", tmp_path / "nowhere")


# --- ingest hygiene -----------------------------------------------------------------------------


def ingest(path: Path, out: Path, capsys) -> tuple[int, str, str]:
    code = main(["ingest", "layoffs-fyi", str(path), "--out", str(out)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_header_only_input_fails_and_keeps_earlier_output(tmp_path, capsys):
    out = tmp_path / "out"
    good = tmp_path / "good.csv"
    good.write_text(VARIANTS["kaggle"])
    assert ingest(good, out, capsys)[0] == 0
    before = tree(out)
    for text in (VARIANTS["kaggle"].splitlines()[0] + "\n", VARIANTS["kaggle"].splitlines()[0] + "\n\n,,,,,,,,,,\n"):
        bad = tmp_path / "bad.csv"
        bad.write_text(text)
        code, _, err = ingest(bad, out, capsys)
        assert code == 2 and "no data rows" in err
        assert tree(out) == before


def test_input_bytes_in_messages_are_escaped(tmp_path, capsys):
    path = tmp_path / "evil.csv"
    path.write_text("company\x1b]0;pwned\x07,date\nAcme,2025-01-01\n")
    code, _, err = ingest(path, tmp_path / "out", capsys)
    assert code == 2 and "\x1b" not in err and "\x07" not in err and "\\x1b]0;pwned\\x07" in err


def test_nul_bytes_are_quarantined_and_never_written_raw(tmp_path, capsys):
    text = VARIANTS["kaggle"].replace("Acme,", "Ac\x00me,", 1).replace("https://example.org/b", "https://ex\x00ample.org/b")
    path = tmp_path / "nul.csv"
    path.write_text(text)
    out = tmp_path / "out"
    assert ingest(path, out, capsys)[0] == 0
    assert all(b"\x00" not in data for data in tree(out).values())
    with open(out / f"{TABLE}.quarantine.csv", newline="", encoding="utf-8") as fh:
        quarantine = list(csv.DictReader(fh))
    assert [q["company"] for q in quarantine] == ["Ac\\x00me", "Beta"]
    assert "no_control" in quarantine[0]["reasons"]


def test_xlsx_is_refused_before_unpacking_when_too_large(tmp_path, monkeypatch):
    from .test_ingest_oews import HEADER, ROWS, write_xlsx

    path = tmp_path / "national_M2024_dl.xlsx"
    write_xlsx(path, [HEADER, *ROWS])
    monkeypatch.setattr(oews, "MAX_UNPACKED_BYTES", 1000)
    monkeypatch.setattr(oews.pl, "read_excel", lambda *a, **k: pytest.fail("unpacked"))
    with pytest.raises(oews.c.IngestError, match="unpacks to .* more than the 1,000 allowed"):
        oews.ingest(path)


def test_leftovers_of_killed_runs_are_finished_or_removed(tmp_path, capsys):
    out = tmp_path / "out"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(VARIANTS["kaggle"])
    second.write_text(VARIANTS["sheet"].replace("Beta", "Gamma"))
    assert ingest(first, out, capsys)[0] == 0
    # A run killed after committing its unit but before putting it in place, and one killed earlier.
    result = layoffs_fyi.ingest(second)
    committed = out / f".{TABLE}.staging-999999"
    committed.mkdir()
    (committed / output.MARKER).touch()
    for df, name in zip([result.accepted, result.quarantine, result.set_aside], output.output_names(TABLE)):
        output._write_csv(df, committed / name)
    (committed / output.COMMITTED).write_text("\n".join(output.output_names(TABLE)))
    (out / f".{TABLE}.csv.tmp-999998").write_text("partial")  # an earlier version's temporary
    foreign = out / ".my-own.staging-1"
    foreign.mkdir()  # not ours: no marker
    # A reader meanwhile sees the committed unit, whole.
    assert output.current_folder(out, TABLE) == committed
    assert ingest(first, out, capsys)[0] == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [".my-own.staging-1", output.LOCK, output.OWNED, *output.output_names(TABLE)]
    )


# --- ingest fidelity on a realistic export ------------------------------------------------------


def realistic_export(path: Path, n: int = 3000, seed: int = 11) -> dict[int, int]:
    """A Layoffs.fyi-format export with the quirks of the real one; returns its own per-year totals."""
    rng = random.Random(seed)
    industries = ["Consumer", "Retail", "Finance", "Construction", "AI", "Hardware", "Healthcare", "Crypto Currency", "Other"]
    rows = []
    for i in range(n):
        year = rng.choice([2020, 2021, 2022, 2023, 2024, 2025, 2026])
        day = dt.date(year, rng.randint(1, 10), rng.randint(1, 28))
        added = day - dt.timedelta(days=rng.choice([0, 1, 3, 30])) if rng.random() < 0.05 else day
        company = f"Company {i // 2}"
        count = rng.choice(["", str(rng.randint(5, 5000))])
        rows.append([company, "SF Bay Area", rng.choice(industries), count, rng.choice(["", "0.1", "0.25"]),
                     day.isoformat(), f"https://example.org/{i}", "", "Series B", added.isoformat(), "United States"])
    for i in range(0, 40, 2):
        rows[i + 1][0], rows[i + 1][5] = rows[i][0], rows[i][5]  # one company, one date, two entries
    rows[100][3] = "lots"  # a genuinely wrong row
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["company", "location", "industry", "total_laid_off", "percentage_laid_off", "date", "source", "funds_raised", "stage", "date_added", "country"])
        w.writerows(rows)
    return {y: sum(int(r[3]) for r in rows if r[3].isdigit() and int(r[5][:4]) == y) for y in range(2022, 2027)}


def test_realistic_export_keeps_every_valid_row(tmp_path):
    path = tmp_path / "layoffs.csv"
    expected = realistic_export(path)
    result = layoffs_fyi.ingest(path, today=TODAY)
    got = dict(result.accepted.group_by(pl.col("announced_on").dt.year()).agg(pl.col("headcount").sum()).iter_rows())
    assert {y: got.get(y, 0) for y in expected} == expected
    scope = result.skipped.get(layoffs_fyi.OUT_OF_SCOPE, 0)
    not_scope = result.rows_read - result.accepted.height - scope
    assert not_scope / result.rows_read < 0.01
    assert result.quarantine["reasons"].to_list() == ["headcount: type: must be a whole number"]
    flags = set(result.accepted["row_flags"].drop_nulls())
    assert {"industry_unmapped", "date_added_before_announced_on"} <= flags
