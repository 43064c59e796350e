# The Palermo companion. `make book` and `make test` are all the set-up a fresh machine needs:
# the first run creates .venv and installs the locked dependencies (requirements.lock).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
JOBS   ?=

GEO    := .npm-data/node_modules/world-atlas/countries-110m.json
NBVAL  := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: venv book pdf test unit lint bench lock clean distclean serve seminar

# Exactly the versions and hashes of requirements.lock, then the package itself (no deps).
$(STAMP): requirements.lock pyproject.toml
	@echo "==> creating $(VENV) and installing the locked dependencies (requirements.lock)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

venv: $(STAMP)

# Map boundaries: a file from a package registry (pinned by sha256 in data/sources.yml).
$(GEO):
	@command -v npm >/dev/null 2>&1 || { echo "error: npm is needed to install the map geometry (Debian: apt-get install npm)"; exit 1; }
	@echo "==> installing the map geometry (npm package world-atlas 2.0.2) into .npm-data"
	npm install --prefix .npm-data --no-save --no-package-lock --no-audit --no-fund --loglevel=error world-atlas@2.0.2

# Run the plan's notebooks (parallel, cached), write _toc.yml and build the book into _build/html.
book: $(STAMP) $(GEO)
	$(BIN)/palermo build $(if $(JOBS),-j $(JOBS))

# The PDF edition, _build/pdf/palermo-companion.pdf (needs TeX Live: see .ci/run for the packages).
pdf: $(STAMP) $(GEO)
	$(BIN)/palermo build --no-book --pdf $(if $(JOBS),-j $(JOBS))

# Everything: lint, the library and CLI, nbval on the executed notebooks, the headless browser, the PDF.
test: book pdf lint
	$(BIN)/python -m pytest $(NBVAL)

# The fast loop: tests marked `unit` (no built book, Chromium or TeX needed).
unit: $(STAMP) $(GEO)
	$(BIN)/python -m pytest -m unit tests

lint: $(STAMP)
	$(BIN)/ruff check palermo tests benchmarks
	$(BIN)/ruff format --check palermo tests benchmarks

# Timing benchmarks; not part of `make test`'s pass/fail. The build benchmark compares
# `palermo build` with Jupyter Book's own builds of the same notebooks (benchmarks/build.py).
bench: $(STAMP) $(GEO)
	$(BIN)/python -m pytest tests/test_benchmark.py -m benchmark --benchmark-enable --benchmark-only --benchmark-columns=min,mean,max,rounds
	$(BIN)/python benchmarks/build.py

# Refresh requirements.lock from pyproject.toml's ranges (newest versions that fit; needs the
# package registry), in a throw-away venv so .venv is left as it is. Then `make test`.
lock:
	$(PYTHON) -m venv _build/lock-venv
	_build/lock-venv/bin/python -m pip install --quiet pip-tools
	_build/lock-venv/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --extra test \
	  --strip-extras --no-emit-find-links --no-emit-index-url -o requirements.lock pyproject.toml

# A seminar pack for three groups (see the book's page "Using this book in a seminar").
GROUPS ?= 3
SEED   ?= 1
seminar: $(STAMP) $(GEO)
	$(BIN)/palermo seminar --groups $(GROUPS) --seed $(SEED) -o _build/seminar

# Read the built book at http://localhost:8000 (it also reads from disk: open _build/html/index.html).
serve: book
	$(BIN)/python -m http.server --directory _build/html 8000

# Build outputs go; the environment (.venv) stays. `make distclean` removes it too.
clean:
	rm -rf _build _static/vega-local.js .benchmarks *.egg-info
	find book -name '*.ipynb' -delete
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) .npm-data
