"""`talentgap refresh`: rebuild the curated tables that come from publishers' own data files.

Every file is listed in `data/upstream/manifest.csv` (its kind, provenance and sha256); the files
themselves are not committed (a whole third-party file never is) and are looked for in
`data/upstream/files/` or `--files DIR`. Each is read by the same ingest code as `talentgap ingest`,
and the subset the release needs is written to `data/curated/refreshed/`, together with each file's
row of `sources`. Nothing is written unless every file is present, has its recorded sha256, and reads.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from talentgap.schemas.polars_types import polars_schema
from talentgap.schemas.tables import TABLES

from . import locks, paths
from .curated import read_curated
from .failures import Failure, ValidationError
from .hashing import sha256_file
from .safe_text import escape
from .release import swap_in
from .validate import schema_failures

MANIFEST = "manifest.csv"
# NOTE: every detailed occupation, the major groups and the total are kept (public domain): the report
# follows the tech occupations of transforms.ROLE_GROUPS, and the AI-exposure analysis needs them all.
OCCUPATION_GROUPS_KEPT = ("total", "major", "detailed")
SOURCE_COLUMNS = TABLES["sources"].fields


@dataclass
class FileReport:
    """What one file gave: rows read, kept, quarantined, and the ingest's notes."""

    source_id: str
    file: str
    rows_read: int
    rows_out: dict[str, int]
    quarantined: int
    notes: list[str]


def upstream_dir() -> Path:
    return Path(os.environ.get("TALENTGAP_UPSTREAM", paths.ROOT / "data" / "upstream"))


def read_manifest(path: Path, today: dt.date | None = None) -> pl.DataFrame:
    """The manifest, validated; raises ValidationError with every failure."""
    df, failures, raw = read_curated("upstream_manifest", path)
    if not failures:
        failures += schema_failures("upstream_manifest", df, path.name, today, raw=raw)
    if failures:
        raise ValidationError(failures)
    return df


def check_files(manifest: pl.DataFrame, files: Path) -> list[Failure]:
    """Every listed file present with the sha256 the manifest records."""
    failures = []
    for row, (name, expected) in enumerate(manifest.select("upstream_file", "copy_sha256").iter_rows(), start=1):
        path = files / name
        if not path.is_file():
            failures.append(Failure(MANIFEST, row, "upstream_file", f"file: not found in {files}", name))
            continue
        actual = sha256_file(path)
        if actual != expected:
            failures.append(Failure(MANIFEST, row, "copy_sha256", "sha256: the file's bytes differ from the manifest (a newer file needs its own manifest row)", actual))
    return failures


def _occupations(entry: dict, path: Path) -> tuple[dict[str, pl.DataFrame], object]:
    from .ingest import oews

    result = oews.ingest(path)
    top_code = oews.applied_top_code(path, result.accepted)
    rows = result.accepted.filter(pl.col("occupation_group").is_in(OCCUPATION_GROUPS_KEPT)).with_columns(
        pl.lit(entry["source_id"]).alias("source_id"), pl.lit(None, pl.String).alias("notes"),
        pl.lit(top_code, pl.Float64).alias("wage_top_code_usd"),
    )
    return {"occupations": rows.select(TABLES["occupations"].fields)}, result


def _cpi(entry: dict, path: Path):
    from .ingest import monthly

    result = monthly.ingest_cpi(path, entry["source_id"])
    return {"cpi_monthly": result.accepted}, result


def _rates(entry: dict, path: Path):
    from .ingest import monthly

    result = monthly.ingest_rate(path, entry["source_id"])
    return {"rates": result.accepted}, result


def _indeed(entry: dict, path: Path):
    from .ingest import indeed

    if entry["vintage"] is None:
        raise ValidationError([Failure(MANIFEST, None, "vintage", "required: an Indeed file needs its vintage", entry["source_id"])])
    result = indeed.ingest(path, entry["source_id"], entry["vintage"])
    return {"postings_daily": result.accepted}, result


def _layoffs(entry: dict, path: Path):
    from .ingest import layoffs_fyi
    from .ingest import layoffs_fyi_totals as totals

    if entry["vintage"] is None:
        raise ValidationError([Failure(MANIFEST, None, "vintage", "required: a Layoffs.fyi export needs its vintage", entry["source_id"])])
    result = layoffs_fyi.ingest(path)
    events = result.accepted
    return {
        "layoffs_fyi_monthly_by_export": totals.monthly(events, entry["source_id"], entry["vintage"]),
        "layoffs_fyi_as_of": totals.as_of(events, entry["source_id"]),
    }, result


def _one_layoffs_series(parts: dict[str, list[pl.DataFrame]]) -> None:
    """Every export's monthly sums, flagged, and the one monthly series taken from them (in place)."""
    from .ingest import layoffs_fyi_totals as totals

    frames = parts.get("layoffs_fyi_monthly_by_export")
    if not frames:
        return
    flagged, series = totals.split(pl.concat(frames))
    parts["layoffs_fyi_monthly_by_export"] = [flagged]
    parts["layoffs_fyi_monthly"] = [series]


def _exposure(entry: dict, path: Path):
    from .ingest import exposure

    result = exposure.ingest(path, entry["source_id"])
    return {"ai_exposure": result.accepted}, result


def _applicability(entry: dict, path: Path):
    from .ingest import applicability

    result = applicability.ingest(path, entry["source_id"])
    return {"ai_applicability": result.accepted}, result


def _labour_series(table: str):
    def read(entry: dict, path: Path):
        from .ingest import labour

        # NOTE: a `date,value` copy of a FRED series names its series only through the FRED address in `url`.
        result = labour.ingest_series(path, table, entry["source_id"], series=labour.series_from_address(entry["url"]))
        return {table: result.accepted}, result

    return read


def _sce(entry: dict, path: Path):
    from .ingest import labour

    result = labour.ingest_sce(path, entry["source_id"])
    return {labour.SCE_TABLE: result.accepted}, result


def _indeed_state(entry: dict, path: Path):
    from .ingest import indeed_state

    if entry["vintage"] is None:
        raise ValidationError([Failure(MANIFEST, None, "vintage", "required: an Indeed file needs its vintage", entry["source_id"])])
    result = indeed_state.ingest(path, entry["source_id"], entry["vintage"])
    return {indeed_state.TABLE: result.accepted}, result


READERS = {"ai-applicability": _applicability, "exposure": _exposure, "oews": _occupations, "cpi": _cpi, "rates": _rates, "indeed": _indeed, "layoffs-fyi": _layoffs}
READERS.update({"ces": _labour_series("ces_employment"), "cps": _labour_series("cps_unemployment"), "sce": _sce, "indeed-state": _indeed_state})
READERS["sentiment"] = _labour_series("consumer_sentiment")
REFRESHED = [name for name, t in TABLES.items() if paths.REFRESHED_DIR in t.inputs]


# NOTE: GitHub accounts run by the publishers themselves: a file read there is the publisher's own
# (source_tier publisher); a file read from anyone else's repository is a copy of it.
PUBLISHER_ACCOUNTS = frozenset({"hiring-lab", "microsoft", "openai"})


def sources_rows(manifest: pl.DataFrame) -> pl.DataFrame:
    """Each file's row of `sources`: the manifest's provenance columns, kind publisher_file, and its tier."""
    owner = pl.col("copy_repository").str.split("/").list.first().str.to_lowercase()
    tier = pl.when(owner.is_in(list(PUBLISHER_ACCOUNTS))).then(pl.lit("publisher")).otherwise(pl.lit("copy"))
    return manifest.with_columns(pl.lit("publisher_file").alias("kind"), tier.alias("source_tier")).select(SOURCE_COLUMNS)


# Kinds whose tables keep every vintage side by side (the vintage is part of their rows' key).
ALL_VINTAGES_KINDS = ("indeed",)


def superseded(manifest: pl.DataFrame) -> set[str]:
    """source_ids of rows a newer vintage of the same series (same latest_url) replaces in the tables.

    NOTE: a series `talentgap update` follows gets one row per vintage; CPI, rates, OEWS and the like
    would otherwise hold each month once per vintage (and annual averages of 24 months). Only the
    newest vintage is read; the older rows stay in the manifest and in `sources` as provenance.
    Indeed's vintages are all kept: its rows carry their vintage.
    """
    from .update import is_template, newest, series_of

    if "latest_url" not in manifest.columns:
        return set()
    out = set()
    for url, rows in series_of(manifest).items():
        # NOTE: a {yyyy} series lists one file per period (OEWS May 2021, May 2022, ...): all are kept.
        if len(rows) > 1 and rows[0]["upstream_kind"] not in ALL_VINTAGES_KINDS and not is_template(url):
            keep = newest(rows)["source_id"]
            out |= {r["source_id"] for r in rows if r["source_id"] != keep}
    return out


def compute(manifest: pl.DataFrame, files: Path) -> tuple[dict[str, pl.DataFrame], list[FileReport]]:
    """Every refreshed table from the files, and what each file gave.

    Raises ValidationError, with every problem of every file, when a file cannot be read or has rows
    the ingest cannot normalise: a publisher's value silently missing from the release is worse than none.
    """
    from .ingest.common import IngestError

    parts: dict[str, list[pl.DataFrame]] = {name: [] for name in REFRESHED}
    reports, failures = [], []
    skipped = superseded(manifest)
    for row, entry in enumerate(manifest.iter_rows(named=True), start=1):
        if entry["source_id"] in skipped:
            continue
        path = files / entry["upstream_file"]
        try:
            frames, result = READERS[entry["upstream_kind"]](entry, path)
        except (IngestError, OSError, pl.exceptions.PolarsError) as err:
            # NOTE: any read failure is a failure row naming the file, never a traceback.
            failures.append(Failure(MANIFEST, row, "upstream_file", f"ingest {entry['upstream_kind']}: {escape(err)[:200]}", escape(entry["upstream_file"])))
            continue
        for q in result.quarantine.iter_rows(named=True):
            failures.append(Failure(entry["upstream_file"], q["source_row"], None, f"quarantined: {escape(q['reasons'])}", ""))
        for name, df in frames.items():
            parts[name].append(df)
        reports.append(FileReport(
            entry["source_id"], entry["upstream_file"], result.rows_read,
            {n: df.height for n, df in frames.items()}, result.quarantine.height, result.notes,
        ))
    if failures:
        raise ValidationError(failures)
    _one_layoffs_series(parts)
    tables = {"sources": sources_rows(manifest)}
    for name, frames in parts.items():
        if name == "sources":
            continue
        fields = TABLES[name].fields
        df = pl.concat([f.select(fields) for f in frames]) if frames else pl.DataFrame(schema=polars_schema(name))
        tables[name] = df.sort(list(TABLES[name].primary_key), nulls_last=True, maintain_order=True)
    return tables, reports



STAGING_MARKER = ".talentgap-refresh"


def _only_tables_name(name: str) -> bool:
    return name in {TABLES[n].curated_file for n in REFRESHED}


def _only_tables(folder: Path) -> bool:
    """A folder holding nothing but refreshed tables' CSVs (files refresh writes)."""
    return folder.is_dir() and all(p.is_file() and _only_tables_name(p.name) for p in folder.iterdir())


def write_refreshed(tables: dict[str, pl.DataFrame], target: Path) -> None:
    """Write every refreshed table to a staging folder, then swap it in for `target` whole.

    Under the refresh lock: a second refresh waits, and a build reading `target` never sees a mix.
    Staging folders left by killed runs carry our marker and are removed (no live run holds the lock).
    A `target` holding anything but refreshed tables is refused: its files are not ours to replace.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with locks.locked(paths.refresh_lock(target.parent), message=f"talentgap refresh: another run is using {target}; waiting for it"):
        if target.exists() and not _only_tables(target):
            foreign = sorted(p.name for p in target.iterdir() if not _only_tables_name(p.name)) if target.is_dir() else [target.name]
            raise ValidationError([Failure(
                target.name, None, None, "refused: holds files refresh did not write (move them away first); nothing was written",
                escape(", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")),
            )])
        _clear_stagings(target)
        # NOTE: a fresh, unique name (mkdtemp): never a folder someone else made.
        stage = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=target.parent))
        (stage / STAGING_MARKER).touch()
        new = stage / "new"
        new.mkdir()
        try:
            for name, df in sorted(tables.items()):
                path = new / TABLES[name].curated_file
                df.write_csv(path, date_format="%Y-%m-%d", line_terminator="\n")
                with open(path, "rb") as fh:
                    os.fsync(fh.fileno())
            # NOTE: the folder is swapped whole (one renameat2 exchange where the system has it), so a
            # kill leaves either the old tables or the new ones, never a mix. The old tables land in
            # `stage/new` (or `stage/old` in the fallback), inside our marked folder: a kill from here on
            # leaves them where the next run knows them as ours.
            swap_in(new, target, stage / "old")
        finally:
            _clear_staging(stage, target)


STAGING_PREFIX = ".refreshed.staging-"


def _clear_staging(stage: Path, target: Path) -> None:
    """Remove one staging folder of ours; a fallback swap cut between its renames is put back first."""
    if (stage / "old").is_dir() and not target.exists():
        os.rename(stage / "old", target)
    # NOTE: the marker goes last, so a kill midway leaves a folder the next run still knows as ours (or an
    # empty one, which it removes too).
    for child in stage.iterdir():
        if child.name != STAGING_MARKER:
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    (stage / STAGING_MARKER).unlink(missing_ok=True)
    stage.rmdir()


def _clear_stagings(target: Path) -> None:
    """What killed runs left beside `target` (the caller holds the refresh lock: no live run uses it).

    NOTE: only folders carrying our marker are removed. A folder of our name without it is a user's
    (or an empty one a kill left between mkdir and the marker: removed only if empty). Release 0.2.0
    left unmarked folders (`.refreshed.staging-old-PID`); they are left alone, as a user's would be.
    """
    for left in sorted(target.parent.glob(f"{STAGING_PREFIX}*")):
        if left.is_dir() and not left.is_symlink() and (left / STAGING_MARKER).is_file():
            _clear_staging(left, target)
        elif left.is_dir() and not left.is_symlink() and not any(left.iterdir()):
            left.rmdir()


def refresh(upstream: Path | None = None, files: Path | None = None, curated: Path | None = None,
            today: dt.date | None = None) -> list[FileReport]:
    """Validate the manifest and files, compute every refreshed table, write them; return the reports."""
    upstream = upstream or upstream_dir()
    files = files or upstream / "files"
    curated = curated or paths.curated_dir()
    _check_curated_folder(curated)
    manifest = read_manifest(upstream / MANIFEST, today)
    failures = check_files(manifest, files)
    if failures:
        raise ValidationError(failures)
    tables, reports = compute(manifest, files)
    write_refreshed(tables, curated / paths.REFRESHED_DIR)
    return reports


def _check_curated_folder(curated: Path) -> None:
    """`--curated` must be new, empty, or a curated folder (it has refreshed/ or sources.csv), before anything is made.

    NOTE: refresh writes refreshed/, its lock and its staging folder inside it; `--curated /` or a home
    folder would get them. A folder holding only those of a run that started first (its lock, its staging
    folder) counts as empty: two refreshes of a new folder started at once both go ahead, one after the other.
    """
    if not curated.exists():
        return
    others = [p for p in curated.iterdir() if not _a_runs_own(p, curated)] if curated.is_dir() else []
    if not curated.is_dir() or not (
        not others or (curated / paths.REFRESHED_DIR).is_dir() or (curated / TABLES["sources"].curated_file).is_file()
    ):
        raise ValidationError([Failure(escape(curated), None, None, "refused: not a curated folder (no refreshed/ or sources.csv); nothing was written", "")])


def _a_runs_own(path: Path, curated: Path) -> bool:
    """The refresh lock, or a staging folder of ours (marked, or still empty just after its mkdir)."""
    if path == paths.refresh_lock(curated):
        return True
    return (path.name.startswith(STAGING_PREFIX) and path.is_dir() and not path.is_symlink()
            and ((path / STAGING_MARKER).is_file() or not any(path.iterdir())))


def format_reports(reports: list[FileReport]) -> str:
    lines = []
    for r in reports:
        out = ", ".join(f"{n} {k:,}" for n, k in r.rows_out.items())
        lines.append(f"  {r.source_id}: {r.file}: {r.rows_read:,} rows read -> {out}; {r.quarantined:,} quarantined")
        lines += [f"      {n}" for n in r.notes]
    return "\n".join(lines)
