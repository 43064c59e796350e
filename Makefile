# The Palermo companion. `make test` is all the set-up a fresh machine needs: the first run
# creates .venv and installs the package with its test dependencies.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: venv test bench clean

$(STAMP): pyproject.toml
	@echo "==> creating $(VENV) and installing palermo with its test dependencies"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

venv: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

# Timing benchmarks (pytest-benchmark); not part of `make test`'s pass/fail.
bench: $(STAMP)
	$(BIN)/python -m pytest tests/test_benchmark.py --benchmark-enable --benchmark-only --benchmark-columns=min,mean,max,rounds

clean:
	rm -rf $(VENV) .pytest_cache .benchmarks *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
