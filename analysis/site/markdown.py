"""Pandoc Markdown -> HTML fragment (pypandoc's bundled pandoc), with cross-refs, callouts and citeproc."""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

import pypandoc
import yaml

FILTERS = Path(__file__).with_name("filters")
PANDOC_META_KEYS = ("nocite", "reference-section-title", "link-citations", "citation-location", "lang")


class PandocError(RuntimeError):
    """pandoc exited with an error."""


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    return pypandoc.get_pandoc_path()


def to_html(markdown: str, *, meta: dict | None = None, bibliography: list[Path] = (),
            csl: Path | None = None) -> tuple[str, list[str]]:
    """Convert one page's Markdown to an HTML fragment. Returns ``(html, warnings)``.

    ``meta`` keys among :data:`PANDOC_META_KEYS` are passed to pandoc (e.g. ``nocite``).
    """
    header = {"link-citations": True}
    header.update({k: v for k, v in (meta or {}).items() if k in PANDOC_META_KEYS})
    source = f"---\n{yaml.safe_dump(header, sort_keys=True)}---\n\n{markdown}"
    args = [pandoc_path(), "--from=markdown", "--to=html5", "--wrap=none", "--eol=lf",
            f"--lua-filter={FILTERS / 'quarto.lua'}"]
    if bibliography:
        args += ["--citeproc", *[f"--bibliography={b}" for b in bibliography]]
        if csl:
            args.append(f"--csl={csl}")
    args.append(f"--lua-filter={FILTERS / 'refs.lua'}")
    proc = subprocess.run(args, input=source.encode("utf-8"), capture_output=True, check=False)
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise PandocError(f"pandoc failed ({proc.returncode}): {stderr.strip()}")
    warnings = [line.strip() for line in stderr.splitlines() if line.strip()]
    return proc.stdout.decode("utf-8"), warnings


def conversion_key(markdown: str, meta: dict | None, bibliography: list[Path] = (), csl: Path | None = None) -> str:
    """sha256 over everything :func:`to_html` reads: the Markdown, pandoc's meta keys, the bibliography and
    CSL files, the Lua filters, and pandoc itself (its path and size)."""
    import hashlib
    import json
    import os

    h = hashlib.sha256()
    pandoc = pandoc_path()
    header = {"meta": {k: v for k, v in (meta or {}).items() if k in PANDOC_META_KEYS}, "pandoc": pandoc,
              "pandoc_size": os.path.getsize(pandoc) if os.path.exists(pandoc) else None}
    h.update(json.dumps(header, sort_keys=True, default=str).encode("utf-8"))
    for path in [*sorted(FILTERS.glob("*.lua")), *bibliography, *([csl] if csl else [])]:
        h.update(b"\0" + str(path).encode("utf-8") + b"\0" + Path(path).read_bytes())
    h.update(b"\0" + markdown.encode("utf-8"))
    return h.hexdigest()


def inline_html(markdown: str) -> str:
    """Convert a short Markdown snippet (e.g. a footer) to HTML, unwrapping a lone paragraph."""
    out, _ = to_html(markdown)
    out = out.strip()
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out
