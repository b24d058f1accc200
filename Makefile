# Two commands on a fresh clone: `make demo` and `make test` (each creates .venv on first use).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: demo test install lint clean

# A new venv's pip cannot resolve trafilatura's lxml[html-clean] extra: upgrade it first.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,spark,train]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/dateline demo

test: $(STAMP)
	$(BIN)/python -m pytest -q -rs $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests

clean:
	rm -rf $(VENV) dateline.duckdb dateline.duckdb.wal
