"""How many rows of each curated table cite the figure's publisher itself (issue #19, item 5).

A row's tier is the `source_tier` of its `source_id` in `sources`: publisher (the publisher's own
page or file), copy (an unaltered copy of it) or secondary (someone else's report).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from talentgap.schemas.fields import SOURCE_TIERS

# The hand-curated tables whose figures were first taken from press coverage.
CURATED_TABLES = ("layoff_tracker_totals", "salaries", "confidence", "ai_demand", "milestones")
ALL_TABLES = "all five tables"


class TierError(ValueError):
    """A row names a source that `sources` does not hold, or a source without a tier."""


def row_tiers(rows: pl.DataFrame, sources: pl.DataFrame, table: str) -> pl.Series:
    """The tier of each row of `rows`, in order; TierError names the first row whose source has none."""
    tiers = rows.select("source_id").with_row_index("row", offset=1).join(
        sources.select("source_id", "source_tier"), on="source_id", how="left"
    ).sort("row")
    missing = tiers.filter(pl.col("source_tier").is_null())
    if missing.height:
        first = missing.row(0, named=True)
        raise TierError(f"{table}: row {first['row']}, column source_id: {first['source_id']!r} has no source_tier in sources")
    return tiers["source_tier"]


def tier_shares(tables: Mapping[str, pl.DataFrame], names: tuple[str, ...] = CURATED_TABLES) -> pl.DataFrame:
    """Rows and share of rows by tier, per table and for all the tables together.

    One row per table and tier (every tier listed, zero counts included), then the same for all the
    tables pooled (`table` = ALL_TABLES). Shares are of the table's rows, in 0-1.
    """
    parts = [pl.DataFrame({"table": name, "source_tier": row_tiers(tables[name], tables["sources"], name)}) for name in names]
    pooled = pl.concat(parts) if parts else pl.DataFrame(schema={"table": pl.String, "source_tier": pl.String})
    grid = pl.DataFrame({"table": [*names, ALL_TABLES]}).join(pl.DataFrame({"source_tier": list(SOURCE_TIERS)}), how="cross")
    counts = pl.concat([
        pooled.group_by("table", "source_tier").len("rows"),
        pooled.group_by("source_tier").len("rows").with_columns(pl.lit(ALL_TABLES).alias("table")).select("table", "source_tier", "rows"),
    ])
    out = grid.join(counts, on=["table", "source_tier"], how="left").with_columns(pl.col("rows").fill_null(0).cast(pl.Int64))
    out = out.with_columns(pl.col("rows").sum().over("table").alias("table_rows"))
    return out.with_columns(
        pl.when(pl.col("table_rows") > 0).then(pl.col("rows") / pl.col("table_rows")).otherwise(None).alias("share_of_rows")
    )


def publisher_share(tables: Mapping[str, pl.DataFrame], table: str = ALL_TABLES) -> float | None:
    """Share of `table`'s rows (default: the five tables pooled) citing the publisher's own page or file."""
    df = tier_shares(tables).filter((pl.col("table") == table) & (pl.col("source_tier") == "publisher"))
    return df["share_of_rows"][0]


def tier_table(tables: Mapping[str, pl.DataFrame]):
    """The shares as an escaped HTML table: one row per table, a column of rows and share per tier."""
    from .report import fmt_share, html_table

    long = tier_shares(tables)
    wide = long.pivot(on="source_tier", index=["table", "table_rows"], values="share_of_rows")
    counts = long.pivot(on="source_tier", index="table", values="rows").rename({t: f"{t}_rows" for t in SOURCE_TIERS})
    wide = wide.join(counts, on="table", how="left")
    columns = {"Table": "table", "Rows": "table_rows"}
    formats = {}
    for tier in SOURCE_TIERS:
        label = {"publisher": "Publisher's own page or file", "copy": "Copy of it", "secondary": "Secondary report"}[tier]
        wide = wide.with_columns(
            pl.format("{} ({})", pl.col(tier).map_elements(fmt_share, return_dtype=pl.String), pl.col(f"{tier}_rows")).alias(f"{tier}_text")
        )
        columns[label] = f"{tier}_text"
    return html_table(wide, columns, formats)
