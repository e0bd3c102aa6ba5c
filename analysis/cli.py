"""The `talentgap` command line."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from . import paths
from .failures import ValidationError, format_failures
from .startup import hide_pandas, single_blas_thread


def _cmd_build(args) -> int:
    from .build import build
    from .release import ReleaseRefused

    try:
        descriptor = build(curated=args.curated, release=args.release, with_dir=args.with_dir, seeds=args.seeds)
    except ReleaseRefused as err:
        print(f"talentgap build: {err}; nothing was written or removed.", file=sys.stderr)
        return 2
    except ValidationError as err:
        print(f"talentgap build: {len(err.failures)} validation failure(s); nothing was written.", file=sys.stderr)
        print(format_failures(err.failures), file=sys.stderr)
        return 1
    release = args.release or paths.release_dir()
    for res in descriptor["resources"]:
        print(f"  {res['name']:<24} {res['bytes']:>9} bytes  {res['hash'][:19]}")
    print(f"talentgap build: wrote {len(descriptor['resources'])} tables to {release}")
    return 0


def _cmd_verify(args) -> int:
    from .build import verify

    failures = verify(args.release)
    release = args.release or paths.release_dir()
    if failures:
        print(f"talentgap verify: {len(failures)} problem(s) in {release}", file=sys.stderr)
        print(format_failures(failures), file=sys.stderr)
        return 1
    print(f"talentgap verify: {release} matches datapackage.json and every table validates")
    return 0


def _cmd_claims(args) -> int:
    from .api import ReleaseError
    from .claims import claims_report

    try:
        print(claims_report(args.release, verdict=args.verdict))
    except ReleaseError as err:
        print(f"talentgap claims: {err}", file=sys.stderr)
        return 1
    return 0


def _cmd_refresh(args) -> int:
    from .refresh import format_reports, refresh

    try:
        reports = refresh(upstream=args.upstream, files=args.files, curated=args.curated)
    except ValidationError as err:
        print(f"talentgap refresh: {len(err.failures)} problem(s); nothing was written.", file=sys.stderr)
        print(format_failures(err.failures), file=sys.stderr)
        return 1
    print(format_reports(reports))
    print(f"talentgap refresh: wrote {len(reports)} file(s)' tables to {(args.curated or paths.curated_dir()) / 'refreshed'}")
    return 0


def _cmd_ingest(args) -> int:
    from .ingest.cli import run_ingest

    return run_ingest(args)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="talentgap", description="Build, verify and explore the talentgap data release.")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="validate every curated input, then write the release")
    b.add_argument("--curated", type=Path, default=None, help="curated input folder (default data/curated)")
    b.add_argument("--release", type=Path, default=None, help="release folder to write (default data/release)")
    b.add_argument("--seeds", type=Path, default=None, help="folder of seed_documents.csv and claims.csv (default seeds/)")
    b.add_argument(
        "--with", dest="with_dir", type=Path, default=None,
        help="also include the tables `talentgap ingest` wrote to this folder (an extended local release)",
    )
    b.set_defaults(func=_cmd_build)

    v = sub.add_parser("verify", help="re-hash every release file against datapackage.json and re-validate it")
    v.add_argument("--release", type=Path, default=None, help="release folder (default data/release)")
    v.set_defaults(func=_cmd_verify)

    c = sub.add_parser("claims", help="print every seed-document claim with its verdict")
    c.add_argument("--release", type=Path, default=None)
    c.add_argument("--verdict", choices=["consistent", "inconsistent", "not_checkable"], default=None)
    c.set_defaults(func=_cmd_claims)

    r = sub.add_parser("refresh", help="rebuild data/curated/refreshed/ from the publishers' files in data/upstream/manifest.csv")
    r.add_argument("--upstream", type=Path, default=None, help="folder of manifest.csv (default data/upstream)")
    r.add_argument("--files", type=Path, default=None, help="folder holding the listed files (default <upstream>/files)")
    r.add_argument("--curated", type=Path, default=None, help="curated folder whose refreshed/ is rewritten (default data/curated)")
    r.set_defaults(func=_cmd_refresh)

    from .net_cli import add_parsers as add_net_parsers

    add_net_parsers(sub)

    from .pdf import add_parser as add_pdf_parser

    add_pdf_parser(sub)

    try:
        from .ingest.cli import add_ingest_parser
    except ImportError:
        pass
    else:
        add_ingest_parser(sub, _cmd_ingest)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    hide_pandas()
    single_blas_thread()
    return args.func(args)


def run() -> None:
    """The `talentgap` command itself (its console script, `python -m talentgap`): main(), then exit."""
    code = main()
    # NOTE: a command's objects all die at exit; frozen, the collector does not walk them all once more on the
    # way out (35 of the 50 ms a build took to exit). Not in main(): a test calling it in-process keeps collecting.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
