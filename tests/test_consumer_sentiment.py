"""University of Michigan consumer sentiment (UMCSENT) through FRED: the copy read, its terms, and its table."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

import talentgap
from talentgap.ingest import labour
from talentgap.ingest.common import IngestError
from talentgap.schemas.tables import TABLES

from .test_fetch import shared_file

SOURCE = "umich-umcsent-2026-01-02"


def umcsent_file():
    path = shared_file("fred-UMCSENT.csv")
    if not path.is_file():
        pytest.skip("fred-UMCSENT.csv is not beside the repository (../shared/upstream/candidates)")
    return path


def test_the_copy_gives_every_month_from_2015_to_november_2025_unadjusted():
    result = labour.ingest_series(umcsent_file(), "consumer_sentiment", "s", series="UMCSENT")
    assert result.quarantine.is_empty()
    months = result.accepted["month"]
    assert months.min() == dt.date(2015, 1, 1) and months.max() == dt.date(2025, 11, 1) and months.n_unique() == 131
    assert result.accepted["seasonal_adjustment"].unique().to_list() == ["nsa"]
    # The index's record low of June 2022, as FRED's pages state it.
    low = result.accepted.sort("sentiment_index").row(0, named=True)
    assert (low["month"], low["sentiment_index"]) == (dt.date(2022, 6, 1), 50.0)


def test_a_value_copy_needs_its_series_named_and_only_umcsent_is_taken(tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("date,value\n2024-01-01,79.0\n")
    with pytest.raises(IngestError, match="names no series"):
        labour.ingest_series(path, "consumer_sentiment", "s")
    with pytest.raises(IngestError, match="is not one consumer_sentiment takes"):
        labour.ingest_series(path, "consumer_sentiment", "s", series="UNRATE")
    bad = tmp_path / "b.csv"
    bad.write_text("date,value\n2024-01-01,79.0\n2024-02-01,high\n")
    result = labour.ingest_series(bad, "consumer_sentiment", "s", series="UMCSENT")
    assert result.accepted.height == 1 and result.quarantine.height == 1


def test_the_release_table_carries_michigans_attribution_and_one_source():
    table = talentgap.load("consumer_sentiment")
    assert set(table["source_id"]) == {SOURCE} and set(table["series_id"]) == {"UMCSENT"}
    assert table.height == 131 and table["month"].is_sorted()
    sources = talentgap.load("sources").filter(pl.col("source_id") == SOURCE)
    assert "Surveys of Consumers" in sources["license"].item() and "University of Michigan" in sources["publisher"].item()
    assert "University of Michigan, Survey Research Center, Surveys of Consumers" in TABLES["consumer_sentiment"].description
