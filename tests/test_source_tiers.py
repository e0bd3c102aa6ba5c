"""Source tiers: the share of curated rows citing the publisher's own page or file (issue #19, item 5)."""

from __future__ import annotations

import polars as pl
import pytest

from talentgap import paths
from talentgap.api import load
from talentgap.refresh import sources_rows
from talentgap.schemas.tables import TABLES
from talentgap.source_tiers import ALL_TABLES, CURATED_TABLES, TierError, publisher_share, tier_shares


def _sources(**tiers: str) -> pl.DataFrame:
    return pl.DataFrame({"source_id": list(tiers), "source_tier": list(tiers.values())})


def test_shares_count_rows_per_tier_and_pool_the_tables():
    tables = {
        "sources": _sources(a="publisher", b="secondary", c="copy"),
        "one": pl.DataFrame({"source_id": ["a", "a", "b", "a"]}),
        "two": pl.DataFrame({"source_id": ["c", "b"]}),
    }
    df = tier_shares(tables, ("one", "two"))
    got = {(r["table"], r["source_tier"]): (r["rows"], r["share_of_rows"]) for r in df.iter_rows(named=True)}
    assert got[("one", "publisher")] == (3, 0.75)
    assert got[("one", "secondary")] == (1, 0.25)
    assert got[("one", "copy")] == (0, 0.0)  # a tier with no rows is listed, not left out
    assert got[("two", "copy")] == (1, 0.5)
    assert got[(ALL_TABLES, "publisher")] == (3, 0.5)
    assert got[(ALL_TABLES, "secondary")] == (2, 2 / 6)
    assert publisher_share(tables | {n: tables["one"] for n in CURATED_TABLES}) == 0.75


def test_a_row_whose_source_has_no_tier_is_an_error_naming_table_and_row():
    tables = {"sources": _sources(a="publisher"), "one": pl.DataFrame({"source_id": ["a", "zzz"]})}
    with pytest.raises(TierError, match=r"one: row 2, column source_id: 'zzz'"):
        tier_shares(tables, ("one",))


def test_refreshed_files_are_the_publishers_own_only_from_the_publishers_own_repository():
    cols = [c for c in TABLES["sources"].fields if c not in ("kind", "source_tier")]
    manifest = pl.DataFrame({c: ["x", "y"] for c in cols}).with_columns(
        pl.Series("copy_repository", ["hiring-lab/ai-tracker", "someone/mirror"])
    )
    assert sources_rows(manifest)["source_tier"].to_list() == ["publisher", "copy"]


def test_release_every_curated_row_has_a_tier_and_the_shares_add_up():
    release = paths.release_dir()
    tables = {n: load(n, release) for n in (*CURATED_TABLES, "sources")}
    df = tier_shares(tables)
    for name in (*CURATED_TABLES, ALL_TABLES):
        part = df.filter(pl.col("table") == name)
        assert part["share_of_rows"].sum() == pytest.approx(1.0)
        expected = tables[name].height if name != ALL_TABLES else sum(tables[n].height for n in CURATED_TABLES)
        assert part["rows"].sum() == expected


# Curated pay rows that cite a BLS workbook must state exactly what the ingested workbook says.
ROLE_SOC = {"Data scientist": "15-2051", "Software developer": "15-1252"}
STATISTIC_COLUMN = {"median": "annual_median_wage_usd", "mean": "annual_mean_wage_usd"}


def test_salaries_citing_a_bls_workbook_equal_the_workbook():
    release = paths.release_dir()
    salaries, occupations = load("salaries", release), load("occupations", release)
    cited = salaries.filter(pl.col("source_id").str.starts_with("bls-oews-national-m"))
    assert cited.height >= 4
    for row in cited.iter_rows(named=True):
        match = occupations.filter(
            (pl.col("source_id") == row["source_id"]) & (pl.col("soc_code") == ROLE_SOC[row["role"]])
        )
        assert match.height == 1, row
        assert match[STATISTIC_COLUMN[row["statistic"]]][0] == row["amount"], row


def test_every_curated_row_left_on_a_secondary_source_says_what_was_searched():
    release = paths.release_dir()
    tiers = load("sources", release).select("source_id", "source_tier")
    for name in CURATED_TABLES:
        rows = load(name, release).join(tiers, on="source_id")
        silent = rows.filter((pl.col("source_tier") == "secondary") & ~pl.col("notes").fill_null("").str.contains("searched|checked"))
        assert silent.height == 0, f"{name}: {silent['source_id'].to_list()[:5]}"
