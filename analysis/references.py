"""The report's bibliography (report/references.bib), written from `sources` so each entry carries its dates.

Each entry names the row of `sources` it stands for: its address, publication date and access date come
from that row. An entry whose source shows no publication date prints its access date in place of the year
(citeproc would otherwise print "n.d." although the date we looked is known).

Run `python -m talentgap.references` to rewrite report/references.bib; a test fails when the committed file
differs from what this module writes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from . import paths
from .api import load

BIB_FILE = "references.bib"


@dataclass(frozen=True)
class Entry:
    """One bibliography entry: its key, its fixed wording, and the source row its address and dates come from."""

    key: str
    author: str
    title: str
    source_id: str | None = None
    note: str | None = None
    kind: str = "misc"
    extra: tuple[tuple[str, str], ...] = ()


ENTRIES = (
    Entry("layoffsfyi", "Lee, Roger", "Layoffs.fyi: tech layoffs tracker", source_id="layoffs-fyi-export-2026-08-22",
          note="Export of the tracker's list; monthly and year totals computed from it, press quotes in the sources table"),
    # NOTE: the report cites Challenger's monthly reports as a series; the entry names the year-end report
    # for 2024 on Challenger's own site, the last full year the report's comparison draws on.
    Entry("challenger", "{Challenger, Gray \\& Christmas}", "Job Cuts Report, December 2024 (with the 2024 totals)",
          source_id="challengergray-2025-01-09-december-2024",
          note="Monthly reports of job cuts announced by US-based employers; other months in the sources table"),
    Entry("oews", "{U.S. Bureau of Labor Statistics}", "Occupational Employment and Wage Statistics: national estimates, May 2025",
          source_id="bls-oews-national-m2025", note="National workbooks for May 2021 to May 2025; the latest is dated here"),
    # NOTE: Glassdoor's own pages are not among the stored pages: the entry is dated by the latest press
    # report of a reading that the confidence table holds, and says so.
    Entry("glassdoor", "{Glassdoor Economic Research}", "Employee Confidence Index, as reported by Business Insider",
          source_id="dnyuz-2026-03-10-tech-employee-confidence",
          note="Readings taken from press reports (see the sources table); Glassdoor's own pages were not available to us"),
    Entry("indeed", "{Indeed Hiring Lab}", "Job Postings Tracker and AI Tracker", source_id="indeed-aggregate-us-2026-08-19",
          note="Daily data files in Hiring Lab's repositories; the aggregate index vintage is dated here"),
    Entry("pwc", "{PwC}", "Global AI Jobs Barometer 2025 (press release)", source_id="menafn-2025-06-03-pwc-ai-jobs-barometer",
          note="PwC's release as carried by MENAFN; the 2024 and 2026 editions are cited through press reports in the sources table"),
    Entry("fred", "{Board of Governors of the Federal Reserve System}", "Federal Funds Effective Rate (FEDFUNDS), via FRED",
          source_id="fred-fedfunds-2026-07", note="Monthly; table rates"),
    Entry("gptsaregpts", "Eloundou, Tyna and Manning, Sam and Mishkin, Pamela and Rock, Daniel",
          "{GPTs} are {GPTs}: Labor market impact potential of {LLMs}", kind="article",
          extra=(("journal", "Science"), ("year", "2024")),
          note="Occupation-level scores: github.com/openai/GPTs-are-GPTs, data/occ\\_level.csv"),
    Entry("workingwithai", "Tomlinson, Kiran and Jaffe, Sonia and Wang, Will and Counts, Scott and Suri, Siddharth",
          "Working with {AI}: AI applicability score per {SOC} occupation", source_id="msft-working-with-ai-soc-applicability-2025-08-29",
          note="Microsoft Research; file soc\\_ai\\_applicability\\_scores.csv, CC BY 4.0"),
    # NOTE: the Surveys of Consumers ask to be cited as University of Michigan, Survey Research Center (their FAQ).
    Entry("umcsent", "{University of Michigan, Survey Research Center, Surveys of Consumers}",
          "Index of Consumer Sentiment (UMCSENT), via FRED", source_id="umich-umcsent-2026-01-02",
          note="Monthly, not seasonally adjusted; FRED's values in a public copy, see the sources table"),
)


def _source_row(entry: Entry, sources: pl.DataFrame) -> dict | None:
    if entry.source_id:
        rows = sources.filter(pl.col("source_id") == entry.source_id)
        if rows.height != 1:
            raise KeyError(f"{BIB_FILE}: entry {entry.key} names source {entry.source_id!r}, which sources does not hold")
        return rows.row(0, named=True)
    return None


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _fields(entry: Entry, row: dict | None) -> list[tuple[str, str]]:
    fields = [("author", entry.author), ("title", entry.title), *entry.extra]
    if row is not None:
        fields.append(("url", row["url"]))
        if row["date_published"] is not None:
            fields.append(("date", row["date_published"].isoformat()))
        else:
            # NOTE: no publication date shown: the access date stands in the year's place, labelled as such.
            fields.append(("year", f"accessed {_long_date(row['date_accessed'])}"))
        fields.append(("urldate", row["date_accessed"].isoformat()))
    if entry.note:
        fields.append(("note", entry.note))
    return fields


def render(sources: pl.DataFrame) -> str:
    """The text of references.bib for these sources."""
    blocks = []
    for entry in ENTRIES:
        fields = _fields(entry, _source_row(entry, sources))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        blocks.append(f"@{entry.kind}{{{entry.key},\n{body}\n}}\n")
    return "".join(blocks)


def bib_path() -> Path:
    return paths.ROOT / "report" / BIB_FILE


def main(argv: list[str] | None = None) -> int:
    text = render(load("sources", paths.release_dir()))
    target = bib_path()
    if target.exists() and target.read_text(encoding="utf-8") == text:
        print(f"{target}: up to date")
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"{target}: written ({len(ENTRIES)} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
