"""report/exposure.qmd: change in jobs by occupation against two measures of exposure to AI.

Everything the page prints comes from here: the figures of provenance group ``exposure`` (each with its rows),
two chart blocks (with their CSVs) and five tables. The measures themselves are computed by analysis/exposure.py.
Reads the release tables exposure_change, exposure_scores, exposure_bins, exposure_summary and
exposure_correlation (issues #13, #16 and #19). Two measures are shown side by side: beta rated by GPT-4
from "GPTs are GPTs", and Microsoft's AI applicability score.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import altair as alt
import numpy as np
import polars as pl

from .. import provenance as prov
from .. import transforms as t
from .. import exposure as e
from ..exposure import BOOTSTRAP_DRAWS
from ..figures import BLUE, GREY, ORANGE, VERMILION, GREEN, BLACK, ChartBlock, block, search_opacity, search_param, search_stroke

# NOTE: the page leads with beta rated by GPT-4, the measure the paper's headline shares are quoted as
# using (see data/NOTES.md), and sets Microsoft's score, built from observed use, beside it.
HEADLINE = "exposure_beta_gpt4"
SECOND = "ai_applicability_microsoft"
SHOWN = (HEADLINE, SECOND)
MEASURE_LABELS = {
    "exposure_alpha_gpt4": "alpha, GPT-4", "exposure_beta_gpt4": "beta, GPT-4", "exposure_gamma_gpt4": "gamma, GPT-4",
    "exposure_alpha_human": "alpha, human", "exposure_beta_human": "beta, human", "exposure_gamma_human": "gamma, human",
    "ai_applicability_microsoft": "Microsoft applicability",
}
SHORT_NAMES = {HEADLINE: "the GPT-4 measure", SECOND: "Microsoft's score"}
# What each measure is, for a general reader (one sentence each; the page's method notes reuse them).
MEASURE_SENTENCES = {
    HEADLINE: ("GPTs are GPTs scores the share of an occupation's tasks that a language model could make much quicker to do "
               "at the same quality, as GPT-4 judged them in 2023 (beta: tasks that need further software count half)."),
    SECOND: ("Microsoft's AI applicability score comes from conversations with its Bing Copilot assistant: how much "
             "of an occupation's work activities people actually did with the assistant, how successfully and how broadly."),
}
GREEK = {
    "alpha": "alpha counts only tasks a language model alone could speed up;",
    "beta": "beta adds tasks that would need further software built on the model, at half weight;",
    "gamma": "gamma counts those tasks in full.",
}
METHOD_COMMON = (
    "A correlation across occupations, not an effect of AI: other forces of 2021-2025 (the pandemic recovery, interest "
    "rates, shifts between industries) fall unevenly on occupations. BLS's occupational survey is not designed for "
    "year-to-year comparison: each May estimate pools three years of survey panels, and May 2021 reflects the pandemic's "
    "mix of jobs."
)
GROUPS = {"routine": "Routine tech", "ai_adjacent": "AI-adjacent", "core_tech": "Core tech", "other": "Other occupations"}
SLOPES = {"slope_log_employment_change": "employment", "slope_real_wage_change": "wage"}
SHARES = {"share_of_employment_exposure_at_least_0_1": "0.1", "share_of_employment_exposure_at_least_0_5": "0.5"}
MATCH_LABELS = {
    "soc": "Its own code", "broad_group": "Group published as one (mean)",
    "oews_combined": "Combined code (mean of parts)", "all_other_broad_group": "\"All Other\" (group mean, assumed)",
}

# Scatter geometry. NOTE: labels are placed for every plot width from the narrowest (a 390 px phone, less the
# axis and padding) to the widest the page allows, so that no two overlap at any width.
PLOT_HEIGHT = 320
PLOT_WIDTHS = tuple(range(270, 1001, 10))
FONT_PX = 10
CHAR_PX = 6.2  # a generous average width of a 10 px sans-serif character
LABEL_GAP = 6
# NOTE: a few large or much-discussed occupations are candidates for a label, in this order; a label that
# would collide with one already placed (at any width) is left off. The names are the data's own titles.
LABEL_CANDIDATES = ("15-1252", "15-1251", "15-2051", "43-4051", "41-2031", "41-2011", "29-1141", "43-9061")
PLACEMENTS = {"right": (LABEL_GAP, 0, "left"), "left": (-LABEL_GAP, 0, "right"), "above": (0, -11, "center"), "below": (0, 13, "center")}


# NOTE: titles and subtitles are broken into lines this long, so that a 390 px phone shows them whole (a title
# wider than the screen would also squeeze the plot).
TITLE_CHARS, SUBTITLE_CHARS = 40, 52


def lines(text: str | list[str], width: int) -> list[str]:
    """Text (or each of several lines) wrapped into lines of at most `width` characters."""
    return [part for line in ([text] if isinstance(text, str) else text) for part in textwrap.wrap(line, width)]


def _input_sources(tb: dict, prices: bool = True) -> list[str]:
    """The files behind the exposure tables: BLS's May 2021 and 2025 workbooks, both measures' files and (for real
    wages) CPI-U."""
    occ = t.from_files(tb["occupations"], tb["sources"]).filter(pl.col("year").is_in([2021, 2025]))
    ids = set(occ["source_id"]) | set(tb["exposure_scores"]["source_id"]) | (set(tb["cpi_monthly"]["source_id"]) if prices else set())
    return sorted(ids)


def summary_rows(tb: dict, statistic: str, measure: str = HEADLINE) -> pl.DataFrame:
    return tb["exposure_summary"].filter((pl.col("exposure_measure") == measure) & (pl.col("summary_statistic") == statistic))


def spans_zero(row: dict) -> bool:
    return row["ci_low"] <= 0 <= row["ci_high"]


def slope_finding(row: dict, what: str = "jobs") -> str:
    """What the slope's interval lets one say, in words: its sign, or that the data cannot tell it."""
    if spans_zero(row):
        return f"no clear link with the change in {what}"
    return f"more exposed occupations saw {'smaller' if row['estimate'] < 0 else 'larger'} gains in {what}"


# ---------------------------------------------------------------- the weighted fit and its interval
@dataclass
class Fit:
    slope: float
    ci_low: float
    ci_high: float
    x_mean: float
    y_mean: float
    x_min: float
    x_max: float

    def at(self, x: float, slope: float | None = None) -> float:
        """The line through the weighted mean point with the given slope (the fit's own by default)."""
        return self.y_mean + (self.slope if slope is None else slope) * (x - self.x_mean)


def weighted_fit(change: pl.DataFrame, measure: str, slope_row: dict) -> Fit:
    """The employment-weighted least-squares line of the table's slope, through the weighted means of the rows it used."""
    data = change.filter(pl.col(measure).is_not_null() & pl.col("log_employment_change").is_not_null())
    x, y, w = (data[c].to_numpy().astype(float) for c in (measure, "log_employment_change", "from_employment"))
    return Fit(slope_row["estimate"], slope_row["ci_low"], slope_row["ci_high"], float(np.average(x, weights=w)),
               float(np.average(y, weights=w)), float(x.min()), float(x.max()))


def fit_rows(fit: Fit, panel: str) -> pl.DataFrame:
    """Rows drawing the fit line (row_kind fit_<panel>) and the two edges of its interval band (low_<panel>, high_<panel>).

    NOTE: the band shows the slope's 95% interval as a fan of lines pivoting on the employment-weighted mean
    occupation (where a weighted least-squares line always passes); it does not add the intercept's error.
    """
    xs = [fit.x_min, fit.x_mean, fit.x_max]
    low = [min(fit.at(x, fit.ci_low), fit.at(x, fit.ci_high)) for x in xs]
    high = [max(fit.at(x, fit.ci_low), fit.at(x, fit.ci_high)) for x in xs]
    return pl.DataFrame({
        "row_kind": [f"{kind}_{panel}" for kind in ("fit", "low", "high") for _ in xs], f"exposure_{panel}": xs * 3,
        "log_employment_change": [fit.at(x) for x in xs] + low + high,
    })


# ---------------------------------------------------------------- labels that never collide
def _x_domain(measure: str, values: pl.Series) -> list[float]:
    # NOTE: GPTs are GPTs scores run from 0 to 1; Microsoft's stay below 0.5, so its axis ends at the next tenth.
    return [0.0, 1.0] if measure != SECOND else [0.0, float(np.ceil(values.max() * 10) / 10)]


def _y_domain(values: pl.Series) -> list[float]:
    return [float(np.floor(values.min() * 4) / 4), float(np.ceil(values.max() * 4) / 4)]


def label_box(x: float, y: float, text: str, placement: str, x_domain, y_domain, width: float) -> tuple[float, float, float, float]:
    """The label's box in pixels (left, top, right, bottom) on a plot `width` px wide."""
    px = (x - x_domain[0]) / (x_domain[1] - x_domain[0]) * width
    py = (y_domain[1] - y) / (y_domain[1] - y_domain[0]) * PLOT_HEIGHT
    dx, dy, align = PLACEMENTS[placement]
    w = len(text) * CHAR_PX
    left = px + dx - (0 if align == "left" else w if align == "right" else w / 2)
    top = py + dy - FONT_PX * 0.6
    return left, top, left + w, top + FONT_PX * 1.2


def _overlap(a, b, margin: float = 2.0) -> bool:
    return a[0] < b[2] + margin and b[0] < a[2] + margin and a[1] < b[3] + margin and b[1] < a[3] + margin


def _inside(box, width: float) -> bool:
    return box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= PLOT_HEIGHT


def place_labels(points: list[tuple[str, float, float, str]], x_domain, y_domain, widths=PLOT_WIDTHS) -> dict[str, str]:
    """Greedy placement: each candidate (key, x, y, text) in turn takes the first side where, at every plot width,
    its label stays inside the plot and clears every label already placed; a candidate with no such side is left off."""
    placed: dict[str, str] = {}
    boxes: dict[str, dict[int, tuple]] = {}
    for key, x, y, text in points:
        for placement in PLACEMENTS:
            mine = {w: label_box(x, y, text, placement, x_domain, y_domain, w) for w in widths}
            if all(_inside(mine[w], w) and not any(_overlap(mine[w], other[w]) for other in boxes.values()) for w in widths):
                placed[key], boxes[key] = placement, mine
                break
    return placed


# ---------------------------------------------------------------- charts
# NOTE: both measures' scatters are one chart over one dataset (one row per occupation with both scores), so
# that the page's first visit stays under 1 MB; each panel has its own x column, fit rows, labels and title.
PANEL = {HEADLINE: "gpt4", SECOND: "microsoft"}
# NOTE: an occupation outside the report's tech groups has an empty group (the chart draws it grey).
GROUP_CODES = {"routine": "R", "ai_adjacent": "A", "core_tech": "C"}
OTHER = "O"


def scatter_data(tb: dict) -> tuple[pl.DataFrame, dict[str, Fit], dict[str, tuple[list[float], list[float]]]]:
    """One row per occupation scored by either measure (both scores, and each panel's label side), then each fit's rows."""
    change = tb["exposure_change"].filter(pl.any_horizontal(pl.col(list(SHOWN)).is_not_null()))
    # NOTE: scores are rounded to three decimals and log changes to two for the chart (about a pixel each);
    # exposure_change holds them unrounded, and the fits are computed from the unrounded values.
    # NOTE: row_kind is empty on an occupation's row and names the fit on a fit's row; the occupation's title is
    # the row's key in the chart's CSV (titles are unique in BLS's workbooks). Both keep the page under 1 MB.
    occ = change.select(
        pl.lit(None, pl.String).alias("row_kind"), "soc_code", pl.col("occupation_title").alias("occupation"),
        pl.col("role_group").replace_strict(GROUP_CODES, default=None, return_dtype=pl.String).alias("group"),
        *[pl.col(m).round(3).alias(f"exposure_{PANEL[m]}") for m in SHOWN],
        pl.col("log_employment_change").round(2), "from_employment",
    ).sort("soc_code")
    fits, domains, frames = {}, {}, []
    y_domain = _y_domain(occ["log_employment_change"])
    for measure in SHOWN:
        panel, column = PANEL[measure], f"exposure_{PANEL[measure]}"
        slope = summary_rows(tb, "slope_log_employment_change", measure).row(0, named=True)
        fits[measure] = weighted_fit(change, measure, slope)
        domains[measure] = (_x_domain(measure, occ[column].drop_nulls()), y_domain)
        scored = {r["soc_code"]: r for r in occ.filter(pl.col(column).is_not_null()).iter_rows(named=True)}
        candidates = [(c, scored[c][column], scored[c]["log_employment_change"], scored[c]["occupation"])
                      for c in LABEL_CANDIDATES if c in scored]
        placed = {code: f"{panel}-{side}" for code, side in place_labels(candidates, *domains[measure]).items()}
        sides = pl.col("soc_code").replace_strict(placed, default=None, return_dtype=pl.String)
        # NOTE: one column holds each panel's label side ("gpt4-left microsoft-above"); empty: no label.
        occ = occ.with_columns(pl.concat_str([pl.col("label"), sides], separator=" ", ignore_nulls=True).alias("label")
                               if "label" in occ.columns else sides.alias("label"))
        frames.append(fit_rows(fits[measure], panel))
    occ = occ.with_columns(pl.when(pl.col("label") != "").then(pl.col("label")).alias("label"))
    # NOTE: the SOC code stays in (about 7 kB) so that the search box finds an occupation by its code.
    return pl.concat([occ, *frames], how="diagonal"), fits, domains


def labelled(data: pl.DataFrame, measure: str) -> pl.DataFrame:
    """The occupations labelled on a measure's panel, with the side of the label (column label_side)."""
    panel = PANEL[measure]
    return data.filter(pl.col("row_kind").is_null()).with_columns(
        pl.col("label").str.extract(rf"{panel}-(\w+)").alias("label_side")).filter(pl.col("label_side").is_not_null())


def scatter_title(measure: str, slope: dict) -> str:
    """The finding the slope's interval bears, e.g. "Microsoft applicability: more exposed occupations saw smaller gains in jobs"."""
    text = f"{MEASURE_LABELS[measure]}: {slope_finding(slope)}"
    return text[0].upper() + text[1:]


# The search box under the exposure chart finds occupations by name or SOC code (both panels at once).
FIND = search_param()
FIND_FIELDS = ["occupation", "soc_code"]


def _panel(measure: str, domains, slope: dict) -> alt.LayerChart:
    """One measure's scatter: the interval fan, the points, the fit line and the labels."""
    panel = PANEL[measure]
    x_domain, y_domain = domains[measure]
    x = alt.X(f"exposure_{panel}:Q", title=f"Exposure ({MEASURE_LABELS[measure]})", scale=alt.Scale(domain=x_domain, nice=False),
              axis=alt.Axis(tickCount=5))
    y = alt.Y("log_employment_change:Q", title="Log change in jobs, 2021-2025", scale=alt.Scale(domain=y_domain, nice=False))
    # NOTE: x and y are encoded once, on the layer, and inherited by every mark (a smaller page).
    base = alt.Chart()
    # NOTE: an empty CSV cell may reach Vega as "" or as null: both are falsy.
    points = base.transform_filter(f"!datum.row_kind && isValid(datum.exposure_{panel})").transform_calculate(
        group=f"datum.group || '{OTHER}'").mark_circle(strokeWidth=1.5).encode(
        opacity=search_opacity(FIND, FIND_FIELDS, dimmed=0.06, shown=0.45), stroke=search_stroke(FIND, FIND_FIELDS),
        size=alt.Size("from_employment:Q", scale=alt.Scale(range=[6, 500]), legend=None),
        color=alt.Color("group:N", scale=alt.Scale(domain=[*GROUP_CODES.values(), OTHER], range=[VERMILION, GREEN, BLUE, GREY]),
                        legend=alt.Legend(orient="top", title=None, columns=2, labelExpr=_group_label_expr())),
        tooltip=[alt.Tooltip("occupation:N", title="Occupation"), alt.Tooltip(f"exposure_{panel}:Q", title="Exposure", format=".2f"),
                 alt.Tooltip("log_employment_change:Q", title="Log change in jobs", format="+.3f"),
                 alt.Tooltip("from_employment:Q", title="Jobs, May 2021", format=",")],
    )
    fits = alt.datum.row_kind == f"fit_{panel}"
    band = alt.Chart().transform_filter(alt.FieldOneOfPredicate(field="row_kind", oneOf=[f"low_{panel}", f"high_{panel}"])).transform_pivot(
        "row_kind", value="log_employment_change", groupby=[f"exposure_{panel}"]).mark_area(opacity=0.18, color=BLACK).encode(
        y=alt.Y(f"low_{panel}:Q"), y2=f"high_{panel}:Q")
    line = base.transform_filter(fits).mark_line(color=BLACK, strokeWidth=2).encode(
        tooltip=[alt.Tooltip(f"exposure_{panel}:Q", title="Exposure", format=".2f"),
                 alt.Tooltip("log_employment_change:Q", title="Fitted log change", format="+.3f")])
    labels = [
        base.transform_filter(f"indexof(datum.label || '', '{panel}-{side}') >= 0").mark_text(align=align, dx=dx, dy=dy, fontSize=FONT_PX).encode(text="occupation:N")
        for side, (dx, dy, align) in PLACEMENTS.items()
    ]
    sub = [f"Slope {slope['estimate']:+.2f} (95% interval {slope['ci_low']:+.2f} to {slope['ci_high']:+.2f})"
           f"{': the interval includes zero' if spans_zero(slope) else ''}"]
    return alt.layer(band, points, line, *labels).encode(x=x, y=y).properties(
        width="container", height=PLOT_HEIGHT,
        title=alt.TitleParams(lines(scatter_title(measure, slope), TITLE_CHARS + 10), subtitle=lines(sub, SUBTITLE_CHARS),
                              anchor="start", fontSize=13, subtitleFontSize=12),
    )


def _group_label_expr() -> str:
    names = {code: GROUPS[group] for group, code in GROUP_CODES.items()} | {OTHER: GROUPS["other"]}
    return "{" + ", ".join(f"'{c}': '{n}'" for c, n in names.items()) + "}[datum.label]"


def jobs_title(slopes: dict[str, dict]) -> str:
    """The finding both panels bear together: which measures tie exposure to job growth, and which way."""
    clear = [m for m in SHOWN if not spans_zero(slopes[m])]
    if not clear:
        return "Neither measure ties exposure to job growth, May 2021 to May 2025"
    signs = {slopes[m]["estimate"] < 0 for m in clear}
    if len(signs) > 1:
        return "The two measures tie exposure to job growth in opposite directions"
    way = "smaller" if signs.pop() else "larger"
    who = "Both measures tie" if len(clear) == len(SHOWN) else f"Only {SHORT_NAMES[clear[0]]} ties"
    return f"{who} higher exposure to {way} job gains, May 2021 to May 2025"


def scatter_chart(tb: dict) -> ChartBlock:
    """Log change in jobs against each measure, one point per occupation sized by its May 2021 jobs, with the
    employment-weighted fit, the fan of its 95% interval, and a few occupations labelled by name."""
    data, fits, domains = scatter_data(tb)
    slopes = {m: summary_rows(tb, "slope_log_employment_change", m).row(0, named=True) for m in SHOWN}
    chart = alt.vconcat(*[_panel(m, domains, slopes[m]) for m in SHOWN], spacing=28, params=[FIND.param])
    title = jobs_title(slopes)
    named = {m: ", ".join(labelled(data, m)["occupation"].to_list()) for m in SHOWN}
    n = {m: int(data.filter(pl.col("row_kind").is_null())[f"exposure_{PANEL[m]}"].is_not_null().sum()) for m in SHOWN}
    note = (f"{MEASURE_SENTENCES[HEADLINE]} {MEASURE_SENTENCES[SECOND]} Black lines: the fit weighting each occupation by its "
            f"May 2021 jobs; grey fans: the slopes in its 95% interval (occupations resampled {BOOTSTRAP_DRAWS:,} times). {METHOD_COMMON}")
    description = " ".join(
        f"Panel {i + 1}: scatter of {n[m]} occupations, log change in employment from May 2021 to May 2025 against exposure "
        f"({MEASURE_LABELS[m]}), with the employment-weighted fit, slope {slopes[m]['estimate']:+.3f}. Labelled: {named[m]}."
        for i, m in enumerate(SHOWN))
    return block("exposure-employment", chart, data, tb["sources"], lines(title, TITLE_CHARS), lines("Point size: May 2021 jobs", SUBTITLE_CHARS),
                 description, source_ids=_input_sources(tb, prices=False), method=note, through=_through())


def _through() -> dict[str, str]:
    """The occupation counts drawn end with the May survey of the comparison's last year."""
    return {"Jobs by occupation (OEWS)": f"May {e.TO_YEAR}"}


def bins_chart(tb: dict) -> ChartBlock:
    """Employment change per employment-weighted quintile of exposure, for the two measures shown."""
    data = tb["exposure_bins"].filter(pl.col("exposure_measure").is_in(list(SHOWN))).select(
        pl.col("exposure_measure").replace(MEASURE_LABELS).alias("measure"), "exposure_bin", "exposure_min", "exposure_max",
        "occupations_counted", "from_employment", "to_employment",
        (pl.col("employment_change_share") * 100).round(1).alias("change_percent"),
        (pl.col("median_real_wage_change_share") * 100).round(1).alias("median_real_wage_change_percent"),
    )
    chart = alt.Chart().mark_bar().encode(
        x=alt.X("exposure_bin:O", title="Fifth of May 2021 jobs, from least to most exposed", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("measure:N", sort=[MEASURE_LABELS[m] for m in SHOWN]),
        y=alt.Y("change_percent:Q", title="Change in jobs (%)"),
        color=alt.Color("measure:N", sort=[MEASURE_LABELS[m] for m in SHOWN], scale=alt.Scale(range=[BLUE, ORANGE]),
                        legend=alt.Legend(orient="top", title=None)),
        tooltip=[alt.Tooltip("measure:N", title="Measure"), alt.Tooltip("exposure_bin:O", title="Fifth"),
                 alt.Tooltip("exposure_min:Q", title="Exposure from", format=".2f"), alt.Tooltip("exposure_max:Q", title="to", format=".2f"),
                 alt.Tooltip("change_percent:Q", title="Change in jobs (%)", format="+.1f"),
                 alt.Tooltip("median_real_wage_change_percent:Q", title="Median real wage change (%)", format="+.1f"),
                 alt.Tooltip("occupations_counted:Q", title="Occupations")],
    ).properties(width="container", height=240)
    parts = "; ".join(f"{r['measure']} fifth {r['exposure_bin']}: {r['change_percent']:+.1f}%" for r in data.iter_rows(named=True))
    first, last = (data.filter(pl.col("exposure_bin") == b)["change_percent"] for b in (1, 5))
    # NOTE: the title states a pattern only when both measures agree on it; otherwise it says they differ.
    both_lower = bool((last < first).all())
    both_higher = bool((last > first).all())
    title = ("The most exposed fifth of jobs grew less than the least exposed, on both measures" if both_lower else
             "The most exposed fifth of jobs grew more than the least exposed, on both measures" if both_higher else
             "The two measures disagree on whether the most exposed jobs grew less")
    note = (f"Measures as in the chart above. Occupations are sorted by exposure and cut where cumulative May 2021 jobs pass each "
            f"fifth of the total, so each bar holds about a fifth of the jobs (not of the occupations). {METHOD_COMMON}")
    return block("exposure-quintiles", chart, data, tb["sources"], lines(title, TITLE_CHARS),
                 lines("Change in jobs, May 2021 to May 2025, per fifth of May 2021 jobs", SUBTITLE_CHARS),
                 f"Grouped bars of the change in jobs per exposure fifth. {parts}.", source_ids=_input_sources(tb), method=note,
                 through=_through())


# ---------------------------------------------------------------- tables
def _wide(stats: dict[str, str], cells) -> pl.DataFrame:
    """One row per measure; ``cells(row, name)`` gives the columns for each statistic's row of exposure_summary."""
    from ..report import tables

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
        f"{name}_reading": "cannot tell the sign" if spans_zero(r) else ("negative" if r["estimate"] < 0 else "positive"),
    })


def slopes_html():
    from ..report import html_table

    return html_table(slopes_table(), {
        "Measure": "measure", "Jobs: slope": "employment_slope", "95% interval": "employment_interval", "Reading": "employment_reading",
        "Real wage: slope": "wage_slope", "95% interval ": "wage_interval", "Reading ": "wage_reading",
    })


def shares_html():
    from ..report import html_table

    table = _wide({**SHARES, "share_of_employment_unscored": "unscored"}, lambda r, cut: {
        f"ours_{cut}": f"{r['estimate'] * 100:.1f}%",
        f"paper_{cut}": "" if r["published_value"] is None else f"{r['published_value'] * 100:.0f}%",
    })
    return html_table(table, {
        "Measure": "measure", "Jobs at 0.1 or more": "ours_0.1", "Paper": "paper_0.1",
        "Jobs at 0.5 or more": "ours_0.5", "Paper ": "paper_0.5", "Jobs without a score": "ours_unscored",
    })


def correlation_table() -> pl.DataFrame:
    """How Microsoft's score agrees with each GPTs are GPTs measure across occupations."""
    from ..report import tables

    c = tables()["exposure_correlation"].filter(pl.col("exposure_measure_other") == SECOND)
    return c.select(pl.col("exposure_measure").replace(MEASURE_LABELS).alias("measure"), "occupations_counted",
                    "correlation_weighted", "correlation_rank")


def correlation_html():
    from ..report import html_table

    return html_table(correlation_table(), {
        "GPTs are GPTs measure": "measure", "Occupations": "occupations_counted",
        "Correlation (weighted by jobs)": "correlation_weighted", "Rank correlation": "correlation_rank",
    }, {"occupations_counted": prov.integer, "correlation_weighted": lambda v: f"{v:.2f}", "correlation_rank": lambda v: f"{v:.2f}"})


def matches_table() -> pl.DataFrame:
    """For each measure shown, how occupations met its file: occupations and May 2021 jobs per kind of match."""
    from ..report import tables

    tb = tables()
    jobs = tb["exposure_change"].select("soc_code", "from_employment")
    total = jobs["from_employment"].sum()
    s = tb["exposure_scores"].filter(pl.col("exposure_measure").is_in(list(SHOWN))).join(jobs, on="soc_code")
    out = s.group_by("exposure_measure", "exposure_match").agg(pl.len().alias("occupations"), pl.col("from_employment").sum())
    return out.with_columns(
        pl.col("exposure_measure").replace(MEASURE_LABELS).alias("measure"), pl.col("exposure_match").replace(MATCH_LABELS).alias("match"),
        (pl.col("from_employment") / total).alias("jobs_share"),
    ).sort("exposure_measure", "exposure_match", descending=[True, False])


def matches_html():
    from ..report import html_table

    return html_table(matches_table(), {"Measure": "measure", "Score taken from": "match", "Occupations": "occupations",
                                        "Share of May 2021 jobs": "jobs_share"},
                      {"occupations": prov.integer, "jobs_share": prov.pct(1)})


def tech_html():
    from ..report import html_table, tables

    c = tables()["exposure_change"].filter(pl.col("soc_code").is_in(list(t.ROLE_GROUPS))).sort(HEADLINE, descending=True)
    return html_table(c, {
        "Occupation": "occupation_title", "Exposure (beta, GPT-4)": HEADLINE, "Microsoft applicability": SECOND,
        "Jobs 2021": "from_employment", "Jobs 2025": "to_employment", "Log change": "log_employment_change",
        "Real wage change": "real_change_share",
    }, {HEADLINE: lambda v: f"{v:.2f}", SECOND: lambda v: f"{v:.2f}", "from_employment": prov.integer, "to_employment": prov.integer,
        "log_employment_change": lambda v: f"{v:+.3f}", "real_change_share": prov.pct(1, signed=True)})


# ---------------------------------------------------------------- figures in the prose
def _slope_figures(rec: prov.Recorder, measure: str, key: str, inputs: list[str]) -> None:
    tb = rec.tables
    for stat, name in SLOPES.items():
        rows = summary_rows(tb, stat, measure).select("exposure_measure", "summary_statistic", "estimate", "ci_low", "ci_high", "occupations_counted")
        for column, part in (("estimate", "slope"), ("ci_low", "low"), ("ci_high", "high")):
            rec.add(f"exposure-{key}{name}-{part}", rows, op="value", column=column, fmt=prov.number(2),
                    what=f"Employment-weighted slope of the {'log change in jobs' if name == 'employment' else 'real median wage change'} "
                         f"on exposure ({MEASURE_LABELS[measure]}){'' if part == 'slope' else ': ' + ('lower' if part == 'low' else 'upper') + ' end of its 95% interval'}",
                    tables=["exposure_summary", "exposure_change"],
                    how=f"The row {stat} of measure {measure}; computed from exposure_change by weighted least squares "
                        f"(weights: May 2021 jobs), interval from {BOOTSTRAP_DRAWS:,} bootstrap resamples of occupations.", sources=inputs)
    stat = "slope_log_employment_change_without_all_other"
    rows = summary_rows(tb, stat, measure).select("exposure_measure", "summary_statistic", "estimate", "ci_low", "ci_high", "occupations_counted")
    for column, part in (("estimate", "slope"), ("ci_low", "low"), ("ci_high", "high")):
        rec.add(f"exposure-{key}direct-{part}", rows, op="value", column=column, fmt=prov.number(2),
                what=f"Employment-weighted slope of the log change in jobs on exposure ({MEASURE_LABELS[measure]}), leaving out the "
                     f"\"All Other\" occupations scored by their broad group's mean{'' if part == 'slope' else ': ' + ('lower' if part == 'low' else 'upper') + ' end of its 95% interval'}",
                tables=["exposure_summary", "exposure_change", "exposure_scores"],
                how=f"The row {stat} of measure {measure}.", sources=inputs)
    for q in (1, 5):
        rows = tb["exposure_bins"].filter((pl.col("exposure_measure") == measure) & (pl.col("exposure_bin") == q)).select(
            "exposure_measure", "exposure_bin", "from_employment", "to_employment", "employment_change_share")
        rec.add(f"exposure-{key}quintile-{q}-change", rows, op="value", column="employment_change_share", fmt=prov.pct(1, signed=True),
                what=f"Change in jobs, May 2021 to May 2025, in the {'least' if q == 1 else 'most'} exposed fifth of jobs ({MEASURE_LABELS[measure]})",
                tables=["exposure_bins"], how=f"The row of quintile {q} of measure {measure}.", sources=inputs)


@prov.group("exposure")
def _exposure(rec: prov.Recorder) -> None:
    tb = rec.tables
    inputs = _input_sources(tb)
    change = tb["exposure_change"]
    rec.add("exposure-occupations", change.select("soc_code", "exposure_match"), op="count", fmt=prov.integer,
            what="Detailed occupations in BLS's May 2021 and May 2025 workbooks", tables=["exposure_change"],
            how="Every row of exposure_change.", sources=inputs)
    for measure, key in ((HEADLINE, ""), (SECOND, "msft-")):
        rows = summary_rows(tb, "share_of_employment_unscored", measure).select("exposure_measure", "summary_statistic", "estimate", "occupations_counted")
        rec.add(f"exposure-{key}unscored-share", rows, op="value", column="estimate", fmt=prov.pct(1),
                what=f"Share of May 2021 jobs in occupations without a score ({MEASURE_LABELS[measure]})",
                tables=["exposure_summary", "exposure_change"], how=f"The row share_of_employment_unscored of measure {measure}.", sources=inputs)
        unscored = change.filter(pl.col(measure).is_null()).select("soc_code", "occupation_title", "from_employment")
        rec.add(f"exposure-{key}unscored", unscored, op="count", fmt=prov.integer,
                what=f"Occupations without a score ({MEASURE_LABELS[measure]})", tables=["exposure_change"],
                how=f"Rows of exposure_change whose {measure} is empty.", sources=inputs)
        _slope_figures(rec, measure, key, inputs)
    scores = tb["exposure_scores"].filter(pl.col("exposure_measure") == HEADLINE)
    combined = scores.filter(pl.col("exposure_match") == "oews_combined").join(change.select("soc_code", "from_employment"), on="soc_code")
    rec.add("exposure-combined", combined.select("soc_code", "exposure_measure", "exposure_match", "source_codes", "from_employment", "source_id"),
            op="count", fmt=prov.integer, what="OEWS combined occupations scored from their parts (beta, GPT-4)",
            tables=["exposure_scores"], how=f"Rows of exposure_scores of measure {HEADLINE} whose exposure_match is oews_combined.")
    rec.add("exposure-combined-jobs", combined.select("soc_code", "exposure_match", "from_employment", "source_id"), op="sum",
            column="from_employment", fmt=prov.integer, what="May 2021 jobs in the OEWS combined occupations scored from their parts",
            tables=["exposure_scores", "exposure_change"], how="from_employment of exposure_change summed over those occupations.")
    residual = scores.filter(pl.col("exposure_match") == "all_other_broad_group").join(change.select("soc_code", "from_employment"), on="soc_code")
    rec.add("exposure-residual", residual.select("soc_code", "exposure_match", "from_employment", "source_id"), op="count", fmt=prov.integer,
            what="\"All Other\" residual occupations given their broad group's mean score (beta, GPT-4)", tables=["exposure_scores"],
            how=f"Rows of exposure_scores of measure {HEADLINE} whose exposure_match is all_other_broad_group.")
    rec.add("exposure-residual-share", residual.select("soc_code", "from_employment", "source_id").with_columns(pl.lit("numerator").alias("term")).vstack(
                change.select("soc_code", "from_employment").with_columns(pl.lit(None, pl.String).alias("source_id"), pl.lit("denominator").alias("term"))),
            op="ratio", column="from_employment", fmt=prov.pct(1),
            what="Share of May 2021 jobs in \"All Other\" occupations whose score is their broad group's mean (beta, GPT-4)",
            tables=["exposure_scores", "exposure_change"], how="Their May 2021 jobs over the jobs of every occupation in exposure_change.",
            sources=inputs)
    corr = tb["exposure_correlation"].filter((pl.col("exposure_measure") == HEADLINE) & (pl.col("exposure_measure_other") == SECOND))
    for column, part in (("correlation_weighted", "weighted"), ("correlation_rank", "rank")):
        rec.add(f"exposure-correlation-{part}", corr, op="value", column=column, fmt=prov.number(2),
                what=f"{'Employment-weighted' if part == 'weighted' else 'Rank'} correlation of beta (GPT-4) and Microsoft's applicability score across occupations",
                tables=["exposure_correlation"], how=f"The row of the pair {HEADLINE}, {SECOND}.", sources=inputs)
    for stat, cut in SHARES.items():
        rows = summary_rows(tb, stat).select("exposure_measure", "summary_statistic", "estimate", "published_value", "published_source_id")
        rec.add(f"exposure-share-{cut.replace('.', '')}", rows, op="value", column="estimate", fmt=prov.pct(0),
                what=f"Share of May 2021 jobs in occupations with exposure (beta, GPT-4) of {cut} or more",
                tables=["exposure_summary", "exposure_change"], how=f"The row {stat} of measure {HEADLINE}.", sources=inputs)
        paper = rows.select("exposure_measure", "summary_statistic", "published_value", pl.col("published_source_id").alias("source_id"))
        rec.add(f"exposure-paper-{cut.replace('.', '')}", paper, op="value", column="published_value", fmt=prov.pct(0),
                what=f"The paper's share of workers with at least {float(cut):.0%} of tasks exposed", tables=["exposure_published"],
                how="The figure of the paper's abstract, placed beside beta (see data/NOTES.md).")
