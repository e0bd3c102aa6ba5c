"""`talentgap diff OLD NEW` on releases that differ by a row, a column and a table."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from talentgap import paths
from talentgap.cli import main
from talentgap.diff import compare, format_markdown


def _field(name, type_="string"):
    return {"name": name, "type": type_}


def write_release(folder: Path, tables: dict[str, tuple[list[str], list[str], str]], version: str) -> Path:
    """A minimal release: each table as (columns, primary key, CSV body), and its datapackage.json."""
    folder.mkdir(parents=True)
    resources = []
    for name, (columns, key, body) in tables.items():
        (folder / f"{name}.csv").write_text(",".join(columns) + "\n" + body, encoding="utf-8")
        resources.append({"name": name, "path": f"{name}.csv", "talentgap:schema_version": "1.0.0",
                          "schema": {"fields": [_field(c) for c in columns], "primaryKey": key}})
    (folder / "datapackage.json").write_text(json.dumps({"name": "talentgap", "version": version, "resources": resources}))
    return folder


@pytest.fixture
def releases(tmp_path):
    old = write_release(tmp_path / "old", {
        "rates": (["series_id", "month", "rate_percent"], ["series_id", "month"],
                  "FEDFUNDS,2026-05-01,4.33\nFEDFUNDS,2026-06-01,4.33\nFEDFUNDS,2026-07-01,4.33\n"),
        "sources": (["source_id", "title"], ["source_id"], "a,First\nb,Second\n"),
        "gone": (["k"], ["k"], "1\n"),
    }, "0.2.0")
    new = write_release(tmp_path / "new", {
        "rates": (["series_id", "month", "rate_percent"], ["series_id", "month"],
                  "FEDFUNDS,2026-05-01,4.33\nFEDFUNDS,2026-06-01,4.08\nFEDFUNDS,2026-08-01,3.88\n"),
        "sources": (["source_id", "title", "license"], ["source_id"], "a,First,CC0\nb,Second,\n"),
        "fresh": (["k"], ["k"], "1\n2\n"),
    }, "0.3.0")
    return old, new


def test_rows_columns_and_tables_added_removed_and_changed(releases):
    d = compare(*releases)
    by = {t.name: t for t in d.tables}
    assert by["rates"].added == ["FEDFUNDS | 2026-08-01"] and by["rates"].removed == ["FEDFUNDS | 2026-07-01"]
    assert by["rates"].changed == [("FEDFUNDS | 2026-06-01", "rate_percent", "4.33", "4.08")]
    assert by["sources"].columns_added == ["license"] and not by["sources"].changed
    assert by["gone"].status == "removed" and by["fresh"].status == "added" and by["fresh"].rows_new == 2


def test_the_cli_prints_each_change_and_markdown_for_release_notes(releases, capsys):
    old, new = releases
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "~ FEDFUNDS | 2026-06-01: rate_percent: 4.33 -> 4.08" in out
    assert "+ FEDFUNDS | 2026-08-01" in out and "- FEDFUNDS | 2026-07-01" in out
    assert "sources: columns added: license" in out
    assert "fresh: table added (2 rows)" in out and "gone: table removed (had 1 rows)" in out
    assert main(["diff", str(old), str(new), "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("### Data changes: 0.2.0 -> 0.3.0")
    assert "| `rates` | rows 3 -> 3: 1 added, 1 removed, 1 changed (1 cells) |" in md
    assert "| `FEDFUNDS \\| 2026-06-01` | rate_percent | 4.33 | 4.08 |" in md


def test_identical_releases_have_no_differences(releases, capsys):
    old, _ = releases
    assert main(["diff", str(old), str(old)]) == 0
    assert "no differences" in capsys.readouterr().out
    assert "No differences." in format_markdown(compare(old, old))


def test_a_schema_change_is_named(releases):
    old, new = releases
    desc = json.loads((new / "datapackage.json").read_text())
    desc["resources"][0]["schema"]["fields"][2]["type"] = "number"
    desc["resources"][0]["talentgap:schema_version"] = "2.0.0"
    (new / "datapackage.json").write_text(json.dumps(desc))
    rates = next(t for t in compare(old, new).tables if t.name == "rates")
    assert 'rate_percent: type "string" -> "number"' in rates.schema_changes
    assert "schema version 1.0.0 -> 2.0.0" in rates.schema_changes


def test_a_missing_release_or_a_path_outside_it_is_a_clear_error(releases, tmp_path, capsys):
    old, new = releases
    assert main(["diff", str(tmp_path / "nowhere"), str(new)]) == 2
    assert "no datapackage.json" in capsys.readouterr().err
    desc = json.loads((new / "datapackage.json").read_text())
    desc["resources"][0]["path"] = "../old/rates.csv"
    (new / "datapackage.json").write_text(json.dumps(desc))
    assert main(["diff", str(old), str(new)]) == 2
    assert "not a file of the release" in capsys.readouterr().err


@pytest.mark.skipif(not (paths.ROOT / ".git").exists(), reason="not a git checkout")
def test_git_rev_reads_the_committed_release(capsys, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    head = subprocess.run(["git", "-C", str(paths.ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert main(["diff", f"git:{head}", f"git:{head}", "--format", "markdown", "--summary"]) == 0
    assert "No differences." in capsys.readouterr().out
    assert main(["diff", "git:no-such-rev", str(paths.release_dir())]) == 2
    assert "no data/release/ at that revision" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # the temporary copies are removed
