"""CLI: ``python -m talentgap.site render PROJECT [--out DIR] [--depends PATH]... [--no-cache] [--jobs N]``.

Exit status: 0 rendered, 1 render failed (the previous site is left as it was), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys

from .errors import RenderError
from .render import main_error, print_line, quiet, render_site


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m talentgap.site", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    render = sub.add_parser("render", help="render a Quarto website project to a static site")
    render.add_argument("project", help="folder holding _quarto.yml")
    render.add_argument("--out", help="output folder (default: the project's output-dir, e.g. PROJECT/_site)")
    render.add_argument("--depends", action="append", default=[], metavar="PATH",
                        help="file or folder whose content is part of every page's cache key (repeatable)")
    render.add_argument("--no-cache", action="store_true", help="execute every page, ignoring stored results")
    render.add_argument("--cache-dir", help="cache folder (default: PROJECT/.talentgap-cache)")
    render.add_argument("--jobs", type=int, default=None, help="pages executed in parallel (default: up to 4)")
    render.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default: 600)")
    render.add_argument("--quiet", action="store_true", help="print only errors")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    log = quiet if args.quiet else print_line
    try:
        render_site(args.project, args.out, depends=args.depends, use_cache=not args.no_cache,
                    cache_dir=args.cache_dir, jobs=args.jobs, timeout=args.timeout, log=log)
    except RenderError as exc:
        print(main_error(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
