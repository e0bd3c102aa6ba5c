"""Screening: duplicates, the table's pandera schema (lazy, every failure), and the quarantine."""

from __future__ import annotations

import datetime as dt

import polars as pl

from talentgap.schemas.tables import TABLES

# NOTE: from the registry, not pandera_schemas: pandera is imported while the file is read (common._collect).
from talentgap.schemas.registry import CONTROL, FORMULA_PREFIX

from ..safe_text import escape
from .common import ROW, Parsed, Result, empty_problems, load

REASON_SEP = " | "
DUPLICATE = "exact duplicate of an earlier row"
DUPLICATES = "exact duplicates of earlier rows"
# Fields left out when rows are compared for exact duplicates: the row's own number, and flags derived from it.
_NOT_COMPARED = ("source_row", "row_flags")


def screen(parsed: Parsed, today: dt.date | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Accepted rows (parsed columns), and every reason (ROW, column, reason) a row is quarantined for.

    Rows equal in every field after cleaning are one row listed twice: the first is kept, the others
    are set aside as exact duplicates (counted and written apart, not quarantined). Rows sharing only
    the key are all quarantined (which is right is unclear).
    """
    table = TABLES[parsed.table]
    compared = [f for f in table.fields if f not in _NOT_COMPARED]
    clean = ~pl.col(ROW).is_in(parsed.problems[ROW].implode())
    # NOTE: `clean` is part of the compared values: a copy of a clean row among clean rows, as a window
    # over `clean` would say, in one pass instead of two.
    copy = clean & ~pl.struct([clean.alias("_clean"), *compared]).is_first_distinct()
    parsed = _set_aside_copies(parsed, copy, compared)
    frame = parsed.frame
    key = list(table.primary_key)
    key_name = ", ".join(key)
    schema = _schema_problems(parsed.table, frame, today)
    # A cell that did not parse is null: its "required" or key failures would only repeat the parse reason.
    key_ok = parsed.problems.filter(pl.col("column").is_in(key))[ROW]
    schema = schema.filter(~(pl.col("column").eq_missing(key_name) & pl.col(ROW).is_in(key_ok.implode())))
    schema = schema.join(parsed.problems.select(ROW, "column").unique(), on=[ROW, "column"], how="anti")
    reasons = pl.concat([parsed.problems, schema])
    accepted = frame.filter(~pl.col(ROW).is_in(reasons[ROW].unique().implode())) if reasons.height else frame
    return accepted, reasons


def _set_aside_copies(parsed: Parsed, copy: pl.Expr, compared: list[str]) -> Parsed:
    """Exact copies leave the frame for parsed.set_aside, each naming the row it repeats.

    NOTE: every copy and the rows it repeats are among the rows whose compared values repeat (polars
    takes -0.0 and 0.0, and every NaN, as equal there, as it does below): a few. The comparison that
    also weighs `clean` runs on those alone, in file order, and finds what it would on all rows.
    (DataFrame.is_duplicated took a third of the time of hashing a struct of the same columns.)
    """
    maybe = parsed.frame.select(compared).is_duplicated()
    few = parsed.frame.filter(maybe)
    flags = few.select(copy.fill_null(False)).to_series()
    n = int(flags.sum())
    if not n:
        return parsed
    firsts = few.select(ROW, pl.col(ROW).min().over(compared).alias("_first")).filter(flags)
    out = firsts.select(ROW, pl.format(f"{DUPLICATE}: same values as row {{}}", "_first").alias("reason"))
    parsed.frame = parsed.frame.filter(~pl.col(ROW).is_in(firsts[ROW].implode()))
    parsed.set_aside = out if parsed.set_aside is None else pl.concat([parsed.set_aside, out])
    parsed.skipped[DUPLICATES] = parsed.skipped.get(DUPLICATES, 0) + n
    return parsed


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
    return source_rows(parsed, joined, "reasons")


def _defused(col: str) -> pl.Expr:
    """A source cell fit for a CSV a person opens: a formula gets a leading ', control characters are escaped."""
    c = pl.col(col)
    shown = pl.when(c.str.contains(CONTROL)).then(c.map_elements(escape, return_dtype=pl.String, skip_nulls=True)).otherwise(c)
    return pl.when(shown.str.contains(FORMULA_PREFIX)).then("'" + shown).otherwise(shown)


def source_rows(parsed: Parsed, why: pl.DataFrame, label: str) -> pl.DataFrame:
    """Source rows as read (ROW, `label`, then the file's columns), for the rows `why` (ROW, label) names.

    NOTE: source values are kept as read, except that a cell starting with = + - @ (after spaces or
    control characters) gets a leading ' so that a spreadsheet shows it as text instead of running it,
    and control characters (NUL, escape sequences) are written as \\xNN: never raw into a file.
    """
    rows = parsed.raw.filter(pl.col(ROW).is_in(why[ROW].implode()))
    return rows.join(why, on=ROW).sort(ROW).select(
        pl.col(ROW).cast(pl.Int64).alias("source_row"),
        label,
        *[_defused(s).alias(escape(c)) for c, s in parsed.columns],
    )


def finish(parsed: Parsed, accepted: pl.DataFrame, reasons: pl.DataFrame) -> Result:
    """Accepted rows in table shape and the quarantine.

    NOTE: rows keep the source file's order (not sorted by key): the order is as stable as the file,
    so reruns are byte-identical, and a row is easy to find in the source.
    """
    out = accepted.select(TABLES[parsed.table].fields)
    quarantine = quarantine_frame(parsed, reasons)
    aside = parsed.set_aside if parsed.set_aside is not None else pl.DataFrame(schema={ROW: pl.UInt32, "reason": pl.String})
    set_aside = source_rows(parsed, aside.rename({"reason": "why"}).cast({ROW: pl.UInt32}), "why")
    skipped = sum(parsed.skipped.values())
    if out.height + quarantine.height + skipped != parsed.rows_read:  # pragma: no cover - guards the bookkeeping
        raise RuntimeError(f"{parsed.table}: {parsed.rows_read} read != {out.height} + {quarantine.height} + {skipped}")
    return Result(parsed.table, parsed.rows_read, out, quarantine, parsed.skipped, parsed.ignored_columns, parsed.notes, set_aside)


def screen_and_finish(parsed: Parsed, today: dt.date | None = None) -> Result:
    """`screen` then `finish`: the usual end of an ingest."""
    accepted, reasons = screen(parsed, today)
    return finish(parsed, accepted, reasons)


def simple_ingest(table: str, src, parsers, checks, path, progress, extra, today: dt.date | None = None) -> Result:
    """Load, parse and screen a file whose only skipped rows are blank ones, and which adds no notes."""
    raw, frame, problems, rows, blank = load(src, parsers, checks, path, progress, extra)
    parsed = Parsed(table, rows, raw, frame, src.columns, problems, src.ignored, {"blank rows": blank}, [])
    return screen_and_finish(parsed, today)
