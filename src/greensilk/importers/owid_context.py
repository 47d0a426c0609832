"""Our World in Data: population, GDP and CO₂ of the five Central Asian countries and China (context chapter).

Reads ``data/snapshots/owid/owid-co2-data_six-countries.csv`` (an extract of ``owid-co2-data.csv``, see
``SNAPSHOT.json``) and writes ``data/region/context.csv``: one row per country and year with population, GDP in
international dollars at 2011 prices (Maddison Project Database, via OWID), CO₂ emissions from fossil fuels and
industry and CO₂ per person (Global Carbon Budget, via OWID). Values are passed through unchanged; empty upstream
cells stay empty (GDP ends one year before CO₂).

Because the extract was copied from windowed reads of a file too large to fetch whole, :func:`build` cross-checks
it before anything is written: OWID's per-person CO₂ must equal CO₂ ÷ population, and its CO₂-per-GDP column must
equal CO₂ (including land use) ÷ GDP, both to the rounding of the printed values. A disagreement names the row and
the column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

OUTPUTS = ("region/context.csv",)
SNAPSHOT = Path("owid") / "owid-co2-data_six-countries.csv"
SOURCE_ID = "owid_co2"
COUNTRIES = ("CHN", "KAZ", "KGZ", "TJK", "TKM", "UZB")

# largest difference allowed between a printed per-unit value and the one recomputed from printed totals: the
# per-unit values are printed to 3 decimals (half a unit in the last place), the totals to 3 decimals of Mt
PER_PERSON_TOLERANCE = 0.0006  # t per person
PER_GDP_TOLERANCE = 0.0006  # kg per international-$


def _check(frame: pd.DataFrame, path: Path) -> None:
    recomputed = frame["co2"] * 1e6 / frame["population"]
    bad = (recomputed - frame["co2_per_capita"]).abs() > PER_PERSON_TOLERANCE
    for i in frame.index[bad]:
        raise ValueError(
            f"{path}: row {i + 1} (line {i + 2}), column 'co2_per_capita': {frame.at[i, 'co2_per_capita']} but "
            f"co2 / population = {recomputed[i]:.4f}; the extract does not match the upstream file"
        )
    has_gdp = frame["gdp"].notna()
    recomputed = frame["co2_including_luc"] * 1e9 / frame["gdp"]
    bad = has_gdp & ((recomputed - frame["co2_including_luc_per_gdp"]).abs() > PER_GDP_TOLERANCE)
    for i in frame.index[bad]:
        raise ValueError(
            f"{path}: row {i + 1} (line {i + 2}), column 'gdp': {frame.at[i, 'gdp']} is inconsistent with "
            f"co2_including_luc_per_gdp ({frame.at[i, 'co2_including_luc_per_gdp']} vs {recomputed[i]:.4f})"
        )


def build(snapshots: Path) -> dict[str, pd.DataFrame]:
    path = snapshots / SNAPSHOT
    raw = pd.read_csv(path, dtype={"iso_code": str, "gdp": float})
    unknown = sorted(set(raw["iso_code"]) - set(COUNTRIES))
    if unknown:
        raise ValueError(f"{path}: column 'iso_code': unexpected country codes {unknown}")
    _check(raw, path)
    out = pd.DataFrame(
        {
            "country_iso3": raw["iso_code"],
            "year": raw["year"].astype(int),
            "population": raw["population"].astype("int64"),
            # GDP is printed with three decimals of a dollar (always .000): keep whole dollars
            "gdp_intl_usd_2011": raw["gdp"].round().astype("Int64"),
            "co2_mt": raw["co2"],
            "co2_t_per_capita": raw["co2_per_capita"],
            "source_id": SOURCE_ID,
        }
    )
    return {OUTPUTS[0]: out.sort_values(["country_iso3", "year"]).reset_index(drop=True)}
