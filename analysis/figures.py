"""Altair charts for the report: titled with units, tooltips, a text alternative, a source line and their data.

Every chart is a :class:`ChartBlock`: the Vega-Lite spec, whose only data is one CSV text embedded in it,
and, under the chart, a line with a "Data" link to that same CSV (written beside the page) and the
sources with their URLs. Views take the width of their container (``width="container"``), so a chart
fits a phone's screen. Colours come from the Okabe-Ito palette, which stays distinct for the common
colour-vision deficiencies. Daily series are drawn as one day a week (every seventh day of Indeed's
7-day averages); the chart and its CSV say so.
"""

from __future__ import annotations

import datetime as dt

import html
import json
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
COLOUR_NAMES = {BLUE: "blue", ORANGE: "orange", GREEN: "green", VERMILION: "red-orange", PURPLE: "pink",
                SKY: "light blue", YELLOW: "yellow", BLACK: "black", GREY: "grey"}


def colour_name(hex_colour: str) -> str:
    """The word the prose uses for a colour of the palette (tests check the spec draws that colour)."""
    return COLOUR_NAMES[hex_colour]


def month_text(d) -> str:
    return f"{d:%B %Y}"


def day_text(d) -> str:
    return f"{d.day} {d:%B %Y}"


@dataclass
class ChartBlock:
    """A chart, the CSV of exactly what it plots, its sources, a method note and each series' last date."""

    id: str
    chart: alt.TopLevelMixin
    data: pl.DataFrame
    sources: pl.DataFrame  # source_id, publisher, title, url
    note: str = ""
    method: str = ""  # what is counted, breaks, revisions, limits: for a general reader
    through: dict[str, str] | None = None  # series name -> last date drawn, as text
    facts: dict | None = None  # numbers and colours the prose states about this chart, from its rows

    @property
    def csv_path(self) -> str:
        return f"{CHART_DIR}/{self.id}.csv"

    @property
    def csv(self) -> str:
        return to_csv(self.data)

    @property
    def png_path(self) -> str:
        return f"{CHART_DIR}/{self.id}.png"

    @property
    def svg_path(self) -> str:
        return f"{CHART_DIR}/{self.id}.svg"

    def title_text(self) -> str:
        """The chart's title as one line (its lines joined)."""
        title = getattr(self.chart, "title", None)
        text = getattr(title, "text", title)
        return " ".join(str(t) for t in text) if isinstance(text, list) else str(text or self.id)

    def cite_text(self, page: str | None = None) -> str:
        """Title, site, release version and date, and the address of the chart on its page (``page#id``).

        ``page`` defaults to the page being rendered (Quarto's QUARTO_DOCUMENT_FILE).
        """
        from talentgap.schemas.tables import PACKAGE_VERSION, RELEASE_DATE

        from .site_files import current_page, site_settings

        site = site_settings()
        url = f"{site['url']}{page or current_page() or ''}#{self.id}"
        return f"{self.title_text()}. {site['title']}, data release {PACKAGE_VERSION} ({RELEASE_DATE}). {url}"

    def anchor_html(self) -> str:
        """The permalink: an element whose id is the chart's id, with a visible link to itself (before the chart)."""
        ident = html.escape(self.id, quote=True)
        return f'<p class="chart-anchor" id="{ident}"><a href="#{ident}">#&#xA0;Link to this chart</a></p>'

    def tools_html(self, page: str | None = None) -> str:
        """Under the chart: PNG/SVG downloads, the cite line with a copy button, and the table view (built by charts.js)."""
        e = html.escape
        ident = e(self.id, quote=True)
        # NOTE: the table is built from the spec's own CSV when opened (charts.js), so it costs the page no bytes.
        return (f'<p class="chart-tools">Download <a class="chart-png" href="{e(self.png_path)}" download>PNG</a> · '
                f'<a class="chart-svg" href="{e(self.svg_path)}" download>SVG</a></p>'
                f'<p class="chart-cite">Cite this chart: <code>{e(self.cite_text(page))}</code> '
                f'<button type="button" class="cite-copy" hidden>Copy</button></p>'
                f'<details class="chart-table" data-print="closed" data-chart="{ident}"><summary>Table view (the CSV)</summary></details>')

    def spec(self) -> dict:
        return self.chart.to_dict()

    def method_html(self) -> str:
        e = html.escape
        through = "; ".join(f"{e(k)}: {e(v)}" for k, v in (self.through or {}).items())
        out = f'<p class="chart-method"><strong>How to read it.</strong> {e(self.method)}</p>' if self.method else ""
        if through:
            out += f'<p class="chart-through"><strong>Data through</strong> {through}.</p>'
        return out

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
            links += (f"; and {rest} more: each row's source is in the CSV, and every source is in the "
                      '<a href="data.html#sources-and-licences">sources table</a>')
        note = f" {e(self.note)}" if self.note else ""
        return (self.method_html() + f'<p class="chart-data"><a class="chart-csv" href="{e(self.csv_path)}" download>Data (CSV, '
                f"{self.data.height} rows)</a>.{note} Source: {links}.</p>" + self.tools_html())

    def _ipython_display_(self):
        from IPython.display import display

        from .site.outputs import FILES_MIME

        display({"text/html": self.anchor_html()}, raw=True)
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
          description: str, *, method: str = "", through: dict[str, str] | None = None, note: str = "", source_ids=None,
          facts: dict | None = None) -> ChartBlock:
    """Put ``data`` into ``chart`` as its only dataset, title it, label it for screen readers.

    Every chart should have a method note (``method``) and the last date of each series it draws (``through``);
    tests/test_report.py checks that each chart of the report shows both.
    """
    ids = source_ids if source_ids is not None else data["source_id"].unique().to_list()
    subtitle = [line for part in ([subtitle] if isinstance(subtitle, str) else subtitle) for line in _wrap(part, SUBTITLE_CHARS)]
    spec = chart.properties(
        data=inline(data),
        title=alt.TitleParams(_wrap(title, TITLE_CHARS), subtitle=subtitle, anchor="start", fontSize=15, subtitleFontSize=12),
        description=description,
    ).configure_range(category=OKABE_ITO).configure_view(strokeWidth=0).configure_axisY(**Y_AXIS).configure(
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )
    return ChartBlock(id=id, chart=spec, data=data, sources=sources_of(ids, sources), note=note, method=method,
                      through=through, facts=facts or {})


# NOTE: Vega does not wrap titles; lines of at most these many characters fit a 390 px phone screen.
TITLE_CHARS, SUBTITLE_CHARS = 40, 52


def _wrap(text: str | list[str], width: int) -> list[str]:
    """Lines of at most `width` characters; a list is taken as lines already broken by the caller."""
    import textwrap

    if isinstance(text, list):
        return text
    return textwrap.wrap(text, width) or [text]


def _x_time(domain=TIME_DOMAIN, title=None, axis=True) -> alt.X:
    return alt.X("date:T", title=title, scale=alt.Scale(domain=domain),
                 axis=alt.Axis(format="%Y", tickCount="year", labelFlush=True) if axis else None)


def _milestone_layers(y_top: bool = True, keep: str | None = None):
    """Dashed rules at the milestones (rows whose layer is 'milestone'), labelled in the top panel.

    Labels sit on their own line each (``row``) and, in the later half of the axis, to the left of their rule,
    so they neither overlap nor run past the chart's right edge.
    """
    m = alt.Chart().transform_filter(alt.datum.layer == "milestone")
    if keep:  # e.g. only the milestones inside a chosen time range
        m = m.transform_filter(keep)
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


def export_date(tb: dict, df: pl.DataFrame) -> str:
    """The publication dates of the sources of a frame's rows (for instance Layoffs.fyi exports), oldest first, as text."""
    ids = df["source_id"].unique().to_list()
    rows = tb["sources"].filter(pl.col("source_id").is_in(ids)).sort("date_published")
    if rows.height == 0 or rows["date_published"].null_count():
        raise ValueError(f"expected dated sources, got {ids}")
    return " and ".join(day_text(d) for d in rows["date_published"])


def _quoted(text: str) -> str:
    """A Vega expression string literal."""
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
EVENT_COLOUR = VERMILION
PLAN_RE = r"by (20[0-9][0-9])"


def drawn_events(events: pl.DataFrame) -> pl.DataFrame:
    """The announcements the layoff chart draws: those with a stated headcount, with the end year of a multi-year plan.

    NOTE: an announcement whose notes say the cuts run "by <year>" past the year after the announcement is
    a multi-year plan (BT's "up to 55,000 by 2030"); it is drawn as a hollow marker and flagged, not as a month's cut.
    """
    plan = pl.col("notes").fill_null("").str.extract(PLAN_RE, 1).cast(pl.Int32, strict=False)
    return events.filter(pl.col("headcount").is_not_null()).with_columns(
        pl.when(plan > pl.col("announced_on").dt.year() + 1).then(plan).otherwise(None).alias("plan_until"))


WAVE_TOP_PX = 220


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
    x = _x_time(WAVE_DOMAIN)
    is_event = (alt.datum.layer == "announcement") | (alt.datum.layer == "plan")
    bars = alt.Chart().transform_filter(alt.datum.layer == "month").mark_bar(color=BLUE, opacity=0.75).encode(
        x=alt.X("yearmonth(date):T", title=None, scale=alt.Scale(domain=WAVE_DOMAIN),
                axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("people:Q", title="People", axis=alt.Axis(format="~s")),
        tooltip=[alt.Tooltip("yearmonth(date):T", title="Month"), alt.Tooltip("people:Q", title="People (Layoffs.fyi)", format=","),
                 alt.Tooltip("companies:Q", title="Companies"), alt.Tooltip("source:N", title="Source")])
    tip = [alt.Tooltip("label:N", title="Announcement"), alt.Tooltip("date:T", title="Announced", format="%d %b %Y"),
           alt.Tooltip("people:Q", title="People (announced)", format=","), alt.Tooltip("source:N", title="Source")]
    dots = alt.Chart().transform_filter(alt.datum.layer == "announcement").mark_circle(color=EVENT_COLOUR, size=28, opacity=0.8).encode(
        x=x, y="people:Q", tooltip=tip)
    plans = alt.Chart().transform_filter(alt.datum.layer == "plan").mark_point(
        color=EVENT_COLOUR, shape="diamond", filled=False, size=60, strokeWidth=1.6).encode(x=x, y="people:Q", tooltip=tip)
    names = label_layers(alt.Chart().transform_filter(is_event & alt.expr.isValid(alt.datum.label_shown)), x, "people:Q",
                         fontSize=10, color=EVENT_COLOUR)
    top_view = alt.layer(bars, dots, plans, *names).properties(width="container", height=WAVE_TOP_PX)
    comp = alt.Chart().transform_filter(alt.datum.layer == "month").mark_bar(color=SKY).encode(
        x=alt.X("yearmonth(date):T", title=None, scale=alt.Scale(domain=WAVE_DOMAIN), axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("companies:Q", title="Companies"),
        tooltip=[alt.Tooltip("yearmonth(date):T", title="Month"), alt.Tooltip("companies:Q", title="Companies (Layoffs.fyi)"),
                 alt.Tooltip("source:N", title="Source")]).properties(width="container", height=90)
    chart = alt.vconcat(top_view, comp, spacing=8)
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
                f"Layoffs.fyi adds and edits entries after the fact; drawn: each month from the newest of its exports that covers it whole ({export_date(tb, months)})."),
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


# ---------------------------------------------------------------- skills
def _software_daily(tb: dict) -> pl.DataFrame:
    """Indeed's software-development index, US, seasonally adjusted, latest version, every day."""
    return t.postings_vintage(tb["postings_daily"], "software_development_postings_index", seasonal_adjustment="sa")


def _weekly_postings(tb: dict) -> pl.DataFrame:
    from datetime import timedelta

    p = tb["postings_daily"]
    daily = t.postings_vintage(p, "software_development_postings_index", seasonal_adjustment="sa")
    # NOTE: the weeks are counted back from the software series' last day, so that the day the prose compares
    # the two series on (that last day) is a day the chart draws.
    first, last = daily["date"].min(), daily["date"].max()
    start = first + timedelta(days=(last - first).days % 7)
    sw = t.every_seventh_day(daily, start)
    total = t.postings_vintage(p, "total_postings_index", seasonal_adjustment="sa")
    total = t.every_seventh_day(total, start)
    return pl.concat([
        sw.select("date", pl.lit("software").alias("series"), pl.col("value").round(2), "source_id"),
        total.select("date", pl.lit("all").alias("series"), pl.col("value").round(2), "source_id"),
    ])


def _vintages(tb: dict, series: str, country: str | None = "US", seasonal_adjustment: str | None = None) -> tuple[str, int]:
    """The vintage drawn (the latest, as text) and how many vintages the release holds for a postings series."""
    p = tb["postings_daily"].filter(pl.col("series") == series)
    if country is not None:
        p = p.filter(pl.col("country_code") == country)
    if seasonal_adjustment is not None:
        p = p.filter(pl.col("seasonal_adjustment") == seasonal_adjustment)
    return day_text(p["vintage"].max()), p["vintage"].n_unique()


def common_last_day(weekly: pl.DataFrame):
    """The last date on which both postings series have a value (compare them on one day only)."""
    both = weekly.filter(pl.col("series").is_in(["software", "all"]))
    return both.group_by("series").agg(pl.col("date").max())["date"].min()


def postings_chart(tb: dict) -> ChartBlock:
    """Indeed's software-development and total postings indexes, one day a week, with milestones."""
    weekly = _weekly_postings(tb)
    ids = weekly["source_id"].unique().to_list() + tb["milestones"]["source_id"].to_list()
    # NOTE: Indeed revises past values; the earliest version held of the software series is drawn too (dashed), so
    # the reader sees how far a revision moves the line.
    p = tb["postings_daily"].filter((pl.col("series") == "software_development_postings_index") & (pl.col("country_code") == "US")
                                    & (pl.col("seasonal_adjustment") == "sa"))
    first_vintage = p["vintage"].min()
    earlier = t.every_seventh_day(t.postings_vintage(tb["postings_daily"], "software_development_postings_index",
                                                     seasonal_adjustment="sa", vintage=first_vintage), weekly["date"].min())
    if first_vintage != p["vintage"].max():
        weekly = pl.concat([weekly, earlier.select("date", pl.lit("software_earlier").alias("series"), pl.col("value").round(2), "source_id")])
        ids += earlier["source_id"].unique().to_list()
    data = pl.concat([weekly.select(pl.lit("series").alias("layer"), "date", "series", "value", pl.lit(None, pl.String).alias("label"),
                                    pl.lit(None, pl.Int64).alias("ypx"), pl.lit(None, pl.String).alias("side"), pl.lit(None, pl.String).alias("source")),
                      _milestones(tb["milestones"], tb["sources"]).select(
                          "layer", "date", pl.lit(None, pl.String).alias("series"), pl.lit(None, pl.Float64).alias("value"),
                          "label", "ypx", "side", "source")], how="vertical")
    start, end = time_range_params(int(TIME_DOMAIN[0][:4]), int(TIME_DOMAIN[1][:4]))
    in_range = time_range_filter(start, end)
    s = alt.Chart().transform_filter(alt.datum.layer == "series").transform_filter(in_range).transform_calculate(
        source=_quoted(_publisher(weekly, tb)),
        name=f"datum.series === 'software' ? 'Software development' : datum.series === 'all' ? 'All postings' : "
             f"'Software development, version of {day_text(first_vintage)}'")
    color = alt.Color("series:N", scale=alt.Scale(domain=["software", "all", "software_earlier"], range=[BLUE, GREY, SKY]), legend=None)
    lines = s.mark_line(strokeWidth=1.6, clip=True).encode(
        x=_x_time(time_range_domain(start, end, TIME_DOMAIN[1])), y=alt.Y("value:Q", title="Index, 1 Feb 2020 = 100"), color=color,
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=["software", "all", "software_earlier"], range=[[1, 0], [1, 0], [4, 3]]),
                                  legend=None),
        tooltip=[alt.Tooltip("name:N", title="Series"), alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
                 alt.Tooltip("value:Q", title="Index", format=".1f"), alt.Tooltip("source:N", title="Source")])
    ends = s.transform_filter(alt.datum.series != "software_earlier").transform_window(
        rank="rank(date)", sort=[alt.SortField("date", order="descending")], groupby=["series"]).transform_filter(
        alt.datum.rank == 1).mark_text(align="right", dy=-8, fontSize=11, fontWeight="bold").encode(
        x="date:T", y="value:Q", text="name:N", color=color)
    base = alt.Chart().mark_rule(color="#999").encode(y=alt.datum(100))
    chart = alt.layer(base, lines, ends, *_milestone_layers(keep=in_range)).add_params(start, end).properties(width="container", height=240)
    sw = weekly.filter(pl.col("series") == "software").sort("date")
    al = weekly.filter(pl.col("series") == "all").sort("date")
    day = common_last_day(weekly)
    sw_day, all_day = (df.filter(pl.col("date") == day)["value"][0] for df in (sw, al))
    v_sw, n_sw = _vintages(tb, "software_development_postings_index", seasonal_adjustment="sa")
    v_all, n_all = _vintages(tb, "total_postings_index", seasonal_adjustment="sa")
    lower = "further below" if sw_day < all_day else "less far below"
    return block("postings-software-vs-all", chart, data, tb["sources"],
                 f"Software-development postings stand {lower} their February 2020 level than all postings",
                 f"Indeed, US, seasonally adjusted, index 1 Feb 2020 = 100; one day a week; compared on {day_text(day)}",
                 f"Line chart of Indeed's software-development and total postings indexes, weekly from {sw['date'].min():%B %Y}; "
                 f"software development peaks at {_software_daily(tb)['value'].max():.1f} (daily); on {day_text(day)}, the last day both series have, "
                 f"software development is {sw_day:.1f} and all postings {all_day:.1f}.",
                 method=(f"Indeed counts job postings on its own site and sets each series to 100 on 1 February 2020; a posting is "
                         f"not a hire, and Indeed's share of the market can change. Indeed revises past values each time it "
                         f"republishes: the release holds {n_sw} versions of the software series and {n_all} of the total; drawn "
                         f"are the versions published on {v_sw} (software) and {v_all} (all postings), with the software "
                         f"series as published on {day_text(first_vintage)} dashed in {colour_name(SKY)}, to show the size of "
                         f"revisions. Compare the lines on "
                         f"{day_text(day)} or earlier: the software series stops there. One day a week of Indeed's 7-day averages. "
                         f"Dashed lines: dated milestones. The sliders below the chart narrow the years drawn."),
                 through={"Software development": day_text(sw["date"].max()), "All postings": day_text(al["date"].max())},
                 source_ids=ids, facts={"common_day": day, "software": sw_day, "all": all_day})


def ai_share_chart(tb: dict) -> ChartBlock:
    """Indeed's share of postings mentioning AI, US highlighted, other countries in grey; one day a week from 2022."""
    daily = t.postings_vintage(tb["postings_daily"], "ai_share_of_postings", country=None)  # one vintage
    daily = daily.filter(pl.col("date") >= pl.date(2022, 1, 1))
    weekly = t.every_seventh_day(daily, step=28).select(
        "date", pl.col("country_code").alias("country"), pl.col("value").round(2).alias("percent"), "source_id")
    data = weekly.select("date", "country", "percent")
    ids = weekly["source_id"].unique().to_list()
    # NOTE: the reader picks the country drawn in blue (the United States at first) and may hide the others.
    drawn_names = {c: COUNTRY_NAMES[c] for c in sorted(data["country"].unique().to_list(), key=lambda c: (c != "US", COUNTRY_NAMES.get(c, c)))}
    chosen, others = country_params(drawn_names, default="US")
    us = country_is_chosen(chosen)
    names = "{" + ", ".join(f"{k}: {_quoted(v)}" for k, v in COUNTRY_NAMES.items()) + "}"
    lines = alt.Chart().transform_filter(country_filter(chosen, others)).transform_calculate(
        name=f"{names}[datum.country]", source=_quoted(_publisher(weekly, tb))).mark_line(strokeWidth=1.2).encode(
        x=_x_time(WAVE_DOMAIN), y=alt.Y("percent:Q", title="% of postings mentioning AI"),
        detail="country:N",
        color=alt.condition(us, alt.value(BLUE), alt.value("#bbbbbb")),
        strokeWidth=alt.condition(us, alt.value(2.2), alt.value(1)),
        tooltip=[alt.Tooltip("name:N", title="Country"), alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
                 alt.Tooltip("percent:Q", title="% of postings", format=".2f"), alt.Tooltip("source:N", title="Source")])
    label = alt.Chart().transform_window(rank="rank(date)", sort=[alt.SortField("date", order="descending")], groupby=["country"]).transform_filter(
        f"datum.rank === 1 && {us}").mark_text(align="right", dy=-10, fontWeight="bold", color=BLUE).encode(
        x="date:T", y="percent:Q", text=alt.value({"expr": country_name_expr(chosen, drawn_names)}))
    chart = alt.layer(lines, label).add_params(chosen, others).properties(width="container", height=230)
    us_rows = data.filter(pl.col("country") == "US").sort("date")
    first, last = us_rows.row(0, named=True), us_rows.row(-1, named=True)
    vintage, n_vintages = _vintages(tb, "ai_share_of_postings", country=None)
    trend = "rose" if last["percent"] > first["percent"] else "fell"
    return block("ai-share-by-country", chart, data, tb["sources"],
                 f"The share of US postings mentioning AI {trend} from {first['percent']:.2f}% to {last['percent']:.2f}%",
                 [f"{colour_name(BLUE).capitalize()}: the country chosen below (United States first); grey: the others",
                  "Indeed, 7-day average, one day every 4 weeks"],
                 f"Line chart of the share of Indeed postings mentioning AI in {data['country'].n_unique()} countries from January 2022; "
                 f"in the United States it is {last['percent']:.2f}% on {last['date']:%d %B %Y}.",
                 method=(f"The share of Indeed's job postings in each country whose text uses AI terms, as Indeed defines them. "
                         f"A mention is not a hire, and a posting may mention AI as a tool rather than as the job. Drawn: the "
                         f"version Indeed published on {vintage} ({n_vintages} held); one day every four weeks of its 7-day "
                         f"averages, from 2022. Hover a line for its country; choose the country drawn in blue below the chart."),
                 through={"All nine countries": day_text(data["date"].max())},
                 source_ids=ids, facts={"us_first": first, "us_last": last})


OEWS_METHOD = ("BLS's Occupational Employment and Wage Statistics (OEWS) count jobs, not people, by occupation each May. "
               "BLS does not design them for comparisons over time: each May's estimates pool three years of survey panels, "
               "occupation codes and methods change now and then, and May 2021 still reflects the pandemic's shift in which "
               "jobs existed. Treat changes of a few percent as within noise.")


def employment_chart(tb: dict) -> ChartBlock:
    """Employment change May 2021 to May 2025 per occupation, coloured by role group."""
    ch = tb["employment_change"].filter(pl.col("role_group") != "other")
    data = ch.select("soc_code", "occupation_title", pl.col("role_group").replace(GROUP_LABELS).alias("group"), "from_year", "to_year",
                     "from_employment", "to_employment", (pl.col("employment_change_share") * 100).round(1).alias("change_percent"))
    ids = t.from_files(tb["occupations"], tb["sources"]).filter(pl.col("year").is_in([data["from_year"][0], data["to_year"][0]]))["source_id"].to_list()
    find, fields = search_param(), ["occupation_title", "soc_code"]
    chart = alt.layer(
        alt.Chart().mark_bar(strokeWidth=2).encode(
            opacity=search_opacity(find, fields), stroke=search_stroke(find, fields),
            y=alt.Y("occupation_title:N", title=None, sort="-x", axis=alt.Axis(labelLimit=170, labelFontSize=11)),
            x=alt.X("change_percent:Q", title="Change in jobs (%)"),
            color=alt.Color("group:N", scale=alt.Scale(domain=list(GROUP_LABELS.values()), range=[VERMILION, GREEN, BLUE, GREY]),
                            legend=alt.Legend(orient="top", title=None, columns=2)),
            tooltip=[alt.Tooltip("occupation_title:N", title="Occupation"), alt.Tooltip("group:N", title="Group"),
                     alt.Tooltip("from_employment:Q", title="Jobs, May 2021", format=","),
                     alt.Tooltip("to_employment:Q", title="Jobs, May 2025", format=","),
                     alt.Tooltip("change_percent:Q", title="Change (%)", format="+.1f")]),
    ).add_params(find).properties(width="container", height=alt.Step(22))
    ordered = data.sort("change_percent")
    parts = "; ".join(f"{r['occupation_title']} {r['change_percent']:+.1f}%" for r in ordered.iter_rows(named=True))
    lo, hi = ordered.row(0, named=True), ordered.row(-1, named=True)
    y0, y1 = data["from_year"][0], data["to_year"][0]
    return block("employment-change", chart, data, tb["sources"],
                 f"From May {y0} to May {y1}, jobs changed from {lo['change_percent']:+.1f}% ({lo['occupation_title']}) "
                 f"to {hi['change_percent']:+.1f}% ({hi['occupation_title']})",
                 f"BLS OEWS national estimates, May {y0} and May {y1}", f"Bar chart of employment change by occupation: {parts}.",
                 method=OEWS_METHOD + " The counts are net: they cannot show people moving from one occupation to another. "
                 "The grouping into routine, AI-adjacent and core tech occupations is ours.",
                 through={"BLS OEWS": f"May {y1}"},
                 source_ids=ids, facts={"lowest": lo, "highest": hi})


# ---------------------------------------------------------------- premium
def premium_rows(tb: dict) -> pl.DataFrame:
    """The premium figures the premium chart draws (and the prose describes), in percent."""
    df = t.ai_pay_premium(tb["salaries"]).with_columns(pl.col("year").cast(pl.String).fill_null("not stated").alias("year_text"))
    return df.select("role", (pl.col("premium_share") * 100).round(1).alias("premium_percent"), "comparison", "geography",
                     pl.col("year_text").alias("year"), "method", "source_id")


def premium_chart(tb: dict) -> ChartBlock:
    """Reported and computed AI pay premiums, one dot per figure."""
    data = premium_rows(tb)
    chart = alt.Chart().mark_circle(size=70, opacity=0.85).encode(
        x=alt.X("premium_percent:Q", title="Pay premium (%)"),
        y=alt.Y("role:N", title=None, sort="-x", axis=alt.Axis(labelLimit=150, labelFontSize=10)),
        color=alt.Color("year:N", legend=alt.Legend(orient="top", title="Year")),
        tooltip=[alt.Tooltip("role:N", title="Role"), alt.Tooltip("premium_percent:Q", title="Premium (%)", format=".0f"),
                 alt.Tooltip("comparison:N", title="Compared with"), alt.Tooltip("geography:N", title="Where"),
                 alt.Tooltip("year:N", title="Year"), alt.Tooltip("method:N", title="Method"), alt.Tooltip("source_id:N", title="Source")],
    ).properties(width="container", height=alt.Step(15))
    lo, hi = data["premium_percent"].min(), data["premium_percent"].max()
    years = sorted(y for y in data["year"].unique().to_list() if y != "not stated")
    return block("ai-premium", chart, data, tb["sources"], f"Reported AI pay premiums range from {lo:.0f}% to {hi:.0f}%",
                 "Premium of AI roles or skills over each figure's own comparison",
                 f"Dot plot of {data.height} premium figures from {lo:.0f}% to {hi:.0f}%.",
                 method=("Each dot is one published figure, and each compares something different: an AI role against software "
                         "engineers, or the same job with and without AI skills in its postings. The figures come from surveys and "
                         "pay reports with their own samples; they are not comparable with each other, and a premium is not the "
                         "effect of learning AI. Hover a dot for its comparison."),
                 through={"Reported figures": (f"{years[-1]} (latest year stated; "
                                               f"{data.filter(pl.col('year') == 'not stated').height} figures state no year)")
                          if years else "no figure states its year"},
                 facts={"lowest": lo, "highest": hi})


def top_coded(occupations: pl.DataFrame, column: str) -> pl.Expr:
    """Occupations (soc_code) whose ``column`` BLS top-coded ("#") in any May year of the release."""
    flagged = occupations.filter(pl.col("bls_markers").fill_null("").str.contains(f"{column}=#", literal=True))["soc_code"]
    return pl.col("soc_code").is_in(flagged.unique().implode())


TOP_CODING = ("Before May 2025, BLS marked wages above its top reporting value with '#' instead of a number; the May 2025 "
              "workbook marks none.")


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
    return block("wage-distribution", chart, data, tb["sources"],
                 f"{top['occupation_title']} have the highest median pay of the occupations followed, May {year}",
                 "Line: 10th to 90th percentile; bar: 25th to 75th; tick: median (USD a year)",
                 f"Range chart of annual wage percentiles for {data.height} occupations in May {year}; the highest median is "
                 f"{top['occupation_title']} at ${top['annual_median_wage_usd']:,.0f}.",
                 method=(f"Pay of jobs in each occupation in May {year}, from BLS's OEWS workbook: 10th, 25th, 50th (median), 75th "
                         f"and 90th percentiles of annual wages. {TOP_CODING} So the top percentiles of the best-paid occupations "
                         f"here are not comparable with earlier years, and this chart shows May {year} alone."),
                 through={"BLS OEWS": f"May {year}"}, facts={"top": top})


def real_wage_chart(tb: dict) -> ChartBlock:
    """Real median wage change for every pair of May years, one occupation at a time (chosen in a menu).

    NOTE: an occupation whose median BLS top-coded in any year is left out: its value across the May 2025
    change of top-coding is not comparable.
    """
    occ = t.from_files(tb["occupations"], tb["sources"])
    wc = tb["wage_change"].filter(pl.col("real_change_share").is_not_null() & (pl.col("role_group") != "other")
                                  & ~top_coded(occ, "annual_median_wage_usd"))
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
    ids = occ["source_id"].to_list() + tb["cpi_monthly"]["source_id"].to_list()
    falls = data.filter(pl.col("real_percent") < 0).height
    return block("real-wage-change", chart, data, tb["sources"],
                 f"Real median pay fell in {falls} of {data.height} pairs of years and occupations",
                 "Every pair of May years, at May consumer prices (CPI-U); choose an occupation below the chart",
                 f"Grid of real median wage change for each pair of May years for {len(titles)} occupations; "
                 f"the values range from {data['real_percent'].min():+.1f}% to {data['real_percent'].max():+.1f}%.",
                 method=("Change in each occupation's median annual wage between two Mays, after removing the rise in consumer "
                         "prices (CPI-U for May, the month the wages refer to). " + OEWS_METHOD + " " + TOP_CODING +
                         " Occupations whose median was ever marked so are left out of these comparisons."),
                 through={"BLS OEWS": f"May {data['to_year'].max()}", "CPI-U": month_text(tb["cpi_monthly"]["month"].max())},
                 source_ids=ids, facts={"falls": falls, "pairs": data.height})


# ---------------------------------------------------------------- why
def _no_data_band(height: int) -> list:
    """A grey band over the months before a series starts (rows of layer 'no_data': date to end), labelled: no data, not zero."""
    gap = alt.Chart().transform_filter(alt.datum.layer == "no_data")
    return [gap.mark_rect(color="#eeeeee").encode(x=alt.X("date:T", scale=alt.Scale(domain=TIME_DOMAIN)), x2="end:T"),
            gap.mark_text(align="left", baseline="middle", dx=4, fontSize=11, color="#444", limit=150, lineBreak="|").encode(
                x="date:T", y=alt.value(height / 2), text="label:N")]


def why_chart(tb: dict) -> ChartBlock:
    """The federal funds rate, software-development postings and Layoffs.fyi's monthly layoffs on one time axis.

    The layoffs panel shades, and says so, the months before the release's first Layoffs.fyi month: no data, not zero.
    """
    rate = tb["rates"].filter(pl.col("month") >= pl.date(2020, 1, 1)).select(
        pl.lit("rate").alias("layer"), pl.col("month").alias("date"), pl.col("rate_percent").alias("value"), "source_id")
    sw = _weekly_postings(tb).filter(pl.col("series") == "software").select(
        pl.lit("postings").alias("layer"), "date", "value", "source_id")
    fyi = t.fyi_months(tb["layoffs_fyi_monthly"]).select(
        pl.lit("layoffs").alias("layer"), pl.col("month").alias("date"), pl.col("employees").cast(pl.Float64).alias("value"), "source_id")
    publishers = {name: _publisher(df, tb) for name, df in (("rate", rate), ("postings", sw), ("layoffs", fyi))}
    ids = [*rate["source_id"], *sw["source_id"], *fyi["source_id"], *tb["milestones"]["source_id"]]
    cols = ["layer", "date", "end", "value", "label", "ypx", "side", "source"]
    series = pl.concat([rate, sw, fyi]).with_columns(
        pl.lit(None, pl.Date).alias("end"), pl.lit(None, pl.String).alias("label"), pl.lit(None, pl.Int64).alias("ypx"),
        pl.lit(None, pl.String).alias("side"), pl.lit(None, pl.String).alias("source"))
    ms = _milestones(tb["milestones"], tb["sources"]).with_columns(pl.lit(None, pl.Float64).alias("value"), pl.lit(None, pl.Date).alias("end"))
    from datetime import date

    start, first_fyi = date.fromisoformat(TIME_DOMAIN[0]), fyi["date"].min()
    parts = [series.select(cols), ms.select(cols)]
    if first_fyi > start:
        # NOTE: an empty stretch of axis reads as zero layoffs; the months before the first month held are shaded and labelled.
        parts.append(pl.DataFrame({"layer": ["no_data"], "date": [start], "end": [first_fyi], "value": [None],
                                   "label": [f"No monthly data|before {month_text(first_fyi)}"], "ypx": [None],
                                   "side": [None], "source": [None]}, schema=parts[0].schema))
    data = pl.concat(parts)

    def panel(layer, mark, title, fmt, color, tip_title, height, top=False, axis=False):
        v = alt.Chart().transform_filter(alt.datum.layer == layer).transform_calculate(source=_quoted(publishers[layer]))
        enc = dict(x=_x_time(axis=axis) if mark != "bar" else alt.X("yearmonth(date):T", title=None, scale=alt.Scale(domain=TIME_DOMAIN),
                                                                         axis=alt.Axis(format="%Y", tickCount="year") if axis else None),
                   y=alt.Y("value:Q", title=title, axis=alt.Axis(format=fmt)),
                   tooltip=[alt.Tooltip("date:T", title="Date", format="%d %b %Y" if mark == "line" and layer == "postings" else "%b %Y"),
                            alt.Tooltip("value:Q", title=tip_title, format=",.2f" if layer != "layoffs" else ","), alt.Tooltip("source:N", title="Source")])
        m = v.mark_line(color=color, strokeWidth=1.8) if mark == "line" else v.mark_bar(color=color)
        extra = _no_data_band(height) if layer == "layoffs" else []
        return alt.layer(*extra, m.encode(**enc), *_milestone_layers(y_top=top)).properties(width="container", height=height)

    chart = alt.vconcat(
        panel("rate", "line", "Fed funds rate (%)", ".1f", BLUE, "Rate (%)", 110, top=True),
        panel("postings", "line", "Postings index", ".0f", GREEN, "Software-development index", 110),
        panel("layoffs", "bar", "People laid off", "~s", VERMILION, "People (Layoffs.fyi)", 110, axis=True),
        spacing=6)
    r = rate.sort(["value", "date"], descending=[True, False]).row(0, named=True)
    # NOTE: the first rise is the first month whose average rate is more than 0.1 point above the month before.
    first_rise = rate.sort("date").filter(pl.col("value") > pl.col("value").shift(1) + 0.1).row(0, named=True)
    # NOTE: the peak is read from the daily series (the chart draws one day a week, which may miss the peak day).
    peak_sw = _software_daily(tb).sort(["value", "date"], descending=[True, False]).row(0, named=True)
    peak_fyi = fyi.sort(["value", "date"], descending=[True, False]).row(0, named=True)
    return block("rates-postings-layoffs", chart, data, tb["sources"],
                 f"Software postings peaked in {month_text(peak_sw['date'])}, rates began rising in {month_text(first_rise['date'])}, "
                 f"layoffs peaked in {month_text(peak_fyi['date'])}",
                 "Federal funds rate (monthly, %), Indeed software-development postings (index, weekly), Layoffs.fyi people per month",
                 f"Three stacked panels on one time axis from January 2020: the federal funds rate, highest at {r['value']:.2f}% "
                 f"in {r['date']:%B %Y}; Indeed's software-development postings index; and Layoffs.fyi's monthly layoffs from "
                 f"{first_fyi:%B %Y}. Dashed lines mark {ms.height} milestones: "
                 + "; ".join(f"{m['label']} ({m['date']:%d %B %Y})" for m in ms.iter_rows(named=True)) + ".",
                 method=(f"Three series on one time axis, to compare timing only: series that move together do not show that one "
                         f"caused another, and nothing here shows why a company cut jobs. Rate: the monthly average federal funds "
                         f"effective rate. Postings: Indeed's software-development index (1 February 2020 = 100), one day a week, "
                         f"latest version. Layoffs: people per month as listed by Layoffs.fyi; the shaded months before "
                         f"{month_text(first_fyi)} are not in this release (no data, not zero). Dashed lines: dated milestones."),
                 through={"Federal funds rate": month_text(rate["date"].max()), "Software postings": day_text(sw["date"].max()),
                          "Layoffs.fyi": month_text(fyi["date"].max())},
                 source_ids=ids, facts={"first_fyi": first_fyi, "first_rise": first_rise["date"], "peak_postings": peak_sw["date"],
                                                "peak_layoffs": peak_fyi["date"]})


# ---------------------------------------------------------------- morale
# NOTE: Glassdoor published its tech reading for the "information" sector until 2023 and for an "Information
# Technology" industry from 2025 (the rows' notes); no 2024 tech reading is held. A tech reading in 2024 is refused
# rather than assigned to either definition.
TECH_DEFINITIONS = ((2023, "Tech: 'information' sector"), (2025, "Tech: IT industry"))
# NOTE: Glassdoor reports monthly; points more than three months apart are not joined (the months between are missing).
MAX_JOINED_GAP_MONTHS = 3


def confidence_series(confidence: pl.DataFrame) -> pl.DataFrame:
    """The drawn confidence readings (latest version of each month): series name by definition, and line segments."""
    conf = t.latest_vintage(confidence).filter(pl.col("series").is_in(["overall_us", "information_technology"]))
    year = pl.col("month").dt.year()
    early, late = TECH_DEFINITIONS
    bad = conf.filter((pl.col("series") == "information_technology") & year.is_between(early[0] + 1, late[0] - 1))
    if bad.height:
        raise ValueError(f"confidence: tech reading(s) of {bad['month'].to_list()} fall between the two sector definitions")
    name = (pl.when(pl.col("series") == "overall_us").then(pl.lit("All US employees"))
            .when(year <= early[0]).then(pl.lit(early[1])).otherwise(pl.lit(late[1])))
    months = pl.col("month").dt.year() * 12 + pl.col("month").dt.month()
    out = conf.with_columns(name.alias("name")).sort(["name", "month"]).with_columns(
        ((months - months.shift(1).over("name")).fill_null(0) > MAX_JOINED_GAP_MONTHS).cum_sum().over("name").alias("segment"))
    return out.with_columns(pl.format("{} #{}", "name", "segment").alias("segment"))


def confidence_chart(tb: dict) -> ChartBlock:
    """Employee confidence (latest version) above Layoffs.fyi's monthly layoffs, one time axis; lines break at gaps and definitions."""
    src = tb["sources"].select("source_id", pl.col("publisher").alias("source"))
    cs = confidence_series(tb["confidence"])
    conf = cs.select(pl.lit("confidence").alias("layer"), pl.col("month").alias("date"), pl.col("name").alias("series"), "segment",
                     (pl.col("confident_share") * 100).round(1).alias("value"), "source_id")
    fyi = t.fyi_months(tb["layoffs_fyi_monthly"]).select(
        pl.lit("layoffs").alias("layer"), pl.col("month").alias("date"), pl.lit("Layoffs.fyi").alias("series"),
        pl.lit(None, pl.String).alias("segment"), pl.col("employees").cast(pl.Float64).alias("value"), "source_id")
    data = pl.concat([conf, fyi]).join(src, on="source_id", how="left")
    names = ["All US employees", *(n for _, n in TECH_DEFINITIONS)]
    color = alt.Color("series:N", scale=alt.Scale(domain=names, range=[BLUE, ORANGE, VERMILION]),
                      legend=alt.Legend(orient="top", title=None, columns=1))
    start, end = time_range_params(int(WAVE_DOMAIN[0][:4]), int(WAVE_DOMAIN[1][:4]))
    domain, in_range = time_range_domain(start, end, WAVE_DOMAIN[1]), time_range_filter(start, end)
    c = alt.Chart().transform_filter(alt.datum.layer == "confidence").transform_filter(in_range).mark_line(point=True, clip=True).encode(
        x=_x_time(domain, axis=False), y=alt.Y("value:Q", title="Positive outlook (%)", scale=alt.Scale(zero=False)), color=color,
        detail="segment:N",
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("date:T", title="Month", format="%b %Y"),
                 alt.Tooltip("value:Q", title="Positive outlook (%)", format=".1f"), alt.Tooltip("source:N", title="Source")]
    ).properties(width="container", height=170)
    b = alt.Chart().transform_filter(alt.datum.layer == "layoffs").transform_filter(in_range).mark_bar(color=GREY, clip=True).encode(
        x=alt.X("yearmonth(date):T", title=None, scale=alt.Scale(domain=domain), axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("value:Q", title="People laid off", axis=alt.Axis(format="~s")),
        tooltip=[alt.Tooltip("yearmonth(date):T", title="Month"), alt.Tooltip("value:Q", title="People (Layoffs.fyi)", format=","),
                 alt.Tooltip("source:N", title="Source")]).properties(width="container", height=100)
    chart = alt.vconcat(c, b, spacing=6, params=[start.param, end.param])
    low = conf.sort(["value", "date"]).row(0, named=True)
    through = {n: month_text(conf.filter(pl.col("series") == n)["date"].max()) for n in names if conf.filter(pl.col("series") == n).height}
    through["Layoffs.fyi"] = month_text(fyi["date"].max())
    return block("confidence-and-layoffs", chart, data, tb["sources"],
                 f"Confidence was lowest in {month_text(low['date'])} ({low['series']})",
                 ["Glassdoor: employees with a positive 6-month outlook (%)", "Layoffs.fyi: people laid off per month"],
                 f"Two panels on one time axis: {conf.height} confidence readings with a low of {low['value']:.1f}% "
                 f"({low['series']}, {low['date']:%B %Y}), above Layoffs.fyi's monthly layoffs.",
                 method=(f"Glassdoor's Employee Confidence Index: the share of employees reviewing their employer who expect its "
                         f"business to improve over the next six months. We hold scattered months, read from Glassdoor's reports "
                         f"and their coverage: points more than {MAX_JOINED_GAP_MONTHS} months apart are not joined, because the "
                         f"months between are missing. Glassdoor changed how it defines tech: its 'information' sector (2022-2023) "
                         f"and its Information Technology industry (2025-2026) are drawn as two series, never joined. Glassdoor "
                         f"revises readings; the latest version of each month is drawn. The sliders below the chart narrow the years drawn."),
                 through=through, facts={"low": low, "segments": conf["segment"].n_unique()})


SENTIMENT_START = "2020-01-01"


def sentiment_series(consumer_sentiment: pl.DataFrame) -> pl.DataFrame:
    """Michigan's monthly index from the chart's first month on (the rows the chart and the prose share)."""
    return consumer_sentiment.filter(pl.col("month") >= dt.date.fromisoformat(SENTIMENT_START)).sort("month").select(
        pl.col("month").alias("date"), pl.col("sentiment_index").alias("value"), "seasonal_adjustment", "source_id")


def sentiment_chart(tb: dict) -> ChartBlock:
    """The University of Michigan's index of consumer sentiment, monthly, on the report's time axis."""
    data = sentiment_series(tb["consumer_sentiment"])
    chart = alt.Chart().mark_line(color=BLUE, strokeWidth=1.8).encode(
        x=_x_time(axis=True), y=alt.Y("value:Q", title="Index (1966 Q1 = 100)", scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("date:T", title="Month", format="%b %Y"), alt.Tooltip("value:Q", title="Index", format=".1f")],
    ).properties(width="container", height=180)
    low = data.sort(["value", "date"]).row(0, named=True)
    last = data.row(-1, named=True)
    return block("consumer-sentiment", chart, data, tb["sources"],
                 f"Consumer sentiment was lowest in {month_text(low['date'])}",
                 ["University of Michigan: index of consumer sentiment, monthly", "(1966 Q1 = 100; not seasonally adjusted)"],
                 f"One line from January 2020: the index of consumer sentiment, lowest at {low['value']:.1f} in "
                 f"{low['date']:%B %Y} and {last['value']:.1f} in {last['date']:%B %Y}.",
                 method=("The University of Michigan's Surveys of Consumers ask a sample of US households about their own "
                         "finances and the economy; the index is set to 100 in the first quarter of 1966. It covers all "
                         "households, not tech workers, and is about more than jobs, so it is context for the workers' "
                         "readings above, not a measure of them. Values are those of the copy of FRED's series we read "
                         "(see the sources)."),
                 through={"Consumer sentiment": month_text(last["date"])}, facts={"low": low, "last": last})


# ---------------------------------------------------------------- summary
def headline_chart(tb: dict) -> ChartBlock:
    """Software-development and all postings (weekly) above Layoffs.fyi's monthly layoffs: the summary's one chart."""
    weekly = _weekly_postings(tb)
    fyi = t.fyi_months(tb["layoffs_fyi_monthly"])
    data = pl.concat([
        weekly.select(pl.lit("postings").alias("layer"), "date", "series", "value", "source_id"),
        fyi.select(pl.lit("layoffs").alias("layer"), pl.col("month").alias("date"), pl.lit("layoffs").alias("series"),
                   pl.col("employees").cast(pl.Float64).alias("value"), "source_id"),
    ]).with_columns(pl.lit(None, pl.Date).alias("end"), pl.lit(None, pl.String).alias("label"))
    from datetime import date

    start = date.fromisoformat(TIME_DOMAIN[0])
    if fyi["month"].min() > start:
        data = pl.concat([data, pl.DataFrame({"layer": ["no_data"], "date": [start], "series": [None], "value": [None], "source_id": [None],
                                              "end": [fyi["month"].min()], "label": [f"No monthly data|before {month_text(fyi['month'].min())}"]},
                                             schema=data.schema)])
    day = common_last_day(weekly)
    sw_day, all_day = (weekly.filter((pl.col("series") == k) & (pl.col("date") == day))["value"][0] for k in ("software", "all"))
    color = alt.Color("series:N", scale=alt.Scale(domain=["software", "all"], range=[BLUE, GREY]),
                      legend=alt.Legend(orient="top", title=None, labelExpr="datum.label === 'software' ? 'Software development' : 'All postings'"))
    lines = alt.Chart().transform_filter(alt.datum.layer == "postings").mark_line(strokeWidth=1.6).encode(
        x=_x_time(axis=False), y=alt.Y("value:Q", title="Postings, 1 Feb 2020 = 100"), color=color,
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
                 alt.Tooltip("value:Q", title="Index", format=".1f")])
    base = alt.Chart().mark_rule(color="#999").encode(y=alt.datum(100))
    bars = alt.Chart().transform_filter(alt.datum.layer == "layoffs").mark_bar(color=VERMILION).encode(
        x=alt.X("yearmonth(date):T", title=None, scale=alt.Scale(domain=TIME_DOMAIN), axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("value:Q", title="People laid off", axis=alt.Axis(format="~s")),
        tooltip=[alt.Tooltip("yearmonth(date):T", title="Month"), alt.Tooltip("value:Q", title="People (Layoffs.fyi)", format=",")])
    chart = alt.vconcat(alt.layer(base, lines).properties(width="container", height=170),
                        alt.layer(*_no_data_band(90), bars).properties(width="container", height=90), spacing=6)
    peak = fyi.sort(["employees", "month"], descending=[True, False]).row(0, named=True)
    below = f"{100 - sw_day:.0f} points below" if sw_day < 100 else f"{sw_day - 100:.0f} points above"
    return block("headline", chart, data, tb["sources"],
                 f"On {day_text(day)}, software-development postings stood {below} their February 2020 level",
                 ["Indeed postings, US, seasonally adjusted (top)", f"Layoffs.fyi, people per month (bottom); largest: {month_text(peak['month'])}"],
                 f"Two panels on one time axis: Indeed's software-development and total postings indexes, weekly from February 2020, "
                 f"with software development at {sw_day:.1f} and all postings at {all_day:.1f} on {day_text(day)}; below, "
                 f"Layoffs.fyi's people laid off per month from {fyi['month'].min():%B %Y}, largest in {peak['month']:%B %Y}.",
                 method=(f"Postings are Indeed's own index, one day a week, latest version; a posting is not a hire. Layoffs are "
                         f"people listed by Layoffs.fyi per month of layoff, tech companies worldwide, from "
                         f"{month_text(fyi['month'].min())} (earlier months are not in this release). The two series are "
                         f"drawn together to compare timing; the chart does not show that one caused the other, or that AI "
                         f"caused either."),
                 through={"Software postings": day_text(weekly.filter(pl.col("series") == "software")["date"].max()),
                          "All postings": day_text(weekly.filter(pl.col("series") == "all")["date"].max()),
                          "Layoffs.fyi": month_text(fyi["month"].max())},
                 facts={"day": day, "software": sw_day, "all": all_day})


# ---------------------------------------------------------------- explore controls (issue 18, item 2)
# Vega-Lite parameters bound to inputs under the chart: they run in the page's inline vega bundle, so they work
# offline and from file://. Generic: a chart function adds the parameters and uses the expressions below.
def search_param(name: str = "find", label: str = "Find an occupation: ",
                 placeholder: str = "name or SOC code, e.g. 15-1252") -> alt.Parameter:
    """A text box (a search input) whose text the chart uses to highlight matching rows."""
    return alt.param(name=name, value="", bind=alt.binding(input="search", name=label, placeholder=placeholder))


def search_query(param: alt.Parameter) -> str:
    return f"lower(trim({param.name} || ''))"


def search_match(param: alt.Parameter, fields: list[str]) -> str:
    """True where the box is not empty and any of `fields` contains its text (case-insensitive).

    NOTE: a substring match, so "software" finds every software occupation and "15-12" a whole SOC group.
    """
    q = search_query(param)
    found = " || ".join(f"indexof(lower(toString(datum[{_quoted(f)}])), {q}) >= 0" for f in fields)
    return f"{q} !== '' && ({found})"


def search_opacity(param: alt.Parameter, fields: list[str], dimmed: float = 0.15, shown: float = 1) -> dict:
    """Opacity: every mark at `shown` while the box is empty; then the matches at 1 and the rest dimmed."""
    q, found = search_query(param), search_match(param, fields)
    if shown == 1:
        return alt.condition(f"{q} === '' || ({found})", alt.value(1), alt.value(dimmed))
    return {"condition": [{"test": f"{q} === ''", "value": shown}, {"test": found, "value": 1}], "value": dimmed}


def search_stroke(param: alt.Parameter, fields: list[str], colour: str = BLACK) -> dict:
    """An outline on the matching marks only."""
    return alt.condition(search_match(param, fields), alt.value(colour), alt.value(None))


def country_params(names: dict[str, str], default: str = "US") -> tuple[alt.Parameter, alt.Parameter]:
    """A select of the countries (code -> name) to highlight, and a checkbox to show or hide the others."""
    chosen = alt.param(name="country", value=default, bind=alt.binding_select(
        options=list(names), labels=list(names.values()), name="Country: "))
    others = alt.param(name="others", value=True, bind=alt.binding_checkbox(name="Show the other countries "))
    return chosen, others


def country_is_chosen(chosen: alt.Parameter, field: str = "country") -> str:
    return f"datum[{_quoted(field)}] === {chosen.name}"


def country_filter(chosen: alt.Parameter, others: alt.Parameter, field: str = "country") -> str:
    """Keep the chosen country's rows, and the others' while the checkbox is ticked."""
    return f"{others.name} || {country_is_chosen(chosen, field)}"


def country_name_expr(chosen: alt.Parameter, names: dict[str, str]) -> str:
    """The chosen country's name, for a label."""
    table = "{" + ", ".join(f"{_quoted(k)}: {_quoted(v)}" for k, v in names.items()) + "}"
    return f"{table}[{chosen.name}]"


def time_range_params(first_year: int, last_year: int, prefix: str = "") -> tuple[alt.Parameter, alt.Parameter]:
    """Two sliders, the first and last year drawn; a time axis takes its domain from them (time_range_domain)."""
    start = alt.param(name=f"{prefix}from_year", value=first_year,
                      bind=alt.binding_range(min=first_year, max=last_year, step=1, name="From "))
    end = alt.param(name=f"{prefix}to_year", value=last_year,
                    bind=alt.binding_range(min=first_year, max=last_year, step=1, name="to "))
    return start, end


def time_range_domain(start: alt.Parameter, end: alt.Parameter, last_day: str | None = None) -> list[dict]:
    """The x domain: 1 January of the earlier year chosen to 31 December of the later (or `last_day` if sooner).

    NOTE: the sliders may cross; the domain then runs from the smaller year to the larger.
    """
    lo, hi = f"min({start.name}, {end.name})", f"max({start.name}, {end.name})"
    stop = f"datetime({hi} + 1, 0, 1)"
    if last_day:
        y, m, d = (int(part) for part in last_day.split("-"))
        stop = f"min({stop}, datetime({y}, {m - 1}, {d}))"  # local time, as the charts parse their dates
    return [{"expr": f"datetime({lo}, 0, 1)"}, {"expr": stop}]


def time_range_filter(start: alt.Parameter, end: alt.Parameter, field: str = "date") -> str:
    """Rows inside the chosen years, so that the y axis fits what is drawn."""
    y = f"year(datum[{_quoted(field)}])"
    return f"{y} >= min({start.name}, {end.name}) && {y} <= max({start.name}, {end.name})"


# ---------------------------------------------------------------- labels that do not overlap at phone width (issue 18, item 3)
# NOTE: a 390 px phone leaves about 300 px of plot beside the fixed y axis; labels placed apart at that width stay
# apart on wider screens, where the same dates lie further apart. A 10 px label is about 6 px per character.
PHONE_PLOT_PX = 300
LABEL_CHAR_PX, LABEL_LINE_PX = 6.0, 12.0
LABEL_ROWS = {"level": 0, "above": -LABEL_LINE_PX, "below": LABEL_LINE_PX}


def label_rows(points: pl.DataFrame, domain: list[str], height_px: float, y_max: float,
                 label: str = "label_shown", x: str = "date", y: str = "people") -> pl.DataFrame:
    """A `label_row` per labelled point: level with it, above or below, or None (not labelled: no room).

    Labels are placed in date order, each to the right of its point, at the first row whose box, estimated at
    phone width, overlaps no label already placed. Rows of points without a label stay None.
    """
    from datetime import date as _date

    start, stop = (_date.fromisoformat(d) for d in domain)
    px_per_day = PHONE_PLOT_PX / (stop - start).days
    placed: list[tuple[float, float, float, float]] = []
    rows = []
    for rec in points.iter_rows(named=True):
        text = rec[label]
        if text is None:
            rows.append(None)
            continue
        left = (rec[x] - start).days * px_per_day + 5
        right = left + len(text) * LABEL_CHAR_PX
        mid = height_px * (1 - rec[y] / y_max)
        chosen = None
        for row, dy in LABEL_ROWS.items():
            top, bottom = mid + dy - LABEL_LINE_PX / 2, mid + dy + LABEL_LINE_PX / 2
            if right <= PHONE_PLOT_PX + 40 and not any(left < r and l < right and top < b and t < bottom for l, r, t, b in placed):
                chosen = row
                placed.append((left, right, top, bottom))
                break
        rows.append(chosen)
    return points.with_columns(pl.Series("label_row", rows, dtype=pl.String))


def label_layers(chart: alt.Chart, x, y, text: str = "label_shown:N", **mark) -> list:
    """One text layer per label row of label_rows, each shifted by its row's offset."""
    return [chart.transform_filter(alt.datum.label_row == row).mark_text(align="left", dx=5, dy=dy, baseline="middle", **mark)
            .encode(x=x, y=y, text=text) for row, dy in LABEL_ROWS.items()]
