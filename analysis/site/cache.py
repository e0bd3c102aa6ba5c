"""Freeze-like cache of execution results, one JSON file per page.

The key is a sha256 over: the renderer version, the page path and source bytes,
the project's merged execute options, and (path, sha256) of every dependency file
the caller passes (directories are expanded to their files). Only execution results
are cached; Markdown conversion and page assembly run on every render.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from ..hashing import sha256_file as file_digest
from .errors import RenderError




def depends_digest(paths: list[str | Path], root: Path) -> list[tuple[str, str]]:
    """``(name, sha256)`` for each dependency file (directories expanded), sorted.

    Names are relative to ``root`` when inside it (so the key survives moving the checkout).
    """
    pairs = []
    for raw in paths:
        path = Path(raw).resolve()
        if path.is_dir():
            files = [p for p in path.rglob("*") if p.is_file()]
        elif path.is_file():
            files = [path]
        else:
            raise RenderError(f"dependency not found: {raw}")
        pairs += [(_name(p, root), file_digest(p)) for p in files]
    return sorted(pairs)


def _name(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def cache_key(*, version: str, page: str, source: bytes, options: dict, depends: list[tuple[str, str]]) -> str:
    h = hashlib.sha256()
    header = {"renderer": version, "page": page, "options": options, "depends": depends}
    h.update(json.dumps(header, sort_keys=True).encode("utf-8"))
    h.update(b"\0")
    h.update(source)
    return h.hexdigest()


class ExecutionCache:
    """Stores ``{"key": ..., "results": ...}`` under ``<cache_dir>/<page>.json``."""

    def __init__(self, cache_dir: Path):
        self.dir = Path(cache_dir)

    def _path(self, page: str) -> Path:
        return self.dir / "pages" / f"{page}.json"

    def load(self, page: str, key: str) -> dict | None:
        try:
            entry = json.loads(self._path(page).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return entry.get("results") if entry.get("key") == key else None

    def store(self, page: str, key: str, results: dict) -> None:
        write_atomic(self._path(page), json.dumps({"key": key, "results": results}).encode("utf-8"))

    # pandoc's HTML for a page's Markdown, keyed by markdown.conversion_key (content-addressed).
    def _html_path(self, key: str) -> Path:
        return self.dir / "html" / key[:2] / f"{key}.json"

    def load_html(self, key: str) -> tuple[str, list[str]] | None:
        try:
            entry = json.loads(self._html_path(key).read_text(encoding="utf-8"))
            return entry["html"], list(entry["warnings"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store_html(self, key: str, html: str, warnings: list[str]) -> None:
        write_atomic(self._html_path(key), json.dumps({"html": html, "warnings": warnings}).encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
