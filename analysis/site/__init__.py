"""Offline renderer for the Quarto report (used when `quarto` is not on PATH)."""
