# Everything a fresh machine with python3 and make needs: `make run`, `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint catalog clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

catalog: $(STAMP)
	$(BIN)/python -m bot catalog build

run: catalog
	$(BIN)/python -m bot run

test: $(STAMP)
	$(BIN)/ruff check bot cogs tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check bot cogs tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var
