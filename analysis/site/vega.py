"""The charts' runtime: each Vega-Lite spec is compiled to Vega when the page is rendered, and the page
loads only Vega (vl-convert's offline bundle of it), not Vega-Lite's compiler or vega-embed."""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path

CONCAT_KEYS = ("vconcat", "concat", "hconcat")
# NOTE: a concatenation's views cannot take Vega-Lite's width "container", so they are compiled at this
# stand-in width, which Vega-Lite hoists to the top-level width when all views share it; that width is then
# replaced by the container's width signal that Vega-Lite itself writes for a single view, and Vega's
# autosize "fit-x" (set here) fits the whole concatenation, axes included, to its box (tests/test_explore.py).
STAND_IN_WIDTH = 600
CONTAINER_WIDTH = "isFinite(containerSize()[0]) ? containerSize()[0] : {fallback}"
BUNDLE_SETS_VEGA = re.compile(r"window\.vega=(?!null)[A-Za-z_$]")
TABLE_KEY = "tgTable"  # usermeta: the name of the Vega dataset holding the chart's CSV (its table view)


class VegaCompileError(ValueError):
    """A chart's spec cannot be turned into the Vega spec the page draws."""


def vega_spec(vl_spec: dict) -> dict:
    """The Vega spec of a Vega-Lite spec, sized to its container; usermeta names the dataset of its CSV."""
    import vl_convert

    spec = copy.deepcopy(vl_spec)
    fitted = [v for key in CONCAT_KEYS for v in spec.get(key, []) if v.get("width") == "container"]
    for view in fitted:
        view["width"] = STAND_IN_WIDTH
    if fitted:
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}  # what "container" asks of a single view
    try:
        vg = vl_convert.vegalite_to_vega(spec)
    except Exception as exc:  # vl_convert raises plain ValueErrors with Vega-Lite's message
        raise VegaCompileError(f"chart {spec.get('title')!r}: Vega-Lite cannot compile it: {exc}") from exc
    if fitted:
        if vg.get("width") != STAND_IN_WIDTH:
            raise VegaCompileError(f"chart {spec.get('title')!r}: the views of a concatenation sized to the container "
                                   "must all be")
        expr = CONTAINER_WIDTH.format(fallback=vg.pop("width"))
        signal = {"name": "width", "init": expr, "on": [{"update": expr, "events": "window:resize"}]}
        vg["signals"] = [signal, *vg.get("signals", [])]
    table = _table_dataset(spec, vg)
    if table:
        vg["usermeta"] = {**(vg.get("usermeta") or {}), TABLE_KEY: table}
    return vg


def _table_dataset(vl: dict, vg: dict) -> str | None:
    """The Vega dataset whose values are the Vega-Lite spec's top-level CSV text, if there is one."""
    data = vl.get("data") or {}
    csv = data.get("values") if "values" in data else (vl.get("datasets") or {}).get(data.get("name"))
    if not isinstance(csv, str):
        return None
    return next((d["name"] for d in vg.get("data", []) if d.get("values") == csv), None)


# NOTE: vl-convert's own bundling exposes no Vega namespace to its snippet (its `vega` is a default import, null
# for Vega's modules), so the snippet imports Vega's module by the specifier vl-convert's loader serves it
# under, offline; `vega_bundle` refuses a bundle in which window.vega would not be Vega.
def bundle_snippet(vega_version: str) -> str:
    return f'import * as vegaModule from "https://cdn.jsdelivr.net/npm/vega@{vega_version}/+esm";\nwindow.vega = vegaModule;\n'


def vega_bundle(cache_dir: Path) -> bytes:
    """vl-convert's offline bundle of Vega alone (sets window.vega), cached per version."""
    import vl_convert

    vega_version = vl_convert.get_vega_version()
    path = cache_dir / f"vega-only-{vl_convert.__version__}-vega{vega_version}.js"
    if not path.is_file():
        try:
            text = vl_convert.javascript_bundle(bundle_snippet(vega_version))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # a module it cannot resolve: a ValueError, or a Rust panic (a BaseException)
            raise VegaCompileError(f"vl-convert could not bundle Vega {vega_version}: {str(exc).splitlines()[0]}") from exc
        if "View:" not in text or not BUNDLE_SETS_VEGA.search(text):
            raise VegaCompileError("vl-convert's bundle does not hold Vega's View and parse")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return path.read_bytes()
