"""report/jobs.qmd: jobs held, young graduates' unemployment, job-security expectations.

Everything the page prints comes from here: the figures of provenance group ``jobs`` (each with its rows),
three chart blocks and one table. Series come from the release's tables ces_employment, cps_unemployment,
sce_labour_expectations and layoffs_fyi_monthly.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from .. import figures as fg
from .. import provenance as prov
from .. import report as r
from .. import transforms as t

START = pl.date(2020, 1, 1)
CES_LABELS = {"USINFO": "Information sector", "PAYEMS": "All nonfarm jobs"}
CPS_LABELS = {"UNRATE": "Everyone 16+", "LNS14000036": "Ages 20-24", "CGBD2024": "Bachelor's degree, 20-24"}
SCE_LABELS = {
    "job_loss_probability_mean": "Chance of losing one's job within 12 months",
    "job_finding_probability_mean": "Chance of finding a job within 3 months if one lost it",
}
SCE_ATTRIBUTION = (
    "Source: Survey of Consumer Expectations, (c) 2013-2025 Federal Reserve Bank of New York (FRBNY). "
    "FRBNY disclaims any responsibility for this analysis and interpretation of the data."
)


# ---------------------------------------------------------------- series
def one_copy(df: pl.DataFrame, key: str) -> pl.DataFrame:
    """Each series from one file only: the file whose data reach the latest month.

    NOTE: a series may come from two files (UNRATE is in the UNRATE copy and in the youth table); mixing
    them would plot a month twice. The longer, newer copy wins; on a tie, the first source_id.
    """
    best = (df.group_by(key, "source_id").agg(pl.col("month").max().alias("_last"))
            .sort([key, "_last", "source_id"], descending=[False, True, False]).group_by(key, maintain_order=True).first())
    return df.join(best.select(key, "source_id"), on=[key, "source_id"], how="semi").sort(key, "month")


def ces(tb) -> pl.DataFrame:
    return one_copy(tb["ces_employment"], "series_id").filter(pl.col("month") >= START)


def cps(tb) -> pl.DataFrame:
    return one_copy(tb["cps_unemployment"], "series_id").filter(pl.col("month") >= START)


def sce(tb) -> pl.DataFrame:
    return one_copy(tb["sce_labour_expectations"], "series").filter(pl.col("series").is_in(list(SCE_LABELS)))


def _series(df: pl.DataFrame, key: str, name: str) -> pl.DataFrame:
    return df.filter(pl.col(key) == name).sort("month")


def _extreme(df: pl.DataFrame, column: str, highest: bool) -> pl.DataFrame:
    """The row with the highest (or lowest) value; the earliest month on ties."""
    return df.sort([column, "month"], descending=[highest, False]).head(1)


# ---------------------------------------------------------------- figures
@prov.group("jobs")
def _jobs(rec: prov.Recorder) -> None:
    tb = rec.tables
    _record_jobs_held(rec, ces(tb))
    _record_unemployment(rec, cps(tb))
    _record_expectations(rec, sce(tb))
    months = t.fyi_months(tb["layoffs_fyi_monthly"]).select("month", "employees", "source_id")
    peak = _extreme(months, "employees", True)
    rec.add("jobs-fyi-peak-month", peak, op="value", column="employees",
            what=f"Largest month of Layoffs.fyi's count ({peak['month'][0]:%B %Y}), people laid off", tables=["layoffs_fyi_monthly"],
            how="The month with the most people laid off in one Layoffs.fyi export (transforms.fyi_months).")


def _record_jobs_held(rec: prov.Recorder, df: pl.DataFrame) -> None:
    how = "BLS CES all employees, thousands, seasonally adjusted (ces_employment, series {s}), from January 2020"
    info, total = _series(df, "series_id", "USINFO"), _series(df, "series_id", "PAYEMS")
    peak, last = _extreme(info, "employment_thousands", True), info.tail(1)
    rec.add("jobs-info-peak", peak, op="value", column="employment_thousands", fmt=prov.integer,
            what=f"Information-sector jobs at their highest since 2020 ({peak['month'][0]:%B %Y}), thousands",
            tables=["ces_employment"], how=how.format(s="USINFO") + "; the highest month.")
    rec.add("jobs-info-last", last, op="value", column="employment_thousands", fmt=prov.integer,
            what=f"Information-sector jobs in {last['month'][0]:%B %Y}, thousands", tables=["ces_employment"],
            how=how.format(s="USINFO") + "; the latest month.")
    pair = pl.concat([peak.with_columns(pl.lit("from").alias("term")), last.with_columns(pl.lit("to").alias("term"))])
    rec.add("jobs-info-change", pair, op="difference", column="employment_thousands", fmt=lambda v: f"{v:+,.0f}",
            what="Change in Information-sector jobs from their 2020s peak to the latest month, thousands",
            tables=["ces_employment"], how="Latest month less the peak month (USINFO).")
    rec.add("jobs-info-change-share", pair, op="change", column="employment_thousands", fmt=prov.pct(1, signed=True),
            what="Relative change in Information-sector jobs from their peak to the latest month",
            tables=["ces_employment"], how="Latest month over the peak month, less 1 (USINFO).")
    at_peak = total.filter(pl.col("month") == peak["month"][0])
    tot_last = total.tail(1)
    tot_pair = pl.concat([at_peak.with_columns(pl.lit("from").alias("term")), tot_last.with_columns(pl.lit("to").alias("term"))])
    rec.add("jobs-total-change-share", tot_pair, op="change", column="employment_thousands", fmt=prov.pct(1, signed=True),
            what=f"Relative change in all nonfarm jobs from {peak['month'][0]:%B %Y} to {tot_last['month'][0]:%B %Y}",
            tables=["ces_employment"], how="PAYEMS in the latest month over PAYEMS in the month Information peaked, less 1.")
    rec.add("jobs-total-last", tot_last, op="value", column="employment_thousands", fmt=prov.integer,
            what=f"All nonfarm jobs in {tot_last['month'][0]:%B %Y}, thousands", tables=["ces_employment"],
            how=how.format(s="PAYEMS") + "; the latest month.")


def _record_unemployment(rec: prov.Recorder, df: pl.DataFrame) -> None:
    since = pl.date(2022, 1, 1)
    for sid, slug in (("UNRATE", "all"), ("LNS14000036", "young"), ("CGBD2024", "grads")):
        s = _series(df, "series_id", sid)
        last = s.tail(1)
        adj = "seasonally adjusted" if last["seasonal_adjustment"][0] == "sa" else "not seasonally adjusted"
        how = f"BLS CPS unemployment rate, {adj} (cps_unemployment, series {sid}, one file: see pages.jobs.one_copy)"
        rec.add(f"jobs-unemp-{slug}-last", last, op="value", column="unemployment_rate_percent", fmt=lambda v: f"{v:.1f}%",
                what=f"Unemployment rate, {CPS_LABELS[sid]}, {last['month'][0]:%B %Y}", tables=["cps_unemployment"],
                how=how + "; the latest month.")
        recent = s.filter(pl.col("month") >= since)
        for kind, highest in (("high", True), ("low", False)):
            row = _extreme(recent, "unemployment_rate_percent", highest)
            rec.add(f"jobs-unemp-{slug}-{kind}", row, op="value", column="unemployment_rate_percent", fmt=lambda v: f"{v:.1f}%",
                    what=f"{'Highest' if highest else 'Lowest'} unemployment rate since 2022, {CPS_LABELS[sid]} ({row['month'][0]:%B %Y})",
                    tables=["cps_unemployment"], how=how + f"; the {'highest' if highest else 'lowest'} month from January 2022.")


def _record_expectations(rec: prov.Recorder, df: pl.DataFrame) -> None:
    how = "New York Fed SCE, mean probability in percent (sce_labour_expectations, series {s})"
    for series, slug in (("job_loss_probability_mean", "loss"), ("job_finding_probability_mean", "finding")):
        s = _series(df, "series", series)
        last = s.tail(1)
        rec.add(f"jobs-sce-{slug}-last", last, op="value", column="expectation_percent", fmt=lambda v: f"{v:.1f}%",
                what=f"{SCE_LABELS[series]}, mean expectation, {last['month'][0]:%B %Y}", tables=["sce_labour_expectations"],
                how=how.format(s=series) + "; the latest month of the workbook.")
        recent = s.filter(pl.col("month") >= pl.date(2022, 1, 1))
        # NOTE: the worse extreme since 2022: the highest chance of losing a job, the lowest of finding one.
        worst = _extreme(recent, "expectation_percent", highest=slug == "loss")
        best = _extreme(recent, "expectation_percent", highest=slug != "loss")
        for kind, row in (("worst", worst), ("best", best)):
            word = ("highest" if (slug == "loss") == (kind == "worst") else "lowest")
            rec.add(f"jobs-sce-{slug}-{kind}", row, op="value", column="expectation_percent", fmt=lambda v: f"{v:.1f}%",
                    what=f"{SCE_LABELS[series]}: {word} since 2022 ({row['month'][0]:%B %Y})", tables=["sce_labour_expectations"],
                    how=how.format(s=series) + f"; the {word} month from January 2022.")


def when(fig: prov.Figure) -> str:
    """The month of a one-row figure, as the page prints it (`November 2022`)."""
    months = fig.rows["month"].unique()
    if months.len() != 1:
        raise prov.ProvenanceError(f"figure {fig.id!r}: not one month")
    return f"{months[0]:%B %Y}"


# ---------------------------------------------------------------- charts
def _through(data: pl.DataFrame) -> dict[str, str]:
    """Each series drawn with the month of its last row."""
    last = data.group_by("series", maintain_order=True).agg(pl.col("date").max())
    return {row["series"]: fg.month_text(row["date"]) for row in last.iter_rows(named=True)}


def _source_names(chart, data: pl.DataFrame, tb):
    """The chart with a `source` field (the publisher) computed from each row's source_id in the browser.

    NOTE: the publisher's name repeated on every row cost the page about 35 kB; the CSV keeps the id, and
    the sources under the chart name each publisher.
    """
    names = tb["sources"].filter(pl.col("source_id").is_in(data["source_id"].unique().implode()))
    expr = "''"
    for source_id, publisher in sorted(names.select("source_id", "publisher").iter_rows(), reverse=True):
        expr = f"datum.source_id === {fg._quoted(source_id)} ? {fg._quoted(publisher)} : {expr}"
    return chart.transform_calculate(source=expr)


def jobs_chart(tb) -> fg.ChartBlock:
    """Information-sector and all nonfarm jobs (thousands, one panel each) above Layoffs.fyi's monthly layoffs."""
    jobs = ces(tb).select(
        pl.col("series_id").replace_strict(CES_LABELS).alias("series"), pl.col("month").alias("date"),
        pl.col("employment_thousands").alias("value"), "source_id")
    fyi = t.fyi_months(tb["layoffs_fyi_monthly"]).select(
        pl.lit("Layoffs.fyi").alias("series"), pl.col("month").alias("date"), pl.col("employees").cast(pl.Float64).alias("value"), "source_id")
    data = pl.concat([jobs, fyi])

    # NOTE: the reader narrows the years drawn with two sliders (the three panels share them).
    start, end = fg.time_range_params(int(fg.TIME_DOMAIN[0][:4]), int(fg.TIME_DOMAIN[1][:4]))
    domain, in_range = fg.time_range_domain(start, end, fg.TIME_DOMAIN[1]), fg.time_range_filter(start, end)

    def line(series: str, title: str, color: str, axis: bool = False):
        return alt.Chart().transform_filter(alt.datum.series == series).transform_filter(in_range).mark_line(
            color=color, strokeWidth=1.8, clip=True).encode(
            x=fg._x_time(domain, axis=axis), y=alt.Y("value:Q", title=title, scale=alt.Scale(zero=False), axis=alt.Axis(format=",.0f")),
            tooltip=[alt.Tooltip("date:T", title="Month", format="%b %Y"), alt.Tooltip("value:Q", title=f"{series} (thousands)", format=",.0f"),
                     alt.Tooltip("source:N", title="Source")]).properties(width="container", height=120)

    bars = alt.Chart().transform_filter(alt.datum.series == "Layoffs.fyi").transform_filter(in_range).mark_bar(
        color=fg.VERMILION, clip=True).encode(
        x=alt.X("yearmonth(date):T", title=None, scale=alt.Scale(domain=domain), axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("value:Q", title="People laid off", axis=alt.Axis(format="~s")),
        tooltip=[alt.Tooltip("yearmonth(date):T", title="Month"), alt.Tooltip("value:Q", title="People (Layoffs.fyi)", format=","),
                 alt.Tooltip("source:N", title="Source")]).properties(width="container", height=100)
    chart = alt.vconcat(line("Information sector", "Information (thousands)", fg.BLUE),
                        line("All nonfarm jobs", "All jobs (thousands)", fg.GREY), bars, spacing=6,
                        params=[start.param, end.param])
    info = jobs.filter(pl.col("series") == "Information sector")
    peak = info.sort(["value", "date"], descending=[True, False]).row(0, named=True)
    last = info.tail(1).row(0, named=True)
    return fg.block(
        "jobs-held-and-layoffs", _source_names(chart, data, tb), data, tb["sources"], "Jobs held and layoffs counted, 2020-2026",
        ["BLS payroll survey: jobs in the Information sector and in all nonfarm", "industries (thousands, seasonally adjusted); Layoffs.fyi: people laid off per month"],
        f"Three stacked panels on one time axis from January 2020: Information-sector jobs, highest at {peak['value']:,.0f} thousand "
        f"in {peak['date']:%B %Y} and {last['value']:,.0f} thousand in {last['date']:%B %Y}; all nonfarm jobs; and Layoffs.fyi's "
        "monthly count of people laid off.",
        note="Jobs held are counted by BLS from employers' payrolls; Layoffs.fyi counts announced layoffs worldwide.",
        method=("Jobs, not people: someone with two jobs counts twice, and the self-employed are not counted. Both payroll "
                "series are seasonally adjusted by BLS, which revises the last two months at every release and the whole "
                "level once a year; the values are those of the file we read (dated in the sources). Layoffs.fyi counts layoffs "
                "announced at tech companies worldwide; the two are drawn on one time axis to compare timing only, and a "
                "layoff and a fall in jobs held in the same month do not show that one caused the other. Computer systems "
                "design and software publishers on their own are not shown: no copy of their series was available to the "
                "build. The sliders below the chart narrow the years drawn."),
        through=_through(data))


def unemployment_chart(tb) -> fg.ChartBlock:
    """Unemployment rates of everyone, of 20-24 year-olds, and of bachelor's degree holders aged 20-24."""
    df = cps(tb)
    data = df.select(
        pl.col("series_id").replace_strict(CPS_LABELS).alias("series"), pl.col("month").alias("date"),
        pl.col("unemployment_rate_percent").alias("value"), "seasonal_adjustment", "source_id")
    groups = list(CPS_LABELS.values())
    start, end = fg.time_range_params(int(fg.TIME_DOMAIN[0][:4]), int(fg.TIME_DOMAIN[1][:4]))
    domain, in_range = fg.time_range_domain(start, end, fg.TIME_DOMAIN[1]), fg.time_range_filter(start, end)
    chart = alt.Chart().transform_filter(in_range).mark_line(strokeWidth=1.8, clip=True).encode(
        x=fg._x_time(domain, axis=True), y=alt.Y("value:Q", title="Unemployment rate (%)"),
        color=alt.Color("series:N", scale=alt.Scale(domain=groups, range=[fg.GREY, fg.BLUE, fg.ORANGE]),
                        legend=alt.Legend(orient="top", title=None)),
        tooltip=[alt.Tooltip("series:N", title="Group"), alt.Tooltip("date:T", title="Month", format="%b %Y"),
                 alt.Tooltip("value:Q", title="Rate (%)", format=".1f"), alt.Tooltip("seasonal_adjustment:N", title="Adjustment"),
                 alt.Tooltip("source:N", title="Source")]).add_params(start, end).properties(width="container", height=220)
    grads = data.filter(pl.col("series") == CPS_LABELS["CGBD2024"])
    top = grads.sort(["value", "date"], descending=[True, False]).row(0, named=True)
    return fg.block(
        "young-unemployment", _source_names(chart, data, tb), data, tb["sources"], "Unemployment: everyone, the young, young graduates",
        ["BLS household survey, monthly unemployment rate (%); the graduates' rate", "is not seasonally adjusted"],
        f"Three lines from January 2020: the unemployment rate of everyone 16 and over, of 20-24 year-olds, and of bachelor's "
        f"degree holders aged 20-24, whose rate was highest at {top['value']:.1f}% in {top['date']:%B %Y}.",
        note="October 2025 is missing: BLS did not collect it.",
        method=("People without a job who looked for one in the past four weeks, as a share of those working or looking, "
                "from BLS's monthly household survey. The rates for everyone and for ages 20-24 are seasonally adjusted; the "
                "graduates' rate is not, and each full year's high in this file falls between June and September: compare "
                "a month with the same month of another year. The graduates' group is a small sample, so its rate moves a lot from one month to the next. The data "
                "say who is unemployed, not why. The sliders below the chart narrow the years drawn."),
        through=_through(data))


def expectations_chart(tb) -> fg.ChartBlock:
    """The New York Fed's mean expectations of losing one's job and of finding one."""
    df = sce(tb).filter(pl.col("month") >= START)
    data = df.select(
        pl.col("series").replace_strict(SCE_LABELS).alias("series"), pl.col("month").alias("date"),
        pl.col("expectation_percent").round(1).alias("value"), "source_id")

    def panel(series: str, title: str, color: str, axis: bool):
        return alt.Chart().transform_filter(alt.datum.series == series).mark_line(color=color, strokeWidth=1.8, point=True).encode(
            x=fg._x_time(axis=axis), y=alt.Y("value:Q", title=title, scale=alt.Scale(zero=False)),
            tooltip=[alt.Tooltip("date:T", title="Month", format="%b %Y"), alt.Tooltip("value:Q", title="Mean probability (%)", format=".1f"),
                     alt.Tooltip("source:N", title="Source")]).properties(width="container", height=120)

    loss, finding = SCE_LABELS.values()
    chart = alt.vconcat(panel(loss, "Lose job in 12 months (%)", fg.VERMILION, False),
                        panel(finding, "Find job in 3 months (%)", fg.GREEN, True), spacing=6)
    last = data.sort("date").tail(1).row(0, named=True)
    return fg.block(
        "job-security-expectations", _source_names(chart, data, tb), data, tb["sources"], "How workers rate their job security",
        ["New York Fed Survey of Consumer Expectations: mean probability (%) of losing", "one's job within 12 months, and of finding one within 3 months"],
        f"Two panels from January 2020 to {last['date']:%B %Y}: the mean probability respondents give of losing their job within "
        "a year, and of finding a job within three months if they lost theirs.",
        note=f"Source: Survey of Consumer Expectations, New York Fed. Values rounded to 0.1 point; the data end in {last['date']:%B %Y}.",
        method=("Respondents' answers, averaged: they are expectations, not outcomes. The workbook does not say the series "
                "are seasonally adjusted; the New York Fed occasionally revises past months, and our copy ends with its "
                "latest month."),
        through=_through(data))


# ---------------------------------------------------------------- table
def latest_table(tb) -> r.HTML:
    """Each series' latest month and value, with the file it comes from."""
    rows = []
    for df, key, value, labels, unit in (
        (ces(tb), "series_id", "employment_thousands", CES_LABELS, "thousand jobs"),
        (cps(tb), "series_id", "unemployment_rate_percent", CPS_LABELS, "% unemployed"),
        (sce(tb), "series", "expectation_percent", SCE_LABELS, "% mean probability"),
    ):
        last = df.sort("month").group_by(key, maintain_order=True).last()
        for rec in last.iter_rows(named=True):
            # NOTE: the SCE workbook states no seasonal adjustment; its rows have no such column.
            adj = rec.get("seasonal_adjustment", "none")
            text = f"{rec[value]:,.0f}" if unit == "thousand jobs" else f"{rec[value]:.1f}"
            rows.append({"series": labels[rec[key]], "month": f"{rec['month']:%B %Y}", "value": f"{text} {unit}",
                         "adjustment": {"sa": "seasonally adjusted", "nsa": "not adjusted", "none": "none stated"}[adj], "source_id": rec["source_id"]})
    df = pl.DataFrame(rows).join(tb["sources"].select("source_id", "url"), on="source_id", how="left")
    return r.html_table(df, {"Series": "series", "Latest month": "month", "Value": "value", "Adjustment": "adjustment", "Source": "source_id"},
                        links={"source_id": "url"})
