"""What the report's pages compute: key figures, escaped HTML tables, and number formats.

The `.qmd` pages stay thin: they import this module and `figures`, and print what these return.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from functools import cache

import polars as pl
from IPython.display import HTML, Markdown

from talentgap.schemas.dictionary import data_dictionary, table_summaries
from talentgap.schemas.tables import PACKAGE_VERSION, RELEASE_DATE, TABLES

from . import paths
from . import transforms as t
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


# Figures printed in the pages' prose are recorded with their rows in `report_figures` (see `provenance`).


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


def largest_cuts(n: int = 20) -> HTML:
    ev = tables()["layoff_events"].filter(pl.col("headcount").is_not_null()).sort(
        ["headcount", "announced_on"], descending=[True, False]
    ).head(n)
    return html_table(
        ev,
        {"Company": "company", "Announced": "announced_on", "People": "headcount", "Share of staff": "share_of_workforce",
         "Country": "country", "AI link": "ai_attribution", "Source": "source_id"},
        {"headcount": fmt_int, "share_of_workforce": lambda v: fmt_share(v, 1), "announced_on": str},
        links={"source_id": "source_url"},
    )


def disagreements_table() -> HTML:
    df = t.event_disagreements(tables()["layoff_events"], tables()["layoff_event_conflicts"])
    return html_table(
        df,
        {"Company": "company", "Announced": "announced_on", "Figure kept": "kept_headcount", "Source kept": "kept_source_id",
         "Lowest reported": "low_headcount", "Highest reported": "high_headcount", "Other sources": "other_sources"},
        {"announced_on": str, "kept_headcount": fmt_int, "low_headcount": fmt_int, "high_headcount": fmt_int},
    )


def wage_table() -> HTML:
    # NOTE: the table shows the longest span per occupation; every pair of years is in `wage_change`.
    df = tables()["wage_change"]
    span = (pl.col("to_year") - pl.col("from_year")) == (pl.col("to_year") - pl.col("from_year")).max().over("soc_code")
    df = df.filter(span & (pl.col("role_group") != "other"))
    return html_table(
        df,
        {"SOC": "soc_code", "Occupation": "occupation_title", "Group": "role_group", "From": "from_year", "To": "to_year",
         "Median then": "from_median_wage_usd", "Median now": "to_median_wage_usd",
         "Nominal change": "nominal_change_share", "Real change": "real_change_share"},
        {"from_median_wage_usd": fmt_usd, "to_median_wage_usd": fmt_usd,
         "nominal_change_share": lambda v: fmt_share(v, 1), "real_change_share": lambda v: fmt_share(v, 1)},
    )


def claims_table() -> HTML:
    tb = tables()
    df = (
        tb["claims"].join(tb["claim_checks"], on="claim_id")
        .join(tb["seed_documents"].select("seed_id", pl.col("title").alias("document")), on="seed_id")
        .sort(["seed_id", "char_start"])
    )
    return html_table(
        df,
        {"Claim": "claim_id", "Figure": "figure_text", "Measures": "metric",
         "Qualifier": "qualifier", "As of": "as_of", "Verdict": "verdict", "Data": "compared_value", "Why": "reason"},
        {"as_of": str, "compared_value": lambda v: f"{v:,.4g}" if v < 1 else fmt_int(v)},
    )


def sources_table() -> HTML:
    df = tables()["sources"].sort("source_id")
    return html_table(
        df,
        {"Id": "source_id", "Title": "title", "Publisher": "publisher", "Published": "date_published",
         "Accessed": "date_accessed", "Kind": "kind", "Terms": "license"},
        {"date_published": str, "date_accessed": str},
        links={"title": "url"},
    )


def dictionary_table() -> HTML:
    return html_table(
        data_dictionary(),
        {"Table": "table", "Column": "column", "Type": "type", "Unit": "unit", "Key": "key",
         "Constraints": "constraints", "Description": "description"},
    )


def tables_table() -> HTML:
    return html_table(
        table_summaries(),
        {"Table": "table", "Title": "title", "Description": "description", "Primary key": "primary_key",
         "Schema version": "schema_version", "Origin": "origin"},
    )


def downloads(prefix: str = "downloads") -> HTML:
    """Links to every release file (copied next to the site by `make report`)."""
    import json

    descriptor = json.loads((paths.release_dir() / "datapackage.json").read_text(encoding="utf-8"))
    rows = []
    for res in descriptor["resources"]:
        pq = res["talentgap:parquet"]
        rows.append({"table": res["name"], "csv": res["path"], "csv_bytes": res["bytes"], "parquet": pq["path"],
                     "parquet_bytes": pq["bytes"], "sha256": res["hash"].removeprefix("sha256:")[:16]})
    body = "".join(
        f'<tr><td>{html.escape(r["table"])}</td>'
        f'<td><a href="{prefix}/{html.escape(r["csv"])}">{html.escape(r["csv"])}</a> ({r["csv_bytes"]:,} B)</td>'
        f'<td><a href="{prefix}/{html.escape(r["parquet"])}">{html.escape(r["parquet"])}</a> ({r["parquet_bytes"]:,} B)</td>'
        f'<td><code>{r["sha256"]}…</code></td></tr>'
        for r in rows
    )
    package = f'<p><a href="{prefix}/datapackage.json">datapackage.json</a> (Frictionless descriptor with every schema and hash)</p>'
    return HTML(package + '<div class="tg-table"><table><thead><tr><th>Table</th><th>CSV</th><th>Parquet</th>'
                f"<th>CSV sha256</th></tr></thead><tbody>{body}</tbody></table></div>")


def changelog() -> Markdown:
    text = (paths.ROOT / "data" / "CHANGELOG.md").read_text(encoding="utf-8")
    # Demote headings so the changelog sits under the page's own section heading.
    return Markdown("\n".join(("##" + line) if line.startswith("#") else line for line in text.splitlines()))


def notes() -> Markdown:
    return Markdown((paths.ROOT / "data" / "NOTES.md").read_text(encoding="utf-8").replace("\n# ", "\n### ").replace("\n## ", "\n### "))


def version_line() -> str:
    return f"talentgap data release {PACKAGE_VERSION} ({RELEASE_DATE})"


# ---------------------------------------------------------------- tracker reconciliation (layoffs page)
TRACKER_SCOPES = pl.DataFrame({
    "tracker": ["Layoffs.fyi", "Challenger, Gray & Christmas"],
    "geography": ["Worldwide (companies anywhere)", "Employers based in the United States"],
    "sector": ["Tech companies and startups it lists", "Employers it classes in its technology industry"],
    "what": ["Layoffs reported in the press or by the company, dated by the layoff", "Job cuts announced, dated by the announcement; plans, not layoffs carried out"],
    "unit": ["People (layoffs of unknown size count as none)", "Job cuts announced"],
    "how_we_read_it": ["Sum of the months of the one monthly series (layoffs_fyi_monthly)", "Latest full-year figure reported (layoff_tracker_totals)"],
})


def tracker_scopes() -> HTML:
    """What each tracker counts, in words (no figures)."""
    return html_table(TRACKER_SCOPES, {"Tracker": "tracker", "Geography": "geography", "Sector": "sector",
                                       "Counts": "what", "Unit": "unit", "Read here as": "how_we_read_it"})


def reconciliation_table(figs: dict) -> HTML:
    """Per year: Layoffs.fyi, Challenger and their ratio, each cell a link to its provenance entry."""
    years = sorted(int(k.split("-")[1]) for k in figs if k.startswith("ratio-"))
    rows = "".join(
        f"<tr><td>{y}</td><td>{figs[f'fyi-{y}'].link()}</td><td>{figs[f'challenger-{y}'].link()}</td>"
        f"<td>{figs[f'ratio-{y}'].link()}</td></tr>" for y in years
    )
    return HTML('<div class="tg-table"><table><thead><tr><th>Year</th><th>Layoffs.fyi (people)</th>'
                '<th>Challenger (announced cuts)</th><th>Ratio, Layoffs.fyi / Challenger</th></tr></thead>'
                f"<tbody>{rows}</tbody></table></div>")


def occupation_table() -> HTML:
    """OEWS employment per occupation and May year (workbooks only), for the occupations the report follows."""
    followed = [*t.ROLE_GROUPS, "15-0000"]
    occ = t.from_files(tables()["occupations"], tables()["sources"]).filter(pl.col("soc_code").is_in(followed))
    wide = occ.pivot(on="year", index=["soc_code", "occupation_title"], values="employment").sort("soc_code")
    years = [c for c in wide.columns if c not in ("soc_code", "occupation_title")]
    return html_table(wide, {"SOC": "soc_code", "Occupation": "occupation_title", **{f"May {y}": y for y in years}},
                      {y: fmt_int for y in years})
