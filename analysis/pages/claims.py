"""report/claims.qmd: the seed articles' figures, each paraphrased with its verdict and reason.

Everything the page prints comes from here: the figures of provenance group ``claims`` (the verdict counts,
``_record_verdicts``, which the summary page also records with its prefix), the rule the check applies and
the claim cards. The check itself is analysis/claims.py. Reads the release's tables seed_documents, claims,
claim_checks and sources.
"""

from __future__ import annotations

import html

import polars as pl
from IPython.display import HTML, Markdown

from .. import provenance as prov
from ..report import tables


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


# ---------------------------------------------------------------- figures
def _record_verdicts(rec: prov.Recorder, prefix: str = "") -> None:
    tb = rec.tables
    # The seed articles' own rows of `sources` (matched by URL) are the sources of every claim; the data
    # each claim was compared with is named in compared_source_id.
    seed_sources = tb["seed_documents"].join(tb["sources"].select("url", "source_id"), on="url")["source_id"].to_list()
    for verdict in ("consistent", "inconsistent", "not_checkable"):
        rows = tb["claim_checks"].filter(pl.col("verdict") == verdict).select("claim_id", "verdict", "compared_value", "compared_source_id")
        if rows.is_empty():
            continue
        rec.add(f"{prefix}claims-{verdict.replace('_', '-')}", rows, op="count",
                what=f"Claims of the seed articles judged {verdict.replace('_', ' ')}", tables=["claim_checks", "claims"],
                how=f"Rows of claim_checks with verdict {verdict}.",
                sources=seed_sources + rows["compared_source_id"].drop_nulls().to_list())


@prov.group("claims")
def _claims(rec: prov.Recorder) -> None:
    _record_verdicts(rec)


# ---------------------------------------------------------------- claim cards
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
    from ..claims import consistent

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
        from ..claims import RECONSTRUCTION_SLACK

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
    from .. import claims as c

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
