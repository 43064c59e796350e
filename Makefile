# The Palermo companion. `make book` and `make test` are all the set-up a fresh machine needs:
# the first run creates .venv and installs the package with its dependencies.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
JOBS   ?=

GEO    := .npm-data/node_modules/world-atlas/countries-110m.json

.PHONY: venv book pdf test bench clean serve seminar

$(STAMP): pyproject.toml
	@echo "==> creating $(VENV) and installing palermo with its dependencies"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

venv: $(STAMP)

# Map boundaries: a file from a package registry (pinned by sha256 in data/sources.yml).
$(GEO):
	@command -v npm >/dev/null 2>&1 || { echo "error: npm is needed to install the map geometry (Debian: apt-get install npm)"; exit 1; }
	@echo "==> installing the map geometry (npm package world-atlas 2.0.2) into .npm-data"
	npm install --prefix .npm-data --no-save --no-package-lock --no-audit --no-fund --loglevel=error world-atlas@2.0.2

# Run the plan's notebooks (parallel, cached) and build the book into _build/html.
book: $(STAMP) $(GEO)
	$(BIN)/palermo build $(if $(JOBS),-j $(JOBS))

# The PDF edition, _build/pdf/palermo-companion.pdf (needs TeX Live: see .ci/run for the packages).
pdf: $(STAMP) $(GEO)
	$(BIN)/palermo build --no-book --pdf $(if $(JOBS),-j $(JOBS))

# Unit tests, nbval on the executed notebooks, and the headless-browser test of the book.
test: book pdf
	$(BIN)/python -m pytest

# Timing benchmarks; not part of `make test`'s pass/fail. The build benchmark rebuilds the book
# from clean and compares it with Jupyter Book's own execution (benchmarks/build.py).
bench: $(STAMP)
	$(BIN)/python -m pytest tests/test_benchmark.py --benchmark-enable --benchmark-only --benchmark-columns=min,mean,max,rounds
	$(BIN)/python benchmarks/build.py

# A seminar pack for three groups (see the book's page "Using this book in a seminar").
GROUPS ?= 3
SEED   ?= 1
seminar: $(STAMP)
	$(BIN)/palermo seminar --groups $(GROUPS) --seed $(SEED) -o _build/seminar

# Read the built book at http://localhost:8000 (it also reads from disk: open _build/html/index.html).
serve: book
	$(BIN)/python -m http.server --directory _build/html 8000

clean:
	rm -rf $(VENV) _build _static/vega-local.js .npm-data .benchmarks *.egg-info
	find book -name '*.ipynb' -delete
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
