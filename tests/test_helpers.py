"""Unit tests of the helper package: style, maps, figure data, paths."""

from __future__ import annotations

import itertools
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from greensilk import maps, style
from greensilk.figures import save_figure_data
from greensilk.paths import project_root

from .conftest import ROOT

# Colour-vision-deficiency simulation matrices in linear RGB (Viénot, Brettel & Mollon 1999).
CVD = {
    "protanopia": np.array([[0.11238, 0.88762, 0.0], [0.11238, 0.88762, 0.0], [0.00401, -0.00401, 1.0]]),
    "deuteranopia": np.array([[0.29275, 0.70725, 0.0], [0.29275, 0.70725, 0.0], [-0.02234, 0.02234, 1.0]]),
}


def _linear(hex_colour: str) -> np.ndarray:
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def test_country_colours_are_distinct_for_colour_blind_readers():
    colours = list(style.COUNTRY_COLOURS.values())
    assert len(set(colours)) == len(colours) == 6
    for name, matrix in CVD.items():
        simulated = [matrix @ _linear(c) for c in colours]
        for (i, a), (j, b) in itertools.combinations(enumerate(simulated), 2):
            distance = float(np.linalg.norm(a - b))
            assert distance > 0.05, f"{name}: {colours[i]} and {colours[j]} look alike ({distance:.3f})"


def test_country_colours_cover_all_named_countries():
    assert set(style.COUNTRY_COLOURS) == set(style.COUNTRY_NAMES)
    assert set(style.FOCUS_COUNTRIES) | {"CHN"} == set(style.COUNTRY_NAMES)
    assert style.country_palette(["KAZ"]) == {"Kazakhstan": style.COUNTRY_COLOURS["KAZ"]}
    with pytest.raises(KeyError, match="no house colour for country code 'XYZ'"):
        style.country_colour("XYZ")


def test_equal_area_matches_spherical_cell_area():
    # a 1°×1° cell between 40°N and 41°N; on a sphere of the authalic radius its area is R²·Δλ·(sin φ2 − sin φ1)
    cell = gpd.GeoDataFrame(geometry=[box(70, 40, 71, 41)], crs="EPSG:4326")
    authalic_radius_km = 6371.0072
    expected = authalic_radius_km**2 * math.radians(1) * (math.sin(math.radians(41)) - math.sin(math.radians(40)))
    assert maps.equal_area_km2(cell).iloc[0] == pytest.approx(expected, rel=5e-3)
    assert maps.geodesic_km2(cell).iloc[0] == pytest.approx(expected, rel=5e-3)


def test_equal_area_and_geodesic_agree_on_real_countries():
    from greensilk import load

    countries = load("countries", root=ROOT)
    focus = countries[countries["role"] != "neighbour"]
    projected = maps.equal_area_km2(focus)
    geodesic = maps.geodesic_km2(focus)
    assert np.allclose(projected, geodesic, rtol=1e-3)


def test_area_needs_a_crs():
    with pytest.raises(ValueError, match="no CRS"):
        maps.equal_area_km2(gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1)]))


def test_region_map_has_a_legend_with_every_country():
    import matplotlib

    matplotlib.use("Agg")
    from greensilk import load

    ax = maps.region_map(load("countries", root=ROOT))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [*style.COUNTRY_NAMES.values(), "Other countries"]
    matplotlib.pyplot.close("all")


def test_save_figure_data_is_deterministic(tmp_path):
    frame = pd.DataFrame({"country": ["Kazakhstan", "China"], "area_km2": [2724902.123456789, 9.6e6]})
    path = save_figure_data(frame, "fig-test", root=tmp_path)
    first = path.read_bytes()
    save_figure_data(frame, "fig-test", root=tmp_path)
    assert path.read_bytes() == first
    assert first.decode() == "country,area_km2\nKazakhstan,2724902.123456789\nChina,9600000.0\n"


def test_save_figure_data_rejects_bad_input(tmp_path):
    with pytest.raises(ValueError, match="letters, digits and '-'"):
        save_figure_data(pd.DataFrame({"a": [1]}), "../escape", root=tmp_path)
    with pytest.raises(ValueError, match="empty table"):
        save_figure_data(pd.DataFrame({"a": []}), "fig-empty", root=tmp_path)


def test_project_root_is_found_from_a_subfolder(monkeypatch):
    monkeypatch.delenv("GREENSILK_ROOT", raising=False)
    monkeypatch.chdir(ROOT / "notebooks")
    assert project_root() == ROOT


def test_dry_seabed_is_historic_minus_modern():
    shorelines = gpd.GeoDataFrame(
        {"kind": ["historic", "modern", "modern"], "label": ["h", "m", "m"]},
        geometry=[box(59, 44, 61, 46), box(59, 44, 60, 45), box(60.5, 45.5, 61, 46)],
        crs="EPSG:4326",
    )
    dry = maps.dry_seabed(shorelines)
    whole = maps.equal_area_km2(shorelines.iloc[[0]]).iloc[0]
    water = maps.equal_area_km2(shorelines.iloc[[1, 2]]).sum()
    # projected edges are chords between vertices, so shared edges split by new vertices differ slightly
    assert dry["area_km2"].iloc[0] == pytest.approx(whole - water, rel=1e-3)
    with pytest.raises(ValueError, match="exactly one historic"):
        maps.dry_seabed(shorelines[shorelines["kind"] == "modern"])


def test_every_source_kind_has_a_marker_and_a_name():
    from greensilk import load
    from greensilk.style import SOURCE_KIND_MARKERS, SOURCE_KIND_NAMES

    kinds = set(load("sources")["kind"]) - {"seed"}
    assert kinds <= set(SOURCE_KIND_MARKERS), kinds - set(SOURCE_KIND_MARKERS)
    assert set(SOURCE_KIND_MARKERS) == set(SOURCE_KIND_NAMES)


def test_water_body_colours_cover_the_schema():
    from greensilk import load_package
    from greensilk.style import WATER_BODY_COLOURS, WATER_BODY_NAMES

    res = next(r for r in load_package()["resources"] if r["name"] == "aral_observations")
    allowed = next(f for f in res["schema"]["fields"] if f["name"] == "water_body")["constraints"]["enum"]
    assert set(allowed) == set(WATER_BODY_COLOURS) == set(WATER_BODY_NAMES)


def test_aral_map_has_a_legend_naming_outlines_dry_bed_and_dam():
    import matplotlib

    matplotlib.use("Agg")
    from greensilk import load, maps

    ax = maps.aral_map(load("countries"), load("aral_shorelines"), sites=load("aral_sites"))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(label.startswith("Historic shoreline") for label in labels)
    assert any(label.startswith("Dried seabed") and "km²" in label for label in labels)
    assert "Kok-Aral dam" in labels


def test_table_is_markdown_in_both_forms_and_escapes_pipes():
    import pandas as pd

    from greensilk import table

    shown = table(pd.DataFrame({"Country": ["Kazakhstan", "a|b"], "Area (km²)": [2724900.0, 1.5]}).set_index("Country"))
    assert shown._repr_markdown_() == repr(shown)  # nbval compares the plain text, so it must hold the content
    assert "| a/b" in repr(shown) and "2,724,900" in repr(shown)
    with pytest.raises(ValueError, match="empty"):
        table(pd.DataFrame())


def test_tables_with_long_text_become_list_tables_with_widths():
    import pandas as pd

    from greensilk import table

    text = "a claim that is long enough to need wrapping in a printed table of the book"
    shown = repr(table(pd.DataFrame({"Id": ["c001"], "Claim": [text]}).set_index("Id")))
    assert shown.startswith("```{list-table}") and ":widths: 6 70" in shown  # id: its word, with room for wide glyphs
    assert f"  - {text}" in shown and shown.endswith("```")
