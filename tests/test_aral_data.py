"""Checks specific to the Aral Sea datasets: units match metrics, values are physically plausible, dates ordered."""

from __future__ import annotations

import pandas as pd
import pytest

from greensilk import load

from .conftest import ROOT

UNITS = {"area": "km2", "level": "m_asl", "volume": "km3", "salinity": "g_per_l"}
# physically plausible bounds for the Aral Sea (its 1960 state is the upper limit of area, level and volume)
BOUNDS = {"area": (0, 70_000), "level": (20, 60), "volume": (0, 1_200), "salinity": (0, 300)}


@pytest.fixture(scope="module")
def obs():
    return load("aral_observations", root=ROOT)


def test_units_match_metrics(obs):
    bad = obs[obs["unit"] != obs["metric"].map(UNITS)]
    assert bad.empty, bad[["obs_id", "metric", "unit"]].to_string()


def test_values_within_physical_bounds(obs):
    for metric, (low, high) in BOUNDS.items():
        part = obs[obs["metric"] == metric]
        bad = part[(part["value"] < low) | (part["value"] > high)]
        assert bad.empty, f"{metric} outside {low}–{high}:\n" + bad[["obs_id", "year", "value"]].to_string()


def test_basins_only_after_the_split(obs):
    # the sea divided into North and South in 1987; parts reported earlier would be a coding error
    parts = obs[obs["water_body"] != "whole"]
    assert (parts["year"] >= 1986).all(), parts[parts["year"] < 1986][["obs_id", "year", "water_body"]]


def test_rows_are_in_year_order(obs):
    assert obs["year"].is_monotonic_increasing


def test_enough_values_and_independent_sources(obs):
    assert len(obs) >= 30
    assert obs["source_id"].nunique() >= 5


def test_conflicting_1960_areas_are_all_kept(obs):
    area_1960 = obs[(obs["year"] == 1960) & (obs["metric"] == "area") & (obs["water_body"] == "whole")]
    assert area_1960["value"].nunique() >= 2


def test_events_are_dated_in_order_and_categorised():
    events = load("aral_events", root=ROOT)
    assert events["date"].is_monotonic_increasing
    assert events["chinese_involvement"].any() and (~events["chinese_involvement"]).any()


def test_afforestation_cumulative_reports_do_not_exceed_the_dried_bed():
    planting = load("aral_afforestation", root=ROOT)
    facts = load("aral_facts", root=ROOT)
    seabed = facts[facts["topic"] == "dried_seabed_area_total"]
    assert not seabed.empty
    largest_bed_ha = float(seabed["value"].max())
    cumulative = planting[planting["measure"] == "planted_cumulative"]
    assert (cumulative["area_ha"] <= largest_bed_ha).all()


def test_shorelines_have_one_historic_and_modern_parts():
    shorelines = load("aral_shorelines", root=ROOT)
    kinds = shorelines["kind"].value_counts()
    assert kinds.get("historic") == 1 and kinds.get("modern", 0) >= 1
    # a good self-check: Natural Earth's historic outline is the late-1950s sea of about 67,000-69,000 km²
    from greensilk.maps import equal_area_km2

    historic = equal_area_km2(shorelines[shorelines["kind"] == "historic"]).iloc[0]
    assert 66_000 < historic < 70_000
    assert pd.api.types.is_string_dtype(shorelines["label"])


def test_ranges_are_coded_consistently(obs):
    # a range is stored as value (low end) + value_high; nothing else may carry an upper end
    ranged = obs["qualifier"] == "range"
    assert obs.loc[ranged, "value_high"].notna().all()
    assert (obs.loc[ranged, "value_high"] > obs.loc[ranged, "value"]).all()
    assert obs.loc[~ranged.fillna(False), "value_high"].isna().all()
