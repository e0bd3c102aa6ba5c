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


def wage_change(occupations: pl.DataFrame, cpi: pl.DataFrame) -> pl.DataFrame:
    """Median-wage change per occupation from its first to its last year with a BLS median, nominal and real.

    Real change deflates both years to the later year's prices with CPI-U annual averages; it is
    null where either year's CPI is missing (never interpolated).
    """
    # NOTE: where sources give two medians for one occupation and year, the lowest source_id
    # (alphabetical) wins so the choice is stable; the conflict stays visible in occupations.
    medians = (
        occupations.filter(pl.col("annual_median_wage_usd").is_not_null())
        .sort(["soc_code", "year", "source_id"])
        .group_by(["soc_code", "year"], maintain_order=True)
        .first()
    )
    index = _cpi_by_year(cpi)
    ends = medians.group_by("soc_code").agg(
        pl.col("occupation_title").first(),
        pl.col("year").min().alias("from_year"),
        pl.col("year").max().alias("to_year"),
        pl.col("annual_median_wage_usd").sort_by("year").first().alias("from_median_wage_usd"),
        pl.col("annual_median_wage_usd").sort_by("year").last().alias("to_median_wage_usd"),
    ).filter(pl.col("to_year") > pl.col("from_year"))
    out = (
        ends.join(index.rename({"year": "from_year", "cpi": "from_cpi"}), on="from_year", how="left")
        .join(index.rename({"year": "to_year", "cpi": "to_cpi"}), on="to_year", how="left")
        .with_columns(
            (pl.col("to_median_wage_usd") / pl.col("from_median_wage_usd") - 1).alias("nominal_change_share"),
            (
                (pl.col("to_median_wage_usd") / pl.col("to_cpi"))
                / (pl.col("from_median_wage_usd") / pl.col("from_cpi"))
                - 1
            ).alias("real_change_share"),
            pl.col("soc_code").replace_strict(ROLE_GROUPS, default="other").alias("role_group"),
        )
    )
    return out.drop("from_cpi", "to_cpi").sort("soc_code")


def _cpi_by_year(cpi: pl.DataFrame) -> pl.DataFrame:
    # NOTE: one CPI value per year; if sources disagree the lowest source_id wins (stable).
    return (
        cpi.sort(["year", "source_id"])
        .group_by("year", maintain_order=True)
        .first()
        .select("year", pl.col("cpi_u_annual_average").alias("cpi"))
    )


def employment_change(occupations: pl.DataFrame) -> pl.DataFrame:
    """Employment per occupation from its first to its last year with an OEWS estimate, by role group."""
    emp = (
        occupations.filter(pl.col("employment").is_not_null())
        .sort(["soc_code", "year", "source_id"])
        .group_by(["soc_code", "year"], maintain_order=True)
        .first()
    )
    return (
        emp.group_by("soc_code")
        .agg(
            pl.col("occupation_title").first(),
            pl.col("year").min().alias("from_year"),
            pl.col("year").max().alias("to_year"),
            pl.col("employment").sort_by("year").first().alias("from_employment"),
            pl.col("employment").sort_by("year").last().alias("to_employment"),
        )
        .with_columns(
            pl.when(pl.col("to_year") > pl.col("from_year"))
            .then(pl.col("to_employment") / pl.col("from_employment") - 1)
            .alias("employment_change_share"),
            pl.col("soc_code").replace_strict(ROLE_GROUPS, default="other").alias("role_group"),
        )
        .sort("soc_code")
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
