"""talentgap: open, validated data on the AI-driven tech talent mismatch, 2022-2026.

    >>> import talentgap
    >>> events = talentgap.load("layoff_events")
"""

from .api import ReleaseError, ingested_tables, load, tables

__all__ = ["ReleaseError", "ingested_tables", "load", "tables"]
__version__ = "0.1.0"
