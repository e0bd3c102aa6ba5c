"""Altair charts for the report: titled with units, tooltips, a text alternative, a source line and their data.

Every chart is a :class:`ChartBlock`: the Vega-Lite spec, whose only data is one CSV text embedded in it,
and, under the chart, a line with a "Data" link to that same CSV (written beside the page) and the
sources with their URLs. Views take the width of their container (``width="container"``), so a chart
fits a phone's screen. Colours come from the Okabe-Ito palette, which stays distinct for the common
colour-vision deficiencies. Daily series are drawn as one day a week (every seventh day of Indeed's
7-day averages); the chart and its CSV say so.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import altair as alt
import polars as pl

from . import transforms as t

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, YELLOW, BLACK = OKABE_ITO
GREY = "#777777"
CHART_DIR = "charts"
MAX_LISTED_SOURCES = 6
# The time axis every chart of 2020-2026 shares, so that panels on different pages line up.
TIME_DOMAIN = ["2020-01-01", "2026-09-01"]
WAVE_DOMAIN = ["2022-01-01", "2026-09-01"]
Y_AXIS = {"minExtent": 52, "maxExtent": 52}  # fixed y-axis width: stacked panels' plot areas line up

ATTRIBUTION_LABELS = {
    "ai_named_as_reason": "AI named as a reason",
    "ai_investment_shift": "Cuts to fund AI",
    "none_stated": "No AI link stated",
}
COUNTRY_NAMES = {"US": "United States", "GB": "United Kingdom", "CA": "Canada", "AU": "Australia", "DE": "Germany",
                 "FR": "France", "IE": "Ireland", "IT": "Italy", "NL": "Netherlands"}
GROUP_LABELS = {"routine": "Routine", "ai_adjacent": "AI-adjacent", "core_tech": "Core tech", "total": "Total"}


# ---------------------------------------------------------------- the chart block
@dataclass
class ChartBlock:
    """A chart, the CSV of exactly what it plots, and its sources (displayed as chart + data line)."""

    id: str
    chart: alt.TopLevelMixin
    data: pl.DataFrame
    sources: pl.DataFrame  # source_id, publisher, title, url
    note: str = ""

    @property
    def csv_path(self) -> str:
        return f"{CHART_DIR}/{self.id}.csv"

    @property
    def csv(self) -> str:
        return to_csv(self.data)

    def spec(self) -> dict:
        return self.chart.to_dict()

    def data_line(self) -> str:
        e = html.escape
        shown, rest = self.sources, 0
        if self.sources.height > MAX_LISTED_SOURCES:
            # Many sources (one per announcement): name the most used, point to the rest.
            used = (self.data.group_by("source_id").len() if "source_id" in self.data.columns
                    else pl.DataFrame({"source_id": [], "len": []}, schema={"source_id": pl.String, "len": pl.UInt32}))
            ranked = self.sources.join(used, on="source_id", how="left").with_columns(pl.col("len").fill_null(0))
            shown = ranked.sort(["len", "source_id"], descending=[True, False]).head(3).sort("source_id")
            rest = self.sources.height - shown.height
        links = "; ".join(
            f'<a href="{e(r["url"], quote=True)}" rel="noopener">{e(r["publisher"])}</a>'
            f' <span class="src-id">({e(r["source_id"])})</span>' for r in shown.iter_rows(named=True)
        )
        if rest:
            links += (f"; and {rest} more: each row's source_id is in the CSV, and every source is in the "
                      '<a href="data.html#sources-and-licences">sources table</a>')
        note = f" {e(self.note)}" if self.note else ""
        return (f'<p class="chart-data"><a class="chart-csv" href="{e(self.csv_path)}" download>Data (CSV, '
                f"{self.data.height} rows)</a>.{note} Source: {links}.</p>")

    def _ipython_display_(self):
        from IPython.display import display

        from .site.outputs import FILES_MIME

        display(self.chart)
        display({"text/html": self.data_line(), FILES_MIME: {"files": [{"path": self.csv_path, "text": self.csv}]}},
                raw=True)


def to_csv(df: pl.DataFrame) -> str:
    return df.write_csv(line_terminator="\n", float_precision=None)


def inline(df: pl.DataFrame) -> alt.InlineData:
    """The frame as one CSV string inside the spec, with each column's type stated."""
    parse = {}
    for name, dtype in df.schema.items():
        if dtype == pl.Date:
            parse[name] = "date:'%Y-%m-%d'"
        elif dtype.is_numeric():
            parse[name] = "number"
    return alt.InlineData(values=to_csv(df), format=alt.DataFormat(type="csv", parse=parse))


def sources_of(ids, sources: pl.DataFrame) -> pl.DataFrame:
    ids = sorted(set(i for i in ids if i))
    return sources.filter(pl.col("source_id").is_in(ids)).select("source_id", "publisher", "title", "url").sort("source_id")


def block(id: str, chart, data: pl.DataFrame, sources: pl.DataFrame, title: str, subtitle: str | list[str],
          description: str, note: str = "", source_ids=None) -> ChartBlock:
    """Put ``data`` into ``chart`` as its only dataset, title it, label it for screen readers."""
    ids = source_ids if source_ids is not None else data["source_id"].unique().to_list()
    spec = chart.properties(
        data=inline(data),
        title=alt.TitleParams(title, subtitle=subtitle, anchor="start", fontSize=15, subtitleFontSize=12),
        description=description,
    ).configure_range(category=OKABE_ITO).configure_view(strokeWidth=0).configure_axisY(**Y_AXIS).configure(
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )
    return ChartBlock(id=id, chart=spec, data=data, sources=sources_of(ids, sources), note=note)


def _x_time(domain=TIME_DOMAIN, title=None, axis=True) -> alt.X:
    return alt.X("date:T", title=title, scale=alt.Scale(domain=domain),
                 axis=alt.Axis(format="%Y", tickCount="year", labelFlush=True) if axis else None)


def _milestone_layers(y_top: bool = True):
    """Dashed rules at the milestones (rows whose layer is 'milestone'), labelled in the top panel.

    Labels sit on their own line each (``row``) and, in the later half of the axis, to the left of their rule,
    so they neither overlap nor run past the chart's right edge.
    """
    m = alt.Chart().transform_filter(alt.datum.layer == "milestone")
    rule = m.mark_rule(strokeDash=[4, 3], color=GREY).encode(
        x="date:T", tooltip=[alt.Tooltip("label:N", title="Milestone"), alt.Tooltip("date:T", format="%d %b %Y", title="Date"),
                             alt.Tooltip("source:N", title="Source")])
    if not y_top:
        return [rule]
    texts = [
        m.transform_filter(alt.datum.side == side).mark_text(
            align=align, baseline="top", dx=dx, fontSize=10, color="#333").encode(
            x="date:T", y=alt.Y("ypx:Q", scale=None, axis=None), text="label:N")
        for side, align, dx in (("left", "left", 3), ("right", "right", -3))
    ]
    return [rule, *texts]


def _publisher(df: pl.DataFrame, tb: dict) -> str:
    """The one publisher of a frame's rows (their source ids all name it)."""
    names = tb["sources"].filter(pl.col("source_id").is_in(df["source_id"].unique().implode()))["publisher"].unique().to_list()
    if len(names) != 1:
        raise ValueError(f"expected one publisher, got {names}")
    return names[0]


def _quoted(text: str) -> str:
    """A Vega expression string literal."""
    import json

    return json.dumps(text)


def _milestones(milestones: pl.DataFrame, sources: pl.DataFrame, domain=TIME_DOMAIN) -> pl.DataFrame:
    """Milestone rows for a chart: label, its line (``ypx``, pixels from the top) and side of the rule."""
    from datetime import date

    start, end = (date.fromisoformat(d) for d in domain)
    middle = start + (end - start) / 2
    pub = sources.select("source_id", pl.col("publisher").alias("source"))
    return milestones.sort("date").join(pub, on="source_id", how="left").with_row_index("row").select(
        pl.lit("milestone").alias("layer"), "date", "label",
        (pl.col("row") * 12 + 2).cast(pl.Int64).alias("ypx"),
        pl.when(pl.col("date") < middle).then(pl.lit("left")).otherwise(pl.lit("right")).alias("side"),
        "source", "source_id")


# ---------------------------------------------------------------- layoffs
def layoff_wave_chart(tb: dict) -> ChartBlock:
    """Layoffs.fyi people per month (bars), our announcements as markers, companies per month below."""
    months = t.fyi_months(tb["layoffs_fyi_monthly"]).select(
        pl.lit("month").alias("layer"), pl.col("month").alias("date"), pl.col("employees").alias("people"),
        "companies", pl.lit(None, pl.String).alias("label"), "source_id")
    ev = tb["layoff_events"].filter(pl.col("headcount").is_not_null())
    top = set(ev.sort(["headcount", "announced_on"], descending=[True, False]).head(6)["company"].to_list())
    events = ev.select(
        pl.lit("announcement").alias("layer"), pl.col("announced_on").alias("date"), pl.col("headcount").alias("people"),
        pl.lit(None, pl.Int64).alias("companies"),
        pl.when(pl.col("company").is_in(list(top)) & (pl.col("headcount") >= 14000)).then(pl.col("company")).otherwise(None).alias("label_shown"),
        "company", "source_id",
    ).with_columns(pl.col("company").alias("label")).drop("company")
    data = pl.concat([months.with_columns(pl.lit(None, pl.String).alias("label_shown")), events.select(months.columns + ["label_shown"])],
                     how="vertical").sort(["layer", "date"])
    data = data.join(tb["sources"].select("source_id", pl.col("publisher").alias("source")), on="source_id", how="left")
    x = _x_time(WAVE_DOMAIN)
    bars = alt.Chart().transform_filter(alt.datum.layer == "month").mark_bar(color=BLUE, opacity=0.75).encode(
        x=alt.X("yearmonth(date):T", title=None, scale=alt.Scale(domain=WAVE_DOMAIN),
                axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("people:Q", title="People", axis=alt.Axis(format="~s")),
        tooltip=[alt.Tooltip("yearmonth(date):T", title="Month"), alt.Tooltip("people:Q", title="People (Layoffs.fyi)", format=","),
                 alt.Tooltip("companies:Q", title="Companies"), alt.Tooltip("source:N", title="Source")])
    dots = alt.Chart().transform_filter(alt.datum.layer == "announcement").mark_circle(color=VERMILION, size=28, opacity=0.8).encode(
        x=x, y="people:Q",
        tooltip=[alt.Tooltip("label:N", title="Announcement"), alt.Tooltip("date:T", title="Announced", format="%d %b %Y"),
                 alt.Tooltip("people:Q", title="People (announced)", format=","), alt.Tooltip("source:N", title="Source")])
    names = alt.Chart().transform_filter((alt.datum.layer == "announcement") & alt.expr.isValid(alt.datum.label_shown)).mark_text(
        align="left", dx=4, fontSize=10, color=VERMILION).encode(x=x, y="people:Q", text="label_shown:N")
    top_view = alt.layer(bars, dots, names).properties(width="container", height=220)
    comp = alt.Chart().transform_filter(alt.datum.layer == "month").mark_bar(color=SKY).encode(
        x=alt.X("yearmonth(date):T", title=None, scale=alt.Scale(domain=WAVE_DOMAIN), axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("companies:Q", title="Companies"),
        tooltip=[alt.Tooltip("yearmonth(date):T", title="Month"), alt.Tooltip("companies:Q", title="Companies (Layoffs.fyi)"),
                 alt.Tooltip("source:N", title="Source")]).properties(width="container", height=90)
    chart = alt.vconcat(top_view, comp, spacing=8)
    m = months.sort("people", descending=True).row(0, named=True)
    last = months.row(-1, named=True)
    return block(
        "layoff-wave", chart, data, tb["sources"], "Tech layoffs per month (people)",
        ["Bars: Layoffs.fyi, people (top) and companies (bottom)", "Dots: announcements in our list, not summed"],
        f"Monthly layoffs counted by Layoffs.fyi from {months['date'].min():%B %Y} to {last['date']:%B %Y}; the largest month is "
        f"{m['date']:%B %Y} with {m['people']:,} people. Dots mark {events.height} announcements from our curated list at "
        f"their announced size.",
        note="Layoffs.fyi export of 2 August 2026; months by layoff date.")


def trackers_chart(tb: dict) -> ChartBlock:
    """Each tracker's calendar-year total side by side: Layoffs.fyi (summed from its export) and Challenger."""
    data = reconciliation(tb).select("year", "tracker", "people", "source_id").join(
        tb["sources"].select("source_id", pl.col("publisher").alias("source")), on="source_id", how="left")
    chart = alt.layer(
        alt.Chart().mark_bar().encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)), xOffset="tracker:N",
            y=alt.Y("people:Q", title="People", axis=alt.Axis(format="~s")),
            color=alt.Color("tracker:N", legend=alt.Legend(orient="top", title=None)),
            tooltip=[alt.Tooltip("tracker:N", title="Tracker"), alt.Tooltip("year:O", title="Year"),
                     alt.Tooltip("people:Q", title="People", format=","), alt.Tooltip("source:N", title="Source")]),
    ).properties(width="container", height=220)
    parts = "; ".join(f"{r['tracker']} {r['year']}: {r['people']:,}" for r in data.iter_rows(named=True))
    return block("trackers-by-year", chart, data, tb["sources"], "Two trackers, two counts (people per year)",
                 "Layoffs.fyi: tech companies worldwide; Challenger: US tech employers",
                 f"Bar chart of people laid off per calendar year by tracker. {parts}.")


TRACKER_NAMES = {"layoffs.fyi": "Layoffs.fyi", "challenger": "Challenger"}


def reconciliation(tb: dict) -> pl.DataFrame:
    """Per year and tracker: Layoffs.fyi summed from its export's months, Challenger's latest full-year total."""
    fyi = t.fyi_year_totals(tb["layoffs_fyi_monthly"]).select(
        "year", pl.lit("Layoffs.fyi").alias("tracker"), pl.col("employees").alias("people"), "source_id")
    ch = t.tracker_year_totals(tb["layoff_tracker_totals"]).filter(pl.col("tracker") == "challenger").select(
        "year", pl.lit("Challenger").alias("tracker"), pl.col("employees").alias("people"), "source_id")
    years = set(fyi["year"].to_list()) & set(ch["year"].to_list())
    return pl.concat([fyi, ch.with_columns(pl.col("year").cast(pl.Int32))]).filter(pl.col("year").is_in(list(years))).sort(["year", "tracker"], descending=[False, True])


def attribution_chart(tb: dict) -> ChartBlock:
    """Share of announcements per year by AI attribution."""
    events = tb["layoff_events"]
    data = t.attribution_by_year(events).with_columns(pl.col("ai_attribution").replace(ATTRIBUTION_LABELS).alias("ai_link")).select(
        "year", "ai_link", "announcements", "headcount")
    chart = alt.Chart().mark_bar().encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("announcements:Q", stack="normalize", title="Share of announcements", axis=alt.Axis(format="%")),
        color=alt.Color("ai_link:N", sort=list(ATTRIBUTION_LABELS.values()), legend=alt.Legend(orient="top", title=None, columns=2)),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("ai_link:N", title="AI link"),
                 alt.Tooltip("announcements:Q", title="Announcements"), alt.Tooltip("headcount:Q", title="People", format=",")],
    ).properties(width="container", height=200)
    linked = data.filter(pl.col("ai_link") != ATTRIBUTION_LABELS["none_stated"]).group_by("year").agg(pl.col("announcements").sum()).sort("year")
    parts = ", ".join(f"{r['year']}: {r['announcements']}" for r in linked.iter_rows(named=True))
    return block("ai-attribution", chart, data, tb["sources"], "How often companies tied cuts to AI (% of announcements)",
                 "Announcements in our curated list, by year", f"Normalised stacked bars by year. Announcements with an AI link: {parts}.",
                 source_ids=events["source_id"].to_list(), note=f"Counts from the {events.height} announcements of layoff_events.")


# ---------------------------------------------------------------- skills
def _weekly_postings(tb: dict) -> pl.DataFrame:
    p = tb["postings_daily"]
    sw = t.every_seventh_day(t.postings_vintage(p, "software_development_postings_index", seasonal_adjustment="sa"))
    total = t.postings_vintage(p, "total_postings_index", seasonal_adjustment="sa")
    total = t.every_seventh_day(total, sw["date"].min())
    return pl.concat([
        sw.select("date", pl.lit("software").alias("series"), pl.col("value").round(2), "source_id"),
        total.select("date", pl.lit("all").alias("series"), pl.col("value").round(2), "source_id"),
    ])


def postings_chart(tb: dict) -> ChartBlock:
    """Indeed's software-development and total postings indexes, one day a week, with milestones."""
    weekly = _weekly_postings(tb)
    ids = weekly["source_id"].unique().to_list() + tb["milestones"]["source_id"].to_list()
    data = pl.concat([weekly.select(pl.lit("series").alias("layer"), "date", "series", "value", pl.lit(None, pl.String).alias("label"),
                                    pl.lit(None, pl.Int64).alias("ypx"), pl.lit(None, pl.String).alias("side"), pl.lit(None, pl.String).alias("source")),
                      _milestones(tb["milestones"], tb["sources"]).select(
                          "layer", "date", pl.lit(None, pl.String).alias("series"), pl.lit(None, pl.Float64).alias("value"),
                          "label", "ypx", "side", "source")], how="vertical")
    s = alt.Chart().transform_filter(alt.datum.layer == "series").transform_calculate(
        source=_quoted(_publisher(weekly, tb)), name="datum.series === 'software' ? 'Software development' : 'All postings'")
    color = alt.Color("series:N", scale=alt.Scale(domain=["software", "all"], range=[BLUE, GREY]), legend=None)
    lines = s.mark_line(strokeWidth=1.6).encode(
        x=_x_time(), y=alt.Y("value:Q", title="Index, 1 Feb 2020 = 100"), color=color,
        tooltip=[alt.Tooltip("name:N", title="Series"), alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
                 alt.Tooltip("value:Q", title="Index", format=".1f"), alt.Tooltip("source:N", title="Source")])
    ends = s.transform_window(rank="rank(date)", sort=[alt.SortField("date", order="descending")], groupby=["series"]).transform_filter(
        alt.datum.rank == 1).mark_text(align="right", dy=-8, fontSize=11, fontWeight="bold").encode(
        x="date:T", y="value:Q", text="name:N", color=color)
    base = alt.Chart().mark_rule(color="#999").encode(y=alt.datum(100))
    chart = alt.layer(base, lines, ends, *_milestone_layers()).properties(width="container", height=240)
    sw = data.filter(pl.col("series") == "software")
    last = sw.sort("date").row(-1, named=True)
    return block("postings-software-vs-all", chart, data, tb["sources"], "Job postings on Indeed (index, 1 Feb 2020 = 100)",
                 "US, seasonally adjusted; one day a week", 
                 f"Line chart of Indeed's software-development and total postings indexes, weekly from {sw['date'].min():%B %Y}; "
                 f"software development peaks at {sw['value'].max():.1f} and is {last['value']:.1f} on {last['date']:%d %B %Y}.",
                 note="Every seventh day of Indeed's daily 7-day averages; each series from one vintage. Dashed lines: milestones.",
                 source_ids=ids)


def ai_share_chart(tb: dict) -> ChartBlock:
    """Indeed's share of postings mentioning AI, US highlighted, other countries in grey; one day a week from 2022."""
    daily = t.postings_vintage(tb["postings_daily"], "ai_share_of_postings", country=None)  # one vintage
    daily = daily.filter(pl.col("date") >= pl.date(2022, 1, 1))
    weekly = t.every_seventh_day(daily, step=28).select(
        "date", pl.col("country_code").alias("country"), pl.col("value").round(2).alias("percent"), "source_id")
    data = weekly.select("date", "country", "percent")
    ids = weekly["source_id"].unique().to_list()
    us = alt.datum.country == "US"
    names = "{" + ", ".join(f"{k}: {_quoted(v)}" for k, v in COUNTRY_NAMES.items()) + "}"
    lines = alt.Chart().transform_calculate(name=f"{names}[datum.country]", source=_quoted(_publisher(weekly, tb))).mark_line(strokeWidth=1.2).encode(
        x=_x_time(WAVE_DOMAIN), y=alt.Y("percent:Q", title="% of postings mentioning AI"),
        detail="country:N",
        color=alt.condition(us, alt.value(BLUE), alt.value("#bbbbbb")),
        strokeWidth=alt.condition(us, alt.value(2.2), alt.value(1)),
        tooltip=[alt.Tooltip("name:N", title="Country"), alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
                 alt.Tooltip("percent:Q", title="% of postings", format=".2f"), alt.Tooltip("source:N", title="Source")])
    label = alt.Chart().transform_window(rank="rank(date)", sort=[alt.SortField("date", order="descending")], groupby=["country"]).transform_filter(
        (alt.datum.rank == 1) & us).mark_text(align="right", dy=-10, fontWeight="bold", color=BLUE).encode(
        x="date:T", y="percent:Q", text=alt.value("United States"))
    chart = alt.layer(lines, label).properties(width="container", height=230)
    last = data.filter(pl.col("country") == "US").sort("date").row(-1, named=True)
    return block("ai-share-by-country", chart, data, tb["sources"], "Job postings that mention AI (%)",
                 ["United States in blue, eight other countries in grey", "Indeed, 7-day average, one day every 4 weeks"],
                 f"Line chart of the share of Indeed postings mentioning AI in {data['country'].n_unique()} countries from January 2022; "
                 f"in the United States it is {last['percent']:.2f}% on {last['date']:%d %B %Y}.",
                 note="One day every four weeks of Indeed's daily 7-day averages, from 2022 (kept small for phones); hover a line for its country.",
                 source_ids=ids)


def employment_chart(tb: dict) -> ChartBlock:
    """Employment change May 2021 to May 2025 per occupation, coloured by role group."""
    ch = tb["employment_change"].filter(pl.col("role_group") != "other")
    data = ch.select("soc_code", "occupation_title", pl.col("role_group").replace(GROUP_LABELS).alias("group"), "from_year", "to_year",
                     "from_employment", "to_employment", (pl.col("employment_change_share") * 100).round(1).alias("change_percent"))
    ids = t.from_files(tb["occupations"], tb["sources"]).filter(pl.col("year").is_in([data["from_year"][0], data["to_year"][0]]))["source_id"].to_list()
    chart = alt.layer(
        alt.Chart().mark_bar().encode(
            y=alt.Y("occupation_title:N", title=None, sort="-x", axis=alt.Axis(labelLimit=170, labelFontSize=11)),
            x=alt.X("change_percent:Q", title="Change in jobs (%)"),
            color=alt.Color("group:N", scale=alt.Scale(domain=list(GROUP_LABELS.values()), range=[VERMILION, GREEN, BLUE, GREY]),
                            legend=alt.Legend(orient="top", title=None, columns=2)),
            tooltip=[alt.Tooltip("occupation_title:N", title="Occupation"), alt.Tooltip("group:N", title="Group"),
                     alt.Tooltip("from_employment:Q", title="Jobs, May 2021", format=","),
                     alt.Tooltip("to_employment:Q", title="Jobs, May 2025", format=","),
                     alt.Tooltip("change_percent:Q", title="Change (%)", format="+.1f")]),
    ).properties(width="container", height=alt.Step(22))
    parts = "; ".join(f"{r['occupation_title']} {r['change_percent']:+.1f}%" for r in data.sort("change_percent").iter_rows(named=True))
    return block("employment-change", chart, data, tb["sources"], "Jobs by occupation, 2021 to 2025 (% change)",
                 "BLS OEWS national estimates, May of each year", f"Bar chart of employment change by occupation: {parts}.",
                 source_ids=ids, note="Computed in employment_change from BLS's workbooks for May 2021 and May 2025.")


# ---------------------------------------------------------------- premium
def premium_chart(tb: dict) -> ChartBlock:
    """Reported and computed AI pay premiums, one dot per figure."""
    df = t.ai_pay_premium(tb["salaries"]).with_columns(pl.col("year").cast(pl.String).fill_null("not stated").alias("year_text"))
    data = df.select("role", (pl.col("premium_share") * 100).round(1).alias("premium_percent"), "comparison", "geography",
                     pl.col("year_text").alias("year"), "method", "source_id")
    chart = alt.Chart().mark_circle(size=70, opacity=0.85).encode(
        x=alt.X("premium_percent:Q", title="Pay premium (%)"),
        y=alt.Y("role:N", title=None, sort="-x", axis=alt.Axis(labelLimit=150, labelFontSize=10)),
        color=alt.Color("year:N", legend=alt.Legend(orient="top", title="Year")),
        tooltip=[alt.Tooltip("role:N", title="Role"), alt.Tooltip("premium_percent:Q", title="Premium (%)", format=".0f"),
                 alt.Tooltip("comparison:N", title="Compared with"), alt.Tooltip("geography:N", title="Where"),
                 alt.Tooltip("year:N", title="Year"), alt.Tooltip("method:N", title="Method"), alt.Tooltip("source_id:N", title="Source")],
    ).properties(width="container", height=alt.Step(15))
    return block("ai-premium", chart, data, tb["sources"], "The AI pay premium, as reported (%)",
                 "Premium of AI roles or skills over each figure's own comparison",
                 f"Dot plot of {data.height} premium figures from {data['premium_percent'].min():.0f}% to {data['premium_percent'].max():.0f}%.")


def wage_distribution_chart(tb: dict) -> ChartBlock:
    """OEWS annual wage percentiles (10th to 90th) per occupation, latest May year."""
    occ = t.from_files(tb["occupations"], tb["sources"])
    year = int(occ["year"].max())
    df = occ.filter((pl.col("year") == year) & pl.col("soc_code").is_in(list(t.ROLE_GROUPS) + ["15-0000", "00-0000"])).with_columns(
        t.role_group().replace(GROUP_LABELS).alias("group"))
    data = df.select("soc_code", "occupation_title", "group", "year", "annual_wage_p10_usd", "annual_wage_p25_usd",
                     "annual_median_wage_usd", "annual_wage_p75_usd", "annual_wage_p90_usd", "source_id")
    y = alt.Y("occupation_title:N", title=None, sort=alt.EncodingSortField("annual_median_wage_usd", order="descending"),
              axis=alt.Axis(labelLimit=150, labelFontSize=10))
    tip = [alt.Tooltip("occupation_title:N", title="Occupation"), alt.Tooltip("year:O", title="May"),
           alt.Tooltip("annual_wage_p10_usd:Q", title="10th pct", format="$,.0f"), alt.Tooltip("annual_wage_p25_usd:Q", title="25th pct", format="$,.0f"),
           alt.Tooltip("annual_median_wage_usd:Q", title="Median", format="$,.0f"), alt.Tooltip("annual_wage_p75_usd:Q", title="75th pct", format="$,.0f"),
           alt.Tooltip("annual_wage_p90_usd:Q", title="90th pct", format="$,.0f"), alt.Tooltip("source_id:N", title="Source")]
    x = alt.X("annual_wage_p10_usd:Q", title="Annual wage (USD)", axis=alt.Axis(format="$~s"))
    chart = alt.layer(
        alt.Chart().mark_rule(color=SKY, strokeWidth=2).encode(x=x, x2="annual_wage_p90_usd:Q", y=y, tooltip=tip),
        alt.Chart().mark_bar(color=BLUE, height=10).encode(x="annual_wage_p25_usd:Q", x2="annual_wage_p75_usd:Q", y=y, tooltip=tip),
        alt.Chart().mark_tick(color=BLACK, thickness=2, size=14).encode(x="annual_median_wage_usd:Q", y=y, tooltip=tip),
    ).properties(width="container", height=alt.Step(24))
    top = data.sort("annual_median_wage_usd", descending=True).row(0, named=True)
    return block("wage-distribution", chart, data, tb["sources"], f"Pay ranges by occupation, May {year} (USD a year)",
                 "Line: 10th to 90th percentile; bar: 25th to 75th; tick: median",
                 f"Range chart of annual wage percentiles for {data.height} occupations in May {year}; the highest median is "
                 f"{top['occupation_title']} at ${top['annual_median_wage_usd']:,.0f}.")


def real_wage_chart(tb: dict) -> ChartBlock:
    """Real median wage change for every pair of May years, one occupation at a time (chosen in a menu)."""
    wc = tb["wage_change"].filter(pl.col("real_change_share").is_not_null() & (pl.col("role_group") != "other"))
    data = wc.select("soc_code", "occupation_title", "from_year", "to_year",
                     (pl.col("nominal_change_share") * 100).round(1).alias("nominal_percent"),
                     (pl.col("real_change_share") * 100).round(1).alias("real_percent"))
    titles = sorted(data["occupation_title"].unique().to_list())
    pick = alt.param(name="occupation", value="Software Developers" if "Software Developers" in titles else titles[0],
                     bind=alt.binding_select(options=titles, name="Occupation: "))
    base = alt.Chart().transform_filter(alt.datum.occupation_title == pick).encode(
        x=alt.X("to_year:O", title="To May of", axis=alt.Axis(labelAngle=0)), y=alt.Y("from_year:O", title="From May of"))
    cells = base.mark_rect().encode(
        color=alt.Color("real_percent:Q", title="Real change (%)", scale=alt.Scale(scheme="blueorange", domainMid=0, reverse=True),
                        legend=alt.Legend(orient="bottom", gradientLength=160)),
        tooltip=[alt.Tooltip("occupation_title:N", title="Occupation"), alt.Tooltip("from_year:O", title="From"), alt.Tooltip("to_year:O", title="To"),
                 alt.Tooltip("real_percent:Q", title="Real change (%)", format="+.1f"), alt.Tooltip("nominal_percent:Q", title="Nominal change (%)", format="+.1f")])
    text = base.mark_text(fontSize=12).encode(text=alt.Text("real_percent:Q", format="+.1f"))
    chart = alt.layer(cells, text).add_params(pick).properties(width="container", height=200)
    ids = t.from_files(tb["occupations"], tb["sources"])["source_id"].to_list() + tb["cpi_monthly"]["source_id"].to_list()
    return block("real-wage-change", chart, data, tb["sources"], "Real change in median pay (%)",
                 "Every pair of May years, at May CPI-U prices; choose an occupation below the chart",
                 f"Grid of real median wage change for each pair of May years for {len(titles)} occupations; "
                 f"the values range from {data['real_percent'].min():+.1f}% to {data['real_percent'].max():+.1f}%.",
                 source_ids=ids, note="From wage_change: BLS OEWS medians deflated with May-to-May CPI-U.")


# ---------------------------------------------------------------- why
def why_chart(tb: dict) -> ChartBlock:
    """The federal funds rate, software-development postings and Layoffs.fyi's monthly layoffs on one time axis."""
    src = tb["sources"].select("source_id", pl.col("publisher").alias("source"))
    rate = tb["rates"].filter(pl.col("month") >= pl.date(2020, 1, 1)).select(
        pl.lit("rate").alias("layer"), pl.col("month").alias("date"), pl.col("rate_percent").alias("value"), "source_id")
    sw = _weekly_postings(tb).filter(pl.col("series") == "software").select(
        pl.lit("postings").alias("layer"), "date", "value", "source_id")
    fyi = t.fyi_months(tb["layoffs_fyi_monthly"]).select(
        pl.lit("layoffs").alias("layer"), pl.col("month").alias("date"), pl.col("employees").cast(pl.Float64).alias("value"), "source_id")
    publishers = {name: _publisher(df, tb) for name, df in (("rate", rate), ("postings", sw), ("layoffs", fyi))}
    ids = [*rate["source_id"], *sw["source_id"], *fyi["source_id"], *tb["milestones"]["source_id"]]
    series = pl.concat([rate, sw, fyi]).with_columns(
        pl.lit(None, pl.String).alias("label"), pl.lit(None, pl.Int64).alias("ypx"), pl.lit(None, pl.String).alias("side"),
        pl.lit(None, pl.String).alias("source"))
    ms = _milestones(tb["milestones"], tb["sources"]).with_columns(pl.lit(None, pl.Float64).alias("value"))
    cols = ["layer", "date", "value", "label", "ypx", "side", "source"]
    data = pl.concat([series.select(cols), ms.select(cols)])

    def panel(layer, mark, title, fmt, color, tip_title, height, top=False, axis=False):
        v = alt.Chart().transform_filter(alt.datum.layer == layer).transform_calculate(source=_quoted(publishers[layer]))
        enc = dict(x=_x_time(axis=axis) if mark != "bar" else alt.X("yearmonth(date):T", title=None, scale=alt.Scale(domain=TIME_DOMAIN),
                                                                         axis=alt.Axis(format="%Y", tickCount="year") if axis else None),
                   y=alt.Y("value:Q", title=title, axis=alt.Axis(format=fmt)),
                   tooltip=[alt.Tooltip("date:T", title="Date", format="%d %b %Y" if mark == "line" and layer == "postings" else "%b %Y"),
                            alt.Tooltip("value:Q", title=tip_title, format=",.2f" if layer != "layoffs" else ","), alt.Tooltip("source:N", title="Source")])
        m = v.mark_line(color=color, strokeWidth=1.8) if mark == "line" else v.mark_bar(color=color)
        return alt.layer(m.encode(**enc), *_milestone_layers(y_top=top)).properties(width="container", height=height)

    chart = alt.vconcat(
        panel("rate", "line", "Fed funds rate (%)", ".1f", BLUE, "Rate (%)", 110, top=True),
        panel("postings", "line", "Postings index", ".0f", GREEN, "Software-development index", 110),
        panel("layoffs", "bar", "People laid off", "~s", VERMILION, "People (Layoffs.fyi)", 110, axis=True),
        spacing=6)
    r = rate.sort("value", descending=True).row(0, named=True)
    return block("rates-postings-layoffs", chart, data, tb["sources"], "Rates, postings and layoffs, 2020-2026",
                 ["Federal funds rate (monthly, %), Indeed software-development", "postings (index, weekly), Layoffs.fyi people per month"],
                 f"Three stacked panels on one time axis from January 2020: the federal funds rate, highest at {r['value']:.2f}% "
                 f"in {r['date']:%B %Y}; Indeed's software-development postings index; and Layoffs.fyi's monthly layoffs from 2022. "
                 f"Dashed lines mark {ms.height} milestones: " + "; ".join(f"{m['label']} ({m['date']:%d %B %Y})" for m in ms.iter_rows(named=True)) + ".",
                 note="Postings: every seventh day of Indeed's daily 7-day averages. Dashed lines: milestones (table milestones).",
                 source_ids=ids)


# ---------------------------------------------------------------- morale
def confidence_chart(tb: dict) -> ChartBlock:
    """Employee confidence (latest vintage) above Layoffs.fyi's monthly layoffs, one time axis."""
    src = tb["sources"].select("source_id", pl.col("publisher").alias("source"))
    conf = t.latest_vintage(tb["confidence"]).filter(pl.col("series").is_in(["overall_us", "information_technology"])).select(
        pl.lit("confidence").alias("layer"), pl.col("month").alias("date"),
        pl.col("series").replace({"overall_us": "All US employees", "information_technology": "Tech"}).alias("series"),
        (pl.col("confident_share") * 100).round(1).alias("value"), "source_id")
    fyi = t.fyi_months(tb["layoffs_fyi_monthly"]).select(
        pl.lit("layoffs").alias("layer"), pl.col("month").alias("date"), pl.lit("Layoffs.fyi").alias("series"),
        pl.col("employees").cast(pl.Float64).alias("value"), "source_id")
    data = pl.concat([conf, fyi]).join(src, on="source_id", how="left")
    color = alt.Color("series:N", scale=alt.Scale(domain=["All US employees", "Tech"], range=[BLUE, ORANGE]), legend=alt.Legend(orient="top", title=None))
    c = alt.Chart().transform_filter(alt.datum.layer == "confidence").mark_line(point=True).encode(
        x=_x_time(WAVE_DOMAIN, axis=False), y=alt.Y("value:Q", title="Positive outlook (%)", scale=alt.Scale(zero=False)), color=color,
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("date:T", title="Month", format="%b %Y"),
                 alt.Tooltip("value:Q", title="Positive outlook (%)", format=".1f"), alt.Tooltip("source:N", title="Source")]
    ).properties(width="container", height=170)
    b = alt.Chart().transform_filter(alt.datum.layer == "layoffs").mark_bar(color=GREY).encode(
        x=alt.X("yearmonth(date):T", title=None, scale=alt.Scale(domain=WAVE_DOMAIN), axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("value:Q", title="People laid off", axis=alt.Axis(format="~s")),
        tooltip=[alt.Tooltip("yearmonth(date):T", title="Month"), alt.Tooltip("value:Q", title="People (Layoffs.fyi)", format=","),
                 alt.Tooltip("source:N", title="Source")]).properties(width="container", height=100)
    chart = alt.vconcat(c, b, spacing=6)
    low = conf.sort(["value", "date"]).row(0, named=True)
    return block("confidence-and-layoffs", chart, data, tb["sources"], "Confidence and layoffs",
                 ["Glassdoor: employees with a positive 6-month outlook (%)", "Layoffs.fyi: people laid off per month"],
                 f"Two panels on one time axis: {conf.height} confidence readings with a low of {low['value']:.1f}% "
                 f"({low['series']}, {low['date']:%B %Y}), above Layoffs.fyi's monthly layoffs.",
                 note="Glassdoor revises readings: the latest of each month is shown.")
