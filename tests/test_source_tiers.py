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


# A secondary row's notes name the publisher's pages or files that were searched ("Publisher pages
# searched: challengergray.com ...") or say why none could be (the source does not name its data provider).
SEARCHED_NOTE = r"(?i)publisher(?:'s)? (?:own )?(?:pages?|files?) (?:searched|checked)[^;]*?: *\S"
NO_PROVIDER_NOTE = "no publisher page could be searched"


def _secondary_rows_without_a_search_note(rows: pl.DataFrame) -> pl.DataFrame:
    notes = pl.col("notes").fill_null("")
    return rows.filter(
        (pl.col("source_tier") == "secondary") & ~notes.str.contains(SEARCHED_NOTE) & ~notes.str.contains(NO_PROVIDER_NOTE, literal=True)
    )


def test_the_search_note_rule_accepts_named_pages_and_refuses_silence():
    rows = pl.DataFrame({
        "source_tier": ["secondary"] * 5 + ["publisher"],
        "notes": [
            "Publisher pages searched: challengergray.com monthly reports; not among the stored pages",
            "Publisher's files checked: FRED vintage 2026-04-09 gives 62.74",
            "CNBC item; the source does not name the data provider, so no publisher page could be searched",
            "Publisher's own page not searched",
            None,
            None,  # a publisher row needs no such note
        ],
    })
    assert _secondary_rows_without_a_search_note(rows)["notes"].to_list() == ["Publisher's own page not searched", None]


def test_every_curated_row_left_on_a_secondary_source_names_the_publisher_pages_searched():
    release = paths.release_dir()
    tiers = load("sources", release).select("source_id", "source_tier")
    for name in CURATED_TABLES:
        silent = _secondary_rows_without_a_search_note(load(name, release).join(tiers, on="source_id"))
        assert silent.height == 0, f"{name}: {silent['source_id'].to_list()[:5]}"


# The level reached on 2026-12-06 (issue #19, item 5): 62 of 258 curated rows on the publisher's own page
# or file. Moving a row to its publisher raises these floors; moving one back, or dropping a row, fails here.
CURATED_ROWS_FLOOR = 258
PUBLISHER_ROWS_FLOOR = 62
PUBLISHER_ROWS_FLOOR_BY_TABLE = {"layoff_tracker_totals": 28, "salaries": 20, "confidence": 0, "ai_demand": 12, "milestones": 2}


def test_the_publisher_share_does_not_fall_below_the_level_reached():
    release = paths.release_dir()
    tables = {n: load(n, release) for n in (*CURATED_TABLES, "sources")}
    shares = tier_shares(tables).filter(pl.col("source_tier") == "publisher")
    by_table = dict(zip(shares["table"], shares["rows"]))
    assert sum(tables[n].height for n in CURATED_TABLES) >= CURATED_ROWS_FLOOR  # no row dropped
    assert by_table[ALL_TABLES] >= PUBLISHER_ROWS_FLOOR
    assert publisher_share(tables) >= PUBLISHER_ROWS_FLOOR / CURATED_ROWS_FLOOR - 1e-12
    for name, floor in PUBLISHER_ROWS_FLOOR_BY_TABLE.items():
        assert by_table[name] >= floor, name
