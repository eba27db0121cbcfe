# Everything a fresh machine with python3 and make needs: `make run`, `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint catalog clean mutate

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

# Mutation check (not in CI): mutmut changes bot/search, bot/questions and the reminder planner,
# deadlines and state one expression at a time and runs their unit/quality tests ([tool.mutmut] in
# pyproject.toml), then prints the survivors and the kill rate per module. A fresh run each time,
# cut off after MUTATE_SECONDS (the modules not reached are counted as 'not run'). On 2 shared cores
# the whole core takes longer than that: MUTATE_ONLY='bot.reminders.*' (mutmut's mutant-name globs)
# picks modules.
MUTATE_SECONDS ?= 900
MUTATE_ONLY ?=
MUTATE_STAMP := $(VENV)/.installed-mutate

$(MUTATE_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,mutate]'
	touch $(MUTATE_STAMP)

mutate: $(MUTATE_STAMP)
	rm -rf mutants
	mkdir -p var
	-timeout $(MUTATE_SECONDS) $(BIN)/mutmut run --max-children 2 $(MUTATE_ONLY) > var/mutmut.log 2>&1
	$(BIN)/python -m tests.support.mutation_report

lint: $(STAMP)
	$(BIN)/ruff check bot cogs tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var mutants
