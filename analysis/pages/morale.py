"""report/morale.qmd: employee confidence (Glassdoor) beside layoffs, and consumer sentiment.

Everything the page prints comes from here: the figures of provenance group ``morale`` (each with its rows) and
two chart blocks. Reads the release's tables confidence, consumer_sentiment and layoffs_fyi_monthly.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import polars as pl

from .. import provenance as prov
from .. import transforms as t
from ..figures import (BLUE, GREY, ORANGE, VERMILION, WAVE_DOMAIN, ChartBlock, _x_time, block, month_text,
                       time_range_domain, time_range_filter, time_range_params)
from .layoffs import FYI, _fyi_months


MORALE_SERIES = {"All US employees": "overall-us", "Tech: 'information' sector": "tech-information", "Tech: IT industry": "tech-it"}

# NOTE: Glassdoor published its tech reading for the "information" sector until 2023 and for an "Information
# Technology" industry from 2025 (the rows' notes); no 2024 tech reading is held. A tech reading in 2024 is refused
# rather than assigned to either definition.
TECH_DEFINITIONS = ((2023, "Tech: 'information' sector"), (2025, "Tech: IT industry"))

# NOTE: Glassdoor reports monthly; points more than three months apart are not joined (the months between are missing).
MAX_JOINED_GAP_MONTHS = 3

SENTIMENT_START = "2020-01-01"


# ---------------------------------------------------------------- series
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


def sentiment_series(consumer_sentiment: pl.DataFrame) -> pl.DataFrame:
    """Michigan's monthly index from the chart's first month on (the rows the chart and the prose share)."""
    return consumer_sentiment.filter(pl.col("month") >= dt.date.fromisoformat(SENTIMENT_START)).sort("month").select(
        pl.col("month").alias("date"), pl.col("sentiment_index").alias("value"), "seasonal_adjustment", "source_id")


# ---------------------------------------------------------------- figures
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


# ---------------------------------------------------------------- charts
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
