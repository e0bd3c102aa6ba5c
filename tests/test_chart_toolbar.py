"""Each chart's toolbar: permalink anchor, PNG and SVG drawn offline, cite line and table view of its CSV."""

from __future__ import annotations

import csv
import html.parser
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from talentgap import site_files
from talentgap.pages import layoffs, premium
from talentgap.report import tables
from talentgap.schemas.tables import PACKAGE_VERSION, RELEASE_DATE

from .test_report import CHARTS, EMBED_RE, site  # noqa: F401  (the report rendered once per run)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def chart():
    return layoffs.trackers_chart(tables())


def svg_text(svg: bytes) -> str:
    """All text an SVG draws, its <text> elements' content joined by spaces."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))


def spec_title(spec: dict) -> str:
    text = spec["title"]["text"]
    return " ".join(text) if isinstance(text, list) else text


# ---------------------------------------------------------------- the HTML of one chart

def test_the_anchor_is_the_chart_id_with_a_visible_link_to_itself(chart):
    out = chart.anchor_html()
    assert f'id="{chart.id}"' in out and f'href="#{chart.id}"' in out and "Link to this chart" in out


def test_the_cite_line_names_title_site_version_date_and_the_charts_address(chart, monkeypatch):
    monkeypatch.delenv("QUARTO_PROJECT_ROOT", raising=False)
    monkeypatch.delenv("QUARTO_PROJECT_DIR", raising=False)
    monkeypatch.setenv("TALENTGAP_SITE_URL", "https://example.net/talentgap/")
    cite = chart.cite_text("layoffs.html")
    title = spec_title(chart.spec())
    assert cite == (f"{title}. talentgap, data release {PACKAGE_VERSION} ({RELEASE_DATE}). "
                    f"https://example.net/talentgap/layoffs.html#{chart.id}")
    assert f"<code>{cite}</code>" in chart.tools_html("layoffs.html")
    # Without an address (no site-url, none passed by the publish run) the line gives the page's own address.
    monkeypatch.delenv("TALENTGAP_SITE_URL")
    assert chart.cite_text("layoffs.html").endswith(f"({RELEASE_DATE}). layoffs.html#{chart.id}")


def test_the_cite_line_reads_the_site_url_and_page_of_the_project_being_rendered(chart, tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "_quarto.yml").write_text('website:\n  title: "Other site"\n  site-url: "https://example.org/x"\n')
    monkeypatch.setenv("QUARTO_PROJECT_ROOT", str(tmp_path))
    monkeypatch.setenv("QUARTO_DOCUMENT_PATH", str(tmp_path / "sub"))
    monkeypatch.setenv("QUARTO_DOCUMENT_FILE", "jobs.qmd")
    assert site_files.current_page() == "sub/jobs.html"
    assert chart.cite_text().endswith(f". Other site, data release {PACKAGE_VERSION} ({RELEASE_DATE}). "
                                      f"https://example.org/x/sub/jobs.html#{chart.id}")


def test_the_toolbar_links_the_png_and_svg_beside_the_csv_and_a_table_toggle(chart):
    out = chart.data_line()
    assert f'<a class="chart-png" href="charts/{chart.id}.png" download>' in out
    assert f'<a class="chart-svg" href="charts/{chart.id}.svg" download>' in out
    assert f'<details class="chart-table" data-print="closed" data-chart="{chart.id}"><summary>' in out


# ---------------------------------------------------------------- images drawn offline

def test_images_are_valid_contain_the_title_and_are_the_same_bytes_every_time(chart, tmp_path):
    spec = chart.spec()
    png, svg = site_files.chart_images(spec, tmp_path / "a")
    assert png.startswith(PNG_SIGNATURE)
    assert spec["title"]["text"][0] in svg_text(svg)
    assert site_files.chart_images(spec, tmp_path / "b") == (png, svg)  # drawn again, from nothing


def test_image_bytes_do_not_depend_on_what_the_process_drew_before(tmp_path):
    """Vega numbers gradient ids per process; a legend with a gradient must still come out the same."""
    import vl_convert

    spec = premium.real_wage_chart(tables()).spec()
    first = site_files.chart_images(spec, tmp_path / "a")
    assert b"gradient" in first[1]
    vl_convert.vegalite_to_svg(site_files.image_spec(spec))  # moves the process's counter on
    assert site_files.chart_images(spec, tmp_path / "b") == first


def test_a_drawn_image_is_reused_from_the_cache_and_a_changed_spec_is_drawn_again(chart, tmp_path, monkeypatch):
    import vl_convert

    spec = chart.spec()
    first = site_files.chart_images(spec, tmp_path)
    assert len(list((tmp_path / "chart-images").iterdir())) == 2

    def refuse(*_a, **_k):
        raise AssertionError("drawn again")

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", refuse)
    assert site_files.chart_images(spec, tmp_path) == first
    changed = {**spec, "title": {**spec["title"], "text": ["Another title"]}}
    with pytest.raises(AssertionError, match="drawn again"):
        site_files.chart_images(changed, tmp_path)


def test_image_specs_have_a_width_in_pixels_in_every_view():
    spec = {"width": "container", "vconcat": [{"width": "container"}, {"width": 100}]}
    fixed = site_files.image_spec(spec, 500)
    assert fixed == {"width": 500, "vconcat": [{"width": 500}, {"width": 100}]}
    assert spec["vconcat"][0]["width"] == "container"  # the chart's own spec is left as it was


# ---------------------------------------------------------------- the rendered report

class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [v for k, v in attrs if k == "id" and v]


def _chart_pages(site_dir: Path) -> list[Path]:
    return [site_dir / name for name, n in sorted(CHARTS.items()) if n]


def test_every_chart_has_a_unique_anchor_a_cite_line_for_its_page_and_its_images(site):  # noqa: F811
    for page in _chart_pages(site):
        text = page.read_text(encoding="utf-8")
        parser = _Ids()
        parser.feed(text)
        assert len(parser.ids) == len(set(parser.ids)), f"{page.name}: repeated element ids"
        anchors = re.findall(r'<p class="chart-anchor" id="([a-z0-9-]+)"><a href="#\1">', text)
        csvs = re.findall(r'<a class="chart-csv" href="charts/([a-z0-9-]+)\.csv"', text)
        assert anchors == csvs and len(anchors) == CHARTS[page.name], page.name
        cites = [html.unescape(c) for c in re.findall(r'<p class="chart-cite">Cite this chart: <code>(.*?)</code>', text)]
        for ident, cite, (_div, spec_text) in zip(anchors, cites, EMBED_RE.findall(text), strict=True):
            spec = json.loads(spec_text)
            assert cite == (f"{spec_title(spec)}. talentgap, data release {PACKAGE_VERSION} ({RELEASE_DATE}). "
                            f"{page.name}#{ident}")
            png, svg = (site / "charts" / f"{ident}.png").read_bytes(), (site / "charts" / f"{ident}.svg").read_bytes()
            assert png.startswith(PNG_SIGNATURE), ident
            assert spec["title"]["text"][0] in svg_text(svg), ident


# NOTE: that the post-render step alone draws the same PNG and SVG bytes is tested in tests/test_report.py, in one
# post-render run with its CSVs.


@pytest.mark.browser
def test_the_table_view_shows_exactly_the_csv_and_the_downloads_exist(site, browser_page):  # noqa: F811
    for page in _chart_pages(site):
        browser_page.goto(page.resolve().as_uri(), wait_until="load")
        browser_page.wait_for_function("() => Array.from(document.querySelectorAll('.vega-chart')).every(e => e.tgSpec)")
        toggles = browser_page.locator("details.chart-table")
        assert toggles.count() == CHARTS[page.name], page.name
        for i in range(toggles.count()):
            details = toggles.nth(i)
            ident = details.get_attribute("data-chart")
            assert details.locator("table").count() == 0  # built only when opened
            details.locator("summary").click()
            table = details.locator("table")
            table.wait_for()
            got = table.evaluate("""t => ({
                caption: t.caption ? t.caption.textContent : null,
                head: Array.from(t.tHead.rows[0].cells).map(c => [c.tagName, c.getAttribute('scope'), c.textContent]),
                rows: Array.from(t.tBodies[0].rows).map(r => Array.from(r.cells).map(c => c.textContent)),
            })""")
            want = list(csv.reader(io.StringIO((site / "charts" / f"{ident}.csv").read_text(encoding="utf-8"))))
            assert [h[2] for h in got["head"]] == want[0], ident
            assert all(h[:2] == ["TH", "col"] for h in got["head"]), ident
            assert got["rows"] == want[1:], ident
            assert got["caption"] and f"{len(want) - 1} rows" in got["caption"], ident
        hrefs = browser_page.eval_on_selector_all("a.chart-png, a.chart-svg, a.chart-csv", "els => els.map(e => e.href)")
        assert len(hrefs) == 3 * CHARTS[page.name]
        for href in hrefs:
            assert href.startswith("file://") and Path(href[len("file://"):]).is_file(), href
        assert browser_page.locator("button.cite-copy:visible").count() == CHARTS[page.name]
        # The permalink: following a chart's "#" link puts its anchor at the top of the window.
        browser_page.wait_for_function("() => Array.from(document.querySelectorAll('.vega-chart')).every(e => e.querySelector('svg'))")
        last = browser_page.locator("p.chart-anchor").last
        ident = last.get_attribute("id")
        last.locator("a").click()
        assert browser_page.url.endswith(f"{page.name}#{ident}")
        top = last.evaluate("e => e.getBoundingClientRect().top")
        assert -2 <= top <= 2 or browser_page.evaluate("() => window.scrollY + window.innerHeight >= document.body.scrollHeight - 2"), top
