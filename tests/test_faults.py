"""Fault injection (issue #11): builds and ingests killed at random points, concurrent runs, and a
reader polling the release during builds. Bounded: a few runs each, well under a minute in all."""

from __future__ import annotations

import json
import os
import random
import signal
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from talentgap import release as release_mod
from talentgap.build import verify
from talentgap.ingest import output

from .test_ingest_layoffs_fyi import VARIANTS

PY = sys.executable
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def talentgap(*args: str) -> subprocess.Popen:
    return subprocess.Popen([PY, "-m", "talentgap", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)


def finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.fixture
def two_inputs(curated, tmp_path):
    """Two valid curated folders that build different releases (CPI changed)."""
    other = tmp_path / "other"
    shutil.copytree(curated, other)
    (other / "cpi.csv").write_text((other / "cpi.csv").read_text().replace("300.0", "301.5"))
    return curated, other


def test_build_killed_at_random_points_leaves_a_whole_release(two_inputs, tmp_path):
    a, b = two_inputs
    release = tmp_path / "release"
    start = time.monotonic()
    assert finish(talentgap("build", "--curated", str(b), "--release", str(release)))[0] == 0
    duration = time.monotonic() - start
    new = snapshot(release)
    assert finish(talentgap("build", "--curated", str(a), "--release", str(release)))[0] == 0
    old = snapshot(release)
    rng = random.Random(11)
    for _ in range(3):
        proc = talentgap("build", "--curated", str(b if snapshot(release) == old else a), "--release", str(release))
        time.sleep(rng.uniform(0.4, 1.0) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        assert snapshot(release) in (old, new)
        assert verify(release) == []
    # The next build cleans what the killed ones left, and nothing else.
    assert finish(talentgap("build", "--curated", str(a), "--release", str(release)))[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".release")) == [".release.write.lock"]


def test_ingest_killed_at_random_points_leaves_one_whole_unit(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(VARIANTS["kaggle"] * 1)
    b.write_text(VARIANTS["sheet"].replace("Beta", "Gamma") + "Bad,x,Media,abc,,2025-01-01,u,,,,United States,\n")
    out = tmp_path / "out"
    units = {}
    for src in (a, b):
        start = time.monotonic()
        assert finish(talentgap("ingest", "layoffs-fyi", str(src), "--out", str(out)))[0] == 0
        duration = time.monotonic() - start
        units[src] = {n: (out / n).read_bytes() for n in output.output_names("layoffs_fyi_events")}
    rng = random.Random(7)
    for i in range(3):
        proc = talentgap("ingest", "layoffs-fyi", str((a, b)[i % 2]), "--out", str(out))
        time.sleep(rng.uniform(0.5, 1.0) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        folder = output.current_folder(out, "layoffs_fyi_events")
        seen = {n: (folder / n).read_bytes() for n in output.output_names("layoffs_fyi_events")}
        assert seen in list(units.values())
    assert finish(talentgap("ingest", "layoffs-fyi", str(a), "--out", str(out)))[0] == 0
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == sorted([output.LOCK, output.OWNED])


def test_concurrent_builds_and_a_verify_all_succeed(two_inputs, tmp_path):
    a, b = two_inputs
    release = tmp_path / "release"
    assert finish(talentgap("build", "--curated", str(a), "--release", str(release)))[0] == 0
    procs = [
        talentgap("build", "--curated", str(b), "--release", str(release)),
        talentgap("build", "--curated", str(a), "--release", str(release)),
    ]
    time.sleep(0.8)
    procs.append(talentgap("verify", "--release", str(release)))
    results = [finish(p) for p in procs]
    assert all("Traceback" not in err for _, _, err in results)
    assert [code for code, _, _ in results] == [0, 0, 0]
    assert verify(release) == []


READER = r"""
import json, sys, time
from pathlib import Path
from talentgap import release as rel
from talentgap.hashing import sha256_file
target = Path(sys.argv[1]); deadline = time.monotonic() + float(sys.argv[2])
reads = gaps = mixes = 0
seen = set()
while time.monotonic() < deadline:
    if not (target / "datapackage.json").exists():
        gaps += 1
    with rel.reading(target):
        d = json.loads((target / "datapackage.json").read_text())
        for r in d["resources"]:
            for e in (r, r["talentgap:parquet"]):
                if "sha256:" + sha256_file(target / e["path"]) != e["hash"]:
                    mixes += 1
        seen.add(d["resources"][5]["hash"])
    reads += 1
print(json.dumps({"reads": reads, "gaps": gaps, "mixes": mixes, "versions": len(seen)}))
"""


def test_a_polling_reader_always_finds_a_whole_release(two_inputs, tmp_path):
    a, b = two_inputs
    release = tmp_path / "release"
    assert finish(talentgap("build", "--curated", str(a), "--release", str(release)))[0] == 0
    reader = subprocess.Popen([PY, "-c", READER, str(release), "7"], stdout=subprocess.PIPE, text=True, env=ENV)
    for src in (b, a, b):
        assert finish(talentgap("build", "--curated", str(src), "--release", str(release)))[0] == 0
    report = json.loads(reader.communicate(timeout=60)[0])
    assert report["reads"] > 10 and report["gaps"] == 0 and report["mixes"] == 0
    assert report["versions"] == 2
