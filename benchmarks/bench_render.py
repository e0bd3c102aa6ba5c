"""Time the offline site renderer: a cold render (every page executed) and warm renders (cache hits).

    python benchmarks/bench_render.py                       # the test fixture site
    python benchmarks/bench_render.py --project report --depends data/release --jobs 1 --jobs 4

The project folder is never written to: output and cache go to a temporary folder.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from talentgap.site import render_site
from talentgap.site.render import quiet
from talentgap.site.shell import first_visit_bytes

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PROJECT = ROOT / "tests" / "fixtures" / "site_example"


def timed(**kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = render_site(log=quiet, **kwargs)
    return time.perf_counter() - start, result


def site_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=DEFAULT_PROJECT, help="Quarto website project folder")
    parser.add_argument("--depends", action="append", default=[], help="dependency file/folder (repeatable)")
    parser.add_argument("--jobs", type=int, action="append", help="parallel kernels for cold runs (repeatable)")
    parser.add_argument("--repeat", type=int, default=3, help="warm renders to time (default 3)")
    parser.add_argument("--first-visit", action="append", default=[], help="page whose first-visit bytes to count (repeatable)")
    args = parser.parse_args(argv)

    print(f"project: {args.project}")
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        tmp = Path(tmp)
        common = dict(project_dir=args.project, depends=args.depends)
        for jobs in args.jobs or [None]:
            cache = tmp / f"cache-{jobs}"
            seconds, result = timed(out_dir=tmp / f"cold-{jobs}", cache_dir=cache, jobs=jobs, **common)
            print(f"cold  jobs={jobs or 'auto':>4}: {seconds:7.2f} s  executed {len(result.executed)}, "
                  f"{len(result.pages)} pages, {site_size(result.out_dir) / 1e6:.1f} MB")
        warm = []
        for i in range(args.repeat):
            seconds, result = timed(out_dir=tmp / "warm", cache_dir=cache, **common)
            assert not result.executed, f"warm run {i} executed {result.executed}"
            warm.append(seconds)
        if warm:
            print(f"warm (cache hits, {args.repeat} runs): median {statistics.median(warm):.2f} s, "
                  f"min {min(warm):.2f} s, {len(result.pages) / statistics.median(warm):.1f} pages/s")
        for page in args.first_visit:
            size, refs = first_visit_bytes(result.out_dir, page)
            print(f"first visit to {page}: {size:,} bytes ({page} + {', '.join(refs) or 'nothing else'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
