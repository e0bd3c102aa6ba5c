"""report/data.qmd: data and methods: glossary, data through, downloads, tables, dictionary, sources, notes.

Everything the page prints comes from here (and the release version from report.version_line): HTML tables
read from the release and its descriptor, and data/NOTES.md and data/CHANGELOG.md. No provenance group: the
page states no computed figure.
"""

from __future__ import annotations

import html

import polars as pl
from IPython.display import HTML, Markdown

from talentgap.schemas.dictionary import data_dictionary, table_summaries

from .. import paths
from ..report import html_table, tables


# ---------------------------------------------------------------- glossary
GLOSSARY = [
    ("Announcement", "A company's public statement that it will cut jobs; the cuts may happen later, partly, or not at all."),
    ("Challenger", "Challenger, Gray & Christmas, a US firm that counts job cuts announced by US-based employers each month."),
    ("Employee Confidence Index", "Glassdoor's monthly share of employees, among those reviewing their employer, who expect its business to improve over six months."),
    ("Layoffs.fyi", "A website listing layoffs at tech companies worldwide from press reports and company statements."),
    ("Index (1 February 2020 = 100)", "A series rescaled so that its value on 1 February 2020 is 100; 80 means 20% fewer than that day."),
    ("OEWS", "BLS's Occupational Employment and Wage Statistics: jobs and pay by occupation in May of each year, from a survey of employers."),
    ("SOC code", "The US Standard Occupational Classification code of an occupation, such as 15-1252 for software developers."),
    ("Top-coding", "Replacing wages above a ceiling with a marker instead of a number; BLS changed how it does this in May 2025."),
    ("Real change", "A change in pay after removing the rise in consumer prices (here, the CPI-U for May)."),
    ("Version of a series", "Publishers such as Indeed and Glassdoor revise past values; each published version is kept; the charts draw the latest (the postings chart also the earliest, dashed)."),
    ("Provenance", "The record behind a number on this site: the rows it is computed from, the computation and the sources."),
    ("Exposure to language models", "From the paper \u201cGPTs are GPTs\u201d: the share of an occupation's tasks rated as exposed to a large language model, once by GPT-4 and once by the paper's human raters. Exposure is a correlation across occupations, not a cause of job change."),
    ("Exposure measure \u03b1 (alpha)", "Counts only the tasks directly exposed to the model itself."),
    ("Exposure measure \u03b2 (beta)", "Counts the directly exposed tasks plus, at half weight, those exposed only once other software is built around the model."),
    ("Exposure measure \u03b3 (gamma)", "Counts both kinds of task in full: the widest measure."),
    ("Routine, AI-adjacent and core tech occupations", "Our grouping of tech occupations: routine (programmers, testers, user support), AI-adjacent (data and research scientists) and core tech (software developers, security analysts)."),
]


def glossary() -> HTML:
    e = html.escape
    return HTML('<dl class="glossary">' + "".join(f"<dt>{e(t)}</dt><dd>{e(d)}</dd>" for t, d in GLOSSARY) + "</dl>")


# ---------------------------------------------------------------- data through
# NOTE: the series the report draws, each with its table, the column that dates it and the columns that name it.
THROUGH_SERIES = [
    ("layoffs_fyi_monthly", "month", ["source_id"], "Layoffs.fyi, people per month (by export)"),
    ("layoff_tracker_totals", "period_end", ["tracker"], "Trackers' totals (by tracker)"),
    ("layoff_events", "announced_on", [], "Our list of announcements"),
    ("postings_daily", "date", ["series", "country_code"], "Indeed postings (US series)"),
    ("rates", "month", ["series_id"], "Federal funds rate"),
    ("confidence", "month", ["series"], "Glassdoor confidence (tech and all US)"),
    ("occupations", "year", [], "BLS OEWS, May of"),
    ("cpi_monthly", "month", [], "Consumer prices (CPI-U)"),
]


def data_through_table() -> HTML:
    """The first and last date of every series the report draws, read from the release."""
    rows = []
    for table, col, by, label in THROUGH_SERIES:
        df = tables()[table]
        if table == "postings_daily":
            df = df.filter(pl.col("country_code") == "US")
        if table == "confidence":
            df = df.filter(pl.col("series").is_in(["overall_us", "information_technology"]))
        groups = df.group_by(by).agg(pl.col(col).min().alias("first"), pl.col(col).max().alias("last")) if by else \
            df.select(pl.col(col).min().alias("first"), pl.col(col).max().alias("last"))
        for g in groups.sort(by or "last").iter_rows(named=True):
            name = label + (": " + ", ".join(str(g[b]).replace("_", " ") for b in by) if by else "")
            rows.append({"series": name, "first": str(g["first"]), "last": str(g["last"])})
    return html_table(pl.DataFrame(rows), {"Series": "series", "From": "first", "Through": "last"})


# ---------------------------------------------------------------- release files and tables
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


def tables_table() -> HTML:
    return html_table(
        table_summaries(),
        {"Table": "table", "Title": "title", "Description": "description", "Primary key": "primary_key",
         "Schema version": "schema_version", "Origin": "origin"},
    )


def dictionary_table() -> HTML:
    return html_table(
        data_dictionary(),
        {"Table": "table", "Column": "column", "Type": "type", "Unit": "unit", "Key": "key",
         "Constraints": "constraints", "Description": "description"},
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


# ---------------------------------------------------------------- notes and changelog
def notes() -> Markdown:
    return Markdown((paths.ROOT / "data" / "NOTES.md").read_text(encoding="utf-8").replace("\n# ", "\n### ").replace("\n## ", "\n### "))


def changelog() -> Markdown:
    text = (paths.ROOT / "data" / "CHANGELOG.md").read_text(encoding="utf-8")
    # Demote headings so the changelog sits under the page's own section heading.
    return Markdown("\n".join(("##" + line) if line.startswith("#") else line for line in text.splitlines()))
