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

# Qualifier -> (lowest, highest) ratio data/claim that the wording allows, and whether the
# bounds are strict. NOTE: an unqualified figure in the news is usually a tracker's count read on
# the day; 2% allows the drift of a snapshot a few days apart. "Over 50,000" is consistent with
# 52,000 and not with 48,000; we cap it at +25%, past which a writer would have said a larger figure.
# "Nearly 900,000" allows up to 10% below and nothing above.
QUALIFIER_BOUNDS: dict[str, tuple[float, float, bool]] = {
    "none": (0.98, 1.02, False),
    "approximately": (0.95, 1.05, False),
    "around": (0.95, 1.05, False),
    "over": (1.0, 1.25, True),
    "more_than": (1.0, 1.25, True),
    "exceeding": (1.0, 1.25, True),
    "at_least": (1.0, 1.25, False),
    "nearly": (0.90, 1.0, False),
    "up_to": (0.0, 1.0, False),
}

# NOTE: a snapshot published up to 7 days after the article can still be the one it read
# (trackers and news pages are updated on different days).
SNAPSHOT_GRACE_DAYS = 7
# NOTE: an article reports an announcement within the previous 120 days as "recent".
EVENT_WINDOW_DAYS = 120

TRACKER_NAMES = {"layoffs.fyi": "layoffs.fyi", "challenger": "challenger", "trueup": "trueup"}


@dataclass(frozen=True)
class Comparison:
    value: float | None
    source_id: str | None
    what: str
    qualifier: str = "none"


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


def _tracker_slug(claim: dict) -> str | None:
    for text in (claim.get("attributed_source"), claim.get("entity")):
        if not text:
            continue
        lowered = text.lower()
        for key, slug in TRACKER_NAMES.items():
            if key in lowered:
                return slug
    return None


def snapshot_for(totals: pl.DataFrame, tracker: str, year: int, as_of: dt.date) -> dict | None:
    """The snapshot of a tracker's year nearest `as_of` that was already published by then (+grace)."""
    cutoff = as_of + dt.timedelta(days=SNAPSHOT_GRACE_DAYS)
    rows = totals.filter(
        (pl.col("tracker") == tracker) & (pl.col("year") == year) & (pl.col("as_of") <= cutoff)
    )
    if rows.is_empty():
        return None
    rows = rows.with_columns(
        (pl.col("as_of") - pl.lit(as_of)).dt.total_days().abs().alias("_distance")
    ).sort(["_distance", "as_of", "employees"], descending=[False, True, True])
    return rows.row(0, named=True)


def compare_tracker(claim: dict, tables: dict[str, pl.DataFrame], column: str) -> Comparison:
    """A tracker count (employees or companies) summed over the claim's years, as of its date."""
    tracker = _tracker_slug(claim)
    if tracker is None:
        return Comparison(None, None, "no layoff tracker is named for this figure")
    years = range(claim["period_start"].year, claim["period_end"].year + 1)
    total, used = 0, []
    for year in years:
        snap = snapshot_for(tables["layoff_tracker_totals"], tracker, year, claim["as_of"])
        if snap is None or snap[column] is None:
            return Comparison(None, None, f"no {tracker} {column} figure for {year} published by {claim['as_of']}")
        total += snap[column]
        used.append(snap)
    sources = sorted({s["source_id"] for s in used})
    parts = ", ".join(f"{s['year']}: {_q(s['qualifier'])}{s[column]:,} (as of {s['as_of']})" for s in used)
    qualifiers = {s["qualifier"] for s in used}
    qualifier = qualifiers.pop() if len(qualifiers) == 1 else "none"
    return Comparison(float(total), ";".join(sources), f"{tracker} {column} {parts}", qualifier)


def _q(qualifier: str) -> str:
    return "" if qualifier == "none" else qualifier.replace("_", " ") + " "


def compare_event(claim: dict, tables: dict[str, pl.DataFrame], column: str) -> Comparison:
    """Headcount or share of the named companies' announcements in the window before the claim."""
    entity = claim.get("entity") or ""
    names = [n.strip().lower() for n in entity.replace(" and ", ",").split(",") if n.strip()]
    if not names:
        return Comparison(None, None, "the claim names no company")
    start = claim["as_of"] - dt.timedelta(days=EVENT_WINDOW_DAYS)
    events = tables["layoff_events"].filter(
        pl.col("announced_on").is_between(start, claim["as_of"] + dt.timedelta(days=SNAPSHOT_GRACE_DAYS))
    )
    total, sources = 0.0, []
    for name in names:
        hit = events.filter(pl.col("company").str.to_lowercase().str.contains(name, literal=True)).filter(
            pl.col(column).is_not_null()
        )
        if hit.is_empty():
            return Comparison(None, None, f"no {column} for {name} announced {start}..{claim['as_of']} in layoff_events")
        row = hit.sort("announced_on", descending=True).row(0, named=True)
        total += row[column]
        sources.append(row["source_id"])
    return Comparison(total, ";".join(sorted(set(sources))), f"layoff_events {column} of {entity}")


COMPARATORS = {
    "tech_layoffs_employees": lambda c, t: compare_tracker(c, t, "employees"),
    "tech_layoffs_companies": lambda c, t: compare_tracker(c, t, "companies"),
    "company_layoff_headcount": lambda c, t: compare_event(c, t, "headcount"),
    "company_layoff_share": lambda c, t: compare_event(c, t, "share_of_workforce"),
}


def check_claim(claim: dict, tables: dict[str, pl.DataFrame]) -> dict:
    """One claim's verdict row."""
    comparator = COMPARATORS.get(claim["metric"])
    if comparator is None:
        return _row(claim, "not_checkable", Comparison(None, None, f"no dataset measures {claim['metric']}"))
    comp = comparator(claim, tables)
    if comp.value is None:
        return _row(claim, "not_checkable", comp)
    ok = consistent(claim["claim_value"], claim["qualifier"], comp.value, comp.qualifier)
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
