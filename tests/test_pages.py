"""One module per report page (issue 18, item 4): each page imports its own module of analysis/pages, which
registers the page's provenance group and holds its charts."""

from __future__ import annotations

import ast
import importlib
import re

import pytest

from talentgap import paths, provenance as prov, site_files

REPORT = paths.ROOT / "report"
PAGES_DIR = paths.ROOT / "analysis" / "pages"
# NOTE: the summary is report/index.qmd; every other page module is named after its .qmd.
MODULE_OF = {"index": "summary"}
CELL_RE = re.compile(r"^```\{python\}\n(.*?)^```", re.S | re.M)
INLINE_RE = re.compile(r"`\{python\} ([^`]+)`")


def page_modules() -> list[str]:
    return sorted(p.stem for p in PAGES_DIR.glob("*.py") if p.stem != "__init__")


def qmds() -> list:
    return sorted(REPORT.glob("*.qmd"))


def imported_pages(source: str) -> set[str]:
    """The talentgap.pages modules a page's code cells import, however the import is written."""
    found = set()
    for cell in CELL_RE.findall(source):
        for node in ast.walk(ast.parse(cell)):
            if isinstance(node, ast.ImportFrom) and node.module == "talentgap.pages":
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("talentgap.pages."):
                found.add(node.module.split(".")[2])
            elif isinstance(node, ast.Import):
                found |= {a.name.split(".")[2] for a in node.names if a.name.startswith("talentgap.pages.")}
    return found


def groups_used(source: str) -> set[str]:
    return set(re.findall(r"""prov\.figures\(["'](\w+)["']\)""", source))


def test_the_checks_read_imports_and_groups_as_written():
    """The parsing below must be able to fail: a second page module, or none, is seen."""
    text = '```{python}\nfrom talentgap.pages import layoffs as page\nimport talentgap.pages.why\nF = prov.figures("layoffs")\n```\n'
    assert imported_pages(text) == {"layoffs", "why"}
    assert imported_pages("```{python}\nfrom talentgap import figures as f\n```\n") == set()
    assert groups_used(text) == {"layoffs"}


@pytest.mark.parametrize("qmd", [p for p in qmds() if p.stem != "provenance"], ids=lambda p: p.name)
def test_each_page_imports_exactly_its_own_page_module(qmd):
    text = qmd.read_text(encoding="utf-8")
    assert imported_pages(text) == {MODULE_OF.get(qmd.stem, qmd.stem)}, qmd.name
    # Inline expressions and cells name the module as `page`, never a module the page no longer needs.
    assert "talentgap import figures" not in text and "report_figures" not in text and "exposure_report" not in text


def test_the_provenance_page_imports_no_page_module():
    assert imported_pages((REPORT / "provenance.qmd").read_text(encoding="utf-8")) == set()


def test_every_page_module_belongs_to_one_page():
    pages = {MODULE_OF.get(q.stem, q.stem) for q in qmds() if q.stem != "provenance"}
    assert set(page_modules()) == pages


def test_every_page_module_registers_the_groups_its_page_prints():
    prov._import_groups()
    assert sorted(prov.GROUP_MODULES) == sorted(f"talentgap.pages.{m}" for m in page_modules() if m != "data")
    for qmd in qmds():
        module = f"talentgap.pages.{MODULE_OF.get(qmd.stem, qmd.stem)}"
        for name in groups_used(qmd.read_text(encoding="utf-8")):
            assert prov._GROUPS[name].__module__ == module, (qmd.name, name)
    # Every group is registered by a page module, and the provenance page lists them in GROUP_MODULES order.
    assert {fn.__module__ for fn in prov._GROUPS.values()} <= set(prov.GROUP_MODULES)
    order = [prov.GROUP_MODULES.index(prov._GROUPS[name].__module__) for name in prov._group_order()]
    assert order == sorted(order)


def test_every_chart_is_built_once_from_its_page_module():
    defined = []
    for name in page_modules():
        module = importlib.import_module(f"talentgap.pages.{name}")
        defined += [fn for key, fn in vars(module).items()
                    if key.endswith("_chart") and callable(fn) and fn.__module__ == module.__name__]
    builders = site_files.chart_builders()
    assert len(builders) == len(set(builders)), "a chart function is listed by two modules"
    assert set(builders) == set(defined)
