# Pathways: the commands the README names. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_STORE ?= data/demo.lbug

.PHONY: help install system demo test test-fast lint format bench clean

help:
	@echo "make demo   install, load the VVSG plan into $(DEMO_STORE), check it and draw it"
	@echo "make test   install and run the whole test suite"
	@echo "make lint   ruff check and format check"
	@echo "make bench  run the benchmarks in bench/"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s); set PYTHON=python3.11" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) system

system:
	@scripts/ensure-system-packages.sh graphviz

demo: install
	@mkdir -p out
	$(BIN)/toc --store $(DEMO_STORE) load examples/vvsg-2027-2036.yaml -m "VVSG plan (demo)"
	$(BIN)/toc --store $(DEMO_STORE) check
	$(BIN)/toc --store $(DEMO_STORE) summary
	$(BIN)/toc --store $(DEMO_STORE) gaps
	$(BIN)/toc --store $(DEMO_STORE) render --lang en -o out/vvsg-pathways-en.svg
	$(BIN)/toc --store $(DEMO_STORE) render --lang nl -o out/vvsg-pathways-nl.svg
	$(BIN)/toc --store $(DEMO_STORE) render --lang en -o out/vvsg-pathways-en.png
	$(BIN)/toc --store $(DEMO_STORE) render --lang nl -o out/vvsg-pathways-nl.pdf
	@echo
	@echo "The VVSG plan is in $(DEMO_STORE); diagrams are in out/. Try:"
	@echo "  $(BIN)/toc --store $(DEMO_STORE) show so2"
	@echo "  $(BIN)/toc --store $(DEMO_STORE) paths s1"

test: install
	$(BIN)/pytest -q

test-fast: install
	$(BIN)/pytest -q -m "not slow"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) out data/demo.lbug data/demo.lbug.wal .pytest_cache .ruff_cache
