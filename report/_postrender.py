"""Post-render step of the site (project: post-render in _quarto.yml): writes the chart and provenance CSVs.

Real Quarto runs it after rendering, with QUARTO_PROJECT_OUTPUT_DIR set; the offline renderer
(talentgap.site) runs it the same way, so both sites carry the same CSV files.
"""

import sys

from talentgap.site_files import main

sys.exit(main())
