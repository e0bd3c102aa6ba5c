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
    """The largest announcements with a stated headcount; multi-year plans flagged (as the layoff chart draws them)."""
    from .figures import ATTRIBUTION_LABELS, drawn_events

    ev = drawn_events(tables()["layoff_events"]).sort(["headcount", "announced_on"], descending=[True, False]).head(n).with_columns(
        pl.col("ai_attribution").replace(ATTRIBUTION_LABELS),
        pl.when(pl.col("plan_until").is_not_null()).then(pl.format("Plan to {}", "plan_until")).otherwise(pl.lit("")).alias("kind"))
    return html_table(
        ev,
        {"Company": "company", "Announced": "announced_on", "People": "headcount", "Multi-year plan": "kind",
         "Share of staff": "share_of_workforce", "Country": "country", "AI link": "ai_attribution", "Source": "source_id"},
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
    from .figures import GROUP_LABELS

    df = df.filter(span & (pl.col("role_group") != "other")).with_columns(pl.col("role_group").replace(GROUP_LABELS))
    return html_table(
        df,
        {"SOC": "soc_code", "Occupation": "occupation_title", "Group": "role_group", "From": "from_year", "To": "to_year",
         "Median then": "from_median_wage_usd", "Median now": "to_median_wage_usd",
         "Change before inflation": "nominal_change_share", "Change after inflation": "real_change_share"},
        {"from_median_wage_usd": fmt_usd, "to_median_wage_usd": fmt_usd,
         "nominal_change_share": lambda v: fmt_share(v, 1), "real_change_share": lambda v: fmt_share(v, 1)},
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
    "how_we_read_it": ["Sum of the months of its list (each month from the newest export covering it)", "Its latest full-year figure for each year"],
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


# ---------------------------------------------------------------- claims page
QUALIFIER_WORDS = {"none": "", "approximately": "about ", "around": "around ", "over": "more than ", "more_than": "more than ",
                   "exceeding": "more than ", "at_least": "at least ", "nearly": "nearly ", "up_to": "up to ", "range": "",
                   "vague_multiple": ""}
METRIC_WORDS = {
    "tech_layoffs_employees": "people laid off by tech companies",
    "tech_layoffs_companies": "tech companies with layoffs",
    "company_layoffs_employees": "jobs cut",
    "workforce_cut_share": "of the workforce cut",
    "ai_engineer_mean_salary": "average annual pay of AI engineers",
    "salary_change": "rise in AI engineers' pay",
    "employee_confidence_share": "of tech employees with a positive business outlook",
    "headcount": "staff needed by a small AI-based start-up (an example, not a count)",
    "revenue": "revenue of a small AI-based start-up (an example, not a count)",
    "ai_infrastructure_spending": "spent a year on AI infrastructure by the largest tech companies",
    "startup_valuation": "valuation that makes a start-up a 'unicorn' (a definition, not a count)",
}
VERDICT_WORDS = {"consistent": "Consistent", "inconsistent": "Inconsistent", "not_checkable": "Not checkable"}


def _day(d) -> str:
    return f"{d.day} {d:%B %Y}"


def _period(claim: dict) -> str:
    start, end = claim["period_start"], claim["period_end"]
    if start and end:
        if start.year == end.year and start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
            return f"in {start.year}"
        if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
            return f"from {start.year} to {end.year}"
        return f"from {_day(start)} to {_day(end)}"
    return f"as of {_day(claim['as_of'])}" if claim["as_of"] else "undated"


def paraphrase(claim: dict) -> str:
    """A claim in our words from its structured fields: who, what (metric), the figure and its qualifier, the period."""
    what = METRIC_WORDS.get(claim["metric"], claim["metric"].replace("_", " "))
    who = claim["entity"] or "The article"
    return f"{who}: {QUALIFIER_WORDS.get(claim['qualifier'], '')}{claim['figure_text']} {what}, {_period(claim)}."


def _article_date(doc: dict) -> str:
    if doc["date_published"]:
        return f"published {_day(doc['date_published'])}"
    if doc["date_earliest"] and doc["date_latest"]:
        return f"undated; written between {_day(doc['date_earliest'])} and {_day(doc['date_latest'])}"
    return f"undated; written by {_day(doc['date_latest'])}" if doc["date_latest"] else "undated"


def _compared(value, unit: str) -> str:
    if value is None:
        return ""
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit.startswith("usd"):
        return f"${value:,.0f}"
    return f"{value:,.0f}"


def _used_slack(claim: dict) -> bool:
    """Whether a consistent verdict needed the allowance for totals rebuilt from a Layoffs.fyi export."""
    from .claims import consistent

    return (claim["verdict"] == "consistent" and "rebuilt from the export" in claim["reason"]
            and not consistent(claim["claim_value"], claim["qualifier"], claim["compared_value"]))


def _plain(text: str) -> str:
    """A check's reason in words: dates spelled out, table and measure names replaced."""
    import datetime as dt
    import re

    def day(m):
        return _day(dt.date.fromisoformat(m.group(0)))

    text = re.sub(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", r"from \1 to \2", text)
    text = re.sub(r"\d{4}-\d{2}-\d{2}", day, text)
    for metric, words in METRIC_WORDS.items():
        text = text.replace(f"measures {metric}", f"measures the {words.split(' (')[0]}")
    text = text.replace("layoff_events", "our list of announcements").replace(" mean ", " average pay ")
    text = text.replace(" for from ", " from ").replace("the spent a year", "spending a year").replace("engineer change", "engineer pay change")
    return text.replace("_", " ")


def _verdict_reason(claim: dict, publishers: dict) -> str:
    """The verdict's reason in plain words, from the comparison's value and source."""
    e = html.escape
    if claim["compared_value"] is None:
        why = claim["reason"].split("; data: ", 1)[-1]
        return e(f"Nothing in the data can check it: {_plain(why)}.")
    source = ", ".join(sorted({publishers.get(s, s) for s in (claim["compared_source_id"] or "").split(";") if s}))
    text = f"The data show {_compared(claim['compared_value'], claim['claim_unit'])} ({source})."
    if _used_slack(claim):
        from .claims import RECONSTRUCTION_SLACK

        text += (f" Consistent only with the {RECONSTRUCTION_SLACK * 100:g}% allowance for totals rebuilt from a Layoffs.fyi "
                 "export (see the rule above).")
    return e(text)


def claims_cards() -> HTML:
    """The claims page: each article named (title, publisher, date, link), its claims paraphrased, verdict and reason;
    radio buttons filter by verdict (CSS only, works offline)."""
    tb = tables()
    e = html.escape
    publishers = dict(tb["sources"].select("source_id", "publisher").iter_rows())
    claims = tb["claims"].join(tb["claim_checks"], on="claim_id").sort(["seed_id", "char_start"])
    verdicts = [v for v in VERDICT_WORDS if v in set(claims["verdict"].to_list())]
    counts = dict(claims.group_by("verdict").len().iter_rows())
    radios = ['<input type="radio" name="claim-filter" id="cf-all" checked><label for="cf-all">All ({})</label>'.format(claims.height)]
    radios += [f'<input type="radio" name="claim-filter" id="cf-{v}"><label for="cf-{v}">{VERDICT_WORDS[v]} ({counts[v]})</label>'
               for v in verdicts]
    articles = []
    for doc in tb["seed_documents"].sort("seed_id").iter_rows(named=True):
        items = "".join(
            f'<li class="claim v-{e(c["verdict"])}"><p class="claim-text">{e(paraphrase(c))}</p>'
            f'<p><span class="verdict verdict-{e(c["verdict"])}">{VERDICT_WORDS[c["verdict"]]}</span> {_verdict_reason(c, publishers)}</p>'
            f'<details><summary>How it was checked</summary><p>{e(c["reason"])}</p></details></li>'
            for c in claims.filter(pl.col("seed_id") == doc["seed_id"]).iter_rows(named=True))
        articles.append(
            f'<section class="claim-article"><h3><a href="{e(doc["url"], quote=True)}" rel="noopener">{e(doc["title"])}</a></h3>'
            f'<p class="claim-meta">{e(doc["publisher"])}, {e(_article_date(doc))}</p><ol class="claim-list">{items}</ol></section>')
    # NOTE: the radio buttons are siblings of the articles so that CSS alone (no script) hides the other verdicts.
    return HTML('<div class="claims" role="group" aria-label="Filter the claims by verdict"><span class="claim-filter">Show:</span> '
                + " ".join(radios) + "".join(articles) + "</div>")


def claims_rule() -> Markdown:
    """The rule the claims check applies, written from the constants in analysis/claims.py (so it is stated as applied)."""
    from . import claims as c

    rows = []
    names = {"none": "no qualifier", "approximately": "“about”", "around": "“around”", "over": "“over”, “more than”, “exceeding”",
             "at_least": "“at least”", "nearly": "“nearly”", "up_to": "“up to”"}
    for key, label in names.items():
        low, high, _ = c.QUALIFIER_BOUNDS[key]
        rows.append(f"| {label} | {low * 100:g}% to {high * 100:g}% of the figure | "
                    f"{low * (1 - c.RECONSTRUCTION_SLACK) * 100:g}% to {high * (1 + c.RECONSTRUCTION_SLACK) * 100:g}% |")
    slack = f"{c.RECONSTRUCTION_SLACK * 100:g}%"
    return Markdown("\n".join([
        "| The article says | Consistent if the data are | If the data are rebuilt from a Layoffs.fyi export |",
        "|---|---|---|", *rows, "",
        f"A figure is compared with the data as they stood on the article's date: a tracker's snapshot published up to "
        f"{c.SNAPSHOT_GRACE_DAYS} days after it, covering a date within {c.YTD_MAX_GAP_DAYS} days of the article's for a "
        f"year-to-date count; a figure over several years with the sum of each year's total; a company's cut with its "
        f"announcement in the {c.EVENT_WINDOW_DAYS} days before; a monthly reading with one at most {c.MONTHLY_MAX_GAP_DAYS} "
        f"days away. Where no published Layoffs.fyi snapshot fits, the count is rebuilt from an export of its list as it "
        f"stood that day; rebuilt totals differ from what the site showed by up to about 1%, so their allowed range is "
        f"{slack} wider on each side (last column). A “more than” figure is also consistent with a later snapshot that "
        f"is at least the figure, since year-to-date counts only grow. “Several hundred”, “billions” and the like are too "
        f"vague to check."]))


# ---------------------------------------------------------------- data page
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


def first_milestone(kind: str) -> str:
    """The label and month of the first milestone of a kind, as text ("ChatGPT released, November 2022")."""
    row = tables()["milestones"].filter(pl.col("milestone_kind") == kind).sort("date").row(0, named=True)
    return f"{row['label']}, {row['date']:%B %Y}"


def articles_span() -> str:
    """When the seed articles were written, at the widest: 'between January 2024 and November 2026'."""
    docs = tables()["seed_documents"]
    first = pl.concat([docs["date_published"], docs["date_earliest"]]).drop_nulls().min()
    last = pl.concat([docs["date_published"], docs["date_latest"]]).drop_nulls().max()
    return f"between {first:%B %Y} and {last:%B %Y}"


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
