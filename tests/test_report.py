"""The real report: rendered offline from the release, opened in chromium, figures checked against the data."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import polars as pl
import pytest

from talentgap import paths
from talentgap.build import build
from talentgap.report import html_table
from talentgap.site import render_site

from .browser_utils import check_site, site_problems

REPORT = paths.ROOT / "report"
PAGES = {"index.html", "layoffs.html", "why.html", "premium.html", "skills.html", "morale.html", "claims.html", "data.html"}


def render_report(dest: Path, release: Path) -> Path:
    """Copy the report project, put the release files beside it as downloads, render it offline."""
    project = dest / "report"
    shutil.copytree(REPORT, project, ignore=shutil.ignore_patterns("_site", ".talentgap-cache", "downloads"))
    (project / "downloads").mkdir()
    for f in release.iterdir():
        shutil.copyfile(f, project / "downloads" / f.name)
    old = os.environ.get("TALENTGAP_RELEASE")
    os.environ["TALENTGAP_RELEASE"] = str(release)  # the page kernels inherit it
    try:
        return render_site(project, depends=[release / "datapackage.json"], log=lambda _m: None).out_dir
    finally:
        if old is None:
            os.environ.pop("TALENTGAP_RELEASE")
        else:
            os.environ["TALENTGAP_RELEASE"] = old


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return render_report(tmp_path_factory.mktemp("report"), paths.release_dir())


def _text(html_file: Path) -> str:
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_file.read_text(encoding="utf-8")))


def test_every_page_rendered_with_downloads(site):
    assert {p.name for p in site.glob("*.html")} == PAGES
    for name in ("datapackage.json", "layoff_events.csv", "layoff_events.parquet"):
        assert (site / "downloads" / name).read_bytes() == (paths.release_dir() / name).read_bytes()
    assert 'href="downloads/layoff_events.csv"' in (site / "data.html").read_text()


def test_summary_figures_equal_values_computed_from_the_release(site):
    release = paths.release_dir()
    totals = pl.read_csv(release / "layoff_tracker_totals.csv", try_parse_dates=True)
    full = (
        totals.filter((pl.col("tracker") == "layoffs.fyi") & pl.col("period_end").cast(pl.String).str.ends_with("-12-31"))
        .sort(["year", "as_of", "employees"], descending=[False, True, True], nulls_last=True)
        .group_by("year", maintain_order=True).first()
    )
    fyi_2022_2025 = full.filter(pl.col("year").is_between(2022, 2025))["employees"].sum()
    events = pl.read_csv(release / "layoff_events.csv")
    verdicts = dict(pl.read_csv(release / "claim_checks.csv").group_by("verdict").len().iter_rows())
    text = _text(site / "index.html")
    assert f"counted {fyi_2022_2025:,} people" in text
    assert f"Of the {events.height} widely reported" in text
    assert f"{events.filter(pl.col('ai_attribution') != 'none_stated').height} tie the cuts to AI" in text
    assert f"{verdicts.get('consistent', 0)} are consistent with the data" in text
    assert f"{verdicts.get('not_checkable', 0)} not checkable" in text


def test_html_table_escapes_text_from_data():
    df = pl.DataFrame({"company": ["<script>alert(1)</script>"], "url": ["javascript:alert(2)"]})
    out = html_table(df, {"Company": "company"}, links={"company": "url"}).data
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "javascript:" not in out  # only http(s) links become anchors


@pytest.mark.browser
def test_report_works_offline_in_chromium(site, browser_page, tmp_path):
    checks = check_site(site, browser_page, screenshot_dir=tmp_path / "screenshots")
    assert not site_problems(checks), "\n".join(site_problems(checks))
    by_page = {c.page: c for c in checks}
    assert set(by_page) == PAGES
    charts = {page: len(c.charts) for page, c in by_page.items()}
    assert charts == {"index.html": 0, "layoffs.html": 3, "why.html": 0, "premium.html": 2, "skills.html": 3,
                      "morale.html": 1, "claims.html": 0, "data.html": 0}
    for check in checks:
        assert all(c["svgMarks"] > 0 or c["canvasInk"] > 0 for c in check.charts), check.page
        assert check.screenshot.stat().st_size > 5000
    # Every chart carries a text alternative for screen readers.
    browser_page.goto((site / "layoffs.html").as_uri())
    labels = browser_page.eval_on_selector_all(".vega-chart", "els => els.map(e => e.getAttribute('aria-label'))")
    assert len(labels) == 3 and all(label and len(label) > 40 for label in labels)
    assert labels[0].startswith("Bar chart of full-year layoff totals by tracker.")


@pytest.mark.browser
def test_company_name_with_markup_shows_as_text(tmp_path, browser_page):
    curated = tmp_path / "curated"
    shutil.copytree(paths.curated_dir(), curated)
    for name in ("seed_documents.csv", "claims.csv", "EXCLUSION_RULE.md"):
        shutil.copyfile(paths.seeds_dir() / name, curated / name)
    rows = list(csv.DictReader(open(curated / "layoff_events.csv", encoding="utf-8")))
    biggest = max(rows, key=lambda r: int(r["headcount"] or 0))
    biggest["company"] = "<script>alert(1)</script>"
    with open(curated / "layoff_events.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    release = tmp_path / "release"
    build(curated, release)
    site = render_report(tmp_path, release)
    checks = check_site(site, browser_page)
    layoffs = next(c for c in checks if c.page == "layoffs.html")
    assert layoffs.dialogs == [] and not site_problems(checks)
    browser_page.goto((site / "layoffs.html").as_uri())
    assert browser_page.get_by_text("<script>alert(1)</script>").first.is_visible()
