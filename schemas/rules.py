"""The registry's rules as polars expressions, without pandera.

A Rule is one check of a table's schema: its name, the error text a failure shows (`<rule>: <what is
required>`) and `passes(key, df)`, the expression that is true where a row passes (key: the column,
or "*" for a rule over the whole row; df: the frame when known, for a plan that depends on it). The
pandera schemas (pandera_schemas.py) wrap these rules as checks; analysis/screen.py runs them in one
query to tell whether a table passes without loading pandera.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from .fields import FIELDS
from .registry import CONTROL, DEFAULT_MAX_LENGTH, FORMULA_PREFIX, Field, Table


@dataclass(frozen=True)
class Rule:
    name: str
    error: str
    passes: Callable[..., pl.Expr]


def resolve_date(value: str, today: dt.date) -> dt.date:
    """An ISO date, the build date for 'today', or 'today+<N>d' (N days after the build date)."""
    if value == "today":
        return today
    if value.startswith("today+") and value.endswith("d"):
        return today + dt.timedelta(days=int(value[6:-1]))
    return dt.date.fromisoformat(value)


def _column_rule(name: str, error: str, make_expr) -> Rule:
    """A rule on one column from a function of the column expression; nulls pass."""
    def passes(key: str, df: pl.DataFrame | None = None) -> pl.Expr:
        return make_expr(pl.col(key)) | pl.col(key).is_null()

    return Rule(name, f"{name}: {error}", passes)


def field_rules(f: Field, today: dt.date) -> list[Rule]:
    """The rules of one field's constraints, each with a readable error."""
    rules = []
    if f.minimum is not None:
        rules.append(_column_rule("minimum", f"must be >= {f.minimum}", lambda c, m=f.minimum: c >= m))
    if f.maximum is not None:
        rules.append(_column_rule("maximum", f"must be <= {f.maximum}", lambda c, m=f.maximum: c <= m))
    if f.min_date is not None:
        lo = resolve_date(f.min_date, today)
        rules.append(_column_rule("min_date", f"must be on or after {lo.isoformat()}", lambda c, lo=lo: c >= lo))
    if f.max_date is not None:
        hi = resolve_date(f.max_date, today)
        rules.append(_column_rule("max_date", f"must be on or before {hi.isoformat()}", lambda c, hi=hi: c <= hi))
    if f.enum is not None:
        allowed = list(f.enum)
        shown = ", ".join(allowed) if len(allowed) <= 8 else ", ".join(allowed[:8]) + ", ..."
        rules.append(_column_rule("enum", f"must be one of: {shown}", lambda c, a=allowed: c.is_in(a)))
    if f.pattern is not None:
        rules.append(_column_rule("pattern", f"must match {f.pattern}", lambda c, p=f.pattern: c.str.contains(p)))
    if f.type == "string":
        rules.append(
            _column_rule(
                "no_formula",
                "must not start with =, +, - or @ (spreadsheet formula)",
                lambda c: ~c.str.contains(FORMULA_PREFIX),
            )
        )
        # NOTE: "holds a non-space character" is "not empty once stripped" (both use Unicode White_Space),
        # without writing every stripped string.
        rules.append(_column_rule("not_blank", "must not be blank", lambda c: c.str.contains(r"\S")))
    return rules


def hygiene_rules(f: Field) -> list[tuple[str, pl.Expr]]:
    """Rules every cell of a type obeys: (rule text, expression true where the cell breaks it).

    NOTE: these run in one polars pass per table beside the pandera schema (validate.failure_cases):
    as pandera checks they cost a query per column each, a third of the build's validation time.
    """
    c = pl.col(f.name)
    if f.type == "number":
        return [("finite: must be a finite number", ~c.is_finite())]
    if f.type != "string":
        return []
    limit = f.max_length or DEFAULT_MAX_LENGTH
    return [
        ("no_control: must not hold control or bidi-override characters", c.str.contains(CONTROL)),
        (f"max_length: must be at most {limit} characters", c.str.len_chars() > limit),
    ]


# Row rules: name -> (error, expression that is true for a valid row).
ROW_RULES = {
    "headcount_or_share": (
        "headcount or share_of_workforce must be given",
        lambda: pl.col("headcount").is_not_null() | pl.col("share_of_workforce").is_not_null(),
    ),
    "period_end_in_year": (
        "period_end must fall in year",
        lambda: pl.col("period_end").dt.year() == pl.col("year"),
    ),
    "period_end_not_after_as_of": (
        "period_end must not be after as_of",
        lambda: pl.col("period_end") <= pl.col("as_of"),
    ),
    "reference_period_matches_year": (
        "reference_period must be 'May <year>'",
        lambda: pl.col("reference_period") == pl.format("May {}", pl.col("year")),
    ),
    "period_ordered": (
        "period_start must not be after period_end",
        lambda: pl.col("period_start") <= pl.col("period_end"),
    ),
    "amount_unit_matches_statistic": (
        "mean/median need usd_per_year; premium/change need share",
        lambda: pl.when(pl.col("statistic").is_in(["mean", "median"]))
        .then(pl.col("amount_unit") == "usd_per_year")
        .otherwise(pl.col("amount_unit") == "share"),
    ),
    "share_in_unit_range": (
        "a value in unit share must be within 0-1",
        lambda: (pl.col("value_unit") != "share") | pl.col("value").is_between(0, 1),
    ),
    "percent_in_unit_range": (
        "a value in unit percent must be within 0-100",
        lambda: (pl.col("value_unit") != "percent") | pl.col("value").is_between(0, 100),
    ),
    "amount_in_unit_range": (
        "a mean or median amount (usd_per_year) must be > 0; a premium or change (share), > -1 and <= 3",
        lambda: pl.when(pl.col("statistic").is_in(["mean", "median"]))
        .then(pl.col("amount") > 0)
        .otherwise((pl.col("amount") > -1) & (pl.col("amount") <= 3)),
    ),
    "value_not_negative": (
        "value must not be negative (shares, index values and counts)",
        lambda: pl.col("value") >= 0,
    ),
    "month_is_first_day": (
        "month must be the first day of a month",
        lambda: pl.col("month").dt.day() == 1,
    ),
    "offsets_ordered": (
        "char_start must be before char_end",
        lambda: pl.col("char_start") < pl.col("char_end"),
    ),
}


NEAR_DUPLICATE = "primary_key_near"
NEAR_DUPLICATE_PRECHECK_ROWS = 10_000


def _normalised(name: str, type_: str) -> pl.Expr:
    col = pl.col(name)
    return col if type_ != "string" else _normalised_values(col)


def _normalised_values(col: pl.Expr) -> pl.Expr:
    return col.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()


def near_duplicate_rule(table: Table) -> Rule | None:
    """Keys equal once case and spaces are ignored ('Peloton ' and 'peloton'), but not equal as written.

    Exact repeats are the schema's own unique check; this one flags the rows it cannot see.
    """
    types = {n: FIELDS[n].type for n in table.primary_key}
    if "string" not in types.values():
        return None
    key = list(table.primary_key)
    texts = [n for n, t in types.items() if t == "string"]
    near = pl.struct([_normalised(n, t).alias(n) for n, t in types.items()]).is_duplicated()
    exact = pl.struct(key).is_duplicated()

    def merges(df: pl.DataFrame) -> bool:
        """Whether normalising merges two distinct values of a key column."""
        found = df.lazy().select([(_normalised_values(pl.col(n).unique()).n_unique() < pl.col(n).n_unique()).alias(n) for n in texts])
        return any(found.collect().row(0))

    def passes(key: str, df: pl.DataFrame | None = None) -> pl.Expr:
        # NOTE: normalising every row's key text is most of this check's cost on the large tables. Where
        # normalising merges no two distinct values of any key column, two keys are equal once normalised
        # exactly when they are equal as written, so every row passes: only those distinct values are normalised.
        # On a small frame the extra query would cost more than it saves; pandera's own run (no frame) takes the full check.
        if df is None or df.height < NEAR_DUPLICATE_PRECHECK_ROWS or merges(df):
            return ~near | exact
        return pl.repeat(True, pl.len())

    return Rule(NEAR_DUPLICATE, f"{NEAR_DUPLICATE}: key repeats when case and spaces are ignored ({', '.join(key)})", passes)


def row_rule(rule: str) -> Rule:
    """A rule over the whole row (ROW_RULES); a row where it cannot be decided (a null) passes."""
    error, make_expr = ROW_RULES[rule]

    def passes(key: str, df: pl.DataFrame | None = None) -> pl.Expr:
        return make_expr().fill_null(True)

    return Rule(rule, f"{rule}: {error}", passes)


def frame_rules(table: Table) -> list[Rule]:
    """The table's rules over whole rows: its row rules, then the near-duplicate key rule if its key has text."""
    near = near_duplicate_rule(table)
    return [row_rule(r) for r in table.row_rules] + ([near] if near is not None else [])
