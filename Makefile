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
	@echo "make lint | types | pytest | bench | fmt | clean"

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

up: install
	.venv/bin/automat up

lint: install
	.venv/bin/ruff check src tests bench migrations
	.venv/bin/ruff format --check src tests bench migrations

types: install
	.venv/bin/mypy

pytest: install
	.venv/bin/pytest

test: lint types pytest

bench: install
	.venv/bin/python -m bench

fmt: install
	.venv/bin/ruff format src tests bench migrations
	.venv/bin/ruff check --fix src tests bench migrations

clean:
	rm -rf .venv $(TOOLS) .pytest_cache .mypy_cache .ruff_cache

.PHONY: help install lock up lint types pytest test bench fmt clean
