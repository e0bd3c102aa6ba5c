"""`talentgap ingest SOURCE PATH [--out DIR]`: clean, validate and shape an upstream export.

Exit status: 0 when the table was written (quarantined rows do not fail the run), 2 when the
file cannot be ingested at all, 1 when writing failed; in both cases earlier outputs are untouched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path

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
}
# Kinds whose rows carry a source_id: the ingest output is a curated-table shape (see `talentgap refresh`).
WITH_SOURCE = ("cpi", "rates", "indeed", "exposure", "ai-applicability")


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
        if name == "indeed":
            s.add_argument("--vintage", type=dt.date.fromisoformat, required=True, metavar="YYYY-MM-DD",
                           help="date of the publisher's file (Indeed revises its history)")
        s.set_defaults(func=handler)


def default_source_id(path: Path) -> str:
    """file-<name>, lower-cased, other characters as '-': a valid source_id naming the file."""
    return "file-" + (re.sub(r"[^a-z0-9._-]+", "-", path.name.lower()).strip("-._") or "unnamed")


def run_ingest(args) -> int:
    from . import applicability, common, exposure, indeed, layoffs_fyi, monthly, oews, output, warn

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
    try:
        written = output.write_outputs(result, out)
    except OSError as err:
        print(f"talentgap ingest {args.source}: cannot write to {escape(out)} ({escape(err)}); earlier outputs are unchanged.", file=sys.stderr)
        return 1
    print(output.format_summary(result, args.path, written, module.totals(result)))
    return 0
