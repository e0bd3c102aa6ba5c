"""The AI-exposure page: its charts (chart blocks with their CSVs), tables and provenance-recorded figures.

Reads the release tables exposure_change, exposure_bins, exposure_summary and ai_exposure (issue #13).
"""

from __future__ import annotations

import altair as alt
import polars as pl

from . import provenance as prov
from . import transforms as t
from .figures import BLUE, GREY, ORANGE, VERMILION, GREEN, ChartBlock, block

# NOTE: the page leads with beta rated by GPT-4, the measure the paper's headline shares are quoted as
# using (see data/NOTES.md); the tables give every measure.
HEADLINE = "exposure_beta_gpt4"
MEASURE_LABELS = {
    "exposure_alpha_gpt4": "alpha, GPT-4", "exposure_beta_gpt4": "beta, GPT-4", "exposure_gamma_gpt4": "gamma, GPT-4",
    "exposure_alpha_human": "alpha, human", "exposure_beta_human": "beta, human", "exposure_gamma_human": "gamma, human",
}
GROUPS = {"routine": "Routine tech", "ai_adjacent": "AI-adjacent", "core_tech": "Core tech", "other": "Other occupations"}
SLOPES = {"slope_log_employment_change": "employment", "slope_real_wage_change": "wage"}
SHARES = {"share_of_employment_exposure_at_least_0_1": "0.1", "share_of_employment_exposure_at_least_0_5": "0.5"}


def _input_sources(tb: dict) -> list[str]:
    """The files behind every exposure table: BLS's May 2021 and 2025 workbooks, CPI-U and the exposure scores."""
    occ = t.from_files(tb["occupations"], tb["sources"]).filter(pl.col("year").is_in([2021, 2025]))
    return sorted(set(occ["source_id"]) | set(tb["cpi_monthly"]["source_id"]) | set(tb["ai_exposure"]["source_id"]))


def summary_rows(tb: dict, statistic: str, measure: str = HEADLINE) -> pl.DataFrame:
    return tb["exposure_summary"].filter((pl.col("exposure_measure") == measure) & (pl.col("summary_statistic") == statistic))


# ---------------------------------------------------------------- charts
def scatter_chart(tb: dict, measure: str = HEADLINE) -> ChartBlock:
    """Log employment change against exposure; point size is May 2021 employment, tech occupations labelled."""
    # NOTE: exposure and log change are rounded to three decimals for the chart (a pixel is coarser);
    # exposure_change holds them unrounded.
    data = tb["exposure_change"].filter(pl.col(measure).is_not_null()).select(
        "soc_code", pl.col("occupation_title").alias("occupation"), pl.col("role_group").replace(GROUPS).alias("group"),
        pl.col(measure).round(3).alias("exposure"), pl.col("log_employment_change").round(3), "from_employment",
    ).sort("soc_code")
    slope = summary_rows(tb, "slope_log_employment_change", measure).row(0, named=True)
    base = alt.Chart().encode(
        x=alt.X("exposure:Q", title=f"Exposure ({MEASURE_LABELS[measure]}, share of tasks)", scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("log_employment_change:Q", title="Log change in jobs, 2021-2025"),
    )
    points = base.mark_circle(opacity=0.5).encode(
        size=alt.Size("from_employment:Q", scale=alt.Scale(range=[6, 500]), legend=None),
        color=alt.Color("group:N", scale=alt.Scale(domain=list(GROUPS.values()), range=[VERMILION, GREEN, BLUE, GREY]),
                        legend=alt.Legend(orient="top", title=None, columns=2)),
        tooltip=[alt.Tooltip("occupation:N", title="Occupation"), alt.Tooltip("soc_code:N", title="SOC"),
                 alt.Tooltip("exposure:Q", title="Exposure", format=".2f"),
                 alt.Tooltip("log_employment_change:Q", title="Log change in jobs", format="+.3f"),
                 alt.Tooltip("from_employment:Q", title="Jobs, May 2021", format=",")],
    )
    labels = base.transform_filter(alt.datum.group != GROUPS["other"]).mark_text(align="right", dx=-7, fontSize=10).encode(text="soc_code:N")
    chart = alt.layer(points, labels).properties(width="container", height=320)
    return block(
        "exposure-employment", chart, data, tb["sources"], "Job change and AI exposure, by occupation",
        [f"Employment-weighted slope {slope['estimate']:+.3f} (95% interval {slope['ci_low']:+.3f} to {slope['ci_high']:+.3f})",
         "Point size: May 2021 jobs; tech jobs labelled by SOC"],
        f"Scatter of {data.height} occupations: log change in employment from May 2021 to May 2025 against exposure "
        f"({MEASURE_LABELS[measure]}); the employment-weighted slope is {slope['estimate']:+.3f}.",
        source_ids=_input_sources(tb), note="From exposure_change (values rounded to three decimals for the chart).",
    )


def bins_chart(tb: dict) -> ChartBlock:
    """Employment change per employment-weighted quintile of exposure, beta rated by GPT-4 and by people."""
    data = tb["exposure_bins"].filter(pl.col("exposure_measure").is_in(["exposure_beta_gpt4", "exposure_beta_human"])).select(
        pl.col("exposure_measure").replace(MEASURE_LABELS).alias("measure"), "exposure_bin", "exposure_min", "exposure_max",
        "occupations_counted", "from_employment", "to_employment",
        (pl.col("employment_change_share") * 100).round(1).alias("change_percent"),
        (pl.col("median_real_wage_change_share") * 100).round(1).alias("median_real_wage_change_percent"),
    )
    chart = alt.Chart().mark_bar().encode(
        x=alt.X("exposure_bin:O", title="Quintile of exposure (1 = least exposed fifth of jobs)", axis=alt.Axis(labelAngle=0)),
        xOffset="measure:N",
        y=alt.Y("change_percent:Q", title="Change in jobs (%)"),
        color=alt.Color("measure:N", scale=alt.Scale(range=[BLUE, ORANGE]), legend=alt.Legend(orient="top", title=None)),
        tooltip=[alt.Tooltip("measure:N", title="Measure"), alt.Tooltip("exposure_bin:O", title="Quintile"),
                 alt.Tooltip("exposure_min:Q", title="Exposure from", format=".2f"), alt.Tooltip("exposure_max:Q", title="to", format=".2f"),
                 alt.Tooltip("change_percent:Q", title="Change in jobs (%)", format="+.1f"),
                 alt.Tooltip("median_real_wage_change_percent:Q", title="Median real wage change (%)", format="+.1f"),
                 alt.Tooltip("occupations_counted:Q", title="Occupations")],
    ).properties(width="container", height=240)
    parts = "; ".join(f"{r['measure']} quintile {r['exposure_bin']}: {r['change_percent']:+.1f}%" for r in data.iter_rows(named=True))
    return block("exposure-quintiles", chart, data, tb["sources"], "Job change by exposure quintile (%)",
                 "May 2021 to May 2025; each quintile holds about a fifth of May 2021 jobs",
                 f"Grouped bars of the change in jobs per exposure quintile. {parts}.", source_ids=_input_sources(tb),
                 note="From exposure_bins.")


# ---------------------------------------------------------------- tables
def _wide(stats: dict[str, str], cells) -> pl.DataFrame:
    """One row per measure; ``cells(row, name)`` gives the columns for each statistic's row of exposure_summary."""
    from .report import tables

    s = tables()["exposure_summary"]
    rows = []
    for measure, label in MEASURE_LABELS.items():
        row = {"measure": label}
        for stat, name in stats.items():
            row |= cells(s.filter((pl.col("exposure_measure") == measure) & (pl.col("summary_statistic") == stat)).row(0, named=True), name)
        rows.append(row)
    return pl.DataFrame(rows)


def slopes_table() -> pl.DataFrame:
    return _wide(SLOPES, lambda r, name: {
        f"{name}_slope": f"{r['estimate']:+.3f}", f"{name}_interval": f"{r['ci_low']:+.3f} to {r['ci_high']:+.3f}",
    })


def slopes_html():
    from .report import html_table

    return html_table(slopes_table(), {
        "Measure": "measure", "Jobs: slope": "employment_slope", "95% interval": "employment_interval",
        "Real wage: slope": "wage_slope", "95% interval ": "wage_interval",
    })


def shares_html():
    from .report import html_table

    table = _wide(SHARES, lambda r, cut: {
        f"ours_{cut}": f"{r['estimate'] * 100:.1f}%",
        f"paper_{cut}": "" if r["published_value"] is None else f"{r['published_value'] * 100:.0f}%",
    })
    return html_table(table, {
        "Measure": "measure", "Jobs at 0.1 or more": "ours_0.1", "Paper": "paper_0.1",
        "Jobs at 0.5 or more": "ours_0.5", "Paper ": "paper_0.5",
    })


def tech_html():
    from .report import html_table, tables

    c = tables()["exposure_change"].filter(pl.col("soc_code").is_in(list(t.ROLE_GROUPS))).sort(HEADLINE, descending=True)
    return html_table(c, {
        "SOC": "soc_code", "Occupation": "occupation_title", "Exposure (beta, GPT-4)": HEADLINE,
        "Jobs 2021": "from_employment", "Jobs 2025": "to_employment", "Log change": "log_employment_change",
        "Real wage change": "real_change_share",
    }, {HEADLINE: lambda v: f"{v:.2f}", "from_employment": prov.integer, "to_employment": prov.integer,
        "log_employment_change": lambda v: f"{v:+.3f}", "real_change_share": prov.pct(1, signed=True)})


# ---------------------------------------------------------------- figures in the prose
@prov.group("exposure")
def _exposure(rec: prov.Recorder) -> None:
    tb = rec.tables
    inputs = _input_sources(tb)
    change = tb["exposure_change"]
    rec.add("exposure-occupations", change.select("soc_code", "exposure_match"), op="count", fmt=prov.integer,
            what="Detailed occupations in BLS's May 2021 and May 2025 workbooks", tables=["exposure_change"],
            how="Every row of exposure_change.", sources=inputs)
    unscored = change.filter(pl.col("exposure_match") == "none").select("soc_code", "occupation_title", "exposure_match", "from_employment")
    rec.add("exposure-unscored", unscored, op="count", fmt=prov.integer, what="Occupations without an exposure score",
            tables=["exposure_change"], how="Rows of exposure_change whose exposure_match is none.", sources=inputs)
    for stat, name in SLOPES.items():
        rows = summary_rows(tb, stat).select("exposure_measure", "summary_statistic", "estimate", "ci_low", "ci_high", "occupations_counted")
        for column, part in (("estimate", "slope"), ("ci_low", "low"), ("ci_high", "high")):
            rec.add(f"exposure-{name}-{part}", rows, op="value", column=column, fmt=prov.number(3),
                    what=f"Employment-weighted slope of the {'log change in jobs' if name == 'employment' else 'real median wage change'} "
                         f"on exposure (beta, GPT-4){'' if part == 'slope' else ': ' + ('lower' if part == 'low' else 'upper') + ' end of its 95% interval'}",
                    tables=["exposure_summary", "exposure_change"],
                    how=f"The row {stat} of measure {HEADLINE}; computed from exposure_change by weighted least squares "
                        "(weights: May 2021 jobs), interval from 2,000 bootstrap resamples of occupations.", sources=inputs)
    for stat, cut in SHARES.items():
        rows = summary_rows(tb, stat).select("exposure_measure", "summary_statistic", "estimate", "published_value", "published_source_id")
        rec.add(f"exposure-share-{cut.replace('.', '')}", rows, op="value", column="estimate", fmt=prov.pct(0),
                what=f"Share of May 2021 jobs in occupations with exposure (beta, GPT-4) of {cut} or more",
                tables=["exposure_summary", "exposure_change"], how=f"The row {stat} of measure {HEADLINE}.", sources=inputs)
        paper = rows.select("exposure_measure", "summary_statistic", "published_value", pl.col("published_source_id").alias("source_id"))
        rec.add(f"exposure-paper-{cut.replace('.', '')}", paper, op="value", column="published_value", fmt=prov.pct(0),
                what=f"The paper's share of workers with at least {float(cut):.0%} of tasks exposed", tables=["exposure_published"],
                how="The figure of the paper's abstract, placed beside beta (see data/NOTES.md).")
    for q in (1, 5):
        rows = tb["exposure_bins"].filter((pl.col("exposure_measure") == HEADLINE) & (pl.col("exposure_bin") == q)).select(
            "exposure_measure", "exposure_bin", "from_employment", "to_employment", "employment_change_share")
        rec.add(f"exposure-quintile-{q}-change", rows, op="value", column="employment_change_share", fmt=prov.pct(1, signed=True),
                what=f"Change in jobs, May 2021 to May 2025, in the {'least' if q == 1 else 'most'} exposed fifth of jobs (beta, GPT-4)",
                tables=["exposure_bins"], how=f"The row of quintile {q} of measure {HEADLINE}.", sources=inputs)
