# corridors: two commands for a fresh machine.
#   make run   - create .venv, install the pinned dependencies, run the main job
#   make test  - create .venv, install the pinned dependencies, run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out
DATA   := src/corridors/datasets/eurasia

.PHONY: run test install browser aequilibrae vendor lint typecheck check bench docs clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/corridors compare "Xi'an" Duisburg
	$(BIN)/corridors compare "Xi'an" Duisburg --format json -o $(OUT)/compare-xian-duisburg.json
	$(BIN)/corridors report compare "Xi'an" Duisburg -o $(OUT)/report-xian-duisburg.html
	$(BIN)/corridors assign $(DATA) $(DATA)/demand-2024.csv -o $(OUT)/flows-2024.csv --report $(OUT)/assign-2024.html
	@echo
	@echo "Outputs in $(OUT)/:"
	@echo "  report-xian-duisburg.html  corridors compared on a map (open it in a browser)"
	@echo "  compare-xian-duisburg.json the same comparison for other tools"
	@echo "  assign-2024.html           2024 demand at equilibrium: flows and bottlenecks on a map"
	@echo "  flows-2024.csv             link flows, times and volume/capacity"

test: install browser aequilibrae
	$(BIN)/python -m pytest -q -n auto

# The dashboard's browser tests drive Debian's chromium (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "chromium is missing: the browser tests will skip (apt-get install chromium)"; fi; }

# The GMNS export -> AequilibraE round trip (tests/network/test_gmns_write.py) needs a Python
# whose sqlite3 loads mod_spatialite: not the venv's (pyenv builds SQLite without loadable
# extensions) but Debian's python3. As root this installs Debian's python3, python3-venv and
# libsqlite3-mod-spatialite where missing, then a second venv with the pinned AequilibraE;
# elsewhere (or offline) it says why and the test skips.
SYSTEM_PYTHON ?= /usr/bin/python3
AEQ_VENV      := .venv-aequilibrae
AEQ_STAMP     := $(AEQ_VENV)/.installed-stamp
SPATIALITE_OK := import sqlite3; c = sqlite3.connect(':memory:'); c.enable_load_extension(True); c.load_extension('mod_spatialite')

aequilibrae: $(AEQ_STAMP)

$(AEQ_STAMP): requirements-aequilibrae.lock
	@$(SYSTEM_PYTHON) -c "import ensurepip; $(SPATIALITE_OK)" 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      python3 python3-venv libsqlite3-mod-spatialite; fi; }
	@if $(SYSTEM_PYTHON) -c "import ensurepip; $(SPATIALITE_OK)" 2>/dev/null; then \
	  { test -x $(AEQ_VENV)/bin/python || $(SYSTEM_PYTHON) -m venv $(AEQ_VENV); } && \
	  $(AEQ_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
	    -r requirements-aequilibrae.lock && touch $(AEQ_STAMP) || \
	  echo "AequilibraE could not be installed in $(AEQ_VENV): its round-trip test will skip"; \
	else echo "no $(SYSTEM_PYTHON) with sqlite3 extensions and mod_spatialite (apt-get install" \
	  "python3-venv libsqlite3-mod-spatialite): the AequilibraE round-trip test will skip"; fi

# Re-vendor the dashboard's JavaScript from npm at the pinned versions (needs npm; the
# result is committed, so installing and running corridors never needs Node).
vendor:
	scripts/vendor.sh

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy

check: lint typecheck test

bench: install
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/assignment.py
	$(BIN)/python benchmarks/simulation.py
	$(BIN)/python benchmarks/sweep.py
	$(BIN)/python benchmarks/flows.py

docs: install
	$(BIN)/corridors network schema > docs/data-dictionary.md

clean:
	rm -rf $(VENV) $(AEQ_VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
