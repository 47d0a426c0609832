"""IMF Direction of Trade Statistics: China's trade with each Central Asian country, as both sides report it.

Snapshot: ``data/snapshots/imf_dots/dots_<code>.csv``, one per reporter workbook (China 40, Kazakhstan 103,
Kyrgyz Republic 109, Tajikistan 192, Turkmenistan 201, Uzbekistan 210), one line per published cell.

Output ``trade/imf_dots.csv``: one row per reporter, partner, flow and year with a published value, in US$
million as published, 1992–2020. The IMF marks its own estimates with a trailing " e"; that marker becomes the
``estimate`` column. Rows that are not independent reporting are flagged (never dropped), with the reason:

* ``partner_derived`` — computed here: a Turkmen value equal to China's mirror value scaled by the IMF's standard
  CIF/FOB factor of 1.06 (Turkmen imports = China's exports × 1.06, Turkmen exports = China's imports ÷ 1.06, to
  a relative 1e-6) was filled in from China's reporting;
* ``imf_estimate`` — the cell carries the IMF's " e" marker;
* ``implausible`` — Uzbekistan's side 2000–2015, a run of values that do not match China's mirror figures
  (the ratio is shown in the chapter) and do not continue Uzbekistan's own 2016+ series;
* ``outlier`` — Kyrgyzstan's exports in 1995 (3.0 against 68.5 in the Kyrgyz statistics office's own table and
  123.5 in China's mirror imports).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

OUTPUTS = ("trade/imf_dots.csv",)
FOLDER = "imf_dots"
SOURCE_ID = "imf_dots"
FIRST_YEAR, LAST_YEAR = 1992, 2020
CIF_FOB_FACTOR = 1.06
"""The IMF's conventional ratio of CIF import values to FOB export values (DOTS Guide)."""
IDENTITY_TOLERANCE = 1e-6

NAMES = {
    "China, P.R.: Mainland": "CHN",
    "Kazakhstan, Rep. of": "KAZ",
    "Kyrgyz Rep.": "KGZ",
    "Tajikistan, Rep. of": "TJK",
    "Turkmenistan": "TKM",
    "Uzbekistan, Rep. of": "UZB",
}
SHEETS = {"Exports, FOB": ("exports", "fob"), "Imports, CIF": ("imports", "cif")}
IMPLAUSIBLE = {
    ("UZB", y): "Uzbekistan's side 2000-2015 does not match China's mirror figures" for y in range(2000, 2016)
}
OUTLIERS = {
    ("KGZ", "exports", 1995): "3.0 against 68.5 in the Kyrgyz statistics office's table and 123.5 in China's mirror",
}
COLUMNS = [
    "reporter_iso3",
    "partner_iso3",
    "flow",
    "valuation",
    "year",
    "value",
    "unit",
    "estimate",
    "flag",
    "flag_reason",
    "basis",
    "source_id",
]


def parse_cell(text: str) -> tuple[float, bool]:
    """A published cell: '128.11 e' -> (128.11, True); '148.9' -> (148.9, False)."""
    text = str(text).strip()
    estimate = text.endswith(" e")
    number = text[:-2] if estimate else text
    try:
        return float(number), estimate
    except ValueError as exc:
        raise ValueError(f"IMF DOTS cell {text!r} is neither a number nor a number with the ' e' marker") from exc


def read_snapshot(folder: Path) -> pd.DataFrame:
    """All published cells of the six workbooks, tidy, before flagging."""
    rows = []
    for path in sorted(folder.glob("dots_*.csv")):
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        for i, r in raw.iterrows():
            if r["unit"] != "US Dollars, Millions":
                raise ValueError(f"{path.name}: row {i + 1}, column 'unit': expected US Dollars, Millions")
            year = int(r["year"])
            if not r["cell"] or not FIRST_YEAR <= year <= LAST_YEAR:
                continue
            value, estimate = parse_cell(r["cell"])
            flow, valuation = SHEETS[r["sheet"]]
            rows.append(
                {
                    "reporter_iso3": NAMES[r["reporter"]],
                    "partner_iso3": NAMES[r["partner"]],
                    "flow": flow,
                    "valuation": valuation,
                    "year": year,
                    "value": value,
                    "unit": "million USD",
                    "estimate": estimate,
                }
            )
    return pd.DataFrame(rows)


def mirror_derived(frame: pd.DataFrame, factor: float = CIF_FOB_FACTOR, tol: float = IDENTITY_TOLERANCE) -> pd.Series:
    """True for partner-reported rows that equal China's mirror value scaled by the CIF/FOB factor: the partner's
    imports = China's exports × factor, the partner's exports = China's imports ÷ factor (relative ``tol``)."""
    china = frame[frame["reporter_iso3"] == "CHN"].set_index(["partner_iso3", "flow", "year"])["value"]
    out = pd.Series(False, index=frame.index)
    for i, r in frame[frame["reporter_iso3"] != "CHN"].iterrows():
        mirror_flow = "exports" if r["flow"] == "imports" else "imports"
        key = (r["reporter_iso3"], mirror_flow, r["year"])
        if key not in china.index:
            continue
        expected = china.loc[key] * factor if r["flow"] == "imports" else china.loc[key] / factor
        out[i] = expected > 0 and abs(r["value"] / expected - 1) <= tol
    return out


def flag(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``flag`` and ``flag_reason`` (first applicable rule in the module docstring's order)."""
    out = frame.copy()
    derived = mirror_derived(out)
    flags, reasons = [], []
    for i, r in out.iterrows():
        key = (r["reporter_iso3"], r["year"])
        if derived[i]:
            mirror = "exports × 1.06" if r["flow"] == "imports" else "imports ÷ 1.06"
            flags.append("partner_derived")
            reasons.append(f"equals China's {mirror}: filled in from China's reporting, not the partner's")
        elif r["estimate"]:
            flags.append("imf_estimate")
            reasons.append("estimated by the IMF (' e' in the table), not reported by the country")
        elif r["reporter_iso3"] != "CHN" and key in IMPLAUSIBLE:
            flags.append("implausible")
            reasons.append(IMPLAUSIBLE[key])
        elif (r["reporter_iso3"], r["flow"], r["year"]) in OUTLIERS:
            flags.append("outlier")
            reasons.append(OUTLIERS[(r["reporter_iso3"], r["flow"], r["year"])])
        else:
            flags.append("")
            reasons.append("")
    out["flag"] = flags
    out["flag_reason"] = reasons
    return out


def build(snapshots: Path) -> dict[str, pd.DataFrame]:
    frame = flag(read_snapshot(snapshots / FOLDER))
    frame["basis"] = "imf_dots"
    frame["source_id"] = SOURCE_ID
    china = frame["reporter_iso3"] == "CHN"
    frame["_pair"] = frame["partner_iso3"].where(china, frame["reporter_iso3"])
    frame["_side"] = (~china).astype(int)  # China's side first, then the partner's
    frame = frame.sort_values(["_pair", "_side", "flow", "year"])
    return {OUTPUTS[0]: frame[COLUMNS].reset_index(drop=True)}
