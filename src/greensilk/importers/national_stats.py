"""National statistics offices: each Central Asian country's own record of its trade with China.

Snapshots in ``data/snapshots/national_stats/``:

* Kyrgyzstan, National Statistical Committee, tables 4.03.00.18 (exports) and 4.03.00.20 (imports) by country,
  1994–2023 (``kgz_exports.csv``, ``kgz_imports.csv``; the year label "2023 1" carries the footnote
  "preliminary data");
* Uzbekistan, Statistics Agency, open data sets 1105 (exports) and 1176 (imports) by country, 2010–2023, partner
  code 156 (``uzb_exports.csv``, ``uzb_imports.csv``);
* Kazakhstan, Bureau of National Statistics, "main indicators of foreign trade" by country, five yearly releases
  (``kaz_2019.csv`` … ``kaz_2023.csv``), each with the current and the previous year; the latest release of each
  year is used (releases revise the previous year).

Output ``trade/national_stats.csv``: one row per reporter, flow and year, in thousand US$ as published. The
tables do not state the valuation (FOB/CIF) of their exports and imports, so ``valuation`` is ``not_stated``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from greensilk.importers import imf_dots

OUTPUTS = ("trade/national_stats.csv",)
FOLDER = "national_stats"
SOURCES = {"KGZ": "kgz_nsc_trade_by_country", "UZB": "uzstat_trade_by_country", "KAZ": "kaz_bns_trade_by_country"}
COLUMNS = [*imf_dots.COLUMNS, "note"]  # the same tidy layout as the IMF table, with a note


def _number(text: str) -> float | None:
    text = str(text).strip()
    return None if text in ("", "-") else float(text)


def kyrgyzstan(folder: Path) -> list[dict]:
    rows = []
    for flow in ("exports", "imports"):
        raw = pd.read_csv(folder / f"kgz_{flow}.csv", dtype=str, keep_default_na=False)
        for _, r in raw.iterrows():
            if "thousand US dollars" not in r["unit"]:
                raise ValueError(f"kgz_{flow}.csv: unit {r['unit']!r} is not thousand US dollars")
            label = r["year_label"].split()
            value = _number(r["cell"])
            if value is None:
                continue
            preliminary = len(label) > 1 and label[1] == "1"
            rows.append(
                {
                    "reporter_iso3": "KGZ",
                    "flow": flow,
                    "year": int(label[0]),
                    "value": value,
                    "flag": "preliminary" if preliminary else "",
                    "flag_reason": "preliminary data (footnote 1 of the table)" if preliminary else "",
                    "note": r["table"].split(":")[0],
                }
            )
    return rows


def uzbekistan(folder: Path) -> list[dict]:
    rows = []
    for flow, code in (("exports", "1105"), ("imports", "1176")):
        raw = pd.read_csv(folder / f"uzb_{flow}.csv", dtype=str, keep_default_na=False)
        china = raw[raw["Code"] == "156"]
        if len(china) != 1:
            raise ValueError(f"uzb_{flow}.csv: expected one line for partner code 156 (China), found {len(china)}")
        for column in raw.columns[4:]:
            value = _number(china.iloc[0][column])
            if value is not None:
                rows.append(
                    {
                        "reporter_iso3": "UZB",
                        "flow": flow,
                        "year": int(column),
                        "value": value,
                        "note": f"data set {code}",
                    }
                )
    return rows


def kazakhstan(folder: Path) -> list[dict]:
    latest: dict[tuple[str, int], dict] = {}
    for path in sorted(folder.glob("kaz_*.csv")):  # oldest release first: later releases overwrite
        release = int(path.stem.split("_")[1])
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        for _, r in raw[raw["country"] == "Китай"].iterrows():
            if r["unit"] != "тыс. долларов США":
                raise ValueError(f"{path.name}: unit {r['unit']!r} is not thousand US dollars")
            year = int(r["sheet"][-4:])
            for flow in ("exports", "imports"):
                latest[(flow, year)] = {
                    "reporter_iso3": "KAZ",
                    "flow": flow,
                    "year": year,
                    "value": _number(r[flow]),
                    "note": f"release for {release}",
                }
    return list(latest.values())


def build(snapshots: Path) -> dict[str, pd.DataFrame]:
    folder = snapshots / FOLDER
    frame = pd.DataFrame(kyrgyzstan(folder) + uzbekistan(folder) + kazakhstan(folder))
    frame["partner_iso3"] = "CHN"
    frame["valuation"] = "not_stated"
    frame["unit"] = "thousand USD"
    frame["estimate"] = False
    frame["flag"] = frame["flag"].fillna("")
    frame["flag_reason"] = frame["flag_reason"].fillna("")
    frame["basis"] = "national_statistics"
    frame["source_id"] = frame["reporter_iso3"].map(SOURCES)
    frame = frame.sort_values(["reporter_iso3", "flow", "year"])
    return {OUTPUTS[0]: frame[COLUMNS].reset_index(drop=True)}
