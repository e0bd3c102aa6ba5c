"""Output: the table and its quarantine written atomically, and the summary printed after."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import polars as pl

from talentgap.schemas.tables import TABLES

from .. import locks
from ..hashing import sha256_file
from ..safe_text import escape
from .common import Result


LOCK = ".talentgap-ingest.lock"
MARKER = ".talentgap-staging"
COMMITTED = "COMMITTED"
# The folder is ingest's: this file records the sha256 of every output file an ingest wrote there.
OWNED = ".talentgap-ingest.json"


class OutputRefused(Exception):
    """The output folder is not ingest's, or holds a file of an output's name that no ingest wrote."""


def _record(out_dir: Path) -> dict[str, list[str]]:
    """{file name: sha256 of each version an ingest wrote}, from the folder's OWNED file."""
    try:
        files = json.loads((out_dir / OWNED).read_text(encoding="utf-8"))["files"]
        return {str(k): [str(h) for h in v] for k, v in files.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as err:
        raise OutputRefused(f"{escape(out_dir / OWNED)} is damaged ({escape(err)}): move the folder's files away first") from None


def _save_record(out_dir: Path, files: dict[str, list[str]]) -> None:
    tmp = out_dir / f"{OWNED}.tmp-{os.getpid()}"
    tmp.write_text(json.dumps({"files": dict(sorted(files.items()))}, indent=1) + "\n", encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, out_dir / OWNED)
    locks.fsync_dir(out_dir)


def refusal(out_dir: Path, locked: bool = False) -> str | None:
    """Why ingest must not write into `out_dir`, or None: it may when the folder is new, empty, or ingest's.

    NOTE: a folder holding only our lock file (and a temporary of OWNED a kill left) counts as empty:
    another ingest may have made it a moment ago. Before the lock is held (`locked` false) a folder with
    our lock file is let through to the check made under the lock, when no other ingest is writing.
    """
    if out_dir.exists() and not out_dir.is_dir():
        return f"{escape(out_dir)} exists and is not a folder"
    if not out_dir.exists():
        return None
    names = {p.name for p in out_dir.iterdir()}
    ours = {n for n in names if n == LOCK or re.fullmatch(re.escape(OWNED) + r"\.tmp-\d+", n)}
    if OWNED in names or names == ours or (LOCK in names and not locked):
        return None
    return (f"{escape(out_dir)} is not an ingest folder (it holds other files and no {OWNED}): "
            "choose a new or empty folder, or one an earlier ingest wrote")


def _claim(out_dir: Path) -> dict[str, list[str]]:
    """Under the folder's lock: refuse a folder that is not ours, else mark it ours; its record."""
    reason = refusal(out_dir, locked=True)
    if reason:
        raise OutputRefused(reason)
    if not (out_dir / OWNED).is_file():
        _save_record(out_dir, {})
    return _record(out_dir)


def _check_replaceable(out_dir: Path, names: list[str], record: dict[str, list[str]]) -> None:
    """Every file about to be replaced is one an ingest wrote (its sha256 is recorded)."""
    for name in names:
        path = out_dir / name
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise OutputRefused(f"{escape(path)} is not a file an ingest wrote: move it away first")
        if path.exists() and sha256_file(path) not in record.get(name, []):
            raise OutputRefused(f"{escape(path)} was not written by an ingest (or was changed since): move it away first")


def _write_csv(df: pl.DataFrame, path: Path) -> None:
    # NOTE: polars writes a Date as YYYY-MM-DD by default, by a faster path than an explicit date_format
    # (same bytes; the dates as written are checked in tests/test_ingest_layoffs_fyi.py).
    df.write_csv(path, line_terminator="\n")
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())



def output_names(table: str) -> list[str]:
    """The files one ingest writes, as one unit: the table, its quarantine, and the rows set aside."""
    return [f"{table}.csv", f"{table}.quarantine.csv", f"{table}.set_aside.csv"]


def _stagings(out_dir: Path, table: str = "*") -> list[Path]:
    """Staging folders that are provably ours: our name pattern and our marker inside."""
    return sorted(p for p in out_dir.glob(f".{table}.staging-*") if p.is_dir() and (p / MARKER).is_file())


def _roll_forward(stage: Path, out_dir: Path, checked: bool = False) -> None:
    """Put every file of a committed staging folder in place, then remove the folder.

    Each file is hard-linked next to its target and os.replace'd over it; the staging folder keeps
    its copy until all are in place, so a kill at any point can be finished by the next run.
    NOTE: the new files' hashes are recorded before any is put in place, and a file is replaced only if
    an ingest wrote it; so a kill anywhere leaves every output file recorded as ours. `checked`: the
    caller checked the targets under the lock it still holds (each file is hashed once per run).
    """
    names = (stage / COMMITTED).read_text(encoding="utf-8").split()
    record = _record(out_dir)
    if not checked:
        _check_replaceable(out_dir, names, record)
    new = {name: sha256_file(stage / name) for name in names}
    _save_record(out_dir, record | {name: sorted(set(record.get(name, [])) | {new[name]}) for name in names})
    for name in names:
        link = out_dir / f".{name}.link-{os.getpid()}"
        link.unlink(missing_ok=True)
        try:
            os.link(stage / name, link)
        except OSError:
            shutil.copyfile(stage / name, link)
        os.replace(link, out_dir / name)
    locks.fsync_dir(out_dir)
    _save_record(out_dir, record | {name: [new[name]] for name in names})
    shutil.rmtree(stage)


def clean_leftovers(out_dir: Path) -> None:
    """Finish or remove what killed runs left. The caller holds the folder's lock: no live ingest uses them."""
    for stage in _stagings(out_dir):
        if (stage / COMMITTED).is_file():
            _roll_forward(stage, out_dir)
        else:
            shutil.rmtree(stage)
    known = {n for t in TABLES for n in output_names(t)} | {OWNED[1:]}
    for path in out_dir.glob(".*"):
        # NOTE: links (this version) and `.x.tmp-PID` temporaries (earlier versions) of our own file names only.
        m = re.fullmatch(r"\.(.+)\.(?:link|tmp)-(\d+)", path.name)
        if m and m.group(1) in known and path.is_file():
            path.unlink()


def current_folder(out_dir: Path, table: str) -> Path:
    """Where a reader finds `table`'s latest complete unit: a committed staging folder a kill left, else out_dir."""
    committed = [s for s in _stagings(out_dir, table) if (s / COMMITTED).is_file()]
    return committed[-1] if committed else out_dir


def write_outputs(result: Result, out_dir: Path) -> dict[str, Path]:
    """The table, its quarantine and its set-aside rows, written as one unit.

    Only into a folder that is new, empty or ingest's, and only over files an ingest wrote there
    (OutputRefused otherwise, before anything is written). All three are written to a staging folder
    and committed there (one rename); then each replaces its target. A failure before the commit
    leaves the previous outputs as they were; a kill after it is finished by the next run (and
    readers use the committed folder meanwhile, see current_folder).
    One ingest at a time writes to a folder: the second waits for the first.
    """
    # NOTE: checked before anything is made: a folder that is not ours (/, a home, the curated or a
    # release folder) gets not even a lock file.
    reason = refusal(out_dir)
    if reason:
        raise OutputRefused(reason)
    out_dir.mkdir(parents=True, exist_ok=True)
    names = output_names(result.table)
    frames = [result.accepted, result.quarantine, result.set_aside if result.set_aside is not None else result.quarantine.clear()]
    with locks.locked(out_dir / LOCK, message=f"talentgap ingest: another ingest is writing to {escape(out_dir)}; waiting for it"):
        _claim(out_dir)
        clean_leftovers(out_dir)
        _check_replaceable(out_dir, names, _record(out_dir))
        stage = out_dir / f".{result.table}.staging-{os.getpid()}"
        stage.mkdir()
        (stage / MARKER).touch()
        try:
            for df, name in zip(frames, names):
                _write_csv(df, stage / name)
            tmp = stage / f"{COMMITTED}.tmp"
            tmp.write_text("\n".join(names) + "\n", encoding="utf-8")
            locks.fsync_dir(stage)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        os.rename(tmp, stage / COMMITTED)
        locks.fsync_dir(stage)
        _roll_forward(stage, out_dir, checked=True)
    return {"table": out_dir / names[0], "quarantine": out_dir / names[1], "set_aside": out_dir / names[2]}


def format_summary(result: Result, path: Path, written: dict[str, Path], totals: pl.DataFrame) -> str:
    """Plain text: counts, what was skipped or ignored, per-year totals, where the files went."""
    q = result.quarantine.height
    lines = [
        f"talentgap ingest: {escape(path)} -> {result.table}",
        f"  rows read     {result.rows_read:>12,}",
        f"  accepted      {result.accepted.height:>12,}",
        f"  quarantined   {q:>12,}" + (f"  (rows and reasons in {written['quarantine']})" if q else ""),
    ]
    lines += [f"  skipped       {n:>12,}  ({why})" for why, n in result.skipped.items() if n]
    if result.set_aside is not None and result.set_aside.height:
        lines.append(f"  set aside (not errors) in {escape(written['set_aside'])}")
    if result.ignored_columns:
        lines.append("  columns not used: " + ", ".join(escape(c) for c in result.ignored_columns))
    lines += [f"  note: {n}" for n in result.notes]
    if totals.height:
        lines.append("  per year (accepted rows):")
        cells = [totals.columns] + [[_cell(v) for v in row] for row in totals.iter_rows()]
        widths = [max(len(r[i]) for r in cells) for i in range(totals.width)]
        lines += ["    " + "  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in cells]
    lines.append(f"  wrote {escape(written['table'])}")
    return "\n".join(lines)


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10_000:
        return f"{v:,}"
    return str(v)
