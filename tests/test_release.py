"""The release: byte-identical rebuilds, hash verification, Frictionless validity, atomic writes."""

from __future__ import annotations

import json
import os

import polars as pl
import pytest

import talentgap
from talentgap import release as release_mod
from talentgap.build import build, verify
from talentgap.cli import main
from talentgap.schemas.tables import TABLES
from .conftest import TODAY, tree



def _snapshot(directory):
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_release_has_csv_and_parquet_per_table_and_a_datapackage(release):
    names = {p.name for p in release.iterdir()}
    published = [name for name, t in TABLES.items() if t.origin != "ingested"]
    for table in published:
        assert f"{table}.csv" in names and f"{table}.parquet" in names
    descriptor = json.loads((release / "datapackage.json").read_text())
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert [r["name"] for r in descriptor["resources"]] == published
    events = next(r for r in descriptor["resources"] if r["name"] == "layoff_events")
    assert events["hash"].startswith("sha256:") and events["bytes"] == (release / "layoff_events.csv").stat().st_size
    assert events["sources"] == [{"title": "Fixture news story", "path": "https://example.org/news"}]


def test_rebuild_gives_byte_identical_files(curated, tmp_path, release):
    again = tmp_path / "again"
    build(curated, again, today=TODAY)
    assert _snapshot(again) == _snapshot(release)


def test_verify_passes_then_catches_a_tampered_file(release, capsys):
    assert verify(release) == []
    assert main(["verify", "--release", str(release)]) == 0
    path = release / "layoff_events.csv"
    path.write_bytes(path.read_bytes().replace(b"12000", b"13000"))
    failures = verify(release)
    assert [(f.file, f.rule) for f in failures] == [("layoff_events.csv", "hash: sha256 differs from datapackage.json")]
    assert main(["verify", "--release", str(release)]) == 1
    assert "hash: sha256 differs" in capsys.readouterr().err


def test_verify_catches_a_tampered_parquet_and_an_unlisted_file(release):
    (release / "extra.csv").write_text("a\n1\n")
    path = release / "cpi.parquet"
    path.write_bytes(path.read_bytes() + b"\0")
    rules = {(f.file, f.rule) for f in verify(release)}
    assert ("cpi.parquet", "hash: sha256 differs from datapackage.json") in rules
    assert ("extra.csv", "file: not listed in datapackage.json") in rules


def test_verify_revalidates_content_even_with_matching_hashes(release):
    # Rewrite a file and its recorded hash: the hashes match, but the row now breaks a rule.
    path = release / "layoff_events.csv"
    path.write_bytes(path.read_bytes().replace(b"12000", b"-12000"))
    descriptor = json.loads((release / "datapackage.json").read_text())
    res = next(r for r in descriptor["resources"] if r["name"] == "layoff_events")
    res["hash"] = "sha256:" + release_mod.sha256_file(path)
    res["bytes"] = path.stat().st_size
    (release / "datapackage.json").write_text(json.dumps(descriptor))
    rules = {(f.file, f.column, f.rule) for f in verify(release)}
    assert ("layoff_events.csv", "headcount", "minimum: must be >= 1") in rules
    assert ("layoff_events.parquet", None, "parquet: content differs from the CSV") in rules


def test_frictionless_validates_the_release(release):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(release / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])


def test_build_interrupted_while_writing_leaves_previous_release_whole(curated, release, monkeypatch):
    before = _snapshot(release)
    calls = []

    def failing_write(df, name, out):
        calls.append(name)
        if len(calls) == 3:
            raise KeyboardInterrupt("killed halfway")
        return real_write(df, name, out)

    real_write = release_mod.write_table
    monkeypatch.setattr(release_mod, "write_table", failing_write)
    (curated / "cpi.csv").write_text((curated / "cpi.csv").read_text().replace("300.0", "301.5"))
    with pytest.raises(KeyboardInterrupt):
        build(curated, release, today=TODAY)
    assert _snapshot(release) == before
    assert not list(release.parent.glob("release.tmp-*"))
    assert verify(release) == []


def test_swap_interrupted_between_renames_is_reported_by_verify_and_restored_by_build(curated, release):
    # Where renameat2 is missing the swap is two renames; a kill between them leaves the old release
    # in the staging folder. verify only reads and says so; the next build restores, then replaces it.
    before = _snapshot(release)
    staging = release_mod.staging_dir(release)
    staging.mkdir()
    (staging / release_mod.MARKER).touch()
    os.rename(release, staging / "old-12345")
    state = sorted(p.name for p in release.parent.rglob("*"))
    [failure] = verify(release)
    assert "killed while swapping" in failure.value
    assert sorted(p.name for p in release.parent.rglob("*")) == state  # verify changed nothing
    build(curated, release, today=TODAY)
    assert _snapshot(release) == before and not staging.exists()


def test_load_returns_typed_polars_frame(release):
    events = talentgap.load("layoff_events", release)
    assert isinstance(events, pl.DataFrame)
    assert events.schema["announced_on"] == pl.Date
    assert events.schema["headcount"] == pl.Int64
    assert events.schema["share_of_workforce"] == pl.Float64
    assert events.height == 3
    with pytest.raises(talentgap.ReleaseError, match="unknown table 'nope'"):
        talentgap.load("nope", release)


def test_committed_release_is_what_the_curated_inputs_build(tmp_path):
    """data/release must be rebuilt whenever data/curated or seeds/ change."""
    from talentgap import paths

    rebuilt = tmp_path / "rebuilt"
    build(paths.curated_dir(), rebuilt, seeds=paths.seeds_dir())
    committed = {p.name: p.read_bytes() for p in sorted(paths.release_dir().iterdir())}
    assert _snapshot(rebuilt) == committed


def test_derived_tables_made_side_by_side_are_all_checked_and_a_broken_one_stops_the_build(tmp_path, monkeypatch):
    """The derived tables are made in steps that run side by side; a broken one stops the build, nothing written."""
    from talentgap import build as build_mod
    from talentgap.failures import ValidationError

    exposure, claims = build_mod.derive_exposure, build_mod.derive_steps

    def broken_exposure(tables):
        made = exposure(tables)
        return made | {"exposure_bins": made["exposure_bins"].clear()}  # empty: not allowed

    def broken_steps(tables):
        steps = claims(tables)
        # the claims step (queued after the exposure step) gives a verdict outside the enum
        return [lambda s=s: {k: (v.with_columns(pl.lit("maybe").alias("verdict")) if k == "claim_checks" else v) for k, v in s().items()}
                for s in steps]

    monkeypatch.setattr(build_mod, "derive_exposure", broken_exposure)
    monkeypatch.setattr(build_mod, "derive_steps", broken_steps)
    with pytest.raises(ValidationError) as err:
        build(release=tmp_path / "out")
    assert {f.file for f in err.value.failures} == {"claim_checks (derived)", "exposure_bins (derived)"}  # both steps' failures
    assert any(f.column == "verdict" and f.rule.startswith("enum") for f in err.value.failures)
    assert any(f.rule == "empty: the table has no rows" for f in err.value.failures)
    assert not (tmp_path / "out").exists()
