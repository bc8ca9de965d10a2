# Gendan: the two commands a new machine needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/gendan run

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: install lint
	$(BIN)/pytest

# Load (or reuse) the large demo, serve it as `gendan run` does and measure it over HTTP;
# BENCH_ARGS="--size medium --reuse" and DATABASE_URL=postgres://... choose the set and the database;
# BENCH_ARGS="--soak 10 --reuse" keeps a mix of reads and writes going for 10 minutes instead.
bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Collect the translatable strings into the Chinese catalogue, then compile it.
messages: install
	cd gendan && ../$(BIN)/python -m django makemessages -l zh_Hans --no-obsolete --no-location --settings=gendan.settings
	cd gendan && ../$(BIN)/python -m django compilemessages --settings=gendan.settings

clean:
	rm -rf $(VENV) var
