"""Every talentgap table: its fields, key, meaning and version.

The release contains exactly these tables, in this order.
"""

from __future__ import annotations

from .registry import Table

PACKAGE_NAME = "talentgap"
PACKAGE_TITLE = "talentgap: data on the AI-driven tech talent mismatch, 2022-2026"
PACKAGE_VERSION = "0.4.1"
# NOTE: the release date is part of the inputs (not the clock) so rebuilds are byte-identical.
RELEASE_DATE = "2026-12-06"

_SRC = {"source_id": ("sources", "source_id")}

_TABLES = [
    Table(
        name="sources",
        title="Sources",
        description="Every public source a value in the release was taken from, with its provenance.",
        fields=(
            "source_id", "title", "publisher", "url", "date_published", "date_accessed", "license", "kind",
            "copy_repository", "copy_commit", "copy_path", "copy_sha256", "notes", "source_tier",
        ),
        primary_key=("source_id",),
        schema_version="1.2.0",
        notes=(
            "A publisher_file source is the publisher's data file: url is the publisher's own address, and "
            "copy_* name the public copy that was read (repository, commit, path, sha256)."
        ),
        inputs=("curated", "refreshed"),
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
        title="Occupations: employment and wages",
        description=(
            "BLS OEWS national estimates (May reference periods) for every detailed occupation, the major groups "
            "and all occupations (00-0000); the report follows seven tech occupations and 15-0000 closely."
        ),
        fields=(
            "soc_code", "occupation_title", "occupation_group", "year", "reference_period", "employment",
            "employment_rse_percent", "hourly_mean_wage_usd", "annual_mean_wage_usd", "mean_wage_rse_percent",
            "annual_wage_p10_usd", "annual_wage_p25_usd", "annual_median_wage_usd", "annual_wage_p75_usd",
            "annual_wage_p90_usd", "bls_markers", "wage_top_code_usd", "source_id", "notes",
        ),
        primary_key=("soc_code", "year", "source_id"),
        schema_version="1.2.0",
        notes=(
            "Rows whose source is a publisher_file come from BLS's national workbooks through `talentgap refresh`; "
            "the others were read off BLS web pages. A BLS marker leaves its cell empty and is named in bls_markers. "
            "Top-coding: May 2021 to May 2024 write # for a wage at or above the year's top code (wage_top_code_usd); "
            "May 2025 writes every wage out, however high, so its wage_top_code_usd is empty: compare wages across "
            "that change only below the earlier year's top code (as wage_change does)."
        ),
        inputs=("curated", "refreshed"),
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
    # --- primary series, computed by `talentgap refresh` from the publishers' own files -------------
    Table(
        name="cpi_monthly",
        title="Consumer prices, monthly (CPI-U)",
        description="CPI-U, U.S. city average, all items, not seasonally adjusted (BLS series CUUR0000SA0), monthly.",
        fields=("series_id", "month", "cpi_u_index", "source_id"),
        primary_key=("series_id", "month", "source_id"),
        schema_version="1.0.0",
        origin="refreshed",
        notes="A month BLS did not publish is absent, never filled (see data/NOTES.md).",
        row_rules=("month_is_first_day",),
        foreign_keys=_SRC,
    ),
    Table(
        name="rates",
        title="Interest rates, monthly",
        description="The federal funds effective rate (FRED series FEDFUNDS, from the Federal Reserve Board's H.15), monthly averages.",
        fields=("series_id", "month", "rate_percent", "source_id"),
        primary_key=("series_id", "month", "source_id"),
        schema_version="1.0.0",
        origin="refreshed",
        row_rules=("month_is_first_day",),
        foreign_keys=_SRC,
    ),
    Table(
        name="postings_daily",
        title="Job postings from Indeed's data files, daily",
        description=(
            "Indeed Hiring Lab's daily series as its files give them: the share of postings mentioning AI (by country), "
            "and the software-development and total postings indexes (US, 1 Feb 2020 = 100). One row per value and vintage."
        ),
        fields=("series", "country_code", "date", "seasonal_adjustment", "value", "value_unit", "vintage", "source_id"),
        primary_key=("series", "country_code", "date", "seasonal_adjustment", "source_id"),
        schema_version="1.0.0",
        origin="refreshed",
        notes=(
            "Indeed revised its whole history in November 2024: compare values of one vintage only. "
            "Figures quoted by the press stay in ai_demand."
        ),
        row_rules=("share_in_unit_range", "percent_in_unit_range"),
        foreign_keys=_SRC,
    ),
    Table(
        name="ces_employment",
        title="Jobs held by industry, monthly (BLS payroll survey)",
        description=(
            "Jobs held, not people: all employees on nonfarm payrolls in thousands, from BLS's Current Employment "
            "Statistics (the payroll survey), seasonally adjusted by BLS. USINFO is the Information sector "
            "(NAICS 51, BLS series CES5000000001), PAYEMS total nonfarm (CES0000000001); series_id is FRED's name."
        ),
        fields=("series_id", "month", "employment_thousands", "seasonal_adjustment", "source_id"),
        primary_key=("series_id", "month", "source_id"),
        schema_version="1.0.0",
        origin="refreshed",
        notes=(
            "BLS revises the last two months every release and the whole level once a year (benchmark): a value is "
            "as of the file's vintage. Computer systems design (CES6054150001) and software publishers are not "
            "included: no copy of their files was available to the build (see data/NOTES.md)."
        ),
        row_rules=("month_is_first_day",),
        foreign_keys=_SRC,
    ),
    Table(
        name="cps_unemployment",
        title="Unemployment rates, all and young workers, monthly (BLS household survey)",
        description=(
            "Unemployed as a percent of the labour force, from BLS's Current Population Survey (the household "
            "survey). UNRATE: everyone 16 and over, seasonally adjusted; LNS14000036: ages 20-24, seasonally "
            "adjusted; CGBD2024: bachelor's degree holders aged 20-24, not seasonally adjusted (compare a month "
            "with the same month of other years). series_id is FRED's name."
        ),
        fields=("series_id", "month", "unemployment_rate_percent", "seasonal_adjustment", "source_id"),
        primary_key=("series_id", "month", "source_id"),
        schema_version="1.0.0",
        origin="refreshed",
        notes=(
            "A series may come from more than one file (one source_id each, values equal where they overlap): "
            "read one source_id at a time. October 2025 is absent: BLS did not collect it. The 20-24 "
            "bachelor's-degree group is a small sample, so its rate moves a lot from month to month."
        ),
        row_rules=("month_is_first_day",),
        foreign_keys=_SRC,
    ),
    Table(
        name="sce_labour_expectations",
        title="Job-security expectations, monthly (New York Fed Survey of Consumer Expectations)",
        description=(
            "What household heads expect, from the New York Fed's Survey of Consumer Expectations, as published "
            "(monthly survey estimates; the workbook does not say they are seasonally adjusted): job_loss_probability_mean, the mean probability (percent) "
            "of losing one's job in the next 12 months; job_finding_probability_mean, the mean probability of "
            "finding a job within 3 months if one lost one's job today; earnings_growth_median_expected, the median "
            "expected earnings growth over the next 12 months (percent). Source: Survey of Consumer Expectations, "
            "(c) 2013-2025 Federal Reserve Bank of New York (FRBNY), used under the terms printed in its workbook; "
            "FRBNY disclaims any responsibility for this analysis and interpretation of the data."
        ),
        fields=("series", "month", "expectation_percent", "source_id"),
        primary_key=("series", "month", "source_id"),
        schema_version="1.0.0",
        origin="refreshed",
        notes="The workbook read ends in April 2025; the New York Fed occasionally revises past months (its Notes sheet lists them).",
        row_rules=("month_is_first_day",),
        foreign_keys=_SRC,
    ),
    Table(
        name="postings_state_daily",
        title="Job postings on Indeed by U.S. state, daily",
        description=(
            "Indeed Hiring Lab's job postings index for each U.S. state and the District of Columbia: postings on "
            "Indeed, 7-day trailing average, seasonally adjusted by Indeed, 1 Feb 2020 = 100. Postings are ads, not "
            "jobs or hires. Indeed Hiring Lab, CC BY 4.0."
        ),
        fields=("state_code", "date", "value", "value_unit", "seasonal_adjustment", "vintage", "source_id"),
        primary_key=("state_code", "date", "source_id"),
        schema_version="1.0.0",
        origin="refreshed",
        notes="Indeed revises its whole history between vintages: compare values of one vintage only.",
        foreign_keys=_SRC,
    ),
    Table(
        name="layoffs_fyi_monthly",
        title="Layoffs.fyi, monthly totals (one series)",
        description=(
            "People laid off and companies with layoffs per month of layoff date, one row per month, each month from "
            "the newest Layoffs.fyi export covering the whole month (source_id says which): a plain sum over months "
            "counts every listed layoff once. Summed by our ingest code; the exports' rows are not redistributed."
        ),
        fields=("month", "employees", "companies", "events", "events_size_unknown", "vintage", "source_id"),
        # NOTE: keyed on the month alone, so the schema refuses a second row for a month (two exports stacked).
        primary_key=("month",),
        schema_version="2.0.0",
        origin="refreshed",
        notes=(
            "employees sums the listed layoffs that give a number; companies counts distinct company names in the month. "
            "An export covers a month when it has rows from that month or earlier and its vintage is after the month "
            "ends; the month an export was taken in is left out until a later export covers it whole. Every export's "
            "own sums are in layoffs_fyi_monthly_by_export."
        ),
        row_rules=("month_is_first_day",),
        foreign_keys=_SRC,
    ),
    Table(
        name="layoffs_fyi_monthly_by_export",
        title="Layoffs.fyi, monthly totals of each export",
        description=(
            "People laid off and companies with layoffs per month of layoff date, as each Layoffs.fyi export gives them: "
            "exports overlap, so a month appears once per export. Sum within one source_id only; "
            "in_monthly_series marks the rows layoffs_fyi_monthly carries."
        ),
        fields=("source_id", "month", "employees", "companies", "events", "events_size_unknown", "vintage", "in_monthly_series"),
        primary_key=("source_id", "month"),
        schema_version="1.0.0",
        origin="refreshed",
        notes=(
            "One export per source_id; vintage is the export's date. Months of two exports differ where the tracker "
            "added, edited or removed rows between them."
        ),
        row_rules=("month_is_first_day",),
        foreign_keys=_SRC,
    ),
    Table(
        name="layoffs_fyi_as_of",
        title="Layoffs.fyi year totals as of each day",
        description=(
            "What the tracker's list held for a calendar year at the end of each day, rebuilt from the export's "
            "date_added: one row per year and day on which rows of that year were added."
        ),
        fields=("year", "as_of", "employees", "companies", "events", "rows_without_date_added", "source_id"),
        primary_key=("year", "as_of", "source_id"),
        schema_version="1.0.0",
        origin="refreshed",
        notes=(
            "For a day between two rows, the earlier row holds. Rows deleted or edited since are not seen, and rows "
            "added late count from the day they were added: see data/NOTES.md."
        ),
        foreign_keys=_SRC,
    ),
    # --- derived from the primary series ----------------------------------------------------------
    Table(
        name="cpi_annual",
        title="CPI-U annual averages, computed",
        description=(
            "The mean of the twelve monthly CPI-U values of each complete year in cpi_monthly, rounded to three "
            "decimals as BLS rounds its annual averages, beside BLS's published figure where we hold it."
        ),
        fields=("series_id", "year", "months", "cpi_u_annual_average", "published_annual_average", "published_source_id"),
        primary_key=("series_id", "year"),
        schema_version="1.0.0",
        origin="derived",
        optional=("cpi_u_annual_average",),
        notes="cpi_u_annual_average is empty for a year without twelve published months.",
    ),
    Table(
        name="wage_change",
        title="Median wage change between May years",
        description=(
            "For each occupation in BLS's workbooks and each pair of May years: the annual median wage then and now, "
            "the nominal change, and the real change deflated with May-to-May CPI-U."
        ),
        fields=(
            "soc_code", "occupation_title", "role_group", "from_year", "to_year", "from_median_wage_usd",
            "to_median_wage_usd", "from_cpi_u_index", "to_cpi_u_index", "nominal_change_share", "real_change_share",
            "comparison_cap_usd",
        ),
        primary_key=("soc_code", "from_year", "to_year"),
        schema_version="1.1.0",
        origin="derived",
        optional=("from_cpi_u_index", "to_cpi_u_index", "real_change_share", "comparison_cap_usd"),
        notes=(
            "Top-coding rule: a pair is left out where the median was top-coded (#) in either year, and where a "
            "median is at or above comparison_cap_usd, the lower of the two years' top codes. Across the May 2025 "
            "change (no top code that year) this keeps out a published May 2025 median that the earlier year would "
            "have hidden behind #; between May 2021 ($208,000) and later years it does the same at $208,000."
        ),
    ),
    Table(
        name="employment_change",
        title="Employment change between May years, by occupation",
        description="Employment in the first and last May year of BLS's workbooks, per occupation.",
        fields=(
            "soc_code", "occupation_title", "role_group", "from_year", "to_year",
            "from_employment", "to_employment", "employment_change", "employment_change_share",
        ),
        primary_key=("soc_code", "from_year", "to_year"),
        schema_version="1.0.0",
        origin="derived",
    ),
    Table(
        name="employment_change_groups",
        title="Employment change between May years, by role group",
        description="employment_change summed over the occupations of each role group (occupations with both years only).",
        fields=(
            "role_group", "occupations_counted", "from_year", "to_year",
            "from_employment", "to_employment", "employment_change", "employment_change_share",
        ),
        primary_key=("role_group", "from_year", "to_year"),
        schema_version="1.0.0",
        origin="derived",
    ),
    # --- AI exposure and occupational change (issue #13) ----------------------------------------------
    Table(
        name="ai_exposure",
        title="AI exposure of occupations, as published",
        description=(
            "Occupation-level exposure to language models from Eloundou, Manning, Mishkin and Rock, \"GPTs are GPTs\" "
            "(Science, 2024): the share of each O*NET-SOC occupation's tasks exposed, by GPT-4 and by human annotators."
        ),
        fields=(
            "onet_soc_code", "soc_code", "occupation_title", "exposure_alpha_gpt4", "exposure_beta_gpt4", "exposure_gamma_gpt4",
            "exposure_alpha_human", "exposure_beta_human", "exposure_gamma_human", "source_id",
        ),
        primary_key=("onet_soc_code", "source_id"),
        schema_version="1.0.0",
        origin="refreshed",
        notes="Values exactly as the published file gives them; soc_code is the O*NET-SOC code without its .NN suffix.",
        foreign_keys=_SRC,
    ),
    Table(
        name="exposure_published",
        title="The exposure paper's own headline figures",
        description=(
            "Figures \"GPTs are GPTs\" publishes for the statistics of exposure_summary (e.g. the share of workers in "
            "occupations with at least 10% of tasks exposed), as stated on a stored page."
        ),
        fields=("exposure_measure", "summary_statistic", "published_value", "source_id", "notes"),
        primary_key=("exposure_measure", "summary_statistic", "source_id"),
        schema_version="1.0.0",
        foreign_keys=_SRC,
    ),
    Table(
        name="ai_exposure_soc",
        title="AI exposure by SOC occupation",
        description=(
            "ai_exposure aggregated to 6-digit 2018 SOC occupations: the unweighted mean over the O*NET-SOC "
            "occupations that share a SOC code (O*NET publishes no employment weights for them)."
        ),
        fields=(
            "soc_code", "onet_codes_counted", "exposure_alpha_gpt4", "exposure_beta_gpt4", "exposure_gamma_gpt4",
            "exposure_alpha_human", "exposure_beta_human", "exposure_gamma_human",
        ),
        primary_key=("soc_code",),
        schema_version="1.0.0",
        origin="derived",
    ),
    Table(
        name="exposure_change",
        title="AI exposure and occupational change, May 2021 to May 2025",
        description=(
            "For every detailed occupation in BLS's May 2021 and May 2025 workbooks: its exposure (each measure), "
            "employment and median wage then and now, the log change in employment and the nominal and real wage change."
        ),
        fields=(
            "soc_code", "occupation_title", "role_group", "exposure_match", "onet_codes_counted", "exposure_alpha_gpt4", "exposure_beta_gpt4",
            "exposure_gamma_gpt4", "exposure_alpha_human", "exposure_beta_human", "exposure_gamma_human", "from_year", "to_year",
            "from_employment", "to_employment", "log_employment_change", "from_median_wage_usd", "to_median_wage_usd",
            "nominal_change_share", "real_change_share", "ai_applicability_microsoft",
        ),
        primary_key=("soc_code",),
        schema_version="1.1.0",
        origin="derived",
        optional=("from_median_wage_usd", "to_median_wage_usd", "nominal_change_share", "real_change_share"),
        notes=(
            "Occupations without an exposure score have exposure_match none and empty exposures: listed, never dropped. "
            "exposure_match and onet_codes_counted describe the GPTs are GPTs scores; how each measure was matched is in "
            "exposure_scores. Wages are empty where BLS marked them (top-coded or not estimated)."
        ),
    ),
    Table(
        name="exposure_bins",
        title="Occupational change by AI-exposure quintile",
        description=(
            "Occupations with a score grouped into employment-weighted quintiles of each exposure measure (by May 2021 "
            "employment): total employment then and now, its change, and the median real wage change."
        ),
        fields=(
            "exposure_measure", "exposure_bin", "exposure_min", "exposure_max", "occupations_counted", "from_employment",
            "to_employment", "employment_change_share", "median_real_wage_change_share",
        ),
        primary_key=("exposure_measure", "exposure_bin"),
        schema_version="1.0.0",
        origin="derived",
    ),
    Table(
        name="exposure_summary",
        title="AI exposure and occupational change: summary statistics",
        description=(
            "Employment-weighted least-squares slopes of log employment change and real wage change on exposure, with "
            "bootstrap 95% intervals, and the share of May 2021 employment in occupations at or above 0.1 and 0.5 of "
            "each measure, beside the paper's own figures where it publishes them."
        ),
        fields=(
            "exposure_measure", "summary_statistic", "estimate", "ci_low", "ci_high", "occupations_counted",
            "published_value", "published_source_id", "notes",
        ),
        primary_key=("exposure_measure", "summary_statistic"),
        schema_version="1.1.0",
        origin="derived",
        optional=("estimate",),
        notes=(
            "estimate is empty where fewer than ten occupations have a score (no slope is estimated). "
            "share_of_employment_unscored is the share of May 2021 employment in occupations the measure does not score; "
            "slope_log_employment_change_without_all_other leaves out the \"All Other\" occupations scored by their broad group's mean."
        ),
    ),
    # --- a second exposure measure on the same SOC key (issue #16) -------------------------------------
    Table(
        name="ai_applicability",
        title="AI applicability of occupations (Microsoft), as published",
        description=(
            "Microsoft Research's AI applicability score per 2018 SOC occupation (Tomlinson, Jaffe, Wang, Counts and Suri, "
            "\"Working with AI\", 2025), measured from 200,000 conversations with Bing Copilot. CC BY 4.0."
        ),
        fields=("soc_code", "occupation_title", "ai_applicability_microsoft", "source_id"),
        primary_key=("soc_code", "source_id"),
        schema_version="1.0.0",
        origin="refreshed",
        notes="Values exactly as the published file gives them. The file uses OEWS's codes, including its combined ones (e.g. 25-9045).",
        foreign_keys=_SRC,
    ),
    Table(
        name="exposure_scores",
        title="AI exposure of occupations: every measure on one SOC key",
        description=(
            "One row per OEWS occupation (2018 SOC code, or OEWS's own code for a combination of SOC occupations) and "
            "exposure measure: the score, who or what rated it, how the occupation was matched to the measure's file, and "
            "the file's rows averaged. Holds GPTs are GPTs (six measures) and Microsoft's AI applicability score."
        ),
        fields=(
            "soc_code", "exposure_measure", "exposure_rater", "exposure_score", "exposure_match", "source_rows_counted",
            "source_codes", "source_id",
        ),
        primary_key=("soc_code", "exposure_measure"),
        schema_version="1.0.0",
        origin="derived",
        notes=(
            "Covers the detailed occupations of BLS's May 2021 and May 2025 workbooks; an occupation a measure does not "
            "score has no row for it (exposure_change lists every occupation). all_other_broad_group rows are imputed from "
            "sibling occupations: leave them out for a stricter analysis."
        ),
        foreign_keys=_SRC,
    ),
    Table(
        name="exposure_correlation",
        title="How the AI-exposure measures agree across occupations",
        description=(
            "For each pair of exposure measures, the correlation of their scores across the occupations both score: "
            "employment-weighted (May 2021) Pearson and unweighted Spearman."
        ),
        fields=("exposure_measure", "exposure_measure_other", "occupations_counted", "correlation_weighted", "correlation_rank"),
        primary_key=("exposure_measure", "exposure_measure_other"),
        schema_version="1.0.0",
        origin="derived",
        optional=("correlation_weighted", "correlation_rank"),
        notes="The correlations are empty where fewer than ten occupations have both scores.",
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
        # NOTE: a listed layoff with no location, industry or country is still a layoff: its people
        # count in every total; the gap is named in row_flags.
        optional=("hq_location", "industry", "country"),
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
        description="BLS OEWS national estimates for every detailed SOC occupation and the all-occupations total, by `talentgap ingest oews`.",
        fields=(
            "soc_code", "occupation_title", "occupation_group", "year", "reference_period", "employment",
            "employment_rse_percent", "hourly_mean_wage_usd", "annual_mean_wage_usd", "mean_wage_rse_percent",
            "annual_wage_p10_usd", "annual_wage_p25_usd", "annual_median_wage_usd", "annual_wage_p75_usd",
            "annual_wage_p90_usd", "bls_markers",
        ),
        primary_key=("soc_code", "year"),
        schema_version="2.0.0",
        origin="ingested",
        row_rules=("reference_period_matches_year",),
    ),
    Table(
        name="milestones",
        title="Dated milestones",
        description=(
            "A few dated events the report marks on its time axes (a Federal Reserve rate decision, a major AI "
            "product launch), each from a page that states the date."
        ),
        fields=("date", "label", "milestone_kind", "source_id", "source_url", "notes"),
        primary_key=("date", "label"),
        schema_version="1.0.0",
        notes="Only events whose date a stored page states; the report marks them, it does not claim they caused anything.",
        foreign_keys=_SRC,
    ),
    Table(
        name="consumer_sentiment",
        title="Consumer sentiment, monthly (University of Michigan Surveys of Consumers)",
        description=(
            "The University of Michigan's Index of Consumer Sentiment (FRED series UMCSENT), monthly, not "
            "seasonally adjusted, 1966 Q1 = 100: how households rate their finances and the economy now and ahead. "
            "Source: University of Michigan, Survey Research Center, Surveys of Consumers (read through FRED, Federal "
            "Reserve Bank of St. Louis). series_id is FRED's name."
        ),
        fields=("series_id", "month", "sentiment_index", "seasonal_adjustment", "source_id"),
        primary_key=("series_id", "month", "source_id"),
        schema_version="1.0.0",
        origin="refreshed",
        notes=(
            "A general confidence index, not one about jobs or tech; FRED publishes it with a month's delay at "
            "Michigan's request, so the copy ends a month or more before its commit date."
        ),
        row_rules=("month_is_first_day",),
        foreign_keys=_SRC,
    ),
]

# Not a release table: the list of publishers' files `talentgap refresh` reads (data/upstream/manifest.csv).
UPSTREAM_MANIFEST = Table(
    name="upstream_manifest",
    title="Publishers' files read by `talentgap refresh`",
    description=(
        "One row per publisher's data file: how to read it, where it comes from, and the sha256 of the bytes read. "
        "Its provenance columns become the file's row of `sources`."
    ),
    fields=(
        "source_id", "upstream_kind", "upstream_file", "vintage", "title", "publisher", "url", "date_published",
        "date_accessed", "license", "copy_repository", "copy_commit", "copy_path", "copy_sha256", "notes",
        "latest_url",
    ),
    primary_key=("source_id",),
    schema_version="1.1.0",
    origin="manifest",
    optional=("vintage",),
    home="upstream",
)

TABLES: dict[str, Table] = {t.name: t for t in _TABLES}
# Tables of the project's own inputs that are not published (validated with the same machinery).
INPUT_TABLES: dict[str, Table] = {UPSTREAM_MANIFEST.name: UPSTREAM_MANIFEST}


def table(name: str) -> Table:
    """A release table, or an input table such as the upstream manifest."""
    return TABLES[name] if name in TABLES else INPUT_TABLES[name]
