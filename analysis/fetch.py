"""`talentgap fetch`: download the publishers' files that data/upstream/manifest.csv lists and that are missing.

Each file comes from the public copy the manifest names (the repository's raw file at the recorded
commit) or, for a row without a copy, from its publisher's address; its sha256 must equal the
manifest's before it is kept. A file already present is checked, never replaced: one whose bytes
differ is reported. `--from BASE` reads from a mirror laid out as BASE/<copy_repository>/<copy_commit>/
<copy_path> (an address or a folder), so the tests can serve files from a loopback HTTP server.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from . import download as dl
from . import locks
from .hashing import sha256_file
from .safe_text import escape
from .update import is_template

RAW_GITHUB = "https://raw.githubusercontent.com"
LOCK = ".fetch.lock"


@dataclass
class FetchResult:
    """What happened to one manifest row's file."""

    source_id: str
    file: str
    status: str  # present, fetched, differs, failed
    detail: str = ""


def sources_for(entry: dict, base: str | None) -> list[str]:
    """Where the row's file may be read, in the order tried."""
    copy = all(entry.get(k) for k in ("copy_repository", "copy_commit", "copy_path"))
    if base is not None:
        if copy:
            return [dl.join(base, entry["copy_repository"], entry["copy_commit"], entry["copy_path"])]
        # NOTE: a row without a copy (a vintage `update` kept) is read from the mirror the way update reads it.
        address = entry["url"] if is_template(entry.get("latest_url")) else entry.get("latest_url")
        return [dl.rebase(address, base)] if address else []
    if copy:
        return [dl.join(RAW_GITHUB, entry["copy_repository"], entry["copy_commit"], entry["copy_path"])]
    # NOTE: without a copy, the publisher's current file is tried; it is kept only if its sha256 still
    # matches (publishers replace files in place, so an old vintage may no longer be served).
    latest = None if is_template(entry.get("latest_url")) else entry.get("latest_url")
    return [u for u in dict.fromkeys([latest, entry.get("url")]) if u]


def fetch_one(entry: dict, files: Path, base: str | None, timeout: float) -> FetchResult:
    name, expected = entry["upstream_file"], entry["copy_sha256"]
    dest = files / name
    if dest.exists():
        actual = sha256_file(dest) if dest.is_file() else "not a file"
        if actual == expected:
            return FetchResult(entry["source_id"], name, "present")
        return FetchResult(entry["source_id"], name, "differs",
                           f"{dest} is not the manifest's file (sha256 {actual}); left as it is, not replaced")
    try:
        sources = sources_for(entry, base)
    except dl.DownloadError as err:
        return FetchResult(entry["source_id"], name, "failed", str(err))
    if not sources:
        return FetchResult(entry["source_id"], name, "failed", "no address to read it from")
    errors = []
    for source in sources:
        try:
            got = dl.download(source, dest, expected, timeout, dl.stderr_progress(name), member=name)
        except dl.DownloadError as err:
            errors.append(str(err))
            continue
        return FetchResult(entry["source_id"], name, "fetched", f"{got.size_bytes:,} bytes from {escape(source)}")
    return FetchResult(entry["source_id"], name, "failed", "; ".join(errors))


def fetch(manifest: pl.DataFrame, files: Path, base: str | None = None, timeout: float = dl.TIMEOUT_SECONDS,
          log=None) -> list[FetchResult]:
    """Fetch every missing file of `manifest` into `files`; one result per row, in manifest order."""
    log = log or (lambda line: print(line, file=sys.stderr, flush=True))
    files.mkdir(parents=True, exist_ok=True)
    results = []
    rows = list(manifest.iter_rows(named=True))
    # NOTE: one fetch at a time per folder: two would append to the same partial file.
    with locks.locked(files / LOCK, message=f"talentgap fetch: another fetch is writing to {files}; waiting for it"):
        for i, entry in enumerate(rows, start=1):
            result = fetch_one(entry, files, base, timeout)
            shown = f" ({result.detail})" if result.detail and result.status == "fetched" else ""
            log(f"  [{i}/{len(rows)}] {escape(result.file)}: {result.status}{shown}")
            results.append(result)
    return results


def summary(results: list[FetchResult]) -> str:
    counts = {s: sum(r.status == s for r in results) for s in ("present", "fetched", "differs", "failed")}
    return ", ".join(f"{n} {s}" for s, n in counts.items())
