"""`talentgap update` against a loopback server standing in for the publishers' latest addresses."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest

from talentgap import paths
from talentgap.cli import main
from talentgap.refresh import read_manifest
from talentgap.update import update

from .loopback import Loopback
from .test_fetch import SHARED_FILES, manifest_rows_beside, shared_file, write_manifest

TODAY = dt.date(2026, 12, 5)
CPI = b"Date,Index,Inflation\n2014-12-01,234.812,-0.56\n2015-01-01,233.707,-0.47\n"
RATES = b"observation_date,FEDFUNDS\n2015-01-01,0.11\n2015-02-01,0.11\n"
RATES_NEW = RATES + b"2015-03-01,0.11\n"
AI = b"date,jobcountry,AI_share_postings\n2019-01-01,US,1.5\n"
LATEST = {
    "cpi": "https://raw.example.org/datasets/cpi-us/main/data/cpiai.csv",
    "rates": "https://fred.example.org/graph/fredgraph.csv?id=FEDFUNDS",
    "indeed": "https://raw.example.org/hiring-lab/ai-tracker/main/AI_posting.csv",
}


def _row(source_id, kind, name, data, vintage=""):
    return {
        "source_id": source_id, "upstream_kind": kind, "upstream_file": name, "vintage": vintage,
        "title": f"test {name}", "publisher": "Test", "url": "https://example.org/data", "date_published": "",
        "date_accessed": "2026-11-20", "license": "Public domain", "copy_repository": "owner/repo",
        "copy_commit": "0" * 40, "copy_path": f"data/{name}", "copy_sha256": hashlib.sha256(data).hexdigest(),
        "notes": "", "latest_url": LATEST[kind],
    }


@pytest.fixture
def upstream(tmp_path) -> Path:
    up = tmp_path / "upstream"
    write_manifest(up, [
        _row("test-cpi", "cpi", "cpiai.csv", CPI),
        _row("test-fedfunds-2026-07", "rates", "FEDFUNDS.csv", RATES),
        _row("test-ai-2026-07-21", "indeed", "2026-07-21_AI_posting.csv", AI, "2026-07-21"),
    ])
    (up / "files").mkdir()
    for name, data in (("cpiai.csv", CPI), ("FEDFUNDS.csv", RATES), ("2026-07-21_AI_posting.csv", AI)):
        (up / "files" / name).write_bytes(data)
    return up


@pytest.fixture
def server():
    s = Loopback(files={
        "/datasets/cpi-us/main/data/cpiai.csv": CPI,
        "/graph/fredgraph.csv?id=FEDFUNDS": RATES_NEW,
        "/hiring-lab/ai-tracker/main/AI_posting.csv": AI,
    }).start()
    yield s
    s.stop()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_one_changed_file_adds_exactly_one_row_and_one_file_and_leaves_the_rest(upstream, server):
    manifest_before = (upstream / "manifest.csv").read_bytes()
    files_before = snapshot(upstream / "files")
    results = update(upstream, base=server.base, today=TODAY)
    assert [(r.series, r.status) for r in results] == [
        ("test-cpi", "unchanged"), ("test-fedfunds", "new vintage"), ("test-ai", "unchanged")]
    manifest_after = (upstream / "manifest.csv").read_bytes()
    assert manifest_after.startswith(manifest_before)  # every existing row kept byte for byte
    added = list(csv.DictReader(manifest_after[len(manifest_before):].decode().splitlines(),
                                fieldnames=manifest_before.decode().splitlines()[0].split(",")))
    assert len(added) == 1
    row = added[0]
    assert row["source_id"] == "test-fedfunds-2026-12-05" and row["upstream_file"] == "2026-12-05_test-fedfunds.csv"
    assert row["vintage"] == row["date_accessed"] == "2026-12-05" and row["upstream_kind"] == "rates"
    assert row["copy_sha256"] == hashlib.sha256(RATES_NEW).hexdigest() and row["latest_url"] == LATEST["rates"]
    assert row["copy_commit"] == "" and "talentgap update" in row["notes"]
    files_after = snapshot(upstream / "files")
    assert set(files_after) - set(files_before) == {"2026-12-05_test-fedfunds.csv"}
    assert files_after["2026-12-05_test-fedfunds.csv"] == RATES_NEW
    assert all(files_after[n] == d for n, d in files_before.items())
    # The same file again is now one of the series' rows: nothing changes.
    again = update(upstream, base=server.base, today=TODAY + dt.timedelta(days=1))
    assert [r.status for r in again] == ["unchanged"] * 3
    assert (upstream / "manifest.csv").read_bytes() == manifest_after


@pytest.mark.parametrize("trouble, message", [("missing", "HTTP 404"), ("slow", "timed out after 0.5 s"),
                                              ("truncated", "truncated"), ("html", "does not read as rates")])
def test_a_404_a_timeout_a_truncated_or_unreadable_file_fails_clearly_and_changes_nothing(
        upstream, server, capsys, trouble, message):
    path = "/graph/fredgraph.csv?id=FEDFUNDS"
    if trouble == "missing":
        del server.files[path]
    elif trouble == "html":
        server.files[path] = b"<html><body>Service unavailable</body></html>\n"
    else:
        getattr(server, trouble).add(path)
    server.delay_seconds = 2.0
    manifest_before = (upstream / "manifest.csv").read_bytes()
    files_before = snapshot(upstream / "files")
    code = main(["update", "--upstream", str(upstream), "--from", server.base, "--timeout", "0.5"])
    out = capsys.readouterr()
    assert code == 1
    assert message in out.out and "test-fedfunds" in out.out and "failed" in out.out, out.out
    assert "3 series checked: 2 unchanged, 0 new vintage, 1 failed" in out.out
    assert "Traceback" not in out.err
    assert (upstream / "manifest.csv").read_bytes() == manifest_before
    assert snapshot(upstream / "files") == files_before


def test_refresh_reads_only_the_newest_vintage_of_a_series_but_every_indeed_vintage(upstream, server, tmp_path, capsys):
    server.files["/hiring-lab/ai-tracker/main/AI_posting.csv"] = AI + b"2019-01-02,US,1.75\n"
    update(upstream, base=server.base, today=TODAY)
    curated = tmp_path / "curated"
    assert main(["refresh", "--upstream", str(upstream), "--curated", str(curated)]) == 0, capsys.readouterr().err
    refreshed = curated / "refreshed"
    rates = list(csv.DictReader(open(refreshed / "rates.csv")))
    assert {r["source_id"] for r in rates} == {"test-fedfunds-2026-12-05"} and len(rates) == 3
    postings = list(csv.DictReader(open(refreshed / "postings_daily.csv")))
    assert {r["source_id"] for r in postings} == {"test-ai-2026-07-21", "test-ai-2026-12-05"}
    sources = {r["source_id"] for r in csv.DictReader(open(refreshed / "sources.csv"))}
    assert {"test-fedfunds-2026-07", "test-fedfunds-2026-12-05"} <= sources  # provenance of both kept


def test_fetch_gets_a_kept_vintage_back_from_its_latest_address_while_the_bytes_are_the_same(upstream, server, capsys):
    update(upstream, base=server.base, today=TODAY)
    kept = upstream / "files" / "2026-12-05_test-fedfunds.csv"
    kept.unlink()
    assert main(["fetch", "--upstream", str(upstream), "--from", server.base]) == 0, capsys.readouterr().err
    assert kept.read_bytes() == RATES_NEW
    kept.unlink()
    server.files["/graph/fredgraph.csv?id=FEDFUNDS"] = RATES_NEW + b"2015-04-01,0.12\n"  # the publisher moved on
    assert main(["fetch", "--upstream", str(upstream), "--from", server.base]) == 1
    assert "differs from the manifest" in capsys.readouterr().err and not kept.exists()


def test_a_manifest_without_latest_url_still_reads_and_has_no_series(tmp_path, server, capsys):
    up = tmp_path / "upstream"
    row = _row("test-cpi", "cpi", "cpiai.csv", CPI)
    del row["latest_url"]
    write_manifest(up, [row])
    code = main(["update", "--upstream", str(up), "--from", server.base])
    assert code == 0 and "0 series checked" in capsys.readouterr().out
    assert server.requests == []


@pytest.mark.skipif(not SHARED_FILES.is_dir(), reason="the publishers' files are not on this machine (../shared/upstream/files)")
def test_update_then_refresh_and_build_give_a_release_whose_diff_names_the_new_rows(tmp_path, capsys):
    """`make update` in miniature: a new FEDFUNDS vintage reaches the release, and the diff says where."""
    up = tmp_path / "upstream"
    beside, missing = manifest_rows_beside()
    write_manifest(up, beside)  # NOTE: a manifest file missing here is left out of this run
    (up / "files").mkdir()
    for name in read_manifest(up / "manifest.csv")["upstream_file"]:
        shutil.copy(shared_file(name), up / "files" / name)
    curated = tmp_path / "curated"
    shutil.copytree(paths.curated_dir(), curated)
    fedfunds = (SHARED_FILES / "FEDFUNDS.csv").read_bytes()
    # NOTE: a made-up next vintage (only in this test's temporary folder): the last month's value revised.
    *head, last = fedfunds.rstrip(b"\n").split(b"\n")
    month = last.split(b",")[0]
    revised = b"\n".join([*head, month + b",9.99"]) + b"\n"
    rows = list(csv.DictReader(open(up / "manifest.csv", newline="", encoding="utf-8")))
    served = {}
    for r in rows:
        if r["latest_url"]:
            from urllib.parse import urlsplit
            parts = urlsplit(r["latest_url"])
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            served[path] = revised if r["upstream_file"] == "FEDFUNDS.csv" else shared_file(r["upstream_file"]).read_bytes()
    server = Loopback(files=served).start()
    try:
        assert main(["update", "--upstream", str(up), "--from", server.base]) == 0
    finally:
        server.stop()
    out = capsys.readouterr().out
    assert out.count("new vintage") == 2  # the FEDFUNDS row, and the summary line
    assert main(["refresh", "--upstream", str(up), "--curated", str(curated)]) == 0
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    rates = (curated / "refreshed" / "rates.csv").read_text()
    assert f"FEDFUNDS,{month.decode()},9.99,fred-fedfunds-{today}\n" in rates
    if missing:
        _add_committed_rows(curated / "refreshed", {r["source_id"] for r in manifest_rows_all() if r["upstream_file"] in missing})
    release = tmp_path / "release"
    assert main(["build", "--curated", str(curated), "--release", str(release), "--seeds", str(paths.seeds_dir())]) == 0
    capsys.readouterr()
    assert main(["diff", str(paths.release_dir()), str(release), "--limit", "0"]) == 0
    diff = capsys.readouterr().out
    assert f"+ FEDFUNDS | {month.decode()} | fred-fedfunds-{today}" in diff
    assert f"+ fred-fedfunds-{today}" in diff
    assert f"- FEDFUNDS | {month.decode()} | fred-fedfunds-2026-07" in diff  # the older vintage leaves the table
    assert "rates: rows" in diff and "sources: rows" in diff


def manifest_rows_all() -> list[dict]:
    with open(paths.ROOT / "data" / "upstream" / "manifest.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _add_committed_rows(refreshed: Path, source_ids: set[str]) -> None:
    """Append to each refreshed table the committed rows of `source_ids` (the sources of files missing here).

    NOTE: without every manifest file a table is left empty and build refuses it; the missing files' rows are
    taken as committed so that the release half of the test still runs.
    """
    for committed in sorted((paths.curated_dir() / "refreshed").glob("*.csv")):
        rows = list(csv.DictReader(open(committed, newline="", encoding="utf-8")))
        kept = [r for r in rows if r.get("source_id") in source_ids]
        if not kept:
            continue
        target = refreshed / committed.name
        with open(target, "a" if target.is_file() else "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
            if fh.tell() == 0:
                writer.writeheader()
            writer.writerows(kept)


OEWS_TEMPLATE = "https://www.bls.gov/oes/special-requests/oesm{yy}nat.zip"


def _oews_upstream(tmp_path: Path, data: bytes) -> Path:
    up = tmp_path / "oews-upstream"
    rows = []
    for year in (2024, 2025):
        row = _row(f"bls-oews-national-m{year}", "cpi", f"national_M{year}_dl.xlsx", data)
        row.update(upstream_kind="oews", url=f"https://www.bls.gov/oes/special-requests/oesm{year % 100}nat.zip",
                   title=f"OEWS national estimates, May {year} (national_M{year}_dl.xlsx)", latest_url=OEWS_TEMPLATE)
        rows.append(row)
    write_manifest(up, rows)
    return up


def test_a_next_period_not_yet_published_is_unchanged_not_failed(tmp_path, server, capsys):
    up = _oews_upstream(tmp_path, b"placeholder")
    before = (up / "manifest.csv").read_bytes()
    assert main(["update", "--upstream", str(up), "--from", server.base]) == 0
    out = capsys.readouterr().out
    assert "oesm*nat.zip  unchanged  no file for 2026 yet (HTTP 404" in out
    assert ("/oes/special-requests/oesm26nat.zip", None) in server.requests
    assert (up / "manifest.csv").read_bytes() == before


@pytest.mark.skipif(not SHARED_FILES.is_dir(), reason="the publishers' files are not on this machine (../shared/upstream/files)")
def test_the_next_oews_workbook_is_found_by_its_name_unzipped_and_fetched_again(tmp_path, server, capsys):
    import io
    import zipfile

    # NOTE: the May 2025 workbook stands in for May 2026's, in this test's temporary folder only.
    workbook = (SHARED_FILES / "national_M2025_dl.xlsx").read_bytes()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("oesm26nat/national_M2026_dl.xlsx", workbook)
        z.writestr("oesm26nat/field_descriptions.xlsx", b"other")
    server.files["/oes/special-requests/oesm26nat.zip"] = archive.getvalue()
    up = _oews_upstream(tmp_path, workbook)
    before = (up / "manifest.csv").read_bytes()
    results = update(up, base=server.base, today=TODAY)
    assert [(r.status, r.row["source_id"]) for r in results] == [("new vintage", "bls-oews-national-m2026")]
    row = results[0].row
    assert row["upstream_file"] == "national_M2026_dl.xlsx" and row["url"] == "https://www.bls.gov/oes/special-requests/oesm26nat.zip"
    assert row["title"] == "OEWS national estimates, May 2026 (national_M2026_dl.xlsx)"
    assert row["copy_sha256"] == hashlib.sha256(workbook).hexdigest()
    assert (up / "manifest.csv").read_bytes().startswith(before)
    kept = up / "files" / "national_M2026_dl.xlsx"
    assert kept.read_bytes() == workbook
    kept.unlink()
    # fetch reads the row's own address (the zip) and keeps only the workbook inside
    assert main(["fetch", "--upstream", str(up), "--from", server.base, "--files", str(up / "files")]) == 1  # 2024/2025 absent
    assert kept.read_bytes() == workbook
