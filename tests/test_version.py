"""One version everywhere: the package, CITATION.cff, the data package and the changelog; CITATION.cff is valid."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

import greensilk
from greensilk import load_package

from .conftest import ROOT

CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_version_matches_package():
    assert CFF["version"] == greensilk.__version__
    assert CFF["preferred-citation"]["version"] == greensilk.__version__


def test_preferred_citation_is_a_report():
    assert CFF["preferred-citation"]["type"] == "report"


def test_data_package_version_matches():
    assert load_package(ROOT)["version"] == greensilk.__version__


def test_changelog_top_entry_is_this_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    first = re.search(r"^## \[(\d+\.\d+\.\d+)\] – (\d{4}-\d{2}-\d{2})", text, re.M)
    assert first, "CHANGELOG.md has no '## [x.y.z] – YYYY-MM-DD' entry"
    assert first.group(1) == greensilk.__version__
    assert first.group(2) == str(CFF["date-released"])


def test_cffconvert_validates():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cffconvert"), "--validate", "-i", str(ROOT / "CITATION.cff")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
