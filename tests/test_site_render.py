"""The offline Quarto renderer (talentgap.site) on the tiny fixture website in fixtures/site_example."""

from __future__ import annotations

import html
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from talentgap.site import RenderError, render_site
from talentgap.site.cache import cache_key, depends_digest
from talentgap.site.qmd import Cell, Markdown, parse_qmd

FIXTURE = Path(__file__).parent / "fixtures" / "site_example"
PAGES = {"index.html", "analysis.html", "notes/methods.html"}
BUNDLE = "site_libs/vega/vega-bundle.js"
CHARTS_JS = "site_libs/talentgap/charts.js"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The fixture project rendered once (executing every page); returns (project, out, result, files)."""
    project = tmp_path_factory.mktemp("render") / "site_example"
    shutil.copytree(FIXTURE, project)
    out = project / "_site"
    result = render_site(project, out, depends=[project / "data.csv"], log=lambda _m: None)
    return project, out, result, snapshot(out)


def page(site, name: str) -> str:
    return site[3][name].decode("utf-8")


def test_first_render_executes_every_page(site):
    _, out, result, files = site
    assert sorted(result.executed) == ["analysis.qmd", "index.qmd", "notes/methods.qmd"]
    assert result.reused == []
    assert PAGES <= set(files)
    assert "executed 3" in result.summary()


def test_navbar_links_every_page(site):
    for name in PAGES:
        nav = re.search(r'<nav class="navbar".*?</nav>', page(site, name), re.S).group(0)
        hrefs = re.findall(r'href="([^"]+)"', nav)
        targets = {posixpath.normpath(posixpath.join(posixpath.dirname(name), h)) for h in hrefs}
        assert PAGES <= targets, (name, hrefs)
    methods_nav = re.search(r'<nav class="navbar".*?</nav>', page(site, "notes/methods.html"), re.S).group(0)
    assert 'href="../index.html"' in methods_nav
    assert 'aria-current="page">Methods<' in methods_nav  # text defaults to the page title


def test_inline_expressions_are_evaluated_and_escaped(site):
    index = page(site, "index.html")
    assert "The sample has 6 rows" in index
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(" in index
    assert "<b>bold</b>" not in index and "<script>alert('x')" not in index
    assert "<code>`{python} n_rows`</code>" in index  # a double-backtick span stays literal code
    assert "Only 3 years are covered." in index  # inline expression inside a callout
    assert "Latest year: 2024." in page(site, "analysis.html")
    assert "counts 6 rows" in page(site, "notes/methods.html")


def test_figure_and_table_numbering_and_crossrefs(site):
    analysis = page(site, "analysis.html")
    assert re.search(r'<div id="fig-trend"[^>]*>.*?<figcaption[^>]*>\s*Figure 1: Job postings per year by role',
                     analysis, re.S)
    assert re.search(r'<div id="fig-mix"[^>]*>.*?<figcaption[^>]*>\s*Figure 2: Total postings by role', analysis, re.S)
    assert '<a href="#fig-trend" class="tg-xref">Figure 1</a>' in analysis
    assert '<a href="#fig-mix" class="tg-xref">Figure 2</a>' in analysis
    assert "@fig" not in analysis
    index = page(site, "index.html")
    assert re.search(r'<div id="tbl-totals"[^>]*>\s*<figure[^>]*>\s*<figcaption[^>]*>\s*Table 1: Postings per role',
                     index)
    assert '<a href="#tbl-totals" class="tg-xref">Table 1</a>' in index
    methods = page(site, "notes/methods.html")  # numbering restarts per page
    assert '<a href="#fig-sample" class="tg-xref">Figure 1</a>' in methods and "Figure 1: Rows per year" in methods


def test_callouts(site):
    index = page(site, "index.html")
    note = re.search(r'<div class="callout callout-note">\s*<div class="callout-header">\s*(.*?)\s*</div>', index, re.S)
    assert note and note.group(1) == "Reading the numbers"
    assert not re.search(r"<h2[^>]*>Reading the numbers", index)  # the heading became the title
    assert re.search(r'callout-warning">\s*<div class="callout-header">\s*Small sample', index)
    assert re.search(r'callout-tip">\s*<div class="callout-header">\s*Tip\s*</div>', index)
    assert '<a href="analysis.html">analysis</a>' in index  # .qmd links point at the rendered page


def test_citations_and_references(site):
    index = page(site, "index.html")
    assert re.search(r'data-cites="smith2020">\(<a href="#ref-smith2020"[^>]*>Smith and Rivera 2020</a>\)', index)
    refs = index[index.index('id="references"'):]
    assert "References</h2>" in refs and 'id="ref-smith2020"' in refs
    assert "Measuring the Skills Gap in Software Hiring" in refs
    analysis = page(site, "analysis.html")
    assert 'id="ref-oecd2023"' in analysis and 'id="ref-smith2020"' not in analysis


def test_one_local_vega_bundle_referenced_by_relative_path(site):
    files = site[3]
    assert sorted(p for p in files if p.endswith(".js")) == [CHARTS_JS, BUNDLE]
    assert re.search(rb"window\.vega=(?!null)\w", files[BUNDLE]) and b"window.tgEmbed" in files[CHARTS_JS]
    # Vega alone: neither vega-embed nor Vega-Lite's compiler is shipped to the reader.
    assert b"vegaEmbed" not in files[BUNDLE] and b"window.vegaLite" not in files[BUNDLE]
    for name in PAGES:
        text = page(site, name)
        charts = text.count('class="vega-chart"')
        srcs = re.findall(r'<script src="([^"]+)"', text)
        resolved = [posixpath.normpath(posixpath.join(posixpath.dirname(name), s)) for s in srcs]
        if charts:
            assert resolved == [BUNDLE, CHARTS_JS], (name, srcs)
            assert not any(s.startswith("/") for s in srcs)
            assert text.count("<script>tgEmbed(") == charts
        else:
            assert srcs == [], name
    assert page(site, "analysis.html").count('class="vega-chart"') == 2
    assert '<script src="../site_libs/vega/vega-bundle.js">' in page(site, "notes/methods.html")
    assert '<script src="../site_libs/talentgap/charts.js">' in page(site, "notes/methods.html")


def test_nothing_is_loaded_from_outside_the_site(site):
    for name in PAGES:
        text = page(site, name)
        tags = re.findall(r"<(?:script|link|img|iframe|source|embed)\b[^>]*>", text)
        assert tags
        for tag in tags:
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), (name, tag)
        for ref in re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"', text):
            assert (site[1] / posixpath.dirname(name) / ref).resolve().is_file(), (name, ref)


def test_cell_output_text_is_escaped(site):
    index = page(site, "index.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert "&lt;img src=x onerror=alert(2)&gt;" in index
    assert "<script>alert(1)" not in index and "<img src=x" not in index
    assert "<script" not in index  # the page has no chart, so no script at all


def test_cell_options(site):
    index, analysis = page(site, "index.html"), page(site, "analysis.html")
    assert "read_csv" not in index  # project-level echo: false
    assert "this output is not shown" not in index and "hidden_value" not in index  # include: false
    assert "<strong>Generated</strong> markdown from a cell." in index  # output: asis
    assert "mark_line" in analysis  # page-level echo: true
    assert "mark_bar" not in analysis and "import altair" not in analysis  # cell-level echo: false


def test_second_render_reuses_cache_and_is_byte_identical(site):
    project, out, _, files = site
    result = render_site(project, out, depends=[project / "data.csv"], log=lambda _m: None)
    assert result.executed == []
    assert sorted(result.reused) == ["analysis.qmd", "index.qmd", "notes/methods.qmd"]
    assert "executed 0" in result.summary()
    assert snapshot(out) == files


def test_changed_dependency_reexecutes(site, tmp_path):
    project = tmp_path / "copy"
    shutil.copytree(site[0], project)  # the cache travels with the project
    out = project / "_site"
    first = render_site(project, out, depends=[project / "data.csv"], log=lambda _m: None)
    assert first.executed == [] and len(first.reused) == 3
    with open(project / "data.csv", "a", encoding="utf-8") as fh:
        fh.write("2025,ml engineer,230\n")
    second = render_site(project, out, depends=[project / "data.csv"], log=lambda _m: None)
    assert sorted(second.executed) == ["analysis.qmd", "index.qmd", "notes/methods.qmd"]
    assert "The sample has 7 rows" in (out / "index.html").read_text(encoding="utf-8")
    edited = (project / "analysis.qmd").read_text(encoding="utf-8") + "\nOne more sentence.\n"
    (project / "analysis.qmd").write_text(edited, encoding="utf-8")
    third = render_site(project, out, depends=[project / "data.csv"], log=lambda _m: None)
    assert third.executed == ["analysis.qmd"]


def test_failing_cell_fails_cli_and_keeps_old_site(site, tmp_path):
    project = tmp_path / "copy"
    shutil.copytree(site[0], project)
    out = project / "_site"
    before = snapshot(out)
    (project / "broken.qmd").write_text(
        "---\ntitle: Broken\n---\n\nSome text.\n\n```{python}\n#| label: load-release\nrows = 3\n"
        "raise ValueError('release file is corrupt')\n```\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "talentgap.site", "render", str(project), "--out", str(out),
                           "--depends", str(project / "data.csv")], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "broken.qmd:7" in proc.stderr
    assert "cell 'load-release'" in proc.stderr
    assert "ValueError: release file is corrupt" in proc.stderr
    assert snapshot(out) == before
    assert not [p.name for p in project.iterdir() if p.name.startswith("._site.")]  # temp folders cleaned up


def test_inline_expressions_follow_document_order(tmp_path):
    project = tmp_path / "order"
    project.mkdir()
    (project / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Order\n", encoding="utf-8")
    (project / "index.qmd").write_text(
        "---\ntitle: Order\n---\n\n```{python}\nx = 1\n```\n\nA: `{python} x`\n\n```{python}\nx = 2\n```\n\n"
        "B: `{python} x`\n\n```{python}\n#| error: true\nraise KeyError('shown, not fatal')\n```\n", encoding="utf-8")
    result = render_site(project, log=lambda _m: None)
    text = (result.out_dir / "index.html").read_text(encoding="utf-8")
    assert "A: 1" in text and "B: 2" in text
    assert "KeyError" in text and "cell-output-error" in text
    (project / "index.qmd").write_text("Early: `{python} y`\n\n```{python}\ny = 1\n```\n", encoding="utf-8")
    with pytest.raises(RenderError) as err:
        render_site(project, log=lambda _m: None)
    assert err.value.page == "index.qmd" and err.value.line == 1
    assert "inline expression `{python} y` raised NameError" in str(err.value)
    assert "A: 1" in (result.out_dir / "index.html").read_text(encoding="utf-8")  # old site kept


def test_parser_splits_cells_options_and_inline_code():
    doc = parse_qmd(
        "---\ntitle: T\nexecute:\n  echo: false\n---\n\nText `{python} a + 1` and `` `{python} no` ``.\n\n"
        "````markdown\n```{python}\nnot_a_cell()\n```\n`{python} not_inline`\n````\n\n"
        "```{python}\n#| label: fig-x\n#| fig-cap: \"A: caption\"\n#| echo: true\nplot()\n```\n")
    assert doc.meta == {"title": "T", "execute": {"echo": False}}
    kinds = [type(c) for c in doc.chunks]
    assert kinds == [Markdown, Cell]
    assert [i.expr for i in doc.chunks[0].inlines] == ["a + 1"]
    assert doc.chunks[0].inlines[0].line == 7
    cell = doc.chunks[1]
    assert cell.options == {"label": "fig-x", "fig-cap": "A: caption", "echo": True}
    assert cell.code == "plot()" and cell.line == 16


def test_cache_key_covers_source_version_options_and_depends(tmp_path):
    dep = tmp_path / "release.csv"
    dep.write_text("a\n1\n", encoding="utf-8")
    deps = depends_digest([dep], tmp_path)
    base = dict(version="1", page="p.qmd", source=b"x", options={"echo": True}, depends=deps)
    key = cache_key(**base)
    assert key == cache_key(**base)
    assert key != cache_key(**{**base, "version": "2"})
    assert key != cache_key(**{**base, "source": b"y"})
    assert key != cache_key(**{**base, "options": {"echo": False}})
    dep.write_text("a\n2\n", encoding="utf-8")
    assert key != cache_key(**{**base, "depends": depends_digest([dep], tmp_path)})
    with pytest.raises(RenderError, match="dependency not found"):
        depends_digest([tmp_path / "missing.csv"], tmp_path)


def test_unescaped_markup_helpers():
    from talentgap.site.outputs import script_json
    from talentgap.site.page import inline_markup

    assert "</script>" not in script_json({"title": "</script><script>alert(1)</script>"})
    assert inline_markup("<a>`x`&") == "`" + html.escape("<a>") + "&#96;x&#96;&amp;`{=html}"


def _tiny_project(tmp_path: Path, body: str) -> Path:
    project = tmp_path / "proj"
    project.mkdir(parents=True)
    (project / "_quarto.yml").write_text("project:\n  type: website\n  output-dir: _site\nwebsite:\n  title: t\n", encoding="utf-8")
    (project / "index.qmd").write_text(body, encoding="utf-8")
    return project


def test_markdown_inline_values_are_markup_and_others_text(tmp_path):
    body = ('---\ntitle: x\n---\n\n```{python}\nfrom IPython.display import Markdown\n```\n\n'
            'A `{python} Markdown(\'<a class="prov" href="p.html#a">1,234</a>\')` and `{python} "<b>raw</b>"`.\n')
    out = render_site(_tiny_project(tmp_path, body), log=lambda _m: None).out_dir
    text = (out / "index.html").read_text(encoding="utf-8")
    assert '<a class="prov" href="p.html#a">1,234</a>' in text
    assert "&lt;b&gt;raw&lt;/b&gt;" in text and "<b>raw</b>" not in text


def test_outputs_write_files_beside_the_page_and_never_outside(tmp_path):
    bundle = ('{"text/html": "<p>x</p>", "application/x-talentgap-files+json": {"files": [{"path": "%s", "text": "a,b\\n1,2\\n"}]}}')
    ok = f"```{{python}}\nfrom IPython.display import display\ndisplay({bundle % 'charts/x.csv'}, raw=True)\n```\n"
    out = render_site(_tiny_project(tmp_path / "ok", ok), log=lambda _m: None).out_dir
    assert (out / "charts" / "x.csv").read_text(encoding="utf-8") == "a,b\n1,2\n"
    for bad in ("../evil.csv", "/etc/x.csv", "charts/../../x.csv"):
        project = _tiny_project(tmp_path / bad.replace("/", "_").replace(".", "d"), f"```{{python}}\nfrom IPython.display import display\ndisplay({bundle % bad}, raw=True)\n```\n")
        with pytest.raises(RenderError, match="output file refused"):
            render_site(project, log=lambda _m: None)
        assert not (project / "_site").exists()


def test_conversion_key_covers_markdown_meta_and_bibliography(tmp_path):
    from talentgap.site.markdown import conversion_key

    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{a, title={A}}\n", encoding="utf-8")
    base = conversion_key("text", {"lang": "en"}, [bib])
    assert conversion_key("text", {"lang": "en", "title": "ignored"}, [bib]) == base
    assert conversion_key("text!", {"lang": "en"}, [bib]) != base
    assert conversion_key("text", {"lang": "fr"}, [bib]) != base
    bib.write_text("@misc{a, title={B}}\n", encoding="utf-8")
    assert conversion_key("text", {"lang": "en"}, [bib]) != base


def test_a_reused_kernel_shares_no_variables_and_runs_each_page_in_its_folder(tmp_path):
    """Pages run one after another in a worker's kernel: variables never carry over, the folder does not either."""
    project = tmp_path / "proj"
    (project / "sub").mkdir(parents=True)
    (project / "_quarto.yml").write_text("project:\n  type: website\n  output-dir: _site\nwebsite:\n  title: T\n")
    (project / "sub" / "here.txt").write_text("inside sub")
    (project / "a.qmd").write_text('---\ntitle: A\n---\n\n```{python}\nsecret = 41\nimport os\n```\n\nA `{python} os.path.basename(os.getcwd())`\n')
    (project / "sub" / "b.qmd").write_text("---\ntitle: B\n---\n\nB `{python} open('here.txt').read()` `{python} 'secret' in globals()`\n")
    result = render_site(project, tmp_path / "out", jobs=1, use_cache=False, log=lambda _m: None)
    assert sorted(result.executed) == ["a.qmd", "sub/b.qmd"]
    assert "A proj" in (tmp_path / "out" / "a.html").read_text()
    assert "B inside sub False" in (tmp_path / "out" / "sub" / "b.html").read_text()
    # A page that needs another page's variable fails, naming itself, as it would in a fresh kernel.
    (project / "sub" / "b.qmd").write_text("---\ntitle: B\n---\n\nB `{python} secret + 1`\n")
    with pytest.raises(RenderError, match="NameError") as err:
        render_site(project, tmp_path / "out2", jobs=1, use_cache=False, log=lambda _m: None)
    assert err.value.page == "sub/b.qmd"
