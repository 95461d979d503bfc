# Quickstart: `make run` (set up and run the pipeline), `make test` (set up and test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test setup bench clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# The demo German catalog is half done on purpose: the gate holds it back, and
# --force then publishes it anyway (with a warning) so its English fallback shows.
run: $(STAMP)
	$(BIN)/tmkit extract
	$(BIN)/tmkit update
	$(BIN)/tmkit check
	$(BIN)/tmkit build --force
	$(BIN)/tmkit status
	$(BIN)/tmkit status --format html
	@echo "open exports/index.html (site) and exports/status.html (status)"

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/pipeline_bench.py
	$(BIN)/python benchmarks/tm_bench.py

clean:
	rm -rf $(VENV) exports/* .tmkit build *.egg-info
