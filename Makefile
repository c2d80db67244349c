# Petition Hub: `make run` serves the Pingshan demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HASH := $(shell sha1sum pyproject.toml | cut -c1-10)
RUN_STAMP := $(VENV)/.run-$(HASH)
TEST_STAMP := $(VENV)/.test-$(HASH)
BENCH_STAMP := $(VENV)/.bench-$(HASH)
# The federation point's npm tooling (federation/package-lock.json), Node.js 20+.
FED_STAMP := federation/node_modules/.installed-$(shell sha1sum federation/package-lock.json | cut -c1-10)

.PHONY: run test test-sqlite test-postgresql lint services browser schema clean bench-stats \
	bench-pages translations federation federation-install federation-compose federation-example bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[bench]'
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/petition-hub db upgrade
	$(BIN)/petition-hub demo --if-empty
	$(BIN)/petition-hub serve --host 127.0.0.1 --port 8000

test: $(TEST_STAMP) services browser federation-install lint test-sqlite test-postgresql

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test-sqlite: $(TEST_STAMP)
	PETITION_HUB_TEST_DATABASE=sqlite $(BIN)/pytest -q -p no:cacheprovider

test-postgresql: $(TEST_STAMP) services
	PETITION_HUB_TEST_DATABASE=postgresql $(BIN)/pytest -q -p no:cacheprovider

services:
	.ci/services

browser:
	.ci/browser

# The hub against PostGraphile v5 and the floor (bench/run.py; BENCH_FLAGS="--skip-big" etc.).
bench: $(RUN_STAMP) $(BENCH_STAMP) services
	$(BIN)/python -m bench.run $(BENCH_FLAGS)

bench-stats: $(RUN_STAMP) services
	$(BIN)/python -m bench.stats

# Rewrites the English catalogue from the templates' messages (compiled in memory at start).
translations: $(RUN_STAMP)
	$(BIN)/python -m web.translations.english

bench-pages: $(RUN_STAMP)
	$(BIN)/python -m bench.pages

# Named by the lockfile's hash: a new lockfile installs again, a checkout does not.
$(FED_STAMP):
	cd federation && npm ci --no-audit --no-fund
	touch $@

federation-install: $(FED_STAMP)

# Composes federation/supergraph.yaml into federation/supergraph.graphql.
federation-compose: $(FED_STAMP)
	cd federation && node compose.mjs supergraph.yaml

# The district's federation point on http://127.0.0.1:4000/graphql (Hive Gateway), in
# front of the hub (`make run`) and the partners' subgraphs of supergraph.yaml.
federation: federation-compose
	cd federation && node_modules/.bin/hive-gateway supergraph supergraph.graphql

# The court station's example subgraph on http://127.0.0.1:4001/graphql.
federation-example: $(FED_STAMP)
	cd federation && node examples/court-cases/server.mjs

schema: $(RUN_STAMP)
	$(BIN)/python -c "from db.config import Settings; from schema.schema import build_schema; \
	open('schema/schema.graphql', 'w').write(build_schema(Settings(secret_key='x')).as_str() + '\n')"

clean:
	rm -rf $(VENV) var/hub.db var/hub.db-wal var/hub.db-shm federation/node_modules
