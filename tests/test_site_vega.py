"""The charts' runtime (talentgap.site.vega): Vega-Lite compiled to Vega at render time, drawn by Vega alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from talentgap.site.outputs import OutputError, PageAssets, render_outputs
from talentgap.site.vega import CONTAINER_WIDTH, STAND_IN_WIDTH, TABLE_KEY, VegaCompileError, vega_spec

CSV = "year,value\n2020,1\n2021,3\n"


def _view(**extra) -> dict:
    return {"mark": "line", "encoding": {"x": {"field": "year", "type": "ordinal"}, "y": {"field": "value", "type": "quantitative"}},
            "height": 80, **extra}


def _concat(*widths) -> dict:
    return {"title": {"text": "Two panels"}, "data": {"values": CSV, "format": {"type": "csv"}},
            "config": {"autosize": {"type": "fit-x", "contains": "padding"}},
            "vconcat": [_view(width=w) for w in widths]}


def test_a_single_view_keeps_vega_lites_container_width_and_names_its_csv_for_the_table_view():
    vg = vega_spec({"title": "One", "data": {"values": CSV, "format": {"type": "csv"}}, **_view(width="container")})
    width = next(s for s in vg["signals"] if s["name"] == "width")
    assert "containerSize()[0]" in width["init"] and width["on"][0]["events"] == "window:resize"
    table = next(d for d in vg["data"] if d["name"] == vg["usermeta"][TABLE_KEY])
    assert table["values"] == CSV and table["format"]["type"] == "csv"


def test_a_concatenation_sized_to_its_container_gets_the_containers_width_signal():
    spec = _concat("container", "container")
    vg = vega_spec(spec)
    assert "width" not in vg and vg["autosize"]["type"] == "fit-x"
    expr = CONTAINER_WIDTH.format(fallback=STAND_IN_WIDTH)
    assert vg["signals"][0] == {"name": "width", "init": expr, "on": [{"update": expr, "events": "window:resize"}]}
    # Each panel's group and x range follow that one signal.
    text = json.dumps(vg)
    assert str(STAND_IN_WIDTH) not in text.replace(expr, "")
    assert spec["vconcat"][0]["width"] == "container"  # the caller's spec is not changed


def test_a_concatenation_whose_views_differ_in_width_is_refused():
    with pytest.raises(VegaCompileError, match=r"'Two panels'.*must all be"):
        vega_spec(_concat("container", 200))


def test_a_spec_vega_lite_cannot_compile_is_refused_with_the_charts_title():
    spec = {"title": "Broken", "data": {"values": CSV, "format": {"type": "csv"}}, "mark": "no-such-mark"}
    with pytest.raises(VegaCompileError, match=r"chart 'Broken': Vega-Lite cannot compile it"):
        vega_spec(spec)


def test_the_page_carries_the_vega_spec_and_a_bad_chart_stops_the_render():
    spec = _concat("container", "container")
    out = {"output_type": "display_data", "data": {"application/vnd.vegalite.v6+json": spec}}
    [block] = render_outputs([out], {}, "c1", PageAssets(files_dir="f", page_dir=""))
    assert '"$schema": "https://vega.github.io/schema/vega/v6.json"' in block and "vconcat" not in block
    assert 'tgEmbed("vega-c1-1", ' in block and '{"renderer": "svg"});' in block
    bad = {"output_type": "display_data", "data": {"application/vnd.vegalite.v6+json": _concat("container", 200)}}
    with pytest.raises(OutputError, match="must all be"):
        render_outputs([bad], {}, "c2", PageAssets(files_dir="f", page_dir=""))


def test_a_bundle_without_vega_is_refused_and_the_render_says_so(tmp_path, monkeypatch):
    from talentgap.site import vega
    from talentgap.site.errors import RenderError
    from talentgap.site.project import load_project
    from talentgap.site.shell import SiteShell

    # Modules vl-convert does not carry: its bundler fails (a ValueError for a bare name, a Rust panic for a URL);
    # a snippet that sets nothing: no window.vega.
    for module in ("no-such-module", "https://example.invalid/vega.js"):
        monkeypatch.setattr(vega, "bundle_snippet", lambda version, m=module: f'import * as v from "{m}";\nwindow.v = v;\n')
        with pytest.raises(VegaCompileError, match="vl-convert could not bundle Vega"):
            vega.vega_bundle(tmp_path / "a")
    monkeypatch.setattr(vega, "bundle_snippet", lambda version: "window.nothing = 1;\n")
    with pytest.raises(VegaCompileError, match="does not hold Vega's View"):
        vega.vega_bundle(tmp_path / "b")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()  # nothing cached
    shell = SiteShell(load_project(Path(__file__).parent / "fixtures" / "site_example"), {}, tmp_path / "c")
    shell.needs_vega = True
    with pytest.raises(RenderError, match="the charts' Vega bundle cannot be made"):
        shell.finish(tmp_path / "site")
