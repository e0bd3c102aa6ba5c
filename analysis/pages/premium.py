"""report/premium.qmd: reported AI pay premiums, wage percentiles, real wage change.

Everything the page prints comes from here: the figures of provenance group ``premium`` (each with its rows),
three chart blocks and one table. Reads the release's tables salaries, occupations, wage_change and cpi_monthly.
"""

from __future__ import annotations

import altair as alt
import polars as pl
from IPython.display import HTML

from .. import provenance as prov
from .. import transforms as t
from ..figures import BLACK, BLUE, GROUP_LABELS, SKY, ChartBlock, block, month_text
from ..report import fmt_share, fmt_usd, html_table, tables
from .skills import OEWS_METHOD


TOP_CODING = ("Before May 2025, BLS marked wages above its top reporting value with '#' instead of a number; the May 2025 "
              "workbook marks none.")


# ---------------------------------------------------------------- rows
def premium_rows(tb: dict) -> pl.DataFrame:
    """The premium figures the premium chart draws (and the prose describes), in percent."""
    df = t.ai_pay_premium(tb["salaries"]).with_columns(pl.col("year").cast(pl.String).fill_null("not stated").alias("year_text"))
    return df.select("role", (pl.col("premium_share") * 100).round(1).alias("premium_percent"), "comparison", "geography",
                     pl.col("year_text").alias("year"), "method", "source_id")


def top_coded(occupations: pl.DataFrame, column: str) -> pl.Expr:
    """Occupations (soc_code) whose ``column`` BLS top-coded ("#") in any May year of the release."""
    flagged = occupations.filter(pl.col("bls_markers").fill_null("").str.contains(f"{column}=#", literal=True))["soc_code"]
    return pl.col("soc_code").is_in(flagged.unique().implode())


# ---------------------------------------------------------------- figures
@prov.group("premium")
def _premium(rec: prov.Recorder) -> None:
    tb = rec.tables
    prem = premium_rows(tb)
    for ident, op, what in (("premium-largest", "max", "Largest AI pay premium drawn on the premium chart (percent)"),
                            ("premium-smallest", "min", "Smallest AI pay premium drawn on the premium chart (percent)")):
        rec.add(ident, prem, op=op, column="premium_percent", fmt=lambda v: f"{v:.0f}%", what=what, tables=["salaries"],
                how="Every premium figure the chart draws (reported, or computed from two reported pay levels).")
    rec.add("premium-figures", prem, op="count", what="Premium figures drawn on the premium chart", tables=["salaries"],
            how="Every premium figure the chart draws.")
    wc = tb["wage_change"]
    span = wc.filter((pl.col("soc_code") == "15-1252") & (pl.col("from_year") == wc["from_year"].min()) & (pl.col("to_year") == wc["to_year"].max()))
    ids = t.from_files(tb["occupations"], tb["sources"]).filter(
        (pl.col("soc_code") == "15-1252") & pl.col("year").is_in([span["from_year"][0], span["to_year"][0]]))["source_id"].to_list()
    ids += tb["cpi_monthly"].filter(pl.col("month").dt.month() == 5)["source_id"].unique().to_list()
    for col, what in (("nominal_change_share", "nominal"), ("real_change_share", "real")):
        rec.add(f"wage-software-{what}", span, op="value", column=col, fmt=prov.pct(1, signed=True),
                what=f"Change in software developers' median wage, May {span['from_year'][0]} to May {span['to_year'][0]}, {what}",
                tables=["wage_change", "occupations", "cpi_monthly"], how="The row of wage_change for SOC 15-1252 over the longest span.",
                sources=ids)
    allocc = wc.filter((pl.col("soc_code") == "00-0000") & (pl.col("from_year") == wc["from_year"].min()) & (pl.col("to_year") == wc["to_year"].max()))
    rec.add("wage-all-real", allocc, op="value", column="real_change_share", fmt=prov.pct(1, signed=True),
            what=f"Change in the median wage of all occupations, May {allocc['from_year'][0]} to May {allocc['to_year'][0]}, real",
            tables=["wage_change", "occupations", "cpi_monthly"], how="The row of wage_change for SOC 00-0000 over the longest span.",
            sources=ids)
    grid = real_wage_chart(tb).data
    neg = grid.filter(pl.col("real_percent") < 0)
    rec.add("wage-pairs-real-fall", neg, op="count", what="Pairs of years and occupations whose real median wage fell (real wage chart)",
            tables=["wage_change"], how="The cells of the real wage chart with a negative real change.", sources=ids)
    rec.add("wage-pairs", grid, op="count", what="Pairs of years and occupations on the real wage chart",
            tables=["wage_change"], how="Every cell of the real wage chart.", sources=ids)


# ---------------------------------------------------------------- charts
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


# ---------------------------------------------------------------- tables
def wage_table() -> HTML:
    # NOTE: the table shows the longest span per occupation; every pair of years is in `wage_change`.
    df = tables()["wage_change"]
    span = (pl.col("to_year") - pl.col("from_year")) == (pl.col("to_year") - pl.col("from_year")).max().over("soc_code")
    df = df.filter(span & (pl.col("role_group") != "other")).with_columns(pl.col("role_group").replace(GROUP_LABELS))
    return html_table(
        df,
        {"SOC": "soc_code", "Occupation": "occupation_title", "Group": "role_group", "From": "from_year", "To": "to_year",
         "Median then": "from_median_wage_usd", "Median now": "to_median_wage_usd",
         "Change before inflation": "nominal_change_share", "Change after inflation": "real_change_share"},
        {"from_median_wage_usd": fmt_usd, "to_median_wage_usd": fmt_usd,
         "nominal_change_share": lambda v: fmt_share(v, 1), "real_change_share": lambda v: fmt_share(v, 1)},
    )
