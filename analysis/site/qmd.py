"""Split a Quarto ``.qmd`` source into front matter, Markdown chunks and Python cells.

Only what the renderer needs is parsed here: the YAML front matter, executable
```` ```{python} ```` cells with their ``#|`` options, and inline expressions
`` `{python} expr` `` in Markdown text (never inside fenced code). Cells of other
engines (``{r}``, ``{ojs}``, ...) are kept as literal code blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

FENCE_RE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*?)[ \t]*$")
EXEC_INFO_RE = re.compile(r"^\{(?P<lang>[A-Za-z][\w+-]*)(?:[\s,][^}]*)?\}$")
BACKTICKS_RE = re.compile(r"`+")
INLINE_RE = re.compile(r"^\{python\}[ \t]+(?P<expr>[^\n]*?)[ \t]*$")
OPTION_RE = re.compile(r"^#\|[ \t]?(?P<text>.*)$")


class QmdSyntaxError(ValueError):
    """Raised for malformed front matter or cell options; carries the 1-based line."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


@dataclass
class Inline:
    """An inline expression: its source text and the line it appears on."""

    expr: str
    line: int


@dataclass
class Markdown:
    """A run of Markdown. ``parts`` alternates prose (inline expressions allowed) and literal fences."""

    parts: list[tuple[str, str]]  # ("text" | "fence", content)
    line: int
    inlines: list[Inline] = field(default_factory=list)


@dataclass
class Cell:
    """An executable Python cell: body without ``#|`` lines, parsed options, source line of the fence."""

    code: str
    source: str  # full body including option lines (what the kernel runs)
    options: dict
    line: int

    @property
    def label(self) -> str | None:
        label = self.options.get("label")
        return str(label) if label is not None else None


@dataclass
class Document:
    """A parsed page: front matter plus ordered chunks."""

    meta: dict
    chunks: list[Markdown | Cell]


def parse_qmd(text: str) -> Document:
    """Parse ``text`` (a .qmd file) into a :class:`Document`."""
    lines = text.replace("\r\n", "\n").split("\n")
    meta, start = _front_matter(lines)
    chunks: list[Markdown | Cell] = []
    md_parts: list[tuple[str, str]] = []
    md_line = start + 1
    buf: list[str] = []

    def flush_text() -> None:
        if buf:
            md_parts.append(("text", "\n".join(buf) + "\n"))
            buf.clear()

    def flush_markdown(next_line: int) -> None:
        nonlocal md_parts, md_line
        flush_text()
        if any(c.strip() for _, c in md_parts):
            chunks.append(_markdown(md_parts, md_line))
        md_parts, md_line = [], next_line

    i = start
    while i < len(lines):
        m = FENCE_RE.match(lines[i])
        if not m:
            buf.append(lines[i])
            i += 1
            continue
        end = _closing_fence(lines, i + 1, m.group("fence"))
        body = lines[i + 1 : end]
        info = m.group("info")
        em = EXEC_INFO_RE.match(info)
        if em and em.group("lang").lower() in ("python", "python3"):
            flush_markdown(end + 2)
            chunks.append(_cell(body, i + 1))
        else:
            flush_text()
            md_parts.append(("fence", "\n".join(lines[i : end + 1]) + "\n"))
        i = end + 1
    flush_markdown(len(lines))
    return Document(meta=meta, chunks=chunks)


def _front_matter(lines: list[str]) -> tuple[dict, int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for j in range(1, len(lines)):
        if lines[j].strip() in ("---", "..."):
            try:
                meta = yaml.safe_load("\n".join(lines[1:j])) or {}
            except yaml.YAMLError as exc:
                raise QmdSyntaxError(f"invalid YAML front matter: {exc}", 1) from exc
            if not isinstance(meta, dict):
                raise QmdSyntaxError("front matter must be a YAML mapping", 1)
            return meta, j + 1
    raise QmdSyntaxError("front matter opened with '---' is never closed", 1)


def _closing_fence(lines: list[str], start: int, fence: str) -> int:
    close = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
    for j in range(start, len(lines)):
        if close.match(lines[j]):
            return j
    return len(lines)  # unclosed fence runs to the end, as in CommonMark


def _cell(body: list[str], line: int) -> Cell:
    opt_lines = []
    for text in body:
        m = OPTION_RE.match(text)
        if not m:
            break
        opt_lines.append(m.group("text"))
    try:
        options = (yaml.safe_load("\n".join(opt_lines)) or {}) if opt_lines else {}
    except yaml.YAMLError as exc:
        raise QmdSyntaxError(f"invalid '#|' cell options: {exc}", line) from exc
    if not isinstance(options, dict):
        raise QmdSyntaxError("'#|' cell options must be 'key: value' lines", line)
    code = "\n".join(body[len(opt_lines) :]).strip("\n")
    return Cell(code=code, source="\n".join(body), options=options, line=line)


def inline_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, expr)`` of each `` `{python} expr` `` code span (single backticks, as in Quarto)."""
    spans, i = [], 0
    while (m := BACKTICKS_RE.search(text, i)) is not None:
        closing = re.compile(r"(?<!`)`{%d}(?!`)" % len(m.group())).search(text, m.end())
        if closing is None:
            i = m.end()
            continue
        inner = INLINE_RE.match(text[m.end() : closing.start()])
        if len(m.group()) == 1 and inner and inner.group("expr"):
            spans.append((m.start(), closing.end(), inner.group("expr")))
        i = closing.end()
    return spans


def _markdown(parts: list[tuple[str, str]], line: int) -> Markdown:
    md = Markdown(parts=parts, line=line)
    offset = line
    for kind, content in parts:
        if kind == "text":
            for start, _end, expr in inline_spans(content):
                md.inlines.append(Inline(expr, offset + content.count("\n", 0, start)))
        offset += content.count("\n")
    return md


def substitute_inlines(md: Markdown, values: list[str]) -> str:
    """Return the chunk's Markdown with each inline expression replaced by ``values`` (already final markup)."""
    it = iter(values)
    out = []
    for kind, content in md.parts:
        if kind == "text":
            pos = 0
            for start, end, _expr in inline_spans(content):
                out += [content[pos:start], next(it)]
                pos = end
            content = content[pos:]
        out.append(content)
    return "".join(out)
