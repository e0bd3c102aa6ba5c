"""report/jobs.qmd: its heading's finding holds in the data, each series is read from one file, every chart
carries its sources and the SCE attribution."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from talentgap import provenance as prov
from talentgap import report as r
from talentgap import paths
from talentgap.pages import jobs

D = dt.date


@pytest.fixture(scope="module")
def tb():
    return r.tables()


def test_the_heading_finding_holds():
    """'the Information sector shrank while total payrolls grew' (from the Information peak to the latest month)."""
    heading = (paths.ROOT / "report" / "jobs.qmd").read_text().split("\n")[1]
    assert "Information sector shrank while total payrolls grew" in heading
    F = prov.figures("jobs")
    assert F["jobs-info-change-share"].value < 0 < F["jobs-total-change-share"].value
    assert F["jobs-info-last"].value < F["jobs-info-peak"].value


def test_each_series_is_read_from_one_file(tb):
    cps = jobs.cps(tb)
    per_series = dict(cps.group_by("series_id").agg(pl.col("source_id").n_unique()).iter_rows())
    assert per_series == {"UNRATE": 1, "LNS14000036": 1, "CGBD2024": 1}
    # UNRATE comes from the copy that reaches the latest month.
    assert cps.filter(pl.col("series_id") == "UNRATE")["source_id"].unique().to_list() == ["bls-cps-unrate-2026-08-09"]
    assert cps.filter(pl.col("series_id") == "UNRATE")["month"].is_unique().all()


def test_one_copy_prefers_the_longer_file_then_the_first_source():
    df = pl.DataFrame({
        "series_id": ["A", "A", "A", "B", "B"],
        "month": [D(2020, 1, 1), D(2020, 2, 1), D(2020, 1, 1), D(2020, 1, 1), D(2020, 1, 1)],
        "source_id": ["long", "long", "short", "y", "x"],
    })
    kept = jobs.one_copy(df, "series_id")
    assert kept.select("series_id", "source_id").unique().sort("series_id").rows() == [("A", "long"), ("B", "x")]


def test_every_latest_peak_and_low_carries_its_month():
    F = prov.figures("jobs")
    for fid, fig in F.items():
        if any(word in fid for word in ("last", "peak", "high", "low", "worst", "best")):
            assert len(fig.rows) == 1, fid
            assert jobs.when(fig)  # a month the page prints beside the number


def test_charts_have_their_sources_and_the_sce_attribution(tb):
    blocks = [jobs.jobs_chart(tb), jobs.unemployment_chart(tb), jobs.expectations_chart(tb)]
    for b in blocks:
        assert set(b.sources["source_id"]) == set(b.data["source_id"])
    assert "New York Fed" in blocks[2].data_line()
    page = (paths.ROOT / "report" / "jobs.qmd").read_text()
    assert "Federal Reserve Bank of New York (FRBNY)" in page and "disclaims any responsibility" in page


def test_the_graduates_rate_peaks_in_summer_as_the_page_says(tb):
    """The method note: each full year's high of the (not seasonally adjusted) graduates' rate is in June-September."""
    assert "each full year's high in this file falls between June and September" in jobs.unemployment_chart(tb).method
    grads = jobs.cps(tb).filter(pl.col("series_id") == "CGBD2024").with_columns(pl.col("month").dt.year().alias("year"))
    full = grads.group_by("year").agg(pl.len().alias("n")).filter(pl.col("n") >= 11)["year"]  # 2025 lacks October
    highs = grads.filter(pl.col("year").is_in(full.implode())).sort("unemployment_rate_percent", descending=True).group_by("year").first()
    assert highs.height >= 5 and highs["month"].dt.month().is_between(6, 9).all()
