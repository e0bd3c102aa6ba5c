"""CLI of the commands that touch the network (`fetch`, `update`) and of `diff` (releases, offline)."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from .failures import ValidationError, format_failures


def _manifest_or_fail(command: str, upstream: Path):
    from .refresh import MANIFEST, read_manifest

    try:
        return read_manifest(upstream / MANIFEST)
    except ValidationError as err:
        print(f"talentgap {command}: {len(err.failures)} problem(s) in {upstream / MANIFEST}; nothing was fetched.", file=sys.stderr)
        print(format_failures(err.failures), file=sys.stderr)
        return None


def _cmd_fetch(args) -> int:
    from .fetch import fetch, summary
    from .refresh import upstream_dir

    upstream = args.upstream or upstream_dir()
    manifest = _manifest_or_fail("fetch", upstream)
    if manifest is None:
        return 1
    files = args.files or upstream / "files"
    results = fetch(manifest, files, base=args.base, timeout=args.timeout)
    bad = [r for r in results if r.status in ("differs", "failed")]
    print(f"talentgap fetch: {summary(results)} ({files})", file=sys.stderr if bad else sys.stdout)
    for r in bad:
        print(f"  {r.file}: {r.status}: {r.detail}", file=sys.stderr)
    return 1 if bad else 0


def _cmd_update(args) -> int:
    from .refresh import upstream_dir
    from .update import format_results, update

    upstream = args.upstream or upstream_dir()
    try:
        results = update(upstream, args.files, base=args.base, timeout=args.timeout)
    except ValidationError as err:
        print(f"talentgap update: {len(err.failures)} problem(s) in the manifest; nothing was changed.", file=sys.stderr)
        print(format_failures(err.failures), file=sys.stderr)
        return 1
    print(format_results(results))
    failed = [r for r in results if r.status == "failed"]
    if failed:
        print(f"talentgap update: {len(failed)} series failed (see the table); the new vintages listed were kept.", file=sys.stderr)
    return 1 if failed else 0


def _cmd_diff(args) -> int:
    from .diff import DiffError, compare, format_markdown, format_text, resolve

    made = []  # temporary copies of git:REV releases, removed whatever happens
    try:
        folders = []
        for spec in (args.old, args.new):
            folders.append(resolve(spec))
            if spec.startswith("git:"):
                made.append(folders[-1])
        d = compare(folders[0], folders[1], args.old, args.new)
    except DiffError as err:
        print(f"talentgap diff: {err}", file=sys.stderr)
        return 2
    finally:
        for p in made:
            shutil.rmtree(p, ignore_errors=True)
    if args.format == "markdown":
        print(format_markdown(d, args.limit, summary_only=args.summary))
    else:
        print(format_text(d, args.limit))
    return 0


def add_parsers(sub) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--upstream", type=Path, default=None, help="folder of manifest.csv (default data/upstream)")
    common.add_argument("--files", type=Path, default=None, help="folder of the publishers' files (default <upstream>/files)")
    common.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a server before giving up (default 30)")

    f = sub.add_parser("fetch", parents=[common], help="download the manifest's files that are missing (sha256 checked)")
    f.add_argument("--from", dest="base", default=None,
                   help="mirror laid out as BASE/<copy_repository>/<copy_commit>/<copy_path> (an address or a folder)")
    f.set_defaults(func=_cmd_fetch)

    u = sub.add_parser("update", parents=[common], help="look for newer publishers' files; keep each new vintage and add its manifest row")
    u.add_argument("--from", dest="base", default=None,
                   help="replace the scheme and host of every latest_url with BASE (an address or a folder), keeping the path")
    u.set_defaults(func=_cmd_update)

    d = sub.add_parser("diff", help="compare two releases table by table (folders, or git:REV for data/release at REV)")
    d.add_argument("old")
    d.add_argument("new")
    d.add_argument("--format", choices=["text", "markdown"], default="text")
    d.add_argument("--limit", type=int, default=20, help="rows and cells listed per table and kind (default 20; 0 lists all)")
    d.add_argument("--summary", action="store_true", help="markdown: the summary table only")
    d.set_defaults(func=_cmd_diff)
