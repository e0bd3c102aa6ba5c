"""Types of the registry: a Field describes one column, a Table one dataset.

Every schema the project uses (pandera, Frictionless, the report's data
dictionary) is generated from instances of these two classes, which live in
`fields.py` and `tables.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TYPES = ("string", "integer", "number", "date", "boolean")
# NOTE: the plausible window of every date the project reads, declared once: a date field without a
# tighter min_date/max_date gets these. The oldest records we read are WARN notices (the WARN Act took
# effect in February 1989); a planned layoff can take effect up to a year ahead. 1800-01-01 is a typo.
PLAUSIBLE_MIN_DATE = "1989-01-01"
PLAUSIBLE_MAX_DATE = "today+366d"
# NOTE: the longest curated cell is ~700 characters (a note); 10 MB in one cell is an attack or an accident.
DEFAULT_MAX_LENGTH = 4000

# NOTE: a spreadsheet ignores leading spaces and control characters before a formula sign, so must we.
FORMULA_PREFIX = r"^[\s\x00-\x1f\x7f]*[=+\-@]"
# Control characters (tab, newline and carriage return are allowed in text) and the bidi embedding,
# override and isolate characters, which can make text display in another order than it is stored.
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]"


@dataclass(frozen=True)
class Field:
    """One column: its type, meaning, unit and constraints."""

    name: str
    type: str
    description: str
    unit: str | None = None
    required: bool = True
    minimum: float | int | None = None
    maximum: float | int | None = None
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    # Minimum/maximum that are dates are given as ISO strings; "today" means the build date.
    min_date: str | None = None
    max_date: str | None = None
    # Longest text a string cell may hold (characters); None: DEFAULT_MAX_LENGTH.
    max_length: int | None = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"field {self.name}: unknown type {self.type!r}")
        if self.type == "date":
            object.__setattr__(self, "min_date", self.min_date or PLAUSIBLE_MIN_DATE)
            object.__setattr__(self, "max_date", self.max_date or PLAUSIBLE_MAX_DATE)


@dataclass(frozen=True)
class Table:
    """One dataset: its columns (by field name), key, meaning and where it comes from."""

    name: str
    title: str
    description: str
    fields: tuple[str, ...]
    primary_key: tuple[str, ...]
    schema_version: str
    # "curated": a hand-kept CSV in data/curated/; "refreshed": written to data/curated/refreshed/ by
    # `talentgap refresh` from publishers' files; "derived": computed by analysis/;
    # "ingested": made by `talentgap ingest` from a user's upstream file, never committed.
    origin: str = "curated"
    # Folders the table's input rows are read from and concatenated: "curated" (hand-kept rows) and
    # "refreshed" (rows our ingest code computed from publishers' files).
    inputs: tuple[str, ...] = ("curated",)
    notes: str = ""
    # Extra rules checked row by row (ROW_RULES in schemas/rules.py): name -> description.
    row_rules: tuple[str, ...] = ()
    # Columns that must name a row of another table: column -> (table, column).
    foreign_keys: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Folder of the hand-kept input: "curated" (data/curated/) or "seeds" (seeds/).
    home: str = "curated"
    # Fields that are required elsewhere but may be empty in this table.
    optional: tuple[str, ...] = ()
    # A table with no rows fails validation unless this is set (a derived table of findings may be empty).
    may_be_empty: bool = False

    def __post_init__(self) -> None:
        if self.origin == "refreshed" and self.inputs == ("curated",):
            object.__setattr__(self, "inputs", ("refreshed",))

    def is_required(self, f: Field) -> bool:
        return f.name in self.primary_key or (f.required and f.name not in self.optional)

    @property
    def curated_file(self) -> str:
        return f"{self.name}.csv"
