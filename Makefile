# seedfeed developer commands. `make run` and `make test` are all a new machine needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test test-fast system-packages bench lint build check clean

# One stamp per extra: `make run` installs the runtime only, `make test` adds the test
# tools, `make lint` the linters.
$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test: $(VENV)/.runtime
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

## run: set up and serve the shipped seeds with the shipped config.toml on http://127.0.0.1:8000/
run: $(VENV)/.runtime
	$(BIN)/seedfeed serve --config config.toml

## system-packages: the Debian packages the tests drive (nginx, newsboat), installed if missing
system-packages:
	@scripts/system-packages

## test: the whole test suite (end-to-end tests start real servers on 127.0.0.1)
test: $(VENV)/.test system-packages
	$(BIN)/pytest -q

## test-fast: the suite without the slow end-to-end tests
test-fast: $(VENV)/.test
	$(BIN)/pytest -q -m "not slow"

## bench: benchmarks; results go to bench/RESULTS.md, bench/serve/ and bench/fresh/RESULTS.md
bench: $(VENV)/.test
	@scripts/system-packages bench
	$(BIN)/python bench/run.py
	$(BIN)/python bench/serve.py
	$(BIN)/python bench/fresh.py --seeds 10000 --drops 50
	$(BIN)/python bench/fresh.py --seeds 100000 --drops 10
	@# HTML pages per second on the real development set (pages kept outside the repository)
	@if [ -n "$$SEEDFEED_DEVSET" ]; then $(BIN)/python bench/extract/score.py "$$SEEDFEED_DEVSET"; fi

## lint: ruff and mypy
lint: $(VENV)/.dev
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

## build: one scan -> publish pass over the shipped seeds
build: $(VENV)/.runtime
	$(BIN)/seedfeed build --config config.toml

## check: parse the shipped seeds and report each one
check: $(VENV)/.runtime
	$(BIN)/seedfeed check --config config.toml

clean:
	rm -rf $(VENV) .seedfeed feeds/* site/* .pytest_cache .hypothesis
	touch feeds/.gitkeep site/.gitkeep
