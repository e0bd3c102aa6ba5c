"""`make pdf`: the rendered report printed to one PDF by chromium (analysis/pdf.py, issue #18 item 5).

Prints the session's rendered report (tests/test_report.py's `site`, rendered once per run), then reads
the PDF back with pypdf."""

from __future__ import annotations

import html
import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from talentgap import pdf
from talentgap.schemas.tables import PACKAGE_VERSION, RELEASE_DATE

from .browser_utils import chromium_available
from .test_report import EMBED_RE, PAGES, site  # noqa: F401  (the session's rendered report)

pypdf = pytest.importorskip("pypdf")
needs_chromium = pytest.mark.skipif(not chromium_available(), reason=f"{pdf.CHROMIUM} not found")


def _norm(text: str) -> str:
    """Text as a reader sees it: ligatures split (NFKC), every run of white space one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


@pytest.fixture(scope="module")
def printed(site, tmp_path_factory):  # noqa: F811
    out = tmp_path_factory.mktemp("pdf") / "report.pdf"
    messages: list[str] = []
    written = pdf.build_pdf(project=site.parent, site=site, out=out, log=messages.append)
    assert written == out
    # Nothing is wider than the paper (it would be cut at its edge).
    assert not [m for m in messages if "warning" in m], messages
    return pypdf.PdfReader(out), out


def _links(reader) -> list[tuple[int, dict]]:
    return [(i, a.get_object()) for i, page in enumerate(reader.pages) for a in page.get("/Annots") or []
            if a.get_object().get("/Subtype") == "/Link"]


def _outline(reader) -> dict[str, int]:
    return {item.title: reader.get_destination_page_number(item) for item in reader.outline}


@pytest.mark.browser
@needs_chromium
def test_pdf_has_a_cover_with_the_release_then_every_page_in_navbar_order(printed, site):  # noqa: F811
    reader, out = printed
    assert len(reader.pages) >= len(PAGES) + 1
    cover = _norm(reader.pages[0].extract_text())
    assert f"Data release {PACKAGE_VERSION}, released {RELEASE_DATE}" in cover
    assert "talentgap" in cover
    starts = _outline(reader)
    nav = ["Summary", "Layoff wave", "Why", "AI premium", "Skills mismatch", "AI exposure", "Morale", "Jobs",
           "Claims check", "Data & methods", "Provenance"]
    assert list(starts) == ["Cover", *nav]
    assert list(starts.values()) == sorted(starts.values()) and len(set(starts.values())) == len(starts)
    # The cover's contents give each page's first sheet (1-based), as the outline does.
    for title, index in list(starts.items())[1:]:
        assert re.search(rf"{re.escape(title)} {index + 1}\b", cover), title
    # Each page's heading is on its first sheet.
    for name, title in (("layoffs.html", "Layoff wave"), ("provenance.html", "Provenance")):
        heading = re.search(r'<h1 class="title">(.*?)</h1>', (site / name).read_text(encoding="utf-8"), re.S).group(1)
        assert _norm(html.unescape(heading)) in _norm(reader.pages[starts[title]].extract_text())
    assert out.stat().st_mode & 0o044  # readable like any written file, not private to the writer


@pytest.mark.browser
@needs_chromium
def test_pdf_keeps_every_publisher_link_and_turns_site_links_into_links_inside_it(printed, site):  # noqa: F811
    reader, _ = printed
    links = _links(reader)
    uris = {str(a["/A"]["/URI"]) for _, a in links if "/A" in a and "/URI" in a["/A"]}
    site_external = {html.unescape(u) for name in PAGES
                     for u in re.findall(r'<a [^>]*href="(https?://[^"]+)"', (site / name).read_text(encoding="utf-8"))}
    assert site_external and site_external <= uris, sorted(site_external - uris)[:5]
    assert not [u for u in uris if not u.startswith(("http://", "https://"))], "a file:// or relative link is left"
    starts = _outline(reader)
    provenance = range(starts["Provenance"], len(reader.pages))
    summary = range(starts["Summary"], starts["Layoff wave"])
    # A provenance link on the summary page goes to the provenance part of the PDF, at its entry.
    sheet_of = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    to_provenance = [sheet_of[a["/Dest"][0].idnum] for i, a in links if i in summary and "/Dest" in a]
    assert to_provenance and any(p in provenance for p in to_provenance)
    # The entry the first summary number links to is on the sheet that link leads to.
    first = re.search(r'<a class="prov" href="provenance\.html#([a-z0-9-]+)"[^>]*>([^<]*)</a>',
                      (site / "index.html").read_text(encoding="utf-8"))
    entry = re.search(rf'<section class="prov-entry" id="{first.group(1)}"[^>]*>(.*?)</section>',
                      (site / "provenance.html").read_text(encoding="utf-8"), re.S).group(1)
    heading = _norm(html.unescape(re.sub(r"<[^>]+>", " ", re.search(r"<h\d[^>]*>(.*?)</h\d>", entry, re.S).group(1))))
    sheets = [p for p in to_provenance if p in provenance]
    assert any(heading[:40] in _norm(reader.pages[p].extract_text()) for p in sheets), heading


@pytest.mark.browser
@needs_chromium
def test_pdf_draws_every_chart(printed, site):  # noqa: F811
    """Charts print as vector drawings: each chart's title (drawn inside the chart only) is text on its
    page's sheets, once more than in the page's own text (where a citation line may repeat it)."""
    reader, _ = printed
    starts = _outline(reader)
    ends = [*list(starts.values())[1:], len(reader.pages)]
    sheets = {title: range(a, b) for (title, a), b in zip(starts.items(), ends)}
    navs = {"index.html": "Summary", "layoffs.html": "Layoff wave", "why.html": "Why", "premium.html": "AI premium",
            "skills.html": "Skills mismatch", "exposure.html": "AI exposure", "morale.html": "Morale", "jobs.html": "Jobs"}
    assert set(navs) == {name for name in PAGES if EMBED_RE.search((site / name).read_text(encoding="utf-8"))}
    drawn, missing = 0, []
    for name, nav in navs.items():
        source = (site / name).read_text(encoding="utf-8")
        in_html = _norm(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", source, flags=re.S))))
        text = _norm(" ".join(reader.pages[i].extract_text() for i in sheets[nav]))
        for _div, spec in EMBED_RE.findall(source):
            title = json.loads(spec)["title"]["text"]
            title = _norm(" ".join(title) if isinstance(title, list) else title)
            drawn += 1
            if text.count(title) <= in_html.count(title):
                missing.append(f"{name}: {title}")
    assert drawn >= 17 and not missing, missing


@needs_chromium
def test_pdf_refuses_a_site_whose_chart_is_not_drawn_and_writes_nothing(site, tmp_path, monkeypatch):  # noqa: F811
    project = tmp_path / "report"
    shutil.copytree(site.parent, project, ignore=shutil.ignore_patterns("downloads", ".talentgap-cache", "_freeze"))
    index = project / "_site" / "index.html"
    # The summary's chart asks for a mark type Vega does not know: vega.parse fails, nothing is drawn.
    text = index.read_text(encoding="utf-8")
    broken = re.sub(r'("type": )"(?:group|symbol|line|rect|rule|area)"', r'\1"no-such-mark"', text, count=1)
    assert broken != text
    index.write_text(broken, encoding="utf-8")
    monkeypatch.setattr(pdf, "CHART_TIMEOUT_MS", 1500)
    out = tmp_path / "out" / "report.pdf"
    with pytest.raises(pdf.PdfError, match=r"index\.html: chart\(s\) not drawn .*vega-"):
        pdf.build_pdf(project=project, site=project / "_site", out=out, log=lambda _m: None)
    assert not out.exists() and not (out.parent.exists() and list(out.parent.iterdir()))


def test_pdf_names_what_is_missing(tmp_path):
    project = tmp_path / "report"
    shutil.copytree(Path(pdf.paths.ROOT / "report"), project, ignore=shutil.ignore_patterns("_site", "_pdf", "downloads", ".talentgap-*"))
    with pytest.raises(pdf.PdfError, match="chromium not found at /nowhere/chromium"):
        pdf.build_pdf(project=project, out=tmp_path / "x.pdf", chromium=Path("/nowhere/chromium"))
    if chromium_available():
        with pytest.raises(pdf.PdfError, match=r"no rendered site in .*make report"):
            pdf.build_pdf(project=project, out=tmp_path / "x.pdf")
        (project / "_site").mkdir()
        (project / "_site" / "index.html").write_text("<p>only</p>", encoding="utf-8")
        with pytest.raises(pdf.PdfError, match=r"lacks layoffs\.html, .*provenance\.html: run `make report` first"):
            pdf.build_pdf(project=project, out=tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_cli_reports_the_error_and_exits_non_zero(tmp_path, capsys):
    from talentgap.cli import main

    assert main(["pdf", "--chromium", "/nowhere/chromium", "--out", str(tmp_path / "x.pdf")]) == 1
    assert "talentgap pdf: chromium not found at /nowhere/chromium" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
