"""`talentgap fetch` against a loopback mirror: sha256 checked, resumes, never replaces, clear network errors."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

from talentgap import paths
from talentgap.cli import main

from .loopback import Loopback

SHARED_FILES = paths.ROOT.parent / "shared" / "upstream" / "files"
SHARED_CANDIDATES = paths.ROOT.parent / "shared" / "upstream" / "candidates"


def shared_file(name: str):
    """A manifest file as laid beside the repository: in shared/upstream/files, else in its candidates folder."""
    first = SHARED_FILES / name
    return first if first.is_file() else SHARED_CANDIDATES / name


def manifest_rows_beside() -> tuple[list[dict], list[str]]:
    """The real manifest's rows whose file is beside the repository, and the names of those that are not.

    NOTE: CI's shared folder is fixed while the manifest grows: a file added later is missing there, and the
    tests that serve or read every manifest file run on the others instead of failing or skipping whole.
    """
    rows = list(csv.DictReader(open(paths.ROOT / "data" / "upstream" / "manifest.csv", newline="", encoding="utf-8")))
    beside = [r for r in rows if shared_file(r["upstream_file"]).is_file()]
    return beside, [r["upstream_file"] for r in rows if r not in beside]
COMMIT = "a" * 40
FILES = {
    "cpiai.csv": b"Date,Index,Inflation\n2014-12-01,234.812,-0.56\n2015-01-01,233.707,-0.47\n",
    "FEDFUNDS.csv": b"observation_date,FEDFUNDS\n2015-01-01,0.11\n2015-02-01,0.11\n",
    "AI_posting.csv": b"date,jobcountry,AI_share_postings\n2019-01-01,US,1.5\n" * 2000,
}


def _row(name: str, data: bytes, **changes) -> dict:
    row = {
        "source_id": f"test-{name.split('.')[0].lower().replace('_', '-')}", "upstream_kind": "cpi", "upstream_file": name,
        "vintage": "", "title": f"test {name}", "publisher": "Test", "url": "https://example.org/data",
        "date_published": "", "date_accessed": "2026-11-20", "license": "Public domain", "copy_repository": "owner/repo",
        "copy_commit": COMMIT, "copy_path": f"data/{name}", "copy_sha256": hashlib.sha256(data).hexdigest(), "notes": "",
        "latest_url": "",
    }
    row.update(changes)
    return row


def write_manifest(folder: Path, rows: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "manifest.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def mirror():
    server = Loopback(files={f"/owner/repo/{COMMIT}/data/{n}": d for n, d in FILES.items()}).start()
    yield server
    server.stop()


@pytest.fixture
def upstream(tmp_path) -> Path:
    write_manifest(tmp_path / "upstream", [_row(n, d) for n, d in FILES.items()])
    return tmp_path / "upstream"


def fetch(capsys, upstream: Path, base: str, *extra: str) -> tuple[int, str]:
    code = main(["fetch", "--upstream", str(upstream), "--from", base, *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_fetch_downloads_every_missing_file_checks_it_and_a_rerun_downloads_nothing(upstream, mirror, capsys):
    code, out = fetch(capsys, upstream, mirror.base)
    assert code == 0, out
    assert "0 present, 3 fetched, 0 differs, 0 failed" in out
    for name, data in FILES.items():
        assert (upstream / "files" / name).read_bytes() == data
    assert sorted(p.name for p in (upstream / "files").iterdir() if p.name != ".fetch.lock") == sorted(FILES)  # no partial left
    asked = len(mirror.requests)
    code, out = fetch(capsys, upstream, mirror.base)
    assert code == 0 and "3 present, 0 fetched" in out and len(mirror.requests) == asked


def test_a_file_present_with_other_bytes_is_reported_and_never_replaced(upstream, mirror, capsys):
    files = upstream / "files"
    files.mkdir()
    (files / "cpiai.csv").write_bytes(b"mine\n")
    code, out = fetch(capsys, upstream, mirror.base)
    assert code == 1 and "cpiai.csv: differs" in out and "not replaced" in out
    assert (files / "cpiai.csv").read_bytes() == b"mine\n"
    assert (files / "FEDFUNDS.csv").read_bytes() == FILES["FEDFUNDS.csv"]  # the others still come


def test_bytes_with_another_sha256_are_discarded(upstream, mirror, capsys):
    mirror.files[f"/owner/repo/{COMMIT}/data/cpiai.csv"] = b"Date,Index,Inflation\n2014-12-01,999,0\n"
    code, out = fetch(capsys, upstream, mirror.base)
    assert code == 1 and "cpiai.csv: failed" in out and "differs from the manifest" in out
    assert not any(p.name.endswith("cpiai.csv") for p in (upstream / "files").iterdir())


@pytest.mark.parametrize("trouble, message", [("missing", "HTTP 404"), ("slow", "timed out after 0.5 s"),
                                              ("truncated", "truncated")])
def test_network_errors_are_clear_and_leave_nothing_under_a_final_name(upstream, mirror, capsys, trouble, message):
    path = f"/owner/repo/{COMMIT}/data/AI_posting.csv"
    if trouble == "missing":
        del mirror.files[path]
    else:
        getattr(mirror, trouble).add(path)
    mirror.delay_seconds = 2.0
    code, out = fetch(capsys, upstream, mirror.base, "--timeout", "0.5")
    assert code == 1 and message in out, out
    assert not (upstream / "files" / "AI_posting.csv").exists()
    assert (upstream / "files" / "cpiai.csv").is_file()  # the other files are kept


def test_an_interrupted_download_resumes_where_it_stopped(upstream, mirror, capsys):
    path = f"/owner/repo/{COMMIT}/data/AI_posting.csv"
    mirror.truncated.add(path)
    code, _ = fetch(capsys, upstream, mirror.base)
    partial = upstream / "files" / ".partial-AI_posting.csv"
    assert code == 1 and 0 < partial.stat().st_size < len(FILES["AI_posting.csv"])
    kept = partial.stat().st_size
    mirror.truncated.clear()
    code, out = fetch(capsys, upstream, mirror.base)
    assert code == 0, out
    assert (path, f"bytes={kept}-") in mirror.requests  # asked only for the rest
    assert (upstream / "files" / "AI_posting.csv").read_bytes() == FILES["AI_posting.csv"]
    assert not partial.exists()


def test_a_mirror_folder_works_like_a_mirror_address(upstream, tmp_path, capsys):
    folder = tmp_path / "mirror"
    for name, data in FILES.items():
        dest = folder / "owner" / "repo" / COMMIT / "data" / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    code, out = fetch(capsys, upstream, str(folder))
    assert code == 0 and "3 fetched" in out
    assert (upstream / "files" / "FEDFUNDS.csv").read_bytes() == FILES["FEDFUNDS.csv"]


def test_a_copy_path_climbing_out_of_the_mirror_is_refused(tmp_path, capsys):
    secret = tmp_path / "secret.csv"
    secret.write_bytes(FILES["cpiai.csv"])
    up = tmp_path / "upstream"
    write_manifest(up, [_row("cpiai.csv", FILES["cpiai.csv"], copy_path="../../../../secret.csv")])
    (tmp_path / "mirror").mkdir()
    code, out = fetch(capsys, up, str(tmp_path / "mirror"))
    assert code == 1 and "refused" in out and not (up / "files" / "cpiai.csv").exists()


def test_an_unreachable_server_is_a_clear_message(upstream, capsys):
    code, out = fetch(capsys, upstream, "http://127.0.0.1:9", "--timeout", "2")
    assert code == 1 and "cannot connect" in out and "Traceback" not in out


@pytest.mark.skipif(not SHARED_FILES.is_dir(), reason="the publishers' files are not on this machine (../shared/upstream/files)")
def test_the_real_manifest_is_fetched_byte_for_byte_from_a_loopback_mirror(tmp_path, capsys):
    rows, _missing = manifest_rows_beside()
    server = Loopback(files={
        f"/{r['copy_repository']}/{r['copy_commit']}/{r['copy_path']}": shared_file(r["upstream_file"]).read_bytes()
        for r in rows
    }).start()
    try:
        upstream = tmp_path / "upstream"
        upstream.mkdir()
        write_manifest(upstream, rows)
        code, out = fetch(capsys, upstream, server.base)
    finally:
        server.stop()
    assert code == 0, out
    assert f"0 present, {len(rows)} fetched" in out
    for r in rows:
        assert (upstream / "files" / r["upstream_file"]).read_bytes() == shared_file(r["upstream_file"]).read_bytes()
