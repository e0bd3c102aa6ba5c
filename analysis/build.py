"""Validate every curated input, derive the computed tables, and write the release."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import polars as pl

from talentgap.schemas.tables import TABLES

from . import checks, locks, paths
from .curated import read_curated
from .failures import Failure, ValidationError
from .safe_text import escape
from . import release as rel
from .validate import schema_failures

CURATED = [name for name, t in TABLES.items() if t.origin in ("curated", "refreshed")]
INGESTED = [name for name, t in TABLES.items() if t.origin == "ingested"]


def load_checked(
    directory: Path, names: list[str], today: dt.date | None = None, seeds: Path | None = None, single: bool = False
) -> tuple[dict[str, pl.DataFrame], list[Failure]]:
    """Read and check tables from CSVs in `directory` (seed tables from `seeds` if given); collect every failure.

    `single`: each table is one file `<name>.csv` in `directory` (a release, an ingest folder).
    """
    tables, failures, _ = load_checked_and(directory, names, today, seeds, single)
    return tables, failures


def load_checked_and(
    directory: Path, names: list[str], today: dt.date | None = None, seeds: Path | None = None, single: bool = False,
    meanwhile=None,
) -> tuple[dict[str, pl.DataFrame], list[Failure], list[Future]]:
    """load_checked, and the steps `meanwhile(tables)` gives (functions of no argument) run while the tables are checked.

    The steps' futures are returned third, in order; none when not run (no `meanwhile`, or a file could not be
    read). Their results mean nothing unless no failure is found.
    """
    tables: dict[str, pl.DataFrame] = {}
    failures: list[Failure] = []
    futures = []
    # NOTE: tables are read, then checked, two at a time: polars reads and runs each table's checks without
    # holding the GIL. Results are gathered in registry order, so nothing depends on which finishes first.
    with ThreadPoolExecutor(max_workers=2) as pool:
        read = list(pool.map(lambda name: _read_table(name, directory, seeds, single), names))
        for name, parts in zip(names, read):
            tables[name] = pl.concat([df for _, df, _, _ in parts]) if len(parts) > 1 else parts[0][1]
        if meanwhile is not None and not any(errors for parts in read for _, _, errors, _ in parts):
            # NOTE: queued before the checks, the longest first, so that no step is left alone on one core at the end.
            futures = [pool.submit(step) for step in meanwhile(dict(tables))]
        checked = list(pool.map(lambda item: _check_table(item[0], item[1], today), zip(names, read)))
    for table_failures in checked:
        failures += table_failures
    failures += checks.foreign_key_failures(tables)
    failures += checks.source_url_failures(tables)
    if "layoff_events" in tables and "layoff_tracker_totals" in tables:
        failures += checks.event_sum_failures(tables["layoff_events"], tables["layoff_tracker_totals"])
    return tables, failures, futures


def _read_table(name: str, directory: Path, seeds: Path | None, single: bool) -> list[tuple]:
    """A table's input files read: (label, rows, read failures, the file as text) for each."""
    files = [(directory / TABLES[name].curated_file, TABLES[name].curated_file)] if single else input_files(name, directory, seeds)
    return [(label, *read_curated(name, path, label)) for path, label in files]


def _check_table(name: str, parts: list[tuple], today: dt.date | None) -> list[Failure]:
    """Each file's read failures, else its schema failures; then keys repeated across the table's files."""
    failures: list[Failure] = []
    for label, df, read_errors, raw in parts:
        failures += read_errors or schema_failures(name, df, label, today, raw=raw)
    if len(parts) > 1:
        failures += checks.cross_file_key_failures(name, [(label, df) for label, df, _, _ in parts])
    return failures


def input_files(name: str, directory: Path, seeds: Path | None = None) -> list[tuple[Path, str]]:
    """The files a table's input rows are read from, each with the name failures give it.

    Hand-kept rows live in `directory`; rows computed from publishers' files in `directory/refreshed`
    (named `refreshed/<table>.csv` in failures); seed tables in `seeds` when given.
    """
    table = TABLES[name]
    if seeds is not None and table.home == "seeds":
        return [(seeds / table.curated_file, table.curated_file)]
    files = []
    for folder in table.inputs:
        if folder == paths.REFRESHED_DIR:
            files.append((directory / folder / table.curated_file, f"{folder}/{table.curated_file}"))
        else:
            files.append((directory / table.curated_file, table.curated_file))
    return files


def derive_steps(tables: dict[str, pl.DataFrame]) -> list:
    """The derived tables as independent steps (each a function of no argument giving some of them), longest first.

    Each step reads only the input tables, so the steps may run at once.
    """
    from .claims import check_claims  # local: claims needs the other tables loaded

    steps = []
    if "cpi_monthly" in tables and "occupations" in tables:
        if "ai_exposure" in tables:
            steps.append(lambda: derive_exposure(tables))
        steps.append(lambda: derive_primary(tables))
    if "claims" in tables:
        steps.append(lambda: {"claim_checks": check_claims(tables)})
    steps.append(lambda: {"flags": checks.revision_flags(tables["layoff_tracker_totals"])})
    return steps


def derive(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Every derived table: claim verdicts, validation flags, and the tables computed from the primary series."""
    return {name: df for step in derive_steps(tables) for name, df in step().items()}


def checked_steps(tables: dict[str, pl.DataFrame], today: dt.date | None = None) -> list:
    """derive_steps, each also checking the tables it makes: it gives (tables, failures)."""
    return [lambda step=step: _checked(step(), today) for step in derive_steps(tables)]


def _checked(derived: dict[str, pl.DataFrame], today: dt.date | None) -> tuple[dict[str, pl.DataFrame], list[Failure]]:
    """The derived tables, and every failure of their schemas (an empty derived table fails unless allowed)."""
    failures = []
    for name in TABLES:
        if TABLES[name].origin == "derived" and name in derived:
            failures += schema_failures(name, derived[name], f"{name} (derived)", today)
            if derived[name].height == 0 and not TABLES[name].may_be_empty:
                failures.append(Failure(f"{name} (derived)", None, None, "empty: the table has no rows", ""))
    return derived, failures


def derive_primary(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Tables computed from the primary series: CPI annual averages, wage and employment change."""
    from . import transforms as t

    change = t.employment_change(tables["occupations"], tables["sources"])
    return {
        "cpi_annual": t.cpi_annual(tables["cpi_monthly"], tables["cpi"]),
        "wage_change": t.wage_change(tables["occupations"], tables["cpi_monthly"], tables["sources"]),
        "employment_change": change,
        "employment_change_groups": t.employment_change_groups(change),
    }


def derive_exposure(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Tables comparing occupations' AI exposure with their change in jobs and pay."""
    from . import exposure as e

    both_years = e.occupations_both_years(tables["occupations"], tables["sources"])
    scores = e.exposure_scores(both_years, tables["ai_exposure"], tables.get("ai_applicability"))
    exp_change = e.exposure_change(both_years, tables["cpi_monthly"], scores)
    return {
        "ai_exposure_soc": e.exposure_by_soc(tables["ai_exposure"]),
        "exposure_change": exp_change,
        "exposure_bins": e.exposure_bins(exp_change),
        "exposure_summary": e.exposure_summary(exp_change, tables["exposure_published"], scores),
        "exposure_scores": scores,
        "exposure_correlation": e.exposure_correlation(exp_change),
    }


def build(
    curated: Path | None = None,
    release: Path | None = None,
    today: dt.date | None = None,
    with_dir: Path | None = None,
    seeds: Path | None = None,
) -> dict:
    """Validate the curated inputs; raise ValidationError with all failures, or write the release.

    `with_dir` holds tables made by `talentgap ingest`; those present are validated and added,
    which makes an extended local release (the committed release never includes them).
    """
    # NOTE: an explicit curated folder (tests, forks) holds the seed tables too unless `seeds` is given.
    seeds = seeds or (curated if curated is not None else paths.seeds_dir())
    curated = curated or paths.curated_dir()
    release = release or paths.release_dir()
    # NOTE: read while no `talentgap refresh` is writing curated/refreshed/ (a mix would validate wrongly).
    with locks.locked(paths.refresh_lock(curated), shared=True):
        # NOTE: the derived tables are computed while the inputs are checked (on the second core), and kept
        # only if no check fails; with ingested tables (--with) they are computed after, as before.
        tables, failures, steps = load_checked_and(
            curated, CURATED, today, seeds, meanwhile=(lambda t: checked_steps(t, today)) if with_dir is None else None
        )
    if with_dir is not None:
        from .ingest import output
    if with_dir is not None and not (Path(with_dir) / output.OWNED).is_file():
        # NOTE: only a folder an ingest marked as its own is read (and locked): no lock file is made elsewhere.
        failures.append(Failure(escape(with_dir), None, None, "with: not a folder `talentgap ingest` wrote (no .talentgap-ingest.json)", ""))
    elif with_dir is not None:
        # NOTE: read under the ingest folder's lock, from the latest complete unit of each table.
        with locks.locked(Path(with_dir) / output.LOCK, shared=True):
            folders = {n: output.current_folder(Path(with_dir), n) for n in INGESTED}
            present = [n for n in INGESTED if (folders[n] / TABLES[n].curated_file).exists()]
            if not present:
                failures.append(Failure(escape(with_dir), None, None, "with: no ingested table found", ", ".join(INGESTED)))
            for name in present:
                extra, extra_failures = load_checked(folders[name], [name], today, single=True)
                failures += extra_failures
                tables.update(extra)
    if failures:
        raise ValidationError(failures)
    results = [f.result() for f in steps] if steps else [step() for step in checked_steps(tables, today)]
    derived_failures = [failure for _, step_failures in results for failure in step_failures]
    if derived_failures:
        raise ValidationError(derived_failures)
    for derived, _ in results:
        tables.update(derived)
    return rel.write_release(tables, release)


def verify(release: Path | None = None, today: dt.date | None = None) -> list[Failure]:
    """Re-hash every release file and re-validate every table against the registry; read-only.

    An empty list means all is well. Runs under the release's read lock, so a build's swap waits.
    """
    release = Path(release or paths.release_dir())
    if not release.is_dir():
        return [Failure("datapackage.json", None, None, "file: missing from release", rel.missing_message(release))]
    with rel.reading(release):
        descriptor, failures = rel.read_descriptor(release)
        if descriptor is None:
            return failures
        failures = rel.hash_failures(release, descriptor)
        if failures:
            return failures
        names = [r["name"] for r in descriptor["resources"]]
        tables, failures = load_checked(release, [n for n in TABLES if n in names], today, single=True)
        for name in tables:
            try:
                parquet = pl.read_parquet(release / f"{name}.parquet")
            except Exception as err:  # polars raises several error types for a damaged file
                failures.append(Failure(f"{name}.parquet", None, None, "parquet: not readable", escape(str(err).splitlines()[0])))
                continue
            if not parquet.equals(tables[name]):
                failures.append(Failure(f"{name}.parquet", None, None, "parquet: content differs from the CSV", ""))
        failures += rel.order_failures(tables)
        if not failures:
            failures += rel.descriptor_failures(descriptor, rel.datapackage(tables, release))
    return failures
