# talentgap: `make report` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install data report test chromium bench clean refresh

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,bench]'
	touch $(STAMP)

## Validate the curated inputs, write data/release/, and check it.
data: install
	$(BIN)/talentgap build
	$(BIN)/talentgap verify
	$(BIN)/python -m talentgap.references

## Rebuild data/curated/refreshed/ from the publishers' files listed in data/upstream/manifest.csv
## (files in data/upstream/files/, or FILES=DIR); see data/upstream/README.md.
## Missing files are fetched first (sha256 checked; MIRROR=BASE reads a mirror instead of GitHub).
refresh: install
	$(BIN)/talentgap fetch $(if $(FILES),--files $(FILES)) $(if $(MIRROR),--from $(MIRROR))
	$(BIN)/talentgap refresh $(if $(FILES),--files $(FILES))

## Build the data, then render the site to report/_site/ (real Quarto if on PATH, else the offline renderer).
report: data
	rm -rf report/downloads && mkdir -p report/downloads && cp data/release/* report/downloads/
	@if command -v quarto >/dev/null 2>&1; then \
		echo "rendering with $$(command -v quarto)"; \
		PATH="$(CURDIR)/$(BIN):$$PATH" QUARTO_PYTHON="$(CURDIR)/$(BIN)/python" quarto render report; \
	else \
		echo "quarto not found: rendering with the offline renderer"; \
		TALENTGAP_POLARS_ONLY=1 $(BIN)/python -m talentgap.site render report --out report/_site --depends data/release/datapackage.json --depends analysis --depends schemas --depends report/_quarto.yml; \
	fi

## Debian's chromium for the browser tests (never `playwright install`).
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "could not install chromium: browser tests will be skipped"; \
	else echo "chromium absent and not root: browser tests will be skipped"; fi

## The suite on several processes (pytest-xdist); the slow tests mostly wait on browsers, kernels and
## fresh processes, so more workers than cores pay. TEST_JOBS=0 runs it in this one process.
TEST_JOBS ?= 4
test: install chromium
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist worksteal

## Benchmarks (not tests): results go in the README.
bench: install
	$(BIN)/python benchmarks/bench_build.py
	TALENTGAP_POLARS_ONLY=1 $(BIN)/python benchmarks/bench_render.py --project report --depends data/release/datapackage.json --jobs 1 --jobs 2 --repeat 5 $(foreach p,index layoffs skills exposure premium why morale jobs provenance,--first-visit $(p).html)
	$(BIN)/python benchmarks/bench_ingest.py

clean:
	rm -rf $(VENV) report/_site report/.talentgap-cache

.PHONY: fetch update release-notes

## Download the files data/upstream/manifest.csv lists that are missing (MIRROR=BASE: from a mirror).
fetch: install
	$(BIN)/talentgap fetch $(if $(FILES),--files $(FILES)) $(if $(MIRROR),--from $(MIRROR))

## Look for newer publishers' files (each new one becomes a manifest row), then refresh, build and verify.
update: install
	$(BIN)/talentgap update $(if $(FILES),--files $(FILES)) $(if $(MIRROR),--from $(MIRROR))
	$(MAKE) refresh
	$(BIN)/talentgap build
	$(BIN)/talentgap verify

## The data changes since release SINCE (a git revision), as Markdown for the CHANGELOG entry.
SINCE ?= v0.2.0
release-notes: install
	$(BIN)/talentgap diff git:$(SINCE) data/release --format markdown --summary

.PHONY: pdf

## One PDF of the whole report (a cover with the release version, then every page in the navbar's order),
## printed from report/_site/ by Debian's chromium: report/_pdf/talentgap-<version>.pdf (see README).
pdf: report chromium
	@$(BIN)/python -c "import playwright, pypdf" 2>/dev/null || $(BIN)/python -m pip install --quiet -c constraints.txt -e '.[pdf]'
	$(BIN)/talentgap pdf
