"""Global Energy Monitor: installed capacity by country and type (Global Integrated Power Tracker dashboard data)
and the unit-level coal, oil-and-gas and hydropower trackers, for the five Central Asian countries (and China for
capacity). Snapshots and provenance: ``data/snapshots/gem/SNAPSHOT.json``.

Chinese ownership is read from the trackers' owner and parent fields: an entity counts as Chinese when its name
matches one of :data:`CHINESE_ENTITIES` (a list kept by this report; every match in the data is shown in
``chinese_owners`` so it can be checked). Stakes are the percentages GEM gives in brackets; a Chinese owner named
without a percentage leaves the stake empty (unknown), never 100 %.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

OUTPUTS = ("energy/capacity_gem.csv", "energy/plant_units.csv")

COUNTRY_ISO3 = {
    "Kazakhstan": "KAZ",
    "Kyrgyzstan": "KGZ",
    "Tajikistan": "TJK",
    "Turkmenistan": "TKM",
    "Uzbekistan": "UZB",
    "China": "CHN",
}

TECHNOLOGY = {
    "Coal": "coal",
    "Oil and gas": "oil_gas",
    "Utility-scale solar": "solar",
    "Wind": "wind",
    "Hydropower": "hydro",
    "Nuclear": "nuclear",
    "Bioenergy": "bioenergy",
    "Geothermal": "geothermal",
}

CHINESE_ENTITIES = (
    r"\bChina\b",
    r"\bChinese\b",
    r"Silk Road Fund",
    r"PetroChina",
    r"\bCNPC\b",
    r"Sinopec",
    r"Huadian",
    r"Datang",
    r"Huaneng",
    r"State Power Investment",
    r"PowerChina",
    r"Norinco",
    r"\bTBEA\b",
)
"""Name patterns of Chinese state or private companies and funds (case-sensitive regular expressions)."""

STATUS_GROUP = {
    "operating": "operating",
    "mothballed": "mothballed",
    "construction": "construction",
    "pre-construction": "planned",
    "pre-permit": "planned",
    "permitted": "planned",
    "announced": "planned",
    "shelved": "shelved_cancelled",
    "shelved - inferred 2 y": "shelved_cancelled",
    "cancelled": "shelved_cancelled",
    "cancelled - inferred 4 y": "shelved_cancelled",
    "retired": "retired",
}

_STAKE = re.compile(r"^(?P<name>.*?)\s*\[(?P<pct>[0-9.]+)%\]\s*$")


def split_owners(text) -> list[tuple[str, float]]:
    """'A [60%]; B [40.0%]; C' -> [('A', 60.0), ('B', 40.0), ('C', nan)]."""
    if not isinstance(text, str) or not text.strip():
        return []
    out = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        m = _STAKE.match(part)
        out.append((m["name"].strip(), float(m["pct"])) if m else (part, np.nan))
    return out


def is_chinese(name: str) -> bool:
    return any(re.search(p, name) for p in CHINESE_ENTITIES)


def chinese_stake(owner, parent) -> tuple[str, float]:
    """Chinese entities among the owners (else the parents) and their summed stake (NaN if any is unstated)."""
    for text in (owner, parent):
        found = [(n, p) for n, p in split_owners(text) if is_chinese(n)]
        if found:
            names = "; ".join(sorted({n for n, _ in found}))
            stakes = [p for _, p in found]
            return names, (float(sum(stakes)) if not any(np.isnan(stakes)) else np.nan)
    return "", np.nan


def capacity(folder: Path) -> pd.DataFrame:
    raw = pd.read_csv(folder / "gem_capacity_stacked_extract.csv")
    long = raw.melt(id_vars=["Country", "Year"], var_name="type", value_name="capacity_gw")
    long["country_iso3"] = long["Country"].map(COUNTRY_ISO3)
    long["technology"] = long["type"].map(TECHNOLOGY)
    if long["country_iso3"].isna().any() or long["technology"].isna().any():
        raise ValueError("gem capacity: unknown country or type in the snapshot")
    long["capacity_mw"] = (long["capacity_gw"] * 1000).round(3)
    long["source_id"] = "gem_gipt_capacity_2026"
    out = long.rename(columns={"Year": "year"})[["country_iso3", "year", "technology", "capacity_mw", "source_id"]]
    return out.sort_values(["country_iso3", "technology", "year"]).reset_index(drop=True)


def _fuel_of_gogpt(text: str) -> str:
    first = str(text).split(",")[0]
    return "gas" if first.startswith("fossil gas") else "oil"


def _tracker_units(frame, tracker, source_id, unit_id, owner, parent, fuel) -> pd.DataFrame:
    """The coal and the oil-and-gas trackers' unit tables in the output's columns: the two share their headers except
    the unit id, owner and parent columns, and the fuel (``fuel(frame)``: a value or a column)."""
    return pd.DataFrame(
        {
            "tracker": tracker,
            "gem_unit_id": frame[unit_id],
            "gem_location_id": frame["GEM location ID"],
            "plant_name": frame["Plant name"],
            "unit_name": frame["Unit name"],
            "country": frame["Country/Area"],
            "fuel": fuel(frame),
            "capacity_mw": frame["Capacity (MW)"],
            "status": frame["Status"],
            "start_year": frame["Start year"],
            "retired_year": frame["Retired year"],
            "owner": frame[owner],
            "parent": frame[parent],
            "lat": frame["Latitude"],
            "lon": frame["Longitude"],
            "location_accuracy": frame["Location accuracy"],
            "source_id": source_id,
        }
    )


def units(folder: Path) -> pd.DataFrame:
    coal = _tracker_units(
        pd.read_csv(folder / "gcpt_january_2025_extract.csv", dtype=str),
        "gcpt",
        "gem_gcpt_2025_01",
        unit_id="GEM unit/phase ID",
        owner="Owner",
        parent="Parent",
        fuel=lambda frame: "coal",
    )
    gas = _tracker_units(
        pd.read_csv(folder / "gogpt_january_2025_extract.csv", dtype=str),
        "gogpt",
        "gem_gogpt_2025_01",
        unit_id="GEM unit ID",
        owner="Owner(s)",
        parent="Parent(s)",
        fuel=lambda frame: frame["Fuel"].map(_fuel_of_gogpt),
    )
    hydro = pd.read_csv(folder / "ghpt_may_2024_extract.csv", dtype=str, keep_default_na=False).replace("", np.nan)
    hydro = pd.DataFrame(
        {
            "tracker": "ghpt",
            "gem_unit_id": hydro["gem_unit_id"],
            "gem_location_id": hydro["gem_location_id"],
            "plant_name": hydro["project_name"],
            "unit_name": np.nan,
            "country": hydro["country"],
            "fuel": "hydro",
            "capacity_mw": hydro["capacity_(mw)"],
            "status": hydro["status"],
            "start_year": hydro["start_year"],
            "retired_year": hydro["retired_year"],
            "owner": hydro["owner"],
            "parent": np.nan,
            "lat": hydro["lat"],
            "lon": hydro["lng"],
            "location_accuracy": hydro["location_accuracy"],
            "source_id": "gem_ghpt_2024_05",
        }
    )
    out = pd.concat([coal, gas, hydro], ignore_index=True)
    out["country_iso3"] = out["country"].map(COUNTRY_ISO3)
    if out["country_iso3"].isna().any():
        raise ValueError("gem units: a unit outside the five countries")
    for col in ("capacity_mw", "lat", "lon"):
        out[col] = pd.to_numeric(out[col])
    for col in ("start_year", "retired_year"):
        # GEM writes 'not found' where a year is unknown: kept as missing
        out[col] = pd.to_numeric(out[col].replace("not found", np.nan)).astype("Int64")
    unknown = set(out["status"]) - set(STATUS_GROUP)
    if unknown:
        raise ValueError(f"gem units: status without a group: {sorted(unknown)}")
    out["status_group"] = out["status"].map(STATUS_GROUP)
    found = [chinese_stake(o, p) for o, p in zip(out["owner"], out["parent"], strict=True)]
    out["chinese_owners"] = [f[0] for f in found]
    out["chinese_stake_pct"] = [f[1] for f in found]
    cols = [
        "tracker",
        "gem_unit_id",
        "gem_location_id",
        "plant_name",
        "unit_name",
        "country_iso3",
        "fuel",
        "capacity_mw",
        "status",
        "status_group",
        "start_year",
        "retired_year",
        "owner",
        "parent",
        "chinese_owners",
        "chinese_stake_pct",
        "lat",
        "lon",
        "location_accuracy",
        "source_id",
    ]
    return out[cols].sort_values(["tracker", "country_iso3", "plant_name", "gem_unit_id"]).reset_index(drop=True)


def build(snapshots: Path) -> dict[str, pd.DataFrame]:
    folder = snapshots / "gem"
    return {"energy/capacity_gem.csv": capacity(folder), "energy/plant_units.csv": units(folder)}
