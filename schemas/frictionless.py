"""Frictionless Table Schema descriptors generated from the registry."""

from __future__ import annotations

from .fields import FIELDS
from .registry import Field, Table
from .tables import TABLES


def _anchorless(pattern: str) -> str:
    """Frictionless patterns match the whole value: drop our explicit anchors."""
    return pattern.removeprefix("^").removesuffix("$")


def field_descriptor(f: Field, table: Table) -> dict:
    """One Frictionless field descriptor."""
    description = f.description + (f" Unit: {f.unit}." if f.unit else "")
    desc: dict = {"name": f.name, "type": f.type, "description": description}
    if f.type == "date":
        desc["format"] = "%Y-%m-%d"
    constraints: dict = {}
    if table.is_required(f):
        constraints["required"] = True
    if f.minimum is not None:
        constraints["minimum"] = f.minimum
    if f.maximum is not None:
        constraints["maximum"] = f.maximum
    if f.min_date is not None and f.min_date != "today":
        constraints["minimum"] = f.min_date
    if f.enum is not None:
        constraints["enum"] = list(f.enum)
    if f.pattern is not None:
        constraints["pattern"] = _anchorless(f.pattern)
    if constraints:
        desc["constraints"] = constraints
    return desc


def table_schema(table_name: str) -> dict:
    """The Frictionless Table Schema of a table."""
    table = TABLES[table_name]
    schema: dict = {
        "fields": [field_descriptor(FIELDS[n], table) for n in table.fields],
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": col, "reference": {"resource": ref_table, "fields": ref_col}}
            for col, (ref_table, ref_col) in sorted(table.foreign_keys.items())
        ]
    return schema
