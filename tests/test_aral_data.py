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


@pytest.fixture(scope="module")
def series():
    return load("aral_series", root=ROOT)


def test_series_units_match_metrics_and_values_are_plausible(series):
    assert (series["unit"] == series["metric"].map(UNITS)).all()
    valued = series.dropna(subset=["value"])
    for metric, (low, high) in BOUNDS.items():
        part = valued[valued["metric"] == metric]
        assert part["value"].between(low, high).all(), metric


def test_flagged_values_are_left_empty_and_only_they(series):
    flagged = series["flag"].notna()
    assert series.loc[flagged, "value"].isna().all()
    assert series.loc[~flagged, "value"].notna().all()


def test_known_defects_of_the_water_balance_copy_are_flagged(series):
    # the copy repeats 2000 in 2001 and holds the placeholder 1 for salinity from 1990 (see the importer)
    table = series[series["source_id"] == "aral_water_balance_compilation"].set_index(["year", "metric"])
    assert table.loc[(2001, "level"), "flag"] == "repeats_previous_year"
    assert (table.xs("salinity", level="metric").loc[1990:2001, "flag"] == "placeholder").all()
    assert table.loc[(1989, "salinity"), "value"] == 30
    balance = load("aral_water_balance", root=ROOT).set_index(["year", "component", "source_id"])
    assert balance.loc[(1986, "precipitation", "aral_water_balance_compilation"), "flag"] == "typo"


def test_level_or_area_covers_at_least_35_years_of_1960_2000(series, obs):
    from greensilk import aral

    n = aral.years_with_value(series, obs, ["level", "area"], 1960, 2000)
    assert n >= 35


def test_basin_areas_add_up_to_the_whole_sea(series):
    unesco = series[series["source_id"] == "unesco_aral_region_areas"].pivot(
        index="year", columns="water_body", values="value"
    )
    parts = unesco.drop(columns="whole").sum(axis=1)
    assert ((parts - unesco["whole"]).abs() <= 20).all()  # published to 10 km² per part


def test_no_observation_rests_on_a_relay_or_an_encyclopedia(obs):
    tiers = obs["source_id"].map(load("sources", root=ROOT).set_index("source_id")["tier"])
    assert not tiers.isin(["relay", "encyclopedia_other"]).any(), obs.loc[tiers.isin(["relay"]), "source_id"]


def test_north_aral_balance_is_yearly_and_complete():
    balance = load("aral_water_balance", root=ROOT)
    north = balance[balance["water_body"] == "north"]
    counts = north.groupby("year")["component"].nunique()
    assert (counts == 2).all() and counts.index.is_monotonic_increasing
    assert (north["value"] >= 0).all()
