"""The report's shared chart helpers: titled with units, tooltips, a text alternative, a source line and their data.

Each page's own charts live in its module of ``analysis/pages/`` (``pages.layoffs.layoff_wave_chart``...); this
module holds what they share: the chart block, the palette and time axes, milestone layers, the explore controls
and the label placement.

Every chart is a :class:`ChartBlock`: the Vega-Lite spec, whose only data is one CSV text embedded in it,
and, under the chart, a line with a "Data" link to that same CSV (written beside the page) and the
sources with their URLs. Views take the width of their container (``width="container"``), so a chart
fits a phone's screen. Colours come from the Okabe-Ito palette, which stays distinct for the common
colour-vision deficiencies. Daily series are drawn as one day a week (every seventh day of Indeed's
7-day averages); the chart and its CSV say so.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

import altair as alt
import polars as pl

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, YELLOW, BLACK = OKABE_ITO
GREY = "#777777"
CHART_DIR = "charts"
MAX_LISTED_SOURCES = 6
# The time axis every chart of 2020-2026 shares, so that panels on different pages line up.
TIME_DOMAIN = ["2020-01-01", "2026-09-01"]
WAVE_DOMAIN = ["2022-01-01", "2026-09-01"]
Y_AXIS = {"minExtent": 52, "maxExtent": 52}  # fixed y-axis width: stacked panels' plot areas line up

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


# ---------------------------------------------------------------- shared by several pages' charts
def _no_data_band(height: int) -> list:
    """A grey band over the months before a series starts (rows of layer 'no_data': date to end), labelled: no data, not zero."""
    gap = alt.Chart().transform_filter(alt.datum.layer == "no_data")
    return [gap.mark_rect(color="#eeeeee").encode(x=alt.X("date:T", scale=alt.Scale(domain=TIME_DOMAIN)), x2="end:T"),
            gap.mark_text(align="left", baseline="middle", dx=4, fontSize=11, color="#444", limit=150, lineBreak="|").encode(
                x="date:T", y=alt.value(height / 2), text="label:N")]


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
