"""Tests of the capacity, role, finance and realised-factor helpers of the energy chapter (greensilk.energy) and of
the energy importers, on small hand-made frames, plus the cross-references between the registry and the datasets."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from greensilk import energy  # noqa: E402
from greensilk.data import load  # noqa: E402
from greensilk.importers import cofi, gem  # noqa: E402

from .conftest import ROOT  # noqa: E402


# ----------------------------------------------------------------------------------------------- importers
def test_owner_strings_are_split_with_their_stakes():
    assert gem.split_owners("A [60%]; B [40.0%]; C") == [
        ("A", 60.0),
        ("B", 40.0),
        ("C", pytest.approx(np.nan, nan_ok=True)),
    ]
    assert gem.split_owners(np.nan) == []


def test_chinese_stake_sums_stated_stakes_and_never_assumes_100():
    names, stake = gem.chinese_stake("ACWA Power Sirdarya LLC [51%]; Silk Road Fund [49%]", None)
    assert names == "Silk Road Fund" and stake == pytest.approx(49.0)
    names, stake = gem.chinese_stake("Local Co [100%]", "PetroChina Co Ltd; Other")
    assert names == "PetroChina Co Ltd" and np.isnan(stake)
    assert gem.chinese_stake("Samruk-Energo JSC [100%]", "Samruk-Kazyna SWF JSC [100.0%]") == (
        "",
        pytest.approx(np.nan, nan_ok=True),
    )


def test_cofi_flags_the_zhanatas_mislabel_and_keeps_the_published_fuel():
    table = cofi.build(ROOT / "data" / "snapshots")["energy/chinese_finance.csv"].set_index("cofi_id")
    row = table.loc["KAZ2022009"]
    assert row["fuel_as_published"] == "offshore wind" and row["fuel"] == "wind"
    assert "onshore" in row["flag"]
    assert (table.drop(index="KAZ2022009")["flag"] == "").all()


# ----------------------------------------------------------------------------------------------- capacity
def _cap(rows):
    return pd.DataFrame(rows, columns=["country_iso3", "year", "technology", "capacity_mw"])


def test_additions_are_year_on_year_changes_and_refuse_gaps():
    cap = _cap([("KAZ", 2020, "wind", 100.0), ("KAZ", 2021, "wind", 250.0), ("KAZ", 2022, "wind", 240.0)])
    adds = energy.capacity_additions(cap)
    assert list(adds["added_mw"]) == [150.0, -10.0]
    with pytest.raises(ValueError, match="gap"):
        energy.capacity_additions(cap[cap["year"] != 2021])


def test_bases_compare_only_where_both_exist():
    g = _cap([("KAZ", 2023, "wind", 1000.0), ("KAZ", 2024, "wind", 1200.0), ("KAZ", 2023, "coal", 5.0)])
    i = _cap([("KAZ", 2023, "wind", 1200.0)])
    both = energy.wind_solar_bases(g, i).set_index("year")
    assert both.loc[2023, "gap_pct"] == pytest.approx(20.0)
    assert np.isnan(both.loc[2024, "gap_pct"]) and np.isnan(both.loc[2024, "capacity_mw_irena"])


def test_realised_factor_uses_mean_capacity_and_flags_fast_growth():
    cap = _cap([("KAZ", 2022, "wind", 100.0), ("KAZ", 2023, "wind", 100.0), ("KAZ", 2024, "wind", 300.0)])
    gen = pd.DataFrame({"country_iso3": "KAZ", "year": [2023, 2024], "fuel": "wind", "value_twh": [0.2628, 0.5256]})
    out = energy.realised_capacity_factors(gen, cap, "GEM").set_index("year")
    # 0.2628 TWh from 100 MW is 30 %; in 2024 the mean capacity is 200 MW
    assert out.loc[2023, "capacity_factor"] == pytest.approx(0.30)
    assert out.loc[2024, "mean_mw"] == pytest.approx(200.0)
    assert bool(out.loc[2023, "reliable"]) and not bool(out.loc[2024, "reliable"])
    assert 2022 not in out.index  # no capacity at the end of 2021


# ----------------------------------------------------------------------------------------------- registry roles
def _registry(rows):
    cols = [
        "project_id",
        "country_iso3",
        "technology",
        "fossil_fuel",
        "capacity_mw",
        "status",
        "status_year",
        "cn_equity_owner",
        "cn_equity_pct",
        "cn_lender",
        "cn_epc",
        "cn_equipment",
        "cn_role_unstated",
    ]
    return pd.DataFrame(rows, columns=cols)


REG = _registry(
    [
        ("a", "UZB", "wind", None, 1000.0, "operating", 2025, "X", 35.0, None, "Y", "Z", None),
        ("b", "UZB", "solar", None, 200.0, "operating", 2024, "X", None, None, None, None, None),
        ("c", "UZB", "solar", None, 300.0, "agreed", 2025, "X", None, None, None, None, None),
        ("d", "KAZ", "wind", None, 100.0, "operating", 2020, None, None, "Bank", None, None, None),
        ("e", "KAZ", "fossil", "coal", 500.0, "operating", 2025, None, None, "Bank", None, None, None),
    ]
)


def test_stale_is_relative_to_the_data_not_the_clock():
    assert list(energy.stale(REG)) == [False, False, False, True, False]  # newest status 2025: 2020 is > 3 years old
    assert not energy.stale(REG, as_of=2023).any()


def test_share_counts_whole_plants_by_role_and_weights_stated_stakes_only():
    national = _cap([("UZB", 2025, "wind", 1500.0), ("UZB", 2025, "solar", 500.0), ("KAZ", 2025, "wind", 400.0)])
    out = energy.chinese_share(REG, national, 2025, "GEM").set_index("country_iso3")
    uzb = out.loc["UZB"]
    assert uzb["any_role_mw"] == 1200.0  # the agreed plant is not operating
    assert uzb["any_role_pct"] == pytest.approx(60.0)
    assert uzb["equity_weighted_mw"] == pytest.approx(350.0)  # 35 % of 1,000 MW, not the whole plant
    assert uzb["equity_unstated_mw"] == 200.0
    assert uzb["cn_epc_mw"] == 1000.0 and uzb["cn_lender_mw"] == 0.0
    kaz = out.loc["KAZ"]
    assert kaz["any_role_mw"] == 100.0 and kaz["stale_mw"] == 100.0  # the coal plant never counts
    earlier = energy.chinese_share(REG, national.assign(year=2024), 2024, "GEM").set_index("country_iso3")
    assert earlier.loc["UZB", "any_role_mw"] == 200.0  # a plant reported operating in 2025 is not counted in 2024


def test_clean_and_fossil_split():
    values = pd.DataFrame({"fuel": ["coal", "gas", "wind", "hydro"], "v": [30.0, 10.0, 50.0, 10.0]})
    split = energy.clean_fossil_split(values, "v")
    assert split == {"fossil": 40.0, "clean": 60.0, "fossil_pct": pytest.approx(40.0)}


def test_finance_counts_debt_and_equity_at_their_own_years():
    fin = pd.DataFrame(
        {
            "cofi_id": ["KAZ0000001"],
            "country_iso3": ["KAZ"],
            "fuel": ["wind"],
            "debt_usd_m": [13.3],
            "debt_year": [2020],
            "equity_usd_m": [112.0],
            "equity_year": [2021],
        }
    )
    out = energy.finance_by_fuel(fin).set_index("kind")
    assert (out.loc["debt", "year"], out.loc["debt", "usd_m"]) == (2020, 13.3)
    assert (out.loc["equity", "year"], out.loc["equity", "usd_m"]) == (2021, 112.0)


def test_large_hydro_takes_roles_from_the_registry_only():
    units = pd.DataFrame(
        {
            "tracker": "ghpt",
            "gem_unit_id": ["G1", "G2", "G3"],
            "plant_name": [
                "Big hydroelectric plant",
                "China Friendship hydroelectric plant",
                "Small hydroelectric plant",
            ],
            "country_iso3": "TJK",
            "capacity_mw": [3000.0, 700.0, 300.0],
            "status_group": "operating",
            "start_year": 1980,
        }
    )
    reg = pd.DataFrame(
        {
            "project_id": ["p"],
            "name": ["Small"],
            "country_iso3": ["TJK"],
            "technology": ["hydro"],
            "capacity_mw": [300.0],
            "status": ["operating"],
            "gem_ids": ["G3"],
            "cofi_ids": ["TJK0000001"],
            "cn_equity_owner": [None],
            "cn_lender": ["Bank"],
            "cn_epc": [None],
            "cn_equipment": [None],
            "cn_role_unstated": [None],
        }
    )
    fin = pd.DataFrame({"cofi_id": ["TJK0000001"], "total_usd_m": [50.0]})
    out = energy.large_hydro(units, reg, fin).set_index("gem_unit_id")
    assert set(out.index) == {"G1", "G2", "G3"}  # the small plant is shown because a Chinese role links it
    assert out.loc["G2", "chinese_role"] == ""  # a name is never evidence of a role
    assert out.loc["G3", "chinese_role"] == "lender: Bank" and out.loc["G3", "cofi_usd_m"] == 50.0


def test_stated_yields_are_judged_against_reliable_national_factors():
    checks = pd.DataFrame(
        {
            "project_id": ["a", "b", "c"],
            "country_iso3": ["KAZ", "KAZ", "UZB"],
            "tech_group": "wind",
            "capacity_factor": [0.30, 0.60, 0.40],
        }
    )
    realised = pd.DataFrame(
        {
            "country_iso3": ["KAZ", "KAZ", "UZB"],
            "technology": "wind",
            "year": [2023, 2024, 2024],
            "capacity_factor": [0.30, 0.90, 0.40],
            "reliable": [True, False, False],
        }
    )
    out = energy.stated_vs_realised(checks, realised).set_index("project_id")
    assert out.loc["a", "realised_cf"] == pytest.approx(0.30)  # the unreliable 2024 factor is left out
    assert out.loc["a", "verdict"] == "within range" and out.loc["b", "verdict"] == "above realised"
    assert out.loc["c", "verdict"] == "no national factor"


# ----------------------------------------------------------------------------------------------- cross-references
@pytest.fixture(scope="module")
def registry():
    return load("energy_projects", root=ROOT)


def _ids(cell):
    return [] if pd.isna(cell) else [i for i in str(cell).split(";") if i]


def test_registry_ids_exist_in_the_datasets(registry):
    units = set(load("energy_plant_units", root=ROOT)["gem_unit_id"])
    finance = set(load("energy_chinese_finance", root=ROOT)["cofi_id"])
    for row in registry.itertuples():
        assert set(_ids(row.gem_ids)) <= units, row.project_id
        assert set(_ids(row.cofi_ids)) <= finance, row.project_id


def test_rows_taken_from_the_datasets_keep_the_datasets_values(registry):
    units = load("energy_plant_units", root=ROOT).set_index("gem_unit_id")
    finance = load("energy_chinese_finance", root=ROOT).set_index("cofi_id")
    checked = 0
    for row in registry.itertuples():
        sources = row.source_ids.split(";")
        if sources == ["cofi_v2_2"]:
            (cofi_id,) = _ids(row.cofi_ids)
            assert row.capacity_mw == pytest.approx(finance.loc[cofi_id, "capacity_mw"]), row.project_id
            checked += 1
        elif set(sources) & {"gem_gcpt_2025_01", "gem_gogpt_2025_01"} and "cofi_v2_2" not in sources:
            assert row.capacity_mw == pytest.approx(units.loc[_ids(row.gem_ids), "capacity_mw"].sum()), row.project_id
            stake = units.loc[_ids(row.gem_ids), "chinese_stake_pct"].iloc[0]
            assert row.cn_equity_pct == pytest.approx(stake), row.project_id
            checked += 1
    assert checked >= 8


def test_fossil_rows_name_their_fuel_and_clean_rows_do_not(registry):
    fossil = registry["technology"] == "fossil"
    assert registry.loc[fossil, "fossil_fuel"].notna().all()
    assert registry.loc[~fossil, "fossil_fuel"].isna().all()


def test_a_stake_is_only_given_with_an_owner(registry):
    assert registry.loc[registry["cn_equity_pct"].notna(), "cn_equity_owner"].notna().all()


def test_every_registry_row_records_at_least_one_chinese_role(registry):
    roles = registry[list(energy.ROLE_FIELDS)].notna().any(axis=1)
    assert roles.all(), list(registry.loc[~roles, "project_id"])


def test_wri_ids_are_the_ones_cofi_gives(registry):
    finance = load("energy_chinese_finance", root=ROOT).set_index("cofi_id")
    for row in registry.itertuples():
        expected = sorted(
            {finance.loc[i, "gppd_id"] for i in _ids(row.cofi_ids) if pd.notna(finance.loc[i, "gppd_id"])}
        )
        assert _ids(row.gppd_ids) == expected, row.project_id


def test_financed_capacity_is_dated_by_the_first_commitment_and_needs_a_capacity():
    fin = pd.DataFrame(
        {
            "fuel": ["wind", "gas", "hydro"],
            "capacity_mw": [100.0, 1500.0, np.nan],
            "debt_year": [2021, 2021, 2017],
            "equity_year": [2019, 2023, np.nan],
        }
    )
    out = energy.financed_capacity_by_year(fin).set_index("fuel")
    assert out.loc["wind", "year"] == 2019 and out.loc["gas", "year"] == 2021
    assert "hydro" not in out.index
