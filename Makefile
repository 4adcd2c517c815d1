# Two commands on a fresh machine: `make run` (the bot) and `make test` (the whole suite).
# Both install pinned versions from the lock files: requirements.lock (what the bot needs to run, SQLite and
# PostgreSQL) and requirements-dev.lock (the same plus the test and lint tools). `make lock` regenerates them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev

# Tools that write the lock files live in their own environment, so the locks never depend on the bot's.
LOCK_VENV ?= .venv-lock
LOCK_TOOLS := pip==26.3 pip-tools==7.6.2
PIP_COMPILE = $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links

# pip check fails when pyproject.toml asks for a package the lock files lack.
LOCK_MISMATCH = "pyproject.toml and the lock files disagree: run 'make lock' and commit requirements*.lock"

.PHONY: run test chat lint bench lock lock-upgrade clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; echo $(LOCK_MISMATCH); exit 1; }
	touch $(RUNTIME_STAMP)

$(DEV_STAMP): pyproject.toml requirements.lock requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; echo $(LOCK_MISMATCH); exit 1; }
	touch $(RUNTIME_STAMP) $(DEV_STAMP)

run: $(RUNTIME_STAMP)
	$(BIN)/securebase run

chat: $(RUNTIME_STAMP)
	$(BIN)/securebase chat

test: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

bench: $(DEV_STAMP)
	$(BIN)/python bench/answers.py
	$(BIN)/python bench/dispatch.py
	$(BIN)/python bench/safety.py

$(LOCK_VENV)/bin/pip-compile:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet $(LOCK_TOOLS)

# After changing dependencies in pyproject.toml: keeps every existing pin, adds what is new.
lock: $(LOCK_VENV)/bin/pip-compile
	$(PIP_COMPILE) $(UPGRADE) --extra postgres --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) $(UPGRADE) --extra postgres --extra dev --constraint requirements.lock \
		--output-file requirements-dev.lock pyproject.toml

# Moves every pin to the newest release pyproject.toml allows (then run `make test`).
lock-upgrade:
	$(MAKE) lock UPGRADE=--upgrade

clean:
	rm -rf $(VENV) $(LOCK_VENV) .mypy_cache .pytest_cache .ruff_cache
