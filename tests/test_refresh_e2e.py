"""Refresh end to end: the publishers' files rebuild the committed refreshed tables, then the committed release.

The files are not in the repository. CI and developers keep them beside it, in `../shared/upstream/files/`
(the manifest's files) and `../shared/upstream/candidates/` (newer files, listed in its candidates.csv);
a copy in `data/upstream/files/` counts too. The test skips only where a listed file is in none of them.
"""

from __future__ import annotations

import csv
import shutil
import warnings
from pathlib import Path

import polars as pl
import pytest

from talentgap import paths
from talentgap.build import build
from talentgap.hashing import sha256_file
from talentgap.refresh import MANIFEST, read_manifest, refresh

SHARED = paths.ROOT.parent / "shared" / "upstream"
FOLDERS = (paths.ROOT / "data" / "upstream" / "files", SHARED / "files", SHARED / "candidates")


def candidate_hashes() -> dict[str, str]:
    """sha256 of each file in shared/upstream/candidates, as its candidates.csv records it."""
    listing = SHARED / "candidates" / "candidates.csv"
    if not listing.is_file():
        return {}
    with open(listing, newline="", encoding="utf-8") as fh:
        return {row["file"]: row["sha256"] for row in csv.DictReader(fh)}


def gather(manifest, into: Path) -> list[str]:
    """Copy every listed file, found by name with the manifest's sha256, into `into`; the names not found."""
    into.mkdir()
    missing = []
    for name, sha in manifest.select("upstream_file", "copy_sha256").iter_rows():
        found = next((f / name for f in FOLDERS if (f / name).is_file() and sha256_file(f / name) == sha), None)
        if found is None:
            missing.append(name)
        else:
            shutil.copyfile(found, into / name)
    return missing


def tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_candidate_listing_agrees_with_the_manifest_rows_it_names():
    """A manifest row whose file is among the candidates records the candidate's sha256."""
    manifest = read_manifest(paths.ROOT / "data" / "upstream" / MANIFEST)
    listed = candidate_hashes()
    for name, sha in manifest.select("upstream_file", "copy_sha256").iter_rows():
        if name in listed and not (SHARED / "files" / name).is_file():
            assert listed[name] == sha, name


def without_sources(folder: Path, source_ids: set[str]) -> dict[str, pl.DataFrame]:
    """Each refreshed table as text cells, less the rows of `source_ids`; tables left empty are dropped."""
    out = {}
    for p in sorted(folder.glob("*.csv")):
        frame = pl.read_csv(p, infer_schema=False)
        if "source_id" in frame.columns:
            frame = frame.filter(~pl.col("source_id").is_in(sorted(source_ids)))
        if frame.height:
            out[p.name] = frame
    return out


def test_refresh_rebuilds_the_committed_refreshed_tables_and_build_the_committed_release(tmp_path):
    manifest = read_manifest(paths.ROOT / "data" / "upstream" / MANIFEST)
    files = tmp_path / "files"
    missing = gather(manifest, files)
    if len(missing) == manifest.height:
        pytest.skip(f"no publisher file beside the repository (looked in {', '.join(str(f) for f in FOLDERS)})")
    curated = tmp_path / "curated"
    shutil.copytree(paths.ROOT / "data" / "curated", curated, ignore=shutil.ignore_patterns(".*"))
    shutil.rmtree(curated / paths.REFRESHED_DIR)
    if missing:
        _refresh_without(missing, manifest, files, curated, tmp_path)
    else:
        refresh(files=files, curated=curated)
        assert tree(curated / paths.REFRESHED_DIR) == tree(paths.ROOT / "data" / "curated" / paths.REFRESHED_DIR)
    release = tmp_path / "release"
    build(curated=curated, release=release, seeds=paths.ROOT / "seeds")
    committed = tree(paths.ROOT / "data" / "release")
    built = tree(release)
    assert sorted(built) == sorted(committed)
    different = [name for name in committed if built[name] != committed[name]]
    assert different == [], f"release files differ from the committed ones: {different}"
    if missing:
        warnings.warn(f"refresh end to end ran without {len(missing)} publisher file(s) ({', '.join(missing)}): their rows "
                      f"were taken from the committed refreshed tables (looked in {', '.join(str(f) for f in FOLDERS)})")


def _refresh_without(missing: list[str], manifest: pl.DataFrame, files: Path, curated: Path, tmp_path: Path) -> None:
    """Refresh from the files present; complete curated/refreshed/ with the committed rows of the missing files.

    NOTE: CI's shared folder is fixed while the manifest grows. The files present must rebuild every committed
    row except those of the missing files' sources; a table holding such rows is then taken as committed, so
    that the release is still built and compared byte for byte.
    """
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    lines = (paths.ROOT / "data" / "upstream" / MANIFEST).read_text(encoding="utf-8").splitlines(keepends=True)
    rows = list(csv.DictReader(lines))
    with open(upstream / MANIFEST, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r["upstream_file"] not in missing)
    refresh(upstream=upstream, files=files, curated=curated)
    gone = set(manifest.filter(pl.col("upstream_file").is_in(missing))["source_id"])
    refreshed, committed_dir = curated / paths.REFRESHED_DIR, paths.ROOT / "data" / "curated" / paths.REFRESHED_DIR
    built, committed = without_sources(refreshed, gone), without_sources(committed_dir, gone)
    assert sorted(built) == sorted(committed)
    for name, frame in committed.items():
        assert built[name].equals(frame), name
    for path in sorted(committed_dir.iterdir()):
        if not (refreshed / path.name).is_file() or (refreshed / path.name).read_bytes() != path.read_bytes():
            shutil.copyfile(path, refreshed / path.name)
    assert tree(refreshed) == tree(committed_dir)
