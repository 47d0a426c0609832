"""Shared fixtures of the test suite."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def mini_root(tmp_path, monkeypatch):
    """A copy of the fixture package in a temporary project root, freshly hashed, ready to be broken."""
    from greensilk import package_tools

    shutil.copytree(FIXTURES / "mini_package", tmp_path, dirs_exist_ok=True)
    (tmp_path / "book").mkdir()
    package_tools.rehash(tmp_path)
    return tmp_path
