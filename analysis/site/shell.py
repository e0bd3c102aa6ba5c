"""The site around the pages: HTML shell (jinja2), navbar, footer, site_libs and copied resources."""

from __future__ import annotations

import html
import posixpath
import re
import shutil
from pathlib import Path, PurePosixPath

import jinja2
from markupsafe import Markup

from .markdown import inline_html
from .outputs import OutputError, PageAssets
from .errors import RenderError
from .vega import VegaCompileError, vega_bundle
from .version import __version__

HERE = Path(__file__).parent
CSS_PATH = "site_libs/talentgap/site.css"
CHARTS_JS_PATH = "site_libs/talentgap/charts.js"
VEGA_PATH = "site_libs/vega/vega-bundle.js"
REF_RE = re.compile(r"""\b(?:src|href)="([^"]*)\"""")
SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


FIRST_VISIT_TARGET_BYTES = 1_000_000  # the README's target for any page


def first_visit_bytes(site: Path, page: str) -> tuple[int, list[str]]:
    """Bytes a browser loads on a first visit to `page`: its HTML and the local scripts and stylesheets it names."""
    text = (site / page).read_text(encoding="utf-8")
    refs = sorted(set(re.findall(r'(?:src|href)="([^"#?]+\.(?:js|css))"', text)))
    files = [site / page] + [(site / page).parent / ref for ref in refs]
    return sum(f.stat().st_size for f in files if f.exists()), refs


class SiteShell:
    """Writes pages into a site folder and, at the end, the shared files they need."""

    def __init__(self, project, titles: dict[str, str], cache_dir: Path):
        self.project, self.titles, self.cache_dir = project, titles, cache_dir
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                                 undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
        self.template = env.get_template("page.html.j2")
        self.footer = self._footer()
        self.needs_vega = False
        self.written: set[str] = set()
        self.resources: set[str] = set()

    def write_page(self, site: Path, page: str, meta: dict, body: str, assets: PageAssets) -> None:
        out_rel = PurePosixPath(page).with_suffix(".html")
        page_dir = out_rel.parent.as_posix()
        root = "" if page_dir == "." else "../" * len(out_rel.parent.parts)
        css = [self._rel(c, page_dir) for c in self._css(meta, page)]
        context = {
            "lang": str(meta.get("lang") or self.project.lang), "version": __version__, "root": root,
            "site": {"title": self.project.title, "home": self._rel("index.html", page_dir)},
            "nav": self._nav(page, page_dir),
            "page": {"title": meta.get("title"), "subtitle": meta.get("subtitle"), "author": _author(meta.get("author")),
                     "date": meta.get("date"), "vega": assets.charts > 0, "css": css},
            "body": Markup(body), "footer": self.footer,
        }
        self._write(site, out_rel.as_posix(), self.template.render(**context).encode("utf-8"))
        for path, data in sorted(assets.files.items()):
            if path in self.written and (site / path).read_bytes() != data:
                raise OutputError(f"{path} is also written by another page, with different content")
            self._write(site, path, data)
        self.needs_vega |= assets.charts > 0
        self.resources |= set(self._css(meta, page))
        for ref in REF_RE.findall(body):
            target = _local_target(ref, page_dir)
            if target:
                self.resources.add(target)

    def finish(self, site: Path) -> None:
        """Write site_libs and copy referenced local files (images, data downloads, stylesheets)."""
        self._write(site, CSS_PATH, (HERE / "static" / "site.css").read_bytes())
        if self.needs_vega:
            try:
                bundle = vega_bundle(self.cache_dir)
            except VegaCompileError as exc:
                raise RenderError(f"the charts' Vega bundle cannot be made: {exc}") from exc
            self._write(site, VEGA_PATH, bundle)
            self._write(site, CHARTS_JS_PATH, (HERE / "static" / "charts.js").read_bytes())
        patterns = (self.project.config.get("project") or {}).get("resources") or []
        for pattern in [patterns] if isinstance(patterns, str) else patterns:
            for p in sorted(self.project.root.glob(str(pattern))):
                if p.is_file():
                    self.resources.add(p.relative_to(self.project.root).as_posix())
        for rel in sorted(self.resources - self.written):
            src = self.project.root / rel
            if src.is_file() and src.suffix != ".qmd" and _within(src, self.project.root):
                (site / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, site / rel)
                self.written.add(rel)

    def _write(self, site: Path, rel: str, data: bytes) -> None:
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.written.add(rel)

    def _nav(self, page: str, page_dir: str) -> list[dict]:
        items = []
        for item in self.project.navbar():
            if item.page:
                text = item.text or self.titles.get(item.page, PurePosixPath(item.page).stem)
                href = self._rel(str(PurePosixPath(item.page).with_suffix(".html")), page_dir)
                items.append({"text": text, "href": href, "active": item.page == page})
            else:
                items.append({"text": item.text, "href": item.href or "#", "active": False})
        return items

    def _css(self, meta: dict, page: str) -> list[str]:
        found = []
        for source, base in ((self.project.config, ""), (meta, posixpath.dirname(page))):
            fmt = source.get("format") if isinstance(source.get("format"), dict) else {}
            css = (fmt.get("html") or {}).get("css") if isinstance(fmt.get("html"), dict) else None
            for c in [css] if isinstance(css, str) else (css or []):
                found.append(posixpath.normpath(posixpath.join(base, str(c))))
        return found

    @staticmethod
    def _rel(target: str, page_dir: str) -> str:
        return posixpath.relpath(target, page_dir if page_dir != "." else ".")

    def _footer(self) -> list[dict]:
        raw = self.project.website.get("page-footer")
        if isinstance(raw, str):
            raw = {"center": raw}
        if not isinstance(raw, dict) or not raw:
            return [{"side": "left", "html": html.escape(self.project.title)},
                    {"side": "right", "html": Markup(f"Rendered offline by talentgap.site {__version__}")}]
        return [{"side": side, "html": Markup(inline_html(str(raw[side])))}
                for side in ("left", "center", "right") if raw.get(side)]


def _author(value) -> str | None:
    if isinstance(value, list):
        names = [v.get("name") if isinstance(v, dict) else v for v in value]
        return ", ".join(str(n) for n in names if n)
    if isinstance(value, dict):
        return value.get("name")
    return str(value) if value else None


def _local_target(ref: str, page_dir: str) -> str | None:
    """The project-relative file a relative src/href points at, if it is a plain local path."""
    ref = html.unescape(ref).split("#", 1)[0].split("?", 1)[0]
    if not ref or ref.startswith(("/", "\\")) or SCHEME_RE.match(ref):
        return None
    target = posixpath.normpath(posixpath.join("" if page_dir == "." else page_dir, ref))
    return None if target.startswith("..") else target


def _within(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False
