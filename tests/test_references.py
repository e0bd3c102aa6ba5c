"""The bibliography is written from `sources` and prints a date for every entry (issue #19, item 5)."""

from __future__ import annotations

import subprocess

import polars as pl
import pytest

from talentgap import paths
from talentgap.api import load
from talentgap.references import ENTRIES, bib_path, render
from talentgap.site.markdown import pandoc_path


def test_committed_bibliography_is_the_one_written_from_sources():
    expected = render(load("sources", paths.release_dir()))
    assert bib_path().read_text(encoding="utf-8") == expected, "run: python -m talentgap.references"


def test_citeproc_prints_no_undated_reference(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(bib_path().read_text(encoding="utf-8"), encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(" ".join(f"[@{e.key}]" for e in ENTRIES) + "\n", encoding="utf-8")
    out = subprocess.run([pandoc_path(), str(page), "--citeproc", f"--bibliography={bib}", "-t", "plain"],
                         capture_output=True, text=True, check=True).stdout
    assert "n.d." not in out
    assert "2025" in out and "accessed 27 November 2026" in out


def test_an_entry_without_a_publication_date_shows_the_access_date():
    sources = load("sources", paths.release_dir()).with_columns(
        pl.when(pl.col("source_id") == "fred-fedfunds-2026-07").then(None).otherwise(pl.col("date_published")).alias("date_published")
    )
    text = render(sources)
    fred = text[text.index("@misc{fred,"):].split("\n}\n")[0]
    assert "date = {" not in fred.replace("urldate", "")
    assert "year = {accessed 27 November 2026}" in fred


def test_an_entry_naming_a_missing_source_is_an_error():
    sources = load("sources", paths.release_dir()).filter(pl.col("source_id") != "fred-fedfunds-2026-07")
    with pytest.raises(KeyError, match="fred-fedfunds-2026-07"):
        render(sources)


def test_every_citation_in_the_report_pages_has_an_entry():
    # A key cited in a page but missing from the bibliography renders as a bare "(key?)" with only a warning.
    import re

    keys = {e.key for e in ENTRIES}
    cited = {}
    for page in sorted((paths.ROOT / "report").glob("*.qmd")):
        for key in re.findall(r"(?<![\w.])@([A-Za-z][\w-]*)", page.read_text(encoding="utf-8")):
            cited.setdefault(key, page.name)
    cited = {k: v for k, v in cited.items() if not k.startswith(("fig-", "tbl-", "sec-"))}
    missing = {k: v for k, v in cited.items() if k not in keys}
    assert cited and not missing, f"cited without a bibliography entry: {missing}"
