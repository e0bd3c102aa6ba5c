"""Altair charts for the report: titled, with units, tooltips, a source line and a text alternative.

Colours come from the Okabe-Ito palette, which stays distinct for the common colour-vision deficiencies.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from . import transforms as t

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
WIDTH = 620

ATTRIBUTION_LABELS = {
    "ai_named_as_reason": "AI named as a reason",
    "ai_investment_shift": "Cuts to fund AI",
    "none_stated": "No AI link stated",
}


def _publishers(df: pl.DataFrame, sources: pl.DataFrame, limit: int = 4) -> str:
    used = sources.filter(pl.col("source_id").is_in(df["source_id"].unique().implode()))
    names = used.group_by("publisher").len().sort(["len", "publisher"], descending=[True, False])["publisher"].to_list()
    shown = ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")
    return f"Source: {shown} (talentgap sources table)."


def finish(chart: alt.Chart, title: str, subtitle: str, source_line: str, description: str) -> alt.VConcatChart:
    """Title and units on top, the source line underneath, and a description for screen readers."""
    width = WIDTH if chart.width is alt.Undefined else chart.width
    body = chart.properties(width=width, title=alt.TitleParams(title, subtitle=subtitle, anchor="start"))
    return (
        alt.vconcat(body)
        .properties(
            description=description,
            title=alt.TitleParams(source_line, orient="bottom", anchor="start", fontSize=10, fontWeight="normal", color="#444"),
        )
        .configure_range(category=OKABE_ITO)
        .configure_view(strokeWidth=0)
    )


def tracker_totals_chart(totals: pl.DataFrame, sources: pl.DataFrame) -> alt.VConcatChart:
    """Full-year totals of each tracker, side by side by year."""
    df = t.tracker_year_totals(totals).filter(pl.col("tracker").is_in(["layoffs.fyi", "challenger"]))
    df = df.with_columns(
        pl.col("tracker").replace({"layoffs.fyi": "Layoffs.fyi (tech, worldwide)", "challenger": "Challenger (US tech sector)"}).alias("Tracker")
    )
    chart = alt.Chart(df).mark_bar().encode(
        x=alt.X("year:O", title="Year"),
        xOffset="Tracker:N",
        y=alt.Y("employees:Q", title="People laid off", axis=alt.Axis(format=",.0f")),
        color=alt.Color("Tracker:N", legend=alt.Legend(orient="top", title=None)),
        tooltip=[
            alt.Tooltip("Tracker:N"), alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("employees:Q", title="People", format=","), alt.Tooltip("as_of:T", title="Reported"),
            alt.Tooltip("source_id:N", title="Source id"),
        ],
    ).properties(height=260)
    parts = "; ".join(f"{r['Tracker']} {r['year']}: {r['employees']:,}" for r in df.iter_rows(named=True))
    return finish(chart, "Two trackers, two scopes", "People laid off per calendar year", _publishers(df, sources),
                  f"Bar chart of full-year layoff totals by tracker. {parts}.")


def monthly_events_chart(events: pl.DataFrame, sources: pl.DataFrame) -> alt.VConcatChart:
    """Announced headcount per month, stacked by AI attribution."""
    df = (
        events.filter(pl.col("headcount").is_not_null())
        .with_columns(
            pl.col("announced_on").dt.truncate("1mo").alias("month"),
            pl.col("ai_attribution").replace(ATTRIBUTION_LABELS).alias("AI link"),
        )
        .group_by("month", "AI link")
        .agg(pl.col("headcount").sum(), pl.len().alias("announcements"), pl.col("source_id").first())
        .sort("month")
    )
    chart = alt.Chart(df).mark_bar().encode(
        x=alt.X("yearmonth(month):T", title="Month announced"),
        y=alt.Y("headcount:Q", title="People (announced cuts in this dataset)", axis=alt.Axis(format=",.0f")),
        color=alt.Color("AI link:N", sort=list(ATTRIBUTION_LABELS.values()), legend=alt.Legend(orient="top", title=None)),
        tooltip=[
            alt.Tooltip("yearmonth(month):T", title="Month"), alt.Tooltip("AI link:N"),
            alt.Tooltip("headcount:Q", title="People", format=","), alt.Tooltip("announcements:Q", title="Announcements"),
        ],
    ).properties(height=260)
    peak = df.group_by("month").agg(pl.col("headcount").sum()).sort("headcount", descending=True).row(0, named=True)
    return finish(chart, "Announced cuts by month", "Sum of headcounts of the announcements in layoff_events",
                  _publishers(events, sources),
                  f"Stacked bar chart of announced layoffs per month from {df['month'].min()} to {df['month'].max()}; "
                  f"the largest month is {peak['month']:%B %Y} with {peak['headcount']:,} people.")


def attribution_chart(events: pl.DataFrame, sources: pl.DataFrame) -> alt.VConcatChart:
    """Share of announcements per year by AI attribution."""
    df = t.attribution_by_year(events).with_columns(pl.col("ai_attribution").replace(ATTRIBUTION_LABELS).alias("AI link"))
    chart = alt.Chart(df).mark_bar().encode(
        x=alt.X("year:O", title="Year announced"),
        y=alt.Y("announcements:Q", stack="normalize", title="Share of announcements", axis=alt.Axis(format="%")),
        color=alt.Color("AI link:N", sort=list(ATTRIBUTION_LABELS.values()), legend=alt.Legend(orient="top", title=None)),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("AI link:N"),
                 alt.Tooltip("announcements:Q", title="Announcements"), alt.Tooltip("headcount:Q", title="People", format=",")],
    ).properties(height=220)
    linked = df.filter(pl.col("ai_attribution") != "none_stated").group_by("year").agg(pl.col("announcements").sum()).sort("year")
    parts = ", ".join(f"{r['year']}: {r['announcements']}" for r in linked.iter_rows(named=True))
    return finish(chart, "How often companies tied cuts to AI", "Share of announcements in layoff_events, by year",
                  _publishers(events, sources), f"Normalised stacked bars by year. Announcements with an AI link: {parts}.")


def premium_chart(salaries: pl.DataFrame, sources: pl.DataFrame) -> alt.VConcatChart:
    """Reported and computed AI pay premiums, one dot per figure."""
    df = t.ai_pay_premium(salaries).with_columns(pl.col("year").cast(pl.String).fill_null("not stated").alias("Year"))
    chart = alt.Chart(df).mark_circle(size=90, opacity=0.85).encode(
        x=alt.X("premium_share:Q", title="Pay premium over the comparison", axis=alt.Axis(format="%")),
        y=alt.Y("role:N", title=None, sort="-x", axis=alt.Axis(labelLimit=320)),
        color=alt.Color("Year:N", legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("role:N", title="Role"), alt.Tooltip("premium_share:Q", title="Premium", format=".0%"),
                 alt.Tooltip("comparison:N", title="Compared with"), alt.Tooltip("geography:N"),
                 alt.Tooltip("Year:N"), alt.Tooltip("method:N"), alt.Tooltip("source_id:N", title="Source id")],
    ).properties(height=alt.Step(16), width=WIDTH - 200)
    return finish(chart, "The AI pay premium, as reported", "Premium of AI roles or AI skills over the stated comparison",
                  _publishers(df, sources),
                  f"Dot plot of {df.height} premium figures from {df['premium_share'].min():.0%} to {df['premium_share'].max():.0%}.")


def wages_chart(occupations: pl.DataFrame, sources: pl.DataFrame) -> alt.VConcatChart:
    occupations = t.from_files(occupations, sources).filter(pl.col("soc_code").is_in(list(t.ROLE_GROUPS)))
    """BLS median wages per occupation and year."""
    df = occupations.filter(pl.col("annual_median_wage_usd").is_not_null()).with_columns(
        pl.col("soc_code").replace_strict(t.ROLE_GROUPS, default="other").alias("Group")
    )
    chart = alt.Chart(df).mark_line(point=True).encode(
        x=alt.X("year:O", title="May reference year"),
        y=alt.Y("annual_median_wage_usd:Q", title="Annual median wage (USD, nominal)", axis=alt.Axis(format="$,.0f"), scale=alt.Scale(zero=False)),
        color=alt.Color("occupation_title:N", legend=alt.Legend(orient="right", title=None, labelLimit=0)),
        strokeDash=alt.StrokeDash("Group:N", legend=None),
        tooltip=[alt.Tooltip("occupation_title:N", title="Occupation"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("annual_median_wage_usd:Q", title="Median wage", format="$,.0f"), alt.Tooltip("Group:N"),
                 alt.Tooltip("source_id:N", title="Source id")],
    ).properties(height=260, width=WIDTH - 180)
    return finish(chart, "Median pay of tech occupations", "BLS OEWS national workbooks, May reference periods",
                  _publishers(df, sources),
                  f"Line chart of median wages for {df['soc_code'].n_unique()} occupations, {df['year'].min()} to {df['year'].max()}.")


def employment_chart(change: pl.DataFrame, occupations: pl.DataFrame, sources: pl.DataFrame) -> alt.VConcatChart:
    """National employment per tech occupation (latest OEWS year), by role group, from `employment_change`."""
    df = change.filter(~pl.col("role_group").is_in(["total", "other"]))
    chart = alt.Chart(df).mark_bar().encode(
        x=alt.X("to_employment:Q", title="Jobs (national OEWS estimate)", axis=alt.Axis(format=",.0f")),
        y=alt.Y("occupation_title:N", title=None, sort="-x"),
        color=alt.Color("role_group:N", legend=alt.Legend(orient="top", title="Group")),
        tooltip=[alt.Tooltip("occupation_title:N", title="Occupation"), alt.Tooltip("to_year:O", title="Year"),
                 alt.Tooltip("to_employment:Q", title="Jobs", format=","), alt.Tooltip("role_group:N", title="Group")],
    ).properties(height=alt.Step(22))
    years = sorted(set(df["to_year"].to_list()))
    return finish(chart, "Where tech jobs are", f"Employment by occupation, May {', '.join(map(str, years))}",
                  _publishers(t.from_files(occupations, sources), sources),
                  "Bar chart of national employment: " + "; ".join(
                      f"{r['occupation_title']} {r['to_employment']:,}" for r in df.sort("to_employment", descending=True).iter_rows(named=True)))


def postings_chart(ai_demand: pl.DataFrame, sources: pl.DataFrame) -> alt.VConcatChart:
    """Indeed's software-development postings index against its February 2020 baseline."""
    df = t.postings_trend(ai_demand, "indeed_software_development_postings_index")
    base = alt.Chart(df).encode(x=alt.X("period_end:T", title="Date"))
    line = base.mark_line(point=True).encode(
        y=alt.Y("value:Q", title="Index (1 Feb 2020 = 100)"),
        tooltip=[alt.Tooltip("period_end:T", title="Date"), alt.Tooltip("value:Q", title="Index", format=".1f"),
                 alt.Tooltip("source_id:N", title="Source id")],
    )
    rule = alt.Chart(pl.DataFrame({"y": [100]})).mark_rule(strokeDash=[4, 4], color="#666").encode(y="y:Q")
    last = df.row(-1, named=True)
    return finish((line + rule).properties(height=240), "Software-development job postings",
                  "Indeed postings index; dashed line = pre-pandemic baseline", _publishers(df, sources),
                  f"Line chart of the index from {df['period_end'].min()} to {last['period_end']}, peaking at "
                  f"{df['value'].max():.1f} and last at {last['value']:.1f}.")


def confidence_chart(confidence: pl.DataFrame, events: pl.DataFrame, sources: pl.DataFrame) -> alt.VConcatChart:
    """Employee confidence (latest vintage) above the month's announced layoffs."""
    conf = t.latest_vintage(confidence).filter(pl.col("series").is_in(["overall_us", "information_technology"]))
    conf = conf.with_columns(pl.col("series").replace({"overall_us": "All US employees", "information_technology": "Tech (information / IT)"}).alias("Series"))
    months = t.monthly_layoffs(events)
    top = alt.Chart(conf).mark_line(point=True).encode(
        x=alt.X("month:T", title=None, scale=alt.Scale(domain=[str(months["month"].min()), str(months["month"].max())])),
        y=alt.Y("confident_share:Q", title="Positive 6-month outlook", axis=alt.Axis(format="%"), scale=alt.Scale(zero=False)),
        color=alt.Color("Series:N", legend=alt.Legend(orient="top", title=None)),
        tooltip=[alt.Tooltip("Series:N"), alt.Tooltip("yearmonth(month):T", title="Month"),
                 alt.Tooltip("confident_share:Q", title="Confident", format=".1%"), alt.Tooltip("source_id:N", title="Source id")],
    ).properties(height=180, width=WIDTH)
    bottom = alt.Chart(months).mark_bar(color="#999999").encode(
        x=alt.X("month:T", title="Month"),
        y=alt.Y("announced_headcount:Q", title="People (announced)", axis=alt.Axis(format=",.0f")),
        tooltip=[alt.Tooltip("yearmonth(month):T", title="Month"), alt.Tooltip("announced_headcount:Q", title="People", format=","),
                 alt.Tooltip("announcements:Q", title="Announcements")],
    ).properties(height=120, width=WIDTH)
    body = alt.vconcat(top, bottom).properties(
        title=alt.TitleParams("Confidence and layoffs", subtitle="Glassdoor Employee Confidence (top), announced cuts (bottom)", anchor="start")
    )
    low = conf.sort("confident_share").row(0, named=True)
    return (
        alt.vconcat(body)
        .properties(
            description=f"Two stacked charts: confidence readings ({conf.height}) with a low of {low['confident_share']:.1%} "
                        f"({low['Series']}, {low['month']:%B %Y}), above monthly announced layoffs.",
            title=alt.TitleParams(_publishers(conf, sources), orient="bottom", anchor="start", fontSize=10, fontWeight="normal", color="#444"),
        )
        .configure_range(category=OKABE_ITO)
        .configure_view(strokeWidth=0)
    )


AI_SHARE_SERIES = {
    "indeed_ai_or_genai_postings_share": "Indeed: AI or GenAI mentioned (US)",
    "indeed_genai_postings_share": "Indeed: GenAI mentioned (US)",
    "ai_index_ai_postings_share": "AI Index / Lightcast: AI skills required (US)",
}


def ai_share_chart(ai_demand: pl.DataFrame, sources: pl.DataFrame) -> alt.VConcatChart:
    """Share of job postings that mention or require AI, by series, over time."""
    df = ai_demand.filter(pl.col("series").is_in(list(AI_SHARE_SERIES))).with_columns(
        pl.col("series").replace(AI_SHARE_SERIES).alias("Series")
    )
    chart = alt.Chart(df).mark_line(point=alt.OverlayMarkDef(size=60)).encode(
        x=alt.X("period_end:T", title="End of period"),
        y=alt.Y("value:Q", title="Share of job postings", axis=alt.Axis(format=".1%")),
        color=alt.Color("Series:N", legend=alt.Legend(orient="top", title=None, columns=1, labelLimit=0)),
        tooltip=[alt.Tooltip("Series:N"), alt.Tooltip("period_start:T", title="From"), alt.Tooltip("period_end:T", title="To"),
                 alt.Tooltip("value:Q", title="Share", format=".2%"), alt.Tooltip("source_id:N", title="Source id")],
    ).properties(height=220)
    parts = "; ".join(f"{r['Series']} {r['period_end']}: {r['value']:.2%}" for r in df.sort("period_end").iter_rows(named=True))
    return finish(chart, "AI in job postings", "Share of postings, by series (definitions differ between series)",
                  _publishers(df, sources), f"Line chart of AI shares of job postings. {parts}.")
