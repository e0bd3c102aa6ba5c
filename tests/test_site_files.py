"""The post-render step shared by real Quarto and the offline renderer (talentgap.site_files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from talentgap.site import render_site
from talentgap.site.errors import RenderError
from talentgap.site_files import SiteFilesError, linked_csvs, write_site_files

CONFIG = "project:\n  type: website\n  output-dir: _site\n{extra}website:\n  title: t\n"


def project(tmp_path: Path, script: str | None) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    extra = "  post-render:\n    - _post.py\n" if script is not None else ""
    (root / "_quarto.yml").write_text(CONFIG.format(extra=extra))
    (root / "index.qmd").write_text("---\ntitle: Home\n---\n\nNo code here.\n")
    if script is not None:
        (root / "_post.py").write_text(script)
    return root


def test_the_offline_renderer_runs_the_post_render_script_on_the_finished_site(tmp_path):
    script = ("import os, pathlib\nout = pathlib.Path(os.environ['QUARTO_PROJECT_OUTPUT_DIR'])\n"
              "assert (out / 'index.html').is_file()\n(out / 'marker.txt').write_text('ran')\n")
    root = project(tmp_path, script)
    out = render_site(root, log=lambda _m: None).out_dir
    assert (out / "marker.txt").read_text() == "ran" and (out / "index.html").is_file()


def test_a_failing_post_render_script_fails_the_render_and_keeps_the_old_site(tmp_path):
    root = project(tmp_path, "")
    out = render_site(root, log=lambda _m: None).out_dir
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (root / "_post.py").write_text("import sys\nprint('boom', file=sys.stderr)\nsys.exit(3)\n")
    with pytest.raises(RenderError, match="post-render script _post.py failed: boom"):
        render_site(root, log=lambda _m: None)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def _site_with_link(tmp_path: Path, href: str) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "page.html").write_text(f'<p><a class="chart-csv" href="{href}" download>Data</a> <a href="x.csv">other</a></p>')
    return site


def test_links_are_collected_from_chart_and_provenance_anchors_only(tmp_path):
    site = _site_with_link(tmp_path, "charts/a.csv")
    assert linked_csvs(site) == {"charts/a.csv": ["page.html"]}


def test_a_linked_csv_that_nothing_makes_is_an_error(tmp_path):
    site = _site_with_link(tmp_path, "charts/nobody.csv")
    with pytest.raises(SiteFilesError, match=r"charts/nobody.csv \(linked from page.html\)"):
        write_site_files(site, {"charts/a.csv": b"x\n"})
    assert not (site / "charts").exists()


def test_a_file_a_page_wrote_with_other_bytes_is_an_error_and_same_bytes_are_left(tmp_path):
    site = _site_with_link(tmp_path, "charts/a.csv")
    (site / "charts").mkdir()
    (site / "charts" / "a.csv").write_bytes(b"x\n")
    assert write_site_files(site, {"charts/a.csv": b"x\n", "provenance/f.csv": b"y\n"}) == ["provenance/f.csv"]
    with pytest.raises(SiteFilesError, match="other bytes"):
        write_site_files(site, {"charts/a.csv": b"changed\n"})
    assert (site / "charts" / "a.csv").read_bytes() == b"x\n"


def test_a_warm_post_render_reuses_the_files_and_recomputes_when_an_input_or_the_cache_changes(tmp_path, monkeypatch):
    from talentgap import site_files as sf

    calls = []
    real = sf.site_files

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(sf, "site_files", counting)
    cache = tmp_path / "cache"
    first = sf.cached_site_files(cache)
    assert calls == [1] and any(p.endswith(".png") for p in first) and any(p.startswith("provenance/") for p in first)
    assert sf.cached_site_files(cache) == first and calls == [1]  # warm: nothing computed, same bytes
    # A damaged cached file is not published: everything is computed again.
    blob = next((cache / "site-files" / "blobs").iterdir())
    blob.write_bytes(b"damaged")
    assert sf.cached_site_files(cache) == first and calls == [1, 1]
    # Another site address (an input of the cite lines' settings) is another entry.
    monkeypatch.setenv("TALENTGAP_SITE_URL", "https://example.net/")
    before = sf.inputs_fingerprint()
    monkeypatch.setenv("TALENTGAP_SITE_URL", "https://example.org/")
    assert sf.inputs_fingerprint() != before
