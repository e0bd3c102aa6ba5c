"""`talentgap ingest SOURCE PATH [--out DIR]`: clean, validate and shape an upstream export.

Exit status: 0 when the table was written (quarantined rows do not fail the run), 2 when the
file cannot be ingested at all, 1 when writing failed or was refused (`--out` must be a new or empty
folder or one an ingest wrote, and only files an ingest wrote are replaced); in every case earlier
outputs are untouched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path

import polars as pl

from .. import paths
from ..safe_text import escape

SOURCES = {
    "layoffs-fyi": "a Layoffs.fyi export (any mirror's column names) -> layoffs_fyi_events",
    "warn": "Big Local News WARN notices, consolidated or integrated -> warn_notices",
    "oews": "the BLS OEWS national file, XLSX or CSV -> oews_occupations",
    "cpi": "CPI-U monthly (Datahub cpi-us CSV or BLS's cu.data layout) -> cpi_monthly",
    "rates": "a FRED rate series CSV (FEDFUNDS) -> rates",
    "exposure": "the occupation-level file of 'GPTs are GPTs' (occ_level.csv) -> ai_exposure",
    "ai-applicability": "Microsoft's AI applicability scores (soc_ai_applicability_scores.csv) -> ai_applicability",
    "indeed": "an Indeed Hiring Lab file (AI tracker, aggregate or sector postings, FRED's IHLIDXUSTPSOFTDEVE) -> postings_daily",
    "ces": "FRED CSV(s) of BLS payroll employment (USINFO, PAYEMS) -> ces_employment",
    "cps": "FRED CSV(s) of BLS unemployment rates (UNRATE, LNS14000036, CGBD2024) -> cps_unemployment",
    "sce": "the New York Fed's SCE workbook (FRBNY-SCE-Data.xlsx) -> sce_labour_expectations",
    "indeed-state": "Indeed Hiring Lab's state file (state_job_postings_us.csv) -> postings_state_daily",
}
# Kinds whose rows carry a source_id: the ingest output is a curated-table shape (see `talentgap refresh`).
WITH_SOURCE = ("cpi", "rates", "indeed", "exposure", "ces", "cps", "sce", "indeed-state", "ai-applicability")


def default_out_dir() -> Path:
    """data/ingested/ (git-ignored); TALENTGAP_INGESTED overrides it."""
    return Path(os.environ.get("TALENTGAP_INGESTED", paths.ROOT / "data" / "ingested"))


def add_ingest_parser(subparsers, handler) -> None:
    p = subparsers.add_parser("ingest", help="clean and validate a full upstream export into a talentgap table")
    sources = p.add_subparsers(dest="source", required=True, metavar="SOURCE")
    for name, text in SOURCES.items():
        s = sources.add_parser(name, help=text, description=text)
        s.add_argument("path", type=Path, help="the upstream file")
        s.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default data/ingested)")
        s.add_argument(
            "--progress", action=argparse.BooleanOptionalAction, default=None,
            help="progress bar (default: on for large files when stderr is a terminal)",
        )
        if name == "oews":
            s.add_argument("--year", type=int, default=None, help="May reference year (default: from a name like national_M2024_dl.xlsx)")
        if name in WITH_SOURCE:
            s.add_argument("--source-id", default=None, help="source_id for the rows (default: file-<file name>)")
        if name in ("ces", "cps"):
            s.add_argument("--series", default=None, help="the series of a `date,value` file that names none (e.g. USINFO)")
        if name in ("indeed", "indeed-state"):
            s.add_argument("--vintage", type=dt.date.fromisoformat, required=True, metavar="YYYY-MM-DD",
                           help="date of the publisher's file (Indeed revises its history)")
        s.set_defaults(func=handler)


def default_source_id(path: Path) -> str:
    """file-<name>, lower-cased, other characters as '-': a valid source_id naming the file."""
    return "file-" + (re.sub(r"[^a-z0-9._-]+", "-", path.name.lower()).strip("-._") or "unnamed")


def _run_labour(args, source_id: str):
    """The kinds added for issue #16 (labour series, SCE, Indeed states): their result and totals module."""
    from . import indeed_state, labour

    if args.source == "sce":
        return labour.ingest_sce(args.path, source_id, progress=args.progress), labour
    if args.source == "indeed-state":
        return indeed_state.ingest(args.path, source_id, args.vintage, progress=args.progress), indeed_state
    table = {"ces": "ces_employment", "cps": "cps_unemployment"}[args.source]
    return labour.ingest_series(args.path, table, source_id, series=args.series, progress=args.progress), labour


def run_ingest(args) -> int:
    from . import applicability, common, exposure, indeed, layoffs_fyi, monthly, oews, output, warn

    if args.source in ("ces", "cps", "sce", "indeed-state"):
        return _write(args, lambda: _run_labour(args, args.source_id or default_source_id(args.path)))

    module = {
        "layoffs-fyi": layoffs_fyi, "warn": warn, "oews": oews, "cpi": monthly, "rates": monthly, "indeed": indeed,
        "exposure": exposure, "ai-applicability": applicability,
    }[args.source]
    out = args.out or default_out_dir()
    try:
        if args.source == "oews":
            result = oews.ingest(args.path, year=args.year, progress=args.progress)
        elif args.source in WITH_SOURCE:
            source_id = args.source_id or default_source_id(args.path)
            if args.source == "cpi":
                result = monthly.ingest_cpi(args.path, source_id, progress=args.progress)
            elif args.source == "rates":
                result = monthly.ingest_rate(args.path, source_id, progress=args.progress)
            elif args.source == "exposure":
                result = exposure.ingest(args.path, source_id, progress=args.progress)
            elif args.source == "ai-applicability":
                result = applicability.ingest(args.path, source_id, progress=args.progress)
            else:
                result = indeed.ingest(args.path, source_id, args.vintage, progress=args.progress)
        else:
            result = module.ingest(args.path, progress=args.progress)
    except common.IngestError as err:
        # NOTE: the message may quote the file's header: escaped, so no byte of the input reaches the terminal raw.
        print(f"talentgap ingest {args.source}: {escape(args.path)}: {escape(err)}; nothing was written.", file=sys.stderr)
        return 2
    except (OSError, pl.exceptions.PolarsError) as err:
        # NOTE: a read failure no check above foresaw (a file vanishing mid-read, a polars error on odd
        # bytes) is still a message and exit 2, never a traceback; nothing has been written yet.
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        print(f"talentgap ingest {args.source}: {escape(args.path)}: cannot be read ({escape(first)}); nothing was written.", file=sys.stderr)
        return 2
    try:
        written = output.write_outputs(result, out)
    except output.OutputRefused as err:
        print(f"talentgap ingest {args.source}: refused: {err}; nothing was written.", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"talentgap ingest {args.source}: cannot write to {escape(out)} ({escape(err)}); earlier outputs are unchanged.", file=sys.stderr)
        return 1
    print(output.format_summary(result, args.path, written, module.totals(result)))
    return 0


def _write(args, run) -> int:
    """Run an ingest (returning its result and totals module), write its outputs, print the summary."""
    from . import common, output

    out = args.out or default_out_dir()
    try:
        result, module = run()
    except common.IngestError as err:
        print(f"talentgap ingest {args.source}: {escape(args.path)}: {escape(err)}; nothing was written.", file=sys.stderr)
        return 2
    try:
        written = output.write_outputs(result, out)
    except OSError as err:
        print(f"talentgap ingest {args.source}: cannot write to {escape(out)} ({escape(err)}); earlier outputs are unchanged.", file=sys.stderr)
        return 1
    print(output.format_summary(result, args.path, written, module.totals(result)))
    return 0
