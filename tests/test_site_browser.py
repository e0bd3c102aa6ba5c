"""The rendered fixture site in real chromium: no console errors, nothing fetched from outside, charts drawn."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from talentgap.site import render_site

from .browser_utils import check_site, site_problems
from .conftest import once_per_run

FIXTURE = Path(__file__).parent / "fixtures" / "site_example"

pytestmark = pytest.mark.browser


def _render(folder: Path) -> Path:
    project = folder / "site_example"
    shutil.copytree(FIXTURE, project)
    return render_site(project, log=lambda _m: None).out_dir


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory):
    """The fixture site rendered once per test run (shared by the workers)."""
    return once_per_run(tmp_path_factory, "site-example", _render)


def test_rendered_site_works_offline_in_chromium(site_dir, browser_page, tmp_path):
    checks = check_site(site_dir, browser_page, screenshot_dir=tmp_path / "screenshots")
    assert not site_problems(checks), "\n".join(site_problems(checks))
    by_page = {c.page: c for c in checks}
    assert set(by_page) == {"index.html", "analysis.html", "notes/methods.html"}
    assert len(by_page["analysis.html"].charts) == 2
    assert len(by_page["notes/methods.html"].charts) == 1
    assert by_page["index.html"].charts == []
    for check in checks:
        assert all(c["svgMarks"] > 0 for c in check.charts), check
        assert check.screenshot is not None and check.screenshot.stat().st_size > 1000


def test_checker_catches_broken_pages(site_dir, browser_page, tmp_path):
    """The helper must really fail: an external script, a console error, an alert and an empty chart."""
    bad_site = tmp_path / "bad"
    shutil.copytree(site_dir, bad_site)
    (bad_site / "bad.html").write_text(
        '<!DOCTYPE html><html><head><script src="https://cdn.invalid/x.js"></script></head><body>'
        '<div class="vega-chart" id="empty"></div>'
        '<script>console.error("boom"); alert("xss");</script></body></html>', encoding="utf-8")
    checks = check_site(bad_site, browser_page, timeout_ms=1500)
    problems = "\n".join(site_problems(checks))
    assert "bad.html: request outside the site: https://cdn.invalid/x.js" in problems
    assert "bad.html: console error: boom" in problems
    assert "bad.html: dialog opened: xss" in problems
    assert "bad.html: chart #empty drew no marks" in problems
    assert all(p.startswith("bad.html") for p in site_problems(checks))
