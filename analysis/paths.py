"""Where things live. Environment variables override the defaults for tests and extended builds."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def curated_dir() -> Path:
    """Hand-kept input CSVs."""
    return Path(os.environ.get("TALENTGAP_CURATED", ROOT / "data" / "curated"))


def seeds_dir() -> Path:
    """What we record about the seed documents (metadata, claims, exclusion rule)."""
    return Path(os.environ.get("TALENTGAP_SEEDS", ROOT / "seeds"))


def release_dir() -> Path:
    """The published release (CSV + Parquet + datapackage.json)."""
    return Path(os.environ.get("TALENTGAP_RELEASE", ROOT / "data" / "release"))


def seeds_text_dir() -> Path:
    """The seed documents as received (outside the repository)."""
    return Path(os.environ.get("TALENTGAP_SEEDS_DIR", ROOT.parent / "shared" / "seeds"))
