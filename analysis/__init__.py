"""talentgap: open, validated data asking whether the tech talent mismatch of 2022-2026 is AI-driven.

    >>> import talentgap
    >>> events = talentgap.load("layoff_events")
"""

import os

from .startup import hide_pandas

# NOTE: a process of our own (the report's page kernels, started by `make report` and the render
# benchmark) opts in to polars-only start-up with TALENTGAP_POLARS_ONLY=1: pandera then loads without
# pandas, which saved 0.4 s in every page's kernel. A user's session is never changed without it.
if os.environ.get("TALENTGAP_POLARS_ONLY") == "1":
    hide_pandas()

from .api import ReleaseError, ingested_tables, load, tables  # noqa: E402

__all__ = ["ReleaseError", "ingested_tables", "load", "tables"]
__version__ = "0.2.0"
