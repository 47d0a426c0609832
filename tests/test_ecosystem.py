"""Files that forks and contributors expect: the GitHub Actions workflow runs the project's CI script, the
pre-commit hooks use the project's tools, and the committed notebooks pass the metadata hygiene hook."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import yaml

from .conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def test_workflow_runs_the_ci_script_on_push_and_pull_request():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads the key `on` as True
    assert {"push", "pull_request"} <= set(triggers)
    steps = [s for job in flow["jobs"].values() for s in job["steps"]]
    assert any(s.get("run", "").strip() == "bash .ci/run" for s in steps)
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "the data-changes page and the site need the release commits"
    assert all(job.get("timeout-minutes", 0) <= 90 for job in flow["jobs"].values())


def test_workflow_passes_actionlint():
    """actionlint from PyPI (pinned in requirements.txt; see the Makefile's actionlint target for which package)."""
    exe = shutil.which("actionlint") or str(Path(__import__("sys").executable).parent / "actionlint")
    assert Path(exe).exists(), "actionlint is missing: make install (or make actionlint)"
    result = subprocess.run([exe, str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_hooks_use_the_project_tools_and_existing_files():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert {"ruff", "ruff-format", "nbqa-ruff", "notebook-metadata"} <= set(hooks)
    for hook in hooks.values():
        for word in hook["entry"].split():
            if word.startswith(("scripts/", ".venv/bin/")) and not word.startswith(".venv/"):
                assert (ROOT / word).is_file(), f"{hook['id']}: {word} does not exist"


spec = importlib.util.spec_from_file_location("notebook_hygiene", ROOT / "scripts" / "notebook_hygiene.py")
hygiene = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hygiene)


def test_hygiene_removes_editor_metadata_and_keeps_outputs():
    nb = {
        "metadata": {"greensilk": {"inputs_sha256": "x"}, "widgets": {}, "kernelspec": {"name": "python3"}},
        "cells": [{"metadata": {"tags": ["hide-input"], "ExecuteTime": {}}, "outputs": [{"data": {"a": 1}}]}],
    }
    out = hygiene.clean(nb)
    assert out["metadata"] == {"greensilk": {"inputs_sha256": "x"}, "kernelspec": {"name": "python3"}}
    assert out["cells"][0] == {"metadata": {"tags": ["hide-input"]}, "outputs": [{"data": {"a": 1}}]}


def test_committed_notebooks_are_clean():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        before = json.dumps(nb, sort_keys=True)
        assert json.dumps(hygiene.clean(nb), sort_keys=True) == before, f"{path.name}: run scripts/notebook_hygiene.py"
