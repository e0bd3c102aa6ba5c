"""Derived tables the report reads: pay premiums, wage and employment change, confidence, postings.

Each function takes released tables (polars DataFrames) and returns a small tidy frame.
"""

from __future__ import annotations

import polars as pl

# NOTE: which occupations count as routine (most exposed to automation of junior tasks, as the
# seed documents and the report discuss) and which as AI-adjacent (build or apply models). Software
# developers and security analysts are neither: they are shown as "core tech".
ROLE_GROUPS = {
    "15-1251": "routine",  # Computer Programmers
    "15-1253": "routine",  # Software QA Analysts and Testers
    "15-1232": "routine",  # Computer User Support Specialists
    "15-1221": "ai_adjacent",  # Computer and Information Research Scientists
    "15-2051": "ai_adjacent",  # Data Scientists
    "15-1252": "core_tech",  # Software Developers
    "15-1212": "core_tech",  # Information Security Analysts
}

TOTALS = {"00-0000": "total", "15-0000": "total"}  # all occupations; all computer and mathematical ones

_AI = pl.col("role").str.to_lowercase().str.contains(r"\bai\b|machine learning|\bml\b|generative")
_SOFTWARE = pl.col("role").str.to_lowercase().str.contains(r"software (engineer|developer)")


def ai_pay_premium(salaries: pl.DataFrame) -> pl.DataFrame:
    """AI pay premium by year and source, as reported or computed from pay levels of one source.

    A premium is "reported" when the source states it; "computed" when one source gives the pay of an
    AI role and of software engineers for the same period, statistic and seniority.
    """
    reported = salaries.filter((pl.col("statistic") == "premium")).select(
        pl.col("period_end").dt.year().alias("year"),
        "source_id",
        "role",
        "seniority",
        "geography",
        pl.col("comparison").fill_null("not stated"),
        pl.col("amount").alias("premium_share"),
        pl.lit("reported").alias("method"),
    )
    levels = salaries.filter(pl.col("statistic").is_in(["mean", "median"]) & pl.col("period_end").is_not_null())
    keys = ["source_id", "period_start", "period_end", "statistic", "seniority", "geography"]
    ai = levels.filter(_AI).select(*keys, "role", pl.col("amount").alias("ai_usd"))
    base = levels.filter(_SOFTWARE & ~_AI).select(*keys, pl.col("role").alias("base_role"), pl.col("amount").alias("base_usd"))
    computed = ai.join(base, on=keys, how="inner").select(
        pl.col("period_end").dt.year().alias("year"),
        "source_id",
        "role",
        "seniority",
        "geography",
        pl.format("{} {} pay, same source and period", "base_role", "statistic").alias("comparison"),
        (pl.col("ai_usd") / pl.col("base_usd") - 1).alias("premium_share"),
        pl.lit("computed").alias("method"),
    )
    return pl.concat([reported, computed]).sort(["year", "source_id", "role"], nulls_last=True)


def role_group() -> pl.Expr:
    """The report's group of an occupation (by soc_code); the two totals are "total"."""
    return pl.col("soc_code").replace_strict({**ROLE_GROUPS, **TOTALS}, default="other")


def from_files(occupations: pl.DataFrame, sources: pl.DataFrame) -> pl.DataFrame:
    """The occupations rows computed from BLS's workbooks (sources of kind publisher_file).

    NOTE: rows read off BLS web pages stay in `occupations` for reference; every derived figure uses
    the workbooks only, so that each year comes from the same kind of source and every value BLS
    published is there.
    """
    files = sources.filter(pl.col("kind") == "publisher_file").select("source_id")
    return occupations.join(files, on="source_id", how="semi")


def may_cpi(cpi_monthly: pl.DataFrame) -> pl.DataFrame:
    """CPI-U of May of each year (OEWS estimates refer to May)."""
    return cpi_monthly.filter(pl.col("month").dt.month() == 5).select(
        pl.col("month").dt.year().cast(pl.Int64).alias("year"), pl.col("cpi_u_index").alias("cpi")
    ).unique("year", keep="first").sort("year")


def top_codes(occupations: pl.DataFrame, sources: pl.DataFrame) -> pl.DataFrame:
    """Each May year of the workbooks and its top code (empty for a year whose workbook applies none)."""
    return from_files(occupations, sources).group_by("year").agg(pl.col("wage_top_code_usd").max().alias("top_code")).sort("year")


def wage_change(occupations: pl.DataFrame, cpi_monthly: pl.DataFrame, sources: pl.DataFrame) -> pl.DataFrame:
    """Median-wage change for every occupation and every pair of May years, nominal and real.

    NOTE: real change deflates with May-to-May CPI-U (not annual averages): OEWS wages refer to May,
    and May of the latest year is published before its annual average. Where May's CPI is absent the
    real change is empty, never interpolated.
    NOTE: top-coding (issue #16): a median BLS marked # has no number and no pair; and a pair is kept only
    where both medians are below the lower of the two years' top codes. Otherwise a May 2025 median above
    $239,200 (published: May 2025 applies no top code) would be set against an earlier year in which BLS
    hid every median of that level, and only the occupations that were below the cap then would be compared.
    """
    marked = pl.col("bls_markers").fill_null("").str.contains("annual_median_wage_usd=#", literal=True)
    medians = (
        from_files(occupations, sources)
        .filter(pl.col("annual_median_wage_usd").is_not_null() & ~marked)
        .select("soc_code", "occupation_title", "year", "annual_median_wage_usd")
        .join(top_codes(occupations, sources), on="year", how="left")
    )
    cpi = may_cpi(cpi_monthly)
    start = medians.join(cpi, on="year", how="left").rename(
        {"year": "from_year", "annual_median_wage_usd": "from_median_wage_usd", "cpi": "from_cpi_u_index", "top_code": "_from_cap"}
    )
    end = medians.join(cpi, on="year", how="left").rename(
        {"year": "to_year", "annual_median_wage_usd": "to_median_wage_usd", "cpi": "to_cpi_u_index", "occupation_title": "_title",
         "top_code": "_to_cap"}
    )
    cap = pl.min_horizontal("_from_cap", "_to_cap")
    below = cap.is_null() | ((pl.col("from_median_wage_usd") < cap) & (pl.col("to_median_wage_usd") < cap))
    pairs = start.join(end, on="soc_code").filter((pl.col("to_year") > pl.col("from_year")) & below)
    return pairs.select(
        "soc_code",
        # NOTE: BLS retitles occupations now and then; the later year's title is shown.
        pl.col("_title").alias("occupation_title"),
        role_group().alias("role_group"),
        "from_year", "to_year", "from_median_wage_usd", "to_median_wage_usd", "from_cpi_u_index", "to_cpi_u_index",
        (pl.col("to_median_wage_usd") / pl.col("from_median_wage_usd") - 1).alias("nominal_change_share"),
        (
            (pl.col("to_median_wage_usd") / pl.col("to_cpi_u_index"))
            / (pl.col("from_median_wage_usd") / pl.col("from_cpi_u_index"))
            - 1
        ).alias("real_change_share"),
        cap.alias("comparison_cap_usd"),
    ).sort("soc_code", "from_year", "to_year")


def employment_change(occupations: pl.DataFrame, sources: pl.DataFrame) -> pl.DataFrame:
    """Employment per occupation in the first and the last May year of BLS's workbooks."""
    emp = from_files(occupations, sources).filter(pl.col("employment").is_not_null())
    first, last = emp["year"].min(), emp["year"].max()
    start = emp.filter(pl.col("year") == first).select("soc_code", pl.col("employment").alias("from_employment"))
    end = emp.filter(pl.col("year") == last).select("soc_code", "occupation_title", pl.col("employment").alias("to_employment"))
    return (
        start.join(end, on="soc_code")
        .select(
            "soc_code", "occupation_title", role_group().alias("role_group"),
            pl.lit(first, pl.Int64).alias("from_year"), pl.lit(last, pl.Int64).alias("to_year"),
            "from_employment", "to_employment",
            (pl.col("to_employment") - pl.col("from_employment")).alias("employment_change"),
            (pl.col("to_employment") / pl.col("from_employment") - 1).alias("employment_change_share"),
        )
        .sort("soc_code")
    )


def employment_change_groups(change: pl.DataFrame) -> pl.DataFrame:
    """employment_change summed per role group (the totals are their own rows, never summed in)."""
    groups = change.filter(~pl.col("role_group").is_in(["total", "other"]))
    return (
        groups.group_by("role_group", "from_year", "to_year")
        .agg(pl.len().cast(pl.Int64).alias("occupations_counted"), pl.col("from_employment").sum(), pl.col("to_employment").sum())
        .with_columns(
            (pl.col("to_employment") - pl.col("from_employment")).alias("employment_change"),
            (pl.col("to_employment") / pl.col("from_employment") - 1).alias("employment_change_share"),
        )
        .select("role_group", "occupations_counted", "from_year", "to_year", "from_employment", "to_employment",
                "employment_change", "employment_change_share")
        .sort("role_group")
    )


def cpi_annual(cpi_monthly: pl.DataFrame, cpi: pl.DataFrame) -> pl.DataFrame:
    """Annual averages of complete years, beside BLS's published figure where `cpi` holds one.

    NOTE: BLS averages the twelve published monthly indexes and publishes the result to three
    decimals; we do the same, so a computed figure can be compared with BLS's exactly. A year with a
    month missing (2025: October was never published) gets no computed average here.
    """
    published = cpi.sort("year", "source_id").unique("year", keep="first").select(
        "year", pl.col("cpi_u_annual_average").alias("published_annual_average"), pl.col("source_id").alias("published_source_id")
    )
    years = cpi_monthly.group_by("series_id", pl.col("month").dt.year().cast(pl.Int64).alias("year")).agg(
        pl.len().cast(pl.Int64).alias("months"), pl.col("cpi_u_index").mean().alias("_mean")
    )
    return (
        years.join(published, on="year", how="left")
        .select(
            "series_id", "year", "months",
            pl.when(pl.col("months") == 12).then(pl.col("_mean").round(3)).alias("cpi_u_annual_average"),
            "published_annual_average", "published_source_id",
        )
        .sort("series_id", "year")
    )


def latest_vintage(confidence: pl.DataFrame) -> pl.DataFrame:
    """One row per series and month: the latest reported value (undated vintages count as oldest)."""
    return (
        confidence.sort(["series", "month", "as_of", "source_id"], nulls_last=False)
        .group_by(["series", "month"], maintain_order=True)
        .last()
        .sort(["series", "month"])
    )


def monthly_layoffs(events: pl.DataFrame) -> pl.DataFrame:
    """Announced headcount and number of announcements per month, from layoff_events.

    Announcements that give only a share of the workforce count as announcements, not people.
    """
    return (
        events.with_columns(pl.col("announced_on").dt.truncate("1mo").alias("month"))
        .group_by("month")
        .agg(
            pl.col("headcount").sum().alias("announced_headcount"),
            pl.len().alias("announcements"),
        )
        .sort("month")
    )


def confidence_vs_layoffs(confidence: pl.DataFrame, events: pl.DataFrame, series: str = "overall_us") -> pl.DataFrame:
    """The confidence series (latest vintage) next to the month's announced layoffs."""
    conf = latest_vintage(confidence).filter(pl.col("series") == series).select("month", "confident_share")
    return conf.join(monthly_layoffs(events), on="month", how="left").with_columns(
        pl.col("announced_headcount").fill_null(0), pl.col("announcements").fill_null(0)
    )


def postings_trend(ai_demand: pl.DataFrame, series: str) -> pl.DataFrame:
    """One postings series over time (latest report per period), ready to chart."""
    return (
        ai_demand.filter(pl.col("series") == series)
        .sort(["period_end", "as_of", "source_id"], nulls_last=False)
        .group_by(["period_start", "period_end"], maintain_order=True)
        .last()
        .sort("period_end")
        .select("period_start", "period_end", "value", "value_unit", "source_id")
    )


def tracker_year_totals(totals: pl.DataFrame) -> pl.DataFrame:
    """Each tracker's full-year total per year: the latest-reported full-year figure (largest on ties)."""
    full = totals.filter(
        (pl.col("period_end").dt.month() == 12) & (pl.col("period_end").dt.day() == 31)
    )
    return (
        full.sort(["tracker", "scope", "year", "as_of", "employees"], descending=[False, False, False, True, True], nulls_last=True)
        .group_by(["tracker", "scope", "year"], maintain_order=True)
        .first()
        .select("tracker", "scope", "year", "employees", "companies", "qualifier", "as_of", "source_id")
        .sort(["tracker", "year"])
    )


def attribution_by_year(events: pl.DataFrame) -> pl.DataFrame:
    """Announcements and headcount per year and AI-attribution class."""
    return (
        events.group_by(pl.col("announced_on").dt.year().alias("year"), "ai_attribution")
        .agg(pl.len().alias("announcements"), pl.col("headcount").sum().alias("headcount"))
        .sort(["year", "ai_attribution"])
    )


def event_disagreements(events: pl.DataFrame, conflicts: pl.DataFrame) -> pl.DataFrame:
    """Announcements whose size sources report differently: the figure we keep and the range reported.

    NOTE: layoff_events keeps the figure of its first source (usually the company's statement or the
    earliest report); the others stay in layoff_event_conflicts and are shown here, never averaged.
    """
    kept = events.select("company", "announced_on", pl.col("headcount").alias("kept_headcount"),
                         pl.col("source_id").alias("kept_source_id"))
    others = conflicts.group_by("company", "announced_on").agg(
        pl.col("headcount").min().alias("other_min_headcount"),
        pl.col("headcount").max().alias("other_max_headcount"),
        pl.len().alias("other_sources"),
    )
    return (
        kept.join(others, on=["company", "announced_on"], how="inner")
        .with_columns(
            pl.min_horizontal("kept_headcount", "other_min_headcount").alias("low_headcount"),
            pl.max_horizontal("kept_headcount", "other_max_headcount").alias("high_headcount"),
        )
        .sort(["announced_on", "company"])
    )


# ---------------------------------------------------------------- primary series for the report (0.2.0)
# NOTE: layoffs_fyi_monthly is one series, each month from the newest export covering it whole (issue #16),
# so the report reads it as it is: a sum over its months counts every listed layoff once. One export's own
# months are in layoffs_fyi_monthly_by_export (pass its source_id).


def fyi_months(monthly: pl.DataFrame, source_id: str | None = None) -> pl.DataFrame:
    """Layoffs.fyi people and companies per month of layoff date: the one series, or one export's rows if given."""
    rows = monthly if source_id is None else monthly.filter(pl.col("source_id") == source_id)
    return rows.sort("month")


def fyi_year_totals(monthly: pl.DataFrame, source_id: str | None = None) -> pl.DataFrame:
    """People per calendar year summed from the months (complete years only: twelve months).

    NOTE: source_id is the export of the year's first month; in the one series a year may draw on two.
    """
    return (
        fyi_months(monthly, source_id)
        .group_by(pl.col("month").dt.year().alias("year"))
        .agg(pl.col("employees").sum(), pl.len().alias("months"), pl.col("source_id").first())
        .filter(pl.col("months") == 12)
        .sort("year")
    )


def postings_vintage(postings: pl.DataFrame, series: str, country: str | None = "US",
                     seasonal_adjustment: str | None = None, vintage=None) -> pl.DataFrame:
    """One daily postings series from one vintage (the latest, unless given): values of two vintages never mix.

    ``country=None`` keeps every country.
    """
    df = postings.filter(pl.col("series") == series)
    if country is not None:
        df = df.filter(pl.col("country_code") == country)
    if seasonal_adjustment is not None:
        df = df.filter(pl.col("seasonal_adjustment") == seasonal_adjustment)
    if df.is_empty():
        return df
    vintage = df["vintage"].max() if vintage is None else vintage
    return df.filter(pl.col("vintage") == vintage).sort("date")


def every_seventh_day(daily: pl.DataFrame, start=None, step: int = 7) -> pl.DataFrame:
    """Every seventh (or ``step``-th) day of a daily series, counted from ``start`` (default: its first day).

    Indeed's daily values are already 7-day averages, so one day a week keeps the shape with a seventh of the points.
    """
    start = daily["date"].min() if start is None else start
    return daily.filter(((pl.col("date") - pl.lit(start)).dt.total_days() % step) == 0)
