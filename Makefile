# Green Silk Road report. `make book` and `make test` set everything up on a fresh Debian/Ubuntu machine with
# Python 3.11 (see README.md). Every target uses the project's own virtual environment in .venv/.
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JB     := $(BIN)/jupyter-book
# -W: warnings are errors (a notebook or reference error fails the build); -n: broken references fail it too.
JBFLAGS ?= -W -n --keep-going

.PHONY: help install book pdf test notebooks data lint clean check-inputs check-html check-repro dist bench

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

install: $(STAMP)  ## create .venv and install the pinned environment

check-inputs: $(STAMP)  ## refuse to build from stale notebooks or an unhashed data change
	$(BIN)/python -m greensilk.package_tools check
	$(BIN)/python -m greensilk.notebooks check

book: check-inputs  ## build the HTML book into _build/html (shows the committed, nbval-verified outputs)
	$(JB) build . $(JBFLAGS)
	@echo "Open _build/html/index.html"

pdf: check-inputs  ## build the PDF (xelatex) into _build/latex/green-silk-road.pdf
	$(JB) build . --builder pdflatex $(JBFLAGS)
	@ls -l _build/latex/*.pdf

test: $(STAMP)  ## data validation, helper unit tests and strict nbval on the committed notebooks
	$(BIN)/python -m pytest

data: $(STAMP)  ## after reviewing a data change: validate, re-hash data/datapackage.json, regenerate the catalogue
	$(BIN)/python -m greensilk.package_tools rehash

notebooks: data  ## re-execute every notebook in place (deterministic; no timing metadata)
	$(BIN)/python -m greensilk.notebooks execute

check-html: $(STAMP)  ## open every page of the built book in headless Chromium: no external/failed request, no error
	$(BIN)/python -m pytest -p no:nbval -p no:cacheprovider -o addopts="" -q tests_browser

check-repro: $(STAMP)  ## execute every notebook twice (different hash seeds): must be byte-identical to the commit
	$(BIN)/python -m greensilk.notebooks repro

dist: $(STAMP)  ## release archive of the current version in dist/ (after make book and make pdf), with checksums
	$(BIN)/python scripts/make_dist.py

lint: $(STAMP)  ## ruff on the package, scripts and tests; nbQA + ruff on the notebooks
	$(BIN)/ruff check src scripts tests tests_browser conftest.py
	$(BIN)/ruff format --check src scripts tests tests_browser conftest.py
	$(BIN)/nbqa ruff notebooks

clean:  ## remove build outputs and caches (keeps .venv)
	rm -rf _build dist .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
