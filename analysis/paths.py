"""Where things live. Environment variables override the defaults for tests and extended builds."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# NOTE: a wheel carries the release inside the package (pyproject.toml maps data/release to
# talentgap/release_data), so `talentgap.load()` works wherever the package is installed.
PACKAGED_RELEASE = Path(__file__).resolve().parent / "release_data"


def in_repository() -> bool:
    """True when running from a checkout (editable install), False from an installed wheel."""
    return (ROOT / "pyproject.toml").is_file() and (ROOT / "data").is_dir()


def curated_dir() -> Path:
    """Hand-kept input CSVs."""
    return Path(os.environ.get("TALENTGAP_CURATED", ROOT / "data" / "curated"))


# Sub-folder of the curated folder that `talentgap refresh` writes (rows computed from publishers' files).
REFRESHED_DIR = "refreshed"


def refresh_lock(curated: Path) -> Path:
    """Exclusive while `talentgap refresh` writes `refreshed/`; shared while a build reads it."""
    return curated / ".refreshed.lock"


def seeds_dir() -> Path:
    """What we record about the seed documents (metadata, claims, exclusion rule)."""
    return Path(os.environ.get("TALENTGAP_SEEDS", ROOT / "seeds"))


def release_dir() -> Path:
    """The published release (CSV + Parquet + datapackage.json): data/release/ in a checkout, else the packaged copy."""
    if "TALENTGAP_RELEASE" in os.environ:
        return Path(os.environ["TALENTGAP_RELEASE"])
    return ROOT / "data" / "release" if in_repository() else PACKAGED_RELEASE


def seeds_text_dir() -> Path:
    """The seed documents as received (outside the repository)."""
    return Path(os.environ.get("TALENTGAP_SEEDS_DIR", ROOT.parent / "shared" / "seeds"))
