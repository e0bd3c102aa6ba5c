"""Provenance of every number the report computes into its prose: the rows behind it, and how.

A figure is computed *from the rows it lists*: a page group's function selects the rows from the
release and names one operation (``op``); the figure's value is that operation applied to those rows,
so the rows always reproduce the number. Each figure renders as a link to its entry on the site's
provenance page, which lists the tables, the filter and computation in words, the rows (also as a CSV),
their sources with URLs, and the release version with the sha256 of ``datapackage.json``.

Defining the figures of a page (in its module ``analysis/pages/<page>.py``, where it is tested)::

    from talentgap import provenance as prov

    @prov.group("exposure")
    def _exposure(rec: prov.Recorder) -> None:
        tb = rec.tables                               # every table of the release, by name
        rows = tb["exposure_summary"].filter(pl.col("measure") == "high")
        rec.add("exposure-high-share", rows, op="value", column="share", fmt=prov.pct(1),
                what="Share of jobs in highly exposed occupations",
                tables=["exposure_summary"], how="the row of measure 'high'")

Using them in a page (``.qmd``)::

    ```{python}
    from talentgap import provenance as prov
    F = prov.figures("exposure")
    ```
    ... `{python} F["exposure-high-share"]` of jobs ...

``F[id]`` renders (through ``_repr_markdown_``) as ``<a class="prov" href="provenance.html#exposure-high-share">12.3%</a>``;
``F[id].value`` is the number and ``F[id].text`` the formatted text. The page ``provenance.qmd`` lists the
entries of every group with ``prov.provenance_page()``; a group is found when its module is imported,
so add the module's name to ``talentgap.pages.MODULES`` (whose order is the page's order of groups).

Operations (``op``) over ``column`` of the rows:

- ``value``: the column of the only row;
- ``sum``, ``max``, ``min``, ``mean``: the column over all rows; ``count``: the number of rows;
- ``ratio``: sum over rows whose ``term`` is ``numerator`` divided by the sum over ``denominator`` rows;
- ``change``: sum over ``to`` rows divided by the sum over ``from`` rows, less 1 (relative change);
- ``difference``: sum over ``to`` rows less the sum over ``from`` rows.

Rows should keep their key columns and ``source_id`` where the table has one; for a derived table
without it, pass ``sources=[...]`` (the ids of the inputs).
"""

from __future__ import annotations

import hashlib
import html
import importlib
from dataclasses import dataclass, field
from functools import cache
from typing import Callable

import polars as pl

from . import paths
from .pages import MODULES as GROUP_MODULES  # the modules defining figure groups, in the provenance page's order

OPS = ("value", "sum", "max", "min", "mean", "count", "ratio", "change", "difference")
TERMS = {"ratio": ("numerator", "denominator"), "change": ("from", "to"), "difference": ("from", "to")}
PAGE = "provenance.html"
CSV_DIR = "provenance"

_GROUPS: dict[str, Callable[["Recorder"], None]] = {}


class ProvenanceError(ValueError):
    """A figure cannot be computed from the rows it lists (wrong op, missing column, no rows...)."""


# ---------------------------------------------------------------- formats
def integer(value) -> str:
    return f"{int(round(value)):,}"


def pct(digits: int = 0, signed: bool = False) -> Callable[[float], str]:
    """A share (0.1) as percent text ("10%"), optionally with its sign ("+10%")."""
    return lambda v: f"{v * 100:{'+' if signed else ''}.{digits}f}%"


def number(digits: int = 1) -> Callable[[float], str]:
    return lambda v: f"{v:,.{digits}f}"


def usd(value) -> str:
    return f"${value:,.0f}"


def times(digits: int = 1) -> Callable[[float], str]:
    return lambda v: f"{v:.{digits}f}"


def apply(op: str, column: str | None, rows: pl.DataFrame) -> float:
    """The value of ``op`` over ``column`` of ``rows`` (see the module docstring)."""
    if op not in OPS:
        raise ProvenanceError(f"unknown op {op!r}")
    if rows.is_empty():
        raise ProvenanceError("no rows")
    if op == "count":
        return float(rows.height)
    if column not in rows.columns:
        raise ProvenanceError(f"column {column!r} not in the rows")
    values = rows[column]
    if values.null_count():
        raise ProvenanceError(f"column {column!r} has empty cells")
    if op == "value":
        if rows.height != 1:
            raise ProvenanceError(f"op 'value' needs one row, got {rows.height}")
        return float(values[0])
    if op in ("sum", "max", "min", "mean"):
        return float(getattr(values, op)())
    first, second = TERMS[op]
    if "term" not in rows.columns or not set(rows["term"].unique()) <= {first, second}:
        raise ProvenanceError(f"op {op!r} needs a column 'term' of {first!r} and {second!r}")
    a = float(rows.filter(pl.col("term") == first)[column].sum())
    b = float(rows.filter(pl.col("term") == second)[column].sum())
    if op == "ratio":
        return a / b
    return b / a - 1 if op == "change" else b - a


# ---------------------------------------------------------------- release identity
@cache
def release_identity() -> dict:
    """Version and sha256 of the release the figures are computed from."""
    from talentgap.schemas.tables import PACKAGE_VERSION

    descriptor = paths.release_dir() / "datapackage.json"
    return {"version": PACKAGE_VERSION, "datapackage_sha256": hashlib.sha256(descriptor.read_bytes()).hexdigest()}


# ---------------------------------------------------------------- figures
@dataclass
class Figure:
    """One computed number with everything needed to trace it."""

    id: str
    group: str
    what: str
    value: float
    text: str
    op: str
    column: str | None
    tables: list[str]
    how: str
    rows: pl.DataFrame
    sources: pl.DataFrame  # source_id, publisher, title, url

    @property
    def href(self) -> str:
        return f"{PAGE}#{self.id}"

    @property
    def csv_path(self) -> str:
        return f"{CSV_DIR}/{self.id}.csv"

    def link(self, text: str | None = None) -> str:
        """The figure as an HTML link to its provenance entry (``text`` replaces the number's text)."""
        label = html.escape(text if text is not None else self.text)
        title = html.escape(self.what, quote=True)
        return f'<a class="prov" href="{self.href}" title="{title}">{label}</a>'

    def _repr_markdown_(self) -> str:
        return self.link()

    def __str__(self) -> str:
        return self.link()


@dataclass
class Recorder:
    """What a group's function receives: the release's tables and ``add`` to record a figure."""

    group: str
    tables: dict[str, pl.DataFrame]
    figures: dict[str, Figure] = field(default_factory=dict)

    def add(self, id: str, rows: pl.DataFrame, *, op: str, what: str, tables: list[str], how: str,
            column: str | None = None, fmt: Callable[[float], str] = integer,
            sources: list[str] | None = None) -> Figure:
        """Record figure ``id`` (unique across the site; used as its anchor) computed as ``op`` over ``rows``."""
        if not id.replace("-", "").isalnum() or id != id.lower():
            raise ProvenanceError(f"figure id {id!r}: use lower-case letters, digits and '-'")
        if id in self.figures:
            raise ProvenanceError(f"figure id {id!r} recorded twice")
        value = apply(op, column, rows)
        ids = sorted(set(rows["source_id"].drop_nulls().to_list()) if "source_id" in rows.columns else set())
        ids = sorted(set(ids) | set(sources or []))
        if not ids:
            raise ProvenanceError(f"figure {id!r}: no source ids (keep source_id in the rows or pass sources=)")
        src = self.tables["sources"].filter(pl.col("source_id").is_in(ids)).select("source_id", "publisher", "title", "url")
        missing = set(ids) - set(src["source_id"].to_list())
        if missing:
            raise ProvenanceError(f"figure {id!r}: unknown source ids {sorted(missing)}")
        fig = Figure(id=id, group=self.group, what=what, value=value, text=fmt(value), op=op, column=column,
                     tables=list(tables), how=how, rows=rows, sources=src.sort("source_id"))
        self.figures[id] = fig
        return fig


def group(name: str):
    """Decorator: register ``fn(recorder)`` as the figures of group ``name``."""
    def register(fn: Callable[[Recorder], None]):
        _GROUPS[name] = fn
        return fn
    return register


def _import_groups() -> None:
    for module in GROUP_MODULES:
        importlib.import_module(module)


@cache
def figures(name: str) -> dict[str, Figure]:
    """The figures of group ``name``, computed from the release (once per process)."""
    from .report import tables

    _import_groups()
    if name not in _GROUPS:
        raise KeyError(f"no figure group {name!r}; known: {sorted(_GROUPS)}")
    rec = Recorder(group=name, tables=tables())
    _GROUPS[name](rec)
    return rec.figures


def _group_order() -> list[str]:
    """Group names by their module's place in GROUP_MODULES, then in the order their module registers them.

    NOTE: a page module imports the recorders it shares from other page modules, so modules register their groups
    in import order, not in GROUP_MODULES order; the provenance page lists the groups in GROUP_MODULES order.
    A group defined elsewhere (a test's) comes last.
    """
    rank = {module: i for i, module in enumerate(GROUP_MODULES)}
    return sorted(_GROUPS, key=lambda name: rank.get(_GROUPS[name].__module__, len(rank)))


def all_figures() -> list[Figure]:
    """Every figure of every group, in group then recording order; ids are unique across groups."""
    _import_groups()
    out: list[Figure] = []
    seen: dict[str, str] = {}
    for name in _group_order():
        for fig in figures(name).values():
            if fig.id in seen:
                raise ProvenanceError(f"figure id {fig.id!r} used by groups {seen[fig.id]!r} and {name!r}")
            seen[fig.id] = name
            out.append(fig)
    return out


# ---------------------------------------------------------------- the provenance page
def rows_csv(rows: pl.DataFrame) -> str:
    """Rows as CSV text (dates ISO, floats as polars writes them)."""
    return rows.write_csv(line_terminator="\n")


OP_WORDS = {
    "value": "the value of `{c}` in the one row listed",
    "sum": "the sum of `{c}` over the rows listed",
    "max": "the largest `{c}` among the rows listed",
    "min": "the smallest `{c}` among the rows listed",
    "mean": "the mean of `{c}` over the rows listed",
    "count": "the number of rows listed",
    "ratio": "the sum of `{c}` over the rows whose term is numerator, divided by the sum over the denominator rows",
    "change": "the sum of `{c}` over the `to` rows divided by the sum over the `from` rows, less 1",
    "difference": "the sum of `{c}` over the `to` rows less the sum over the `from` rows",
}


def entry_html(fig: Figure) -> str:
    """One entry of the provenance page (escaped throughout)."""
    e = html.escape
    op = e(OP_WORDS[fig.op].format(c=fig.column or "")).replace("`", "")
    src = "".join(
        f'<li><code>{e(r["source_id"])}</code>: <a href="{e(r["url"], quote=True)}" rel="noopener">{e(r["title"])}</a> '
        f"({e(r['publisher'])})</li>" for r in fig.sources.iter_rows(named=True)
    )
    shown = fig.rows.head(60)
    head = "".join(f"<th>{e(c)}</th>" for c in shown.columns)
    body = "".join("<tr>" + "".join(f"<td>{e('' if v is None else str(v))}</td>" for v in r) + "</tr>"
                   for r in shown.iter_rows())
    more = (f"<p>First 60 of {fig.rows.height} rows shown; all are in the CSV.</p>" if fig.rows.height > 60 else "")
    ident = release_identity()
    return (
        f'<section class="prov-entry" id="{e(fig.id)}" data-op="{e(fig.op)}" data-column="{e(fig.column or "")}" '
        f'data-value="{fig.value!r}" data-text="{e(fig.text, quote=True)}">'
        f"<h3>{e(fig.what)}: <span class=\"prov-value\">{e(fig.text)}</span></h3>"
        f"<dl><dt>Tables</dt><dd>{', '.join(f'<code>{e(t)}</code>' for t in fig.tables)}</dd>"
        f"<dt>Rows</dt><dd>{e(fig.how)}</dd>"
        f"<dt>Computation</dt><dd>{op} ({fig.rows.height} rows).</dd>"
        f"<dt>Release</dt><dd>talentgap {e(ident['version'])}, <code>datapackage.json</code> sha256 "
        f"<code class=\"prov-hash\">{ident['datapackage_sha256']}</code></dd>"
        f"<dt>Sources</dt><dd><ul>{src}</ul></dd></dl>"
        f'<p><a class="prov-csv" href="{e(fig.csv_path)}">Rows as CSV</a> ({fig.rows.height} rows)</p>'
        f'<div class="tg-table"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>{more}'
        "</section>"
    )


class ProvenancePage:
    """Display object for ``provenance.qmd``: every entry's HTML, and its rows as CSV files beside the page."""

    def __init__(self, figs: list[Figure]):
        self.figs = figs

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .site.outputs import FILES_MIME

        ident = release_identity()
        intro = (f"<p class=\"prov-release\">Release talentgap {html.escape(ident['version'])}; sha256 of "
                 f"<code>datapackage.json</code>: <code>{ident['datapackage_sha256']}</code>. "
                 f"{len(self.figs)} figures.</p>")
        files = [{"path": f.csv_path, "text": rows_csv(f.rows)} for f in self.figs]
        return {"text/html": intro + "".join(entry_html(f) for f in self.figs), FILES_MIME: {"files": files}}


def provenance_page() -> ProvenancePage:
    return ProvenancePage(all_figures())
