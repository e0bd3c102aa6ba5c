"""The provenance registry: a figure's value is its operation over the rows it lists, or it is refused."""

from __future__ import annotations

import polars as pl
import pytest

from talentgap import provenance as prov
from talentgap.report import tables


def test_operations_over_rows():
    rows = pl.DataFrame({"v": [2.0, 3.0, 5.0], "term": ["numerator", "denominator", "denominator"]})
    assert prov.apply("sum", "v", rows) == 10
    assert prov.apply("count", None, rows) == 3
    assert prov.apply("max", "v", rows) == 5 and prov.apply("min", "v", rows) == 2
    assert prov.apply("ratio", "v", rows) == pytest.approx(2 / 8)
    change = rows.with_columns(pl.Series("term", ["from", "to", "to"]))
    assert prov.apply("change", "v", change) == pytest.approx(8 / 2 - 1)
    assert prov.apply("difference", "v", change) == 6
    assert prov.apply("value", "v", rows.head(1)) == 2


@pytest.mark.parametrize("op, column, rows, message", [
    ("value", "v", pl.DataFrame({"v": [1, 2]}), "needs one row"),
    ("sum", "v", pl.DataFrame({"v": []}, schema={"v": pl.Int64}), "no rows"),
    ("sum", "w", pl.DataFrame({"v": [1]}), "not in the rows"),
    ("sum", "v", pl.DataFrame({"v": [1, None]}), "empty cells"),
    ("ratio", "v", pl.DataFrame({"v": [1]}), "term"),
    ("median", "v", pl.DataFrame({"v": [1]}), "unknown op"),
])
def test_figures_that_cannot_be_computed_are_refused(op, column, rows, message):
    with pytest.raises(prov.ProvenanceError, match=message):
        prov.apply(op, column, rows)


def test_recorder_refuses_duplicates_unknown_sources_and_rows_without_sources():
    rec = prov.Recorder(group="t", tables=tables())
    rows = pl.DataFrame({"v": [1], "source_id": ["fred-fedfunds-2026-07"]})
    fig = rec.add("a-figure", rows, op="value", column="v", what="A", tables=["rates"], how="one row")
    assert fig.link() == '<a class="prov" href="provenance.html#a-figure" title="A">1</a>'
    assert fig.sources["url"][0].startswith("https://")
    with pytest.raises(prov.ProvenanceError, match="twice"):
        rec.add("a-figure", rows, op="value", column="v", what="A", tables=["rates"], how="")
    with pytest.raises(prov.ProvenanceError, match="unknown source"):
        rec.add("b", rows.with_columns(pl.lit("no-such-source").alias("source_id")), op="value", column="v", what="B", tables=[], how="")
    with pytest.raises(prov.ProvenanceError, match="no source ids"):
        rec.add("c", rows.drop("source_id"), op="value", column="v", what="C", tables=[], how="")
    with pytest.raises(prov.ProvenanceError, match="lower-case"):
        rec.add("Bad Id", rows, op="value", column="v", what="D", tables=[], how="")


def test_every_report_figure_has_unique_id_rows_and_sources():
    figs = prov.all_figures()
    assert len({f.id for f in figs}) == len(figs) > 60
    for f in figs:
        assert f.rows.height >= 1 and f.sources.height >= 1 and f.tables, f.id
        assert prov.apply(f.op, f.column, f.rows) == f.value
