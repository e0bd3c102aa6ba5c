"""Run a page's Python cells and inline expressions in one Jupyter kernel (via nbclient).

Order: the kernel runs the page top to bottom. Each inline expression is evaluated
right after the code cells that precede it in the source, so it sees exactly the
state those cells produced (later cells cannot affect it).
"""

from __future__ import annotations

import contextlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import nbformat
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError

from .errors import RenderError
from .outputs import ANSI_RE
from .qmd import Cell, Document, Markdown

INLINE_MIME = "text/x-talentgap-inline"
# An inline value that is Markdown (an object with ``_repr_markdown_``, as IPython's ``Markdown``) is the
# page's own markup, as Quarto treats it: it is inserted as written, not escaped.
INLINE_MARKDOWN_MIME = "text/x-talentgap-inline-markdown"

# Runs first in every kernel: altair charts display as the standard Vega-Lite mimetype
# (altair's own default emits HTML that loads vega from a CDN).
SETUP_CODE = """\
def _tg_setup():
    def _vegalite(chart):
        import altair
        major = altair.SCHEMA_VERSION.lstrip("v").split(".")[0]
        return {f"application/vnd.vegalite.v{major}+json": chart.to_dict(), "text/plain": repr(chart)}
    fmt = get_ipython().display_formatter.mimebundle_formatter
    for module in ("altair.vegalite.v5.api", "altair.vegalite.v6.api"):
        fmt.for_type_by_name(module, "TopLevelMixin", _vegalite)
_tg_setup()
del _tg_setup

def _tg_inline(value):
    from IPython.display import display
    markdown = getattr(value, "_repr_markdown_", None)
    if callable(markdown):
        display({"%s": str(markdown())}, raw=True)
    else:
        display({"%s": str(value)}, raw=True)
""" % (INLINE_MARKDOWN_MIME, INLINE_MIME)

INLINE_CODE = "_tg_inline((\n{expr}\n))"


@dataclass
class Step:
    """One kernel execution: a code cell or one inline expression, tied to its chunk."""

    chunk: int
    code: str
    line: int
    label: str | None = None
    inline: str | None = None  # the expression, for inline steps
    allow_error: bool = False


def plan(doc: Document, options: list[dict | None]) -> list[Step]:
    """Kernel steps in document order. ``options[i]`` is chunk i's merged cell options."""
    steps: list[Step] = []
    for i, chunk in enumerate(doc.chunks):
        if isinstance(chunk, Cell) and options[i]["eval"]:
            steps.append(Step(i, chunk.source, chunk.line, chunk.label, allow_error=bool(options[i]["error"])))
        elif isinstance(chunk, Markdown):
            for inl in chunk.inlines:
                code = INLINE_CODE.format(expr=inl.expr)
                steps.append(Step(i, code, inl.line, inline=inl.expr))
    return steps


# Runs before each page in a reused kernel: the user namespace is cleared (imported modules stay
# loaded, which is the point of reusing the kernel), the setup code runs again, and the working
# directory becomes the page's folder.
RESET_CODE = """\
get_ipython().run_line_magic("reset", "-f")
import os as _tg_os
_tg_os.chdir(%r)
del _tg_os
"""
# NOTE: as Quarto does for the code it executes, the page's folder and file name and the project's root are
# in the environment (QUARTO_DOCUMENT_PATH / QUARTO_DOCUMENT_FILE / QUARTO_PROJECT_ROOT); a chart's cite line reads them.
DOCUMENT_ENV_CODE = """\
import os as _tg_os
_tg_os.environ.update({"QUARTO_DOCUMENT_PATH": %r, "QUARTO_DOCUMENT_FILE": %r, "QUARTO_PROJECT_ROOT": %r})
del _tg_os
"""


class KernelSession:
    """One kernel that runs several pages in turn (see RESET_CODE); use it from one thread only.

    NOTE: starting a kernel and importing a page's libraries cost more than most pages' own work
    (about 1 s and 0.5-1 s on our machine); a worker reuses its kernel across the pages it runs.
    Pages therefore share imported modules (and their caches) but never variables.
    """

    def __init__(self, timeout: int | None = 600):
        self._nb = nbformat.v4.new_notebook()
        self._client = NotebookClient(self._nb, km=VenvKernelManager(), timeout=timeout, record_timing=False)
        self._stack = contextlib.ExitStack()
        self._started = False

    def __enter__(self) -> "KernelSession":
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def run(self, steps: list[Step], cwd: Path, page: str) -> dict:
        """Run ``steps`` for ``page`` with working directory ``cwd``; see :func:`execute`."""
        root = Path(cwd)
        for _ in PurePosixPath(page).parent.parts:
            root = root.parent
        env_code = DOCUMENT_ENV_CODE % (str(cwd), PurePosixPath(page).name, str(root))
        prelude = [nbformat.v4.new_code_cell(RESET_CODE % str(cwd) + env_code), nbformat.v4.new_code_cell(SETUP_CODE)]
        cells = [nbformat.v4.new_code_cell(s.code) for s in steps]
        for step, cell in zip(steps, cells):
            if step.allow_error:
                cell.metadata["tags"] = ["raises-exception"]
        self._nb.cells = prelude + cells
        result: dict = {"cells": {}, "inlines": {}}
        current: Step | None = None
        try:
            if not self._started:
                self._stack.enter_context(self._client.setup_kernel())
                self._started = True
            for index, cell in enumerate(prelude):
                self._client.execute_cell(cell, index, store_history=False)
            for index, (step, cell) in enumerate(zip(steps, cells), start=len(prelude)):
                current = step
                self._client.execute_cell(cell, index, store_history=step.inline is None)
                _collect(result, step, cell.outputs, page)
        except CellExecutionError as exc:
            raise _cell_error(exc, current, page) from None
        except DeadKernelError as exc:
            raise RenderError(f"the kernel died: {exc}", page=page,
                              line=current.line if current else None, label=current.label if current else None) from None
        except RenderError:
            raise
        except Exception as exc:  # kernel start-up, timeouts, ...
            raise RenderError(f"{type(exc).__name__}: {exc}", page=page,
                              line=current.line if current else None, label=current.label if current else None) from exc
        return json.loads(json.dumps(result))  # plain, JSON-safe containers (drops NotebookNode)


def execute(steps: list[Step], cwd: Path, page: str, timeout: int | None = 600) -> dict:
    """Run ``steps`` in a fresh kernel with working directory ``cwd``.

    Returns a JSON-able dict: ``{"cells": {chunk: [outputs]}, "inlines": {chunk: [text]}}``.
    Raises :class:`RenderError` naming the page, line and cell when a step fails.
    """
    with KernelSession(timeout) as session:
        return session.run(steps, cwd, page)


def _collect(result: dict, step: Step, outputs: list, page: str) -> None:
    key = str(step.chunk)
    if step.inline is None:
        result["cells"][key] = [dict(o) for o in outputs]
        return
    values = []
    for o in outputs:
        data = o.get("data", {}) if o.get("output_type") == "display_data" else {}
        if INLINE_MARKDOWN_MIME in data:
            values.append({"markdown": data[INLINE_MARKDOWN_MIME]})
        elif INLINE_MIME in data:
            values.append(data[INLINE_MIME])
    if len(values) != 1:
        raise RenderError(f"inline expression `{{python}} {step.inline}` produced no value", page=page,
                          line=step.line)
    result["inlines"].setdefault(key, []).append(values[0])


def _cell_error(exc: CellExecutionError, step: Step | None, page: str) -> RenderError:
    ename = getattr(exc, "ename", "Error")
    evalue = getattr(exc, "evalue", "")
    tb = ANSI_RE.sub("", str(exc))
    what = f"inline expression `{{python}} {step.inline}`" if step and step.inline else "cell"
    return RenderError(f"{what} raised {ename}: {evalue}", page=page, line=step.line if step else None,
                       label=step.label if step else None, detail=tb)


class VenvKernelManager(KernelManager):
    """Start ipykernel with the interpreter running the renderer (``sys.executable``)."""

    @property
    def kernel_spec(self) -> KernelSpec:
        argv = [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}",
                "--IPKernelApp.log_level=ERROR"]
        return KernelSpec(argv=argv, display_name="Python 3 (talentgap.site)", language="python")
