"""Wall time and peak memory of `talentgap build` on the shipped data (each run in a fresh process).

    python benchmarks/bench_build.py [--repeat 5]

Writes to a temporary release folder; data/release is never touched.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(release: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one build in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "talentgap", "build", "--release", str(release)],
                   check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    seconds = time.perf_counter() - start
    cpu = _children_cpu() - cpu
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # NOTE: ru_maxrss of children is the maximum over all children so far; runs are alike, so
    # the running maximum is the peak of a build (KiB on Linux).
    return seconds, cpu, max(peak, before) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    times, cpus, peaks = [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        for i in range(args.repeat):
            seconds, cpu, peak = run_once(Path(tmp) / f"release-{i}")
            times.append(seconds)
            cpus.append(cpu)
            peaks.append(peak)
    rows = sum(1 for _ in (ROOT / "data" / "curated").glob("*.csv"))
    print(f"talentgap build ({rows} curated files + seeds), {args.repeat} runs: "
          f"median {statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s; "
          f"CPU (user + system) median {statistics.median(cpus):.2f} s; peak RSS {max(peaks):.0f} MiB; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    # NOTE: on a shared machine wall time follows the load; CPU time much less so.
    return 0


if __name__ == "__main__":
    sys.exit(main())
