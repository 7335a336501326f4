# Two entry points: `make build` runs the pipeline, `make test` runs every check.
# Both create the virtual environment in .venv on first use.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := false
export DBT_PROFILES_DIR := $(CURDIR)

.PHONY: build test lint gate docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/dbt build

lint: $(STAMP)
	$(BIN)/sqlfluff lint models macros tests analyses --processes 2
	$(BIN)/ruff check src pytests

test: lint
	$(BIN)/pytest

gate: $(STAMP)
	$(BIN)/wbl gate

docs: $(STAMP)
	$(BIN)/dbt docs generate --static

clean:
	rm -rf target dbt_packages logs data/*.duckdb
