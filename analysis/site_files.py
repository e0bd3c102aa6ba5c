"""The chart and provenance CSV files of the site, written after rendering by either renderer.

Real Quarto ignores the files a page's output carries (a talentgap MIME type), so both renderers run
this step after the pages are written: Quarto as the `post-render` script of report/_quarto.yml
(report/_postrender.py), the offline renderer by running the same script. The files are computed
from the release the pages read, by the same chart and figure code; every CSV a page links to must be
among them, and a file already written by a page must have the same bytes (both checked).
"""

from __future__ import annotations

import hashlib
import html.parser
import importlib
import json
import os
import re
import sys
from pathlib import Path

# The page modules: their `*_chart(tb)` functions make the site's charts (each returns a ChartBlock).
from .pages import MODULES as PAGE_MODULES

LINK_CLASSES = ("chart-csv", "prov-csv", "chart-png", "chart-svg")


class SiteFilesError(Exception):
    """The site links to a CSV this step cannot make, or holds one with other bytes."""


def chart_builders() -> list:
    builders = []
    for name in PAGE_MODULES:
        module = importlib.import_module(name)
        builders += [getattr(module, f) for f in sorted(vars(module)) if f.endswith("_chart") and callable(getattr(module, f))]
    return builders


def site_files(tables: dict | None = None, cache_dir: Path | None = None) -> dict[str, bytes]:
    """Every chart's CSV, PNG and SVG and every provenance figure's CSV, by site-relative path (pages sit at the root)."""
    from .provenance import all_figures, rows_csv
    from .report import tables as release_tables

    tb = tables if tables is not None else release_tables()
    files: dict[str, bytes] = {}
    for build in chart_builders():
        chart = build(tb)
        files[chart.csv_path] = chart.csv.encode("utf-8")
        png, svg = chart_images(chart.chart.to_dict(validate=False), cache_dir)
        files[chart.png_path], files[chart.svg_path] = png, svg
    for fig in all_figures():
        files[fig.csv_path] = rows_csv(fig.rows).encode("utf-8")
    return files


# NOTE: images are drawn 720 px wide (the page's text column), PNG at twice that for sharp print and slides.
IMAGE_WIDTH_PX, PNG_SCALE = 720, 2
IMAGE_CACHE_VERSION = 1  # raise when the way images are drawn changes


def image_spec(spec: dict, width_px: int = IMAGE_WIDTH_PX) -> dict:
    """The spec with every width "container" (the page's box) made a number of pixels."""
    fixed = json.loads(json.dumps(spec))
    views = [fixed] + [v for key in ("vconcat", "concat", "hconcat") for v in fixed.get(key, [])]
    for view in views:
        if view.get("width") == "container":
            view["width"] = width_px
    return fixed


def default_cache_dir() -> Path:
    """Where drawn images are kept: the offline renderer's cache, or the project's .talentgap-cache."""
    if os.environ.get("TALENTGAP_CACHE_DIR"):
        return Path(os.environ["TALENTGAP_CACHE_DIR"])
    root = Path(os.environ.get("QUARTO_PROJECT_DIR") or os.environ.get("QUARTO_PROJECT_ROOT") or os.getcwd())
    return root / ".talentgap-cache"


def chart_images(spec: dict, cache_dir: Path | None = None) -> tuple[bytes, bytes]:
    """PNG and SVG bytes of a Vega-Lite spec, drawn by vl_convert once per spec (cached by its hash)."""
    import vl_convert

    fixed = image_spec(spec)
    text = json.dumps(fixed, sort_keys=True, ensure_ascii=False)
    key = hashlib.sha256(f"{IMAGE_CACHE_VERSION}|{vl_convert.__version__}|{PNG_SCALE}|{text}".encode("utf-8")).hexdigest()
    folder = Path(cache_dir or default_cache_dir()) / "chart-images"
    png_file, svg_file = folder / f"{key}.png", folder / f"{key}.svg"
    if png_file.is_file() and svg_file.is_file():
        return png_file.read_bytes(), svg_file.read_bytes()
    svg_text = stable_ids(vl_convert.vegalite_to_svg(fixed))
    # NOTE: the PNG is rasterised from the SVG (same bytes as vegalite_to_png, a third of the time).
    png = vl_convert.svg_to_png(svg_text, scale=PNG_SCALE)
    svg = svg_text.encode("utf-8")
    _write(svg_file, svg)
    _write(png_file, png)
    return png, svg


GENERATED_ID_RE = re.compile(r'id="(gradient_\d+)"')


def stable_ids(svg: str) -> str:
    """Number Vega's generated ids (gradient_N, counted per process) from 0 in each SVG, so its bytes
    do not depend on what else the process drew before."""
    mapping = {old: f"tg-gradient-{i}" for i, old in enumerate(dict.fromkeys(GENERATED_ID_RE.findall(svg)))}
    if not mapping:
        return svg
    return re.sub(r"\b(gradient_\d+)\b", lambda m: mapping.get(m.group(1), m.group(1)), svg)


def site_settings() -> dict[str, str]:
    """The site's name and public address for cite lines: ``website: title`` of _quarto.yml, and
    TALENTGAP_SITE_URL or else ``website: site-url`` (empty when neither is set: cite lines are relative).

    The project is QUARTO_PROJECT_ROOT or QUARTO_PROJECT_DIR when a renderer runs us, else the repository's report/.
    """
    import yaml

    from . import paths

    root = os.environ.get("QUARTO_PROJECT_ROOT") or os.environ.get("QUARTO_PROJECT_DIR")
    config_file = Path(root) / "_quarto.yml" if root else paths.ROOT / "report" / "_quarto.yml"
    website = (yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}).get("website") or {}
    # NOTE: the address a publish run deploys to (TALENTGAP_SITE_URL, from the Pages deployment) wins over
    # the file's: no address is written into the repository that the project does not own.
    url = os.environ.get("TALENTGAP_SITE_URL") or str(website.get("site-url") or "")
    return {"title": str(website.get("title") or "talentgap"), "url": url if not url or url.endswith("/") else url + "/"}


def current_page() -> str | None:
    """The page being rendered, as its site path (``layoffs.html``), from Quarto's execution environment."""
    name = os.environ.get("QUARTO_DOCUMENT_FILE")
    if not name:
        return None
    folder, root = os.environ.get("QUARTO_DOCUMENT_PATH"), os.environ.get("QUARTO_PROJECT_ROOT")
    rel = os.path.relpath(folder, root).replace(os.sep, "/") if folder and root else "."
    page = f"{Path(name).stem}.html"
    return page if rel == "." else f"{rel}/{page}"


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
        raise SiteFilesError(f"the site links to files (CSV, PNG, SVG) no chart or figure makes: {shown}")
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


SITE_FILES_CACHE_VERSION = 1  # raise when what site_files() makes changes in a way its inputs do not show


def inputs_fingerprint() -> str:
    """A hash of everything site_files() reads: the package's code, the release's descriptor (which holds every
    table's sha256), the site settings, and the versions of the libraries that draw and write the files."""
    from importlib.metadata import version

    from . import paths

    # NOTE: versions read from the installed metadata, without importing the libraries (a warm run stays fast).
    libraries = "|".join(f"{name}={version(name)}" for name in ("polars", "altair", "vl-convert-python"))
    digest = hashlib.sha256(f"{SITE_FILES_CACHE_VERSION}|{libraries}".encode())
    package = Path(__file__).resolve().parent
    schemas = Path(importlib.import_module("talentgap.schemas").__file__).resolve().parent
    for folder in (package, schemas):
        for path in sorted(folder.rglob("*.py")):
            digest.update(f"{path.relative_to(folder)}\0".encode() + path.read_bytes())
    digest.update((paths.release_dir() / "datapackage.json").read_bytes())
    digest.update(json.dumps(site_settings(), sort_keys=True).encode())
    return digest.hexdigest()


def cached_site_files(cache_dir: Path | None = None) -> dict[str, bytes]:
    """site_files(), reused from the cache when none of its inputs changed (a warm render computes nothing).

    NOTE: each file's bytes are kept under their sha256 and checked when read back, so a damaged cache
    entry is recomputed rather than published.
    """
    folder = Path(cache_dir or default_cache_dir()) / "site-files"
    index = folder / f"{inputs_fingerprint()}.json"
    if index.is_file():
        try:
            listed = json.loads(index.read_text(encoding="utf-8"))
            files = {rel: (folder / "blobs" / digest).read_bytes() for rel, digest in listed.items()}
            if all(hashlib.sha256(data).hexdigest() == listed[rel] for rel, data in files.items()):
                return files
        except (OSError, ValueError):
            pass  # unreadable or partial entry: computed again below
    files = site_files(cache_dir=cache_dir)
    listed = {}
    for rel, data in sorted(files.items()):
        listed[rel] = hashlib.sha256(data).hexdigest()
        blob = folder / "blobs" / listed[rel]
        if not blob.is_file():
            _write(blob, data)
    _write(index, json.dumps(listed, sort_keys=True).encode("utf-8"))
    return files


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        site = Path(argv[0]) if argv else output_dir_from_env()
        if not site.is_dir():
            raise SiteFilesError(f"{site}: no rendered site there")
        written = write_site_files(site, cached_site_files())
    except SiteFilesError as err:
        print(f"talentgap post-render: {err}", file=sys.stderr)
        return 1
    images = sum(1 for p in written if p.endswith((".png", ".svg")))
    print(f"talentgap post-render: {len(written) - images} CSV file(s) and {images} chart image(s) written to {site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
