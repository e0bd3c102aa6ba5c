"""`talentgap update`: look for a newer file of every series the manifest gives a `latest_url`.

Rows of data/upstream/manifest.csv sharing a `latest_url` form one series. The file served there is
downloaded; if its sha256 equals a row of the series, nothing changes. Otherwise it must read with the
series' ingest (a publisher's error page is not a vintage); it is then kept as a new file named after
the date it was fetched, and one row is appended to the manifest (existing rows are never changed).
`--from BASE` swaps the scheme and host of every `latest_url` for BASE, so tests use a loopback server.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from . import download as dl
from . import locks
from .failures import ValidationError, format_failures
from .hashing import sha256_bytes
from .refresh import MANIFEST, READERS, read_manifest, upstream_dir
from .safe_text import escape

DATE_SUFFIX = re.compile(r"-\d{4}-\d{2}(-\d{2})?$")
VINTAGE_TITLE = re.compile(r", vintage fetched \d{4}-\d{2}-\d{2}$")


@dataclass
class SeriesResult:
    series: str
    latest_url: str
    status: str  # unchanged, new vintage, failed
    detail: str = ""
    row: dict | None = None


def series_of(manifest: pl.DataFrame) -> dict[str, list[dict]]:
    """Rows grouped by `latest_url`, in the order the series first appear."""
    groups: dict[str, list[dict]] = {}
    for entry in manifest.iter_rows(named=True):
        if entry.get("latest_url"):
            groups.setdefault(entry["latest_url"], []).append(entry)
    return groups


def newest(rows: list[dict]) -> dict:
    """The row a new vintage copies its description from.

    NOTE: newest by vintage, then date_published, then date_accessed; a tie goes to the later row.
    """
    def key(r):
        return tuple(r.get(k) or dt.date.min for k in ("vintage", "date_published", "date_accessed"))
    return max(enumerate(rows), key=lambda ir: (key(ir[1]), ir[0]))[1]


def series_name(rows: list[dict]) -> str:
    """The series' name: its newest row's source_id without a trailing date."""
    return DATE_SUFFIX.sub("", newest(rows)["source_id"])


def new_row(rows: list[dict], sha: str, url: str, today: dt.date) -> dict:
    """The manifest row of a new vintage: the series' description, today's date, no copy (read at the source)."""
    base = newest(rows)
    name = series_name(rows)
    suffix = Path(base["upstream_file"]).suffix
    return {
        **base,
        "source_id": f"{name}-{today.isoformat()}",
        "upstream_file": f"{today.isoformat()}_{name}{suffix}",
        "vintage": today,
        "title": f"{VINTAGE_TITLE.sub('', base['title'])}, vintage fetched {today.isoformat()}",
        "date_published": None,
        "date_accessed": today,
        # NOTE: read from the latest address, not a commit: there is no copy to name, only the bytes' sha256.
        "copy_repository": None, "copy_commit": None, "copy_path": None,
        "copy_sha256": sha,
        "notes": f"Fetched from {url} by talentgap update on {today.isoformat()}; not yet reviewed by a curator.",
        "latest_url": url,
    }


def _check_reads(row: dict, path: Path) -> str | None:
    """Why the file does not read as its series' kind, or None when it reads cleanly."""
    from .ingest.common import IngestError

    try:
        _, result = READERS[row["upstream_kind"]](row, path)
    except (IngestError, ValidationError) as err:
        return f"does not read as {row['upstream_kind']}: {escape(err)[:200]}"
    if result.quarantine.height:
        return f"{result.quarantine.height} row(s) the {row['upstream_kind']} ingest cannot read"
    return None


def _keep(row: dict, data: bytes, files: Path) -> None:
    """Write the new vintage's file (never replacing one), after checking that it reads."""
    dest = files / row["upstream_file"]
    if dest.exists():
        raise dl.DownloadError(f"{dest} already exists; not replaced")
    part = dl.partial_path(dest)
    part.write_bytes(data)
    try:
        reason = _check_reads(row, part)
    finally:
        part.unlink(missing_ok=True)
    if reason:
        raise dl.DownloadError(reason)
    dl.write_new(dest, data)


# A latest_url holding {yyyy} or {yy} names each period's file by its year (BLS: oesm25nat.zip): update
# looks for the year after the newest row's, read from the rows' own `url` by the same pattern.
PLACEHOLDER = re.compile(r"\{(yyyy|yy)\}")


def is_template(url: str | None) -> bool:
    return bool(url and PLACEHOLDER.search(url))


def fill(template: str, year: int) -> str:
    return template.replace("{yyyy}", f"{year:04d}").replace("{yy}", f"{year % 100:02d}")


def period_of(template: str, url: str) -> int | None:
    """The year `url` stands for under `template`, or None when it does not follow it."""
    pattern = re.escape(template).replace(re.escape("{yyyy}"), r"(?P<yyyy>\d{4})").replace(re.escape("{yy}"), r"(?P<yy>\d{2})")
    m = re.fullmatch(pattern, url or "")
    if not m:
        return None
    # NOTE: two-digit years are read as 20YY (the series start after 2000).
    return int(m["yyyy"]) if m.groupdict().get("yyyy") else 2000 + int(m["yy"])


def next_period_row(base_row: dict, base_year: int, year: int, template: str, sha: str, today: dt.date) -> dict:
    """The row of the next period's file: the newest row's description with its year moved on."""
    old, new = str(base_year), str(year)
    # NOTE: the year is replaced wherever the newest row writes it (source_id, file name, title).
    return {
        **base_row,
        "source_id": base_row["source_id"].replace(old, new) if old in base_row["source_id"] else f"{base_row['source_id']}-{new}",
        "upstream_file": base_row["upstream_file"].replace(old, new),
        "vintage": today,
        "title": base_row["title"].replace(old, new),
        "url": fill(template, year),
        "date_published": None,
        "date_accessed": today,
        "copy_repository": None, "copy_commit": None, "copy_path": None,
        "copy_sha256": sha,
        "notes": f"Next period's file fetched from {fill(template, year)} by talentgap update on {today.isoformat()}; not yet reviewed by a curator.",
        "latest_url": template,
    }


def check_next_period(template: str, rows: list[dict], manifest: pl.DataFrame, files: Path, base: str | None,
                      today: dt.date, timeout: float) -> SeriesResult:
    name = PLACEHOLDER.sub("*", Path(template).name)
    years = {r["source_id"]: period_of(template, r["url"]) for r in rows}
    bad = [sid for sid, y in years.items() if y is None]
    if bad:
        return SeriesResult(name, template, "failed", f"row {bad[0]}: its url does not follow {template}")
    base_id, base_year = max(years.items(), key=lambda kv: kv[1])
    base_row = next(r for r in rows if r["source_id"] == base_id)
    year = base_year + 1
    url = fill(template, year)
    source = dl.rebase(url, base) if base is not None else url
    try:
        data = dl.download_bytes(source, timeout)
    except dl.DownloadError as err:
        if err.status == 404:
            return SeriesResult(name, template, "unchanged", f"no file for {year} yet (HTTP 404 at {escape(source)})")
        return SeriesResult(name, template, "failed", str(err))
    row = next_period_row(base_row, base_year, year, template, "", today)
    if row["upstream_file"] == base_row["upstream_file"] or row["source_id"] in set(manifest["source_id"]):
        return SeriesResult(name, template, "failed", f"cannot name the {year} file apart from {base_id}'s")
    try:
        unpack = dl.zip_address(url) and not row["upstream_file"].lower().endswith(".zip")
        payload = dl.zip_member(data, row["upstream_file"], source) if unpack else data
        row["copy_sha256"] = sha256_bytes(payload)
        _keep(row, payload, files)
    except dl.DownloadError as err:
        return SeriesResult(name, template, "failed", str(err))
    return SeriesResult(name, template, "new vintage", f"{year}: {len(payload):,} bytes, kept as {row['upstream_file']}", row)


def check_series(url: str, rows: list[dict], manifest: pl.DataFrame, files: Path, base: str | None,
                 today: dt.date, timeout: float) -> SeriesResult:
    if is_template(url):
        return check_next_period(url, rows, manifest, files, base, today, timeout)
    name = series_name(rows)
    source = dl.rebase(url, base) if base is not None else url
    try:
        data = dl.download_bytes(source, timeout)
    except dl.DownloadError as err:
        return SeriesResult(name, url, "failed", str(err))
    if not data.strip():
        return SeriesResult(name, url, "failed", f"{escape(source)}: empty file")
    sha = sha256_bytes(data)
    if sha in {r["copy_sha256"] for r in rows}:
        return SeriesResult(name, url, "unchanged", f"sha256 {sha[:12]} is row {next(r['source_id'] for r in rows if r['copy_sha256'] == sha)}")
    row = new_row(rows, sha, url, today)
    if row["source_id"] in set(manifest["source_id"]):
        return SeriesResult(name, url, "failed", f"a row {row['source_id']} already exists with other bytes (run again tomorrow)")
    try:
        _keep(row, data, files)
    except dl.DownloadError as err:
        return SeriesResult(name, url, "failed", str(err))
    return SeriesResult(name, url, "new vintage", f"{len(data):,} bytes, sha256 {sha[:12]}, kept as {row['upstream_file']}", row)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def append_rows(manifest_path: Path, rows: list[dict], today: dt.date) -> None:
    """Append rows to the manifest, keeping every existing byte; the result is validated before it replaces the file."""
    old = manifest_path.read_bytes()
    header = next(csv.reader(io.StringIO(old.decode("utf-8"))))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in header])
    new = old + (b"" if old.endswith(b"\n") else b"\n") + out.getvalue().encode("utf-8")
    tmp = manifest_path.with_name(f".{manifest_path.name}.partial-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(new)
            fh.flush()
            os.fsync(fh.fileno())
        read_manifest(tmp, today)  # raises ValidationError: the manifest is left as it was
        os.replace(tmp, manifest_path)
    finally:
        tmp.unlink(missing_ok=True)


def update(upstream: Path | None = None, files: Path | None = None, base: str | None = None,
           today: dt.date | None = None, timeout: float = dl.TIMEOUT_SECONDS) -> list[SeriesResult]:
    """Check every series; keep new vintages and append their rows. One result per series."""
    upstream = upstream or upstream_dir()
    files = files or upstream / "files"
    today = today or dt.datetime.now(dt.timezone.utc).date()
    path = upstream / MANIFEST
    with locks.locked(upstream / ".manifest.lock", message="talentgap update: another update is running; waiting for it"):
        manifest = read_manifest(path, today)
        files.mkdir(parents=True, exist_ok=True)
        results = [check_series(url, rows, manifest, files, base, today, timeout) for url, rows in series_of(manifest).items()]
        kept = [r for r in results if r.row is not None]
        if kept:
            try:
                append_rows(path, [r.row for r in kept], today)
            except ValidationError as err:
                for r in kept:
                    (files / r.row["upstream_file"]).unlink(missing_ok=True)
                    r.status, r.detail, r.row = "failed", "the new manifest row does not validate:\n" + format_failures(err.failures), None
    return results


def format_results(results: list[SeriesResult]) -> str:
    rows = [("series", "status", "detail")] + [(r.series, r.status, r.detail) for r in results]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    lines = [f"{a.ljust(widths[0])}  {b.ljust(widths[1])}  {c}".rstrip() for a, b, c in rows]
    lines.insert(1, f"{'-' * widths[0]}  {'-' * widths[1]}  ------")
    counts = {s: sum(r.status == s for r in results) for s in ("unchanged", "new vintage", "failed")}
    lines.append(f"{len(results)} series checked: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    return "\n".join(lines)
