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


def _square(x0, y0, size, **props):
    ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
    return {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_derive_aral_shorelines_selects_features(tmp_path):
    spec = importlib.util.spec_from_file_location("derive_aral", ROOT / "scripts" / "derive_aral_shorelines.py")
    derive_aral = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive_aral)
    historic = {"features": [_square(58.5, 44, 3, name="Aral Sea", ne_id=1), _square(14, 13, 1, name="Lake Chad")]}
    modern = {
        "features": [
            _square(60.5, 46, 0.5, name="North Aral Sea", ne_id=2),
            _square(58.6, 44.2, 0.4, name="Aral Sea", ne_id=3),
            _square(30, 0, 2, name="Lake Victoria"),
        ]
    }
    out = derive_aral.derive(historic, modern, "hist_src", "mod_src")
    kinds = [(f["properties"]["kind"], f["properties"]["ne_id"], f["properties"]["source_id"]) for f in out["features"]]
    assert kinds == [("historic", "1", "hist_src"), ("modern", "2", "mod_src"), ("modern", "3", "mod_src")]
    path = tmp_path / "aral.geojson"
    derive_aral.write(out, path)
    assert json.loads(path.read_text())["features"][0]["geometry"] == historic["features"][0]["geometry"]
