"""Cell parsers: from one text column to typed columns (null where a cell does not parse).

A parser is a plan, stages of polars expressions run one after the other on its column, producing
the output column(s), `_bad_<out>` (true where a cell holds something that did not parse) and
scratch `_t_` columns. Staging matters for speed: polars does not share a sub-expression used
twice in one expression, so a value needed twice is first materialised.
common.load runs a plan on the column's distinct values when they are few, then maps them back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

Plan = list[list[pl.Expr]]

# NOTE: in number and date cells these mean "no value" (in any case); text cells keep them, as a
# company may be called "NA".
NULL_TOKENS = ["-", "–", "—", "n/a", "na", "null", "none", "unknown"]
_THOUSANDS = r"^-?\d{1,3}(,\d{3})+(\.\d*)?$"

DATE_REASON = "type: must be a date (YYYY-MM-DD, M/D/YYYY or MM-DD-YYYY)"
# A time of day a date may carry (ISO `T` or a space before it): hours 0-23, minutes and seconds 0-59,
# optional fraction, AM/PM and zone. 25:61 is not a time, so its date is not guessed either.
TIME = r"^(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:\s?[AaPp][Mm])?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?$"
INTEGER_REASON = "type: must be a whole number"
BOOL_REASON = "type: must be true or false"


@dataclass(frozen=True)
class Parser:
    """A plan reading one source column."""

    raw: str
    plan: Plan
    # Run on distinct values (see common.load): worth it where the plan costs more than a hash join.
    memo: bool = True


def bad(out: str) -> pl.Expr:
    """True where the cell behind `out` holds something that did not parse."""
    return pl.col(f"_bad_{out}")


def checked(raw: str, out: str, plan: Plan) -> Parser:
    """A plan followed by its `_bad_<out>` column."""
    present = pl.col(raw).is_not_null() & ~pl.col(raw).str.strip_chars().str.to_lowercase().is_in(["", *NULL_TOKENS])
    return Parser(raw, [*plan, [(present & pl.col(out).is_null()).alias(f"_bad_{out}")]])


def text(raw: str, out: str, post: Callable[[pl.Expr], pl.Expr] | None = None, collapse: bool = True) -> Parser:
    """Surrounding spaces removed, inner runs of spaces (tabs, newlines, no-break spaces) made one
    unless `collapse` is false; blank is null."""
    t = f"_t_{out}"
    stripped = pl.col(raw).str.strip_chars()
    plan = [[(stripped.str.replace_all(r"\s\s+|[\t\n\r\f\v\u00a0]", " ") if collapse else stripped).alias(t)]]
    plan.append([pl.when(pl.col(t) != "").then(pl.col(t)).alias(out if post is None else f"{t}2")])
    if post is not None:
        plan.append([post(pl.col(f"{t}2")).alias(out)])
    return Parser(raw, plan, memo=post is not None)


def _float(raw: str, t: str, currency: bool) -> Plan:
    s = pl.col(raw).str.strip_chars()
    if currency:
        s = s.str.strip_prefix("$").str.strip_chars()
    # NOTE: a comma is read as a thousands separator only in the 1,234,567 layout; "1,5" does not parse.
    plain = pl.col(f"{t}s")
    f = pl.when(plain.str.contains(_THOUSANDS)).then(plain.str.replace_all(",", "", literal=True)).otherwise(plain)
    return [[s.alias(f"{t}s")], [f.cast(pl.Float64, strict=False).alias(f"{t}f")]]


def integer(raw: str, out: str) -> Parser:
    """Whole numbers; `16000.0` is 16000 (exports write counts as floats), `16000.5` does not parse."""
    t = f"_t_{out}"
    f = pl.col(f"{t}f")
    whole = f.is_finite() & (f == f.floor()) & (f.abs() < 2**53)
    return checked(raw, out, _float(raw, t, currency=False) + [[pl.when(whole).then(f.cast(pl.Int64)).alias(out)]])


def number(raw: str, out: str, currency: bool = False, scale: float = 1) -> Parser:
    """Decimal numbers (a leading $ allowed when `currency`), times `scale`; nan and inf do not parse."""
    t = f"_t_{out}"
    f = pl.col(f"{t}f")
    value = f if scale == 1 else (f * scale).round(0)
    return checked(raw, out, _float(raw, t, currency) + [[pl.when(f.is_finite()).then(value).alias(out)]])


def date(raw: str, out: str) -> Parser:
    """ISO dates, M/D/YYYY or MM-DD-YYYY; a valid time of day after the date is ignored (an invalid one fails the cell).

    NOTE: slashed and dashed US dates are read month first, as the US sources we ingest write them
    (a spreadsheet re-save of a Layoffs.fyi export mixes 7/23/2026 and 07-05-2026); a day-first
    date such as 28/1/2026 does not parse and its row is quarantined rather than guessed. A year
    must have four digits (1/2/26 is not guessed either); a dashed date with the year first is ISO.
    """
    t = f"_t_{out}"
    head = pl.col(f"{t}h")
    d = pl.coalesce(
        head.str.to_date("%Y-%m-%d", strict=False), head.str.to_date("%m/%d/%Y", strict=False),
        pl.when(head.str.contains(r"^\d{1,2}-\d{1,2}-\d{4}$")).then(head.str.to_date("%m-%d-%Y", strict=False)),
    )
    cell = pl.col(raw).str.strip_chars()
    time_ok = pl.col(f"{t}t").is_null() | pl.col(f"{t}t").str.contains(TIME)
    return checked(raw, out, [
        [cell.str.replace(r"[T ].*$", "").alias(f"{t}h"), cell.str.extract(r"[T ](.*)$", 1).alias(f"{t}t")],
        [pl.when(time_ok).then(d).alias(f"{t}d")],
        [pl.when(pl.col(f"{t}d").dt.year().is_between(1000, 9999)).then(pl.col(f"{t}d")).alias(out)],
    ])


def boolean(raw: str, out: str) -> Parser:
    """true/false, t/f, yes/no, y/n, 1/0 in any case."""
    t = pl.col(f"_t_{out}")
    value = pl.when(t.is_in(["true", "t", "yes", "y", "1"])).then(True).when(t.is_in(["false", "f", "no", "n", "0"])).then(False)
    return checked(raw, out, [[pl.col(raw).str.strip_chars().str.to_lowercase().alias(f"_t_{out}")], [value.alias(out)]])
