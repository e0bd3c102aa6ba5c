"""Every talentgap table: its fields, key, meaning and version.

The release contains exactly these tables, in this order.
"""

from __future__ import annotations

from .registry import Table

PACKAGE_NAME = "talentgap"
PACKAGE_TITLE = "talentgap: data on the AI-driven tech talent mismatch, 2022-2026"
PACKAGE_VERSION = "0.1.0"
# NOTE: the release date is part of the inputs (not the clock) so rebuilds are byte-identical.
RELEASE_DATE = "2026-11-22"

_SRC = {"source_id": ("sources", "source_id")}

_TABLES = [
    Table(
        name="sources",
        title="Sources",
        description="Every public source a value in the release was taken from, with its provenance.",
        fields=("source_id", "title", "publisher", "url", "date_published", "date_accessed", "license", "kind", "notes"),
        primary_key=("source_id",),
        schema_version="1.0.0",
    ),
    Table(
        name="layoff_tracker_totals",
        title="Layoff tracker totals",
        description=(
            "What each layoff tracker reported for a calendar year, one row per snapshot: "
            "trackers revise their counts, and the news quotes them mid-year."
        ),
        fields=("tracker", "scope", "year", "period_end", "as_of", "employees", "companies", "qualifier", "source_id", "notes"),
        # NOTE: a source may quote two different totals for the same period (a page revised in
        # place): both are kept, so the figure itself is part of the key.
        primary_key=("tracker", "scope", "year", "period_end", "employees", "source_id"),
        schema_version="1.0.0",
        optional=("as_of",),
        notes="as_of is empty where the page shows no date; such rows are not used to check dated claims.",
        row_rules=("period_end_in_year", "period_end_not_after_as_of"),
        foreign_keys=_SRC,
    ),
    Table(
        name="layoff_events",
        title="Layoff events",
        description="Announced layoffs 2022-2026 that were widely reported, one row per announcement.",
        fields=(
            "company", "announced_on", "headcount", "share_of_workforce", "country", "industry",
            "units", "ai_attribution", "source_id", "source_url", "notes",
        ),
        primary_key=("company", "announced_on"),
        schema_version="1.0.0",
        notes="ai_attribution follows taxonomy v1 (see the data dictionary).",
        row_rules=("headcount_or_share",),
        foreign_keys=_SRC,
    ),
    Table(
        name="layoff_event_conflicts",
        title="Other reported figures for layoff events",
        description=(
            "Where sources disagree on an announcement's size, the figures not used in layoff_events, "
            "each with its own source. layoff_events keeps one figure per announcement."
        ),
        fields=(
            "company", "announced_on", "headcount", "share_of_workforce", "source_id", "source_url", "notes",
        ),
        primary_key=("company", "announced_on", "source_id"),
        schema_version="1.0.0",
        row_rules=("headcount_or_share",),
        foreign_keys=_SRC,
    ),
    Table(
        name="occupations",
        title="Tech occupations: employment and wages",
        description="BLS OEWS national estimates (May reference periods) for seven tech occupations.",
        fields=(
            "soc_code", "occupation_title", "year", "reference_period", "employment",
            "annual_mean_wage_usd", "annual_median_wage_usd", "source_id", "notes",
        ),
        primary_key=("soc_code", "year", "source_id"),
        schema_version="1.0.0",
        row_rules=("reference_period_matches_year",),
        foreign_keys=_SRC,
    ),
    Table(
        name="cpi",
        title="Consumer prices (CPI-U)",
        description="CPI-U annual averages, to turn nominal wages into real ones.",
        fields=("year", "cpi_u_annual_average", "source_id", "notes"),
        primary_key=("year", "source_id"),
        schema_version="1.0.0",
        foreign_keys=_SRC,
    ),
    Table(
        name="salaries",
        title="Reported pay of AI and other tech roles",
        description="Pay levels, AI pay premiums and pay changes reported by surveys and pay reports.",
        fields=(
            "role", "seniority", "geography", "period_start", "period_end", "statistic", "amount",
            "amount_unit", "comparison", "source_id", "notes",
        ),
        primary_key=("role", "seniority", "geography", "statistic", "amount", "source_id"),
        schema_version="1.0.0",
        optional=("period_start", "period_end"),
        notes="period_start/period_end are empty where the source does not say which period a figure covers.",
        row_rules=("period_ordered", "amount_unit_matches_statistic", "amount_in_unit_range"),
        foreign_keys=_SRC,
    ),
    Table(
        name="confidence",
        title="Employee confidence",
        description=(
            "Glassdoor Employee Confidence Index and related series, monthly, one row per vintage: "
            "a month reported in several releases has several rows."
        ),
        fields=("series", "month", "as_of", "confident_share", "source_id", "notes"),
        primary_key=("series", "month", "source_id"),
        schema_version="1.0.0",
        optional=("as_of",),
        notes="The analysis uses the latest vintage of each month: the row with the latest as_of.",
        row_rules=("month_is_first_day",),
        foreign_keys=_SRC,
    ),
    Table(
        name="ai_demand",
        title="Demand for AI skills in job postings",
        description="Shares of job postings mentioning AI, and postings indexes, by period.",
        fields=("series", "geography", "period_start", "period_end", "as_of", "value", "value_unit", "source_id", "notes"),
        primary_key=("series", "geography", "period_start", "period_end", "source_id"),
        schema_version="1.0.0",
        optional=("as_of",),
        row_rules=("period_ordered", "share_in_unit_range", "value_not_negative"),
        foreign_keys=_SRC,
    ),
    Table(
        name="seed_documents",
        title="Seed documents",
        description="The five news articles the project started from: facts about them, never their text.",
        fields=(
            "seed_id", "file_name", "sha256", "char_count", "title", "publisher", "date_published",
            "date_earliest", "date_latest", "url", "notes",
        ),
        primary_key=("seed_id",),
        schema_version="1.0.0",
        home="seeds",
    ),
    Table(
        name="claims",
        title="Claims in the seed documents",
        description="Every quantitative figure in the seed documents, as a stand-off annotation (character offsets).",
        fields=(
            "claim_id", "seed_id", "char_start", "char_end", "figure_text", "claim_value", "claim_unit",
            "metric", "entity", "scope", "period_start", "period_end", "qualifier", "as_of",
            "attributed_source", "notes",
        ),
        primary_key=("claim_id",),
        schema_version="1.0.0",
        home="seeds",
        optional=("period_start", "period_end", "scope"),
        row_rules=("offsets_ordered", "period_ordered"),
        foreign_keys={"seed_id": ("seed_documents", "seed_id")},
    ),
    Table(
        name="claim_checks",
        title="Claims checked against the data",
        description="For each claim, a verdict and the data it was compared with.",
        fields=("claim_id", "verdict", "compared_value", "compared_source_id", "reason"),
        primary_key=("claim_id",),
        schema_version="1.0.0",
        origin="derived",
        foreign_keys={"claim_id": ("claims", "claim_id")},
    ),
    Table(
        name="flags",
        title="Validation flags",
        description="Rows kept in the release that a consistency check flagged for a reader's attention.",
        fields=("table", "row_key", "rule", "message"),
        primary_key=("table", "row_key", "rule"),
        schema_version="1.0.0",
        origin="derived",
        may_be_empty=True,
    ),
    Table(
        name="layoffs_fyi_events",
        title="Layoffs.fyi events (ingested)",
        description="A Layoffs.fyi export cleaned by `talentgap ingest layoffs-fyi`: one row per listed layoff.",
        fields=(
            "source_row", "company", "announced_on", "hq_location", "headcount", "share_of_workforce", "country", "industry",
            "funding_stage", "funds_raised_usd", "date_added", "source_as_given", "industry_as_given", "row_flags",
        ),
        # NOTE: 2.0.0 keys rows on their place in the export: two entries for one company on one date
        # are both kept (1.0.0 quarantined both). Odd but plausible values are kept and named in row_flags.
        primary_key=("source_row",),
        schema_version="2.0.0",
        origin="ingested",
        notes=(
            "Rows with neither headcount nor share are kept: Layoffs.fyi lists layoffs of unknown size. "
            "Only rows announced in 2022-2026 are in scope; the others are set aside, not quarantined."
        ),
    ),
    Table(
        name="warn_notices",
        title="WARN notices (ingested)",
        description="WARN Act notices from Big Local News' consolidated or integrated file, by `talentgap ingest warn`.",
        fields=(
            "hash_id", "postal_code", "company", "worksite_location", "notice_date", "effective_date", "headcount",
            "is_temporary", "is_closure", "is_amendment", "replaces_hash_id", "is_superseded",
        ),
        primary_key=("hash_id",),
        schema_version="1.0.0",
        origin="ingested",
        notes="Sum headcount only where is_superseded is false: an amendment replaces the notice it amends.",
    ),
    Table(
        name="oews_occupations",
        title="OEWS detailed occupations (ingested)",
        description="BLS OEWS national estimates for every detailed SOC occupation, by `talentgap ingest oews`.",
        fields=(
            "soc_code", "occupation_title", "year", "reference_period", "employment", "employment_flag",
            "annual_mean_wage_usd", "annual_mean_wage_flag", "annual_median_wage_usd", "annual_median_wage_flag",
        ),
        primary_key=("soc_code", "year"),
        schema_version="1.0.0",
        origin="ingested",
        row_rules=("reference_period_matches_year",),
    ),
]

TABLES: dict[str, Table] = {t.name: t for t in _TABLES}
