"""Every third-party module the package imports comes with `pip install .` (issue #17, finding 6)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, packages_distributions, requires

from packaging.requirements import Requirement

from talentgap import paths


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# Modules of an optional feature and the extra that installs what they import (`pip install .[pdf]`);
# they import it inside their functions, so `import talentgap` works without it.
OPTIONAL = {"analysis/pdf.py": "pdf"}


def imported_modules(only: str | None = None) -> set[str]:
    """Top-level names of every module imported anywhere in analysis/ and schemas/ (but the OPTIONAL
    ones), or in the one file `only`."""
    names = set()
    for folder in ("analysis", "schemas"):
        for path in (paths.ROOT / folder).rglob("*.py"):
            rel = path.relative_to(paths.ROOT).as_posix()
            if (rel != only) if only else (rel in OPTIONAL):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("talentgap", "__future__")}


def installed_with(declared: list[str]) -> set[str]:
    """Distributions `pip install .` brings: the declared ones and, recursively, what they require."""
    todo, seen = [Requirement(r) for r in declared], set()
    while todo:
        req = todo.pop()
        if _norm(req.name) in seen or (req.marker is not None and not req.marker.evaluate({"extra": ""})):
            continue
        seen.add(_norm(req.name))
        try:
            todo += [Requirement(r) for r in requires(req.name) or []]
        except PackageNotFoundError:
            pass
    return seen


def test_every_imported_module_is_installed_by_the_declared_dependencies():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    brought = installed_with(project["dependencies"])
    providers = packages_distributions()
    undeclared = sorted(m for m in imported_modules() if not {_norm(d) for d in providers.get(m, [m])} & brought)
    assert undeclared == [], f"imported but not installed by pyproject's dependencies: {undeclared}"


def test_optional_modules_imports_come_with_their_extra_and_not_at_import_time():
    extras = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    providers = packages_distributions()
    base = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for rel, extra in OPTIONAL.items():
        brought = installed_with(base + extras[extra])
        undeclared = sorted(m for m in imported_modules(rel) if not {_norm(d) for d in providers.get(m, [m])} & brought)
        assert undeclared == [], f"{rel} imports {undeclared}, not installed by the [{extra}] extra"
        # Only the standard library and the base dependencies at the top of the module.
        tree = ast.parse((paths.ROOT / rel).read_text(encoding="utf-8"))
        top = {n.module.split(".")[0] for n in tree.body if isinstance(n, ast.ImportFrom) and n.level == 0 and n.module}
        top |= {a.name.split(".")[0] for n in tree.body if isinstance(n, ast.Import) for a in n.names}
        late = {m for m in top if m not in sys.stdlib_module_names and m != "__future__"}
        assert not late, f"{rel} imports {late} when imported; the [{extra}] extra may be absent"


def test_constraints_pin_every_declared_dependency_at_the_installed_version():
    from importlib.metadata import version

    pins = dict(line.split("==") for line in (paths.ROOT / "constraints.txt").read_text().splitlines() if "==" in line)
    pins = {_norm(k): v for k, v in pins.items()}
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for req in map(Requirement, project["dependencies"]):
        name = _norm(req.name)
        assert name in pins, f"{req.name} is not pinned in constraints.txt"
        assert pins[name] == version(req.name), f"{req.name}: constraints.txt pins {pins[name]}, {version(req.name)} is installed"
