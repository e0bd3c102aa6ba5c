"""Reusable checks of a rendered static site in Debian chromium (Playwright sync API).

Use from a test (import the fixtures into the test module so pytest finds them)::

    from tests.browser_utils import browser, browser_page, check_site, site_problems  # noqa: F401

    @pytest.mark.browser
    def test_report(browser_page, tmp_path):
        checks = check_site(Path("report/_site"), browser_page, screenshot_dir=tmp_path)
        assert not site_problems(checks)

``check_site`` opens every ``*.html`` page from ``file://`` and records console errors,
uncaught exceptions, dialogs (e.g. an injected ``alert``), failed requests and any
request leaving the site folder; it waits for every chart container to draw marks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--disable-sync"]
CHART_SELECTOR = ".vega-chart, .vega-embed"
LOCAL_SCHEMES = ("data:", "blob:", "about:")
SCREENSHOT_TIMEOUT_MS = 120_000

# Per chart container: how many drawn marks it has (SVG mark elements, or painted canvas pixels).
CHART_MARKS_JS = """(selector) => {
  const seen = new Set();
  return Array.from(document.querySelectorAll(selector)).filter((el) => {
    if (seen.has(el) || Array.from(seen).some((s) => s.contains(el))) return false;
    seen.add(el);
    return true;
  }).map((el) => {
    const svgMarks = el.querySelectorAll("svg g.role-mark > *").length;
    let canvasInk = 0;
    for (const c of el.querySelectorAll("canvas")) {
      if (!c.width || !c.height) continue;
      const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) { canvasInk++; if (canvasInk > 50) break; }
    }
    return { id: el.id || "", svgMarks, canvasInk };
  });
}"""


def chromium_available() -> bool:
    return CHROMIUM.exists()


def launch_chromium(playwright):
    """Launch Debian's chromium (never a Playwright-downloaded browser)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


@pytest.fixture(scope="session")
def browser():
    """A session-wide chromium; skips when /usr/bin/chromium or Playwright is missing."""
    if not chromium_available():
        pytest.skip(f"{CHROMIUM} not found: install Debian chromium (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        instance = launch_chromium(pw)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def browser_page(browser):
    """A fresh page in its own context (no shared cache or storage between tests)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@dataclass
class PageCheck:
    """What happened while one HTML page loaded."""

    page: str
    console_errors: list[str] = field(default_factory=list)
    console_warnings: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    screenshot: Path | None = None

    @property
    def problems(self) -> list[str]:
        out = [f"console error: {m}" for m in self.console_errors]
        out += [f"request outside the site: {u}" for u in self.external_requests]
        out += [f"failed request: {u}" for u in self.failed_requests]
        out += [f"dialog opened: {m}" for m in self.dialogs]
        out += [f"chart #{c['id'] or '?'} drew no marks" for c in self.charts
                if not (c["svgMarks"] or c["canvasInk"])]
        return [f"{self.page}: {p}" for p in out]


# NOTE: how long a page may take to draw its charts before they count as undrawn. A ceiling, not a speed target:
# a page that draws returns at once; on two loaded cores the exposure page's scatter once took over 20 s.
CHART_WAIT_MS = 60_000

def check_page(page, html_file: Path, site_dir: Path, screenshot_dir: Path | None = None,
               timeout_ms: int = CHART_WAIT_MS) -> PageCheck:
    """Load ``html_file`` in ``page`` from file:// and record what it did."""
    site_prefix = site_dir.resolve().as_uri() + "/"
    check = PageCheck(page=html_file.resolve().relative_to(site_dir.resolve()).as_posix())

    def on_request(request):
        url = request.url
        if not url.startswith(site_prefix) and not url.startswith(LOCAL_SCHEMES):
            check.external_requests.append(url)

    def on_console(msg):
        if msg.type == "error":
            check.console_errors.append(msg.text)
        elif msg.type == "warning":
            check.console_warnings.append(msg.text)

    def on_dialog(dialog):
        check.dialogs.append(dialog.message)
        dialog.dismiss()

    handlers = {
        "request": on_request,
        "requestfailed": lambda r: check.failed_requests.append(f"{r.url} ({r.failure})"),
        "console": on_console,
        "pageerror": lambda exc: check.console_errors.append(f"uncaught: {exc}"),
        "dialog": on_dialog,
    }
    for event, handler in handlers.items():
        page.on(event, handler)
    try:
        page.goto(html_file.resolve().as_uri(), wait_until="load")
        if page.locator(CHART_SELECTOR).count():
            try:
                page.wait_for_function(
                    f"(s) => ({CHART_MARKS_JS})(s).every((c) => c.svgMarks > 0 || c.canvasInk > 0)",
                    arg=CHART_SELECTOR, timeout=timeout_ms)
            except Exception:  # noqa: BLE001 - recorded below as "drew no marks"
                pass
        check.charts = page.evaluate(CHART_MARKS_JS, CHART_SELECTOR)
        if screenshot_dir is not None:
            screenshot_dir.mkdir(parents=True, exist_ok=True)
            check.screenshot = screenshot_dir / (check.page.replace("/", "__") + ".png")
            # NOTE: the window, not the full page: a full-page screenshot of a long page took tens of seconds
            # on a loaded machine (parallel test workers each drive a browser); allowed more than Playwright's 30 s.
            page.screenshot(path=str(check.screenshot), timeout=SCREENSHOT_TIMEOUT_MS)
    finally:
        for event, handler in handlers.items():
            page.remove_listener(event, handler)
    return check


def check_site(site_dir: Path, page, screenshot_dir: Path | None = None, timeout_ms: int = CHART_WAIT_MS) -> list[PageCheck]:
    """Check every ``*.html`` under ``site_dir`` (sorted) with one Playwright ``page``."""
    site_dir = Path(site_dir)
    files = sorted(p for p in site_dir.rglob("*.html") if "site_libs" not in p.relative_to(site_dir).parts)
    if not files:
        raise AssertionError(f"no HTML pages under {site_dir}")
    return [check_page(page, f, site_dir, screenshot_dir, timeout_ms) for f in files]


def site_problems(checks: list[PageCheck]) -> list[str]:
    """All problems found, one line each (empty when the site is clean)."""
    return [problem for check in checks for problem in check.problems]


# Layout at the current viewport: sideways scroll of the page, charts wider than their container,
# and text smaller than `min_px` (SVG text inside charts excluded; chart text has its own sizes).
LAYOUT_JS = """(minPx) => {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) out.push(`page scrolls sideways: ${doc.scrollWidth} > ${window.innerWidth}`);
  for (const el of document.querySelectorAll('.vega-chart')) {
    const box = el.getBoundingClientRect();
    const svg = el.querySelector('svg');
    if (!svg) { out.push(`chart #${el.id} has no svg`); continue; }
    const w = svg.getBoundingClientRect().width;
    if (w > box.width + 1) out.push(`chart #${el.id} is ${Math.round(w)} px wide in a ${Math.round(box.width)} px container`);
    if (box.right > window.innerWidth + 1) out.push(`chart #${el.id} ends at ${Math.round(box.right)} px`);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const small = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || el.closest('svg, script, style, .vega-chart .vg-tooltip')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < minPx) small.add(`${el.tagName.toLowerCase()}.${el.className || ''} ${size}px: ${node.textContent.trim().slice(0, 30)}`);
  }
  for (const s of Array.from(small).slice(0, 5)) out.push(`text below ${minPx} px: ${s}`);
  return out;
}"""


def layout_problems(page, min_px: float = 14) -> list[str]:
    """Layout problems of the page loaded in ``page`` at its current viewport (see LAYOUT_JS)."""
    return page.evaluate(LAYOUT_JS, min_px)
