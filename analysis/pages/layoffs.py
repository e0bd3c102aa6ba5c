"""report/layoffs.qmd: the layoff wave, two trackers reconciled, what companies said about AI.

Everything the page prints comes from here: the figures of provenance group ``layoffs`` (each with its rows),
three chart blocks and four tables. Layoffs.fyi's monthly series (``_record_layoffs``, ``_fyi_months``) also
serves the summary, why and morale pages, which import it from here. Reads the release's tables
layoffs_fyi_monthly, layoff_tracker_totals, layoff_events and layoff_event_conflicts.
"""

from __future__ import annotations

import altair as alt
import polars as pl
from IPython.display import HTML

from .. import provenance as prov
from .. import transforms as t
from ..figures import (BLUE, ORANGE, SKY, VERMILION, WAVE_DOMAIN, ChartBlock, _x_time, block, colour_name, day_text,
                       export_date, label_layers, label_rows, month_text, time_range_domain, time_range_filter,
                       time_range_params)
from ..report import fmt_int, fmt_share, html_table, tables


FYI = "Layoffs.fyi monthly series (layoffs_fyi_monthly: each month from the newest export covering it, source_id per month)"

ATTRIBUTION_LABELS = {
    "ai_named_as_reason": "AI named as a reason",
    "ai_investment_shift": "Cuts to fund AI",
    "none_stated": "No AI link stated",
}

EVENT_COLOUR = VERMILION

PLAN_RE = r"by (20[0-9][0-9])"

WAVE_TOP_PX = 220

TRACKER_NAMES = {"layoffs.fyi": "Layoffs.fyi", "challenger": "Challenger"}


# ---------------------------------------------------------------- rows
def _fyi_months(tb) -> pl.DataFrame:
    return t.fyi_months(tb["layoffs_fyi_monthly"]).select("month", "employees", "companies", "source_id")


def drawn_events(events: pl.DataFrame) -> pl.DataFrame:
    """The announcements the layoff chart draws: those with a stated headcount, with the end year of a multi-year plan.

    NOTE: an announcement whose notes say the cuts run "by <year>" past the year after the announcement is
    a multi-year plan (BT's "up to 55,000 by 2030"); it is drawn as a hollow marker and flagged, not as a month's cut.
    """
    plan = pl.col("notes").fill_null("").str.extract(PLAN_RE, 1).cast(pl.Int32, strict=False)
    return events.filter(pl.col("headcount").is_not_null()).with_columns(
        pl.when(plan > pl.col("announced_on").dt.year() + 1).then(plan).otherwise(None).alias("plan_until"))


def reconciliation(tb: dict) -> pl.DataFrame:
    """Per year and tracker: Layoffs.fyi summed from its export's months, Challenger's latest full-year total."""
    fyi = t.fyi_year_totals(tb["layoffs_fyi_monthly"]).select(
        "year", pl.lit("Layoffs.fyi").alias("tracker"), pl.col("employees").alias("people"), "source_id")
    ch = t.tracker_year_totals(tb["layoff_tracker_totals"]).filter(pl.col("tracker") == "challenger").select(
        "year", pl.lit("Challenger").alias("tracker"), pl.col("employees").alias("people"), "source_id")
    years = set(fyi["year"].to_list()) & set(ch["year"].to_list())
    return pl.concat([fyi, ch.with_columns(pl.col("year").cast(pl.Int32))]).filter(pl.col("year").is_in(list(years))).sort(["year", "tracker"], descending=[False, True])


# ---------------------------------------------------------------- figures
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


# ---------------------------------------------------------------- charts
def layoff_wave_chart(tb: dict) -> ChartBlock:
    """Layoffs.fyi people per month (bars), our announcements as markers, companies per month below."""
    months = t.fyi_months(tb["layoffs_fyi_monthly"]).select(
        pl.lit("month").alias("layer"), pl.col("month").alias("date"), pl.col("employees").alias("people"),
        "companies", pl.lit(None, pl.String).alias("label"), "source_id")
    ev = drawn_events(tb["layoff_events"])
    top = set(ev.sort(["headcount", "announced_on"], descending=[True, False]).head(6)["company"].to_list())
    events = ev.select(
        pl.when(pl.col("plan_until").is_not_null()).then(pl.lit("plan")).otherwise(pl.lit("announcement")).alias("layer"),
        pl.col("announced_on").alias("date"), pl.col("headcount").alias("people"),
        pl.lit(None, pl.Int64).alias("companies"),
        pl.when(pl.col("plan_until").is_not_null()).then(pl.format("{} (plan to {})", "company", "plan_until"))
        .when(pl.col("company").is_in(list(top)) & (pl.col("headcount") >= 14000)).then(pl.col("company")).otherwise(None).alias("label_shown"),
        "company", "source_id",
    ).with_columns(pl.col("company").alias("label")).drop("company").sort("date")
    # NOTE: each label goes level with, above or below its marker, or is left off (the marker keeps its tooltip),
    # so that no two labels overlap on a 390 px phone (tests/test_explore.py measures them).
    events = label_rows(events, WAVE_DOMAIN, WAVE_TOP_PX, max(months["people"].max(), events["people"].max()))
    data = pl.concat([months.with_columns(pl.lit(None, pl.String).alias("label_shown"), pl.lit(None, pl.String).alias("label_row")),
                      events.select(months.columns + ["label_shown", "label_row"])], how="vertical").sort(["layer", "date"])
    data = data.join(tb["sources"].select("source_id", pl.col("publisher").alias("source")), on="source_id", how="left")
    # NOTE: the reader narrows the years drawn with two sliders (both panels share them); labels placed apart over
    # the whole span stay apart over a part of it, which is drawn wider.
    start, end = time_range_params(int(WAVE_DOMAIN[0][:4]), int(WAVE_DOMAIN[1][:4]))
    domain, in_range = time_range_domain(start, end, WAVE_DOMAIN[1]), time_range_filter(start, end)
    x = _x_time(domain)
    is_event = (alt.datum.layer == "announcement") | (alt.datum.layer == "plan")
    bars = alt.Chart().transform_filter(alt.datum.layer == "month").transform_filter(in_range).mark_bar(
        color=BLUE, opacity=0.75, clip=True).encode(
        x=alt.X("yearmonth(date):T", title=None, scale=alt.Scale(domain=domain),
                axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("people:Q", title="People", axis=alt.Axis(format="~s")),
        tooltip=[alt.Tooltip("yearmonth(date):T", title="Month"), alt.Tooltip("people:Q", title="People (Layoffs.fyi)", format=","),
                 alt.Tooltip("companies:Q", title="Companies"), alt.Tooltip("source:N", title="Source")])
    tip = [alt.Tooltip("label:N", title="Announcement"), alt.Tooltip("date:T", title="Announced", format="%d %b %Y"),
           alt.Tooltip("people:Q", title="People (announced)", format=","), alt.Tooltip("source:N", title="Source")]
    dots = alt.Chart().transform_filter(alt.datum.layer == "announcement").transform_filter(in_range).mark_circle(
        color=EVENT_COLOUR, size=28, opacity=0.8, clip=True).encode(x=x, y="people:Q", tooltip=tip)
    plans = alt.Chart().transform_filter(alt.datum.layer == "plan").transform_filter(in_range).mark_point(
        color=EVENT_COLOUR, shape="diamond", filled=False, size=60, strokeWidth=1.6, clip=True).encode(x=x, y="people:Q", tooltip=tip)
    names = label_layers(alt.Chart().transform_filter(is_event & alt.expr.isValid(alt.datum.label_shown)).transform_filter(in_range),
                         x, "people:Q", fontSize=10, color=EVENT_COLOUR)
    top_view = alt.layer(bars, dots, plans, *names).properties(width="container", height=WAVE_TOP_PX)
    comp = alt.Chart().transform_filter(alt.datum.layer == "month").transform_filter(in_range).mark_bar(color=SKY, clip=True).encode(
        x=alt.X("yearmonth(date):T", title=None, scale=alt.Scale(domain=domain), axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("companies:Q", title="Companies"),
        tooltip=[alt.Tooltip("yearmonth(date):T", title="Month"), alt.Tooltip("companies:Q", title="Companies (Layoffs.fyi)"),
                 alt.Tooltip("source:N", title="Source")]).properties(width="container", height=90)
    chart = alt.vconcat(top_view, comp, spacing=8, params=[start.param, end.param])
    m = months.sort(["people", "date"], descending=[True, False]).row(0, named=True)
    last = months.row(-1, named=True)
    n_plans = events.filter(pl.col("layer") == "plan").height
    n_dots = events.height - n_plans
    undrawn = tb["layoff_events"].height - events.height
    return block(
        "layoff-wave", chart, data, tb["sources"], f"The largest month of tech layoffs was {month_text(m['date'])}",
        ["Bars: people (top) and companies (bottom) per month, Layoffs.fyi",
         f"{colour_name(EVENT_COLOUR).capitalize()} dots: single announcements in our list, not summed"],
        f"Monthly layoffs counted by Layoffs.fyi from {months['date'].min():%B %Y} to {last['date']:%B %Y}; the largest month is "
        f"{m['date']:%B %Y} with {m['people']:,} people. Dots mark {n_dots} announcements from our curated list at "
        f"their announced size; hollow diamonds mark {n_plans} multi-year plans.",
        method=(f"Bars count people laid off by tech companies worldwide as listed by Layoffs.fyi, by month of the layoff; "
                f"layoffs of unknown size count as none. Each dot is one announcement at its announced size ({n_dots} drawn; "
                f"{undrawn} announcements without a stated number of people are not drawn). A hollow diamond is a plan spread "
                f"over several years ({n_plans} drawn), placed at its announcement date: it is not a month's cut. "
                f"Layoffs.fyi adds and edits entries after the fact; drawn: each month from the newest of its exports that covers it whole ({export_date(tb, months)}). "
                f"The sliders below the chart narrow the years drawn."),
        through={"Layoffs.fyi": month_text(last["date"]), "Our list of announcements": day_text(events["date"].max())},
        facts={"dots": n_dots, "plans": n_plans, "undrawn": undrawn, "dot_colour": colour_name(EVENT_COLOUR)})


def trackers_chart(tb: dict) -> ChartBlock:
    """Each tracker's calendar-year total side by side: Layoffs.fyi (summed from its export) and Challenger."""
    data = reconciliation(tb).select("year", "tracker", "people", "source_id").join(
        tb["sources"].select("source_id", pl.col("publisher").alias("source")), on="source_id", how="left")
    chart = alt.layer(
        alt.Chart().mark_bar().encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)), xOffset="tracker:N",
            y=alt.Y("people:Q", title="People", axis=alt.Axis(format="~s")),
            color=alt.Color("tracker:N", scale=alt.Scale(domain=["Layoffs.fyi", "Challenger"], range=[BLUE, ORANGE]),
                            legend=alt.Legend(orient="top", title=None)),
            tooltip=[alt.Tooltip("tracker:N", title="Tracker"), alt.Tooltip("year:O", title="Year"),
                     alt.Tooltip("people:Q", title="People", format=","), alt.Tooltip("source:N", title="Source")]),
    ).properties(width="container", height=220)
    parts = "; ".join(f"{r['tracker']} {r['year']}: {r['people']:,}" for r in data.iter_rows(named=True))
    wide = data.pivot(on="tracker", index="year", values="people")
    higher = wide.filter(pl.col("Layoffs.fyi") > pl.col("Challenger"))["year"].to_list()
    title = (f"Layoffs.fyi counts more than Challenger in {len(higher)} of {wide.height} years" if higher
             else "Challenger counts more than Layoffs.fyi every year")
    return block("trackers-by-year", chart, data, tb["sources"], title,
                 "Layoffs.fyi: tech companies worldwide; Challenger: US tech employers",
                 f"Bar chart of people laid off per calendar year by tracker. {parts}.",
                 method=("The two trackers count different things, so neither is the true total. Layoffs.fyi lists layoffs at "
                         "tech companies anywhere in the world, dated by the layoff, as reported in the press; we add up its months. "
                         "Challenger, Gray & Christmas counts job cuts announced by employers based in the United States that it "
                         "classes as technology, dated by the announcement, including cuts planned but not yet made; we show its "
                         "latest full-year figure for each year."),
                 through={"Both trackers": f"full year {data['year'].max()}"},
                 facts={"years_fyi_higher": higher})


def attribution_chart(tb: dict) -> ChartBlock:
    """Share of announcements per year by AI attribution, with each year's number of announcements (n) above its bar."""
    events = tb["layoff_events"]
    data = t.attribution_by_year(events).with_columns(pl.col("ai_attribution").replace(ATTRIBUTION_LABELS).alias("ai_link")).select(
        "year", "ai_link", "announcements", "headcount").with_columns(
        pl.col("announcements").sum().over("year").alias("announcements_in_year"))
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0))
    bars = alt.Chart().mark_bar().encode(
        x=x,
        y=alt.Y("announcements:Q", stack="normalize", title="Share of announcements", axis=alt.Axis(format="%")),
        color=alt.Color("ai_link:N", sort=list(ATTRIBUTION_LABELS.values()), legend=alt.Legend(orient="top", title=None, columns=2)),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("ai_link:N", title="AI link"),
                 alt.Tooltip("announcements:Q", title="Announcements"), alt.Tooltip("announcements_in_year:Q", title="Announcements that year"),
                 alt.Tooltip("headcount:Q", title="People", format=",")])
    n = alt.Chart().transform_aggregate(n="max(announcements_in_year)", groupby=["year"]).transform_calculate(
        label="'n=' + datum.n").mark_text(baseline="bottom", dy=-3, fontSize=11, color="#333").encode(
        x=x, y=alt.value(0), text="label:N")
    chart = alt.layer(bars, n).properties(width="container", height=200)
    linked = data.filter(pl.col("ai_link") != ATTRIBUTION_LABELS["none_stated"]).group_by("year").agg(pl.col("announcements").sum()).sort("year")
    parts = ", ".join(f"{r['year']}: {r['announcements']}" for r in linked.iter_rows(named=True))
    totals = data.group_by("year").agg(pl.col("announcements_in_year").first()).sort("year")
    ns = ", ".join(f"{r['year']}: {r['announcements_in_year']}" for r in totals.iter_rows(named=True))
    share = linked["announcements"].sum() / events.height
    return block("ai-attribution", chart, data, tb["sources"],
                 f"Companies named AI in {share:.0%} of the announced cuts in our list",
                 "Share of announcements by year; n = announcements that year",
                 f"Normalised stacked bars by year. Announcements per year: {ns}. Announcements with an AI link: {parts}.",
                 method=("Each bar splits one year's announcements in our list by what the company itself said: AI named as a "
                         "reason, cuts made to fund AI, or no AI link stated. Press speculation does not count. Years with few "
                         "announcements (small n) swing widely. Our list is the widely reported core, not a census, and a "
                         "company's stated reason is not proof of cause."),
                 through={"Our list of announcements": day_text(events["announced_on"].max())},
                 source_ids=events["source_id"].to_list(), facts={"n_by_year": dict(totals.iter_rows())})


# ---------------------------------------------------------------- tables
TRACKER_SCOPES = pl.DataFrame({
    "tracker": ["Layoffs.fyi", "Challenger, Gray & Christmas"],
    "geography": ["Worldwide (companies anywhere)", "Employers based in the United States"],
    "sector": ["Tech companies and startups it lists", "Employers it classes in its technology industry"],
    "what": ["Layoffs reported in the press or by the company, dated by the layoff", "Job cuts announced, dated by the announcement; plans, not layoffs carried out"],
    "unit": ["People (layoffs of unknown size count as none)", "Job cuts announced"],
    "how_we_read_it": ["Sum of the months of its list (each month from the newest export covering it)", "Its latest full-year figure for each year"],
})


def tracker_scopes() -> HTML:
    """What each tracker counts, in words (no figures)."""
    return html_table(TRACKER_SCOPES, {"Tracker": "tracker", "Geography": "geography", "Sector": "sector",
                                       "Counts": "what", "Unit": "unit", "Read here as": "how_we_read_it"})


def reconciliation_table(figs: dict) -> HTML:
    """Per year: Layoffs.fyi, Challenger and their ratio, each cell a link to its provenance entry."""
    years = sorted(int(k.split("-")[1]) for k in figs if k.startswith("ratio-"))
    rows = "".join(
        f"<tr><td>{y}</td><td>{figs[f'fyi-{y}'].link()}</td><td>{figs[f'challenger-{y}'].link()}</td>"
        f"<td>{figs[f'ratio-{y}'].link()}</td></tr>" for y in years
    )
    return HTML('<div class="tg-table"><table><thead><tr><th>Year</th><th>Layoffs.fyi (people)</th>'
                '<th>Challenger (announced cuts)</th><th>Ratio, Layoffs.fyi / Challenger</th></tr></thead>'
                f"<tbody>{rows}</tbody></table></div>")


def largest_cuts(n: int = 20) -> HTML:
    """The largest announcements with a stated headcount; multi-year plans flagged (as the layoff chart draws them)."""
    ev = drawn_events(tables()["layoff_events"]).sort(["headcount", "announced_on"], descending=[True, False]).head(n).with_columns(
        pl.col("ai_attribution").replace(ATTRIBUTION_LABELS),
        pl.when(pl.col("plan_until").is_not_null()).then(pl.format("Plan to {}", "plan_until")).otherwise(pl.lit("")).alias("kind"))
    return html_table(
        ev,
        {"Company": "company", "Announced": "announced_on", "People": "headcount", "Multi-year plan": "kind",
         "Share of staff": "share_of_workforce", "Country": "country", "AI link": "ai_attribution", "Source": "source_id"},
        {"headcount": fmt_int, "share_of_workforce": lambda v: fmt_share(v, 1), "announced_on": str},
        links={"source_id": "source_url"},
    )


def disagreements_table() -> HTML:
    df = t.event_disagreements(tables()["layoff_events"], tables()["layoff_event_conflicts"])
    return html_table(
        df,
        {"Company": "company", "Announced": "announced_on", "Figure kept": "kept_headcount", "Source kept": "kept_source_id",
         "Lowest reported": "low_headcount", "Highest reported": "high_headcount", "Other sources": "other_sources"},
        {"announced_on": str, "kept_headcount": fmt_int, "low_headcount": fmt_int, "high_headcount": fmt_int},
    )
