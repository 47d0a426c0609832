"""IRENA Renewable Capacity Statistics for wind and solar, as processed by Our World in Data (a second basis for
installed wind and solar capacity beside Global Energy Monitor's). Snapshots and provenance:
``data/snapshots/irena_owid/SNAPSHOT.json``. A country-year absent from the source stays absent (never zero)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

OUTPUTS = ("energy/capacity_irena.csv",)

FILES = {
    "wind": ("wind_capacity_extract.csv", "Wind capacity (total) (GW)"),
    "solar": ("solar_capacity_extract.csv", "Solar capacity (total) (GW)"),
}
CODES = {"KAZ", "KGZ", "TJK", "TKM", "UZB", "CHN"}


def build(snapshots: Path) -> dict[str, pd.DataFrame]:
    folder = snapshots / "irena_owid"
    frames = []
    for tech, (name, column) in FILES.items():
        raw = pd.read_csv(folder / name)
        if column not in raw.columns or set(raw["Code"]) - CODES:
            raise ValueError(f"{name}: unexpected columns or countries")
        frames.append(
            pd.DataFrame(
                {
                    "country_iso3": raw["Code"],
                    "year": raw["Year"],
                    "technology": tech,
                    "capacity_mw": (raw[column] * 1000).round(3),
                    "source_id": "irena_owid_capacity_2024",
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    return {"energy/capacity_irena.csv": out.sort_values(["country_iso3", "technology", "year"]).reset_index(drop=True)}
