"""Checks specific to the energy datasets: totals add up, series are complete, the registry is coherent."""

from __future__ import annotations

import pandas as pd
import pytest

from greensilk import energy, load

from .conftest import ROOT


@pytest.fixture(scope="module")
def generation():
    return load("electricity_generation", root=ROOT)


@pytest.fixture(scope="module")
def projects():
    return load("energy_projects", root=ROOT)


def test_sources_add_up_to_the_total(generation):
    gaps = energy.sum_gaps(generation)
    bad = gaps[gaps.abs() > energy.SUM_TOLERANCE_TWH]
    assert bad.empty, f"sum of sources differs from the total (TWh):\n{bad}"


def test_every_country_has_an_unbroken_annual_series_from_2000(generation):
    totals = generation[generation["fuel"] == "total"]
    for code, group in totals.groupby("country_iso3"):
        years = sorted(group["year"].astype(int))
        assert years == list(range(2000, years[-1] + 1)), f"{code} has gaps: {years}"
        assert years[-1] >= 2024, code


def test_carbon_intensity_covers_the_same_countries(generation):
    intensity = load("carbon_intensity", root=ROOT)
    assert set(intensity["country_iso3"]) == set(generation["country_iso3"])


def test_registry_is_large_enough_and_names_every_seed_project(projects):
    assert len(projects) >= 40
    seed_named = {
        "kz-zhanatas-wind",
        "kz-turgusun-1-hydro",
        "kz-kaskelen-solar",
        "kz-akmola-wind-cluster",
        "kz-shelek-wind",
        "uz-buka-solar",
        "uz-ceec-1gw-solar",
        "kz-turkistan-sauran-solar-storage",
        "kz-karaganda-wind-storage",
    }
    assert seed_named <= set(projects["project_id"])


def test_location_precision_matches_the_location_given(projects):
    has_xy = projects["lat"].notna() & projects["lon"].notna()
    has_place = projects["place_id"].notna()
    rules = {
        "exact": has_xy & ~has_place,
        "town": ~has_xy & has_place,
        "region": ~has_xy & has_place,
        "unknown": ~has_xy & ~has_place,
    }
    for precision, ok in rules.items():
        rows = projects[(projects["location_precision"] == precision) & ~ok]
        assert rows.empty, f"location_precision '{precision}' does not fit rows {list(rows['project_id'])}"


def test_stated_yields_are_physically_possible(projects):
    clean = energy.clean_projects(projects)
    cf = energy.implied_capacity_factor(clean["annual_gwh"], clean["capacity_mw"])
    assert (cf.dropna() < 1).all(), clean.loc[cf >= 1, "project_id"].tolist()


def test_fossil_projects_never_enter_clean_totals(projects):
    table = energy.pipeline_table(projects)
    fossil_mw = projects.loc[projects["technology"] == "fossil", "capacity_mw"].sum()
    assert fossil_mw > 0  # the registry does hold fossil capacity, so the exclusion below is a real test
    assert table["capacity_mw"].sum() == pytest.approx(
        projects.loc[projects["technology"] != "fossil", "capacity_mw"].sum()
    )


def test_every_seed_figure_on_a_project_is_recorded():
    figures = load("energy_project_figures", root=ROOT)
    seeds = figures[figures["source_id"].str.startswith("seed_")]
    pairs = set(zip(seeds["project_id"], seeds["field"], strict=True))
    assert {("kz-turgusun-1-hydro", "co2_avoided_t"), ("kz-akmola-wind-cluster", "annual_gwh")} <= pairs
    assert pd.api.types.is_float_dtype(figures["value"])
