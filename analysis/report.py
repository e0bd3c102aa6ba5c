"""What the report's pages share: the release's tables, escaped HTML tables, number formats and dates in prose.

The `.qmd` pages stay thin: each imports its page module (``talentgap.pages.<page>``), which holds the page's
figures, charts and tables, and this module for what every page uses.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from functools import cache

import polars as pl
from IPython.display import HTML

from talentgap.schemas.tables import PACKAGE_VERSION, RELEASE_DATE, TABLES

from . import paths
from .api import load


class ReleaseTables(Mapping):
    """The release's tables by name, each loaded (and hash-checked) on first use only.

    NOTE: a page reads a few of the release's tables; loading all of them in every page's kernel was
    most of a cold render's time.
    """

    def __init__(self, release):
        self._release = release
        self._names = [name for name in TABLES if (release / f"{name}.parquet").exists()]
        self._loaded: dict[str, pl.DataFrame] = {}

    def __getitem__(self, name: str) -> pl.DataFrame:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._loaded:
            self._loaded[name] = load(name, self._release)
        return self._loaded[name]

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


@cache
def tables() -> ReleaseTables:
    """Every table present in the release, each loaded once per page when first used."""
    return ReleaseTables(paths.release_dir())


# ---------------------------------------------------------------- formats
def fmt_int(value) -> str:
    return "n/a" if value is None else f"{int(round(value)):,}"


def fmt_share(value, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value * 100:.{digits}f}%"


def fmt_usd(value) -> str:
    return "n/a" if value is None else f"${value:,.0f}"


# Figures printed in the pages' prose are recorded with their rows by each page module (see `provenance`).


# ---------------------------------------------------------------- tables
def html_table(df: pl.DataFrame, columns: dict[str, str], formats: dict[str, callable] | None = None,
               caption: str | None = None, links: dict[str, str] | None = None) -> HTML:
    """An HTML table in which every cell is escaped: text from the data never becomes markup.

    `columns` maps header labels to column names; `links` maps a column to the column holding its URL.
    """
    formats = formats or {}
    links = links or {}
    head = "".join(f"<th>{html.escape(label)}</th>" for label in columns)
    rows = []
    for rec in df.iter_rows(named=True):
        cells = []
        for col in columns.values():
            value = rec[col]
            text = "" if value is None else (formats[col](value) if col in formats else str(value))
            cell = html.escape(text)
            url = rec.get(links[col]) if col in links else None
            if url and str(url).startswith(("https://", "http://")):
                cell = f'<a href="{html.escape(str(url), quote=True)}" rel="noopener">{cell}</a>'
            cells.append(f"<td>{cell}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return HTML(f'<div class="tg-table"><table>{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def version_line() -> str:
    return f"talentgap data release {PACKAGE_VERSION} ({RELEASE_DATE})"


# ---------------------------------------------------------------- dates in prose
def dated(fig, style: str = "day") -> str:
    """The date of a one-row figure, read from its own row: 'day' (27 March 2026), 'month' (March 2026) or 'year'."""
    rows = fig.rows
    for col in ("date", "month", "year"):
        if col in rows.columns:
            break
    else:
        raise ValueError(f"figure {fig.id}: no date, month or year column in its rows")
    if rows.height != 1:
        raise ValueError(f"figure {fig.id}: {rows.height} rows, one date expected")
    value = rows[col][0]
    if col == "year":
        return str(value)
    return f"{value.day} {value:%B %Y}" if style == "day" else (f"{value:%B %Y}" if style == "month" else str(value.year))


