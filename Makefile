# Every tool runs as `.venv/bin/python -m TOOL`: installs and runs use this venv whatever a script's
# shebang says (a venv made while another one is active can inherit that one's interpreter).
# Two commands do everything on a fresh machine with Python 3.11, make and pip:
#   make run   set up, build the graph, validate it and serve it at http://127.0.0.1:8000
#   make test  set up and run the whole test suite (lint, type check, tests)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test setup browser build validate serve lint bench clean

run: setup
	$(BIN)/python -m graph.cli build
	$(BIN)/python -m graph.cli serve --host 127.0.0.1 --port 8000

test: setup browser lint
	$(BIN)/python -m pytest

setup: $(STAMP)
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian's Chromium for the headless-browser tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: install Debian's chromium package to run the browser tests"; fi; }

lint: setup
	$(BIN)/python -m ruff check mappings graph api tests bench
	$(BIN)/python -m mypy

build: setup
	$(BIN)/python -m graph.cli build

# Table checks, then SHACL on the ranked result; nothing is published.
validate: setup
	$(BIN)/python -m graph.cli validate

serve: setup
	$(BIN)/python -m graph.cli serve

# The build benchmarks build in directories of their own; the others measure the real graph, built
# here into var/ first (what `make run` serves).
bench: setup browser
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/build_bench.py --factor 100 --model entities
	$(BIN)/python bench/build_bench.py --factor 20 --model claims --synthetic-runs 3
	$(BIN)/python -m graph.cli build --quiet
	$(BIN)/python bench/sparql_bench.py --data-dir var
	$(BIN)/python bench/entity_bench.py --data-dir var
	$(BIN)/python bench/abuse_bench.py --data-dir var
	$(BIN)/python bench/query_page_bench.py --data-dir var

clean:
	rm -rf var $(VENV) *.egg-info
