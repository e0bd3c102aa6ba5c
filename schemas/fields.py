"""Every column of every talentgap table, described once.

A field name means the same thing wherever it appears. Conventions:
- proportions are shares in 0-1 (never percent), in fields named `*_share` or `share_*`;
- money is nominal US dollars, in fields named `*_usd`;
- dates are ISO calendar dates; `as_of` is the date a figure was reported.
"""

from __future__ import annotations

from .registry import Field

INDUSTRIES = (
    "Aerospace", "AI", "Consumer", "Crypto", "Data", "Education", "Energy", "Finance",
    "Fitness", "Food", "Hardware", "Healthcare", "HR", "Infrastructure", "Legal",
    "Logistics", "Manufacturing", "Marketing", "Media", "Other", "Product", "Real Estate",
    "Recruiting", "Retail", "Sales", "Security", "Support", "Telecom", "Transportation",
    "Travel",
)

# Version 1 of the AI-attribution taxonomy. Changing it bumps layoff_events' schema_version.
AI_ATTRIBUTION = {
    "ai_named_as_reason": (
        "The company or its leaders name AI or automation as a reason these jobs go "
        "(for example: AI now does the work of the support roles being cut)."
    ),
    "ai_investment_shift": (
        "The cuts are presented as freeing money or focus for AI investment, "
        "without saying AI does the work of the people cut."
    ),
    "none_stated": (
        "The company states no link to AI. Press speculation alone does not count."
    ),
}

SOURCE_KINDS = (
    "tracker", "government_statistics", "survey", "news", "company_statement", "seed_document",
    # A data file as its publisher distributes it, read by `talentgap refresh` (see data/upstream/).
    "publisher_file",
)

# How close a source is to whoever produced the figure (issue #19). The figure's publisher is the
# organisation that counted or surveyed it: the tracker, the statistical agency, the survey firm, the
# company announcing its own cuts.
SOURCE_TIERS = {
    "publisher": "The publisher's own page or file (its site, its release on a newswire, its own repository).",
    "copy": "An unaltered copy of the publisher's page or file held by someone else (a mirror, a reposted release).",
    "secondary": "A report by someone else that quotes or summarises the figure (news, blogs, aggregators).",
}


# How a source or a document qualifies a figure. vague_multiple: "several hundred", "billions"
# (the value is the order of magnitude only); range: "200-300" (the value is the low end).
QUALIFIERS = (
    "none", "over", "more_than", "exceeding", "at_least", "nearly", "approximately", "around",
    "up_to", "range", "vague_multiple",
)

# Plausible ranges (issue #17): a value beyond these is a typo, a unit error or an attack (1e308), never
# data; ingest quarantines the row and curated input fails with file, row, column and rule. Each bound
# is far above anything published (the largest value in the release or its sources is in the NOTE).
# NOTE: OEWS's highest annual wage figure is $742,310 (a 90th percentile, May 2025); ten million is a ceiling.
MAX_ANNUAL_WAGE_USD = 10_000_000
# NOTE: the same ceiling per hour at 2,080 hours a year (OEWS's highest hourly mean: $241.37).
MAX_HOURLY_WAGE_USD = 5_000
# NOTE: an RSE is a percent of the estimate; BLS's highest is 39; above 100 the estimate would mean nothing.
MAX_RSE_PERCENT = 100
# NOTE: US total employment is about 155 million (OEWS May 2025).
MAX_JOBS = 1_000_000_000
# NOTE: CPI-U is 335 (1982-84 = 100) in 2026; 10,000 would be thirty-fold inflation.
MAX_CPI_INDEX = 10_000
# NOTE: the most any company in the Layoffs.fyi export had raised is $121.9 billion; ten trillion is a ceiling.
MAX_FUNDS_RAISED_USD = 10_000_000_000_000
# NOTE: `amount` is USD per year or a share (<= 3 by a row rule); the highest pay figure we hold is $300,600.
MAX_PAY_AMOUNT = 10_000_000
# NOTE: the largest single layoff we hold cut 55,000 people; the largest a tracker counted in a year, 265,660.
MAX_PEOPLE_PER_EVENT = 10_000_000
MAX_PEOPLE_PER_YEAR = 100_000_000
MAX_COMPANIES = 1_000_000
MAX_EVENTS = 10_000_000
# NOTE: `value` is a share, a percent (both bounded by row rules), an index near 100 or a count of postings.
MAX_SERIES_VALUE = 1_000_000_000

SLUG = r"^[a-z0-9][a-z0-9._-]*$"
SNAKE = r"^[a-z][a-z0-9_]*$"
MIN_DATE = "2020-01-01"
# Pay and period data reach back before the layoff wave, for pre-pandemic baselines.
MIN_PERIOD_DATE = "2015-01-01"

_FIELDS = [
    # --- provenance -----------------------------------------------------------------
    Field("source_id", "string", "Identifier of a row of the `sources` table.", pattern=SLUG),
    Field("title", "string", "Title of the source as published (or a short descriptive title where it has none)."),
    Field("publisher", "string", "Organisation or outlet that published the source."),
    Field("url", "string", "Address where the source was seen.", pattern=r"^https?://\S+$"),
    Field("date_published", "date", "Date the source was published, where it shows one.", required=False, max_date="today"),
    Field("date_accessed", "date", "Date the project looked at the source.", min_date=MIN_DATE, max_date="today"),
    Field("license", "string", "Licence or terms of the source; we take facts from it, never its text."),
    Field("kind", "string", "What sort of source it is.", enum=SOURCE_KINDS),
    Field("source_tier", "string", "How close the source is to the figure's publisher: publisher (its own page or file), copy (an unaltered copy of it), secondary (someone else's report).", enum=tuple(SOURCE_TIERS)),
    Field("notes", "string", "Remarks of the curators: qualifiers as written, judgement calls, gaps.", required=False),
    # Provenance of a publisher's file read through a copy (a public repository that mirrors it).
    Field("copy_repository", "string", "Public repository holding the copy of the publisher's file that was read (owner/name).", pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", required=False),
    Field("copy_commit", "string", "Commit of `copy_repository` the file was read at.", pattern=r"^[0-9a-f]{40}$", required=False),
    Field("copy_path", "string", "Path of the file in `copy_repository`.", required=False),
    Field("copy_sha256", "string", "SHA-256 of the file's bytes as read.", pattern=r"^[0-9a-f]{64}$", required=False),
    # data/upstream/manifest.csv: the publishers' files `talentgap refresh` reads.
    Field("upstream_kind", "string", "Which ingest reads the file: oews, cpi, rates, indeed, layoffs-fyi, exposure, ces, cps, sce, indeed-state, ai-applicability or sentiment.", enum=("oews", "cpi", "rates", "indeed", "layoffs-fyi", "exposure", "ces", "cps", "sce", "indeed-state", "ai-applicability", "sentiment")),
    Field("upstream_file", "string", "Name of the file in the upstream folder (data/upstream/files/ by default).", pattern=r"^[A-Za-z0-9][A-Za-z0-9._ -]*$"),
    Field("latest_url", "string", "Address where the publisher (or its public copy) serves the newest version of this file's series, or with `{yy}`/`{yyyy}` the pattern naming each year's file; `talentgap update` checks it. Rows sharing it form one series.", pattern=r"^https?://\S+$", required=False),
    Field("source_url", "string", "Address of the source of this row (equals the url of its `source_id`).", pattern=r"^https?://\S+$"),
    Field("as_of", "date", "Date the figure was reported (the snapshot date).", min_date=MIN_DATE, max_date="today"),
    # --- trackers ---------------------------------------------------------------------
    Field("tracker", "string", "Layoff tracker that reported the figure (layoffs.fyi, challenger, trueup, ...).", pattern=SLUG),
    Field("scope", "string", "What the tracker counts, e.g. tech_companies_worldwide.", pattern=SNAKE),
    Field("year", "integer", "Calendar year the figure covers.", unit="year", minimum=2015, maximum=2026),
    Field("period_end", "date", "Last day the figure covers.", min_date=MIN_PERIOD_DATE, max_date="today"),
    Field("employees", "integer", "People laid off, as the tracker reported it.", unit="people", minimum=0, maximum=MAX_PEOPLE_PER_YEAR),
    Field("companies", "integer", "Companies with layoffs, as the tracker reported it.", unit="companies", minimum=0, required=False, maximum=MAX_COMPANIES),
    # --- layoff events -----------------------------------------------------------------
    Field("company", "string", "Company name in its common form (Google for Alphabet's cuts)."),
    Field("announced_on", "date", "Date the cut was announced or first reported.", min_date="2022-01-01", max_date="today"),
    Field("headcount", "integer", "People cut, as the source states it.", unit="people", minimum=1, required=False, maximum=MAX_PEOPLE_PER_EVENT),
    Field("share_of_workforce", "number", "Share of the company's workforce cut.", unit="share (0-1)", minimum=0, maximum=1, required=False),
    Field("country", "string", "Country of the company's headquarters (English name)."),
    Field("industry", "string", "Industry of the company (Layoffs.fyi-style classes).", enum=INDUSTRIES),
    Field("units", "string", "Divisions or functions named as affected, separated by `; `.", required=False),
    Field("ai_attribution", "string", "Whether and how the company linked the cuts to AI (taxonomy v1).", enum=tuple(AI_ATTRIBUTION)),
    # --- occupations, wages, prices ------------------------------------------------------
    Field("soc_code", "string", "Standard Occupational Classification code (2018 SOC).", pattern=r"^\d{2}-\d{4}$"),
    Field("occupation_title", "string", "SOC occupation title as BLS prints it."),
    Field("reference_period", "string", "Reference period of the estimate as BLS names it, e.g. May 2023.", pattern=r"^May \d{4}$"),
    Field("employment", "integer", "National employment estimate.", unit="jobs", minimum=0, required=False, maximum=MAX_JOBS),
    Field("annual_mean_wage_usd", "number", "Annual mean wage, nominal.", unit="USD per year", minimum=0, required=False, maximum=MAX_ANNUAL_WAGE_USD),
    Field("annual_median_wage_usd", "number", "Annual median wage, nominal.", unit="USD per year", minimum=0, required=False, maximum=MAX_ANNUAL_WAGE_USD),
    Field("cpi_u_annual_average", "number", "CPI-U, U.S. city average, all items, annual average, not seasonally adjusted.", unit="index, 1982-84=100", minimum=0, maximum=MAX_CPI_INDEX),
    # --- salaries -------------------------------------------------------------------------
    Field("role", "string", "Job role the pay figure describes, as the curators label it."),
    Field("seniority", "string", "Seniority the figure describes ('all' where the source gives none)."),
    Field("geography", "string", "Place the figure describes."),
    Field("period_start", "date", "First day of the period the figure describes.", min_date=MIN_PERIOD_DATE, max_date="today"),
    Field("statistic", "string", "What the figure is: mean or median pay, a premium, or a change.", enum=("mean", "median", "premium", "change")),
    Field("amount", "number", "The pay figure, in the unit given by `amount_unit`.", maximum=MAX_PAY_AMOUNT),
    Field("amount_unit", "string", "Unit of `amount`: usd_per_year (nominal) or share (0-1).", enum=("usd_per_year", "share")),
    Field("comparison", "string", "For premiums and changes: what the figure is relative to.", required=False),
    # --- confidence and demand ----------------------------------------------------------------
    Field("series", "string", "Name of the series, snake_case.", pattern=SNAKE),
    Field("month", "date", "First day of the month the value describes.", min_date=MIN_PERIOD_DATE, max_date="today"),
    Field("confident_share", "number", "Share of employees with a positive six-month business outlook.", unit="share (0-1)", minimum=0, maximum=1),
    Field("value", "number", "The figure, in the unit given by `value_unit`.", maximum=MAX_SERIES_VALUE),
    Field("value_unit", "string", "Unit of `value`: share (0-1), percent (as the publisher gives it), index (1 Feb 2020 = 100), or count of postings.", enum=("share", "percent", "index_2020_02_01_eq_100", "count")),
    # --- seeds and claims -------------------------------------------------------------------------
    Field("seed_id", "string", "Identifier of a seed document (its file stem).", pattern=r"^\d{3}_[0-9a-f]{16}$"),
    Field("file_name", "string", "File name of the seed document as received."),
    Field("sha256", "string", "SHA-256 of the file's bytes as received.", pattern=r"^[0-9a-f]{64}$"),
    Field("char_count", "integer", "Length of the decoded text in characters.", unit="characters", minimum=0),
    Field("date_earliest", "date", "Earliest date the document can have been written, from its content.", required=False, max_date="today"),
    Field("date_latest", "date", "Latest date the document can have been written, from its content.", required=False, max_date="today"),
    Field("claim_id", "string", "Identifier of a claim: seed id, '#', ordinal.", pattern=r"^\d{3}_[0-9a-f]{16}#\d+$"),
    Field("char_start", "integer", "Offset of the figure's first character in the decoded text.", unit="characters", minimum=0),
    Field("char_end", "integer", "Offset just past the figure's last character.", unit="characters", minimum=1),
    Field("figure_text", "string", "The figure exactly as written in the document."),
    Field("claim_value", "number", "The figure normalised to a number (shares in 0-1)."),
    Field("claim_unit", "string", "Unit of `claim_value`.", enum=("people", "companies", "usd", "usd_per_year", "share", "jobs", "employees")),
    Field("metric", "string", "What the figure measures, snake_case.", pattern=SNAKE),
    Field("entity", "string", "Company, tracker or group the figure is about.", required=False),
    Field("qualifier", "string", "Qualifier the source puts before the figure ('none' if it gives the figure plainly).", enum=QUALIFIERS),
    Field("attributed_source", "string", "Whom the document credits for the figure.", required=False),
    Field("verdict", "string", "Result of checking the claim against the data.", enum=("consistent", "inconsistent", "not_checkable")),
    Field("compared_value", "number", "Value from the data the claim was compared with.", required=False),
    Field("compared_source_id", "string", "Source of the compared value.", pattern=SLUG, required=False),
    Field("reason", "string", "Why the verdict: the comparison made, in words."),
    # --- flags ------------------------------------------------------------------------------------
    Field("table", "string", "Table the flagged rows belong to."),
    Field("row_key", "string", "Primary key of the flagged row(s), as key=value pairs."),
    Field("rule", "string", "Rule that raised the flag."),
    Field("message", "string", "What the flag means."),
    # --- ingested upstream exports ---
    # Layoffs.fyi export (layoffs_fyi_events)
    Field("hq_location", "string", "Headquarters location as the tracker gives it, without Layoffs.fyi's ', Non-U.S.' suffix (see `country`)."),
    Field("date_added", "date", "Date the tracker added the row to its list.", required=False, max_date="today"),
    Field("funding_stage", "string", "Funding stage of the company as the tracker gives it (Series B, Post-IPO, Unknown, ...).", required=False),
    Field("funds_raised_usd", "number", "Money the company had raised, per the tracker (the export gives millions of USD; stored in USD).", unit="USD", minimum=0, required=False, maximum=MAX_FUNDS_RAISED_USD),
    Field("source_as_given", "string", "The row's source exactly as the upstream export gives it: usually a URL, sometimes a name; not checked as a URL.", required=False),
    Field("source_row", "integer", "Number of the row in the upstream file (1 = first data row): the key of an ingested row, so that distinct entries sharing a company and date are all kept.", unit="row", minimum=1),
    Field("industry_as_given", "string", "Industry exactly as the upstream export gives it (`industry` maps it to our classes; Other where it has no match).", required=False),
    Field("row_flags", "string", "Why a kept row deserves a second look, flag names separated by `; `: industry_unmapped (no class of ours matches; industry is Other), date_added_before_announced_on (the tracker's date added is more than a day before the layoff date), hq_location_missing, industry_missing, country_missing (the export leaves it blank).", required=False),
    # Big Local News WARN notices (warn_notices)
    Field("hash_id", "string", "Big Local News' identifier of a WARN notice record (a hash of its content).", pattern=r"^\S+$"),
    Field("postal_code", "string", "Postal abbreviation of the US state or territory whose agency published the notice.", pattern=r"^[A-Z]{2}$"),
    Field("worksite_location", "string", "Place of the affected worksite(s) as the notice gives it.", required=False),
    Field("notice_date", "date", "Date of the WARN notice as the state lists it.", max_date="today"),
    Field("effective_date", "date", "Date the layoff or closure takes effect, as the notice gives it.", required=False, max_date="today+366d"),
    Field("is_temporary", "boolean", "The notice says the layoff is temporary.", required=False),
    Field("is_closure", "boolean", "The notice announces the closure of a site.", required=False),
    Field("is_amendment", "boolean", "The notice amends an earlier notice.", required=False),
    Field("replaces_hash_id", "string", "hash_id of the earlier record this one replaces: the notice it amends, or an identical earlier listing.", required=False),
    Field("is_superseded", "boolean", "A later record replaces this one; totals count only rows where this is false."),
    # BLS OEWS national file (occupations, oews_occupations)
    Field("occupation_group", "string", "OEWS occupation level (BLS O_GROUP): total, major, minor, broad or detailed.", enum=("total", "major", "minor", "broad", "detailed"), required=False),
    Field("employment_rse_percent", "number", "Relative standard error of the employment estimate, in percent as BLS publishes it (EMP_PRSE).", unit="percent", minimum=0, required=False, maximum=MAX_RSE_PERCENT),
    Field("hourly_mean_wage_usd", "number", "Hourly mean wage, nominal (BLS H_MEAN).", unit="USD per hour", minimum=0, required=False, maximum=MAX_HOURLY_WAGE_USD),
    Field("mean_wage_rse_percent", "number", "Relative standard error of the mean wage, in percent as BLS publishes it (MEAN_PRSE).", unit="percent", minimum=0, required=False, maximum=MAX_RSE_PERCENT),
    Field("annual_wage_p10_usd", "number", "Annual wage, 10th percentile, nominal (BLS A_PCT10).", unit="USD per year", minimum=0, required=False, maximum=MAX_ANNUAL_WAGE_USD),
    Field("annual_wage_p25_usd", "number", "Annual wage, 25th percentile, nominal (BLS A_PCT25).", unit="USD per year", minimum=0, required=False, maximum=MAX_ANNUAL_WAGE_USD),
    Field("annual_wage_p75_usd", "number", "Annual wage, 75th percentile, nominal (BLS A_PCT75).", unit="USD per year", minimum=0, required=False, maximum=MAX_ANNUAL_WAGE_USD),
    Field("annual_wage_p90_usd", "number", "Annual wage, 90th percentile, nominal (BLS A_PCT90).", unit="USD per year", minimum=0, required=False, maximum=MAX_ANNUAL_WAGE_USD),
    Field(
        "bls_markers", "string",
        "Cells BLS filled with a marker instead of a number, as `column=marker` pairs joined by `; ` (the column is "
        "empty): `*` or `**` no estimate, `#` at or above the year's top code (e.g. $239,200 a year in May 2024).",
        pattern=r"^[a-z0-9_]+=(\*|\*\*|#)(; [a-z0-9_]+=(\*|\*\*|#))*$", required=False,
    ),
    # --- primary series from publishers' files ------------------------------------------------------
    Field("series_id", "string", "The publisher's identifier of the series (BLS CUUR0000SA0, FRED FEDFUNDS).", pattern=r"^[A-Z0-9_]+$"),
    Field("cpi_u_index", "number", "CPI-U, U.S. city average, all items, not seasonally adjusted, monthly.", unit="index, 1982-84=100", minimum=0, maximum=MAX_CPI_INDEX),
    Field("months", "integer", "Months of the year with a published value.", unit="months", minimum=0, maximum=12),
    Field("published_annual_average", "number", "BLS's own published annual average for the year, where a stored page shows it.", unit="index, 1982-84=100", minimum=0, required=False, maximum=MAX_CPI_INDEX),
    Field("published_source_id", "string", "Source of the published figure shown beside a computed one (published_annual_average, published_value).", pattern=SLUG, required=False),
    Field("rate_percent", "number", "Interest rate, percent per year, monthly average of daily figures as the publisher gives it.", unit="percent", minimum=0, maximum=100),
    Field("date", "date", "Calendar day the value describes.", min_date=MIN_PERIOD_DATE, max_date="today"),
    Field("country_code", "string", "Country of the postings (ISO 3166-1 alpha-2, as Indeed gives it).", pattern=r"^[A-Z]{2}$"),
    Field("seasonal_adjustment", "string", "sa: seasonally adjusted by the publisher; nsa: not adjusted; none: the publisher does not say (a share).", enum=("sa", "nsa", "none")),
    Field("vintage", "date", "Date of the publisher's file the value was read from (its copy's commit date): Indeed revises its history.", min_date=MIN_DATE, max_date="today"),
    # --- jobs held, unemployment, job-security expectations, state postings (issue #16) -------------------
    Field("employment_thousands", "number", "Jobs held: all employees on nonfarm payrolls (BLS Current Employment Statistics), as the publisher gives it.", unit="thousands of jobs", minimum=0),
    Field("unemployment_rate_percent", "number", "Unemployed as a percent of the labour force (BLS Current Population Survey), as the publisher gives it.", unit="percent", minimum=0, maximum=100),
    Field("expectation_percent", "number", "A survey expectation as the New York Fed publishes it: a mean probability (0-100) or a median expected growth rate.", unit="percent", minimum=-100, maximum=100),
    Field("state_code", "string", "U.S. state or the District of Columbia, two-letter postal abbreviation (upper-cased).", pattern=r"^[A-Z]{2}$"),
    Field("events", "integer", "Rows of the tracker's list (one per layoff announcement it lists).", unit="events", minimum=0, maximum=MAX_EVENTS),
    Field("events_size_unknown", "integer", "Listed layoffs with no number of people (Layoffs.fyi lists layoffs of unknown size).", unit="events", minimum=0, maximum=MAX_EVENTS),
    Field("rows_without_date_added", "integer", "Rows of the year the export gives no date_added for; not in the point-in-time totals.", unit="events", minimum=0, maximum=MAX_EVENTS),
    # --- derived: wages and employment over May years ---------------------------------------------------
    Field("role_group", "string", "Group of the occupation in the report: routine, ai_adjacent, core_tech, total or other.", enum=("routine", "ai_adjacent", "core_tech", "total", "other")),
    Field("from_year", "integer", "First May reference year of the comparison.", unit="year", minimum=2015, maximum=2030),
    Field("to_year", "integer", "Last May reference year of the comparison.", unit="year", minimum=2015, maximum=2030),
    Field("from_median_wage_usd", "number", "Annual median wage in the first year, nominal.", unit="USD per year", minimum=0, maximum=MAX_ANNUAL_WAGE_USD),
    Field("to_median_wage_usd", "number", "Annual median wage in the last year, nominal.", unit="USD per year", minimum=0, maximum=MAX_ANNUAL_WAGE_USD),
    Field("from_cpi_u_index", "number", "CPI-U (not seasonally adjusted) of May of the first year.", unit="index, 1982-84=100", minimum=0, maximum=MAX_CPI_INDEX),
    Field("to_cpi_u_index", "number", "CPI-U (not seasonally adjusted) of May of the last year.", unit="index, 1982-84=100", minimum=0, maximum=MAX_CPI_INDEX),
    Field("nominal_change_share", "number", "Change in the nominal figure from the first to the last year.", unit="share (0.1 = +10%)", minimum=-1),
    Field("real_change_share", "number", "Change in the figure deflated to the last year's prices with May-to-May CPI-U.", unit="share (0.1 = +10%)", minimum=-1),
    Field("from_employment", "integer", "Employment in the first year.", unit="jobs", minimum=0, maximum=MAX_JOBS),
    Field("to_employment", "integer", "Employment in the last year.", unit="jobs", minimum=0, maximum=MAX_JOBS),
    Field("employment_change", "integer", "Employment in the last year minus the first.", unit="jobs"),
    Field("employment_change_share", "number", "Employment change relative to the first year.", unit="share (0.1 = +10%)", minimum=-1),
    Field("occupations_counted", "integer", "Occupations summed into the row.", unit="occupations", minimum=1),
    # --- AI exposure (Eloundou, Manning, Mishkin, Rock: "GPTs are GPTs") ------------------------------
    Field("onet_soc_code", "string", "O*NET-SOC code of the occupation, as the source gives it (2018 SOC code plus a .NN suffix).", pattern=r"^\d{2}-\d{4}\.\d{2}$"),
    Field("exposure_alpha_gpt4", "number", "Exposure as rated by GPT-4, measure alpha: share of the occupation's tasks directly exposed to a language model (E1).", unit="share of tasks (0-1)", minimum=0, maximum=1, required=False),
    Field("exposure_beta_gpt4", "number", "Exposure as rated by GPT-4, measure beta: E1 + 0.5 x E2 (tasks exposed with complementary software count half).", unit="share of tasks (0-1)", minimum=0, maximum=1, required=False),
    Field("exposure_gamma_gpt4", "number", "Exposure as rated by GPT-4, measure gamma: E1 + E2.", unit="share of tasks (0-1)", minimum=0, maximum=1, required=False),
    Field("exposure_alpha_human", "number", "Exposure as rated by the paper's human annotators, measure alpha (E1).", unit="share of tasks (0-1)", minimum=0, maximum=1, required=False),
    Field("exposure_beta_human", "number", "Exposure as rated by the paper's human annotators, measure beta (E1 + 0.5 x E2).", unit="share of tasks (0-1)", minimum=0, maximum=1, required=False),
    Field("exposure_gamma_human", "number", "Exposure as rated by the paper's human annotators, measure gamma (E1 + E2).", unit="share of tasks (0-1)", minimum=0, maximum=1, required=False),
    Field("onet_codes_counted", "integer", "O*NET-SOC occupations averaged into the SOC occupation's exposure (0: no score).", unit="occupations", minimum=0),
    Field("exposure_match", "string", (
        "How the occupation got its exposure: soc (its own code); broad_group (an OEWS code ending in 0 that pools the detailed "
        "SOC occupations sharing its first five digits: their mean); oews_combined (an OEWS code that combines SOC occupations of "
        "its broad group which OEWS does not publish on their own, e.g. 25-9045: their mean); all_other_broad_group (an \"All Other\" "
        "residual code, ending in 9, that no measure scores: the mean of the scored occupations of its broad group, an assumption); "
        "or none (no score; listed, not dropped)."), enum=("soc", "broad_group", "oews_combined", "all_other_broad_group", "none")),
    Field("log_employment_change", "number", "Natural log of employment in the last year over the first.", unit="log points"),
    Field("exposure_measure", "string", "Which exposure score: GPTs are GPTs' measure (alpha, beta, gamma) and rater (gpt4, human), or Microsoft's AI applicability score.", enum=(
        "exposure_alpha_gpt4", "exposure_beta_gpt4", "exposure_gamma_gpt4", "exposure_alpha_human", "exposure_beta_human", "exposure_gamma_human",
        "ai_applicability_microsoft")),
    Field("exposure_bin", "integer", "Employment-weighted quintile of exposure (1 lowest, 5 highest) among occupations with a score.", unit="quintile", minimum=1, maximum=5),
    Field("exposure_min", "number", "Lowest exposure in the bin.", unit="score (0-1)", minimum=0, maximum=1),
    Field("exposure_max", "number", "Highest exposure in the bin.", unit="score (0-1)", minimum=0, maximum=1),
    Field("median_real_wage_change_share", "number", "Employment-weighted median of the occupations' real median-wage change.", unit="share (0.1 = +10%)", required=False),
    Field("summary_statistic", "string", "What the summary row measures.", enum=(
        "slope_log_employment_change", "slope_real_wage_change", "share_of_employment_exposure_at_least_0_1",
        "share_of_employment_exposure_at_least_0_5", "share_of_employment_unscored", "slope_log_employment_change_without_all_other")),
    Field("estimate", "number", "The statistic's value (a slope per unit of exposure, or a share in 0-1)."),
    Field("ci_low", "number", "Lower end of the 95% confidence interval (bootstrap percentile; empty for a share).", required=False),
    Field("ci_high", "number", "Upper end of the 95% confidence interval (bootstrap percentile; empty for a share).", required=False),
    Field("published_value", "number", "The paper's own figure for the same statistic, where it publishes one (shares in 0-1).", required=False),
    # --- a second exposure measure (Tomlinson, Jaffe, Wang, Counts, Suri 2025) and the long exposure table
    Field("ai_applicability_microsoft", "number", (
        "Microsoft's AI applicability score (Tomlinson et al. 2025): from 200,000 Bing Copilot conversations, how much of the "
        "occupation's work activities people did with the assistant, how successfully and how broadly, combined into one score."),
        unit="score (0-1)", minimum=0, maximum=1, required=False),
    Field("exposure_rater", "string", (
        "Who or what rated the exposure: gpt4 or human (GPTs are GPTs' annotators), or copilot_usage (Microsoft's score, measured "
        "from observed use of an AI assistant)."), enum=("gpt4", "human", "copilot_usage")),
    Field("exposure_score", "number", "The occupation's score on the measure (the mean over the rows named in source_codes).", unit="score (0-1)", minimum=0, maximum=1),
    Field("source_rows_counted", "integer", "Rows of the measure's file averaged into the score (O*NET-SOC occupations for GPTs are GPTs, SOC occupations for Microsoft's).", unit="rows", minimum=1),
    Field("source_codes", "string", "The codes of the rows averaged, as the measure's file gives them, separated by '; '."),
    Field("exposure_measure_other", "string", "The second measure of a pair compared (the same values as exposure_measure).", enum=(
        "exposure_alpha_gpt4", "exposure_beta_gpt4", "exposure_gamma_gpt4", "exposure_alpha_human", "exposure_beta_human", "exposure_gamma_human",
        "ai_applicability_microsoft")),
    Field("correlation_weighted", "number", "Pearson correlation of the two measures across occupations, each weighted by its May 2021 employment.", minimum=-1, maximum=1),
    Field("correlation_rank", "number", "Spearman rank correlation of the two measures across occupations (unweighted).", minimum=-1, maximum=1),
    # --- milestones: dated events the report marks on its time axes ------------------------------------
    Field("label", "string", "Short label of a dated event, as the report prints it on a chart.", max_length=80),
    Field("milestone_kind", "string", "What sort of event a milestone is: monetary_policy (a Federal Reserve rate decision) or ai_product (a public launch of an AI product).", enum=("monetary_policy", "ai_product")),
    # --- Layoffs.fyi monthly series without double counting (issue #16) -------------------------------
    Field("in_monthly_series", "boolean", "This export's row for the month is the one layoffs_fyi_monthly carries: the export is the newest of those covering the whole month."),
    # --- OEWS top-coding (issue #16) ---------------------------------------------------------------------
    Field("wage_top_code_usd", "number", "The year's top code: the annual wage at or above which the year's BLS workbook writes # instead of a percentile wage (as the workbook's own notes state it; means are published whatever their level). Empty where the year's workbook marks no wage with # (May 2025) and for rows read off web pages.", unit="USD per year", minimum=0, required=False),
    Field("comparison_cap_usd", "number", "The lower of the two years' top codes (wage_top_code_usd): the pair is kept only where both medians are below it, so a median hidden by # in one year is never set against a published one of the same level in the other. Empty where neither year top-codes.", unit="USD per year", minimum=0, required=False),
    # --- consumer sentiment (issue #16, 0.4.0) ---------------------------------------------------------
    Field("sentiment_index", "number", "Index of consumer sentiment as the University of Michigan publishes it (its Surveys of Consumers).", unit="index, 1966 Q1 = 100", minimum=0, maximum=200),
]

FIELDS: dict[str, Field] = {f.name: f for f in _FIELDS}
if len(FIELDS) != len(_FIELDS):  # pragma: no cover - guards the registry itself
    raise RuntimeError("duplicate field name in schemas/fields.py")
