"""The registry is the one source of truth: every field used, every table complete and generating schemas."""

from __future__ import annotations

import polars as pl

from talentgap.schemas.dictionary import data_dictionary
from talentgap.schemas.fields import FIELDS
from talentgap.schemas.frictionless import table_schema
from talentgap.schemas.pandera_schemas import schema_for
from talentgap.schemas.rules import ROW_RULES
from talentgap.schemas.tables import INPUT_TABLES, TABLES


def test_every_field_is_used_by_a_table():
    used = {name for t in [*TABLES.values(), *INPUT_TABLES.values()] for name in t.fields}
    assert sorted(set(FIELDS) - used) == []


def test_every_table_field_is_registered_and_described():
    for t in TABLES.values():
        assert t.description and t.title and t.schema_version, t.name
        for name in t.fields:
            assert name in FIELDS, f"{t.name}.{name} is not in fields.py"
            assert FIELDS[name].description.strip(), name
        assert set(t.primary_key) <= set(t.fields), t.name
        assert set(t.row_rules) <= set(ROW_RULES), t.name
        for col, (ref, ref_col) in t.foreign_keys.items():
            assert col in t.fields and ref in TABLES and ref_col in TABLES[ref].fields


def test_schemas_generated_for_every_table_agree_with_registry():
    for name, t in TABLES.items():
        pandera = schema_for(name)
        frictionless = table_schema(name)
        assert list(pandera.columns) == list(t.fields)
        assert [f["name"] for f in frictionless["fields"]] == list(t.fields)
        assert frictionless["primaryKey"] == list(t.primary_key)
        for f in frictionless["fields"]:
            assert f["type"] == FIELDS[f["name"]].type


def test_primary_key_fields_are_required_everywhere():
    for name, t in TABLES.items():
        frictionless = {f["name"]: f for f in table_schema(name)["fields"]}
        for key in t.primary_key:
            assert frictionless[key]["constraints"]["required"] is True
            assert schema_for(name).columns[key].nullable is False


def test_data_dictionary_covers_every_column_once():
    dd = data_dictionary()
    expected = sum(len(t.fields) for t in TABLES.values())
    assert dd.height == expected
    assert dd.select(pl.struct("table", "column").is_unique().all()).item()
    row = dd.filter((pl.col("table") == "layoff_events") & (pl.col("column") == "share_of_workforce")).row(0, named=True)
    assert row["unit"] == "share (0-1)"
    assert ">= 0" in row["constraints"] and "<= 1" in row["constraints"]
