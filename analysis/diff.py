"""`talentgap diff OLD NEW`: what changed between two releases, table by table.

Tables and columns added or removed, schema changes (type, constraints, primary key, schema version),
and rows added, removed and changed by primary key with each changed cell (old -> new). Cells are
compared as the CSV text the releases hold, so a value is "changed" exactly when its published text is.
OLD or NEW may be a release folder or `git:REV`, the repository's data/release/ at commit REV.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from . import paths
from .safe_text import escape

CELLS_SHOWN = 20
KEY_SEP = " | "


class DiffError(Exception):
    """A release cannot be read; the message names it."""


@dataclass
class TableDiff:
    name: str
    status: str  # added, removed, same, changed
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    schema_changes: list[str] = field(default_factory=list)
    rows_old: int = 0
    rows_new: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)  # key, column, old, new
    rows_changed: int = 0

    @property
    def differs(self) -> bool:
        return bool(self.status in ("added", "removed") or self.columns_added or self.columns_removed
                    or self.schema_changes or self.added or self.removed or self.changed)


@dataclass
class ReleaseDiff:
    old: str
    new: str
    old_version: str | None
    new_version: str | None
    tables: list[TableDiff]


# ---------------------------------------------------------------- reading
def _descriptor(folder: Path, label: str) -> dict:
    try:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise DiffError(f"{label}: no datapackage.json in {escape(folder)}") from err
    except (OSError, ValueError) as err:
        raise DiffError(f"{label}: datapackage.json cannot be read ({escape(err)})") from err
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise DiffError(f"{label}: datapackage.json is not a data package")
    return descriptor


def _resources(descriptor: dict) -> dict[str, dict]:
    return {r["name"]: r for r in descriptor["resources"] if isinstance(r, dict) and isinstance(r.get("name"), str)}


def _read_table(folder: Path, res: dict, label: str) -> pl.DataFrame:
    path = res.get("path")
    # NOTE: only a plain file name inside the release is read (a descriptor is input, never a path to follow).
    if not isinstance(path, str) or "/" in path or "\\" in path or path.startswith("."):
        raise DiffError(f"{label}: resource {escape(res.get('name'))} has path {escape(path)}, not a file of the release")
    try:
        return pl.read_csv(folder / path, infer_schema=False)
    except FileNotFoundError as err:
        raise DiffError(f"{label}: {escape(path)} missing") from err
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, OSError) as err:
        raise DiffError(f"{label}: {escape(path)} cannot be read ({escape(str(err).splitlines()[0])})") from err


def git_release(rev: str, repo: Path | None = None) -> Path:
    """data/release/ of the repository at commit `rev`, copied into a temporary folder (read with git, offline)."""
    repo = repo or paths.ROOT
    out = Path(tempfile.mkdtemp(prefix="talentgap-diff-"))
    try:
        listing = subprocess.run(["git", "-C", str(repo), "ls-tree", "--name-only", f"{rev}:data/release"],
                                 capture_output=True, text=True, check=True).stdout.split()
        for name in listing:
            if name.endswith((".csv", ".json")):
                data = subprocess.run(["git", "-C", str(repo), "show", f"{rev}:data/release/{name}"],
                                      capture_output=True, check=True).stdout
                (out / name).write_bytes(data)
    except (subprocess.CalledProcessError, FileNotFoundError) as err:
        shutil.rmtree(out, ignore_errors=True)
        raise DiffError(f"git:{escape(rev)}: no data/release/ at that revision ({escape(getattr(err, 'stderr', '') or err).strip()[:200]})") from err
    return out


def resolve(spec: str) -> Path:
    return git_release(spec[4:]) if spec.startswith("git:") else Path(spec)


# ---------------------------------------------------------------- comparing
def _schema_changes(old: dict, new: dict) -> list[str]:
    changes = []
    so, sn = old.get("schema") or {}, new.get("schema") or {}
    if so.get("primaryKey") != sn.get("primaryKey"):
        changes.append(f"primary key {so.get('primaryKey')} -> {sn.get('primaryKey')}")
    fo = {f["name"]: f for f in so.get("fields", [])}
    for f in sn.get("fields", []):
        before = fo.get(f["name"])
        if before is None:
            continue
        for key in ("type", "constraints"):
            if before.get(key) != f.get(key):
                changes.append(f"{f['name']}: {key} {json.dumps(before.get(key), sort_keys=True)} -> {json.dumps(f.get(key), sort_keys=True)}")
    vo, vn = old.get("talentgap:schema_version"), new.get("talentgap:schema_version")
    if vo != vn:
        changes.append(f"schema version {vo} -> {vn}")
    return changes


def _key_text(df: pl.DataFrame, key: list[str]) -> pl.Expr:
    return pl.concat_str([pl.col(k).fill_null("") for k in key], separator=KEY_SEP).alias("_key")


def _rows(t: TableDiff, old: pl.DataFrame, new: pl.DataFrame, key: list[str]) -> None:
    t.rows_old, t.rows_new = old.height, new.height
    if not key or any(k not in old.columns or k not in new.columns for k in key):
        # NOTE: without a shared key, whole rows (common columns) are compared: changes show as removed + added.
        key = [c for c in new.columns if c in old.columns]
    old = old.with_columns(_key_text(old, key))
    new = new.with_columns(_key_text(new, key))
    t.added = sorted(new.join(old, on="_key", how="anti")["_key"].to_list())
    t.removed = sorted(old.join(new, on="_key", how="anti")["_key"].to_list())
    common = [c for c in new.columns if c in old.columns and c not in key and c != "_key"]
    if not common:
        return
    both = old.select("_key", *common).join(new.select("_key", *common), on="_key", how="inner", suffix="_new")
    changed_rows = set()
    for c in common:
        diff = both.filter(pl.col(c).ne_missing(pl.col(f"{c}_new"))).select("_key", c, f"{c}_new")
        for k, a, b in diff.iter_rows():
            t.changed.append((k, c, a, b))
            changed_rows.add(k)
    t.changed.sort()
    t.rows_changed = len(changed_rows)


def compare(old_dir: Path, new_dir: Path, old_label: str | None = None, new_label: str | None = None) -> ReleaseDiff:
    old_label, new_label = old_label or str(old_dir), new_label or str(new_dir)
    do, dn = _descriptor(old_dir, old_label), _descriptor(new_dir, new_label)
    ro, rn = _resources(do), _resources(dn)
    tables = []
    for name in list(rn) + [n for n in ro if n not in rn]:
        if name not in ro:
            t = TableDiff(name, "added", rows_new=_read_table(new_dir, rn[name], new_label).height)
        elif name not in rn:
            t = TableDiff(name, "removed", rows_old=_read_table(old_dir, ro[name], old_label).height)
        else:
            old, new = _read_table(old_dir, ro[name], old_label), _read_table(new_dir, rn[name], new_label)
            t = TableDiff(name, "same")
            t.columns_added = [c for c in new.columns if c not in old.columns]
            t.columns_removed = [c for c in old.columns if c not in new.columns]
            t.schema_changes = _schema_changes(ro[name], rn[name])
            key = (rn[name].get("schema") or {}).get("primaryKey") or []
            _rows(t, old, new, list(key) if isinstance(key, list) else [key])
            t.status = "changed" if t.differs else "same"
        tables.append(t)
    return ReleaseDiff(old_label, new_label, do.get("version"), dn.get("version"), tables)


# ---------------------------------------------------------------- formatting
def _cell(value: str | None) -> str:
    return "(empty)" if value is None else escape(value)


def _table_line(t: TableDiff) -> str:
    if t.status == "added":
        return f"table added ({t.rows_new:,} rows)"
    if t.status == "removed":
        return f"table removed (had {t.rows_old:,} rows)"
    parts = []
    if t.columns_added:
        parts.append("columns added: " + ", ".join(t.columns_added))
    if t.columns_removed:
        parts.append("columns removed: " + ", ".join(t.columns_removed))
    if t.schema_changes:
        parts.append(f"{len(t.schema_changes)} schema change(s)")
    parts.append(f"rows {t.rows_old:,} -> {t.rows_new:,}: {len(t.added):,} added, {len(t.removed):,} removed, "
                 f"{t.rows_changed:,} changed ({len(t.changed):,} cells)")
    return "; ".join(parts)


def _more(t: TableDiff, limit: int | None) -> int:
    if limit is None:
        return 0
    return max(0, len(t.added) - limit) + max(0, len(t.removed) - limit) + max(0, len(t.changed) - limit)


def format_text(d: ReleaseDiff, limit: int = CELLS_SHOWN) -> str:
    """Plain text; `limit` rows or cells listed per table and kind (0 or less: all)."""
    limit = limit if limit > 0 else None
    lines = [f"talentgap diff: {escape(d.old)} ({d.old_version}) -> {escape(d.new)} ({d.new_version})"]
    changed = [t for t in d.tables if t.differs]
    if not changed:
        return lines[0] + "\nno differences"
    for t in changed:
        lines.append(f"{t.name}: {_table_line(t)}")
        lines += [f"    schema: {escape(s)}" for s in t.schema_changes]
        lines += [f"    + {escape(k)}" for k in t.added[:limit]]
        lines += [f"    - {escape(k)}" for k in t.removed[:limit]]
        lines += [f"    ~ {escape(k)}: {c}: {_cell(a)} -> {_cell(b)}" for k, c, a, b in t.changed[:limit]]
        more = _more(t, limit)
        if more:
            lines.append(f"    ... and {more:,} more")
    same = len(d.tables) - len(changed)
    lines.append(f"{len(changed)} table(s) differ, {same} unchanged")
    return "\n".join(lines)


def _md(text: str) -> str:
    return escape(text).replace("|", "\\|").replace("\n", " ")


def format_markdown(d: ReleaseDiff, limit: int = CELLS_SHOWN, summary_only: bool = False) -> str:
    """Release notes: one summary table, then (unless `summary_only`) each table's changes."""
    limit = limit if limit > 0 else None
    changed = [t for t in d.tables if t.differs]
    out = [f"### Data changes: {d.old_version or escape(d.old)} -> {d.new_version or escape(d.new)}", ""]
    if not changed:
        return "\n".join(out + ["No differences.", ""])
    out += ["| table | change |", "|---|---|"]
    out += [f"| `{t.name}` | {_md(_table_line(t))} |" for t in changed]
    out += ["", f"{len(d.tables) - len(changed)} table(s) unchanged.", ""]
    if summary_only:
        return "\n".join(out)
    for t in changed:
        if t.status != "same" and t.status != "changed":
            continue
        out += [f"#### `{t.name}`", ""]
        out += [f"- schema: {_md(s)}" for s in t.schema_changes]
        out += [f"- added: `{_md(k)}`" for k in t.added[:limit]]
        out += [f"- removed: `{_md(k)}`" for k in t.removed[:limit]]
        if t.changed:
            out += ["", "| key | column | old | new |", "|---|---|---|---|"]
            out += [f"| `{_md(k)}` | {c} | {_md(_cell(a))} | {_md(_cell(b))} |" for k, c, a, b in t.changed[:limit]]
        more = _more(t, limit)
        if more:
            out += ["", f"... and {more:,} more (run `talentgap diff` for all)."]
        out.append("")
    return "\n".join(out)
