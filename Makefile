# seedfeed developer commands. `make run` and `make test` are all a new machine needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast bench lint build check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

## run: set up and serve the shipped seeds with the shipped config.toml on http://127.0.0.1:8000/
run: $(STAMP)
	$(BIN)/seedfeed serve --config config.toml

## test: the whole test suite (end-to-end tests start real servers on 127.0.0.1)
test: $(STAMP)
	$(BIN)/pytest -q

## test-fast: the suite without the slow end-to-end tests
test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not slow"

## bench: benchmarks; results go to bench/RESULTS.md
bench: $(STAMP)
	$(BIN)/python bench/run.py

## lint: ruff and mypy
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

## build: one scan -> publish pass over the shipped seeds
build: $(STAMP)
	$(BIN)/seedfeed build --config config.toml

## check: parse the shipped seeds and report each one
check: $(STAMP)
	$(BIN)/seedfeed check --config config.toml

clean:
	rm -rf $(VENV) .seedfeed feeds/* site/* .pytest_cache .hypothesis
	touch feeds/.gitkeep site/.gitkeep
