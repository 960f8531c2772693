# Automat: `make up` runs it, `make test` tests it. Both install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3.11
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
VENV_STAMP := .venv/.synced-stamp

help:
	@echo "make up      start Automat with embedded PostgreSQL + Redis and demo data"
	@echo "make test    lint, type-check and run every test"
	@echo "make web     build the web UI (frontend/dist), served by Automat at /"
	@echo "make openapi regenerate the UI's API client from the OpenAPI schema"
	@echo "make lint | types | pytest | web-check | e2e | bench | fmt | clean"

$(TOOLS)/bin/uv:
	python3.11 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# requirements.lock pins every package with its hashes (and names no package index);
# `make lock` regenerates it after a change of pyproject.toml.
$(VENV_STAMP): pyproject.toml requirements.lock | $(UV)
	$(UV) venv --allow-existing --python python3.11 .venv
	$(UV) pip sync --python .venv/bin/python requirements.lock
	$(UV) pip install --python .venv/bin/python --no-deps -e .
	@touch $@

lock: | $(UV)
	$(UV) pip compile pyproject.toml --group dev --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu --generate-hashes --no-header -o requirements.lock

GLTF_VALIDATOR := tools/gltf-validator/node_modules/.installed-stamp

$(GLTF_VALIDATOR): tools/gltf-validator/package.json tools/gltf-validator/package-lock.json
	npm ci --prefix tools/gltf-validator --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV_STAMP) $(GLTF_VALIDATOR)

# --- web UI (frontend/): npm ci and vite build only when their inputs changed -------------------
# Browsers are never downloaded: the browser tests drive the system Chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
WEB := frontend
WEB_DEPS := $(WEB)/node_modules/.installed-stamp
WEB_BUILD := $(WEB)/dist/index.html
WEB_SOURCES := $(shell find $(WEB)/src $(WEB)/public -type f 2>/dev/null) \
	$(WEB)/index.html $(WEB)/vite.config.ts $(WEB)/tsconfig.json
CHROMIUM ?= /usr/bin/chromium

$(WEB_DEPS): $(WEB)/package.json $(WEB)/package-lock.json
	npm ci --prefix $(WEB) --no-audit --no-fund --loglevel=error
	@touch $@

$(WEB_BUILD): $(WEB_DEPS) $(WEB_SOURCES)
	npm run --prefix $(WEB) --silent build -- --logLevel warn
	@touch $@

web: $(WEB_BUILD)

# The schema is dumped from the app factory (no database needed) and typed with openapi-typescript.
OPENAPI_DUMP = AUTOMAT_SECRET_KEY=openapi-dump AUTOMAT_LOG_LEVEL=WARNING .venv/bin/python -c \
	'import json, sys; from automat.app import create_app; json.dump(create_app().openapi(), sys.stdout, indent=2); print()'
OPENAPI_TYPES = $(WEB)/node_modules/.bin/openapi-typescript

openapi: $(VENV_STAMP) $(WEB_DEPS)
	$(OPENAPI_DUMP) > $(WEB)/src/api/openapi.json
	$(OPENAPI_TYPES) $(WEB)/src/api/openapi.json -o $(WEB)/src/api/schema.ts --silent

openapi-check: $(VENV_STAMP) $(WEB_DEPS)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(OPENAPI_DUMP) > $$tmp/openapi.json && \
	$(OPENAPI_TYPES) $$tmp/openapi.json -o $$tmp/schema.ts --silent && \
	if cmp -s $$tmp/openapi.json $(WEB)/src/api/openapi.json && cmp -s $$tmp/schema.ts $(WEB)/src/api/schema.ts; \
	then echo "openapi-check: frontend/src/api is up to date"; \
	else diff -u $(WEB)/src/api/openapi.json $$tmp/openapi.json | head -40; \
		echo "openapi-check: the API changed and frontend/src/api is stale: run make openapi (and commit it)" >&2; exit 1; fi

web-check: $(WEB_DEPS)
	npm run --prefix $(WEB) --silent typecheck
	npm run --prefix $(WEB) --silent lint
	npm run --prefix $(WEB) --silent test

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "The browser tests need Chromium at $(CHROMIUM): apt-get install chromium (or CHROMIUM=/path make e2e)" >&2; exit 1; fi

e2e: install web $(CHROMIUM)
	CHROMIUM=$(CHROMIUM) $(WEB)/e2e/run.sh

up: install web
	.venv/bin/automat up

lint: install
	.venv/bin/ruff check src tests bench migrations
	.venv/bin/ruff format --check src tests bench migrations

types: install
	.venv/bin/mypy

pytest: install
	.venv/bin/pytest

test: lint types pytest web-check openapi-check e2e

bench: install
	.venv/bin/python -m bench

fmt: install
	.venv/bin/ruff format src tests bench migrations
	.venv/bin/ruff check --fix src tests bench migrations

clean:
	rm -rf .venv $(TOOLS) .pytest_cache .mypy_cache .ruff_cache $(WEB)/node_modules $(WEB)/dist $(WEB)/test-results

.PHONY: help install lock up web openapi openapi-check web-check e2e lint types pytest test bench fmt clean
