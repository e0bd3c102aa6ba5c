"""BLS OEWS national file (XLSX or CSV) -> `oews_occupations`, every detailed SOC occupation."""

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
}
REQUIRED = tuple(ALIASES)

# BLS marks in place of a number: * wage not available, ** employment not available,
# # wage at or above the top code. NOTE: * and ** both mean "no estimate" and get one flag.
MARKS = {"*": "not_available", "**": "not_available", "#": "top_coded"}
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
    if not path.is_file():
        raise c.IngestError("no such file")
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


def _estimate(field: str, flag: str, whole: bool) -> cells.Parser:
    """The number, and the flag of a BLS mark in its place; a mark never becomes a number."""
    raw = f"_in_{field}"
    marks = MARKS if not whole else {k: v for k, v in MARKS.items() if v != "top_coded"}
    # NOTE: # marks a top-coded wage; in the employment column it means nothing we can record,
    # so it gets no flag and its row is quarantined as unparsed.
    number = (cells.integer if whole else cells.number)(raw, f"_{field}")
    value = pl.when(pl.col(flag).is_null()).then(pl.col(f"_{field}"))
    return cells.Parser(raw, [
        [pl.col(raw).str.strip_chars().replace_strict(marks, default=None, return_dtype=pl.String).alias(flag)],
        *number.plan,
        [value.alias(field), (cells.bad(f"_{field}") & pl.col(flag).is_null()).alias(f"_bad_{field}")],
    ])


def parse(src: c.Source, year: int, path: Path, progress: bool | None) -> c.Parsed:
    """Parse every cell, then keep the detailed occupations."""
    group = pl.col("_group")
    parsers = [
        cells.text("_in_soc_code", "soc_code"),
        cells.text("_in_occupation_title", "occupation_title"),
        cells.text("_in_o_group", "_group", lambda t: t.str.to_lowercase()),
        _estimate("employment", "employment_flag", whole=True),
        _estimate("annual_mean_wage_usd", "annual_mean_wage_flag", whole=False),
        _estimate("annual_median_wage_usd", "annual_median_wage_flag", whole=False),
    ]
    extra = [pl.lit(year, pl.Int64).alias("year"), pl.lit(f"May {year}").alias("reference_period")]
    wage = "type: must be a number or a BLS mark (*, ** or #)"
    checks = [
        ("employment", cells.bad("employment"), "type: must be a whole number or a BLS mark (* or **; # marks wages only)"),
        ("annual_mean_wage_usd", cells.bad("annual_mean_wage_usd"), wage),
        ("annual_median_wage_usd", cells.bad("annual_median_wage_usd"), wage),
    ]
    raw, frame, problems, rows, blank = c.load(src, parsers, checks, path, progress, extra)
    # NOTE: only detailed occupations are in scope; total/major/minor/broad rows, and rows without a
    # group (footnotes under the data in some years), are counted as skipped rather than quarantined.
    in_scope, no_group = frame.select((group == "detailed").sum().alias("in"), group.is_null().sum().alias("none")).row(0)
    skipped = {
        "blank rows": blank,
        "O_GROUP is total, major, minor or broad": frame.height - in_scope - no_group,
        "no O_GROUP: notes under the data": no_group,
    }
    detailed = frame.select(group == "detailed").to_series().fill_null(False)
    kept = frame.filter(detailed)
    problems = problems.filter(pl.col(ROW).is_in(kept[ROW].implode()))
    return c.Parsed(TABLE, rows, raw.filter(detailed), kept, src.columns, problems, src.ignored, skipped, [f"reference period May {year}"])


def totals(result: c.Result) -> pl.DataFrame:
    """Per reference year: occupations, their employment, and how many wages are top-coded."""
    top = pl.lit("top_coded")
    return (
        result.accepted.group_by("year")
        .agg(
            pl.len().alias("occupations"),
            pl.col("employment").sum().alias("employment"),
            (pl.col("annual_mean_wage_flag") == top).sum().alias("mean_top_coded"),
            (pl.col("annual_median_wage_flag") == top).sum().alias("median_top_coded"),
        )
        .sort("year")
    )


def ingest(path: Path, year: int | None = None, progress: bool | None = None, today: dt.date | None = None) -> c.Result:
    ref = reference_year(path, year)
    src = c.source(read(path), ALIASES, REQUIRED)
    parsed = parse(src, ref, path, progress)
    accepted, reasons = screen(parsed, today)
    return finish(parsed, accepted, reasons)
