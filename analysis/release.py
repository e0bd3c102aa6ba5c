"""Write a release directory (CSV + Parquet + datapackage.json) atomically, and verify one."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import polars as pl

from talentgap.schemas.frictionless import table_schema
from talentgap.schemas.tables import PACKAGE_NAME, PACKAGE_TITLE, PACKAGE_VERSION, RELEASE_DATE, TABLES

from .failures import Failure
from .hashing import sha256_file

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


def _resource_sources(df: pl.DataFrame, sources: pl.DataFrame) -> list[dict]:
    if "source_id" not in df.columns:
        return []
    used = sources.filter(pl.col("source_id").is_in(df["source_id"].drop_nulls().unique().implode()))
    return [{"title": t, "path": u} for t, u in used.sort("source_id").select("title", "url").iter_rows()]


def datapackage(tables: dict[str, pl.DataFrame], out: Path) -> dict:
    """The Frictionless descriptor of the files already written in `out`."""
    sources = tables["sources"]
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


def recover(target: Path) -> None:
    """Finish or undo a swap that was interrupted: the previous release comes back whole."""
    old = target.with_name(target.name + ".old")
    if not target.exists() and old.exists():
        os.rename(old, target)
    for stale in target.parent.glob(f"{target.name}.tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)
    if old.exists() and target.exists():
        shutil.rmtree(old, ignore_errors=True)


def write_release(tables: dict[str, pl.DataFrame], target: Path) -> dict:
    """Write every table to a temporary directory, then swap it in for `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        for name in TABLES:
            if name in tables:
                write_table(tables[name], name, tmp)
        descriptor = datapackage(tables, tmp)
        text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
        (tmp / DATAPACKAGE).write_text(text, encoding="utf-8")
        for path in tmp.iterdir():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = target.with_name(target.name + ".old")
    if target.exists():
        os.rename(target, old)
    os.rename(tmp, target)
    shutil.rmtree(old, ignore_errors=True)
    return descriptor


def hash_failures(release: Path) -> list[Failure]:
    """Every release file must have the size and sha256 that datapackage.json records."""
    failures = []
    descriptor = json.loads((release / DATAPACKAGE).read_text(encoding="utf-8"))
    listed = {DATAPACKAGE}
    for res in descriptor["resources"]:
        for entry in (res, res.get(PARQUET_KEY, {})):
            if not entry:
                continue
            path = release / entry["path"]
            listed.add(entry["path"])
            if not path.exists():
                failures.append(Failure(entry["path"], None, None, "file: missing from release", ""))
                continue
            actual = f"sha256:{sha256_file(path)}"
            if actual != entry["hash"]:
                failures.append(Failure(entry["path"], None, None, "hash: sha256 differs from datapackage.json", actual))
            if path.stat().st_size != entry["bytes"]:
                failures.append(
                    Failure(entry["path"], None, None, "bytes: size differs from datapackage.json", str(path.stat().st_size))
                )
    for path in sorted(release.iterdir()):
        if path.name not in listed:
            failures.append(Failure(path.name, None, None, "file: not listed in datapackage.json", ""))
    return failures
