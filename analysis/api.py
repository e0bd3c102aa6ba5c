"""The Python API: load a released table as a polars DataFrame, checked against its release."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

from talentgap.schemas.polars_types import polars_schema
from talentgap.schemas.tables import TABLES

from . import paths
from . import release as rel
from .hashing import sha256_bytes
from .safe_text import escape


class ReleaseError(Exception):
    """A release file is missing, tampered with, damaged or not what the registry describes."""


class ReleaseMissing(ReleaseError, FileNotFoundError):
    """The release, or the table asked for, is not there."""


def _descriptor(directory: Path) -> dict:
    if not directory.is_dir():
        raise ReleaseMissing(rel.missing_message(directory))
    descriptor, failures = rel.read_descriptor(directory)
    if descriptor is None:
        f = failures[0]
        raise ReleaseError(f"{directory / rel.DATAPACKAGE}: {f.rule} {f.value}".rstrip())
    return descriptor


def _parquet_entry(descriptor: dict, name: str, directory: Path) -> dict:
    for res in descriptor["resources"]:
        if isinstance(res, dict) and res.get("name") == name:
            entry = res.get(rel.PARQUET_KEY)
            if not isinstance(entry, dict) or entry.get("path") != f"{name}.parquet" or not isinstance(entry.get("hash"), str):
                raise ReleaseError(f"{directory / rel.DATAPACKAGE}: the entry of {name}.parquet is damaged")
            return entry
    if TABLES[name].origin == "ingested":
        raise ReleaseMissing(
            f"{name} is an ingested table and {directory} does not include it: build an extended release with "
            "`talentgap build --with DIR --release OUT` and load it with release=OUT"
        )
    raise ReleaseMissing(f"{directory / rel.DATAPACKAGE} lists no table {name}")


def _check_schema(df: pl.DataFrame, name: str, path: Path) -> None:
    expected = polars_schema(name)
    if dict(df.schema) != expected:
        got = ", ".join(f"{c}: {t}" for c, t in df.schema.items())
        want = ", ".join(f"{c}: {t}" for c, t in expected.items())
        raise ReleaseError(f"{path}: columns differ from the registry (found {escape(got)}; expected {want})")


def load(name: str, release: Path | str | None = None) -> pl.DataFrame:
    """Load a table of the release (Parquet) by name, e.g. `talentgap.load("layoff_events")`.

    The bytes returned are the bytes whose sha256 is checked against the release's datapackage.json
    (on every call), and their columns are checked against the registry; ReleaseError names the file
    and what is wrong. `release=PATH` loads from another release folder (an extended release made with --with).
    """
    if not isinstance(name, str) or name not in TABLES:
        raise ReleaseError(f"unknown table {escape(repr(name))}; tables: {', '.join(TABLES)}")
    directory = Path(release) if release is not None else paths.release_dir()
    path = directory / f"{name}.parquet"
    with rel.reading(directory):
        entry = _parquet_entry(_descriptor(directory), name, directory)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ReleaseMissing(f"{path}: missing, though {rel.DATAPACKAGE} lists it") from None
        # NOTE: hashed on every call, never cached on size and mtime: same-size bytes written with the
        # old mtime restored would pass such a cache. Hashing is ~2 ms for the largest file.
        if f"sha256:{sha256_bytes(data)}" != entry["hash"]:
            raise ReleaseError(f"{path}: sha256 differs from {rel.DATAPACKAGE} (changed or swapped after the build)")
    try:
        df = pl.read_parquet(io.BytesIO(data))
    except Exception as err:  # polars raises several error types for a damaged file
        raise ReleaseError(f"{path}: not a readable Parquet file ({escape(str(err).splitlines()[0])})") from None
    _check_schema(df, name, path)
    return df


def tables() -> list[str]:
    """Names of the published tables (curated and derived), in release order."""
    return [n for n, t in TABLES.items() if t.origin != "ingested"]


def ingested_tables(release: Path | str | None = None) -> list[str]:
    """Names of the ingested tables that a release (an extended one, made with --with) includes."""
    directory = Path(release) if release is not None else paths.release_dir()
    with rel.reading(directory):
        names = {r.get("name") for r in _descriptor(directory)["resources"] if isinstance(r, dict)}
    return [n for n, t in TABLES.items() if t.origin == "ingested" and n in names]
