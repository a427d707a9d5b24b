# Pathways: the commands the README names. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_STORE ?= data/demo.lbug
DEMO_PORT ?= 8000

.PHONY: help install system test-system demo test test-fast lint format bench clean

help:
	@echo "make demo   install, load the VVSG plan and illustrative indicators into $(DEMO_STORE), check it, draw it, show status,"
	@echo "            then serve the web app on http://127.0.0.1:$(DEMO_PORT)/ with demo accounts"
	@echo "make test   install and run the whole test suite"
	@echo "make lint   ruff check, format check and the type checker (mypy)"
	@echo "make bench  run the benchmarks in bench/"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s); set PYTHON=python3.11" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) system

system:
	@scripts/ensure-system-packages.sh graphviz pango

demo: install
	@mkdir -p out
	$(BIN)/toc --store $(DEMO_STORE) load examples/vvsg-2027-2036.yaml -m "VVSG plan (demo)"
	$(BIN)/toc --store $(DEMO_STORE) check
	$(BIN)/toc --store $(DEMO_STORE) summary
	$(BIN)/toc --store $(DEMO_STORE) gaps
	$(BIN)/toc --store $(DEMO_STORE) indicators load examples/vvsg-indicators.yaml -m "illustrative indicators (demo)"
	$(BIN)/toc --store $(DEMO_STORE) indicators import examples/vvsg-measurements-illustrative.csv --approve --role me_officer --author demo
	$(BIN)/toc --store $(DEMO_STORE) indicators import examples/vvsg-measurements-2029-partners-illustrative.csv --role contributor --author partner-demo
	$(BIN)/toc --store $(DEMO_STORE) indicators return ind.so3.o1.sister-associations 2029 --author demo --note "Attach the signed agreement as evidence"
	$(BIN)/toc --store $(DEMO_STORE) evidence load examples/vvsg-evidence-illustrative.yaml --author demo
	$(BIN)/toc --store $(DEMO_STORE) status
	$(BIN)/toc --store $(DEMO_STORE) render --lang en -o out/vvsg-pathways-en.svg
	$(BIN)/toc --store $(DEMO_STORE) render --lang nl -o out/vvsg-pathways-nl.svg
	$(BIN)/toc --store $(DEMO_STORE) render --lang en -o out/vvsg-pathways-en.png
	$(BIN)/toc --store $(DEMO_STORE) render --lang nl -o out/vvsg-pathways-nl.pdf
	@echo
	@echo "The VVSG plan is in $(DEMO_STORE); diagrams are in out/. Try:"
	@echo "  $(BIN)/toc --store $(DEMO_STORE) show so2"
	@echo "  $(BIN)/toc --store $(DEMO_STORE) paths s1"
	@echo "  $(BIN)/toc --store $(DEMO_STORE) indicators show ind.so1.share-lg"
	@echo "  $(BIN)/toc --store $(DEMO_STORE) indicators iptt so1"
	@$(BIN)/python -m web.demo --store $(DEMO_STORE)
	@echo "Starting the web app. While it runs it holds $(DEMO_STORE): toc commands that write must wait."
	$(BIN)/toc --store $(DEMO_STORE) serve --host 127.0.0.1 --port $(DEMO_PORT)

# The Neo4j tests need a JDK and Maven, the browser tests Chromium: installed when possible,
# otherwise those tests are skipped with the reason shown (CI insists on them: .ci/run).
test-system:
	@scripts/ensure-system-packages.sh jdk chromium || \
	  echo "note: the Neo4j and browser tests will be skipped (see the message above)"

test: install test-system
	$(BIN)/pytest -q -n 2 --durations=30

test-fast: install
	$(BIN)/pytest -q -n 2 -m "not slow"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) out data/demo.lbug data/demo.lbug.wal .pytest_cache .ruff_cache
