"""Read a Quarto website project: ``_quarto.yml``, the pages to render and option merging."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

CACHE_DIRNAME = ".talentgap-cache"
EXECUTE_DEFAULTS = {"echo": True, "eval": True, "include": True, "output": True, "warning": True, "error": False}


class ProjectError(ValueError):
    """The project configuration is missing or malformed."""


@dataclass(frozen=True)
class NavItem:
    """A navbar entry: ``page`` (project-relative .qmd) or an external ``href``, and optional text."""

    text: str | None
    page: str | None = None
    href: str | None = None


@dataclass
class Project:
    """A loaded website project. Paths in ``pages`` are POSIX, relative to ``root``."""

    root: Path
    config: dict
    pages: list[str]

    @property
    def website(self) -> dict:
        return self.config.get("website") or {}

    @property
    def title(self) -> str:
        return str(self.website.get("title") or self.config.get("title") or self.root.name)

    @property
    def output_dir(self) -> Path:
        return self.root / str((self.config.get("project") or {}).get("output-dir", "_site"))

    @property
    def lang(self) -> str:
        return str(self.config.get("lang", "en"))

    def resources(self) -> list[Path]:
        """Files matched by ``project: resources`` globs, copied into the site as they are."""
        patterns = (self.config.get("project") or {}).get("resources") or []
        if isinstance(patterns, str):
            patterns = [patterns]
        found = {p for pattern in patterns for p in self.root.glob(str(pattern)) if p.is_file()}
        return sorted(found)

    def navbar(self) -> list[NavItem]:
        """Navbar items (left then right; menus flattened) in declaration order."""
        nav = self.website.get("navbar") or {}
        items: list[NavItem] = []
        for side in ("left", "right"):
            for raw in nav.get(side) or []:
                items.extend(_nav_items(raw))
        return items

    def execute_options(self, meta: dict) -> dict:
        """Project ``execute:`` options overridden by the page's ``execute:`` options."""
        opts = dict(EXECUTE_DEFAULTS)
        for source in (self.config, meta):
            opts.update(_execute_block(source))
        return opts

    def bibliography(self, meta: dict, page: str) -> list[Path]:
        """Bibliography files: the page's own (relative to it) or else the project's."""
        if meta.get("bibliography"):
            return _paths(meta["bibliography"], self.root / PurePosixPath(page).parent)
        return _paths(self.config.get("bibliography"), self.root)

    def csl(self, meta: dict, page: str) -> Path | None:
        if meta.get("csl"):
            return _paths(meta["csl"], self.root / PurePosixPath(page).parent)[0]
        found = _paths(self.config.get("csl"), self.root)
        return found[0] if found else None


def load_project(root: str | Path) -> Project:
    """Load ``root/_quarto.yml`` (website projects) and list the pages to render."""
    root = Path(root).resolve()
    cfg_path = root / "_quarto.yml"
    if not cfg_path.is_file():
        raise ProjectError(f"no _quarto.yml in {root}")
    try:
        config = yaml.safe_load(cfg_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ProjectError(f"{cfg_path}: invalid YAML: {exc}") from exc
    if not isinstance(config, dict):
        raise ProjectError(f"{cfg_path}: expected a YAML mapping")
    project = Project(root=root, config=config, pages=[])
    project.pages = _discover(project)
    if not project.pages:
        raise ProjectError(f"no .qmd pages found in {root}")
    return project


def _discover(project: Project) -> list[str]:
    listed = (project.config.get("project") or {}).get("render")
    if listed:
        found = {p for pattern in listed for p in project.root.glob(str(pattern)) if p.suffix == ".qmd"}
    else:
        out = project.output_dir.resolve()
        found = set()
        for p in project.root.rglob("*.qmd"):
            rel = p.relative_to(project.root)
            if any(part.startswith(("_", ".")) for part in rel.parts):
                continue
            if out == p.resolve().parent or out in p.resolve().parents:
                continue
            found.add(p)
    return sorted(p.relative_to(project.root).as_posix() for p in found)


def _execute_block(source: dict) -> dict:
    block = dict(source.get("execute") or {})
    html = ((source.get("format") or {}) if isinstance(source.get("format"), dict) else {}).get("html")
    if isinstance(html, dict):  # format: html: echo: false  is valid Quarto too
        block.update({k: v for k, v in html.items() if k in EXECUTE_DEFAULTS})
    return {k: v for k, v in block.items() if k in EXECUTE_DEFAULTS}


def _nav_items(raw) -> list[NavItem]:
    if isinstance(raw, str):
        raw = {"href": raw}
    if not isinstance(raw, dict):
        return []
    if raw.get("menu"):
        return [item for sub in raw["menu"] for item in _nav_items(sub)]
    href = str(raw.get("href") or raw.get("file") or "")
    text = raw.get("text")
    text = str(text) if text is not None else None
    if href.endswith(".qmd") and "://" not in href:
        return [NavItem(text=text, page=posixpath.normpath(href))]
    return [NavItem(text=text or href, href=href or None)]


def _paths(value, base: Path) -> list[Path]:
    if not value:
        return []
    values = value if isinstance(value, list) else [value]
    return [(base / str(v)).resolve() for v in values]
