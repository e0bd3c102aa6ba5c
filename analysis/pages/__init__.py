"""The logic of report pages, one module per page (numbers via provenance groups, charts, tables)."""
