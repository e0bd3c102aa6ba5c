"""report/index.qmd (the summary): key findings and the headline chart.

Everything the page prints comes from here: the figures of provenance group ``summary`` (each with its rows,
most recorded with the ``summary-`` prefix by the other pages' recorders, imported from them), the headline
chart block and the span of the seed articles' dates.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from .. import provenance as prov
from .. import transforms as t
from ..figures import (BLUE, GREY, TIME_DOMAIN, VERMILION, ChartBlock, _no_data_band, _x_time, block, day_text,
                       month_text)
from ..report import tables
from .claims import _record_verdicts
from .layoffs import _record_layoffs
from .skills import _record_postings, _weekly_postings, common_last_day
from .why import _record_rate


# ---------------------------------------------------------------- figures
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


# ---------------------------------------------------------------- charts
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


# ---------------------------------------------------------------- text
def articles_span() -> str:
    """When the seed articles were written, at the widest: 'between January 2024 and November 2026'."""
    docs = tables()["seed_documents"]
    first = pl.concat([docs["date_published"], docs["date_earliest"]]).drop_nulls().min()
    last = pl.concat([docs["date_published"], docs["date_latest"]]).drop_nulls().max()
    return f"between {first:%B %Y} and {last:%B %Y}"
