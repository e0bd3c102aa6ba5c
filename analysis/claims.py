"""Check each seed-document claim against the data: consistent, inconsistent, or not checkable.

A claim is compared with the data of its date (the tracker snapshot nearest its as-of date, not
the final year total), summed over years where it spans several, and judged with its qualifier.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from . import paths
from .transforms import latest_vintage

# Qualifier -> (lowest, highest) ratio data/claim that the wording allows, and whether the
# bounds are strict. NOTE: an unqualified figure in the news is usually a tracker's count read on
# the day; 2% allows the drift of a snapshot a few days apart. "Over 50,000" is consistent with
# 52,000 and not with 48,000; we cap it at +25%, past which a writer would have said a larger figure.
# "Nearly 900,000" allows up to 10% below and nothing above.
# NOTE: lower bounds are inclusive because trackers' own figures are often rounded ("50,000").
QUALIFIER_BOUNDS: dict[str, tuple[float, float, bool]] = {
    "none": (0.98, 1.02, False),
    "approximately": (0.95, 1.05, False),
    "around": (0.95, 1.05, False),
    "over": (1.0, 1.25, False),
    "more_than": (1.0, 1.25, False),
    "exceeding": (1.0, 1.25, False),
    "at_least": (1.0, 1.25, False),
    "nearly": (0.90, 1.0, False),
    "up_to": (0.0, 1.0, False),
}
# Qualifiers too loose to judge: "several hundred", "billions".
UNJUDGEABLE = {"vague_multiple"}

# NOTE: a snapshot published up to 7 days after the article can still be the one it read
# (trackers and news pages are updated on different days).
SNAPSHOT_GRACE_DAYS = 7
# NOTE: an article reports an announcement within the previous 120 days as "recent".
EVENT_WINDOW_DAYS = 120
# NOTE: a year-to-date figure is only compared with a snapshot covering a date within 31 days
# of the claim's: layoffs accrue by thousands a month, so an older snapshot cannot confirm it.
YTD_MAX_GAP_DAYS = 31
# NOTE: a monthly index value quoted in an article describes one of the two months before it.
MONTHLY_MAX_GAP_DAYS = 62

TRACKERS = ("layoffs.fyi", "challenger", "trueup")
# NOTE: a total rebuilt from an export's date_added differs from what the tracker showed that day:
# rows deleted or merged since are gone and headcounts edited since show their new value. Against
# Layoffs.fyi's published year totals the rebuilt ones differ by up to about 1% (see data/NOTES.md),
# so a claim judged on a rebuilt total gets 3% more room on each side of its qualifier's bounds.
RECONSTRUCTION_SLACK = 0.03


@dataclass(frozen=True)
class Comparison:
    value: float | None
    source_id: str | None
    what: str
    qualifier: str = "none"
    covers_after: bool = False  # the data covers a later day than the claim
    reconstructed: bool = False  # rebuilt from an export's date_added, not a published snapshot


LOWER_BOUNDS = {"over", "more_than", "exceeding", "at_least"}


def consistent(claim_value: float, qualifier: str, data_value: float, data_qualifier: str = "none") -> bool:
    """Whether data_value is what a claim of `qualifier claim_value` allows.

    When the data itself is a lower bound ("more than 50,000" in a tracker snapshot), a claim
    of "over 50,000" read from it is consistent: the strict bound becomes inclusive.
    """
    low, high, strict = QUALIFIER_BOUNDS[qualifier]
    ratio = data_value / claim_value
    if strict and data_qualifier not in LOWER_BOUNDS:
        return low < ratio <= high
    return low <= ratio <= high


def judge(claim: dict, comp: Comparison) -> bool:
    """Whether the compared data bears the claim out."""
    if consistent(claim["claim_value"], claim["qualifier"], comp.value, comp.qualifier):
        return True
    if comp.reconstructed:
        low, high, _ = QUALIFIER_BOUNDS[claim["qualifier"]]
        ratio = comp.value / claim["claim_value"]
        return low * (1 - RECONSTRUCTION_SLACK) <= ratio <= high * (1 + RECONSTRUCTION_SLACK)
    # NOTE: year-to-date counts only grow. A snapshot covering a later day than the claim
    # confirms a lower-bound claim ("over 7,500") whenever it is at least the claimed figure.
    return comp.covers_after and claim["qualifier"] in LOWER_BOUNDS and comp.value >= claim["claim_value"]


def _q(qualifier: str) -> str:
    return "" if qualifier == "none" else qualifier.replace("_", " ") + " "


def _tracker_slug(claim: dict) -> str | None:
    for text in (claim.get("attributed_source"), claim.get("entity")):
        if not text:
            continue
        lowered = text.lower()
        for slug in TRACKERS:
            if slug in lowered:
                return slug
    return None


def _own_article(tables: dict[str, pl.DataFrame], claim: dict) -> pl.Expr:
    """Rows whose source is the claim's own article: a claim is never checked against itself."""
    seeds = tables.get("seed_documents")
    sources = tables.get("sources")
    if seeds is None or sources is None:
        return pl.lit(False)
    url = seeds.filter(pl.col("seed_id") == claim["seed_id"])["url"].to_list()
    own = sources.filter(pl.col("url").is_in(url))["source_id"].to_list()
    return pl.col("source_id").is_in(own)


def snapshot_for(totals: pl.DataFrame, tracker: str, year: int, claim: dict) -> tuple[dict | None, str]:
    """The tracker's snapshot for `year` that the claim should be read against, or why there is none.

    A year the claim covers in full is compared with a full-year total published by the claim's
    date; a year in progress with the dated snapshot whose coverage ends nearest the claim's.
    """
    cutoff = claim["as_of"] + dt.timedelta(days=SNAPSHOT_GRACE_DAYS)
    rows = totals.filter(
        (pl.col("tracker") == tracker) & (pl.col("year") == year)
        & pl.col("as_of").is_not_null() & (pl.col("as_of") <= cutoff)
    )
    year_end = dt.date(year, 12, 31)
    claim_end = claim["period_end"] or claim["as_of"]
    if claim_end >= year_end:
        full = rows.filter(pl.col("period_end") == year_end)
        if full.is_empty():
            return None, f"no full-year {tracker} total for {year} published by {claim['as_of']}"
        full = full.with_columns((pl.col("as_of") - pl.lit(claim["as_of"])).dt.total_days().abs().alias("_gap"))
        return full.sort(["_gap", "as_of", "employees"], descending=[False, True, True]).row(0, named=True), ""
    if rows.is_empty():
        return None, f"no {tracker} snapshot of {year} published by {claim['as_of']}"
    rows = rows.with_columns((pl.col("period_end") - pl.lit(claim_end)).dt.total_days().abs().alias("_gap"))
    best = rows.sort(["_gap", "as_of", "employees"], descending=[False, True, True]).row(0, named=True)
    if best["_gap"] > YTD_MAX_GAP_DAYS:
        return None, (
            f"the nearest {tracker} snapshot of {year} covers to {best['period_end']}, "
            f"{best['_gap']} days from the claim's {claim_end}"
        )
    return best, ""


def _tracker_sum(claim: dict, totals: pl.DataFrame, tracker: str, column: str) -> Comparison:
    years = range(claim["period_start"].year, claim["period_end"].year + 1)
    total, used = 0, []
    for year in years:
        snap, why = snapshot_for(totals, tracker, year, claim)
        if snap is None:
            return Comparison(None, None, why)
        if snap[column] is None:
            return Comparison(None, None, f"the {tracker} snapshot of {year} gives no {column} count")
        total += snap[column]
        used.append(snap)
    sources = sorted({s["source_id"] for s in used})
    parts = ", ".join(
        f"{s['year']}: {_q(s['qualifier'])}{s[column]:,} (through {s['period_end']}, reported {s['as_of']})"
        for s in used
    )
    qualifiers = {s["qualifier"] for s in used}
    qualifier = qualifiers.pop() if len(qualifiers) == 1 else "none"
    claim_end = claim["period_end"] or claim["as_of"]
    covers_after = used[-1]["period_end"] > claim_end
    return Comparison(float(total), ";".join(sources), f"{tracker} {column} {parts}", qualifier, covers_after)


def compare_tracker(claim: dict, tables: dict[str, pl.DataFrame], column: str) -> Comparison:
    """A tracker count (employees or companies) summed over the claim's years, as of its date.

    NOTE: a figure whose tracker the article does not name is compared with every tracker; the
    first (by name) with which it is consistent is reported, else the closest one.
    """
    if claim["period_start"] is None or claim["period_end"] is None:
        return Comparison(None, None, "the claim gives no period")
    totals = tables["layoff_tracker_totals"].filter(~_own_article(tables, claim))
    named = _tracker_slug(claim)
    candidates = [named] if named else sorted(totals["tracker"].unique().to_list())
    found = [c for c in (_tracker_sum(claim, totals, t, column) for t in candidates) if c.value is not None]
    # NOTE: a published snapshot is what the article's author could see; only where none fits is the
    # claim read against Layoffs.fyi's list as it stood on the claim's date, rebuilt from an export.
    if not found and (named in (None, "layoffs.fyi")) and "layoffs_fyi_as_of" in tables:
        rebuilt = reconstructed_in_window(claim, tables, column)
        if rebuilt.value is not None:
            return rebuilt
    if not found:
        why = _tracker_sum(claim, totals, named, column).what if named else "no tracker has a matching figure"
        return Comparison(None, None, why)
    for comp in found:
        if judge(claim, comp):
            return comp
    return min(found, key=lambda c: abs(c.value - claim["claim_value"]))


def reconstructed_sum(claim: dict, as_of: pl.DataFrame, column: str) -> Comparison:
    """Layoffs.fyi's total for each of the claim's years at the end of the claim's day, from the rebuilt list.

    NOTE: where two exports cover a year, the newer one (latest source_id date) is used: it holds the
    rows the tracker added late, each counted from the day it was added.
    """
    total, parts, sources = 0, [], []
    for year in range(claim["period_start"].year, claim["period_end"].year + 1):
        rows = as_of.filter(pl.col("year") == year)
        if rows.is_empty():
            return Comparison(None, None, f"no Layoffs.fyi export covers {year}")
        source = rows.sort("as_of").group_by("source_id").agg(pl.col("as_of").max()).sort("as_of").row(-1)[0]
        day = rows.filter((pl.col("source_id") == source) & (pl.col("as_of") <= claim["as_of"])).sort("as_of")
        value = day[column][-1] if day.height else 0
        total += value
        sources.append(source)
        parts.append(f"{year}: {value:,}")
    what = f"layoffs.fyi {column} rebuilt from the export as of {claim['as_of']}: " + ", ".join(parts)
    return Comparison(float(total), ";".join(sorted(set(sources))), what, reconstructed=True)


def reconstructed_in_window(claim: dict, tables: dict[str, pl.DataFrame], column: str) -> Comparison:
    """The rebuilt total on the claim's date or, for an undated article, on any day it may have been written.

    NOTE: an article dated only by a window (seed_documents date_earliest..date_latest) is read against
    each day of the window on which the list changed; the first day that bears the claim out is
    reported (and named), else the claim's own date.
    """
    as_of = tables["layoffs_fyi_as_of"]
    first = reconstructed_sum(claim, as_of, column)
    seeds = tables.get("seed_documents")
    latest = None
    if seeds is not None:
        row = seeds.filter(pl.col("seed_id") == claim["seed_id"])
        latest = row["date_latest"][0] if row.height and row["date_published"][0] is None else None
    if first.value is None or latest is None or latest <= claim["as_of"] or judge(claim, first):
        return first
    years = range(claim["period_start"].year, claim["period_end"].year + 1)
    days = as_of.filter(pl.col("year").is_in(list(years)) & pl.col("as_of").is_between(claim["as_of"], latest, closed="right"))
    for day in days["as_of"].unique().sort():
        comp = reconstructed_sum({**claim, "as_of": day}, as_of, column)
        if judge(claim, comp):
            return Comparison(comp.value, comp.source_id, comp.what + f" (the article is undated: {claim['as_of']}..{latest})", reconstructed=True)
    return first


def compare_event(claim: dict, tables: dict[str, pl.DataFrame], column: str) -> Comparison:
    """Headcount or share of the named companies' announcements in the window before the claim."""
    entity = claim.get("entity") or ""
    names = [n.strip().lower() for n in entity.replace("(", ",").replace(")", ",").replace(" and ", ",").split(",")]
    names = [n for n in names if n]
    if not names:
        return Comparison(None, None, "the claim names no company")
    start = claim["as_of"] - dt.timedelta(days=EVENT_WINDOW_DAYS)
    events = tables["layoff_events"].filter(
        pl.col("announced_on").is_between(start, claim["as_of"] + dt.timedelta(days=SNAPSHOT_GRACE_DAYS))
        & pl.col(column).is_not_null()
    ).filter(~_own_article(tables, claim))
    lowered = pl.col("company").str.to_lowercase()
    total, sources, found = 0.0, [], []
    for name in names:
        hit = events.filter(lowered.str.contains(name, literal=True) | pl.lit(name).str.contains(lowered, literal=True))
        if hit.is_empty():
            continue
        row = hit.sort("announced_on", descending=True).row(0, named=True)
        total += row[column]
        sources.append(row["source_id"])
        found.append(f"{row['company']} {row['announced_on']}: {row[column]:,}")
    # NOTE: "Alphabet (Google)" names one company twice; each company is counted once.
    if not found or (len(found) < len(names) and " and " in entity):
        return Comparison(None, None, f"no {column} in layoff_events for {entity} announced {start}..{claim['as_of']}")
    return Comparison(total, ";".join(sorted(set(sources))), "layoff_events " + "; ".join(found))


def compare_salary(claim: dict, tables: dict[str, pl.DataFrame], statistic: str) -> Comparison:
    """A reported AI-engineer pay figure for an overlapping period, from another source."""
    pay = tables["salaries"].filter(
        (pl.col("statistic") == statistic)
        & pl.col("role").str.to_lowercase().str.contains("ai")
        & pl.col("role").str.to_lowercase().str.contains("engineer")
        & pl.col("period_start").is_not_null()
        & (pl.col("period_start") <= claim["period_end"])
        & (pl.col("period_end") >= claim["period_start"])
    ).filter(~_own_article(tables, claim))
    if pay.is_empty():
        return Comparison(None, None, f"no other source reports an AI engineer {statistic} for {claim['period_start']}..{claim['period_end']}")
    row = pay.sort("amount").row(0, named=True)
    return Comparison(row["amount"], row["source_id"], f"salaries {row['role']} ({row['seniority']}) {statistic} {row['amount']:,}")


def compare_confidence(claim: dict, tables: dict[str, pl.DataFrame]) -> Comparison:
    """The tech-sector confidence share of the month nearest the claim (latest vintage)."""
    conf = tables["confidence"].filter(pl.col("series") == "information_technology")
    if conf.is_empty():
        return Comparison(None, None, "no tech-sector confidence series")
    latest = latest_vintage(conf).with_columns(
        (pl.col("month") - pl.lit(claim["as_of"])).dt.total_days().abs().alias("_gap")
    ).sort("_gap")
    row = latest.row(0, named=True)
    if row["_gap"] > MONTHLY_MAX_GAP_DAYS:
        return Comparison(None, None, f"the nearest tech confidence reading is {row['month']}, {row['_gap']} days from {claim['as_of']}")
    return Comparison(row["confident_share"], row["source_id"], f"confidence information_technology {row['month']}: {row['confident_share']}")


COMPARATORS = {
    "tech_layoffs_employees": lambda c, t: compare_tracker(c, t, "employees"),
    "tech_layoffs_companies": lambda c, t: compare_tracker(c, t, "companies"),
    "company_layoffs_employees": lambda c, t: compare_event(c, t, "headcount"),
    "workforce_cut_share": lambda c, t: compare_event(c, t, "share_of_workforce"),
    "ai_engineer_mean_salary": lambda c, t: compare_salary(c, t, "mean"),
    "salary_change": lambda c, t: compare_salary(c, t, "change"),
    "employee_confidence_share": compare_confidence,
}


def check_claim(claim: dict, tables: dict[str, pl.DataFrame]) -> dict:
    """One claim's verdict row."""
    comparator = COMPARATORS.get(claim["metric"])
    if comparator is None:
        return _row(claim, "not_checkable", Comparison(None, None, f"no dataset measures {claim['metric']}"))
    if claim["qualifier"] in UNJUDGEABLE:
        return _row(claim, "not_checkable", Comparison(None, None, "the figure is too vague to check"))
    comp = comparator(claim, tables)
    if comp.value is None:
        return _row(claim, "not_checkable", comp)
    ok = judge(claim, comp)
    return _row(claim, "consistent" if ok else "inconsistent", comp)


def _row(claim: dict, verdict: str, comp: Comparison) -> dict:
    reason = f"claim {_q(claim['qualifier'])}{claim['figure_text']}; data: {comp.what}"
    return {
        "claim_id": claim["claim_id"],
        "verdict": verdict,
        "compared_value": comp.value,
        "compared_source_id": comp.source_id,
        "reason": reason,
    }


def check_claims(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Verdicts for every claim."""
    rows = [check_claim(c, tables) for c in tables["claims"].iter_rows(named=True)]
    return pl.DataFrame(
        rows,
        schema={
            "claim_id": pl.String,
            "verdict": pl.String,
            "compared_value": pl.Float64,
            "compared_source_id": pl.String,
            "reason": pl.String,
        },
    )


def claims_report(release: Path | None = None, verdict: str | None = None) -> str:
    """The claims with their verdicts as a text table, for `talentgap claims`."""
    from .api import load

    release = release or paths.release_dir()
    df = load("claims", release).join(load("claim_checks", release), on="claim_id").sort("claim_id")
    if verdict:
        df = df.filter(pl.col("verdict") == verdict)
    shown = df.select("claim_id", "figure_text", "metric", "qualifier", "verdict", "compared_value", "reason")
    with pl.Config(tbl_rows=-1, tbl_width_chars=200, fmt_str_lengths=90, tbl_hide_dataframe_shape=True):
        return str(shown)
