"""The real report: rendered offline from the release, opened in chromium, figures checked against the data."""

from __future__ import annotations

import csv
import hashlib
import html
import json
import os
import re
import shutil
from pathlib import Path

import polars as pl
import pytest

from talentgap import paths
from talentgap.build import build
from talentgap.report import html_table
from talentgap.site import render_site

from .browser_utils import check_page, layout_problems, site_problems
from .conftest import once_per_run
from .phone_checks import phone_problems

REPORT = paths.ROOT / "report"
PAGES = {"index.html", "layoffs.html", "why.html", "premium.html", "skills.html", "exposure.html", "morale.html", "claims.html", "data.html",
         "provenance.html"}
PAGES.add("jobs.html")
CHARTS = {"index.html": 1, "layoffs.html": 3, "why.html": 1, "premium.html": 3, "skills.html": 3, "exposure.html": 2, "morale.html": 2,
          "claims.html": 0, "data.html": 0, "provenance.html": 0}
CHARTS["jobs.html"] = 3
PROV_LINK_RE = re.compile(r'<a class="prov" href="provenance\.html#([a-z0-9-]+)"[^>]*>([^<]*)</a>')
ENTRY_RE = re.compile(r'<section class="prov-entry" id="([a-z0-9-]+)" data-op="(\w+)" data-column="(\w*)" '
                      r'data-value="([^"]+)" data-text="([^"]*)">(.*?)</section>', re.S)
EMBED_RE = re.compile(r'<div id="(vega-[^"]+)" class="vega-chart"[^>]*></div>\s*<script>tgEmbed\("[^"]+", (.*?), \{"renderer"', re.S)


def render_report(dest: Path, release: Path, pages: set[str] | None = None) -> Path:
    """Copy the report project, put the release files beside it as downloads, render it offline.

    `pages`: render only these .qmd files (the others are left out of the copy).
    """
    project = dest / "report"
    shutil.copytree(REPORT, project, ignore=shutil.ignore_patterns("_site", ".talentgap-cache", "downloads"))
    for qmd in project.glob("*.qmd"):
        if pages is not None and qmd.name not in pages:
            qmd.unlink()
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


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The report rendered from the committed release, once per test run (shared by the workers)."""
    return once_per_run(tmp_path_factory, "report-site", lambda folder: render_report(folder, paths.release_dir()))


def _text(html_file: Path) -> str:
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_file.read_text(encoding="utf-8")))


def test_every_page_rendered_with_downloads(site):
    assert {p.name for p in site.glob("*.html")} == PAGES
    for name in ("datapackage.json", "layoff_events.csv", "layoff_events.parquet"):
        assert (site / "downloads" / name).read_bytes() == (paths.release_dir() / name).read_bytes()
    assert 'href="downloads/layoff_events.csv"' in (site / "data.html").read_text()


def _links(page: Path) -> dict[str, str]:
    return {ident: html.unescape(text) for ident, text in PROV_LINK_RE.findall(page.read_text(encoding="utf-8"))}


def test_summary_figures_equal_values_computed_from_the_release(site):
    """The summary's numbers, recomputed here from the release's CSV files, not through analysis/."""
    release = paths.release_dir()
    monthly = pl.read_csv(release / "layoffs_fyi_monthly.csv", try_parse_dates=True)  # one row per month
    by_year = monthly.group_by(pl.col("month").dt.year().alias("year")).agg(pl.col("employees").sum(), pl.len().alias("n"))
    full = {y: v for y, v, n in by_year.iter_rows() if n == 12}
    verdicts = dict(pl.read_csv(release / "claim_checks.csv").group_by("verdict").len().iter_rows())
    groups = pl.read_csv(release / "employment_change_groups.csv")
    rates = pl.read_csv(release / "rates.csv", try_parse_dates=True).filter(pl.col("month") >= pl.date(2022, 1, 1))
    links = _links(site / "index.html")
    assert links["summary-fyi-2022-2025"] == f"{sum(full[y] for y in range(2022, 2026)):,}"
    for year in range(2022, 2026):
        assert links[f"summary-fyi-{year}"] == f"{full[year]:,}"
    assert links["summary-fyi-peak-month"] == f"{monthly['employees'].max():,}"
    assert links["summary-claims-consistent"] == str(verdicts["consistent"])
    assert links["summary-claims-not-checkable"] == str(verdicts["not_checkable"])
    routine = groups.filter(pl.col("role_group") == "routine")["employment_change_share"][0]
    assert links["summary-jobs-routine"] == f"{routine * 100:+.1f}%"
    assert links["summary-rate-peak"] == f"{rates['rate_percent'].max():.2f}%"
    layoffs = _links(site / "layoffs.html")
    totals = pl.read_csv(release / "layoff_tracker_totals.csv", try_parse_dates=True)
    ch = (totals.filter((pl.col("tracker") == "challenger") & (pl.col("year") == 2023) & pl.col("period_end").cast(pl.String).str.ends_with("-12-31"))
          .sort(["as_of", "employees"], descending=True, nulls_last=True)["employees"][0])
    assert layoffs["challenger-2023"] == f"{ch:,}"
    assert layoffs["ratio-2023"] == f"{full[2023] / ch:.1f}"
    assert layoffs["events-count"] == str(pl.read_csv(release / "layoff_events.csv").height)


def _recompute(op: str, column: str, rows: pl.DataFrame) -> float:
    """The provenance operations, written again here so that the test does not trust analysis/provenance.py."""
    if op == "count":
        return rows.height
    col = rows[column]
    if op == "value":
        assert rows.height == 1
        return col[0]
    if op in ("sum", "max", "min", "mean"):
        return {"sum": col.sum, "max": col.max, "min": col.min, "mean": col.mean}[op]()
    def part(term):
        return rows.filter(pl.col("term") == term)[column].sum()
    if op == "ratio":
        return part("numerator") / part("denominator")
    return part("to") / part("from") - 1 if op == "change" else part("to") - part("from")


def test_every_prov_link_resolves_and_its_rows_reproduce_the_number(site):
    prov_page = (site / "provenance.html").read_text(encoding="utf-8")
    entries = {m[0]: m for m in ENTRY_RE.findall(prov_page)}
    digest = hashlib.sha256((paths.release_dir() / "datapackage.json").read_bytes()).hexdigest()
    linked = 0
    for page in sorted(site.glob("*.html")):
        for ident, text in PROV_LINK_RE.findall(page.read_text(encoding="utf-8")):
            assert ident in entries, f"{page.name}: link to missing provenance entry #{ident}"
            assert html.unescape(text) == html.unescape(entries[ident][4]), (page.name, ident)
            linked += 1
    assert linked >= 60
    for ident, op, column, value, text, body in entries.values():
        rows = pl.read_csv(site / "provenance" / f"{ident}.csv", try_parse_dates=True)
        assert _recompute(op, column, rows) == pytest.approx(float(value), rel=1e-12), ident
        assert f'href="provenance/{ident}.csv"' in body
        assert digest in body and "talentgap 0." in body
        assert re.search(r'<a href="https?://', body), f"{ident}: no source URL"


def test_figure_links_are_anchors_not_escaped_text(site):
    text = (site / "index.html").read_text(encoding="utf-8")
    assert "&lt;a class" not in text and text.count('class="prov"') >= 15


def test_every_page_loads_under_the_first_visit_target_and_only_chart_pages_load_the_vega_bundle(site):
    from talentgap.site.shell import FIRST_VISIT_TARGET_BYTES, first_visit_bytes

    weights = {page.name: first_visit_bytes(site, page.name) for page in sorted(site.glob("*.html"))}
    assert {name for name, (size, _) in weights.items() if size >= FIRST_VISIT_TARGET_BYTES} == set(), weights
    for name, (_size, refs) in weights.items():
        assert ("site_libs/vega/vega-bundle.js" in refs) == (CHARTS[name] > 0), name
    # NOTE: that the bundle is Vega alone is checked in tests/test_site_render.py.


def test_every_chart_has_a_csv_equal_to_its_data_and_its_sources(site):
    for page in sorted(site.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        embeds = EMBED_RE.findall(text)
        assert len(embeds) == CHARTS[page.name], page.name
        csvs = re.findall(r'<a class="chart-csv" href="(charts/[a-z0-9-]+\.csv)"', text)
        assert len(csvs) == len(embeds), page.name
        for (div, spec_text), csv_path in zip(embeds, csvs):
            spec = json.loads(spec_text)
            # The page draws a Vega spec: exactly one of its datasets holds values, the CSV text, and usermeta names it
            # for the table view; every other dataset is derived from it.
            inline = [d for d in spec["data"] if "values" in d]
            assert [d["name"] for d in inline] == [spec["usermeta"]["tgTable"]], div
            table = inline[0]
            assert table["format"]["type"] == "csv" and '"url"' not in json.dumps(spec), f"{div}: data outside the CSV"
            assert (site / csv_path).read_text(encoding="utf-8") == table["values"], div
            assert spec["description"] and spec["title"]["text"], div
        for line in re.findall(r'<p class="chart-data">(.*?)</p>', text, re.S):
            assert re.search(r'<a href="https?://', line), f"{page.name}: chart without a source link"


def _charts(page: Path) -> list[tuple[dict, pl.DataFrame]]:
    """Each chart of a page: the Vega spec it draws and its CSV (the rows it draws)."""
    text = page.read_text(encoding="utf-8")
    csvs = re.findall(r'<a class="chart-csv" href="(charts/[a-z0-9-]+\.csv)"', text)
    return [(json.loads(spec), pl.read_csv(page.parent / path, try_parse_dates=True, infer_schema_length=None))
            for (_div, spec), path in zip(EMBED_RE.findall(text), csvs)]


def _symbols(spec, shape: str) -> list[dict]:
    """The `update` encodings of every symbol mark of one shape in a Vega spec (groups walked)."""
    found = []
    if isinstance(spec, dict):
        update = (spec.get("encode") or {}).get("update") or {}
        if spec.get("type") == "symbol" and (update.get("shape") or {}).get("value") == shape:
            found.append(update)
        for value in spec.values():
            found += _symbols(value, shape)
    elif isinstance(spec, list):
        for value in spec:
            found += _symbols(value, shape)
    return found


def test_layoff_prose_states_the_markers_the_chart_draws_and_their_colour(site):
    from talentgap.figures import COLOUR_NAMES

    page = site / "layoffs.html"
    links = _links(page)
    spec, rows = _charts(page)[0]
    assert int(links["events-drawn"]) == rows.filter(pl.col("layer") == "announcement").height
    assert int(links["events-plans"]) == rows.filter(pl.col("layer") == "plan").height
    assert int(links["events-10000"]) == rows.filter((pl.col("layer") == "announcement") & (pl.col("people") >= 10000)).height
    release = pl.read_csv(paths.release_dir() / "layoff_events.csv")
    assert int(links["events-no-headcount"]) == release["headcount"].null_count()
    # The colour word in the prose is the colour the circles are drawn in.
    colour = re.search(r"The (\w[\w -]*?) dots are", _text(page)).group(1)
    circles = [c["fill"]["value"] for c in _symbols(spec, "circle")]
    assert circles and all(COLOUR_NAMES[c] == colour for c in circles), (colour, circles)
    assert colour not in ("red",) or all(c == "#ff0000" for c in circles)


def test_dates_in_chart_titles_are_the_dates_in_the_prose(site):
    why = site / "why.html"
    title = " ".join(_charts(why)[0][0]["title"]["text"])
    prose = _text(why)
    peak = re.search(r"peaked at [\d.]+ on \d+ (\w+ \d{4})", prose).group(1)
    assert f"Software postings peaked in {peak}" in title, (peak, title)
    layoffs = site / "layoffs.html"
    month = re.search(r"the largest month was (\w+ \d{4})", _text(layoffs)).group(1)
    assert " ".join(_charts(layoffs)[0][0]["title"]["text"]).endswith(month)
    rows = _charts(layoffs)[0][1].filter(pl.col("layer") == "month").sort(["people", "date"], descending=[True, False])
    assert f"{rows['date'][0]:%B %Y}" == month
    index = site / "index.html"
    day = re.search(r"stood at [\d.]+ on (\d+ \w+ \d{4}), when the index of all postings", _text(index)).group(1)
    assert " ".join(_charts(index)[0][0]["title"]["text"]).startswith(f"On {day},")


def test_premium_prose_states_the_range_the_chart_draws(site):
    page = site / "premium.html"
    links = _links(page)
    charts = _charts(page)
    premium = charts[0][1]
    assert links["premium-largest"] == f"{premium['premium_percent'].max():.0f}%"
    assert links["premium-smallest"] == f"{premium['premium_percent'].min():.0f}%"
    assert int(links["premium-figures"]) == premium.height
    grid = charts[2][1]
    assert int(links["wage-pairs"]) == grid.height
    assert int(links["wage-pairs-real-fall"]) == grid.filter(pl.col("real_percent") < 0).height


def test_every_chart_has_a_method_note_and_the_last_date_of_its_series(site):
    for page in sorted(site.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        notes = re.findall(r'<p class="chart-method"><strong>How to read it\.</strong> ([^<]{80,})</p>', text)
        through = re.findall(r'<p class="chart-through"><strong>Data through</strong> ([^<]+)</p>', text)
        assert len(notes) == len(through) == CHARTS[page.name], page.name
        assert all(re.search(r"20\d\d", t) for t in through), page.name


def test_summary_asks_the_question_and_dates_every_finding(site):
    text = (site / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S).group(1)
    # "AI-driven" only as a question, never asserted.
    assert "AI-driven" not in title.replace("AI-driven?", "")  and "AI-driven?" in title
    box = re.search(r'<div class="key-findings">(.*?)</div>', text, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", box, re.S)
    assert len(items) >= 5
    for item in items:
        assert re.search(r"\b20\d\d\b", re.sub(r"<[^>]+>", " ", item)), item


def test_confidence_lines_never_join_across_gaps_or_definitions(site):
    rows = _charts(site / "morale.html")[0][1].filter(pl.col("layer") == "confidence").sort("date")
    for segment, part in rows.group_by("segment"):
        assert part["series"].n_unique() == 1, segment
        months = part["date"].dt.year() * 12 + part["date"].dt.month()
        assert (months.diff().drop_nulls() <= 3).all(), segment
    assert rows.filter(pl.col("series").str.starts_with("Tech"))["series"].n_unique() == 2


def test_layoff_panels_mark_the_months_without_data(site):
    for page, index in (("why.html", 0), ("index.html", 0)):
        rows = _charts(site / page)[index][1]
        first = rows.filter(pl.col("layer") == "layoffs")["date"].min()
        band = rows.filter(pl.col("layer") == "no_data")
        if first > pl.Series([TIME_START]).str.to_date()[0]:
            assert band.height == 1 and band["end"][0] == first, page
        else:
            assert band.is_empty(), page


TIME_START = "2020-01-01"
NARRATIVE = ["index.html", "layoffs.html", "why.html", "premium.html", "skills.html", "morale.html", "claims.html"]


def _prose(page: Path) -> str:
    """The page's own words: paragraphs, list items and headings, without tables, charts, notes under charts or details."""
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"<(table|details|script|style|code|figcaption)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r'<p class="chart-(data|method|through)">.*?</p>', " ", text, flags=re.S)
    text = re.sub(r'<div class="(tg-references|csl-bib-body)[^"]*".*', " ", text, flags=re.S)
    body = re.findall(r"<(p|li|h[1-3])\b[^>]*>(.*?)</\1>", text, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", part) for _tag, part in body)


def test_prose_speaks_no_column_or_table_names(site):
    for name in NARRATIVE:
        words = set(re.findall(r"\b[a-z]+_[a-z0-9_]+\b", _prose(site / name)))
        assert not words, f"{name}: {sorted(words)}"
        assert "stand-off" not in _prose(site / name) and "vintage" not in _prose(site / name), name


def test_claims_page_names_each_article_and_states_its_rule_as_applied(site):
    from talentgap.claims import QUALIFIER_BOUNDS, RECONSTRUCTION_SLACK

    page = (site / "claims.html").read_text(encoding="utf-8")
    release = paths.release_dir()
    docs = pl.read_csv(release / "seed_documents.csv")
    claims = pl.read_csv(release / "claims.csv").join(pl.read_csv(release / "claim_checks.csv"), on="claim_id")
    for doc in docs.iter_rows(named=True):
        assert f'href="{html.escape(doc["url"], quote=True)}"' in page and html.escape(doc["title"]) in page
    assert page.count('<li class="claim v-') == claims.height
    for verdict, n in claims.group_by("verdict").len().iter_rows():
        assert f'<li class="claim v-{verdict}"' in page and f'id="cf-{verdict}"' in page
    assert not re.search(r"[0-9a-f]{16}#\d", _prose(site / "claims.html")), "claim ids in the prose"
    # The rule states the slack and the bounds it applies.
    slack = f"{RECONSTRUCTION_SLACK * 100:g}%"
    assert f"{slack} wider on each side" in page
    for key in ("none", "over", "nearly"):
        low, high, _ = QUALIFIER_BOUNDS[key]
        assert f"{low * 100:g}% to {high * 100:g}% of the figure" in page
    # Every verdict that needed the slack says so; the count is recomputed here from the release.
    needed = 0
    for c in claims.filter((pl.col("verdict") == "consistent") & pl.col("reason").str.contains("rebuilt")).iter_rows(named=True):
        low, high, _ = QUALIFIER_BOUNDS[c["qualifier"]]
        needed += not (low <= c["compared_value"] / c["claim_value"] <= high)
    assert needed >= 1 and page.count(f"Consistent only with the {slack} allowance") == needed


def test_html_table_escapes_text_from_data():
    df = pl.DataFrame({"company": ["<script>alert(1)</script>"], "url": ["javascript:alert(2)"]})
    out = html_table(df, {"Company": "company"}, links={"company": "url"}).data
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "javascript:" not in out  # only http(s) links become anchors


def _wait_for_drawn_charts(page, name: str) -> None:
    if CHARTS[name]:
        page.wait_for_function("() => Array.from(document.querySelectorAll('.vega-chart')).every(e => e.querySelector('svg g.role-mark'))")
        page.wait_for_timeout(300)  # concatenated charts are redrawn once at their measured width


@pytest.mark.browser
def test_report_works_offline_in_chromium_and_reads_at_desktop_width(site, browser, tmp_path):
    """Every page from file://: no errors, nothing outside, charts drawn; no sideways scroll, charts within their
    container, text of 14 px or more at 1280 px. Each page is loaded once for all of it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        checks, problems = [], []
        for name in sorted(PAGES):
            checks.append(check_page(page, site / name, site, screenshot_dir=tmp_path / "screenshots"))
            _wait_for_drawn_charts(page, name)
            problems += [f"{name} @1280px: {p}" for p in layout_problems(page)]
        assert {c.page for c in checks} == {p.name for p in site.glob("*.html")}
        assert not site_problems(checks), "\n".join(site_problems(checks))
        assert not problems, "\n".join(problems)
        by_page = {c.page: c for c in checks}
        assert {name: len(c.charts) for name, c in by_page.items()} == CHARTS
        for check in checks:
            assert all(c["svgMarks"] > 0 or c["canvasInk"] > 0 for c in check.charts), check.page
            assert check.screenshot.stat().st_size > 5000
        # Every chart carries a text alternative for screen readers.
        page.goto((site / "layoffs.html").as_uri())
        labels = page.eval_on_selector_all(".vega-chart", "els => els.map(e => e.getAttribute('aria-label'))")
        assert len(labels) == 3 and all(label and len(label) > 40 for label in labels)
        assert labels[0].startswith("Monthly layoffs counted by Layoffs.fyi")
    finally:
        context.close()


@pytest.mark.browser
def test_every_page_reads_at_phone_width_with_whole_chart_titles_no_overlapping_labels_and_pinned_key_columns(site, browser):
    """At 390 px: no sideways scroll, charts within their container, text of 14 px or more, charts drawn,
    nothing outside; no chart title or subtitle cut, no two chart labels overlapping, wide tables with their
    key column pinned (tests/phone_checks.py). Each page is loaded once for all of it."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        checks, problems = [], []
        for name in sorted(PAGES):
            checks.append(check_page(page, site / name, site))
            _wait_for_drawn_charts(page, name)
            problems += [f"{name} @390px: {p}" for p in layout_problems(page) + phone_problems(page)]
        assert {c.page for c in checks} == {p.name for p in site.glob("*.html")}
        assert not site_problems(checks), "\n".join(site_problems(checks))
        assert not problems, "\n".join(problems)
        assert not errors
    finally:
        context.close()


@pytest.mark.browser
def test_provenance_links_land_on_their_entry(site, browser_page):
    browser_page.goto((site / "index.html").as_uri())
    link = browser_page.locator("a.prov").first
    ident = link.get_attribute("href").split("#")[1]
    number = link.inner_text()
    link.click()
    browser_page.wait_for_load_state()
    assert browser_page.url.endswith(f"provenance.html#{ident}")
    entry = browser_page.locator(f"section#{ident}")
    assert entry.is_visible() and entry.locator(".prov-value").inner_text() == number


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
    # NOTE: only the pages whose module reads layoff_events can show a company's name (and the provenance page,
    # which lists the rows behind each number); the others are not rendered. Of those, the pages that carry the
    # name, in any form, are opened in chromium.
    readers = {p.stem for p in (paths.ROOT / "analysis" / "pages").glob("*.py") if '"layoff_events"' in p.read_text(encoding="utf-8")}
    assert {"layoffs", "why", "claims"} <= readers
    site = render_report(tmp_path, release, pages={f"{name}.qmd" for name in readers | {"provenance"}})
    carrying = sorted(p for p in site.glob("*.html") if "alert(1)" in p.read_text(encoding="utf-8"))
    assert {"layoffs.html", "provenance.html"} <= {p.name for p in carrying}
    checks = [check_page(browser_page, p, site) for p in carrying]
    assert all(c.dialogs == [] for c in checks) and not site_problems(checks)
    browser_page.goto((site / "layoffs.html").as_uri())
    assert browser_page.get_by_text("<script>alert(1)</script>").first.is_visible()


def test_the_post_render_step_alone_writes_the_same_csvs_and_images_as_the_offline_renderer(site, tmp_path):
    """As after a real Quarto render: a site without chart or provenance files gets, from the post-render script
    alone, the CSVs the offline site's pages wrote and the same PNG and SVG bytes, drawn from nothing."""
    import subprocess
    import sys

    def csvs(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for d in ("charts", "provenance") for p in sorted((root / d).glob("*.csv"))}

    offline = csvs(site)
    assert len([p for p in offline if p.startswith("charts/")]) == sum(CHARTS.values())
    assert len([p for p in offline if p.startswith("provenance/")]) == len(ENTRY_RE.findall((site / "provenance.html").read_text()))
    images = sorted(p.name for p in (site / "charts").iterdir() if p.suffix in (".png", ".svg"))
    assert len(images) == 2 * sum(CHARTS.values())
    project = tmp_path / "project"
    shutil.copytree(REPORT, project, ignore=shutil.ignore_patterns("_site", ".talentgap-cache", "downloads"))
    quarto_site = project / "_site"
    # NOTE: one post-render run for both comparisons (it rebuilds every chart): the charts folder is left empty.
    shutil.copytree(site, quarto_site, ignore=lambda d, names: names if Path(d).name == "charts" else [n for n in names if n.endswith(".csv")])
    assert csvs(quarto_site) == {} and not any((quarto_site / "charts").iterdir())
    env = {**os.environ, "QUARTO_PROJECT_OUTPUT_DIR": "_site", "TALENTGAP_RELEASE": str(paths.release_dir())}
    env.pop("TALENTGAP_CACHE_DIR", None)
    done = subprocess.run([sys.executable, "_postrender.py"], cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert csvs(quarto_site) == offline
    for name in images:
        assert (quarto_site / "charts" / name).read_bytes() == (site / "charts" / name).read_bytes(), name
