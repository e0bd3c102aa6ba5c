"""Offline renderer for the Quarto report (used when `quarto` is not on PATH).

Renders a Quarto website project (``_quarto.yml`` + ``.qmd`` pages) to a static site
that opens from ``file://`` with nothing fetched from outside it::

    from talentgap.site import render_site
    result = render_site("report", "report/_site", depends=["data/release"])

or ``python -m talentgap.site render report --out report/_site --depends data/release``.
"""

from .errors import RenderError
from .render import PageReport, RenderResult, render_site
from .version import __version__

__all__ = ["PageReport", "RenderError", "RenderResult", "__version__", "render_site"]
