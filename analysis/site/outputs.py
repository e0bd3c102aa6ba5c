"""Turn Jupyter cell outputs into Markdown/raw-HTML blocks for pandoc.

Text from outputs (streams, text/plain, errors, inline values) is always HTML-escaped;
text/html and text/markdown are the cell's own markup and pass through as such.
"""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass, field

from .vega import VegaCompileError, vega_spec

VEGALITE_RE = re.compile(r"^application/vnd\.vegalite\.v\d+\+json$")
ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
IMAGE_EXT = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg"}
MIME_ORDER = ["text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg", "text/plain"]
EMBED_OPTIONS = {"renderer": "svg"}
# A display bundle may carry files to write beside the page (a chart's data as CSV, say):
# {"files": [{"path": "charts/x.csv", "text": "..."}]}, paths relative to the page's folder.
FILES_MIME = "application/x-talentgap-files+json"
SAFE_PATH_RE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")


class OutputError(ValueError):
    """A cell's output asks for something the renderer refuses (e.g. a file outside the site)."""


@dataclass
class PageAssets:
    """What a page writes beside its HTML: image files (site-relative path -> bytes) and chart count."""

    files_dir: str  # site-relative, e.g. "analysis_files/figure-html"
    page_dir: str  # site-relative folder of the page ("" for the root)
    files: dict[str, bytes] = field(default_factory=dict)
    charts: int = 0


def raw_html(markup: str) -> str:
    """A pandoc raw HTML block holding ``markup`` verbatim."""
    fence = "`" * max(3, _longest_run(markup, "`") + 1)
    return f"{fence}{{=html}}\n{markup}\n{fence}"


def fenced_div(blocks: list[str], classes: list[str], ident: str | None = None) -> str:
    """A pandoc fenced div around ``blocks``."""
    attrs = ([f"#{ident}"] if ident else []) + [f".{c}" for c in classes]
    fence = ":" * max(3, max((_longest_run(b, ":") for b in blocks), default=0) + 1)
    return "\n\n".join([f"{fence} {{{' '.join(attrs)}}}", *blocks, fence])


def code_block(code: str, lang: str = "python") -> str:
    fence = "`" * max(3, _longest_run(code, "`") + 1)
    return f"{fence} {{.{lang} .cell-code}}\n{code}\n{fence}"


def escaped_pre(text: str, classes: str) -> str:
    return raw_html(f'<div class="{classes}"><pre><code>{html.escape(clean_text(text))}</code></pre></div>')


def clean_text(text: str) -> str:
    """Drop ANSI colour codes and carriage-return overwrites, as a terminal would show them."""
    text = ANSI_RE.sub("", text)
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))


def render_outputs(outputs: list[dict], opts: dict, cell_id: str, assets: PageAssets) -> list[str]:
    """Markdown blocks for one cell's outputs, honouring ``warning`` and ``output: asis``."""
    asis = opts.get("output") == "asis"
    blocks: list[str] = []
    for out in _merge_streams(outputs):
        kind = out.get("output_type")
        if kind == "stream":
            if out.get("name") == "stderr" and not opts.get("warning", True):
                continue
            text = out.get("text", "")
            if asis and out.get("name") == "stdout":
                blocks.append(text)
            elif text.strip():
                blocks.append(escaped_pre(text, f"cell-output cell-output-{out.get('name', 'stdout')}"))
        elif kind == "error":
            blocks.append(escaped_pre("\n".join(out.get("traceback", [])), "cell-output cell-output-error"))
        elif kind in ("display_data", "execute_result"):
            block = _display(out.get("data", {}), opts, cell_id, assets, asis)
            if block:
                blocks.append(block)
    return blocks


def _display(data: dict, opts: dict, cell_id: str, assets: PageAssets, asis: bool) -> str | None:
    if FILES_MIME in data:
        _files(data[FILES_MIME], assets)
    vega = next((m for m in sorted(data) if VEGALITE_RE.match(m)), None)
    if vega:
        return _wrap(_vega(data[vega], cell_id, assets), asis)
    mime = next((m for m in MIME_ORDER if m in data), None)
    if mime is None:
        return None
    value = data[mime]
    value = "".join(value) if isinstance(value, list) else value
    if mime == "text/markdown" or (asis and mime == "text/plain"):
        return value if asis else fenced_div([value], ["cell-output", "cell-output-display"])
    if mime == "text/html":
        return _wrap(value, asis)
    if mime in IMAGE_EXT:
        return _wrap(_image(mime, value, opts, cell_id, assets), asis)
    return escaped_pre(value, "cell-output cell-output-display")


def _wrap(markup: str, asis: bool) -> str:
    return raw_html(markup if asis else f'<div class="cell-output cell-output-display">\n{markup}\n</div>')


def _image(mime: str, value: str, opts: dict, cell_id: str, assets: PageAssets) -> str:
    n = sum(1 for p in assets.files if p.startswith(f"{assets.files_dir}/{cell_id}-")) + 1
    path = f"{assets.files_dir}/{cell_id}-{n}.{IMAGE_EXT[mime]}"
    assets.files[path] = value.encode("utf-8") if mime == "image/svg+xml" else base64.b64decode(value)
    src = path[len(assets.page_dir) + 1 :] if assets.page_dir else path
    alt = opts.get("fig-alt") or opts.get("fig-cap") or ""
    return f'<img src="{html.escape(src)}" alt="{html.escape(str(alt))}">'


def _files(payload, assets: PageAssets) -> None:
    """Add the files an output carries to the page's assets, refusing any path that leaves the page's folder."""
    files = payload.get("files", []) if isinstance(payload, dict) else []
    for item in files:
        path, text = str(item.get("path", "")), item.get("text")
        if not SAFE_PATH_RE.match(path) or ".." in path.split("/") or not isinstance(text, str):
            raise OutputError(f"output file refused: {path!r}")
        site_path = f"{assets.page_dir}/{path}" if assets.page_dir else path
        data = text.encode("utf-8")
        if assets.files.get(site_path, data) != data:
            raise OutputError(f"two outputs of the page write different files to {site_path}")
        assets.files[site_path] = data


def _vega(spec: dict, cell_id: str, assets: PageAssets) -> str:
    assets.charts += 1
    div_id = f"vega-{cell_id}-{assets.charts}"
    try:
        compiled = vega_spec(spec)  # the page draws Vega; see vega.py and static/charts.js
    except VegaCompileError as exc:
        raise OutputError(str(exc)) from exc
    call = f"tgEmbed({script_json(div_id)}, {script_json(compiled)}, {script_json(EMBED_OPTIONS)})"
    # The chart's text alternative (its Vega-Lite description) labels the container for screen readers.
    label = spec.get("description") if isinstance(spec, dict) else None
    aria = f' role="img" aria-label="{html.escape(str(label), quote=True)}"' if label else ""
    return (f'<div id="{html.escape(div_id)}" class="vega-chart"{aria}></div>\n'
            f"<script>{call};</script>")


def script_json(value) -> str:
    """JSON that is safe inside an inline <script>: no '<', '>' or '&' can end the element."""
    text = json.dumps(value, ensure_ascii=False)
    for char, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, esc)
    return text


def _merge_streams(outputs: list[dict]) -> list[dict]:
    merged: list[dict] = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if out.get("output_type") == "stream" and prev and prev.get("output_type") == "stream" \
                and prev.get("name") == out.get("name"):
            merged[-1] = {**prev, "text": _text(prev.get("text")) + _text(out.get("text"))}
        else:
            merged.append({**out, "text": _text(out.get("text"))} if out.get("output_type") == "stream" else out)
    return merged


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(re.escape(char) + "+", text)
    return max((len(r) for r in runs), default=0)
