"""`talentgap refresh`: the manifest, the files' hashes, all-or-nothing output, byte-identical reruns."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

import polars as pl
import pytest

from talentgap.cli import main
from talentgap.ingest import layoffs_fyi
from talentgap.ingest import layoffs_fyi_totals as totals
from talentgap.refresh import REFRESHED


D = dt.date
# A clean file: refresh fails on any row the ingest cannot read (see the last test).
CPI_DATAHUB = "Date,Index,Inflation\n2014-12-01,234.812,-0.56\n2015-01-01,233.707,-0.47\n2015-03-01,236.119,0.6\n"
AI_SHARE = "date,jobcountry,AI_share_postings\n2019-01-01,US,1.5\n2019-01-01,GB,2.25\n"
FEDFUNDS = "observation_date,FEDFUNDS\n2015-01-01,0.11\n2015-02-01,0.11\n"
LAYOFFS = """\
company,location,total_laid_off,date,percentage_laid_off,industry,source,stage,funds_raised,country,date_added
Acme,SF Bay Area,100,1/10/2023,0.1,Consumer,https://example.org/a,Post-IPO,12,United States,01-11-2023
Beta,New York City,,01-20-2023,0.2,Media,https://example.org/b,Seed,,United States,2/1/2023
Acme,SF Bay Area,50,2/14/2023,,Consumer,https://example.org/a2,Post-IPO,12,United States,2/15/2023
Gamma,Austin,30,2/20/2023,,Data,https://example.org/g,Seed,,United States,3/30/2024
"""


def _row(source_id, kind, name, sha, vintage=""):
    return {
        "source_id": source_id, "upstream_kind": kind, "upstream_file": name, "vintage": vintage,
        "title": f"test file {name}", "publisher": "Test Publisher", "url": "https://example.org/data",
        "date_published": "", "date_accessed": "2026-11-20", "license": "Public domain", "copy_repository": "owner/repo",
        "copy_commit": "0" * 40, "copy_path": f"data/{name}", "copy_sha256": sha, "notes": "",
    }


@pytest.fixture
def upstream(tmp_path) -> Path:
    """A manifest and its files, each written in its publisher's layout."""
    files = tmp_path / "upstream" / "files"
    files.mkdir(parents=True)
    contents = {"cpiai.csv": CPI_DATAHUB, "FEDFUNDS.csv": FEDFUNDS, "AI_posting.csv": AI_SHARE, "layoffs.csv": LAYOFFS}
    for name, text in contents.items():
        (files / name).write_text(text, encoding="utf-8")
    sha = {n: hashlib.sha256((files / n).read_bytes()).hexdigest() for n in contents}
    rows = [
        _row("test-cpi", "cpi", "cpiai.csv", sha["cpiai.csv"]),
        _row("test-fedfunds", "rates", "FEDFUNDS.csv", sha["FEDFUNDS.csv"]),
        _row("test-ai", "indeed", "AI_posting.csv", sha["AI_posting.csv"], "2026-07-21"),
        _row("test-layoffs", "layoffs-fyi", "layoffs.csv", sha["layoffs.csv"], "2026-08-02"),
    ]
    with open(tmp_path / "upstream" / "manifest.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return tmp_path / "upstream"


def refresh(capsys, upstream: Path, curated: Path) -> tuple[int, str, str]:
    code = main(["refresh", "--upstream", str(upstream), "--curated", str(curated)])
    out = capsys.readouterr()
    return code, out.out, out.err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_refresh_writes_every_refreshed_table_and_reruns_byte_identically(upstream, tmp_path, capsys):
    curated = tmp_path / "curated"
    code, out, _ = refresh(capsys, upstream, curated)
    assert code == 0 and "test-cpi: cpiai.csv: 3 rows read -> cpi_monthly 2; 0 quarantined" in out
    written = curated / "refreshed"
    assert sorted(p.name for p in written.iterdir()) == sorted(f"{n}.csv" for n in REFRESHED)
    sources = pl.read_csv(written / "sources.csv")
    assert sources["source_id"].to_list() == ["test-cpi", "test-fedfunds", "test-ai", "test-layoffs"]
    assert set(sources["kind"]) == {"publisher_file"} and sources["copy_sha256"][0] == hashlib.sha256(CPI_DATAHUB.encode()).hexdigest()
    assert pl.read_csv(written / "rates.csv")["rate_percent"].to_list() == [0.11, 0.11]
    assert pl.read_csv(written / "occupations.csv").height == 0  # no OEWS file listed: header only
    first = snapshot(written)
    assert refresh(capsys, upstream, curated)[0] == 0
    assert snapshot(written) == first
    assert sorted(p.name for p in curated.iterdir()) == [".refreshed.lock", "refreshed"]  # no staging folder left behind


def test_a_changed_or_missing_file_fails_and_writes_nothing(upstream, tmp_path, capsys):
    curated = tmp_path / "curated"
    refresh(capsys, upstream, curated)
    before = snapshot(curated / "refreshed")
    (upstream / "files" / "FEDFUNDS.csv").write_text(FEDFUNDS + "2015-03-01,0.50\n")
    (upstream / "files" / "layoffs.csv").unlink()
    code, out, err = refresh(capsys, upstream, curated)
    assert code == 1 and out == ""
    assert "2 problem(s); nothing was written." in err
    assert "manifest.csv  2    copy_sha256    sha256: the file's bytes differ from the manifest" in err
    assert "manifest.csv  4    upstream_file  file: not found in" in err
    assert snapshot(curated / "refreshed") == before


def test_a_bad_manifest_row_is_reported_with_row_column_and_rule(upstream, tmp_path, capsys):
    manifest = upstream / "manifest.csv"
    text = manifest.read_text().replace(",rates,", ",fred,")
    manifest.write_text(text)
    code, _, err = refresh(capsys, upstream, tmp_path / "curated")
    assert code == 1 and "manifest.csv  2    upstream_kind  enum: must be one of: oews, cpi, rates, indeed, layoffs-fyi" in err
    assert not (tmp_path / "curated").exists()


def test_layoffs_fyi_totals_by_month_and_as_of_each_day(tmp_path):
    f = tmp_path / "layoffs.csv"
    f.write_text(LAYOFFS)
    events = layoffs_fyi.ingest(f).accepted
    monthly = totals.monthly(events, "s", D(2024, 4, 1))
    assert monthly.select("month", "employees", "companies", "events", "events_size_unknown").rows() == [
        (D(2023, 1, 1), 100, 2, 2, 1),
        (D(2023, 2, 1), 80, 2, 2, 0),
    ]
    as_of = totals.as_of(events, "s")
    # Acme counts once as a company; Gamma, added in 2024, joins the 2023 total only then.
    assert as_of.select("year", "as_of", "employees", "companies", "events").rows() == [
        (2023, D(2023, 1, 11), 100, 1, 1),
        (2023, D(2023, 2, 1), 100, 2, 2),
        (2023, D(2023, 2, 15), 150, 2, 3),
        (2023, D(2024, 3, 30), 180, 3, 4),
    ]



def _export(source_id: str, vintage: dt.date, months: dict[dt.date, int]) -> pl.DataFrame:
    return pl.DataFrame({
        "month": list(months), "employees": list(months.values()), "companies": [1] * len(months),
        "events": [1] * len(months), "events_size_unknown": [0] * len(months),
        "source_id": [source_id] * len(months), "vintage": [vintage] * len(months),
    })


def test_the_monthly_series_takes_each_month_once_from_the_newest_export_covering_it():
    # The old export lists Jan-Apr (taken 2 April: April is partial); the new one starts in February, taken
    # 20 May: it covers February to April whole, lists nothing in March (a real zero), and May only in part.
    old = _export("old", D(2025, 4, 2), {D(2025, 1, 1): 10, D(2025, 2, 1): 20, D(2025, 3, 1): 30, D(2025, 4, 1): 5})
    new = _export("new", D(2025, 5, 20), {D(2025, 2, 1): 21, D(2025, 4, 1): 40, D(2025, 5, 1): 7})
    flagged, series = totals.split(pl.concat([old, new]))
    assert series.select("month", "source_id", "employees").rows() == [
        (D(2025, 1, 1), "old", 10), (D(2025, 2, 1), "new", 21), (D(2025, 3, 1), "new", 0), (D(2025, 4, 1), "new", 40),
    ]
    assert series["month"].is_unique().all()
    chosen = flagged.filter("in_monthly_series").select("source_id", "month").sort("month").rows()
    assert chosen == [("old", D(2025, 1, 1)), ("new", D(2025, 2, 1)), ("new", D(2025, 4, 1))]
    # A plain sum of the series equals the old export's January plus the new export's whole months; a sum of
    # every export's rows would count February and April twice.
    assert series["employees"].sum() == 10 + 21 + 40
    assert flagged["employees"].sum() == 10 + 20 + 30 + 5 + 21 + 40 + 7


def test_two_refreshes_at_once_both_finish_and_a_killed_one_leaves_whole_tables(upstream, tmp_path):
    import signal
    import subprocess
    import sys
    import time

    curated = tmp_path / "curated"
    cmd = [sys.executable, "-m", "talentgap", "refresh", "--upstream", str(upstream), "--curated", str(curated)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    before = snapshot(curated / "refreshed")
    # New inputs (a changed FEDFUNDS file, its manifest row updated) give different tables.
    files = upstream / "files"
    (files / "FEDFUNDS.csv").write_text(FEDFUNDS + "2015-03-01,0.11\n")
    manifest = upstream / "manifest.csv"
    manifest.write_text(manifest.read_text().replace(hashlib.sha256(FEDFUNDS.encode()).hexdigest(), hashlib.sha256((files / "FEDFUNDS.csv").read_bytes()).hexdigest()))
    assert refresh_cli(upstream, tmp_path / "other") == 0
    after = snapshot(tmp_path / "other" / "refreshed")
    assert after != before
    for delay in (0.2, 0.4, 0.6, 0.8, 1.0, 1.2):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert snapshot(curated / "refreshed") in (before, after)  # never a mix of the two
    assert refresh_cli(upstream, curated) == 0
    assert sorted(p.name for p in curated.iterdir()) == [".refreshed.lock", "refreshed"]


def refresh_cli(upstream: Path, curated: Path) -> int:
    return main(["refresh", "--upstream", str(upstream), "--curated", str(curated)])


def test_an_unreadable_file_or_a_row_the_ingest_cannot_read_fails_with_file_and_row(upstream, tmp_path, capsys):
    files = upstream / "files"
    manifest = upstream / "manifest.csv"
    text = manifest.read_text()
    (files / "FEDFUNDS.csv").write_bytes(b"\x00\x9f binary \x1b]0;title\x07")
    (files / "cpiai.csv").write_text("Date,Index\n2016-01-01,abc\n2016-02-01,240.1\n")
    for name, old in (("FEDFUNDS.csv", FEDFUNDS), ("cpiai.csv", CPI_DATAHUB)):
        text = text.replace(hashlib.sha256(old.encode()).hexdigest(), hashlib.sha256((files / name).read_bytes()).hexdigest())
    manifest.write_text(text)
    code, out, err = refresh(capsys, upstream, tmp_path / "curated")
    assert code == 1 and out == "" and "2 problem(s); nothing was written." in err
    lines = [line.split() for line in err.splitlines()]
    assert ["cpiai.csv", "1", "quarantined:", "cpi_u_index:", "type:", "must", "be", "a", "number"] in lines
    assert any(line[:4] == ["manifest.csv", "2", "upstream_file", "ingest"] for line in lines)
    assert "\x1b" not in err and "\x00" not in err  # input shown escaped, never raw
    assert not (tmp_path / "curated" / "refreshed").exists()


def test_a_revised_vintage_is_kept_beside_the_first_never_mixed(upstream, tmp_path, capsys):
    """Indeed revises its history: two vintages of one series stay two sets of rows, each with its vintage."""
    files = upstream / "files"
    revised = "date,jobcountry,AI_share_postings\n2019-01-01,US,1.6\n2019-01-01,GB,2.25\n"
    (files / "AI_posting_revised.csv").write_text(revised)
    with open(upstream / "manifest.csv", "a", newline="") as fh:
        row = _row("test-ai-revised", "indeed", "AI_posting_revised.csv", hashlib.sha256(revised.encode()).hexdigest(), "2026-08-21")
        csv.DictWriter(fh, list(row), lineterminator="\n").writerow(row)
    code, _, err = refresh(capsys, upstream, tmp_path / "curated")
    assert code == 0, err
    daily = pl.read_csv(tmp_path / "curated" / "refreshed" / "postings_daily.csv", try_parse_dates=True)
    us = daily.filter(pl.col("country_code") == "US").sort("vintage").select("vintage", "value", "source_id").rows()
    assert us == [(D(2026, 7, 21), 1.5, "test-ai"), (D(2026, 8, 21), 1.6, "test-ai-revised")]


def test_a_refreshed_folder_holding_a_users_file_is_refused_and_left_alone(upstream, tmp_path, capsys):
    curated = tmp_path / "curated"
    assert refresh(capsys, upstream, curated)[0] == 0
    (curated / "refreshed" / "notes.txt").write_text("mine")
    before = snapshot(curated / "refreshed")
    code, out, err = refresh(capsys, upstream, curated)
    assert code == 1 and out == ""
    assert "refused: holds files refresh did not write (move them away first); nothing was written" in err and "notes.txt" in err
    assert snapshot(curated / "refreshed") == before


def test_refresh_goes_ahead_in_a_new_folder_where_a_run_started_first_has_made_only_its_lock(upstream, tmp_path, capsys):
    """Two refreshes of a new --curated folder started at once: the later one finds the earlier one's lock file
    (and staging folder) there, and waits for it instead of refusing the folder."""
    from talentgap.paths import refresh_lock
    from talentgap.refresh import STAGING_MARKER, STAGING_PREFIX

    curated = tmp_path / "new-curated"
    curated.mkdir()
    refresh_lock(curated).touch()
    (curated / f"{STAGING_PREFIX}x").mkdir()
    (curated / f"{STAGING_PREFIX}x" / STAGING_MARKER).touch()
    code = main(["refresh", "--curated", str(curated), "--upstream", str(upstream)])
    assert code == 0, capsys.readouterr().err
    assert (curated / "refreshed").is_dir()
    # A folder of that name holding a user's file is not a run's: such a folder is still refused, untouched.
    mine = tmp_path / "mine"
    (mine / f"{STAGING_PREFIX}y").mkdir(parents=True)
    (mine / f"{STAGING_PREFIX}y" / "notes.txt").write_text("mine")
    assert main(["refresh", "--curated", str(mine), "--upstream", str(upstream)]) == 1
    assert "refused: not a curated folder" in capsys.readouterr().err
    assert sorted(str(p.relative_to(mine)) for p in mine.rglob("*")) == [f"{STAGING_PREFIX}y", f"{STAGING_PREFIX}y/notes.txt"]
