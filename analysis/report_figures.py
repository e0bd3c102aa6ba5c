"""The numbers the report's pages print, each recorded with the rows behind it (see `provenance`)."""

from __future__ import annotations

import polars as pl

from . import provenance as prov
from . import transforms as t
from .figures import confidence_series, sentiment_series, drawn_events, premium_rows, real_wage_chart, reconciliation

FYI = "Layoffs.fyi monthly series (layoffs_fyi_monthly: each month from the newest export covering it, source_id per month)"


def _fyi_months(tb) -> pl.DataFrame:
    return t.fyi_months(tb["layoffs_fyi_monthly"]).select("month", "employees", "companies", "source_id")


def _record_layoffs(rec: prov.Recorder, prefix: str = "") -> None:
    tb = rec.tables
    months = _fyi_months(tb)
    totals = t.fyi_year_totals(tb["layoffs_fyi_monthly"])
    years = totals["year"].to_list()
    for year in years:
        rows = months.filter(pl.col("month").dt.year() == year)
        rec.add(f"{prefix}fyi-{year}", rows, op="sum", column="employees", what=f"People laid off in {year}, Layoffs.fyi",
                tables=["layoffs_fyi_monthly"], how=f"The twelve months of {year} in the {FYI}.")
    span = months.filter(pl.col("month").dt.year().is_between(min(years), max(years)))
    rec.add(f"{prefix}fyi-{min(years)}-{max(years)}", span, op="sum", column="employees",
            what=f"People laid off {min(years)}-{max(years)}, Layoffs.fyi", tables=["layoffs_fyi_monthly"],
            how=f"Every month of {min(years)} to {max(years)} in the {FYI}.")
    peak = months.sort(["employees", "month"], descending=[True, False]).head(1)
    rec.add(f"{prefix}fyi-peak-month", peak, op="value", column="employees", what=f"Largest month, Layoffs.fyi ({peak['month'][0]:%B %Y})",
            tables=["layoffs_fyi_monthly"], how=f"The month with the most people laid off in the {FYI}.")


@prov.group("summary")
def _summary(rec: prov.Recorder) -> None:
    tb = rec.tables
    _record_layoffs(rec, prefix="summary-")
    ch = t.tracker_year_totals(tb["layoff_tracker_totals"]).filter(pl.col("tracker") == "challenger")
    peak = ch.sort(["employees", "year"], descending=[True, False]).head(1)
    rec.add("summary-challenger-peak", peak.select("tracker", "scope", "year", "employees", "as_of", "source_id"), op="value",
            column="employees", what=f"Challenger's largest yearly total of US tech job cuts ({peak['year'][0]})",
            tables=["layoff_tracker_totals"], how="The latest full-year row of each year for tracker challenger; the largest.")
    groups = tb["employment_change_groups"]
    for g in ("routine", "ai_adjacent"):
        rows = groups.filter(pl.col("role_group") == g)
        occ = tb["employment_change"].filter(pl.col("role_group") == g)
        ids = t.from_files(tb["occupations"], tb["sources"]).filter(
            pl.col("soc_code").is_in(occ["soc_code"].implode()) & pl.col("year").is_in([rows["from_year"][0], rows["to_year"][0]]))["source_id"]
        rec.add(f"summary-jobs-{g.replace('_', '-')}", rows, op="value", column="employment_change_share", fmt=prov.pct(1, signed=True),
                what=f"Change in jobs, {g.replace('_', '-')} occupations, May {rows['from_year'][0]} to May {rows['to_year'][0]}",
                tables=["employment_change_groups", "occupations"], how=f"The row of role group {g} (BLS OEWS workbooks).",
                sources=ids.to_list())
    _record_postings(rec, prefix="summary-")
    _record_rate(rec, prefix="summary-")
    conf = t.latest_vintage(tb["confidence"]).filter(pl.col("series") == "overall_us")
    low = conf.sort(["confident_share", "month"]).head(1).select("series", "month", "as_of", "confident_share", "source_id")
    rec.add("summary-confidence-low", low, op="value", column="confident_share", fmt=prov.pct(1),
            what=f"Lowest share of US employees with a positive outlook ({low['month'][0]:%B %Y}), Glassdoor",
            tables=["confidence"], how="Series overall_us, latest vintage of each month; the lowest.")
    _record_verdicts(rec, prefix="summary-")


def _record_postings(rec: prov.Recorder, prefix: str = "") -> None:
    p = rec.tables["postings_daily"]
    sw = t.postings_vintage(p, "software_development_postings_index", seasonal_adjustment="sa").select(
        "series", "country_code", "seasonal_adjustment", "date", "value", "vintage", "source_id")
    how = f"Series software_development_postings_index, US, seasonally adjusted, vintage {sw['vintage'][0]}"
    peak = sw.sort(["value", "date"], descending=[True, False]).head(1)
    rec.add(f"{prefix}postings-peak", peak, op="value", column="value", fmt=prov.number(1),
            what=f"Peak of Indeed's software-development postings index ({peak['date'][0]:%d %B %Y})", tables=["postings_daily"],
            how=how + "; the highest day.")
    last = sw.tail(1)
    rec.add(f"{prefix}postings-last", last, op="value", column="value", fmt=prov.number(1),
            what=f"Indeed's software-development postings index on {last['date'][0]:%d %B %Y}", tables=["postings_daily"],
            how=how + "; the last day.")
    # NOTE: the total index runs later than the software one; the two are compared on the software series' last day.
    total = t.postings_vintage(p, "total_postings_index", seasonal_adjustment="sa").filter(pl.col("date") == last["date"][0]).select(
        "series", "country_code", "seasonal_adjustment", "date", "value", "vintage", "source_id")
    rec.add(f"{prefix}postings-all-same-day", total, op="value", column="value", fmt=prov.number(1),
            what=f"Indeed's total postings index on {last['date'][0]:%d %B %Y}, the last day of the software series",
            tables=["postings_daily"], how=f"Series total_postings_index, US, seasonally adjusted, vintage {total['vintage'][0]}; "
            f"day {last['date'][0]}.")
    ai = t.postings_vintage(p, "ai_share_of_postings").select(
        "series", "country_code", "date", "value", "vintage", "source_id").tail(1)
    rec.add(f"{prefix}ai-share-us-last", ai, op="value", column="value", fmt=lambda v: f"{v:.2f}%",
            what=f"Share of US postings on Indeed mentioning AI on {ai['date'][0]:%d %B %Y} (percent)", tables=["postings_daily"],
            how=f"Series ai_share_of_postings, US, vintage {ai['vintage'][0]}; the last day.")


def _record_rate(rec: prov.Recorder, prefix: str = "") -> None:
    rates = rec.tables["rates"].filter(pl.col("month") >= pl.date(2022, 1, 1))
    peak = rates.sort(["rate_percent", "month"], descending=[True, False]).head(1)
    rec.add(f"{prefix}rate-peak", peak, op="value", column="rate_percent", fmt=lambda v: f"{v:.2f}%",
            what=f"Highest federal funds effective rate since 2022 ({peak['month'][0]:%B %Y}), monthly", tables=["rates"],
            how="FEDFUNDS from January 2022; the highest month (the earliest, on ties).")


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


@prov.group("layoffs")
def _layoffs(rec: prov.Recorder) -> None:
    tb = rec.tables
    _record_layoffs(rec)
    rec_rows = reconciliation(tb)
    for year in sorted(set(rec_rows["year"].to_list())):
        rows = rec_rows.filter(pl.col("year") == year)
        ch = rows.filter(pl.col("tracker") == "Challenger")
        rec.add(f"challenger-{year}", ch, op="value", column="people", what=f"US tech job cuts announced in {year}, Challenger",
                tables=["layoff_tracker_totals"], how=f"Challenger's latest-reported full-year row for {year}.")
        ratio = rows.with_columns(pl.when(pl.col("tracker") == "Layoffs.fyi").then(pl.lit("numerator")).otherwise(pl.lit("denominator")).alias("term"))
        rec.add(f"ratio-{year}", ratio, op="ratio", column="people", fmt=prov.times(1),
                what=f"Layoffs.fyi's {year} total divided by Challenger's", tables=["layoffs_fyi_monthly", "layoff_tracker_totals"],
                how=f"Layoffs.fyi's {year} (sum of its months in the {FYI}) and Challenger's full-year row for {year}.")
    ev = tb["layoff_events"]
    rec.add("events-count", ev.select("company", "announced_on", "headcount", "source_id"), op="count",
            what="Announcements in our curated list", tables=["layoff_events"], how="Every row of layoff_events.")
    drawn = drawn_events(ev)
    for ident, rows, what in (("events-drawn", drawn.filter(pl.col("plan_until").is_null()), "Announcements drawn as dots on the layoff chart"),
                              ("events-plans", drawn.filter(pl.col("plan_until").is_not_null()), "Multi-year plans drawn as diamonds on the layoff chart"),
                              ("events-no-headcount", ev.filter(pl.col("headcount").is_null()), "Announcements without a stated number of people")):
        rec.add(ident, rows.select("company", "announced_on", "headcount", "source_id"), op="count", what=what,
                tables=["layoff_events"], how="Rows of layoff_events selected as the layoff chart selects them.")
    big = drawn.filter(pl.col("plan_until").is_null() & (pl.col("headcount") >= 10000)).select("company", "announced_on", "headcount", "source_id")
    rec.add("events-10000", big, op="count", what="Announcements drawn as dots of 10,000 people or more in our list",
            tables=["layoff_events"], how="Rows of layoff_events with headcount of 10,000 or more, multi-year plans excepted.")
    linked = ev.filter(pl.col("ai_attribution") != "none_stated").select("company", "announced_on", "ai_attribution", "source_id")
    rec.add("events-ai-linked", linked, op="count", what="Announcements whose company tied the cuts to AI",
            tables=["layoff_events"], how="Rows of layoff_events whose ai_attribution is not none_stated.")


@prov.group("skills")
def _skills(rec: prov.Recorder) -> None:
    tb = rec.tables
    occ = t.from_files(tb["occupations"], tb["sources"])
    for g in ("routine", "ai_adjacent", "core_tech"):
        rows = tb["employment_change_groups"].filter(pl.col("role_group") == g)
        members = tb["employment_change"].filter(pl.col("role_group") == g)["soc_code"]
        ids = occ.filter(pl.col("soc_code").is_in(members.implode()) & pl.col("year").is_in([rows["from_year"][0], rows["to_year"][0]]))["source_id"]
        name = g.replace("_", "-")
        for col, fmt, what in (("to_employment", prov.integer, f"Jobs in {name} occupations, May {rows['to_year'][0]}"),
                               ("employment_change_share", prov.pct(1, signed=True), f"Change in jobs, {name} occupations, May {rows['from_year'][0]} to May {rows['to_year'][0]}")):
            rec.add(f"jobs-{name}-{'level' if col == 'to_employment' else 'change'}", rows, op="value", column=col, fmt=fmt, what=what,
                    tables=["employment_change_groups", "occupations"], how=f"The row of role group {g}; its occupations' workbook rows are its sources.",
                    sources=ids.to_list())
    _record_postings(rec)
    p = tb["postings_daily"]
    total = t.postings_vintage(p, "total_postings_index", seasonal_adjustment="sa").select(
        "series", "country_code", "seasonal_adjustment", "date", "value", "vintage", "source_id").tail(1)
    rec.add("postings-all-last", total, op="value", column="value", fmt=prov.number(1),
            what=f"Indeed's total postings index on {total['date'][0]:%d %B %Y}", tables=["postings_daily"],
            how=f"Series total_postings_index, US, seasonally adjusted, vintage {total['vintage'][0]}; the last day.")
    ai = t.postings_vintage(p, "ai_share_of_postings", country=None)
    last_day = ai["date"].max()
    latest = ai.filter(pl.col("date") == last_day).select("series", "country_code", "date", "value", "vintage", "source_id")
    top = latest.sort("value", descending=True).head(1)
    rec.add("ai-share-top-country", top, op="value", column="value", fmt=lambda v: f"{v:.2f}%",
            what=f"Highest share of postings mentioning AI among the nine countries on {last_day:%d %B %Y} ({top['country_code'][0]}, percent)",
            tables=["postings_daily"], how=f"Series ai_share_of_postings, vintage {top['vintage'][0]}, day {last_day}; the largest of the nine countries.")
    us = ai.filter(pl.col("country_code") == "US").select("series", "country_code", "date", "value", "vintage", "source_id")
    start = us.filter(pl.col("date") == pl.date(2022, 1, 1))
    rec.add("ai-share-us-2022", start, op="value", column="value", fmt=lambda v: f"{v:.2f}%",
            what="Share of US postings on Indeed mentioning AI on 1 January 2022 (percent)", tables=["postings_daily"],
            how=f"Series ai_share_of_postings, US, vintage {start['vintage'][0]}, day 2022-01-01.")


@prov.group("premium")
def _premium(rec: prov.Recorder) -> None:
    tb = rec.tables
    prem = premium_rows(tb)
    for ident, op, what in (("premium-largest", "max", "Largest AI pay premium drawn on the premium chart (percent)"),
                            ("premium-smallest", "min", "Smallest AI pay premium drawn on the premium chart (percent)")):
        rec.add(ident, prem, op=op, column="premium_percent", fmt=lambda v: f"{v:.0f}%", what=what, tables=["salaries"],
                how="Every premium figure the chart draws (reported, or computed from two reported pay levels).")
    rec.add("premium-figures", prem, op="count", what="Premium figures drawn on the premium chart", tables=["salaries"],
            how="Every premium figure the chart draws.")
    wc = tb["wage_change"]
    span = wc.filter((pl.col("soc_code") == "15-1252") & (pl.col("from_year") == wc["from_year"].min()) & (pl.col("to_year") == wc["to_year"].max()))
    ids = t.from_files(tb["occupations"], tb["sources"]).filter(
        (pl.col("soc_code") == "15-1252") & pl.col("year").is_in([span["from_year"][0], span["to_year"][0]]))["source_id"].to_list()
    ids += tb["cpi_monthly"].filter(pl.col("month").dt.month() == 5)["source_id"].unique().to_list()
    for col, what in (("nominal_change_share", "nominal"), ("real_change_share", "real")):
        rec.add(f"wage-software-{what}", span, op="value", column=col, fmt=prov.pct(1, signed=True),
                what=f"Change in software developers' median wage, May {span['from_year'][0]} to May {span['to_year'][0]}, {what}",
                tables=["wage_change", "occupations", "cpi_monthly"], how="The row of wage_change for SOC 15-1252 over the longest span.",
                sources=ids)
    allocc = wc.filter((pl.col("soc_code") == "00-0000") & (pl.col("from_year") == wc["from_year"].min()) & (pl.col("to_year") == wc["to_year"].max()))
    rec.add("wage-all-real", allocc, op="value", column="real_change_share", fmt=prov.pct(1, signed=True),
            what=f"Change in the median wage of all occupations, May {allocc['from_year'][0]} to May {allocc['to_year'][0]}, real",
            tables=["wage_change", "occupations", "cpi_monthly"], how="The row of wage_change for SOC 00-0000 over the longest span.",
            sources=ids)
    grid = real_wage_chart(tb).data
    neg = grid.filter(pl.col("real_percent") < 0)
    rec.add("wage-pairs-real-fall", neg, op="count", what="Pairs of years and occupations whose real median wage fell (real wage chart)",
            tables=["wage_change"], how="The cells of the real wage chart with a negative real change.", sources=ids)
    rec.add("wage-pairs", grid, op="count", what="Pairs of years and occupations on the real wage chart",
            tables=["wage_change"], how="Every cell of the real wage chart.", sources=ids)


@prov.group("why")
def _why(rec: prov.Recorder) -> None:
    tb = rec.tables
    rates = tb["rates"]
    feb = rates.filter(pl.col("month") == pl.date(2022, 2, 1))
    rec.add("rate-2022-02", feb, op="value", column="rate_percent", fmt=lambda v: f"{v:.2f}%",
            what="Federal funds effective rate, February 2022 (monthly)", tables=["rates"], how="FEDFUNDS, month 2022-02.")
    _record_rate(rec)
    last = rates.tail(1)
    rec.add("rate-last", last, op="value", column="rate_percent", fmt=lambda v: f"{v:.2f}%",
            what=f"Federal funds effective rate, {last['month'][0]:%B %Y} (monthly)", tables=["rates"], how="FEDFUNDS, the last month.")
    _record_postings(rec, prefix="why-")
    _record_layoffs(rec, prefix="why-")
    first_ai = tb["milestones"].filter(pl.col("milestone_kind") == "ai_product").sort("date").head(1)
    before = _fyi_months(tb).filter(pl.col("month") < first_ai["date"][0].replace(day=1))
    rec.add("why-fyi-before-ai-milestone", before, op="sum", column="employees",
            what=f"People laid off before the month of the first AI product milestone ({first_ai['label'][0]}, "
                 f"{first_ai['date'][0]:%B %Y}), Layoffs.fyi", tables=["layoffs_fyi_monthly", "milestones"],
            how=f"Every month of the {FYI} before {first_ai['date'][0]:%B %Y}.", sources=first_ai["source_id"].to_list())
    ev = tb["layoff_events"]
    linked = ev.filter(pl.col("ai_attribution") != "none_stated").select("company", "announced_on", "ai_attribution", "source_id")
    rec.add("why-events-ai-linked", linked, op="count", what="Announcements whose company tied the cuts to AI",
            tables=["layoff_events"], how="Rows of layoff_events whose ai_attribution is not none_stated.")
    rec.add("why-events-count", ev.select("company", "announced_on", "source_id"), op="count",
            what="Announcements in our curated list", tables=["layoff_events"], how="Every row of layoff_events.")


MORALE_SERIES = {"All US employees": "overall-us", "Tech: 'information' sector": "tech-information", "Tech: IT industry": "tech-it"}


@prov.group("morale")
def _morale(rec: prov.Recorder) -> None:
    conf = confidence_series(rec.tables["confidence"]).select("series", "name", "month", "as_of", "confident_share", "source_id")
    for name, slug in MORALE_SERIES.items():
        s = conf.filter(pl.col("name") == name).sort("month")
        for which, rows in (("first", s.head(1)), ("last", s.tail(1)), ("low", s.sort(["confident_share", "month"]).head(1))):
            rec.add(f"confidence-{slug}-{which}", rows, op="value", column="confident_share", fmt=prov.pct(1),
                    what=f"Share with a positive outlook, {name}, {rows['month'][0]:%B %Y} ({which} reading), Glassdoor",
                    tables=["confidence"], how=f"The {which} reading of the chart's series {name!r} (latest version of each month).")
    senti = sentiment_series(rec.tables["consumer_sentiment"])
    for which, rows in (("low", senti.sort(["value", "date"]).head(1)), ("last", senti.tail(1))):
        rec.add(f"sentiment-{which}", rows, op="value", column="value", fmt=prov.number(1),
                what=f"Index of consumer sentiment, {rows['date'][0]:%B %Y} ({which} reading since January 2020), University of Michigan",
                tables=["consumer_sentiment"], how=f"The {which} monthly value of the index from January 2020 on, as the chart draws it.")
    months = _fyi_months(rec.tables)
    peak = months.sort(["employees", "month"], descending=[True, False]).head(1)
    rec.add("morale-fyi-peak-month", peak, op="value", column="employees", what=f"Largest month, Layoffs.fyi ({peak['month'][0]:%B %Y})",
            tables=["layoffs_fyi_monthly"], how=f"The month with the most people laid off in the {FYI}.")


@prov.group("claims")
def _claims(rec: prov.Recorder) -> None:
    _record_verdicts(rec)
