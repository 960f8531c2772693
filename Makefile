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

$(VENV_STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

GLTF_VALIDATOR := tools/gltf-validator/node_modules/.installed-stamp

$(GLTF_VALIDATOR): tools/gltf-validator/package.json tools/gltf-validator/package-lock.json
	npm ci --prefix tools/gltf-validator --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV_STAMP) $(GLTF_VALIDATOR)

up: install
	$(UV) run --frozen automat up

lint: install
	$(UV) run --frozen ruff check src tests bench migrations
	$(UV) run --frozen ruff format --check src tests bench migrations

types: install
	$(UV) run --frozen mypy

pytest: install
	$(UV) run --frozen pytest

test: lint types pytest

bench: install
	$(UV) run --frozen python -m bench

fmt: install
	$(UV) run --frozen ruff format src tests bench migrations
	$(UV) run --frozen ruff check --fix src tests bench migrations

clean:
	rm -rf .venv $(TOOLS) .pytest_cache .mypy_cache .ruff_cache

.PHONY: help install up lint types pytest test bench fmt clean
