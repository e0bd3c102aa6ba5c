"""Start-up of the command line: load pandera's polars API without pandas.

pandera's top-level package imports pandas (and its own pandas API) whenever pandas is installed,
which costs about 0.4 s, two thirds of the CLI's start-up. Nothing the CLI runs uses pandas: its
schemas use pandera's polars backend, which pandera supports on installs without pandas.
"""

from __future__ import annotations

import importlib.abc
import os
import sys


class _HidePandas(importlib.abc.MetaPathFinder):
    """Answers "not installed" for pandas, as on a polars-only install."""

    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return None


def hide_pandas() -> bool:
    """Make this process a polars-only one: pandas cannot be imported from here on.

    True when done; False (nothing changed) when pandas or pandera is already imported.

    NOTE: only for the `talentgap` command, a process of our own: in a library user's session the
    top-level `pandera` namespace would lack its pandas API, so `import talentgap` never calls this.
    The whole run stays polars-only because pandera also looks for pandas lazily, at its first
    check. A command that needed pandas would fail loudly with "No module named 'pandas'"
    (tests/test_startup.py runs every command in a fresh process to show that none does).
    """
    if "pandas" in sys.modules or "pandera" in sys.modules:
        return False
    if not any(isinstance(f, _HidePandas) for f in sys.meta_path):
        sys.meta_path.insert(0, _HidePandas())
    return True


def single_blas_thread() -> bool:
    """Make numpy's BLAS (OpenBLAS) run on the calling thread only; True when set, False if too late or set by the user.

    NOTE: the CLI's BLAS calls are a few small products (the exposure correlations; the bootstrap's sums
    use einsum so that the release does not depend on BLAS's threads). OpenBLAS's own threads spin after
    each call: they cost about 0.3 CPU-seconds of a build on two cores when the bootstrap still used BLAS.
    The variable is read when numpy loads, so it is set before; a value the user exported is kept.
    """
    if "numpy" in sys.modules or "OPENBLAS_NUM_THREADS" in os.environ:
        return False
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    return True
