"""BLS OEWS national file (XLSX or CSV) -> `oews_occupations`: every detailed SOC occupation, the major groups and the total."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import polars as pl

from . import cells
from . import common as c
from .common import ROW
from .quarantine import finish, screen

TABLE = "oews_occupations"

ALIASES = {
    "soc_code": ("occ_code",),
    "occupation_title": ("occ_title",),
    "o_group": ("o_group", "occ_group"),  # occ_group in older files
    "employment": ("tot_emp",),
    "annual_mean_wage_usd": ("a_mean",),
    "annual_median_wage_usd": ("a_median",),
    "employment_rse_percent": ("emp_prse",),
    "hourly_mean_wage_usd": ("h_mean",),
    "mean_wage_rse_percent": ("mean_prse",),
    "annual_wage_p10_usd": ("a_pct10",),
    "annual_wage_p25_usd": ("a_pct25",),
    "annual_wage_p75_usd": ("a_pct75",),
    "annual_wage_p90_usd": ("a_pct90",),
}
# NOTE: the RSEs and percentiles are read when present; files without them (older extracts, a user's
# own CSV) still give employment and the mean and median wages.
REQUIRED = ("soc_code", "occupation_title", "o_group", "employment", "annual_mean_wage_usd", "annual_median_wage_usd")

# BLS marks in place of a number: * wage (or wage RSE) not available, ** employment not available,
# # wage at or above the top code. The mark is kept as written in `bls_markers`; the cell is empty.
MARKS = ("*", "**", "#")
# Value columns in bls_markers order (the table's column order); True where the value is a count.
VALUES = {
    "employment": True, "employment_rse_percent": False, "hourly_mean_wage_usd": False,
    "annual_mean_wage_usd": False, "mean_wage_rse_percent": False, "annual_wage_p10_usd": False,
    "annual_wage_p25_usd": False, "annual_median_wage_usd": False, "annual_wage_p75_usd": False,
    "annual_wage_p90_usd": False,
}
# NOTE: # means "at or above the top code", which only a wage can be; in a count or an RSE it is
# not a mark BLS uses, so the row is quarantined as unparsed.
NOT_A_WAGE = ("employment", "employment_rse_percent", "mean_wage_rse_percent")
# NOTE: the national file lists each occupation at every level of the SOC; broad and minor groups
# repeat codes of the detailed level in some years (same code, same values), so only the total, the
# major groups (XX-0000) and the detailed occupations are kept; the rest are counted as skipped.
KEPT_GROUPS = ("total", "major", "detailed")
# NOTE: a national file unpacks to ~20 MB; the reader holds the unpacked sheet in memory, so a
# workbook that would unpack to more than this (a zip bomb, or the wrong file) is refused unopened.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024


def _check_unpacked_size(path: Path, limit: int | None = None) -> None:
    limit = MAX_UNPACKED_BYTES if limit is None else limit
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError) as err:
        if path.suffix.lower() == ".xls":
            return  # the old binary format is not a zip; calamine reads it in one piece
        raise c.IngestError(f"not a readable workbook ({err})") from err
    if total > limit:
        raise c.IngestError(f"the workbook unpacks to {total:,} bytes, more than the {limit:,} allowed")


def read(path: Path) -> pl.LazyFrame:
    """The first sheet of a workbook, or a CSV, every cell as text, with ROW."""
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".xls"):
        return c.scan_csv(path)
    c.check_file(path)
    _check_unpacked_size(path)
    # NOTE: empty rows are kept (then counted as blank) so ROW + 1 is the spreadsheet's row number.
    # A workbook is read in one go: national files have ~1,400 rows, too few for a progress bar.
    try:
        df = pl.read_excel(path, infer_schema_length=0, drop_empty_rows=False, drop_empty_cols=False)
    except Exception as err:  # fastexcel raises its own error types
        raise c.IngestError(f"not a readable workbook ({str(err).splitlines()[0]})") from err
    return df.with_row_index(ROW, offset=1).lazy()


def reference_year(path: Path, year: int | None) -> int:
    """--year if given, else the year in a BLS file name such as national_M2024_dl.xlsx."""
    if year is not None:
        return year
    m = re.search(r"(?i)(?:^|[^a-z])m(\d{4})(?:[^0-9]|$)", path.name)
    if not m:
        raise c.IngestError("cannot tell the May reference year from the file name; pass --year")
    return int(m.group(1))


def _estimate(field: str, whole: bool) -> cells.Parser:
    """The number, and the BLS mark written in its place (`_mark_<field>`); a mark never becomes a number."""
    raw = f"_in_{field}"
    marks = [m for m in MARKS if not (m == "#" and field in NOT_A_WAGE)]
    mark = pl.col(raw).str.strip_chars()
    number = (cells.integer if whole else cells.number)(raw, f"_{field}")
    value = pl.when(pl.col(f"_mark_{field}").is_null()).then(pl.col(f"_{field}"))
    return cells.Parser(raw, [
        [pl.when(mark.is_in(marks)).then(mark).alias(f"_mark_{field}")],
        *number.plan,
        [value.alias(field), (cells.bad(f"_{field}") & pl.col(f"_mark_{field}").is_null()).alias(f"_bad_{field}")],
    ])


def _markers() -> pl.Expr:
    """`column=mark` for every marked cell of the row, joined by '; ' (null when none)."""
    parts = [pl.when(pl.col(f"_mark_{f}").is_not_null()).then(pl.format("{}={}", pl.lit(f), pl.col(f"_mark_{f}"))) for f in VALUES]
    joined = pl.concat_str(parts, separator="; ", ignore_nulls=True)
    return pl.when(joined != "").then(joined).alias("bls_markers")


def parse(src: c.Source, year: int, path: Path, progress: bool | None) -> c.Parsed:
    """Parse every cell, then keep the total, the major groups and the detailed occupations."""
    group = pl.col("occupation_group")
    parsers = [
        cells.text("_in_soc_code", "soc_code"),
        cells.text("_in_occupation_title", "occupation_title"),
        cells.text("_in_o_group", "occupation_group", lambda t: t.str.to_lowercase()),
        *[_estimate(f, whole) for f, whole in VALUES.items()],
    ]
    extra = [pl.lit(year, pl.Int64).alias("year"), pl.lit(f"May {year}").alias("reference_period"), _markers()]
    wage = "type: must be a number or a BLS mark (*, ** or #)"
    other = "type: must be a number or a BLS mark (* or **; # marks wages only)"
    checks = [
        (f, cells.bad(f), "type: must be a whole number or a BLS mark (* or **; # marks wages only)" if whole
         else (other if f in NOT_A_WAGE else wage))
        for f, whole in VALUES.items()
    ]
    raw, frame, problems, rows, blank = c.load(src, parsers, checks, path, progress, extra)
    # NOTE: rows without a group (notes under the data in some years) are counted as skipped, not quarantined.
    kept_mask = group.is_in(KEPT_GROUPS).fill_null(False)
    in_scope, no_group = frame.select(kept_mask.sum().alias("in"), group.is_null().sum().alias("none")).row(0)
    skipped = {
        "blank rows": blank,
        "O_GROUP is minor or broad (their codes repeat detailed ones)": frame.height - in_scope - no_group,
        "no O_GROUP: notes under the data": no_group,
    }
    kept_rows = frame.select(kept_mask).to_series()
    kept = frame.filter(kept_rows)
    problems = problems.filter(pl.col(ROW).is_in(kept[ROW].implode()))
    notes = [f"reference period May {year}"]
    absent = [f for f in VALUES if f not in src.found]
    if absent:
        notes.append("columns absent from the file, left empty: " + ", ".join(absent))
    return c.Parsed(TABLE, rows, raw.filter(kept_rows), kept, src.columns, problems, src.ignored, skipped, notes)


# The workbook's notes sheet and its line defining the # marker, e.g. "#  = indicates a wage equal to or
# greater than $115.00 per hour or $239,200 per year".
NOTES_SHEET = "Field Descriptions"
TOP_CODE_RE = re.compile(r"^\s*#\s*=.*?\$([0-9][0-9,]*(?:\.[0-9]+)?)\s+per\s+year", re.IGNORECASE)


def stated_top_code(path: Path) -> float | None:
    """The annual top code the workbook's notes state for #, or None (a CSV, or notes without the line)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".xls"):
        return None
    try:
        notes = pl.read_excel(path, sheet_name=NOTES_SHEET, has_header=False, infer_schema_length=0)
    except Exception:  # fastexcel raises its own error types; a workbook without notes states no top code
        return None
    for cell in notes.select(pl.concat_str(pl.all(), separator=" ", ignore_nulls=True)).to_series():
        m = TOP_CODE_RE.match(cell or "")
        if m:
            return float(m.group(1).replace(",", ""))
    return None


def applied_top_code(path: Path, accepted: pl.DataFrame) -> float | None:
    """The year's top code if the workbook marks at least one wage with #, else None.

    NOTE: May 2025's notes repeat the $239,200 definition, but no cell of its workbook carries # and its
    wages reach $507,730 (90th percentile of chief executives): no top code was applied that year, so
    none is recorded, and its high wages are not mistaken for capped ones.
    """
    marked = accepted.select(pl.col("bls_markers").fill_null("").str.contains("=#", literal=True).any()).item()
    return stated_top_code(path) if marked else None


def totals(result: c.Result) -> pl.DataFrame:
    """Per reference year, detailed occupations only: how many, their employment, how many wages are top-coded."""
    detailed = result.accepted.filter(pl.col("occupation_group") == "detailed")
    marks = pl.col("bls_markers").fill_null("")
    return (
        detailed.group_by("year")
        .agg(
            pl.len().alias("occupations"),
            pl.col("employment").sum().alias("employment"),
            marks.str.contains("annual_mean_wage_usd=#", literal=True).sum().alias("mean_top_coded"),
            marks.str.contains("annual_median_wage_usd=#", literal=True).sum().alias("median_top_coded"),
        )
        .sort("year")
    )


def ingest(path: Path, year: int | None = None, progress: bool | None = None, today: dt.date | None = None) -> c.Result:
    ref = reference_year(path, year)
    src = c.source(read(path), ALIASES, REQUIRED)
    parsed = parse(src, ref, path, progress)
    accepted, reasons = screen(parsed, today)
    return finish(parsed, accepted, reasons)
