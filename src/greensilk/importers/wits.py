"""World Bank WITS (UN Comtrade data): Kazakhstan's trade with China by HS four-digit heading, 2015–2024.

Snapshots in ``data/snapshots/wits/``: every HS4 line of Kazakhstan's imports from China and exports to China
(``kaz_imports_from_china_hs4.csv``, ``kaz_exports_to_china_hs4.csv``), thousand US$.

Output ``trade/kaz_hs4.csv``: per flow and year, the selected headings (imports: 8703 cars, 8541 semiconductor
devices incl. PV cells, 8502 generating sets; exports: 2709 crude oil, 2711 natural gas), the sum of chapter 27
(mineral fuels) and of all lines, the number of HS4 lines in the year, and whether the year is complete. A year
is *incomplete* when it holds fewer than :data:`COMPLETE_SHARE` of the median number of lines of the flow's
years: the extract then lacks whole chapters (2020–2022 lack chapters 84–87 in the imports), so its sums and its
absent lines are not values; their ``value`` is left empty and ``status`` says why.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

OUTPUTS = ("trade/kaz_hs4.csv",)
FOLDER = "wits"
SOURCE_ID = "wits_comtrade_kaz_china_hs4"
COMPLETE_SHARE = 0.8
LINES = {
    "imports": {"8703": "cars", "8541": "semiconductor devices incl. PV cells", "8502": "generating sets"},
    "exports": {"2709": "crude oil", "2711": "natural gas"},
}
FILES = {"imports": "kaz_imports_from_china_hs4.csv", "exports": "kaz_exports_to_china_hs4.csv"}
COLUMNS = ["reporter_iso3", "partner_iso3", "flow", "year", "hs", "label", "basis", "value", "unit", "lines_in_year"]
COLUMNS += ["year_complete", "status", "source_id"]


def complete_years(lines_per_year: pd.Series, share: float = COMPLETE_SHARE) -> pd.Series:
    """True for years with at least ``share`` of the median number of lines."""
    return lines_per_year >= share * lines_per_year.median()


def build_flow(raw: pd.DataFrame, flow: str) -> pd.DataFrame:
    raw = raw.assign(hs=raw["ProductCode"].str.zfill(4), year=raw["Year"].astype(int))
    n = raw.groupby("year").size()
    complete = complete_years(n)
    rows = []
    for year in sorted(n.index):
        in_year = raw[raw["year"] == year]
        items = [
            (hs, label, "reported", in_year.loc[in_year["hs"] == hs, "value"]) for hs, label in LINES[flow].items()
        ]
        items.append(
            (
                "27",
                "chapter 27, mineral fuels (sum of its lines)",
                "derived_sum",
                in_year.loc[in_year["hs"].str[:2] == "27", "value"],
            )
        )
        items.append(("total", "all lines (sum)", "derived_sum", in_year["value"]))
        for hs, label, basis, values in items:
            if flow == "imports" and hs == "27":
                continue
            ok = bool(complete[year])
            if not ok:
                status = "incomplete_extract"
                value = values.iloc[0] if (basis == "reported" and len(values)) else None
            elif basis == "reported" and values.empty:
                status, value = "not_in_extract", None
            else:
                status, value = "", (values.sum() if basis == "derived_sum" else values.iloc[0])
            if not ok and value is None:
                status = "incomplete_extract"
            rows.append(
                {
                    "flow": flow,
                    "year": year,
                    "hs": hs,
                    "label": label,
                    "basis": basis,
                    "value": None if value is None else round(float(value), 3),
                    "lines_in_year": int(n[year]),
                    "year_complete": ok,
                    "status": status,
                }
            )
    return pd.DataFrame(rows)


def build(snapshots: Path) -> dict[str, pd.DataFrame]:
    frames = []
    for flow, name in FILES.items():
        raw = pd.read_csv(snapshots / FOLDER / name, dtype={"ProductCode": str})
        raw = raw.rename(columns={"TradeValuein1000USD": "value"})
        frames.append(build_flow(raw, flow))
    frame = pd.concat(frames, ignore_index=True)
    frame["reporter_iso3"] = "KAZ"
    frame["partner_iso3"] = "CHN"
    frame["unit"] = "thousand USD"
    frame["source_id"] = SOURCE_ID
    return {OUTPUTS[0]: frame[COLUMNS]}
