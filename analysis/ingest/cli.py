"""`talentgap ingest SOURCE PATH [--out DIR]`: clean, validate and shape an upstream export.

Exit status: 0 when the table was written (quarantined rows do not fail the run), 2 when the
file cannot be ingested at all, 1 when writing failed; in both cases earlier outputs are untouched.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import paths
from ..safe_text import escape

SOURCES = {
    "layoffs-fyi": "a Layoffs.fyi export (any mirror's column names) -> layoffs_fyi_events",
    "warn": "Big Local News WARN notices, consolidated or integrated -> warn_notices",
    "oews": "the BLS OEWS national file, XLSX or CSV -> oews_occupations",
}


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
        s.set_defaults(func=handler)


def run_ingest(args) -> int:
    from . import common, layoffs_fyi, oews, output, warn

    module = {"layoffs-fyi": layoffs_fyi, "warn": warn, "oews": oews}[args.source]
    out = args.out or default_out_dir()
    try:
        if args.source == "oews":
            result = oews.ingest(args.path, year=args.year, progress=args.progress)
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
