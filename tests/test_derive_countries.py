"""The boundary derivation script, run offline on a tiny TopoJSON fixture."""

from __future__ import annotations

import importlib.util
import json

from .conftest import FIXTURES, ROOT

spec = importlib.util.spec_from_file_location("derive_countries", ROOT / "scripts" / "derive_countries.py")
derive_countries = importlib.util.module_from_spec(spec)
spec.loader.exec_module(derive_countries)


def test_derive_selects_clips_and_codes(tmp_path):
    frame = derive_countries.derive(FIXTURES / "mini_topo.json")
    assert list(frame["name"]) == ["Kazakhstan", "Russia"]  # Brazil lies outside the frame
    kaz = frame[frame["name"] == "Kazakhstan"].iloc[0]
    rus = frame[frame["name"] == "Russia"].iloc[0]
    assert (kaz["iso_a3"], kaz["role"], kaz["clipped"]) == ("KAZ", "focus", False)
    assert (rus["iso_a3"], rus["role"], rus["clipped"]) == ("RUS", "neighbour", True)
    assert tuple(rus.geometry.bounds) == (46.0, 50.0, 80.0, 57.0)
    out = tmp_path / "countries.geojson"
    derive_countries.write_geojson(frame, out)
    doc = json.loads(out.read_text())
    assert [f["properties"]["iso_a3"] for f in doc["features"]] == ["KAZ", "RUS"]
    assert doc["features"][1]["properties"]["clipped"] is True
    first = out.read_bytes()
    derive_countries.write_geojson(derive_countries.derive(FIXTURES / "mini_topo.json"), out)
    assert out.read_bytes() == first
