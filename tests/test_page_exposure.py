"""The AI-exposure page: its fit line is the table's slope, its labels never collide, its prose agrees with the data."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import polars as pl
import pytest

from talentgap.pages import exposure as x
from talentgap import paths, provenance as prov
from talentgap.report import tables


PAGE = paths.ROOT / "report" / "exposure.qmd"


@pytest.fixture(scope="module")
def tb():
    return tables()


def _spec_rows(block) -> pl.DataFrame:
    spec = block.spec()
    values = spec["data"]["values"] if "values" in spec["data"] else spec["datasets"][spec["data"]["name"]]
    return pl.read_csv(io.StringIO(values), infer_schema_length=None)


def _layers(spec: dict) -> list[dict]:
    return spec["layer"]


def _panel_layers(spec: dict, measure: str) -> list[dict]:
    panel = next(v for v in spec["vconcat"] if v["encoding"]["x"]["field"] == f"exposure_{x.PANEL[measure]}")
    return panel["layer"]


@pytest.mark.parametrize("measure", x.SHOWN)
def test_the_fit_line_is_in_the_spec_and_has_the_tables_slope(tb, measure):
    block = x.scatter_chart(tb)
    spec = block.spec()
    panel = x.PANEL[measure]
    layers = _panel_layers(spec, measure)
    fit_layers = [l for l in layers if l.get("mark", {}).get("type") == "line"]
    assert len(fit_layers) == 1 and f"fit_{panel}" in json.dumps(fit_layers[0]["transform"])
    band = [l for l in layers if l.get("mark", {}).get("type") == "area"]
    assert len(band) == 1 and band[0]["encoding"]["y2"]["field"] == f"high_{panel}"
    rows = _spec_rows(block)
    kind = lambda k: rows.filter(pl.col("row_kind") == f"{k}_{panel}").sort(f"exposure_{panel}")
    fit, low, high = kind("fit"), kind("low"), kind("high")
    xs = fit[f"exposure_{panel}"]
    assert xs.to_list() == low[f"exposure_{panel}"].to_list() == high[f"exposure_{panel}"].to_list()
    table = x.summary_rows(tb, "slope_log_employment_change", measure).row(0, named=True)
    slope = lambda f, i, j: (f["log_employment_change"][j] - f["log_employment_change"][i]) / (xs[j] - xs[i])
    assert slope(fit, 0, 2) == pytest.approx(table["estimate"], rel=1e-9)
    # The band's edges are the lines of the interval's two ends, pivoting on the weighted mean (the middle x).
    assert slope(high, 1, 2) == pytest.approx(table["ci_high"], rel=1e-9) and slope(low, 1, 2) == pytest.approx(table["ci_low"], rel=1e-9)
    assert slope(high, 0, 1) == pytest.approx(table["ci_low"], rel=1e-9) and slope(low, 0, 1) == pytest.approx(table["ci_high"], rel=1e-9)
    # The fit passes through the jobs-weighted mean point, computed here from exposure_change.
    change = tb["exposure_change"].filter(pl.col(measure).is_not_null())
    w = change["from_employment"].cast(pl.Float64)
    xm, ym = (change[measure] * w).sum() / w.sum(), (change["log_employment_change"] * w).sum() / w.sum()
    assert xs[1] == pytest.approx(xm) and fit["log_employment_change"][1] == pytest.approx(ym)
    # The chart draws every scored occupation once (the slope's occupations).
    drawn = rows.filter(pl.col("row_kind").is_null() & pl.col(f"exposure_{panel}").is_not_null()).height
    assert drawn == table["occupations_counted"]


def test_the_page_stays_light():
    """Both scatters share one dataset; the spec's size keeps the page's first visit under 1 MB (issue #12)."""
    spec = json.dumps(x.scatter_chart(tables()).spec())
    # NOTE: 70 kB since the SOC codes joined the data for the search box (issue 18); first visit measured in README.
    assert len(spec) < 70_000


@pytest.mark.parametrize("measure", x.SHOWN)
def test_labels_are_occupation_names_that_do_not_overlap_at_any_width(tb, measure):
    data, _, domains = x.scatter_data(tb)
    x_domain, y_domain = domains[measure]
    labelled = x.labelled(data, measure)
    assert 3 <= labelled.height <= len(x.LABEL_CANDIDATES)
    text = " ".join(json.dumps(l) for l in _panel_layers(x.scatter_chart(tb).spec(), measure) if l["mark"]["type"] == "text")
    assert '"field": "occupation"' in text  # labels draw the occupation's name
    assert not any(re.fullmatch(r"\d{2}-\d{4}", t) for t in labelled["occupation"])  # names, never SOC codes
    column = f"exposure_{x.PANEL[measure]}"
    for width in x.PLOT_WIDTHS:
        boxes = [x.label_box(r[column], r["log_employment_change"], r["occupation"], r["label_side"], x_domain, y_domain, width)
                 for r in labelled.iter_rows(named=True)]
        for i, a in enumerate(boxes):
            assert x._inside(a, width)
            for b in boxes[i + 1:]:
                assert not x._overlap(a, b, margin=0), width


def test_label_placement_leaves_off_a_label_with_no_free_side():
    # Two labels on one point take different sides; a label wider than the plot fits nowhere and is left off.
    points = [("a", 0.5, 0.0, "Alpha"), ("b", 0.5, 0.0, "Alpha"), ("c", 0.2, 0.5, "x" * 60)]
    placed = x.place_labels(points, [0, 1], [-1, 1], widths=(300,))
    assert set(placed) == {"a", "b"} and placed["a"] != placed["b"]
    # Six labels on one point: only as many as fit without touching are kept, never more than the four sides.
    crowded = [(str(i), 0.5, 0.0, "Label") for i in range(6)]
    kept = x.place_labels(crowded, [0, 1], [-1, 1], widths=(300,))
    assert 2 <= len(kept) <= len(x.PLACEMENTS)
    boxes = [x.label_box(0.5, 0.0, "Label", side, [0, 1], [-1, 1], 300) for side in kept.values()]
    assert not any(x._overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_titles_state_what_the_interval_bears(tb):
    slopes = {m: x.summary_rows(tb, "slope_log_employment_change", m).row(0, named=True) for m in x.SHOWN}
    spec = x.scatter_chart(tb).spec()
    for measure in x.SHOWN:
        panel = next(v for v in spec["vconcat"] if v["encoding"]["x"]["field"] == f"exposure_{x.PANEL[measure]}")
        title = " ".join(panel["title"]["text"])
        assert ("no clear link" in title) == x.spans_zero(slopes[measure])
        if not x.spans_zero(slopes[measure]):
            assert ("smaller gains" in title) == (slopes[measure]["estimate"] < 0)
    overall = " ".join(spec["title"]["text"])
    assert overall == " ".join(x.lines(x.jobs_title(slopes), x.TITLE_CHARS))
    assert overall.startswith("Only Microsoft's score ties higher exposure to smaller")  # what this release's intervals bear
    z = {"estimate": -0.1, "ci_low": -0.2, "ci_high": 0.1}
    n = {"estimate": -0.1, "ci_low": -0.2, "ci_high": -0.05}
    p = {"estimate": 0.1, "ci_low": 0.05, "ci_high": 0.2}
    assert x.jobs_title({x.HEADLINE: z, x.SECOND: z}).startswith("Neither")
    assert x.jobs_title({x.HEADLINE: n, x.SECOND: n}).startswith("Both measures tie higher exposure to smaller")
    assert x.jobs_title({x.HEADLINE: n, x.SECOND: p}).startswith("The two measures tie exposure to job growth in opposite")
    assert x.slope_finding(z) == "no clear link with the change in jobs"
    assert x.slope_finding(p).startswith("more exposed occupations saw larger")


def test_page_headings_and_claims_agree_with_the_data(tb):
    """The page's typed headings state findings; each is checked here against the release."""
    text = PAGE.read_text(encoding="utf-8")
    slope = {m: x.summary_rows(tb, "slope_log_employment_change", m).row(0, named=True) for m in x.SHOWN}
    wage = {m: x.summary_rows(tb, "slope_real_wage_change", m).row(0, named=True) for m in x.SHOWN}
    assert "## Jobs: one measure cannot tell the sign, the other points down" in text
    assert x.spans_zero(slope[x.HEADLINE]) and slope[x.SECOND]["ci_high"] < 0
    assert "## Pay: more exposed occupations saw smaller real raises on the GPT-4 measure" in text
    assert wage[x.HEADLINE]["ci_high"] < 0
    assert "Because the interval includes zero" in text and "below zero" in text
    assert "On one measure the data cannot tell" in text and "on the other they grew somewhat less" in " ".join(text.split())
    # "Leaving out the All Other occupations whose score is assumed changes little": the same reading of each interval.
    direct = {m: x.summary_rows(tb, "slope_log_employment_change_without_all_other", m).row(0, named=True) for m in x.SHOWN}
    assert "changes little" in text
    assert x.spans_zero(direct[x.HEADLINE]) and direct[x.SECOND]["ci_high"] < 0
    # "Microsoft's scores run only from 0 to about one half"
    assert 0.4 < tb["exposure_change"][x.SECOND].max() <= 0.5
    # "the least exposed fifth grew by ... and the most exposed by ...": the bins chart's title says the same.
    bins = tb["exposure_bins"].filter(pl.col("exposure_measure").is_in(list(x.SHOWN)))
    lower = all(bins.filter((pl.col("exposure_measure") == m) & (pl.col("exposure_bin") == 5))["employment_change_share"][0]
                < bins.filter((pl.col("exposure_measure") == m) & (pl.col("exposure_bin") == 1))["employment_change_share"][0] for m in x.SHOWN)
    assert ("grew less than the least exposed" in " ".join(x.bins_chart(tb).spec()["title"]["text"])) == lower


def test_prose_has_no_column_names_or_pipeline_terms():
    prose = re.sub(r"```\{python\}.*?```", "", PAGE.read_text(encoding="utf-8"), flags=re.S)
    prose = re.sub(r"`\{python\}[^`]*`", "", prose)
    assert "`" not in prose  # no code-formatted names
    for term in ("exposure_", "_share", "soc_code", "NOTES.md", "bootstrap", "vintage", "pipeline"):
        assert term not in prose, term


def test_prose_types_no_number_of_its_own():
    """Numbers in the page's prose come from the data (inline figures); only years, the 95% level and the
    cut-offs and ends of the scales (0, 0.1, 0.5, 1) are written by hand."""
    prose = re.sub(r"```\{python\}.*?```", "", PAGE.read_text(encoding="utf-8"), flags=re.S)
    prose = re.sub(r"`\{python\}[^`]*`", "", prose)
    prose = re.sub(r"^title:.*$", "", prose, flags=re.M).replace("GPT-4", "GPT")
    numbers = re.findall(r"\d[\d,.]*\d|\d", prose)
    allowed = {"0", "1", "0.1", "0.5", "95", "2021", "2022", "2023", "2025"}
    assert [n for n in numbers if n not in allowed] == []


def test_every_prose_figure_equals_the_release(tb):
    """Each figure the page uses exists, and its value is the release's own number (recomputed here)."""
    used = set(re.findall(r'F\["([a-z0-9-]+)"\]', PAGE.read_text(encoding="utf-8")))
    figures = prov.figures("exposure")
    assert used <= set(figures)
    s = tb["exposure_summary"]
    row = lambda m, st: s.filter((pl.col("exposure_measure") == m) & (pl.col("summary_statistic") == st)).row(0, named=True)
    assert figures["exposure-employment-slope"].value == row(x.HEADLINE, "slope_log_employment_change")["estimate"]
    assert figures["exposure-msft-employment-high"].value == row(x.SECOND, "slope_log_employment_change")["ci_high"]
    assert figures["exposure-unscored-share"].value == row(x.HEADLINE, "share_of_employment_unscored")["estimate"] < 0.01
    change = tb["exposure_change"]
    assert figures["exposure-occupations"].value == change.height
    corr = tb["exposure_correlation"].filter((pl.col("exposure_measure") == x.HEADLINE) & (pl.col("exposure_measure_other") == x.SECOND))
    assert figures["exposure-correlation-weighted"].value == corr["correlation_weighted"][0]
    scores = tb["exposure_scores"].filter(pl.col("exposure_measure") == x.HEADLINE)
    residual = scores.filter(pl.col("exposure_match") == "all_other_broad_group")["soc_code"]
    assert figures["exposure-residual-share"].value == pytest.approx(
        change.filter(pl.col("soc_code").is_in(residual.implode()))["from_employment"].sum() / change["from_employment"].sum())
    assert figures["exposure-combined-jobs"].value == change.filter(
        pl.col("soc_code").is_in(["25-9045", "53-1047", "21-1018", "51-2028", "25-2052"]))["from_employment"].sum()


def test_every_chart_has_a_method_note(tb):
    for block in (x.scatter_chart(tb), x.bins_chart(tb)):
        assert "not an effect of AI" in block.method and "not designed for year-to-year comparison" in block.method
        assert "pools three years" in block.method and "May 2021" in block.method
    assert x.MEASURE_SENTENCES[x.SECOND] in x.scatter_chart(tb).method and x.MEASURE_SENTENCES[x.HEADLINE] in x.scatter_chart(tb).method
    text = " ".join(PAGE.read_text(encoding="utf-8").split())
    for greek in ("alpha counts", "beta adds", "gamma counts"):
        assert greek in text


LABELS_JS = """() => Array.from(document.querySelectorAll('g.mark-text.role-mark text'))
  .filter(t => t.textContent).map(t => { const r = t.getBoundingClientRect(); return [t.textContent, r.left, r.top, r.right, r.bottom]; })"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [340, 1200])
def test_drawn_labels_do_not_overlap_in_chromium(tb, browser, width, tmp_path):
    from talentgap.site.shell import HERE
    from talentgap.site.vega import vega_bundle, vega_spec

    (tmp_path / "vega.js").write_bytes(vega_bundle(tmp_path / "cache"))
    (tmp_path / "charts.js").write_bytes((HERE / "static" / "charts.js").read_bytes())
    page = browser.new_page(viewport={"width": width + 40, "height": 1200})
    block = x.scatter_chart(tb)
    spec = block.spec()
    try:
        html_file = tmp_path / "scatter.html"
        html_file.write_text(
            f'<html><body><script src="vega.js"></script><script src="charts.js"></script><div id="c" style="width:{width}px">'
            f'</div><script>tgEmbed("c", {json.dumps(vega_spec(spec))}, {{"renderer": "svg"}});</script></body></html>',
            encoding="utf-8")
        page.goto(html_file.as_uri())
        page.wait_for_selector("g.mark-text.role-mark text", timeout=20_000)
        boxes = page.evaluate(LABELS_JS)
        expected = [n for m in x.SHOWN for n in x.labelled(block.data, m)["occupation"].to_list()]
        assert sorted(b[0] for b in boxes) == sorted(expected)
        right = page.evaluate("() => document.querySelector('#c svg').getBoundingClientRect().right")
        # The grey points are drawn too (every scored occupation on each panel).
        circles = page.evaluate("() => document.querySelectorAll('g.mark-symbol.role-mark path').length")
        assert circles >= sum(x.summary_rows(tb, "slope_log_employment_change", m)["occupations_counted"][0] for m in x.SHOWN)
        for i, a in enumerate(boxes):
            assert a[3] <= right + 1, f"{a[0]} runs off the chart at {width}px"
            for b in boxes[i + 1:]:
                overlap = a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
                assert not overlap, f"{a[0]} overlaps {b[0]} at {width}px"
    finally:
        page.close()
