# The two commands: `make run` (serve the archive) and `make test` (run the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Rebuilt only when requirements.txt changes, so a second `make run` installs nothing.
INSTALLED := $(VENV)/.installed-requirements
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_CORPUS := demo/corpus

.PHONY: run test install js-deps lint format superuser clean bench services engine-up engine-down

$(INSTALLED): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (found " + sys.version.split()[0] + ")")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

install: $(INSTALLED)

# axe-core for the accessibility checks in the browser tests; only where npm exists (those
# tests skip with a reason elsewhere, and CI installs it).
JS_INSTALLED := node_modules/.package-lock.json
$(JS_INSTALLED): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm not found: the accessibility checks will be skipped"; \
	fi

js-deps: $(JS_INSTALLED)

run: install
	@mkdir -p data
	$(MANAGE) migrate --noinput
	@# Before the import: creates the empty index of a fresh archive (sync_index creates a missing
	@# index only while no article is published; a lost one needs `sync_index --rebuild`).
	$(MANAGE) sync_index
	$(MANAGE) import_articles $(DEMO_CORPUS) --status published
	$(MANAGE) sync_index
	@echo "Archive: http://$(HOST):$(PORT)/  (admin: $(MANAGE) createsuperuser)"
	$(MANAGE) runserver $(HOST):$(PORT)

test: install js-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# PostgreSQL and Chromium for the tests that need them (Debian's packages, installed when
# missing; the local cluster started with loopback trusted). Then, as CI does:
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive ARCHIVE_REQUIRE_SERVICES=1 make test
services:
	bash scripts/services.sh

# The two-node SolrCloud on loopback (deploy/README.md): built by Maven on first use, started in
# the background until healthy; prints SEARCH_URL. ENGINE_HEAP (default 1g) is the whole JVM's.
engine-up:
	bash deploy/engine-cluster.sh up

engine-down:
	bash deploy/engine-cluster.sh down

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The archive-scale benchmark (docs/benchmarks.md): `make bench N=100000`. Needs PostgreSQL
# (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/archive_benchmark; a scratch
# database archive_benchmark_<N> is dropped and created). BENCH_ARGS: e.g. --import-limit 10000.
N ?= 10000
bench: install
	$(BIN)/python -m bench.run --n $(N) $(BENCH_ARGS)

superuser: install
	$(MANAGE) createsuperuser

clean:
	rm -rf $(VENV) data staticfiles .pytest_cache .ruff_cache
