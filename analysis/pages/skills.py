"""report/skills.qmd: jobs by occupation, software and all postings, postings that mention AI.

Everything the page prints comes from here: the figures of provenance group ``skills`` (each with its rows),
three chart blocks and one table. Indeed's postings (``_record_postings``, ``_weekly_postings``) also serve
the summary and why pages, and the OEWS method note the premium page, which import them from here. Reads the
release's tables employment_change, employment_change_groups, occupations, postings_daily and milestones.
"""

from __future__ import annotations

import altair as alt
import polars as pl
from IPython.display import HTML

from .. import provenance as prov
from .. import transforms as t
from ..figures import (BLUE, GREEN, GREY, GROUP_LABELS, SKY, TIME_DOMAIN, VERMILION, WAVE_DOMAIN, ChartBlock, _milestone_layers,
                       _milestones, _publisher, _quoted, _x_time, block, colour_name, country_filter, country_is_chosen,
                       country_name_expr, country_params, day_text, search_opacity, search_param, search_stroke,
                       time_range_domain, time_range_filter, time_range_params)
from ..report import fmt_int, html_table, tables


COUNTRY_NAMES = {"US": "United States", "GB": "United Kingdom", "CA": "Canada", "AU": "Australia", "DE": "Germany",
                 "FR": "France", "IE": "Ireland", "IT": "Italy", "NL": "Netherlands"}

OEWS_METHOD = ("BLS's Occupational Employment and Wage Statistics (OEWS) count jobs, not people, by occupation each May. "
               "BLS does not design them for comparisons over time: each May's estimates pool three years of survey panels, "
               "occupation codes and methods change now and then, and May 2021 still reflects the pandemic's shift in which "
               "jobs existed. Treat changes of a few percent as within noise.")


# ---------------------------------------------------------------- series
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


# ---------------------------------------------------------------- figures
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


# ---------------------------------------------------------------- charts
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


# ---------------------------------------------------------------- tables
def occupation_table() -> HTML:
    """OEWS employment per occupation and May year (workbooks only), for the occupations the report follows."""
    followed = [*t.ROLE_GROUPS, "15-0000"]
    occ = t.from_files(tables()["occupations"], tables()["sources"]).filter(pl.col("soc_code").is_in(followed))
    wide = occ.pivot(on="year", index=["soc_code", "occupation_title"], values="employment").sort("soc_code")
    years = [c for c in wide.columns if c not in ("soc_code", "occupation_title")]
    return html_table(wide, {"SOC": "soc_code", "Occupation": "occupation_title", **{f"May {y}": y for y in years}},
                      {y: fmt_int for y in years})
