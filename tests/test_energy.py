"""Unit tests of the energy chapter's calculations (greensilk.energy) on small hand-made frames."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from greensilk import energy  # noqa: E402


def _gen(rows):
    return pd.DataFrame(rows, columns=["country_iso3", "year", "fuel", "value_twh"])


def test_shares_with_and_without_hydro():
    gen = _gen(
        [
            ("KAZ", 2020, "coal", 60.0),
            ("KAZ", 2020, "hydro", 10.0),
            ("KAZ", 2020, "wind", 5.0),
            ("KAZ", 2020, "solar", 5.0),
            ("KAZ", 2020, "total", 80.0),
        ]
    )
    row = energy.renewable_shares(gen).iloc[0]
    assert row["renewable_pct"] == pytest.approx(25.0)
    assert row["renewable_excl_hydro_pct"] == pytest.approx(12.5)
    assert row["wind_solar_twh"] == pytest.approx(10.0)


def test_sum_gaps_treat_missing_sources_as_zero():
    gen = _gen([("TJK", 2020, "hydro", 18.0), ("TJK", 2020, "coal", 1.5), ("TJK", 2020, "total", 20.0)])
    assert energy.sum_gaps(gen).iloc[0] == pytest.approx(0.5)


def test_missing_years_are_the_holes_inside_each_series_only():
    gen = _gen(
        [("KAZ", y, "total", 1.0) for y in (2000, 2001, 2004)]  # 2002-2003 missing
        + [("TKM", y, "total", 1.0) for y in (2000, 2001)]  # ends earlier: not a hole
    )
    assert energy.missing_years(gen) == {"KAZ": [2002, 2003]}


def test_implied_factors():
    # 100 MW running all year gives 876 GWh; 350 GWh is a 40 % capacity factor
    assert energy.implied_capacity_factor(876.0, 100.0) == pytest.approx(1.0)
    assert energy.implied_capacity_factor(350.4, 100.0) == pytest.approx(0.4)
    # 289,000 t over 350 GWh = 0.826 t/MWh = 826 g/kWh
    assert energy.implied_emission_factor(289_000.0, 350.0) == pytest.approx(825.714, rel=1e-4)


def _projects(rows):
    cols = [
        "project_id",
        "name",
        "country_iso3",
        "technology",
        "capacity_mw",
        "annual_gwh",
        "co2_avoided_t",
        "status",
        "status_year",
        "lat",
        "lon",
        "place_id",
    ]
    return pd.DataFrame(rows, columns=cols)


def test_clean_projects_drop_fossil_and_group_hybrids():
    pr = _projects(
        [
            ("a", "A", "KAZ", "wind_storage", 100.0, None, None, "agreed", 2025, None, None, None),
            ("b", "B", "TJK", "fossil", 400.0, None, None, "operating", 2021, None, None, None),
        ]
    )
    clean = energy.clean_projects(pr)
    assert list(clean["project_id"]) == ["a"] and list(clean["tech_group"]) == ["wind"]
    with pytest.raises(ValueError, match="tidal"):
        energy.clean_projects(pr.assign(technology="tidal"))


def test_project_checks_flag_impossible_and_above_grid_claims():
    pr = _projects(
        [
            ("w1", "W1", "KAZ", "wind", 100.0, 350.0, 400_000.0, "operating", 2021, None, None, None),
            ("w2", "W2", "KAZ", "wind", 100.0, 340.0, 200_000.0, "operating", 2021, None, None, None),
            ("w3", "W3", "KAZ", "wind", 10.0, 100.0, None, "operating", 2021, None, None, None),
        ]
    )
    intensity = pd.DataFrame({"country_iso3": ["KAZ", "KAZ"], "year": [2019, 2022], "gco2e_per_kwh": [800.0, 700.0]})
    out = energy.project_checks(pr, intensity).set_index("project_id")
    assert out.loc["w3", "cf_flag"] == "impossible (> 100 %)"
    assert out.loc["w1", "grid_g_per_kwh"] == 800.0  # the latest year not after the status year
    assert out.loc["w1", "ef_flag"] == "above grid average"  # 1,143 g/kWh claimed
    assert out.loc["w2", "ef_flag"] == ""


def test_locate_uses_own_coordinates_first_and_drops_unknown():
    pr = _projects(
        [
            ("a", "A", "KAZ", "wind", 1.0, None, None, "agreed", 2025, 43.7, 78.3, None),
            ("b", "B", "KAZ", "wind", 1.0, None, None, "agreed", 2025, None, None, "taraz"),
            ("c", "C", "KAZ", "wind", 1.0, None, None, "agreed", 2025, None, None, None),
        ]
    )
    places = pd.DataFrame({"place_id": ["taraz"], "lat": [42.9], "lon": [71.37]})
    out = energy.locate(pr, places).set_index("project_id")
    assert list(out.index) == ["a", "b"]
    assert (out.loc["a", "map_lat"], out.loc["b", "map_lon"]) == (43.7, 71.37)


def test_shared_points_are_spread_around_their_place():
    frame = pd.DataFrame({"x": [0.0, 0.0, 5.0], "y": [0.0, 0.0, 5.0], "capacity_mw": [10.0, 20.0, 5.0]})
    out = energy.spread_shared_points(frame, radius=1.0)
    assert np.hypot(out.loc[0, "x_plot"], out.loc[0, "y_plot"]) == pytest.approx(1.0)
    assert (out.loc[2, "x_plot"], out.loc[2, "y_plot"]) == (5.0, 5.0)


def test_seed_figure_checks_compare_with_other_sources_only():
    figures = pd.DataFrame(
        {
            "project_id": ["p", "p", "p", "q"],
            "field": ["annual_gwh"] * 3 + ["co2_avoided_t"],
            "value": [100.0, 104.0, 150.0, 5.0],
            "source_id": ["seed_x", "other1", "other2", "seed_x"],
        }
    )
    out = energy.seed_figure_checks(figures, ["seed_x"]).set_index("project_id")
    assert out.loc["p", "verdict"] == "consistent" and out.loc["p", "closest_independent"] == 104.0
    assert out.loc["q", "verdict"] == "unverifiable"
