"""`make pdf` / `talentgap pdf`: one PDF of the rendered report, for those who print or archive it.

Reads the rendered site (report/_site/, made by `make report`); nothing is rendered again. Debian's
chromium (never a Playwright-downloaded browser) opens each page of the navbar in order from file://,
waits until every chart is drawn, adds the print stylesheet (site/static/print.css) and prints the page;
pypdf then joins a cover page (title, release version and date, contents) and the pages into
report/_pdf/talentgap-<version>.pdf, written to a temporary file and renamed.

Links: a publisher's http(s) link stays a link. A link to another page of the site (page.html#anchor)
becomes a link inside the PDF to that anchor (or to the page's first sheet if the anchor is not found).
A link to a data file of the site (CSV download) has no target inside the PDF and would point at a
file:// path of the machine that printed it, so it is removed; its text stays.
"""

from __future__ import annotations

import argparse
import html
import io
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import paths
from .schemas.tables import PACKAGE_VERSION, RELEASE_DATE

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--disable-sync"]
PAPER = "A4"
MARGIN_MM = 15
# NOTE: the window is as wide as the printable width of the paper (A4 less the margins, in CSS px at 96
# per inch), so charts drawn on the screen layout are exactly as wide as the printed page.
PRINT_WIDTH_PX = round((210 - 2 * MARGIN_MM) / 25.4 * 96)
CHART_TIMEOUT_MS = 60_000
PRINT_CSS = Path(__file__).parent / "site" / "static" / "print.css"
OUT_DIRNAME = "_pdf"
COVER = "(cover)"  # not a file name of the site

# Resolves once every chart container holds a drawn chart (SVG marks or painted canvas) and the drawing
# has not changed for a few polls (a chart sized to its container may be laid out again as the page settles).
CHARTS_DRAWN_JS = """(timeoutMs) => new Promise((resolve) => {
  const started = Date.now();
  let last = null, stable = 0;
  function state() {
    return Array.from(document.querySelectorAll(".vega-chart")).map((el) => {
      const svg = el.querySelector("svg");
      const marks = el.querySelectorAll("svg g.role-mark > *").length;
      const canvas = Array.from(el.querySelectorAll("canvas")).some((c) => c.width > 0 && c.height > 0);
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      return { id: el.id, drawn: marks > 0 || canvas, size: `${Math.round(box.width)}x${Math.round(box.height)}:${marks}` };
    });
  }
  function poll() {
    const now = state();
    const key = JSON.stringify(now);
    const drawn = now.every((c) => c.drawn);
    stable = drawn && key === last ? stable + 1 : 0;
    last = key;
    if (stable >= 3) return resolve({ ok: true, missing: [] });
    if (Date.now() - started > timeoutMs) return resolve({ ok: false, missing: now.filter((c) => !c.drawn).map((c) => c.id) });
    setTimeout(poll, 100);
  }
  (document.fonts ? document.fonts.ready : Promise.resolve()).then(poll);
})"""

# Before printing: open every <details> (unless marked data-print="closed") and add, out of sight, a
# link to each element id of the page so that chromium writes a named destination for every anchor
# (it writes one only for anchors linked from the same page); those destinations become the targets of
# the links between pages.
PREPARE_JS = """() => {
  document.querySelectorAll("details").forEach((d) => { if (d.dataset.print !== "closed") d.open = true; });
  const box = document.createElement("div");
  box.style.display = "none";
  box.setAttribute("data-pdf-anchors", "");
  document.querySelectorAll("[id]").forEach((el) => {
    const a = document.createElement("a");
    a.href = "#" + encodeURIComponent(el.id);
    box.appendChild(a);
  });
  document.body.appendChild(box);
}"""


class PdfError(RuntimeError):
    """The PDF cannot be made: a missing tool, page or chart; the message says which and what to do."""


@dataclass(frozen=True)
class SitePage:
    file: str  # e.g. "layoffs.html"
    text: str  # its navbar label


@dataclass
class Printed:
    name: str  # site page file, or COVER
    pdf: bytes


def output_path(project: Path | None = None) -> Path:
    project = project or paths.ROOT / "report"
    return project / OUT_DIRNAME / f"talentgap-{PACKAGE_VERSION}.pdf"


def site_pages(project: Path, site: Path) -> list[SitePage]:
    """The site's pages in the order of its navbar (report/_quarto.yml); each must have been rendered."""
    from .site.project import load_project

    items = [item for item in load_project(project).navbar() if item.page]
    pages = [SitePage(str(Path(item.page).with_suffix(".html")), item.text or item.page) for item in items]
    missing = [p.file for p in pages if not (site / p.file).is_file()]
    if not pages:
        raise PdfError(f"{project / '_quarto.yml'}: the navbar lists no page")
    if missing:
        raise PdfError(f"the rendered site {site} lacks {', '.join(missing)}: run `make report` first")
    return pages


def _imports():
    try:
        from playwright.sync_api import sync_playwright
        from pypdf import PdfReader, PdfWriter
    except ImportError as err:
        raise PdfError(f"{err.name} is not installed: pip install -e '.[pdf]' (make pdf does it)") from err
    return sync_playwright, PdfReader, PdfWriter


def _print(page, url: str | None, footer: str, log=print) -> bytes:
    """Print one page (opened from `url`, or the content already in `page` if None) once its charts are drawn."""
    if url is not None:
        page.goto(url, wait_until="load")
    url = url or page.url
    state = page.evaluate(CHARTS_DRAWN_JS, CHART_TIMEOUT_MS)
    if not state["ok"]:
        raise PdfError(f"{url}: chart(s) not drawn after {CHART_TIMEOUT_MS / 1000:g} s: {', '.join(state['missing'])}")
    page.add_style_tag(content=PRINT_CSS.read_text(encoding="utf-8"))
    page.evaluate(PREPARE_JS)
    width_px = page.evaluate("document.documentElement.scrollWidth")
    if width_px > PRINT_WIDTH_PX + 1:
        # NOTE: a warning, not an error: the page still prints, cut at the paper's right edge.
        log(f"talentgap pdf: warning: {url} is {width_px} px wide, wider than the paper ({PRINT_WIDTH_PX} px): its right part is cut")
    margin = f"{MARGIN_MM}mm"
    return page.pdf(format=PAPER, print_background=True, margin={"top": margin, "bottom": margin, "left": margin, "right": margin},
                    display_header_footer=True, header_template="<span></span>", footer_template=footer)


def _footer(label: str) -> str:
    text = html.escape(f"talentgap {PACKAGE_VERSION} ({RELEASE_DATE}) · {label}")
    return (f'<div style="font-size:7pt;color:#555;width:100%;padding:0 {MARGIN_MM}mm;display:flex;justify-content:space-between">'
            f'<span>{text}</span><span><span class="pageNumber"></span>/<span class="totalPages"></span></span></div>')


def _summary() -> str:
    try:
        return metadata.metadata("talentgap")["Summary"] or ""
    except metadata.PackageNotFoundError:
        return ""


def cover_html(project_title: str, footer_line: str, pages: list[SitePage], starts: dict[str, int]) -> str:
    """The cover: title, release version and date, and the contents with each page's first PDF page."""
    e = html.escape
    rows = "".join(
        f'<li><a href="{e(p.file)}">{e(p.text)}</a><span class="pdf-leader"></span><span>{starts.get(p.file, 0)}</span></li>'
        for p in pages
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<title>{e(project_title)} {e(PACKAGE_VERSION)}</title>'
        '<link rel="stylesheet" href="site_libs/talentgap/site.css"></head>'
        f'<body><main class="content pdf-cover"><h1 class="title">{e(project_title)}</h1>'
        f'<p class="pdf-summary">{e(_summary())}</p>'
        f'<p class="pdf-release">Data release {e(PACKAGE_VERSION)}, released {e(RELEASE_DATE)}</p>'
        f'<h2>Contents</h2><ol>{rows}</ol>'
        '<p class="pdf-note">Printed from the rendered report. Each number in the text links to its provenance entry '
        'in this PDF; each source links to its publisher. The CSV files of the charts and the release are not in '
        f'this PDF: they come with the data release.</p><p class="pdf-note">{e(footer_line)}</p></main></body></html>'
    )


def print_site(project: Path, site: Path, chromium: Path = CHROMIUM, log=print) -> tuple[list[Printed], list[SitePage], int]:
    """Print the cover and every page; returns them (cover first), the pages and the cover's sheet count.

    NOTE: printed from a thread of its own: Playwright's sync API refuses to start in a thread that already
    runs one (a caller's own browser session, as in a test run), and a new thread has none.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print_site, project, site, chromium, log).result()


def _print_site(project: Path, site: Path, chromium: Path, log) -> tuple[list[Printed], list[SitePage], int]:
    from .site.project import load_project

    if not chromium.exists():
        raise PdfError(f"chromium not found at {chromium}: install Debian's chromium (make chromium, or apt-get install chromium)")
    if not (site / "index.html").is_file():
        raise PdfError(f"no rendered site in {site}: run `make report` first")
    pages = site_pages(project, site)
    config = load_project(project)
    sync_playwright, PdfReader, _ = _imports()
    printed: list[Printed] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=LAUNCH_ARGS)
        try:
            page = browser.new_context(viewport={"width": PRINT_WIDTH_PX, "height": 1000}).new_page()
            page.emulate_media(media="print")
            for p in pages:
                log(f"talentgap pdf: printing {p.file}")
                printed.append(Printed(p.file, _print(page, (site / p.file).resolve().as_uri(), _footer(p.text), log)))
            footer_line = str(config.website.get("page-footer") or "")
            # NOTE: the cover is printed twice: first to count its sheets, then with the contents' page numbers.
            cover_sheets, starts = 1, {}
            for _ in range(3):
                n = cover_sheets + 1
                for p, doc in zip(pages, printed):
                    starts[p.file] = n
                    n += len(PdfReader(io.BytesIO(doc.pdf)).pages)
                page.goto((site / "index.html").resolve().as_uri(), wait_until="load")
                page.set_content(cover_html(config.title, footer_line, pages, starts), wait_until="load")
                cover = _print(page, None, _footer("Cover"), log)
                sheets = len(PdfReader(io.BytesIO(cover)).pages)
                if sheets == cover_sheets:
                    break
                cover_sheets = sheets
            else:
                raise PdfError(f"the cover's length does not settle ({cover_sheets} sheets, then {sheets})")
        finally:
            browser.close()
    return [Printed(COVER, cover), *printed], pages, cover_sheets


def _site_target(uri: str, site: Path) -> tuple[str, str] | None:
    """(page file, anchor) for a file:// link into the site, else None (a link elsewhere)."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return None
    target = Path(unquote(parts.path))
    try:
        rel = target.resolve().relative_to(site.resolve())
    except ValueError:
        return ("(outside the site)", "")  # a local file outside the site: no target in the PDF
    return (rel.as_posix(), unquote(parts.fragment))


def merge(printed: list[Printed], pages: list[SitePage], site: Path, title: str):
    """One PdfWriter of the cover and the pages, with the site's links turned into links inside the PDF."""
    from pypdf.generic import ArrayObject, FloatObject, NameObject, NullObject, NumberObject

    _, PdfReader, PdfWriter = _imports()
    writer = PdfWriter()
    starts: dict[str, int] = {}
    anchors: dict[str, dict[str, tuple[int, float | None, float | None]]] = {}
    origin: list[str] = []
    for doc in printed:
        reader = PdfReader(io.BytesIO(doc.pdf))
        start = len(writer.pages)
        starts[doc.name] = start
        anchors[doc.name] = {
            name.lstrip("/"): (start + reader.get_destination_page_number(dest), dest.left, dest.top)
            for name, dest in reader.named_destinations.items()
        }
        for sheet in reader.pages:
            writer.add_page(sheet)
            origin.append(doc.name)

    def destination(name: str, anchor: str) -> ArrayObject | None:
        if name not in starts:
            return None
        found = anchors[name].get(anchor)
        if found is None:  # NOTE: an anchor chromium wrote no destination for: the page's first sheet.
            return ArrayObject([writer.pages[starts[name]].indirect_reference, NameObject("/Fit")])
        index, left, top = found
        number = lambda v: NullObject() if v is None else FloatObject(v)  # noqa: E731
        return ArrayObject([writer.pages[index].indirect_reference, NameObject("/XYZ"), number(left), number(top), NumberObject(0)])

    for index, sheet in enumerate(writer.pages):
        annots = sheet.get("/Annots")
        if annots is None:
            continue
        kept = ArrayObject()
        for ref in annots.get_object():
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                kept.append(ref)
                continue
            dest = None
            if "/Dest" in annot and not isinstance(annot["/Dest"], ArrayObject):
                dest = destination(origin[index], str(annot["/Dest"]).lstrip("/"))
            elif "/A" in annot and annot["/A"].get("/S") == "/URI":
                target = _site_target(str(annot["/A"]["/URI"]), site)
                if target is None:
                    kept.append(ref)  # a publisher's link: kept as it is
                    continue
                dest = destination(*target)
            else:
                kept.append(ref)
                continue
            if dest is None:
                continue  # NOTE: a link to a site file with no place in the PDF (a CSV): removed, its text stays.
            annot.pop(NameObject("/A"), None)
            annot[NameObject("/Dest")] = dest
            kept.append(ref)
        sheet[NameObject("/Annots")] = kept
    writer.add_outline_item(title="Cover", page_number=0)
    for p in pages:
        writer.add_outline_item(title=p.text, page_number=starts[p.file])
    writer.add_metadata({"/Title": f"{title} {PACKAGE_VERSION} ({RELEASE_DATE})", "/Subject": _summary(),
                         "/Creator": "talentgap pdf"})
    return writer


def write_atomic(writer, out: Path) -> None:
    """Write to a temporary file beside `out`, then rename it; the temporary file is removed on failure."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; the PDF is as readable as any file written
        with os.fdopen(fd, "wb") as fh:
            writer.write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        # NOTE: replaces only the file of this name in report/_pdf/, which an earlier run of this command wrote.
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_pdf(project: Path | None = None, site: Path | None = None, out: Path | None = None,
              chromium: Path = CHROMIUM, log=print) -> Path:
    """Print the rendered site to one PDF; returns its path."""
    from .site.project import load_project

    project = Path(project or paths.ROOT / "report")
    site = Path(site or load_project(project).output_dir)
    out = Path(out or output_path(project))
    printed, pages, _ = print_site(project, site, chromium, log)
    write_atomic(merge(printed, pages, site, load_project(project).title), out)
    return out


def add_parser(sub) -> None:
    p = sub.add_parser("pdf", help="print the rendered report (make report) to one PDF in report/_pdf/")
    _arguments(p)
    p.set_defaults(func=_cmd_pdf)


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--project", type=Path, default=None, help="the report project (default report/)")
    p.add_argument("--site", type=Path, default=None, help="the rendered site (default the project's output dir)")
    p.add_argument("--out", type=Path, default=None, help=f"the PDF to write (default report/{OUT_DIRNAME}/talentgap-<version>.pdf)")
    p.add_argument("--chromium", type=Path, default=CHROMIUM, help=f"chromium executable (default {CHROMIUM})")


def _cmd_pdf(args) -> int:
    try:
        out = build_pdf(args.project, args.site, args.out, args.chromium, log=lambda m: print(m, file=sys.stderr))
    except PdfError as err:
        print(f"talentgap pdf: {err}; nothing was written.", file=sys.stderr)
        return 1
    print(f"talentgap pdf: wrote {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m talentgap.pdf", description="Print the rendered report to one PDF.")
    _arguments(p)
    return _cmd_pdf(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
