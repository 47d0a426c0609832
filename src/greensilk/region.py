"""The region in context: population, income, electricity and CO₂ per person (chapter ``00_region``).

All inputs are datasets of the package: ``region_context`` (Our World in Data: population, GDP, CO₂) and the
``total`` rows of ``electricity_generation`` (Our World in Data's energy dataset). Per-person values that OWID does
not publish in those files are derived here, and each derivation is stated where it is made.
"""

from __future__ import annotations

import pandas as pd

INDICATORS = {
    "population_m": ("Population", "million people"),
    "gdp_per_person": ("GDP per person", "international-$ at 2011 prices"),
    "electricity_kwh_per_person": ("Electricity generated per person", "kWh per person"),
    "co2_t_per_person": ("CO₂ per person", "t CO₂ per person"),
}
"""The chapter's four indicators (column name -> (label, unit)), in the order the chapter shows them."""


def indicators(context: pd.DataFrame, generation: pd.DataFrame) -> pd.DataFrame:
    """One row per country and year with the four indicators of :data:`INDICATORS`.

    - ``population_m``: OWID population ÷ 10⁶;
    - ``gdp_per_person``: derived, OWID GDP (Maddison, international-$ at 2011 prices) ÷ OWID population;
    - ``electricity_kwh_per_person``: derived, total electricity generation (TWh) × 10⁹ ÷ OWID population. This
      is generation, not use: a country's net exports are counted and its net imports are not;
    - ``co2_t_per_person``: as published by OWID (Global Carbon Budget ÷ population).

    A value is missing where an input is (GDP ends a year before CO₂; generation may run beyond population).
    """
    required = {"country_iso3", "year", "population", "gdp_intl_usd_2011", "co2_t_per_capita"}
    missing = required - set(context.columns)
    if missing:
        raise KeyError(f"region_context lacks columns {sorted(missing)}")
    totals = generation[generation["fuel"] == "total"][["country_iso3", "year", "value_twh"]]
    if totals.duplicated(["country_iso3", "year"]).any():
        raise ValueError("electricity_generation has more than one total for a country and year")
    frame = context.merge(totals, on=["country_iso3", "year"], how="left")
    population = frame["population"].astype(float)
    out = pd.DataFrame(
        {
            "country_iso3": frame["country_iso3"],
            "year": frame["year"].astype(int),
            "population_m": population / 1e6,
            "gdp_per_person": frame["gdp_intl_usd_2011"].astype(float) / population,
            "electricity_kwh_per_person": frame["value_twh"].astype(float) * 1e9 / population,
            "co2_t_per_person": frame["co2_t_per_capita"].astype(float),
        }
    )
    return out.sort_values(["country_iso3", "year"]).reset_index(drop=True)


def latest(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """For each country, the latest year with a value of ``column``: columns ``country_iso3``, ``year``, ``value``."""
    have = frame.dropna(subset=[column]).sort_values("year")
    last = have.groupby("country_iso3", sort=True).tail(1)
    return last[["country_iso3", "year", column]].rename(columns={column: "value"}).reset_index(drop=True)


def change_since(frame: pd.DataFrame, column: str, start: int = 2000) -> pd.DataFrame:
    """Value of ``column`` in ``start`` and in each country's latest year with a value, and their ratio.

    Columns: ``country_iso3``, ``start_value``, ``end_year``, ``end_value``, ``ratio`` (end ÷ start). A country
    without a value in ``start`` raises an error naming it, so a chapter never compares from a different year.
    """
    first = frame[frame["year"] == start].set_index("country_iso3")[column]
    end = latest(frame, column).set_index("country_iso3")
    absent = sorted(set(end.index) - set(first.dropna().index))
    if absent:
        raise ValueError(f"no {column} value in {start} for {absent}")
    out = pd.DataFrame(
        {
            "start_value": first.loc[end.index],
            "end_year": end["year"],
            "end_value": end["value"],
        }
    )
    out["ratio"] = out["end_value"] / out["start_value"]
    return out.rename_axis("country_iso3").reset_index()


def indexed(frame: pd.DataFrame, column: str, base_year: int = 2000) -> pd.Series:
    """``column`` as an index, 100 in ``base_year`` for each country (used for population, whose levels differ
    by a factor of 200 between China and Kyrgyzstan)."""
    base = frame[frame["year"] == base_year].set_index("country_iso3")[column]
    if base.isna().any() or base.empty:
        raise ValueError(f"no {column} value in {base_year} for every country")
    return frame[column] / frame["country_iso3"].map(base) * 100
