"""The release script and the Sphinx hook that keeps the HTML free of duplicate scripts, on small fixtures."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import tarfile

from .conftest import ROOT

spec = importlib.util.spec_from_file_location("make_dist", ROOT / "scripts" / "make_dist.py")
make_dist = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_dist)


def _fake_project(tmp_path):
    (tmp_path / "_build" / "html" / "notebooks").mkdir(parents=True)
    (tmp_path / "_build" / "html" / "index.html").write_text("<html>index</html>")
    (tmp_path / "_build" / "html" / "notebooks" / "a.html").write_text("<html>a</html>")
    (tmp_path / "_build" / "latex").mkdir(parents=True)
    (tmp_path / "_build" / "latex" / "green-silk-road.pdf").write_bytes(b"%PDF-1.5 fake")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "00.ipynb").write_text("{}")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "datapackage.json").write_text("{}")
    (tmp_path / "CITATION.cff").write_text("cff-version: 1.2.0\n")
    (tmp_path / "LICENSE").write_text("MIT\n")
    return tmp_path


def test_release_has_every_part_a_manifest_and_valid_checksums(tmp_path):
    root = _fake_project(tmp_path)
    out = make_dist.build(root, tmp_path / "dist", version="9.9.9")
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            "green-silk-road-9.9.9-html.tar.gz",
            "green-silk-road-9.9.9.pdf",
            "green-silk-road-9.9.9-notebooks.tar.gz",
            "green-silk-road-9.9.9-data.tar.gz",
            "green-silk-road-9.9.9-data.zip",
            "MANIFEST.json",
            "SHA256SUMS",
        ]
    )
    for line in (out / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    manifest = json.loads((out / "MANIFEST.json").read_text())
    assert manifest["version"] == "9.9.9" and len(manifest["files"]) == 5
    import zipfile

    with zipfile.ZipFile(out / "green-silk-road-9.9.9-data.zip") as archive:
        assert archive.namelist() == [
            "green-silk-road-9.9.9-data/CITATION.cff",
            "green-silk-road-9.9.9-data/LICENSE-code.txt",
            "green-silk-road-9.9.9-data/datapackage.json",
        ]
        assert archive.read("green-silk-road-9.9.9-data/datapackage.json") == b"{}"
    with tarfile.open(out / "green-silk-road-9.9.9-html.tar.gz") as tar:
        assert tar.getnames() == [
            "green-silk-road-9.9.9-html/index.html",
            "green-silk-road-9.9.9-html/notebooks/a.html",
        ]


def test_release_archives_are_byte_identical_when_rebuilt(tmp_path):
    root = _fake_project(tmp_path)
    first = (make_dist.build(root, tmp_path / "d1", version="1.0.0") / "SHA256SUMS").read_text()
    (root / "_build" / "html" / "index.html").touch()  # a new mtime must not change the archive
    second = (make_dist.build(root, tmp_path / "d2", version="1.0.0") / "SHA256SUMS").read_text()
    assert first == second


def test_release_refuses_to_run_without_the_pdf(tmp_path):
    import pytest

    root = _fake_project(tmp_path)
    (root / "_build" / "latex" / "green-silk-road.pdf").unlink()
    with pytest.raises(SystemExit, match="make pdf"):
        make_dist.build(root, tmp_path / "dist", version="1.0.0")


def test_duplicate_inline_scripts_are_dropped():
    from sphinx.builders.html._assets import _JavaScript

    from greensilk.sphinxext import _dedupe_scripts

    context = {
        "script_files": [
            _JavaScript(None, body="const A = 1"),
            _JavaScript("x.js"),
            _JavaScript("", body="const A = 1"),  # the same script registered a second time
            _JavaScript("", body="const B = 2"),
        ]
    }
    _dedupe_scripts(None, "index", "page.html", context, None)
    assert [s.attributes.get("body") for s in context["script_files"]] == ["const A = 1", None, "const B = 2"]
