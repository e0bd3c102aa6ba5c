"""Render a Quarto website project to a static site: execute (or reuse), convert, template, swap in."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .cache import ExecutionCache, cache_key, depends_digest
from .errors import RenderError
from .execute import KernelSession, plan
from .markdown import PandocError, conversion_key, to_html
from .outputs import OutputError
from .page import assemble, cell_options
from .project import CACHE_DIRNAME, ProjectError, load_project
from .qmd import Cell, QmdSyntaxError, parse_qmd
from .shell import SiteShell
from .version import __version__


@dataclass
class PageReport:
    """One page's outcome: ``status`` is "executed", "reused" (cache hit) or "static" (no code)."""

    page: str
    status: str
    output: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class RenderResult:
    """What :func:`render_site` did; ``summary()`` is the printed line."""

    out_dir: Path
    pages: list[PageReport]

    def _with(self, status: str) -> list[str]:
        return [p.page for p in self.pages if p.status == status]

    @property
    def executed(self) -> list[str]:
        return self._with("executed")

    @property
    def reused(self) -> list[str]:
        return self._with("reused")

    @property
    def static(self) -> list[str]:
        return self._with("static")

    def summary(self) -> str:
        def part(name: str, pages: list[str]) -> str:
            return f"{name} {len(pages)}" + (f" ({', '.join(pages)})" if pages else "")
        return (f"talentgap.site: rendered {len(self.pages)} pages to {self.out_dir}: "
                f"{part('executed', self.executed)}, {part('reused', self.reused)}, {len(self.static)} without code")


@dataclass
class _Page:
    rel: str
    doc: object
    page_opts: dict
    steps: list
    key: str | None
    results: dict | None = None
    status: str = "static"


def render_site(project_dir: str | Path, out_dir: str | Path | None = None, *,
                depends: list[str | Path] = (), use_cache: bool = True, cache_dir: str | Path | None = None,
                jobs: int | None = None, timeout: int | None = 600,
                log: Callable[[str], None] | None = None) -> RenderResult:
    """Render the website project in ``project_dir`` into ``out_dir`` (default: its ``output-dir``).

    Pages whose cache key is unchanged reuse stored results instead of running a kernel.
    ``depends`` are extra files/folders (e.g. a data release) whose content is part of every key.
    On any error a :class:`RenderError` is raised and an existing ``out_dir`` is left untouched.
    Progress and the summary line go to ``log`` (default: one write per line to stdout).
    """
    log = log or print_line
    try:
        project = load_project(project_dir)
    except ProjectError as exc:
        raise RenderError(str(exc)) from None
    root = project.root
    out = Path(out_dir).resolve() if out_dir else project.output_dir.resolve()
    cache = ExecutionCache(Path(cache_dir).resolve() if cache_dir else root / CACHE_DIRNAME)
    deps = depends_digest(list(depends), root)
    pages = [_prepare(project, rel, deps) for rel in project.pages if not _inside(root / rel, out)]

    todo = []
    for page in pages:
        if page.key is None:
            continue
        page.results = cache.load(page.rel, page.key) if use_cache else None
        page.status = "reused" if page.results is not None else "executed"
        if page.results is None:
            todo.append(page)
    _execute_all(project.root, todo, cache, jobs, timeout, log)

    result = RenderResult(out_dir=out, pages=[])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.tmp-"))
    try:
        titles = {p.rel: str(p.doc.meta.get("title") or Path(p.rel).stem) for p in pages}
        shell = SiteShell(project, titles, cache.dir)
        for page in pages:
            result.pages.append(_write_page(project, page, shell, tmp, cache if use_cache else None))
        shell.finish(tmp)
        for path in project.resources():
            target = tmp / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        _post_render(project, tmp, log, cache.dir)
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for report in result.pages:
        for warning in report.warnings:
            log(f"talentgap.site: warning: {report.page}: {warning}")
    log(result.summary())
    return result


def _post_render(project, site: Path, log, cache_dir: Path | None = None) -> None:
    """Run the project's ``post-render`` scripts on the finished site, as Quarto does (before the swap).

    NOTE: only Python scripts are run (with this interpreter); Quarto's other script kinds and shell
    commands are refused rather than guessed at.
    """
    scripts = (project.config.get("project") or {}).get("post-render") or []
    for entry in [scripts] if isinstance(scripts, str) else scripts:
        script = project.root / str(entry)
        if script.suffix != ".py" or not script.is_file():
            raise RenderError(f"post-render: only Python scripts of the project are supported, not {entry!r}")
        env = {**os.environ, "QUARTO_PROJECT_OUTPUT_DIR": str(site), "QUARTO_PROJECT_DIR": str(project.root)}
        if cache_dir is not None:  # the post-render step keeps what it draws (chart images) in the render's cache
            env["TALENTGAP_CACHE_DIR"] = str(cache_dir)
        done = subprocess.run([sys.executable, str(script)], cwd=project.root, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RenderError(f"post-render script {entry} failed: {(done.stderr or done.stdout).strip()[-500:]}")
        for line in done.stdout.splitlines():
            log(line)


def print_line(message: str) -> None:
    """Print one line with a single write (safe from the executing threads)."""
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def quiet(_message: str) -> None:
    """A ``log`` that prints nothing."""


def _prepare(project, rel: str, deps: list) -> _Page:
    path = project.root / rel
    source = path.read_bytes()
    try:
        doc = parse_qmd(source.decode("utf-8"))
    except QmdSyntaxError as exc:
        raise RenderError(str(exc), page=rel, line=exc.line) from None
    except UnicodeDecodeError as exc:
        raise RenderError(f"not UTF-8: {exc}", page=rel) from None
    page_opts = project.execute_options(doc.meta)
    options = [cell_options(page_opts, c) if isinstance(c, Cell) else None for c in doc.chunks]
    steps = plan(doc, options)
    key = cache_key(version=__version__, page=rel, source=source, options=page_opts, depends=deps) if steps else None
    return _Page(rel=rel, doc=doc, page_opts=page_opts, steps=steps, key=key)


def _execute_all(root: Path, todo: list[_Page], cache: ExecutionCache, jobs, timeout, log) -> None:
    """Run the pages on ``jobs`` workers, each with one kernel it reuses from page to page."""
    if not todo:
        return
    jobs = max(1, min(jobs or min(4, os.cpu_count() or 1), len(todo)))
    pending: queue.SimpleQueue = queue.SimpleQueue()
    for page in todo:
        pending.put(page)
    errors: list[BaseException] = []

    def worker() -> None:
        # NOTE: a kernel is created, used and shut down in its own thread (nbclient's client is not
        # shared between threads).
        with KernelSession(timeout) as session:
            while not errors:
                try:
                    page = pending.get_nowait()
                except queue.Empty:
                    return
                log(f"talentgap.site: executing {page.rel}")
                try:
                    page.results = session.run(page.steps, (root / page.rel).parent, page.rel)
                    cache.store(page.rel, page.key, page.results)
                except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
                    errors.append(exc)
                    return

    threads = [threading.Thread(target=worker, name=f"talentgap-site-{i}") for i in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def _write_page(project, page: _Page, shell, tmp: Path, cache: ExecutionCache | None = None) -> PageReport:
    try:
        markdown, assets = assemble(page.doc, page.results or {}, page.page_opts, page.rel)
    except OutputError as exc:
        raise RenderError(str(exc), page=page.rel) from None
    meta = page.doc.meta
    bibliography, csl = project.bibliography(meta, page.rel), project.csl(meta, page.rel)
    # pandoc is most of a warm render: its output is cached by everything it reads.
    key = conversion_key(markdown, meta, bibliography, csl)
    stored = cache.load_html(key) if cache is not None else None
    if stored is not None:
        body, warnings = stored
    else:
        try:
            body, warnings = to_html(markdown, meta=meta, bibliography=bibliography, csl=csl)
        except PandocError as exc:
            raise RenderError(str(exc), page=page.rel) from None
        if cache is not None:
            cache.store_html(key, body, warnings)
    output = str(Path(page.rel).with_suffix(".html").as_posix())
    try:
        shell.write_page(tmp, page.rel, meta, body.strip("\n"), assets)
    except OutputError as exc:
        raise RenderError(str(exc), page=page.rel) from None
    return PageReport(page=page.rel, status=page.status, output=output, warnings=warnings)


def _inside(path: Path, folder: Path) -> bool:
    return folder in path.resolve().parents


def _swap(tmp: Path, out: Path) -> None:
    """Replace ``out`` by ``tmp`` with two renames, so a failure never leaves a half-written site."""
    backup = None
    if out.exists():
        backup = out.with_name(f".{out.name}.old-{os.getpid()}")
        shutil.rmtree(backup, ignore_errors=True)
        os.replace(out, backup)
    os.replace(tmp, out)
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


def main_error(exc: RenderError) -> str:
    """The CLI's message for a failed render."""
    text = f"talentgap.site: render failed: {exc}"
    if exc.detail:
        text += "\n\n" + exc.detail.rstrip()
    return text
