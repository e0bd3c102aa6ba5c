"""Screening: duplicates, the table's pandera schema (lazy, every failure), and the quarantine."""

from __future__ import annotations

import datetime as dt

import polars as pl

from talentgap.schemas.tables import TABLES

from .common import ROW, Parsed, Result, empty_problems

REASON_SEP = " | "
_FORMULA = r"^[=+\-@\t\r]"


def screen(parsed: Parsed, today: dt.date | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Accepted rows (parsed columns), and every reason (ROW, column, reason) a row is quarantined for."""
    table = TABLES[parsed.table]
    fields, key = list(table.fields), list(table.primary_key)
    key_name = ", ".join(key)
    frame = parsed.frame
    schema = _schema_problems(parsed.table, frame, today)
    # NOTE: rows equal in every field after cleaning are one row listed twice: the first is kept, the
    # others quarantined as duplicates. Rows sharing only the key are all quarantined (which is right
    # is unclear). Equal rows share their key, so only rows the schema's key check flagged are compared.
    in_key_groups = frame.filter(pl.col(ROW).is_in(schema.filter(pl.col("column") == key_name)[ROW].implode()))
    groups = in_key_groups.select(
        ROW, pl.col(ROW).min().over(fields).alias("_first"), pl.struct(fields).n_unique().over(key).alias("_variants")
    )
    copies = groups.filter(pl.col(ROW) != pl.col("_first"))
    dups = copies.select(ROW, pl.lit(None, pl.String).alias("column"), pl.format("duplicate_row: same values as row {}", "_first").alias("reason"))
    # A copy's key failure is its duplicate_row reason; an original whose key repeats only in copies is fine.
    key_ok = pl.concat([copies[ROW], groups.filter((pl.col(ROW) == pl.col("_first")) & (pl.col("_variants") == 1))[ROW]])
    # A cell that did not parse is null: its "required" or key failures would only repeat the parse reason.
    key_ok = pl.concat([key_ok, parsed.problems.filter(pl.col("column").is_in(key))[ROW]])
    schema = schema.filter(~(pl.col("column").eq_missing(key_name) & pl.col(ROW).is_in(key_ok.implode())))
    schema = schema.join(parsed.problems.select(ROW, "column").unique(), on=[ROW, "column"], how="anti")
    reasons = pl.concat([parsed.problems, dups, schema])
    accepted = frame.filter(~pl.col(ROW).is_in(reasons[ROW].unique().implode())) if reasons.height else frame
    return accepted, reasons


def _schema_problems(table_name: str, candidates: pl.DataFrame, today: dt.date | None) -> pl.DataFrame:
    """Every failure of the generated schema (validate.failure_cases runs pandera with lazy=True)."""
    from ..validate import failure_cases  # imported while the file is read (see common._collect)

    table = TABLES[table_name]
    cases = failure_cases(table_name, candidates.select(table.fields), today)
    whole = cases.filter(pl.col("index").is_null())
    if whole.height:  # a whole-column failure means our parsing is wrong, not the data
        raise RuntimeError(f"{table_name}: {whole['column'][0]}: {whole['rule'][0]}")
    known = [*table.fields, ", ".join(table.primary_key)]
    return cases.select(
        candidates[ROW].gather(cases["index"]).alias(ROW),
        pl.when(pl.col("column").is_in(known)).then(pl.col("column")).alias("column"),
        pl.col("rule").alias("reason"),
    ).cast(empty_problems().schema)


def quarantine_frame(parsed: Parsed, reasons: pl.DataFrame) -> pl.DataFrame:
    """The quarantined source rows as read, each with its row number and all its reasons."""
    order = {c: i for i, c in enumerate(TABLES[parsed.table].fields)}
    text = pl.when(pl.col("column").is_null()).then(pl.col("reason")).otherwise(pl.format("{}: {}", "column", "reason"))
    joined = (
        reasons.with_columns(pl.col("column").replace_strict(order, default=len(order), return_dtype=pl.Int64).alias("_order"), text.alias("_text"))
        .unique([ROW, "_text"])
        .sort([ROW, "_order", "_text"], nulls_last=False)
        .group_by(ROW, maintain_order=True)
        .agg(pl.col("_text").str.join(REASON_SEP).alias("reasons"))
    )
    rows = parsed.raw.filter(pl.col(ROW).is_in(joined[ROW].implode()))
    # NOTE: the quarantine keeps source values as read, except that a cell starting with = + - @ gets a
    # leading ' so that a spreadsheet opening the file shows it as text instead of running it.
    return rows.join(joined, on=ROW).sort(ROW).select(
        pl.col(ROW).cast(pl.Int64).alias("source_row"),
        "reasons",
        *[pl.when(pl.col(s).str.contains(_FORMULA)).then("'" + pl.col(s)).otherwise(pl.col(s)).alias(c) for c, s in parsed.columns],
    )


def finish(parsed: Parsed, accepted: pl.DataFrame, reasons: pl.DataFrame) -> Result:
    """Accepted rows in table shape and the quarantine.

    NOTE: rows keep the source file's order (not sorted by key): the order is as stable as the file,
    so reruns are byte-identical, and a row is easy to find in the source.
    """
    out = accepted.select(TABLES[parsed.table].fields)
    quarantine = quarantine_frame(parsed, reasons)
    skipped = sum(parsed.skipped.values())
    if out.height + quarantine.height + skipped != parsed.rows_read:  # pragma: no cover - guards the bookkeeping
        raise RuntimeError(f"{parsed.table}: {parsed.rows_read} read != {out.height} + {quarantine.height} + {skipped}")
    return Result(parsed.table, parsed.rows_read, out, quarantine, parsed.skipped, parsed.ignored_columns, parsed.notes)
