"""Ingest full upstream exports (Layoffs.fyi, WARN notices, BLS OEWS) into talentgap shapes."""
