"""Aral Sea hydrology: yearly level, area, volume and salinity by basin, and the sea's water balance.

Three snapshots (``data/snapshots/aral_hydrology/``, described in its ``SNAPSHOT.json``):

- ``nachtnebel_table.csv``: a yearly water-balance table of the whole sea, 1950–2001 (river inflow of the Amu Darya
  and Syr Darya, precipitation and evaporation on the sea, level, volume, area, salinity). Known defects of the
  copy are carried into a ``flag`` column and the value is left empty: from 1990 salinity, precipitation and
  evaporation hold the placeholder 1; the 2001 level, volume and area repeat 2000; the 1986 precipitation (417) is
  a typing error (neighbouring years are 4–12 km³). From 1989 the level is that of the Large (South) Aral only.
- ``unesco_basin_areas.csv``: surface area by basin 1986–2018 in thousand km² (total; "Large" = the whole South
  Aral until 2006 and its western basin from 2007, when the eastern basin is listed apart; "Small" = North Aral).
  The upstream file's rows from 2019 come from news items, not from the report; they were not taken.
- ``smashi_small_aral_balance.csv``: monthly water balance of the North (Small) Aral, 2006-01 to 2017-03 (km³
  per month; volume in km³). Only complete calendar years are aggregated: inflow and outflow summed over the
  twelve months, volume as the mean of the twelve monthly observed values (``basis = derived``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

OUTPUTS = ("aral/series.csv", "aral/water_balance.csv")

COMPILATION = "aral_water_balance_compilation"
UNESCO = "unesco_aral_region_areas"
SMASHI = "smashi_small_aral_balance"

UNITS = {"level": "m_asl", "area": "km2", "volume": "km3", "salinity": "g_per_l"}
LARGE_ARAL_LEVEL_FROM = 1989
PLACEHOLDER_FROM = 1990


def _compilation(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "nachtnebel_table.csv", sep=";", decimal=",")


def _flagged(year: int, column: str, table: pd.DataFrame) -> str:
    """Why a value of the compilation is not used, or '' if it is used."""
    if year >= PLACEHOLDER_FROM and column in ("Salinity", "Precipitation", "Evaporation", "Amudarya_s", "Syrdarya_s"):
        return "placeholder"
    if column in ("elevation", "Volume", "Area") and year > int(table["Year"].min()):
        previous = table.loc[table["Year"] == year - 1, ["elevation", "Volume", "Area"]]
        current = table.loc[table["Year"] == year, ["elevation", "Volume", "Area"]]
        if not previous.empty and (previous.to_numpy() == current.to_numpy()).all():
            return "repeats_previous_year"
    if column == "Precipitation":
        others = table.loc[table["Year"] != year, "Precipitation"]
        typical = others[others > 1.5].median()
        if table.loc[table["Year"] == year, "Precipitation"].iloc[0] > 10 * typical:
            return "typo"
    return ""


def _series_from_compilation(table: pd.DataFrame) -> list[dict]:
    rows = []
    for column, metric in (("elevation", "level"), ("Area", "area"), ("Volume", "volume"), ("Salinity", "salinity")):
        for _, r in table.iterrows():
            year = int(r["Year"])
            flag = _flagged(year, column, table)
            body = "south" if metric == "level" and year >= LARGE_ARAL_LEVEL_FROM else "whole"
            note = "level of the Large (South) Aral, as the table gives it from 1989" if body == "south" else ""
            rows.append(
                dict(
                    year=year,
                    water_body=body,
                    metric=metric,
                    value=None if flag else float(r[column]),
                    unit=UNITS[metric],
                    basis="reported",
                    flag=flag,
                    source_id=COMPILATION,
                    note=note,
                )
            )
    return rows


def _series_from_unesco(folder: Path) -> list[dict]:
    areas = pd.read_csv(folder / "unesco_basin_areas.csv")
    rows = []
    for _, r in areas.iterrows():
        year = int(r["Year"])
        split = pd.notna(r["Eastern"])
        parts = {
            "whole": ("Total", "sum of the basins as published"),
            "north": ("Small", ""),
            ("south_west" if split else "south"): ("Large", "western basin" if split else "whole South (Large) Aral"),
        }
        if split:
            parts["south_east"] = ("Eastern", "")
        for body, (column, note) in parts.items():
            rows.append(
                dict(
                    year=year,
                    water_body=body,
                    metric="area",
                    value=round(float(r[column]) * 1000, 1),
                    unit="km2",
                    basis="reported",
                    flag="",
                    source_id=UNESCO,
                    note=("published in thousand km²; " + note).rstrip("; "),
                )
            )
    return rows


def _smashi_years(folder: Path) -> pd.DataFrame:
    monthly = pd.read_csv(folder / "smashi_small_aral_balance.csv", parse_dates=["Date"])
    monthly["year"] = monthly["Date"].dt.year
    counts = monthly.groupby("year")["Date"].count()
    full = counts[counts == 12].index
    return monthly[monthly["year"].isin(full)].groupby("year")


def _series_from_smashi(folder: Path) -> list[dict]:
    rows = []
    for year, group in _smashi_years(folder):
        rows.append(
            dict(
                year=int(year),
                water_body="north",
                metric="volume",
                value=round(float(group["Vol_obs"].mean()), 2),
                unit="km3",
                basis="derived",
                flag="",
                source_id=SMASHI,
                note="mean of the twelve monthly observed volumes (Vol_obs)",
            )
        )
    return rows


def _balance(folder: Path, table: pd.DataFrame) -> list[dict]:
    rows = []
    components = (
        ("Amudarya_Q", "amu_darya_inflow"),
        ("Syrdarya_Q", "syr_darya_inflow"),
        ("Precipitation", "precipitation"),
        ("Evaporation", "evaporation"),
    )
    for column, component in components:
        for _, r in table.iterrows():
            year = int(r["Year"])
            flag = _flagged(year, column, table)
            rows.append(
                dict(
                    year=year,
                    water_body="whole",
                    component=component,
                    value=None if flag else float(r[column]),
                    unit="km3_per_year",
                    basis="reported",
                    flag=flag,
                    source_id=COMPILATION,
                    note="",
                )
            )
    for year, group in _smashi_years(folder):
        for column, component in (("Inflow", "syr_darya_inflow"), ("Outflow", "outflow_kokaral")):
            rows.append(
                dict(
                    year=int(year),
                    water_body="north",
                    component=component,
                    value=round(float(group[column].sum()), 3),
                    unit="km3_per_year",
                    basis="derived",
                    flag="",
                    source_id=SMASHI,
                    note=f"sum of the twelve monthly values ({column})",
                )
            )
    return rows


ORDER = {"whole": 0, "north": 1, "south": 2, "south_west": 3, "south_east": 4}


def build(snapshots: Path) -> dict[str, pd.DataFrame]:
    folder = snapshots / "aral_hydrology"
    table = _compilation(folder)
    series = pd.DataFrame(_series_from_compilation(table) + _series_from_unesco(folder) + _series_from_smashi(folder))
    series = series.assign(_b=series["water_body"].map(ORDER)).sort_values(["metric", "_b", "source_id", "year"])
    series = series.drop(columns="_b").reset_index(drop=True)
    balance = pd.DataFrame(_balance(folder, table)).sort_values(["component", "water_body", "year"])
    return {"aral/series.csv": series, "aral/water_balance.csv": balance.reset_index(drop=True)}
