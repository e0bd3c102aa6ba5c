"""The AI-exposure page's figures, tables and computed numbers (tables exposure_change, exposure_bins, exposure_summary)."""

from __future__ import annotations

import altair as alt
import polars as pl

from . import transforms as t
from .figures import WIDTH, finish

# NOTE: the page leads with beta rated by GPT-4, the measure the paper's headline figures are quoted as
# using (see data/NOTES.md); every other measure is in the tables.
HEADLINE = "exposure_beta_gpt4"
MEASURE_LABELS = {
    "exposure_alpha_gpt4": "alpha, GPT-4", "exposure_beta_gpt4": "beta, GPT-4", "exposure_gamma_gpt4": "gamma, GPT-4",
    "exposure_alpha_human": "alpha, human", "exposure_beta_human": "beta, human", "exposure_gamma_human": "gamma, human",
}
GROUP_LABELS = {"routine": "Routine tech", "ai_adjacent": "AI-adjacent", "core_tech": "Core tech", "other": "Other occupations"}


def summary_row(summary: pl.DataFrame, statistic: str, measure: str = HEADLINE) -> dict:
    """One row of exposure_summary."""
    return summary.filter((pl.col("exposure_measure") == measure) & (pl.col("summary_statistic") == statistic)).row(0, named=True)


def scatter_data(change: pl.DataFrame, measure: str = HEADLINE) -> pl.DataFrame:
    """The points of the scatter: one per scored occupation, exactly the values plotted.

    NOTE: exposure and log change are rounded to three decimals for the chart (a pixel is coarser);
    exposure_change holds them unrounded.
    """
    return change.filter(pl.col(measure).is_not_null()).select(
        pl.col("occupation_title").alias("occupation"),
        pl.col("role_group").replace(GROUP_LABELS).alias("group"),
        pl.col(measure).round(3).alias("exposure"), pl.col("log_employment_change").round(3), "from_employment",
    ).sort("occupation")


def scatter_chart(change: pl.DataFrame, summary: pl.DataFrame, measure: str = HEADLINE) -> alt.VConcatChart:
    """Log employment change against exposure; point size is May 2021 employment, tech occupations labelled."""
    df = scatter_data(change, measure)
    slope = summary_row(summary, "slope_log_employment_change", measure)
    base = alt.Chart(df).encode(
        x=alt.X("exposure:Q", title=f"Exposure ({MEASURE_LABELS[measure]}; share of tasks)", scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("log_employment_change:Q", title="Log change in employment, May 2021 to May 2025"),
    )
    points = base.mark_circle(opacity=0.55).encode(
        size=alt.Size("from_employment:Q", title="Jobs, May 2021", scale=alt.Scale(range=[8, 600]), legend=None),
        color=alt.Color("group:N", title=None, sort=list(GROUP_LABELS.values()), legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("occupation:N", title="Occupation"), alt.Tooltip("exposure:Q", title="Exposure", format=".2f"),
                 alt.Tooltip("log_employment_change:Q", title="Log change", format=".3f"),
                 alt.Tooltip("from_employment:Q", title="Jobs 2021", format=",")],
    )
    labels = base.transform_filter(alt.datum.group != GROUP_LABELS["other"]).mark_text(align="left", dx=6, fontSize=10).encode(text="occupation:N")
    line = base.transform_regression("exposure", "log_employment_change").mark_line(color="#000", strokeDash=[4, 3])
    # NOTE: the dashed line is an unweighted fit drawn by Vega for orientation; the slope in the subtitle
    # and in exposure_summary is the employment-weighted one.
    chart = (points + labels + line).properties(height=340, width=WIDTH)
    return finish(
        chart, "Employment change and AI exposure, by occupation",
        f"Weighted slope {slope['estimate']:.3f} (95% interval {slope['ci_low']:.3f} to {slope['ci_high']:.3f}); dashed: unweighted fit",
        "Source: BLS OEWS national workbooks; Eloundou, Manning, Mishkin and Rock, GPTs are GPTs (talentgap exposure_change).",
        f"Scatter of {df.height} occupations: log employment change from May 2021 to May 2025 against exposure "
        f"({MEASURE_LABELS[measure]}). Employment-weighted slope {slope['estimate']:.3f}.",
    )


def bins_data(bins: pl.DataFrame, measures: tuple[str, ...] = ("exposure_beta_gpt4", "exposure_beta_human")) -> pl.DataFrame:
    return bins.filter(pl.col("exposure_measure").is_in(list(measures))).with_columns(
        pl.col("exposure_measure").replace(MEASURE_LABELS).alias("measure")
    ).select("measure", "exposure_bin", "exposure_min", "exposure_max", "occupations_counted", "from_employment",
             "to_employment", "employment_change_share", "median_real_wage_change_share")


def bins_chart(bins: pl.DataFrame) -> alt.VConcatChart:
    """Employment change per employment-weighted quintile of exposure (beta, GPT-4 and human)."""
    df = bins_data(bins)
    chart = alt.Chart(df).mark_bar().encode(
        x=alt.X("exposure_bin:O", title="Quintile of exposure (1 = least exposed fifth of jobs)"),
        xOffset="measure:N",
        y=alt.Y("employment_change_share:Q", title="Employment change, May 2021 to May 2025", axis=alt.Axis(format="%")),
        color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("measure:N", title="Measure"), alt.Tooltip("exposure_bin:O", title="Quintile"),
                 alt.Tooltip("exposure_min:Q", title="From exposure", format=".2f"), alt.Tooltip("exposure_max:Q", title="To exposure", format=".2f"),
                 alt.Tooltip("employment_change_share:Q", title="Employment change", format=".1%"),
                 alt.Tooltip("median_real_wage_change_share:Q", title="Median real wage change", format=".1%"),
                 alt.Tooltip("occupations_counted:Q", title="Occupations")],
    ).properties(height=240)
    parts = "; ".join(f"{r['measure']} quintile {r['exposure_bin']}: {r['employment_change_share']:.1%}" for r in df.iter_rows(named=True))
    return finish(chart, "Employment change by exposure quintile", "Each quintile holds about a fifth of May 2021 jobs",
                  "Source: BLS OEWS; GPTs are GPTs (talentgap exposure_bins).", f"Grouped bars of employment change by quintile. {parts}.")


def slopes_table(summary: pl.DataFrame) -> pl.DataFrame:
    """Both slopes with intervals, one row per measure."""
    rows = []
    for measure, label in MEASURE_LABELS.items():
        emp = summary_row(summary, "slope_log_employment_change", measure)
        wage = summary_row(summary, "slope_real_wage_change", measure)
        rows.append({"measure": label, "employment_slope": emp["estimate"], "employment_ci_low": emp["ci_low"], "employment_ci_high": emp["ci_high"],
                     "wage_slope": wage["estimate"], "wage_ci_low": wage["ci_low"], "wage_ci_high": wage["ci_high"],
                     "occupations": emp["occupations_counted"]})
    return pl.DataFrame(rows)


def shares_table(summary: pl.DataFrame) -> pl.DataFrame:
    """Shares of May 2021 employment at or above 0.1 and 0.5, ours beside the paper's."""
    rows = []
    for measure, label in MEASURE_LABELS.items():
        low = summary_row(summary, "share_of_employment_exposure_at_least_0_1", measure)
        high = summary_row(summary, "share_of_employment_exposure_at_least_0_5", measure)
        rows.append({"measure": label, "share_at_least_0_1": low["estimate"], "paper_at_least_0_1": low["published_value"],
                     "share_at_least_0_5": high["estimate"], "paper_at_least_0_5": high["published_value"]})
    return pl.DataFrame(rows)


def tech_rows(change: pl.DataFrame) -> pl.DataFrame:
    """The seven tech occupations the report follows, with their exposure and change."""
    return change.filter(pl.col("soc_code").is_in(list(t.ROLE_GROUPS))).select(
        "soc_code", "occupation_title", "role_group", HEADLINE, "log_employment_change", "real_change_share"
    ).sort(HEADLINE, descending=True)
