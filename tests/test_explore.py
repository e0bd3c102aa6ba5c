"""Explore controls (search box, country select, time range) and the phone layout at 390 px (issue 18, items 2-3).

The controls are Vega-Lite parameters bound to inputs; here they are driven in chromium from file:// as a reader
would (typing, selecting), and what the view draws is read through the views charts.js keeps (window.tgViews).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import altair as alt
import polars as pl
import pytest

from talentgap import figures as f
from talentgap.site.outputs import script_json
from talentgap.site.vega import vega_spec

from .phone_checks import phone_problems
from .test_report import site  # noqa: F401  (the rendered report, once per run)

PHONE = {"width": 390, "height": 844}


def _open(browser, url: str, viewport=PHONE):
    page = browser.new_context(viewport=viewport).new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    page.wait_for_function("() => Array.from(document.querySelectorAll('.vega-chart')).every(c => c.querySelector('svg'))",
                           timeout=30_000)
    page.wait_for_timeout(300)
    return page, errors


# ---------------------------------------------------------------- phone: the checks themselves
# NOTE: every page of the report is checked at 390 px by tests/test_report.py, in the same page load as its layout.
PROBLEM_PAGE = """<!doctype html><html><head><meta name="viewport" content="width=device-width">
<style>main{padding:8px} .tg-table{overflow-x:auto;max-width:100%} td{white-space:nowrap}</style></head><body><main>
<div class="vega-chart" id="c"><svg width="300" height="120">
 <g class="mark-group role-title"><g class="role-title-text"><text x="0" y="20">A title much too long for this little chart at all, really</text></g></g>
 <g class="mark-text role-mark"><text x="10" y="60">Amazon</text><text x="20" y="62">Accenture</text></g>
 <g class="mark-text role-axis-label"><text x="10" y="100">2020</text><text x="14" y="100">2021</text></g>
</svg></div>
<div class="tg-table"><table><tbody><tr><td>key</td>""" + "<td>a rather wide cell of text</td>" * 8 + """</tr></tbody></table></div>
</main></body></html>"""


def test_phone_checks_catch_a_cut_title_overlapping_labels_and_a_lost_key_column(browser, tmp_path):
    (tmp_path / "bad.html").write_text(PROBLEM_PAGE, encoding="utf-8")
    page = browser.new_context(viewport=PHONE).new_page()
    try:
        page.goto((tmp_path / "bad.html").as_uri())
        problems = phone_problems(page)
    finally:
        page.context.close()
    text = "\n".join(problems)
    assert "title text" in text and "runs past" in text
    assert '"Amazon" (mark) overlaps "Accenture" (mark)' in text
    assert "2020" not in text  # tick labels are Vega's to thin out, not measured
    assert "key column is not pinned" in text and "no visible cue" in text


# ---------------------------------------------------------------- explore helpers, driven in chromium
def _embed_page(site: Path, dest: Path, specs: dict[str, dict]) -> str:  # noqa: F811
    """A page with the report's own vega bundle and charts.js, embedding `specs` (id -> spec) as the report does."""
    for rel in ("site_libs/vega/vega-bundle.js", "site_libs/talentgap/charts.js"):
        (dest / Path(rel).name).write_bytes((site / rel).read_bytes())
    divs = "".join(f'<div id="{i}" class="vega-chart"></div><script>tgEmbed({script_json(i)}, '
                   f'{script_json(vega_spec(s))}, {{"renderer": "svg"}});</script>' for i, s in specs.items())
    (dest / "explore.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8"><script src="vega-bundle.js"></script><script src="charts.js"></script>'
        f'</head><body style="width:370px">{divs}</body></html>', encoding="utf-8")
    return (dest / "explore.html").as_uri()


OCCUPATIONS = pl.DataFrame({"soc_code": ["15-1252", "15-1253", "43-9021", "13-2011"],
                            "occupation_title": ["Software Developers", "Software Quality Assurance Analysts and Testers",
                                                 "Data Entry Keyers", "Accountants and Auditors"],
                            "change_percent": [10.5, -3.2, -20.1, 1.0]})


def _search_spec() -> dict:
    find = f.search_param()
    fields = ["occupation_title", "soc_code"]
    chart = alt.Chart(f.inline(OCCUPATIONS)).mark_bar().encode(
        y="occupation_title:N", x="change_percent:Q", opacity=f.search_opacity(find, fields), stroke=f.search_stroke(find, fields)
    ).transform_calculate(found=f.search_match(find, fields)).add_params(find).properties(width="container", height=120)
    return chart.to_dict()


AI_SHARE = pl.DataFrame({"date": [date(2022, 1, 1), date(2023, 1, 1)] * 3, "country": ["US", "US", "GB", "GB", "FR", "FR"],
                         "percent": [1.0, 2.0, 0.5, 1.5, 0.4, 0.9]})


def _country_spec() -> dict:
    names = {"US": "United States", "GB": "United Kingdom", "FR": "France"}
    chosen, others = f.country_params(names)
    chart = alt.Chart(f.inline(AI_SHARE)).transform_filter(f.country_filter(chosen, others)).mark_line().encode(
        x="date:T", y="percent:Q", detail="country:N",
        color=alt.condition(f.country_is_chosen(chosen), alt.value(f.BLUE), alt.value("#bbbbbb")),
    ).add_params(chosen, others).properties(width="container", height=120)
    return chart.to_dict()


SERIES = pl.DataFrame({"date": [date(y, 6, 1) for y in range(2020, 2027)], "value": [100.0, 120, 90, 80, 70, 75, 72]})


def _time_spec() -> dict:
    start, end = f.time_range_params(2020, 2026)
    chart = alt.Chart(f.inline(SERIES)).transform_filter(f.time_range_filter(start, end)).mark_line(clip=True).encode(
        x=alt.X("date:T", scale=alt.Scale(domain=f.time_range_domain(start, end))), y="value:Q",
    ).add_params(start, end).properties(width="container", height=120)
    return chart.to_dict()


def _drawn(page, chart_id: str, dataset: str = "data_0") -> list:
    return page.evaluate(f"() => window.tgViews[{json.dumps(chart_id)}].data({json.dumps(dataset)})")


# Every item of the view's marks of one type, walked through the scenegraph: [datum, opacity, stroke].
SCENE_JS = """([id, type]) => {
  const out = [];
  const walk = (node) => {
    if (!node) return;
    if (node.marktype !== undefined && Array.isArray(node.items)) {
      node.items.forEach((i) => { if (node.marktype === type && node.role === 'mark') out.push([i.datum, i.opacity ?? 1, i.stroke ?? null]); walk(i); });
    } else if (Array.isArray(node.items)) node.items.forEach(walk);
  };
  walk(window.tgViews[id].scenegraph().root);
  return out;
}"""


def _items(page, chart_id: str, marktype: str) -> list[list]:
    return page.evaluate(SCENE_JS, [chart_id, marktype])


def test_search_box_highlights_occupations_by_name_and_by_soc_code(site, browser, tmp_path):  # noqa: F811
    spec = _search_spec()
    assert {"name": "find", "value": ""}.items() <= spec["params"][0].items()
    assert spec["params"][0]["bind"]["input"] == "search"
    page, errors = _open(browser, _embed_page(site, tmp_path, {"search": spec}))
    try:
        def drawn(key):
            return sorted([d[key], o, st] for d, o, st in _items(page, "search", "rect"))
        assert [o for _, o, _ in drawn("soc_code")] == [1, 1, 1, 1]
        box = page.locator("#search input[type=search]")
        box.fill("software dev")
        page.wait_for_timeout(200)
        assert drawn("soc_code") == [["13-2011", 0.15, None], ["15-1252", 1, f.BLACK], ["15-1253", 0.15, None], ["43-9021", 0.15, None]]
        box.fill("43-9021")
        page.wait_for_timeout(200)
        assert drawn("occupation_title") == [["Accountants and Auditors", 0.15, None], ["Data Entry Keyers", 1, f.BLACK],
                                             ["Software Developers", 0.15, None],
                                             ["Software Quality Assurance Analysts and Testers", 0.15, None]]
        box.fill("")
        page.wait_for_timeout(200)
        assert [o for _, o, _ in drawn("soc_code")] == [1, 1, 1, 1]
    finally:
        page.context.close()
    assert not errors


def test_country_select_changes_the_highlighted_and_the_drawn_series(site, browser, tmp_path):  # noqa: F811
    page, errors = _open(browser, _embed_page(site, tmp_path, {"countries": _country_spec()}))
    try:
        def drawn():
            return {d["country"]: st for d, _, st in _items(page, "countries", "line")}
        assert drawn() == {"US": f.BLUE, "GB": "#bbbbbb", "FR": "#bbbbbb"}
        page.locator("#countries select").select_option("GB")
        page.wait_for_timeout(200)
        assert drawn() == {"US": "#bbbbbb", "GB": f.BLUE, "FR": "#bbbbbb"}
        page.locator("#countries input[type=checkbox]").uncheck()
        page.wait_for_timeout(200)
        assert drawn() == {"GB": f.BLUE}
    finally:
        page.context.close()
    assert not errors


def test_time_range_sliders_narrow_the_axis_and_the_rows_drawn(site, browser, tmp_path):  # noqa: F811
    page, errors = _open(browser, _embed_page(site, tmp_path, {"time": _time_spec()}))
    years = "() => window.tgViews.time.scale('x').domain().map(d => new Date(d).getUTCFullYear())"
    try:
        assert page.evaluate(years) == [2020, 2027]
        sliders = page.locator("#time input[type=range]")
        sliders.nth(0).fill("2023")
        sliders.nth(1).fill("2024")
        page.wait_for_timeout(200)
        assert page.evaluate(years) == [2023, 2025]
        assert page.evaluate("() => window.tgViews.time.scale('y').domain()")[1] <= 80
    finally:
        page.context.close()
    assert not errors


def test_label_rows_moves_a_crowded_label_to_another_row_and_drops_one_with_no_room():
    pts = pl.DataFrame({"date": [date(2023, 1, 4), date(2023, 3, 23), date(2023, 4, 1), date(2023, 4, 10), date(2025, 1, 1), date(2025, 2, 1)],
                        "people": [18000, 19000, 17000, 18200, 5000, 5000],
                        "label_shown": ["Amazon", "Accenture", "Cisco", "Dell", "Intel", None]})
    rows = f.label_rows(pts, ["2022-01-01", "2026-09-01"], 220, 60000)["label_row"].to_list()
    assert rows == ["level", "above", "below", None, "level", None]


# ---------------------------------------------------------------- the controls on the report's own charts
def _chart_with(page, selector: str) -> str:
    """The id of the chart container holding `selector` (e.g. its search box)."""
    return page.evaluate("(sel) => document.querySelector(sel).closest('.vega-chart').id", selector)


# ---------------------------------------------------------------- the report's own controls, one page load per page
def _search_finds_by_name_and_soc_code(page, marktype: str) -> None:
    chart = _chart_with(page, "input[type=search]")
    title = "occupation_title" if marktype == "rect" else "occupation"
    items = lambda: [(d.get(title), d.get("soc_code"), o, st) for d, o, st in _items(page, chart, marktype)]  # noqa: E731
    assert {i[1] for i in items()} >= {"15-1252"}
    box = page.locator(f"#{chart} input[type=search]")
    box.fill("software dev")
    page.wait_for_timeout(300)
    found = [i for i in items() if i[2] == 1]
    assert found and all("software dev" in i[0].lower() for i in found) and all(i[3] == f.BLACK for i in found)
    assert all(i[2] < 0.5 and i[3] is None for i in items() if "software dev" not in i[0].lower())
    box.fill("15-1252")
    page.wait_for_timeout(300)
    assert {i[1] for i in items() if i[2] == 1} == {"15-1252"}


def _ai_share_draws_the_country_chosen(page) -> None:
    chart = _chart_with(page, "select")
    def strokes():
        return {d["country"]: st for d, _, st in _items(page, chart, "line")}
    before = strokes()
    assert before["US"] == f.BLUE and len(before) == 9 and {c for c, s in before.items() if s == f.BLUE} == {"US"}
    page.locator(f"#{chart} select").select_option("GB")
    page.wait_for_timeout(300)
    assert {c for c, s in strokes().items() if s == f.BLUE} == {"GB"}
    assert page.evaluate(f"() => Array.from(document.querySelectorAll('#{chart} text')).some(t => t.textContent === 'United Kingdom')")
    page.locator(f"#{chart} input[type=checkbox]").uncheck()
    page.wait_for_timeout(300)
    assert strokes() == {"GB": f.BLUE}


def _sliders_narrow_the_series(page, chart_id: str, panels: int) -> None:
    chart = _chart_with(page, f"[id^={chart_id}-] input[type=range]")
    # Every time axis of the chart (one per panel of a concatenated chart: concat_0_x, concat_1_x).
    years = (f"() => {{ const v = window.tgViews[{json.dumps(chart)}]; const out = [];"
             "  for (const n of ['x', 'concat_0_x', 'concat_1_x', 'concat_2_x']) { try { out.push(v.scale(n).domain().map(d => new Date(d).getFullYear())); } catch (e) {} }"
             "  return out; }")
    first = page.evaluate(years)
    assert first and all(d == first[0] for d in first) and len(first) == panels, chart_id
    first = first[0]
    sliders = page.locator(f"#{chart} input[type=range]")
    sliders.nth(0).fill("2023")
    sliders.nth(1).fill("2024")
    page.wait_for_timeout(300)
    assert first[0] < 2023 and all(d == [2023, 2025] for d in page.evaluate(years)), chart_id


# Every drawn item's [source_id, source] on every chart of a page, walked through the scenegraphs.
SOURCES_JS = """() => {
  const out = [];
  const walk = (node) => {
    if (!node) return;
    if (Array.isArray(node.items)) node.items.forEach((i) => {
      if (i.datum && i.datum.source_id !== undefined) out.push([i.datum.source_id, i.datum.source ?? null]);
      walk(i);
    });
  };
  Object.values(window.tgViews).forEach((v) => walk(v.scenegraph().root));
  return out;
}"""


def _each_rows_publisher_is_computed_from_its_source_id(page) -> None:
    # The CSVs carry only the id; the tooltip's publisher is computed in the browser from the sources table.
    from talentgap.api import load

    publishers = dict(load("sources").select("source_id", "publisher").iter_rows())
    drawn = page.evaluate(SOURCES_JS)
    assert drawn and {tuple(d) for d in drawn} == {(i, publishers[i]) for i, _ in drawn}


# NOTE: each page is loaded once for all its controls (they act on different charts; the publishers are read before
# any slider narrows what is drawn): a search box on the employment and exposure charts, the AI-share chart's
# countries, and the time-range sliders of every long series.
REPORT_CONTROLS = {
    "skills.html": [(_search_finds_by_name_and_soc_code, "rect"), (_ai_share_draws_the_country_chosen,),
                    (_sliders_narrow_the_series, "vega-fig-postings", 1)],
    "exposure.html": [(_search_finds_by_name_and_soc_code, "symbol")],
    "morale.html": [(_sliders_narrow_the_series, "vega-fig-confidence", 2)],
    "jobs.html": [(_each_rows_publisher_is_computed_from_its_source_id,), (_sliders_narrow_the_series, "vega-fig-jobs-held", 3),
                  (_sliders_narrow_the_series, "vega-fig-young-unemployment", 1)],
    "layoffs.html": [(_sliders_narrow_the_series, "vega-fig-wave", 2)],
}


@pytest.mark.parametrize("name", sorted(REPORT_CONTROLS))
def test_report_search_boxes_countries_and_time_sliders_work_on_the_page(site, browser, name):  # noqa: F811
    page, errors = _open(browser, (site / name).as_uri(), viewport={"width": 1000, "height": 900})
    try:
        for check, *args in REPORT_CONTROLS[name]:
            check(page, *args)
    finally:
        page.context.close()
    assert not errors


# ---------------------------------------------------------------- the runtime: tooltips and width (talentgap.site.vega)
def _tooltip_spec(name: str) -> dict:
    rows = pl.DataFrame({"company": [name], "people": [1200]})
    return alt.Chart(alt.Data(values=rows.write_csv(), format=alt.DataFormat(type="csv"))).mark_circle(size=4000).encode(
        x="people:Q", tooltip=[alt.Tooltip("company:N", title="Company"), alt.Tooltip("people:Q", title="People")],
    ).properties(width="container", height=120).to_dict()


def test_a_tooltip_shows_the_fields_as_text_and_hides_when_the_pointer_leaves(site, browser, tmp_path):  # noqa: F811
    name = '<img src=x onerror="window.tgHacked=1">Acme & Co'
    page, errors = _open(browser, _embed_page(site, tmp_path, {"tip": _tooltip_spec(name)}))
    try:
        box = page.locator("#tip .mark-symbol path").first.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tip = page.locator(".tg-tooltip")
        tip.wait_for(state="visible", timeout=5_000)
        rows = page.evaluate("() => Array.from(document.querySelectorAll('.tg-tooltip tr'))"
                             ".map(r => [r.cells[0].textContent, r.cells[1].textContent])")
        assert rows == [["Company", name], ["People", "1200"]]
        assert page.evaluate("() => document.querySelectorAll('.tg-tooltip img').length") == 0
        assert page.evaluate("() => window.tgHacked") is None
        page.mouse.move(1, 1)
        tip.wait_for(state="hidden", timeout=5_000)
    finally:
        page.context.close()
    assert not errors


def test_a_concatenation_fills_its_box_and_follows_it_when_the_window_is_resized(site, browser, tmp_path):  # noqa: F811
    rows = pl.DataFrame({"year": [2020, 2021, 2022], "value": [1, 30000, 2]}).write_csv()
    panel = alt.Chart().mark_line().encode(x="year:O", y=alt.Y("value:Q", title="A long axis title")).properties(
        width="container", height=80)
    spec = alt.vconcat(panel, panel, data=alt.Data(values=rows, format=alt.DataFormat(type="csv"))).properties(
        title="Two panels").to_dict()
    url = _embed_page(site, tmp_path, {"two": spec})
    html_file = Path(url[len("file://"):])
    html_file.write_text(html_file.read_text(encoding="utf-8").replace('style="width:370px"', 'style="margin:0 10px"'),
                         encoding="utf-8")
    widths = "() => { const c = document.getElementById('two'); return [c.clientWidth, c.querySelector('svg').getBoundingClientRect().width]; }"
    page, errors = _open(browser, url, viewport={"width": 1000, "height": 800})
    try:
        box, drawn = page.evaluate(widths)
        assert box == 980 and abs(drawn - box) <= 1
        page.set_viewport_size({"width": 390, "height": 800})
        page.wait_for_function(f"() => ({widths})()[1] <= 371", timeout=5_000)
        box, drawn = page.evaluate(widths)
        assert box == 370 and abs(drawn - box) <= 1
    finally:
        page.context.close()
    assert not errors
