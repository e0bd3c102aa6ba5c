"""The chart and provenance CSV files of the site, written after rendering by either renderer.

Real Quarto ignores the files a page's output carries (a talentgap MIME type), so both renderers run
this step after the pages are written: Quarto as the `post-render` script of report/_quarto.yml
(report/_postrender.py), the offline renderer by running the same script. The files are computed
from the release the pages read, by the same chart and figure code; every CSV a page links to must be
among them, and a file already written by a page must have the same bytes (both checked).
"""

from __future__ import annotations

import html.parser
import importlib
import os
import sys
from pathlib import Path

# Modules whose `*_chart(tb)` functions make the site's charts (each returns a ChartBlock).
CHART_MODULES = ("talentgap.figures", "talentgap.exposure_report", "talentgap.pages.jobs")
LINK_CLASSES = ("chart-csv", "prov-csv")


class SiteFilesError(Exception):
    """The site links to a CSV this step cannot make, or holds one with other bytes."""


def chart_builders() -> list:
    builders = []
    for name in CHART_MODULES:
        module = importlib.import_module(name)
        builders += [getattr(module, f) for f in sorted(vars(module)) if f.endswith("_chart") and callable(getattr(module, f))]
    return builders


def site_files(tables: dict | None = None) -> dict[str, bytes]:
    """Every chart's CSV and every provenance figure's CSV, by site-relative path (pages sit at the root)."""
    from .provenance import all_figures, rows_csv
    from .report import tables as release_tables

    tb = tables if tables is not None else release_tables()
    files: dict[str, bytes] = {}
    for build in chart_builders():
        chart = build(tb)
        files[chart.csv_path] = chart.csv.encode("utf-8")
    for fig in all_figures():
        files[fig.csv_path] = rows_csv(fig.rows).encode("utf-8")
    return files


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and set((a.get("class") or "").split()) & set(LINK_CLASSES) and a.get("href"):
            self.hrefs.add(a["href"])


def linked_csvs(site: Path) -> dict[str, list[str]]:
    """CSV links of chart data lines and provenance entries: site path -> pages linking it."""
    links: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        folder = page.parent.relative_to(site)
        for href in parser.hrefs:
            path = os.path.normpath(folder / href).replace(os.sep, "/")
            links.setdefault(path, []).append(str(page.relative_to(site)))
    return links


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_site_files(site: Path, files: dict[str, bytes] | None = None) -> list[str]:
    """Write the CSVs into the rendered site; returns the paths written. Raises SiteFilesError."""
    site = Path(site)
    files = files if files is not None else site_files()
    missing = {p: pages for p, pages in linked_csvs(site).items() if p not in files}
    if missing:
        shown = "; ".join(f"{p} (linked from {', '.join(pages)})" for p, pages in sorted(missing.items())[:5])
        raise SiteFilesError(f"the site links to CSV files no chart or figure makes: {shown}")
    for rel in sorted(files):
        if ".." in rel.split("/") or rel.startswith("/"):
            raise SiteFilesError(f"refused path outside the site: {rel}")
        existing = site / rel
        if existing.is_file() and existing.read_bytes() != files[rel]:
            raise SiteFilesError(f"{rel}: the page wrote other bytes than the post-render step computes")
    written = []
    for rel in sorted(files):
        if not (site / rel).is_file():
            _write(site / rel, files[rel])
            written.append(rel)
    return written


def output_dir_from_env() -> Path:
    """The rendered site's folder, as Quarto gives it to a post-render script (relative to the project)."""
    out = os.environ.get("QUARTO_PROJECT_OUTPUT_DIR")
    if not out:
        raise SiteFilesError("QUARTO_PROJECT_OUTPUT_DIR is not set (run by `quarto render` or talentgap.site)")
    root = Path(os.environ.get("QUARTO_PROJECT_DIR") or os.getcwd())
    return (root / out).resolve()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        site = Path(argv[0]) if argv else output_dir_from_env()
        if not site.is_dir():
            raise SiteFilesError(f"{site}: no rendered site there")
        written = write_site_files(site)
    except SiteFilesError as err:
        print(f"talentgap post-render: {err}", file=sys.stderr)
        return 1
    print(f"talentgap post-render: {len(written)} CSV file(s) written to {site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
