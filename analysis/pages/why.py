"""report/why.qmd: the timing of interest rates, software postings and layoffs, with dated milestones.

Everything the page prints comes from here: the figures of provenance group ``why`` (each with its rows), its
chart block and the first AI milestone in words. The federal funds rate's peak (``_record_rate``) also serves
the summary page, which imports it from here; postings and layoffs come from the skills and layoffs pages.
Reads the release's tables rates, postings_daily, layoffs_fyi_monthly, layoff_events and milestones.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from .. import provenance as prov
from .. import transforms as t
from ..figures import (BLUE, GREEN, TIME_DOMAIN, VERMILION, ChartBlock, _milestone_layers, _milestones, _no_data_band,
                       _publisher, _quoted, _x_time, block, day_text, month_text)
from ..report import tables
from .layoffs import FYI, _fyi_months, _record_layoffs
from .skills import _record_postings, _software_daily, _weekly_postings


# ---------------------------------------------------------------- figures
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


def _record_rate(rec: prov.Recorder, prefix: str = "") -> None:
    rates = rec.tables["rates"].filter(pl.col("month") >= pl.date(2022, 1, 1))
    peak = rates.sort(["rate_percent", "month"], descending=[True, False]).head(1)
    rec.add(f"{prefix}rate-peak", peak, op="value", column="rate_percent", fmt=lambda v: f"{v:.2f}%",
            what=f"Highest federal funds effective rate since 2022 ({peak['month'][0]:%B %Y}), monthly", tables=["rates"],
            how="FEDFUNDS from January 2022; the highest month (the earliest, on ties).")


# ---------------------------------------------------------------- charts
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


# ---------------------------------------------------------------- text
def first_milestone(kind: str) -> str:
    """The label and month of the first milestone of a kind, as text ("ChatGPT released, November 2022")."""
    row = tables()["milestones"].filter(pl.col("milestone_kind") == kind).sort("date").row(0, named=True)
    return f"{row['label']}, {row['date']:%B %Y}"
