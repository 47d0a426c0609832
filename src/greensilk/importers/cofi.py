"""China's Overseas Finance Inventory (COFI) v2.2: Chinese debt and equity in power plants of the five Central
Asian countries. Snapshot and provenance: ``data/snapshots/cofi/SNAPSHOT.json``.

Fuels are harmonised to coal, gas, hydro, wind and solar; the published label is kept in ``fuel_as_published``.
Known errors in the published rows are flagged, not corrected silently (:data:`FLAGS`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

OUTPUTS = ("energy/chinese_finance.csv",)

FUEL = {
    "coal": "coal",
    "gas": "gas",
    "hydro": "hydro",
    "onshore wind": "wind",
    "offshore wind": "wind",
    "solar pv": "solar",
}

LENDERS = {
    "bank_of_china": "Bank of China",
    "china_development_bank": "China Development Bank",
    "export_import_bank_of_china": "Export-Import Bank of China",
    "industrial_and_commercial_bank_of_china": "ICBC",
    "china_construction_bank": "China Construction Bank",
    "bank_of_communications": "Bank of Communications",
    "agricultural_bank_of_china": "Agricultural Bank of China",
    "china_citic_bank_corp": "China CITIC Bank",
    "china_merchants_bank": "China Merchants Bank",
    "china_minsheng_banking_corp": "China Minsheng Bank",
    "china_zheshang_bank": "China Zheshang Bank",
    "china_everbright_bank": "China Everbright Bank",
    "silk_road_fund": "Silk Road Fund",
}

FLAGS = {
    "KAZ2022009": (
        "fuel published as offshore wind: the Zhanatas wind farm is onshore (Zhambyl region, inland); counted as wind"
    ),
}
"""COFI id -> known error in the published row (the book's own check, stated per row)."""


def _num(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.replace({"": np.nan, "N": np.nan, "Y": np.nan}))


def build(snapshots: Path) -> dict[str, pd.DataFrame]:
    raw = pd.read_csv(snapshots / "cofi" / "cofi_v2_2_central_asia_extract.csv", dtype=str, keep_default_na=False)
    unknown = set(raw["primary_fuel"]) - set(FUEL)
    if unknown:
        raise ValueError(f"cofi: fuel without a harmonised name: {sorted(unknown)}")
    lenders = []
    for _, row in raw.iterrows():
        named = [name for col, name in LENDERS.items() if row[col] not in ("", "NA")]
        lenders.append("; ".join(named))
    debt = _num(raw["debt_investment_amount"])
    equity = _num(raw["equity_investor_amount_1"])
    out = pd.DataFrame(
        {
            "cofi_id": raw["unique_id"],
            "plant_name": raw["power_plant_name"].replace("", np.nan),
            "country_iso3": raw["country_iso3c"],
            "province": raw["province"].replace("", np.nan),
            "fuel": raw["primary_fuel"].map(FUEL),
            "fuel_as_published": raw["primary_fuel"],
            "capacity_mw": _num(raw["installed_capacity"]),
            "commissioning_year": _num(raw["commissioning_year"]).astype("Int64"),
            "investment_type": raw["investment_type"].str.lower(),
            "debt_usd_m": debt,
            "debt_year": _num(raw["debt_investment_year"]).astype("Int64"),
            "lenders": lenders,
            "equity_usd_m": equity,
            "equity_year": _num(raw["equity_investment_year"]).astype("Int64"),
            "equity_investor": raw["equity_investor_name_1"].replace("", np.nan),
            "equity_investment_type": raw["equity_investment_type"].replace("", np.nan),
            "total_usd_m": _num(raw["total_investment_amount"]),
            "gppd_id": raw["gppd_id"].replace("", np.nan),
            "flag": raw["unique_id"].map(FLAGS).fillna(""),
            "source_id": "cofi_v2_2",
        }
    )
    missing = set(FLAGS) - set(out["cofi_id"])
    if missing:
        raise ValueError(f"cofi: flagged ids not in the snapshot: {sorted(missing)}")
    return {"energy/chinese_finance.csv": out.sort_values("cofi_id").reset_index(drop=True)}
