"""The Python API: load a released table as a polars DataFrame."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from talentgap.schemas.tables import TABLES

from . import paths


def load(name: str, release: Path | str | None = None) -> pl.DataFrame:
    """Load a table of the release (Parquet) by name, e.g. `talentgap.load("layoff_events")`."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; tables: {', '.join(TABLES)}")
    directory = Path(release) if release is not None else paths.release_dir()
    path = directory / f"{name}.parquet"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: run `talentgap build` first")
    return pl.read_parquet(path)


def tables() -> list[str]:
    """Names of the tables in the release, in order."""
    return list(TABLES)
