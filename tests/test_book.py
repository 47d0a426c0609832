"""Book configuration and notebooks: the settings the build relies on, and notebooks that nbval can check."""

from __future__ import annotations

import re

import nbformat
import pytest
import yaml

from greensilk.notebooks import notebook_paths, stale

from .conftest import ROOT

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
NOTEBOOKS = notebook_paths(ROOT)


def _toc_files():
    files = [TOC["root"]]
    for part in TOC["parts"]:
        files += [c["file"] for c in part["chapters"]]
    return files


def test_config_guards():
    assert CONFIG["only_build_toc_files"] is True
    for pattern in (".venv", "_build", ".pytest_cache"):
        assert pattern in CONFIG["exclude_patterns"]
    assert CONFIG["execute"]["execute_notebooks"] == "off"
    sphinx = CONFIG["sphinx"]["config"]
    assert sphinx["nb_execution_raise_on_error"] is True
    assert sphinx["bibtex_reference_style"] == "author_year_round"
    assert sphinx["numfig"] is True
    assert CONFIG["latex"]["latex_engine"] == "xelatex"
    assert "greensilk.sphinxext" in CONFIG["sphinx"]["extra_extensions"]


def test_toc_pages_exist_and_every_notebook_is_listed():
    files = _toc_files()
    for name in files:
        assert any((ROOT / f"{name}{ext}").is_file() for ext in (".md", ".ipynb")), f"{name} listed but missing"
    for nb in NOTEBOOKS:
        assert nb.relative_to(ROOT).with_suffix("").as_posix() in files, f"{nb.name} is not in _toc.yml"


def test_notebooks_are_executed_and_current():
    # nbval compares stored outputs; a notebook saved without outputs would pass it trivially
    assert NOTEBOOKS, "no notebooks found"
    assert stale(ROOT) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_figures_have_caption_source_alt_and_data(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    figures = re.findall(r"```\{glue:figure\}(.*?)```", text, flags=re.S)
    if nb.metadata.get("greensilk_figures", True) is False:
        # a text-only chapter (the conclusions) declares it in its metadata, and must then really have none
        assert not figures, f"{path.name} declares no figures but has {len(figures)}"
        return
    assert figures, f"{path.name} has no glue:figure"
    for block in figures:
        key = block.split("\n", 1)[0].strip()
        assert re.search(r"^:name: fig-", block, re.M), f"{key}: no :name: (figure number and link target)"
        assert re.search(r"^:alt: \S.{20,}", block, re.M), f"{key}: no meaningful :alt: text"
        assert "Source:" in block, f"{key}: caption lacks a 'Source:' line"
        link = re.search(r"\{download\}`[^`]*<figdata/([\w-]+)\.csv>`", block)
        assert link, f"{key}: caption lacks a data download link"
        assert (ROOT / "notebooks" / "figdata" / f"{link.group(1)}.csv").is_file()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_use_the_helper_package_for_data(path):
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert not re.search(r"read_csv|read_file|open\(", code), f"{path.name} reads files itself; use greensilk.load"


def test_glued_values_are_plain_python_values():
    # myst-nb formats a glued number from its text/plain repr; numpy 2 scalars print as 'np.float64(…)', which
    # the book cannot format (a warning, so -W fails the build). Glue int/float/str instead.
    import json

    bad = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for out in cell.get("outputs", []):
                text = out.get("data", {}).get("application/papermill.record/text/plain", "")
                if isinstance(text, list):
                    text = "".join(text)
                if text.startswith(("np.", "numpy.")):
                    name = out["metadata"]["scrapbook"]["name"]
                    bad.append(f"{path.name}: {name} = {text}")
    assert not bad, bad
