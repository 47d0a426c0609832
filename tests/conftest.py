"""Shared fixtures, and a hook that records how long each notebook takes under nbval (for the Build status page)."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

_nbval_seconds: dict[str, float] = defaultdict(float)


@pytest.fixture
def mini_root(tmp_path, monkeypatch):
    """A copy of the fixture package in a temporary project root, freshly hashed, ready to be broken."""
    from greensilk import package_tools

    shutil.copytree(FIXTURES / "mini_package", tmp_path, dirs_exist_ok=True)
    (tmp_path / "book").mkdir()
    package_tools.rehash(tmp_path)
    return tmp_path


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _nbval_seconds[Path(path).name] += report.duration


def pytest_sessionfinish(session, exitstatus):
    if _nbval_seconds and exitstatus == 0:
        from greensilk.notebooks import record_times

        record_times({k: round(v, 2) for k, v in _nbval_seconds.items()}, "make test (nbval)", ROOT)
