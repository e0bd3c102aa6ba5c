"""Write a release directory (CSV + Parquet + datapackage.json) atomically, and verify one."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

from talentgap.schemas.frictionless import table_schema
from talentgap.schemas.tables import PACKAGE_NAME, PACKAGE_TITLE, PACKAGE_VERSION, RELEASE_DATE, TABLES

from . import locks
from .failures import Failure
from .hashing import sha256_file
from .safe_text import escape

OUR_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International (our curation and code-derived tables)",
}
DATAPACKAGE = "datapackage.json"
PARQUET_KEY = "talentgap:parquet"


def _file_entry(path: Path) -> dict:
    return {"bytes": path.stat().st_size, "hash": f"sha256:{sha256_file(path)}"}


def write_table(df: pl.DataFrame, name: str, out: Path) -> None:
    """One table as CSV and Parquet, rows sorted by primary key, columns in registry order."""
    table = TABLES[name]
    df = df.select(table.fields).sort(list(table.primary_key), nulls_last=True, maintain_order=True)
    df.write_csv(out / f"{name}.csv", date_format="%Y-%m-%d", line_terminator="\n")
    # NOTE: statistics and compression fixed so that the bytes depend only on the data.
    df.write_parquet(out / f"{name}.parquet", compression="zstd", compression_level=10, statistics=True)


def _resource_sources(df: pl.DataFrame, sources: dict[str, tuple[str, str]]) -> list[dict]:
    """The sources a table's rows cite, by source_id: {title, path} each. `sources`: source_id -> (title, url)."""
    if "source_id" not in df.columns:
        return []
    used = sorted(set(df["source_id"].drop_nulls().unique().to_list()) & sources.keys())
    return [{"title": sources[s][0], "path": sources[s][1]} for s in used]


def datapackage(tables: dict[str, pl.DataFrame], out: Path) -> dict:
    """The Frictionless descriptor of the files already written in `out`."""
    sources = {s: (t, u) for s, t, u in tables["sources"].select("source_id", "title", "url").iter_rows()}
    resources = []
    for name in TABLES:
        if name not in tables:
            continue
        t = TABLES[name]
        res = {
            "name": name,
            "title": t.title,
            "description": t.description + (f" {t.notes}" if t.notes else ""),
            "path": f"{name}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            **_file_entry(out / f"{name}.csv"),
            "schema": table_schema(name),
            "sources": _resource_sources(tables[name], sources),
            "talentgap:schema_version": t.schema_version,
            "talentgap:origin": t.origin,
            PARQUET_KEY: {"path": f"{name}.parquet", **_file_entry(out / f"{name}.parquet")},
        }
        resources.append(res)
    return {
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "version": PACKAGE_VERSION,
        "created": f"{RELEASE_DATE}T00:00:00Z",
        "licenses": [OUR_LICENSE],
        "description": (
            "Sourced, validated tables on tech layoffs, pay, occupations, worker confidence and "
            "demand for AI skills, 2022-2026. Each source keeps its own terms (see the sources table's "
            "license column); the curation is released under CC-BY-4.0."
        ),
        "resources": resources,
    }


class ReleaseRefused(Exception):
    """`build` will not replace this folder: it is not a talentgap release, or holds files no build wrote."""


MARKER = ".talentgap-staging"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def write_lock(target: Path) -> Path:
    """Held for a whole build: one writer at a time per release folder."""
    return target.parent / f".{target.name}.write.lock"


def staging_dir(target: Path) -> Path:
    """Where a build writes before the swap; holds only what builds made (it carries MARKER)."""
    return target.parent / f".{target.name}.staging"


@contextlib.contextmanager
def reading(target: Path) -> Iterator[None]:
    """Read a release whole: a build's swap waits until the block ends, and the block waits for a swap.

    NOTE: the lock is a shared flock on the release folder itself, so a reader (verify, load, a wheel's
    packaged release) writes nothing anywhere; the swap takes it exclusively for an instant.
    """
    with locks.folder_locked(Path(target), shared=True):
        yield


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))



def swap_in(new: Path, target: Path, parking: Path) -> None:
    """Put folder `new` in place of `target`; the old `target`, if any, ends up at `new`.

    One renameat2 exchange where the system has it; otherwise two renames through `parking`, so a kill
    between them leaves the old folder at `parking` (the caller's next run puts it back).
    """
    if not target.exists():
        os.rename(new, target)
    elif not _exchange(new, target):
        os.rename(target, parking)
        os.rename(new, target)
        os.rename(parking, new)
    locks.fsync_dir(target.parent)


def release_files(directory: Path) -> set[str] | None:
    """Names of the files a talentgap release in `directory` says it holds, or None if it is not one."""
    try:
        descriptor = json.loads((directory / DATAPACKAGE).read_text(encoding="utf-8"))
        if descriptor.get("name") != PACKAGE_NAME:
            return None
        names = {DATAPACKAGE}
        for res in descriptor["resources"]:
            for entry in (res, res.get(PARQUET_KEY) or {}):
                if "path" in entry:
                    names.add(entry["path"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    # NOTE: a path that is not a plain file name (absolute, `..`, a sub-folder) never came from a build:
    # the folder is not one we may replace, and nothing it names outside itself is ever touched.
    if not all(_plain_name(n) for n in names):
        return None
    return names


def _plain_name(name: object) -> bool:
    """A file name of this folder: no separator, not `.` or `..`, not empty."""
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name and "\\" not in name and "\0" not in name


def refusal(target: Path) -> str | None:
    """Why `build` must not replace `target`, or None when it may (absent, empty, or a release of ours)."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        return f"{target} exists and is not a folder"
    if not target.exists():
        return None
    present = {p.name for p in target.iterdir()}
    if not present:
        return None
    listed = release_files(target)
    if listed is None:
        return f"{target} is not a talentgap release (no talentgap datapackage.json): choose another --release folder"
    foreign = sorted(n for n in present if n not in listed or (target / n).is_dir())
    if foreign:
        shown = ", ".join(escape(n) for n in foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        return f"{target} holds files that no build wrote ({shown}): move them away first"
    return None


def _discard_old(old: Path, listed: set[str] | None, target: Path) -> None:
    """Remove a replaced release: only the files its datapackage.json lists; anything else is kept aside."""
    for name in listed or ():
        if not _plain_name(name):
            continue  # never reached (release_files refuses such names); kept as a second lock on the door
        with contextlib.suppress(FileNotFoundError, IsADirectoryError):
            (old / name).unlink()
    try:
        old.rmdir()
    except OSError:
        keep = target.with_name(f"{target.name}.kept-{os.getpid()}")
        os.rename(old, keep)
        print(f"talentgap build: files added to {target} during the build were kept in {keep}", flush=True)


def _prepare_staging(target: Path) -> Path:
    """The staging folder, emptied of what killed builds left (we hold the write lock: no live build uses it)."""
    staging = staging_dir(target)
    if staging.exists() and not (staging / MARKER).is_file():
        raise ReleaseRefused(f"{staging} exists but was not made by talentgap build: move it away")
    staging.mkdir(exist_ok=True)
    (staging / MARKER).touch()
    for left in staging.iterdir():
        if left.name == MARKER:
            continue
        if left.name.startswith("old-") and not target.exists():
            # NOTE: a build killed between the two renames of the fallback swap: the old release comes back.
            os.rename(left, target)
        else:
            shutil.rmtree(left) if left.is_dir() else left.unlink()
    return staging


def _write_all(tables: dict[str, pl.DataFrame], tmp: Path) -> dict:
    names = [name for name in TABLES if name in tables]
    # NOTE: polars sorts and writes without holding the GIL, so two tables are written at a time;
    # each file's bytes depend only on its table.
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda name: write_table(tables[name], name, tmp), names))
    descriptor = datapackage(tables, tmp)
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    (tmp / DATAPACKAGE).write_text(text, encoding="utf-8")
    for path in tmp.iterdir():
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
    locks.fsync_dir(tmp)
    return descriptor


def write_release(tables: dict[str, pl.DataFrame], target: Path) -> dict:
    """Write every table to a staging folder, then swap it in for `target` in one step.

    One build at a time per target (write lock); readers holding the read lock finish first, and
    never see a gap: the swap is one renameat2(RENAME_EXCHANGE) where the system has it.
    """
    target = Path(target)
    # NOTE: checked before anything is made, so a refused target (/, a home folder) gets no lock file beside it.
    reason = refusal(target)
    if reason:
        raise ReleaseRefused(reason)
    target.parent.mkdir(parents=True, exist_ok=True)
    with locks.locked(write_lock(target), message=f"talentgap build: another build is writing {target}; waiting for it"):
        reason = refusal(target)
        if reason:
            raise ReleaseRefused(reason)
        staging = _prepare_staging(target)
        tmp = staging / f"new-{os.getpid()}"
        tmp.mkdir()
        try:
            descriptor = _write_all(tables, tmp)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        old_listed = release_files(target) if target.exists() else None
        with locks.folder_locked(target):
            swap_in(tmp, target, staging / f"old-{os.getpid()}")
        if tmp.exists():
            _discard_old(tmp, old_listed, target)
        shutil.rmtree(staging)
    return descriptor


def missing_message(target: Path) -> str:
    """What to say when a release folder is absent (an interrupted fallback swap is named as such)."""
    staging = staging_dir(target)
    if staging.is_dir() and any(p.name.startswith("old-") for p in staging.iterdir()):
        return f"{target} is missing: a build was killed while swapping; the next `talentgap build` restores or replaces it"
    return f"{target} not found: run `talentgap build` first"


def read_descriptor(release: Path) -> tuple[dict | None, list[Failure]]:
    """datapackage.json parsed, or the reason it cannot be (never an exception)."""
    path = release / DATAPACKAGE
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None, [Failure(DATAPACKAGE, None, None, "file: missing from release", escape(release))]
    except UnicodeDecodeError as err:
        return None, [Failure(DATAPACKAGE, None, None, "json: not UTF-8", f"byte offset {err.start}")]
    except OSError as err:
        return None, [Failure(DATAPACKAGE, None, None, "file: cannot be read", escape(err))]
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as err:
        return None, [Failure(DATAPACKAGE, None, None, "json: not valid JSON (corrupt or partial)", f"line {err.lineno} column {err.colno}: {err.msg}")]
    except RecursionError:
        return None, [Failure(DATAPACKAGE, None, None, "json: nested too deeply to be a data package", "")]
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return None, [Failure(DATAPACKAGE, None, None, "json: not a data package (no resources list)", "")]
    return descriptor, []


def _entries(res: dict) -> list[tuple[dict, str]]:
    """A resource's CSV entry and its Parquet entry, each with the only path it may have."""
    name = res.get("name")
    out = [(res, f"{name}.csv")]
    parquet = res.get(PARQUET_KEY)
    out.append((parquet if isinstance(parquet, dict) else {}, f"{name}.parquet"))
    return out


def structure_failures(descriptor: dict) -> list[Failure]:
    """Every resource names a known table once, in a confined path; every published table is there."""
    failures = []
    seen = []
    for i, res in enumerate(descriptor["resources"]):
        if not isinstance(res, dict) or not isinstance(res.get("name"), str):
            failures.append(Failure(DATAPACKAGE, None, f"resources[{i}]", "descriptor: resource without a name", ""))
            continue
        name = res["name"]
        if name not in TABLES:
            failures.append(Failure(DATAPACKAGE, None, escape(name), "descriptor: not a table of the registry", ""))
            continue
        if name in seen:
            failures.append(Failure(DATAPACKAGE, None, name, "descriptor: table listed twice", ""))
        seen.append(name)
        for entry, expected in _entries(res):
            if entry.get("path") != expected:
                failures.append(
                    Failure(DATAPACKAGE, None, name, f"path: must be {expected} inside the release folder", escape(entry.get("path")))
                )
            elif not isinstance(entry.get("hash"), str) or not isinstance(entry.get("bytes"), int):
                failures.append(Failure(DATAPACKAGE, None, name, f"descriptor: {expected} has no hash or bytes", ""))
    for name, t in TABLES.items():
        if t.origin != "ingested" and name not in seen:
            failures.append(Failure(f"{name}.csv", None, None, "table: missing from release (the registry expects it)", ""))
    return failures


def hash_failures(release: Path, descriptor: dict | None = None) -> list[Failure]:
    """Every release file must have the size and sha256 that datapackage.json records; nothing unlisted."""
    if descriptor is None:
        descriptor, failures = read_descriptor(release)
        if descriptor is None:
            return failures
    failures = structure_failures(descriptor)
    listed = {DATAPACKAGE}
    for res in descriptor["resources"]:
        if not isinstance(res, dict) or res.get("name") not in TABLES:
            continue
        for entry, expected in _entries(res):
            if entry.get("path") != expected or not isinstance(entry.get("hash"), str):
                continue
            listed.add(expected)
            path = release / expected
            if not path.is_file():
                failures.append(Failure(expected, None, None, "file: missing from release", ""))
                continue
            actual = f"sha256:{sha256_file(path)}"
            if actual != entry["hash"]:
                failures.append(Failure(expected, None, None, "hash: sha256 differs from datapackage.json", actual))
            if path.stat().st_size != entry.get("bytes"):
                failures.append(
                    Failure(expected, None, None, "bytes: size differs from datapackage.json", str(path.stat().st_size))
                )
    for path in sorted(release.iterdir()):
        if path.name not in listed:
            failures.append(Failure(escape(path.name), None, None, "file: not listed in datapackage.json", ""))
    return failures


def order_failures(tables: dict[str, pl.DataFrame]) -> list[Failure]:
    """Every table's rows in primary-key order, as write_table writes them (the first row out of place)."""
    failures = []
    for name, df in tables.items():
        key = list(TABLES[name].primary_key)
        order = df.select(pl.int_range(pl.len()).alias("_i"), *key).sort(key, nulls_last=True, maintain_order=True)["_i"]
        misplaced = (order != pl.int_range(len(order), eager=True)).arg_true()
        if len(misplaced):
            failures.append(Failure(f"{name}.csv", int(misplaced[0]) + 1, ", ".join(key), "order: rows must be sorted by the primary key, as build writes them", ""))
    return failures


def descriptor_failures(actual: dict, expected: dict) -> list[Failure]:
    """Every key of datapackage.json must equal what the registry generates for the same files."""
    failures = []
    for key in sorted(set(actual) | set(expected)):
        if key != "resources" and actual.get(key) != expected.get(key):
            failures.append(Failure(DATAPACKAGE, None, escape(key), "descriptor: differs from what the registry generates", escape(actual.get(key))[:200]))
    by_name = {r["name"]: r for r in actual["resources"]}
    for res in expected["resources"]:
        got = by_name.get(res["name"], {})
        for key in sorted(set(got) | set(res)):
            if got.get(key) != res.get(key):
                failures.append(
                    Failure(DATAPACKAGE, None, f"{res['name']}.{escape(key)}", "descriptor: differs from what the registry generates", escape(got.get(key))[:200])
                )
    if [r["name"] for r in actual["resources"]] != [r["name"] for r in expected["resources"]]:
        failures.append(Failure(DATAPACKAGE, None, "resources", "descriptor: tables not in registry order", ""))
    return failures
