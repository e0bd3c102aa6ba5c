"""The logic of report pages, one module per page (numbers via provenance groups, charts, tables)."""

# The page modules whose provenance groups and charts the site carries, in the provenance page's order of groups
# (provenance.all_figures and site_files.chart_builders read them; the data page has neither).
MODULES = tuple(f"talentgap.pages.{page}" for page in
                ("summary", "layoffs", "skills", "premium", "why", "morale", "claims", "exposure", "jobs"))
