"""Official data enter only through importers: the committed derived CSVs are exactly what the importers build
from the committed snapshots, and every snapshot is described (provenance, licence, checksums)."""

from __future__ import annotations

import json

import pandas as pd

from greensilk import importers

from .conftest import ROOT


def test_snapshots_are_described_and_unchanged():
    assert importers.snapshot_problems(ROOT) == []


def test_derived_tables_match_their_importers():
    assert importers.stale(ROOT) == [], "run `make data` after changing an importer or a snapshot"


def test_every_derived_table_is_a_resource_of_the_package():
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["path"] for r in package["resources"]}
    for module in importers.modules():
        for rel in module.OUTPUTS:
            assert rel in paths, f"{module.__name__} writes {rel}, which data/datapackage.json does not list"


def test_snapshot_check_catches_an_edited_extract(tmp_path):
    folder = tmp_path / "data" / "snapshots" / "producer"
    folder.mkdir(parents=True)
    (folder / "x.csv").write_text("a\n1\n")
    meta = {k: "x" for k in importers.SNAPSHOT_KEYS}
    meta.update(file="x.csv", sha256_extract="0" * 64)
    (folder / "SNAPSHOT.json").write_text(json.dumps([meta]))
    (folder / "stray.csv").write_text("b\n")
    problems = importers.snapshot_problems(tmp_path)
    assert any("sha256 differs" in p for p in problems)
    assert any("stray.csv" in p and "not described" in p for p in problems)


def test_csv_bytes_is_plain_and_stable():
    frame = pd.DataFrame({"year": [1992, 1993], "value": [1.5, None]})
    assert importers.csv_bytes(frame) == b"year,value\n1992,1.5\n1993,\n"


def test_every_importer_declares_its_outputs():
    for module in importers.modules():
        assert module.OUTPUTS and callable(module.build), module.__name__
