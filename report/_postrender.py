"""Post-render step of the site (project: post-render in _quarto.yml): writes the chart and provenance CSVs.

Real Quarto runs it after rendering, with QUARTO_PROJECT_OUTPUT_DIR set; the offline renderer
(talentgap.site) runs it the same way, so both sites carry the same CSV files.
"""

import os
import sys
from pathlib import Path

from talentgap.site_files import main

# NOTE: a relative output folder is relative to this project, wherever the script is started from.
os.environ.setdefault("QUARTO_PROJECT_DIR", str(Path(__file__).resolve().parent))
sys.exit(main())
