"""Releases as data: the record of releases, the release procedure (on a scratch clone), .zenodo.json and the
citations generated from CITATION.cff."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import greensilk
from greensilk.publishing import releases as rel

from .conftest import ROOT

spec = importlib.util.spec_from_file_location("release_script", ROOT / "scripts" / "release.py")
release_script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(release_script)


def git(root, *args):
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout.strip()


def test_every_recorded_release_is_a_commit_whose_tree_has_that_version():
    releases = rel.load_releases(ROOT)
    assert releases and releases[0]["version"] == "0.2.0"
    for entry in releases:
        init = git(ROOT, "show", f"{entry['commit']}:src/greensilk/__init__.py")
        assert f'__version__ = "{entry["version"]}"' in init
        cff = yaml.safe_load(git(ROOT, "show", f"{entry['commit']}:CITATION.cff"))
        assert cff["version"] == entry["version"] and str(cff["date-released"]) == entry["date"]


def test_the_record_refuses_bad_entries():
    good = {"version": "0.2.0", "date": "2026-11-23", "commit": "b" * 40}
    with pytest.raises(rel.ReleaseError, match="does not follow"):
        rel.validate_releases([good, {**good, "version": "0.1.9", "date": "2026-12-01"}])
    with pytest.raises(rel.ReleaseError, match="40-hex"):
        rel.validate_releases([{**good, "commit": "b2f7d0d"}])
    with pytest.raises(rel.ReleaseError, match="MAJOR.MINOR.PATCH"):
        rel.validate_releases([{**good, "version": "v1"}])
    with pytest.raises(rel.ReleaseError, match="missing date"):
        rel.validate_releases([{"version": "1.0.0", "commit": "b" * 40}])


def test_zenodo_json_is_generated_from_citation_cff_and_carries_the_same_version():
    committed = (ROOT / ".zenodo.json").read_text(encoding="utf-8")
    assert committed == rel.zenodo_json(ROOT), "run: make release, or regenerate .zenodo.json from CITATION.cff"
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert json.loads(committed)["version"] == cff["version"] == greensilk.__version__


def test_changelog_unreleased_section_becomes_the_version():
    text = "# Changelog\n\n## [Unreleased]\n\n### Added\n- a page\n\n## [0.2.0] – 2026-11-23\n\n- old\n"
    out = rel.release_changelog(text, "0.3.0", "2026-12-24")
    assert out.startswith("# Changelog\n\n## [Unreleased]\n\n## [0.3.0] – 2026-12-24\n\n### Added\n- a page\n")
    assert out.count("## [0.2.0] – 2026-11-23") == 1
    with pytest.raises(rel.ReleaseError, match="empty"):
        rel.release_changelog("## [Unreleased]\n\n## [0.2.0] – 2026-11-23\n", "0.3.0", "2026-12-24")
    with pytest.raises(rel.ReleaseError, match="found 0"):
        rel.release_changelog("## [0.2.0] – 2026-11-23\n", "0.3.0", "2026-12-24")


def test_cff_edit_keeps_a_valid_file(tmp_path):
    text = rel.set_cff_version((ROOT / "CITATION.cff").read_text(encoding="utf-8"), "1.4.2", "2027-03-05")
    cff = yaml.safe_load(text)
    assert cff["version"] == cff["preferred-citation"]["version"] == "1.4.2"
    assert str(cff["date-released"]) == "2027-03-05" and cff["preferred-citation"]["month"] == 3
    (tmp_path / "CITATION.cff").write_text(text, encoding="utf-8")
    exe = Path(sys.executable).parent / "cffconvert"
    assert subprocess.run([str(exe), "--validate", "-i", str(tmp_path / "CITATION.cff")]).returncode == 0
    assert json.loads(rel.zenodo_json(tmp_path))["version"] == "1.4.2"


def test_citations_in_every_format_name_version_commit_and_url():
    c = rel.citations(ROOT, greensilk.__version__, "abc1234567", "https://example.org/v1/")
    v = greensilk.__version__
    assert c["bibtex"].startswith("@misc{") and f"version = {{{v}}}" in c["bibtex"]
    assert "author = {{Green Silk Road report contributors}}" in c["bibtex"]  # an organisation, not a person
    assert c["ris"].splitlines()[0].startswith("TY  - ") and c["ris"].rstrip().endswith("ER  -")
    assert f"ET  - {v}" in c["ris"] and "UR  - https://example.org/v1/" in c["ris"]
    assert f"(version {v})" in c["apa"] and "abc1234567" in c["apa"] and c["apa"].endswith("https://example.org/v1/")
    with pytest.raises(rel.ReleaseError, match="CITATION.cff says version"):
        rel.citations(ROOT, "9.9.9", "abc", "")


@pytest.fixture
def clone(tmp_path):
    repo = tmp_path / "repo"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(repo)], check=True)
    for key, value in (("user.name", "Test"), ("user.email", "test@example.org")):
        git(repo, "config", key, value)
    text = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    if "## [Unreleased]" not in text:
        text = text.replace("\n## [", "\n## [Unreleased]\n\n## [", 1)
    head, rest = text.split("## [Unreleased]", 1)
    body, _, tail = rest.partition("\n## [")
    if not body.strip():  # e.g. right after a release: describe the test release
        text = head + "## [Unreleased]\n\n### Added\n- A test release.\n\n## [" + tail
    if text != (repo / "CHANGELOG.md").read_text(encoding="utf-8"):
        (repo / "CHANGELOG.md").write_text(text, encoding="utf-8")
        git(repo, "commit", "-qam", "describe the release")
    return repo


def test_release_procedure_on_a_scratch_clone(clone):
    assert release_script.main(["0.9.0", "--root", str(clone), "--date", "2027-01-02", "--no-execute"]) == 0
    records = rel.load_releases(clone)
    assert records[-1]["version"] == "0.9.0" and records[-1]["date"] == "2027-01-02"
    commit = records[-1]["commit"]
    assert git(clone, "rev-parse", "v0.9.0^{commit}") == commit
    assert git(clone, "status", "--porcelain") == ""
    page = (clone / "book" / "data-changes.md").read_text(encoding="utf-8")
    assert "## Since 0.9.0 (unreleased)" in page and "## 0.9.0 (2027-01-02)" in page and "Against 0.2.0" in page
    shown = lambda path: git(clone, "show", f"{commit}:{path}")  # noqa: E731
    assert '__version__ = "0.9.0"' in shown("src/greensilk/__init__.py")
    assert yaml.safe_load(shown("CITATION.cff"))["version"] == "0.9.0"
    assert json.loads(shown(".zenodo.json"))["version"] == "0.9.0"
    assert json.loads(shown("data/datapackage.json"))["version"] == "0.9.0"
    assert "version 0.9.0" in shown("book/data-catalogue.md")
    changelog = shown("CHANGELOG.md")
    assert "## [Unreleased]\n\n## [0.9.0] – 2027-01-02\n\n### " in changelog  # the unreleased notes moved under it


def test_release_refuses_an_old_version_or_a_dirty_tree_and_changes_nothing(clone, capsys):
    before = git(clone, "rev-parse", "HEAD")
    assert release_script.main(["0.1.0", "--root", str(clone)]) == 2
    assert "not after the last release" in capsys.readouterr().err
    assert git(clone, "status", "--porcelain") == "" and git(clone, "rev-parse", "HEAD") == before
    (clone / "README.md").write_text("edited\n")
    assert release_script.main(["0.9.0", "--root", str(clone)]) == 2
    assert "uncommitted changes" in capsys.readouterr().err


def test_citation_url_is_the_release_address_only_for_the_release_commit(clone, monkeypatch):
    from types import SimpleNamespace

    from greensilk.sphinxext import version_url

    monkeypatch.delenv("GREENSILK_SITE_VERSION", raising=False)
    config = SimpleNamespace(html_baseurl="https://example.org/gsr")
    assert version_url(config, "0.2.0", clone) == "https://example.org/gsr/latest/"  # HEAD is after 0.2.0
    git(clone, "tag", "v0.2.0", "HEAD")  # make release tags the release commit (its record comes in the next one)
    assert version_url(config, "0.2.0", clone) == "https://example.org/gsr/v0.2.0/"
    (clone / "README.md").write_text("edited\n")  # an edited copy of a release is not that release
    assert version_url(config, "0.2.0", clone) == "https://example.org/gsr/latest/"
    monkeypatch.setenv("GREENSILK_SITE_VERSION", "0.2.0")  # make site says which folder it builds
    assert version_url(config, "0.2.0", clone) == "https://example.org/gsr/v0.2.0/"
    assert version_url(SimpleNamespace(html_baseurl=""), "0.2.0", clone) == ""
