"""Assemble one page's pandoc Markdown from its parsed chunks and execution results."""

from __future__ import annotations

import html
import re
from pathlib import PurePosixPath

from .outputs import PageAssets, code_block, fenced_div, render_outputs
from .qmd import Cell, Document, Markdown, substitute_inlines

FLOAT_RE = re.compile(r"^(fig|tbl)-.")
UNSAFE_ID_RE = re.compile(r"[^A-Za-z0-9_-]+")


def cell_options(page_opts: dict, cell: Cell) -> dict:
    """The page's execute options overridden by the cell's ``#|`` options."""
    return {**page_opts, **cell.options}


def inline_markup(value: str) -> str:
    """An inline expression's value as escaped literal text (a raw HTML span pandoc leaves alone)."""
    text = html.escape(value).replace("`", "&#96;").replace("\r", "").replace("\n", "&#10;")
    return "`" + text + "`{=html}"


def assemble(doc: Document, results: dict, page_opts: dict, page: str) -> tuple[str, PageAssets]:
    """Return ``(markdown, assets)`` for ``page`` (project-relative .qmd path)."""
    rel = PurePosixPath(page)
    page_dir = "" if str(rel.parent) == "." else rel.parent.as_posix()
    assets = PageAssets(files_dir=f"{rel.with_suffix('').as_posix()}_files/figure-html", page_dir=page_dir)
    blocks: list[str] = []
    cell_no = 0
    for i, chunk in enumerate(doc.chunks):
        if isinstance(chunk, Markdown):
            values = [v["markdown"] if isinstance(v, dict) else inline_markup(v)
                      for v in results.get("inlines", {}).get(str(i), [])]
            blocks.append(substitute_inlines(chunk, values))
            continue
        cell_no += 1
        opts = cell_options(page_opts, chunk)
        outputs = results.get("cells", {}).get(str(i), []) if opts["eval"] else []
        blocks.append(cell_markdown(chunk, opts, outputs, cell_no, assets))
    return "\n\n".join(b.strip("\n") for b in blocks if b.strip()) + "\n", assets


def cell_markdown(cell: Cell, opts: dict, outputs: list[dict], cell_no: int, assets: PageAssets) -> str:
    """A cell as Markdown: echoed code, then outputs (as a numbered float when labelled fig-/tbl-)."""
    if not opts["include"]:
        return ""
    label = cell.label
    cell_id = UNSAFE_ID_RE.sub("-", label) if label else f"cell-{cell_no}"
    blocks = [code_block(cell.code)] if opts["echo"] and cell.code.strip() else []
    out_blocks = render_outputs(outputs, opts, cell_id, assets) if opts["output"] is not False else []
    float_kind = FLOAT_RE.match(label or "")
    if float_kind and out_blocks:
        caption = opts.get(f"{float_kind.group(1)}-cap") or ""
        if isinstance(caption, list):
            caption = "; ".join(str(c) for c in caption)
        caption_div = fenced_div([" ".join(str(caption).split())], ["tg-caption"])
        blocks.append(fenced_div([*out_blocks, caption_div], ["cell-output-float"], ident=cell_id))
        ident = None
    else:
        caption = opts.get("fig-cap") or opts.get("tbl-cap")
        if caption and out_blocks:  # captioned but not cross-referenceable: caption without a number
            caption_div = fenced_div([" ".join(str(caption).split())], ["tg-caption"])
            out_blocks = [caption_div, *out_blocks] if opts.get("tbl-cap") else [*out_blocks, caption_div]
        blocks += out_blocks
        ident = cell_id if label else None
    if not blocks:
        return ""
    if opts["output"] == "asis" and not opts["echo"] and not float_kind:
        return "\n\n".join(blocks)
    return fenced_div(blocks, ["cell"], ident=ident)
