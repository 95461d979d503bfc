# Quickstart: `make run` (set up and run the pipeline), `make test` (set up and test).
# Installs are pinned: requirements.lock holds the exact versions every machine gets;
# pyproject.toml holds the lower bounds. `make lock` refreshes the lock (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: run test setup bench clean lock test-latest

$(STAMP): pyproject.toml setup.py requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet 'pip==26.3'
	$(PIP) install --quiet -c requirements.lock -e '.[test]'
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
	$(BIN)/tmkit review --lang es
	@echo "open exports/index.html (site; search needs HTTP: python3 -m http.server -d exports), exports/status.html (status), exports/review/es/ (review page), exports/<lang>/*.pdf (handouts)"

# System tools the tests use (gettext, Chromium + fonts, PostgreSQL): installed when missing
# and possible (root with apt-get), else the tests that need them skip and say why.
test: $(STAMP)
	@bash dev/system-packages.sh
	$(BIN)/python -m pytest

# The benchmarks of README's Performance table, each beside its anchor tool in the same run
# (po4a, msgmerge --compendium: installed from Debian packages when missing; pocount
# from translate-toolkit in the venv).
bench: $(STAMP)
	@bash dev/system-packages.sh --bench
	$(BIN)/python benchmarks/pipeline_bench.py
	$(BIN)/python benchmarks/daily_bench.py --articles 1000 4000
	$(BIN)/python benchmarks/tm_bench.py --size 300000 --skip-tt
	$(BIN)/python benchmarks/memory_bench.py --articles 4000

# Newest versions that pyproject.toml allows, written to requirements.lock.
# Run `make test` afterwards and commit the lock with the upgrade.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check 'pip==26.3'
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check --upgrade -e '.[test]'
	( grep '^#' requirements.lock; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^#' | sort -f ) > requirements.lock.tmp
	mv requirements.lock.tmp requirements.lock
	rm -rf .venv-lock
	@echo "requirements.lock refreshed; run 'make test' and commit it"

# The suite against the newest releases of everything (not in CI): an upgrade is a decision.
test-latest:
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	.venv-latest/bin/python -m pip install --quiet --disable-pip-version-check --upgrade -e '.[test]'
	.venv-latest/bin/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^#'
	.venv-latest/bin/python -m pytest

clean:
	rm -rf $(VENV) .venv-lock .venv-latest exports/* .tmkit build *.egg-info
