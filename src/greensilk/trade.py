"""Calculations and figures of the trade chapter (tested in tests/test_trade.py)."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from greensilk.analysis import year_ranges  # noqa: F401 (trade.year_ranges, used by the chapter)
from greensilk.data import DataError, DataValidationError
from greensilk.style import COUNTRY_COLOURS, COUNTRY_NAMES, FOCUS_COUNTRIES

SUM_TOLERANCE = 0.01
"""How far the five countries' totals may differ from the reported C5 total (share of the total; rounding)."""


def to_usd(trade: pd.DataFrame, fx: pd.DataFrame) -> pd.DataFrame:
    """Add ``usd_m``: the value in million USD, converting yuan with the year's average rate; a yuan value in a
    year without a rate stays unconverted (NaN) rather than guessed. ``converted`` marks converted rows."""
    rates = fx.set_index("year")["cny_per_usd"]
    out = trade.copy()
    is_cny = out["currency"] == "CNY"
    out["usd_m"] = out["value"].where(~is_cny, out["value"] / out["year"].map(rates))
    out["converted"] = is_cny & out["usd_m"].notna()
    return out


def _significant_digits(x: float) -> int:
    text = f"{x:.6g}".replace(".", "").lstrip("0").rstrip("0")
    return len(text)


def pick(rows: pd.DataFrame) -> pd.Series:
    """One value out of several statements of the same figure: exact before qualified, reported in dollars before
    converted by the report or by the source, then the most precise (most significant digits), then the first
    source id. Never an average."""
    ranked = rows.assign(
        _qualified=rows["qualifier"].notna(),
        _second_hand=rows["converted"] | (rows["basis"] != "reported"),
        _digits=-rows["usd_m"].map(_significant_digits),
    ).sort_values(["_qualified", "_second_hand", "_digits", "source_id"])
    return ranked.iloc[0].drop(labels=["_qualified", "_second_hand", "_digits"])


def series(trade_usd: pd.DataFrame, partner: str, reporter: str, flow: str = "total") -> pd.DataFrame:
    """Full-year values of one flow, partner and reporter: one picked value per year (see :func:`pick`)."""
    rows = trade_usd[
        (trade_usd["partner_iso3"] == partner)
        & (trade_usd["reporter"] == reporter)
        & (trade_usd["flow"] == flow)
        & (trade_usd["period"] == "year")
        & trade_usd["usd_m"].notna()
    ]
    if rows.empty:
        return rows.copy()
    return pd.DataFrame([pick(g) for _, g in rows.groupby("year")]).reset_index(drop=True)


def growth(values: pd.DataFrame) -> pd.DataFrame:
    """Percent change on the previous year, only where the previous year is in the series."""
    s = values.set_index("year")["usd_m"].sort_index()
    prev = s.shift(1)
    consecutive = pd.Series(s.index, index=s.index).diff() == 1
    out = pd.DataFrame({"usd_m": s, "growth_pct": ((s / prev - 1) * 100).where(consecutive)})
    return out.reset_index()


def composition(trade_usd: pd.DataFrame, years, reporter: str = "china") -> pd.DataFrame:
    """Total turnover per country and year (one picked value each), for the given years."""
    rows = []
    for code in FOCUS_COUNTRIES:
        s = series(trade_usd, code, reporter)
        for _, r in s[s["year"].isin(list(years))].iterrows():
            rows.append(
                {"year": int(r["year"]), "partner_iso3": code, "usd_m": r["usd_m"], "source_id": r["source_id"]}
            )
    return pd.DataFrame(rows)


def sum_check(trade_usd: pd.DataFrame, reporter: str = "china") -> pd.DataFrame:
    """For years where the C5 total and all five countries' totals are reported: their sum against the total."""
    total = series(trade_usd, "C5", reporter).set_index("year")["usd_m"]
    parts = composition(trade_usd, total.index, reporter).pivot(index="year", columns="partner_iso3", values="usd_m")
    parts = parts.dropna()
    out = pd.DataFrame({"c5_total": total.loc[parts.index], "sum_of_five": parts.sum(axis=1)})
    out["gap_share"] = (out["sum_of_five"] - out["c5_total"]) / out["c5_total"]
    out["within_tolerance"] = out["gap_share"].abs() <= SUM_TOLERANCE
    return out.reset_index()


def mirror(trade_usd: pd.DataFrame) -> pd.DataFrame:
    """China-reported against partner-reported total turnover per country and year, and their ratio."""
    rows = []
    for code in FOCUS_COUNTRIES:
        cn = series(trade_usd, code, "china").set_index("year")
        pa = series(trade_usd, code, "partner").set_index("year")
        for year in sorted(set(cn.index) & set(pa.index)):
            rows.append(
                {
                    "partner_iso3": code,
                    "year": int(year),
                    "china_usd_m": cn.loc[year, "usd_m"],
                    "partner_usd_m": pa.loc[year, "usd_m"],
                    "partner_qualifier": pa.loc[year, "qualifier"],
                    "china_source": cn.loc[year, "source_id"],
                    "partner_source": pa.loc[year, "source_id"],
                }
            )
    out = pd.DataFrame(rows)
    out["ratio"] = out["china_usd_m"] / out["partner_usd_m"]
    return out


CONNECTIVITY_PANELS = (
    ("cer_trains", "China–Europe freight trains per year"),
    ("khorgos_trains", "Trains through Khorgos per year"),
    ("cer_cities_china", "Cities served by the China–Europe trains"),
    ("car_exports_usd", "Chinese car exports to Central Asia ($bn)"),
)


def connectivity_figure(conn: pd.DataFrame):
    """Four panels of reported values as points (filled: full year or count; hollow: a part-year count or a
    bound); the city panel shows Chinese (dark) and European (light) cities served."""
    fig, axes = plt.subplots(2, 2, figsize=(7.5, 5.6))
    for ax, (indicator, title) in zip(axes.flat, CONNECTIVITY_PANELS, strict=True):
        series_list = [(indicator, "#222222", "")]
        if indicator == "cer_cities_china":
            series_list.append(("cer_cities_europe", "#8C8C8C", ""))
        for name, colour, _ in series_list:
            part = conn[(conn["indicator"] == name) & conn["year"].notna() & (conn["period"] != "cumulative")]
            if name == "car_exports_usd":
                part = part[part["place"] == "CA5"]  # the region as a whole; single-country figures are not comparable
            scale = 1e9 if name == "car_exports_usd" else 1
            full = (part["period"] == "year") & part["qualifier"].isna()
            if name.startswith("cer_cities"):
                full = part["qualifier"].isna()
            ax.scatter(part.loc[full, "year"], part.loc[full, "value"] / scale, color=colour, s=28, zorder=3)
            ax.scatter(
                part.loc[~full, "year"],
                part.loc[~full, "value"] / scale,
                facecolors="none",
                edgecolors=colour,
                s=28,
                zorder=3,
            )
        ax.set_title(title, fontsize=9)
        ax.set_ylim(bottom=0)
        ax.tick_params(labelsize=8)
        ax.xaxis.get_major_locator().set_params(integer=True)
    axes[1, 0].legend(
        handles=[
            Line2D([], [], marker="o", linestyle="none", color="#222222", label="Chinese cities"),
            Line2D([], [], marker="o", linestyle="none", color="#8C8C8C", label="European cities"),
        ],
        fontsize=7.5,
        loc="upper left",
    )
    handles = [
        Line2D([], [], marker="o", linestyle="none", color="#555555", label="Full-year total or exact count"),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markerfacecolor="none",
            color="#555555",
            label="Part-year count, 'about' or 'more than'",
        ),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=8)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


# ------------------------------------------------------------------------------------------------------------------
# Official statistics (IMF DOTS, national statistics offices, WITS), and China's customs totals as quoted
# ------------------------------------------------------------------------------------------------------------------

CIF_FOB = 1.06
"""The IMF's conventional margin of CIF import values over FOB export values: the partner's imports of a good
should be about 6 % above the exporter's FOB value (cost, insurance, freight)."""
TO_MILLION = {"million USD": 1.0, "thousand USD": 1e-3}
BASIS_NAMES = {
    "imf_dots": "IMF Direction of Trade Statistics",
    "national_statistics": "national statistics office",
    "gacc_quoted": "China's customs, as quoted in the press",
}
DIRECTIONS = {"china_to_partner": "China's exports to the partner", "partner_to_china": "China's imports from it"}
SIDE_STYLE = {  # (colour, marker, line style) per basis and side
    ("imf_dots", "china"): ("#222222", "o", "-"),
    ("imf_dots", "partner"): ("#A6761D", "s", "-"),
    ("national_statistics", "partner"): ("#1B9E77", "D", "--"),
    ("gacc_quoted", "china"): ("#7570B3", "^", ":"),
}
SIDE_LABELS = {
    ("imf_dots", "china"): "China's side, IMF DOTS",
    ("imf_dots", "partner"): "Partner's side, IMF DOTS",
    ("national_statistics", "partner"): "Partner's statistics office",
    ("gacc_quoted", "china"): "China's customs as quoted (2021–2025)",
}


class UnitError(ValueError):
    """A value whose unit is not one the chapter converts, named by file, row and column."""


def to_million(frame: pd.DataFrame, file: str) -> pd.Series:
    """Values in million US$, from the ``unit`` column; an unknown unit raises :class:`UnitError` naming the row."""
    factors = frame["unit"].map(TO_MILLION)
    bad = factors[factors.isna()]
    if not bad.empty:
        i = bad.index[0]
        raise UnitError(
            f"{file}: row {i + 1}, column 'unit': {frame.loc[i, 'unit']!r} is not one of {list(TO_MILLION)}"
        )
    return frame["value"] * factors


MAGNITUDE_FACTOR = 100
"""A value more than this many times above (or below) the median of its series' neighbouring years is taken for a
unit slip (thousand vs million US$: a factor of 1,000). The largest genuine jump in the committed series is far
smaller (tested)."""


def magnitude_problems(frame: pd.DataFrame, file: str, window: int = 3) -> list[DataError]:
    """Rows whose value is out of scale with the same series (same reporter, partner and flow) within ``window``
    years either side: one :class:`~greensilk.data.DataError` each, naming file, row and column."""
    problems = []
    for _, g in frame.groupby(["reporter_iso3", "partner_iso3", "flow"]):
        years = g["year"].to_numpy(dtype=float)
        values = g["value"].to_numpy(dtype=float)
        distance = np.abs(years[:, None] - years[None, :])
        near_mask = (distance >= 1) & (distance <= window) & (values[None, :] > 0)
        for k, i in enumerate(g.index):
            near = values[near_mask[k]]
            if near.size == 0 or values[k] <= 0:
                continue
            median = float(np.median(near))
            ratio = values[k] / median
            if ratio > MAGNITUDE_FACTOR or ratio < 1 / MAGNITUDE_FACTOR:
                problems.append(
                    DataError(
                        "range",
                        file,
                        f"{values[k]:,.6g} is {ratio:,.4g} times the median of the series within {window} years "
                        f"({median:,.6g} {g.loc[i, 'unit']}): a value entered in the wrong unit?",
                        row=int(i) + 1,
                        column="value",
                        line=int(i) + 2,
                    )
                )
    return problems


def official(dots: pd.DataFrame, national: pd.DataFrame) -> pd.DataFrame:
    """The official bilateral series in one tidy table, in million US$, seen from the pair: ``country_iso3`` (the
    Central Asian country), ``side`` (china or partner: whose statistics), ``direction`` (china_to_partner: goods
    going from China to the country, i.e. China's exports or the partner's imports; partner_to_china: the
    reverse), ``basis`` and the flags. Values of different bases stay separate rows."""
    frames = []
    pairs = ((dots, "data/trade/imf_dots.csv"), (national, "data/trade/national_stats.csv"))
    problems = [p for frame, file in pairs for p in magnitude_problems(frame, file)]
    if problems:
        raise DataValidationError(problems)
    for frame, file in pairs:
        f = frame.copy()
        f["usd_m"] = to_million(f, file)
        china = f["reporter_iso3"] == "CHN"
        f["country_iso3"] = f["partner_iso3"].where(china, f["reporter_iso3"])
        f["side"] = np.where(china, "china", "partner")
        out_of_china = (china & (f["flow"] == "exports")) | (~china & (f["flow"] == "imports"))
        f["direction"] = np.where(out_of_china, "china_to_partner", "partner_to_china")
        frames.append(f)
    cols = ["country_iso3", "side", "direction", "flow", "valuation", "year", "usd_m", "basis", "estimate", "flag"]
    cols += ["flag_reason", "source_id"]
    out = pd.concat([f[cols] for f in frames], ignore_index=True)
    out["flag"] = out["flag"].fillna("")
    return out


def gacc_quoted(trade_usd: pd.DataFrame, first_year: int = 2021) -> pd.DataFrame:
    """China-reported full-year values from ``first_year`` on (China's customs figures as the press quotes them):
    one picked value per partner (or C5), flow and year (see :func:`pick`), as basis ``gacc_quoted``."""
    rows = trade_usd[
        (trade_usd["reporter"] == "china")
        & (trade_usd["period"] == "year")
        & (trade_usd["year"] >= first_year)
        & trade_usd["usd_m"].notna()
    ]
    picked = [pick(g) for _, g in rows.groupby(["partner_iso3", "flow", "year"])]
    out = pd.DataFrame(picked).reset_index(drop=True)
    out = out.rename(columns={"partner_iso3": "country_iso3"})
    out["direction"] = out["flow"].map(
        {"exports_from_china": "china_to_partner", "imports_to_china": "partner_to_china", "total": "total"}
    )
    out["side"] = "china"
    out["basis"] = "gacc_quoted"
    out["year"] = out["year"].astype(int)
    return out[["country_iso3", "side", "direction", "year", "usd_m", "qualifier", "basis", "source_id", "locator"]]


NOT_INDEPENDENT = ("partner_derived", "imf_estimate", "implausible", "outlier")
"""Flags that make a value unfit to stand for the reporter's own record (``preliminary`` is not among them)."""


def turnover(off: pd.DataFrame) -> pd.DataFrame:
    """Exports plus imports per country, year, side and basis, only where both flows are published; ``flags``
    joins the flags of the two flows, ``flagged`` is true when one of them is in :data:`NOT_INDEPENDENT`."""
    keys = ["country_iso3", "side", "basis", "year"]
    wide = off.pivot_table(index=keys, columns="direction", values="usd_m", aggfunc="first")
    flags = off.groupby(keys)["flag"].agg(lambda s: ";".join(sorted({f for f in s if f})))
    out = wide.dropna().assign(usd_m=lambda w: w.sum(axis=1)).join(flags.rename("flags"))
    out["flagged"] = out["flags"].map(lambda f: any(x in NOT_INDEPENDENT for x in f.split(";") if x))
    return out.reset_index()[keys + ["usd_m", "flagged", "flags"]]


def region_total(turn: pd.DataFrame, side: str = "china", basis: str = "imf_dots") -> pd.DataFrame:
    """Sum over the five countries, only in years where all five turnovers exist on that side and basis."""
    part = turn[(turn["side"] == side) & (turn["basis"] == basis)]
    counts = part.groupby("year")["country_iso3"].nunique()
    years = counts[counts == len(FOCUS_COUNTRIES)].index
    total = part[part["year"].isin(years)].groupby("year")["usd_m"].sum()
    return total.rename("usd_m").reset_index()


def mirror_pairs(off: pd.DataFrame) -> pd.DataFrame:
    """China's figure against the partner's for the same country, year and direction, for each partner basis
    (IMF DOTS partner side, national statistics). ``ratio`` = China's figure / partner's figure; ``expected`` is the
    ratio if both recorded the same goods and differed only by the CIF/FOB margin (1/1.06 for China's FOB exports
    against the partner's CIF imports, 1.06 for China's CIF imports against the partner's FOB exports);
    ``excess`` = ratio / expected."""
    keys = ["country_iso3", "year", "direction"]
    china = off.loc[off["side"] == "china", keys + ["usd_m", "flag"]]
    partner = off.loc[off["side"] == "partner", keys + ["basis", "usd_m", "flag"]]
    out = partner.merge(china, on=keys, suffixes=("_partner", "_china"))
    out = out.rename(
        columns={
            "basis": "partner_basis",
            "usd_m_china": "china_usd_m",
            "usd_m_partner": "partner_usd_m",
            "flag_partner": "partner_flag",
            "flag_china": "china_flag",
        }
    )
    out["year"] = out["year"].astype(int)
    out["ratio"] = out["china_usd_m"] / out["partner_usd_m"].where(out["partner_usd_m"] != 0)
    out["expected"] = np.where(out["direction"] == "china_to_partner", 1 / CIF_FOB, CIF_FOB)
    out = out[
        ["country_iso3", "year", "direction", "partner_basis", "china_usd_m", "partner_usd_m", "ratio"]
        + ["expected", "partner_flag", "china_flag"]
    ]
    out["excess"] = out["ratio"] / out["expected"]
    return out


def identity_years(off: pd.DataFrame, country: str, tol: float = 1e-6) -> list[int]:
    """Years in which both of the partner's IMF DOTS flows equal China's mirror flows scaled by the CIF/FOB
    margin (the partner's imports = China's exports × 1.06; its exports = China's imports ÷ 1.06): values filled
    in from China's reporting rather than reported by the partner. Recomputed here from the values, independently
    of the importer's flag."""
    m = mirror_pairs(off[off["basis"] == "imf_dots"])
    m = m[m["country_iso3"] == country]
    hit = (m["excess"] - 1).abs() <= tol
    both = m[hit].groupby("year")["direction"].nunique()
    return sorted(int(y) for y in both[both == 2].index)


def coverage(off: pd.DataFrame, spans: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """Per basis, side, country and direction: the years of the basis' span (``spans[basis]``) without a value,
    and the years whose value is flagged (not independent or not reliable reporting)."""
    rows = []
    for (basis, side, country, direction), g in off.groupby(["basis", "side", "country_iso3", "direction"]):
        first, last = spans[basis]
        if basis == "national_statistics":
            first = int(off.loc[(off["basis"] == basis) & (off["country_iso3"] == country), "year"].min())
        expected = set(range(first, last + 1))
        present = set(g["year"].astype(int))
        rows.append(
            {
                "basis": basis,
                "side": side,
                "country_iso3": country,
                "direction": direction,
                "span": f"{first}–{last}",
                "missing": sorted(expected - present),
                "flagged": sorted(set(g.loc[g["flag"] != "", "year"].astype(int))),
            }
        )
    return pd.DataFrame(rows)


def balance(off: pd.DataFrame, side: str = "china", basis: str = "imf_dots") -> pd.DataFrame:
    """China's trade balance with each country (its exports minus its imports), as one side and basis records it."""
    part = off[(off["side"] == side) & (off["basis"] == basis)]
    wide = part.pivot_table(index=["country_iso3", "year"], columns="direction", values="usd_m", aggfunc="first")
    wide = wide.dropna()
    wide["balance_usd_m"] = wide["china_to_partner"] - wide["partner_to_china"]
    return wide.reset_index()


def fuel_share(hs: pd.DataFrame) -> pd.DataFrame:
    """Share of mineral fuels (HS chapter 27) in Kazakhstan's exports to China, complete years only."""
    ex = hs[(hs["flow"] == "exports") & hs["year_complete"]]
    wide = ex.pivot_table(index="year", columns="hs", values="value", aggfunc="first")
    out = pd.DataFrame(
        {
            "chapter27_usd_m": wide["27"] / 1000,
            "gas_usd_m": wide["2711"] / 1000,
            "total_usd_m": wide["total"] / 1000,
        }
    )
    out["fuel_share_pct"] = out["chapter27_usd_m"] / out["total_usd_m"] * 100
    out["gas_share_pct"] = out["gas_usd_m"] / out["total_usd_m"] * 100
    return out.reset_index()


# --------------------------------------------------------------------------------------------------------- figures


def _line(ax, years, values, colour, marker, style, label=None, hollow=False, size=3.5):
    """One series as a line broken at every missing year (values reindexed to consecutive years)."""
    s = pd.Series(list(values), index=[int(y) for y in years]).sort_index()
    if s.empty:
        return
    s = s.reindex(range(s.index.min(), s.index.max() + 1))
    ax.plot(
        s.index,
        s.values,
        color=colour,
        marker=marker,
        linestyle=style,
        markersize=size,
        linewidth=1.4,
        label=label,
        markerfacecolor="none" if hollow else colour,
    )


def totals_figure(dots_total: pd.DataFrame, gacc_total: pd.DataFrame):
    """China-reported trade with the five countries together: IMF DOTS 1992–2020 and China's customs figures as
    quoted 2021–2025, as two series with a marked change of basis between them."""
    fig, ax = plt.subplots(figsize=(7.5, 3.9))
    for frame, key in ((dots_total, ("imf_dots", "china")), (gacc_total, ("gacc_quoted", "china"))):
        colour, marker, style = SIDE_STYLE[key]
        _line(ax, frame["year"], frame["usd_m"] / 1000, colour, marker, style, SIDE_LABELS[key])
    edge = (int(dots_total["year"].max()) + int(gacc_total["year"].min())) / 2
    ax.axvline(edge, color="#999999", linewidth=0.8, linestyle="--")
    ax.annotate(
        "change of basis",
        (edge, 0.97),
        xycoords=("data", "axes fraction"),
        ha="right",
        va="top",
        fontsize=8,
        xytext=(-4, 0),
        textcoords="offset points",
        color="#555555",
    )
    ax.set_ylabel("Exports + imports (billion US$)")
    ax.set_xlim(1991, 2026)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def countries_figure(turn: pd.DataFrame, gacc: pd.DataFrame):
    """One panel per country: turnover as each side and basis records it; flagged values hollow, unjoined."""
    fig, axes = plt.subplots(3, 2, figsize=(7.5, 8.2))
    for ax, code in zip(axes.flat, FOCUS_COUNTRIES, strict=False):
        part = turn[turn["country_iso3"] == code]
        for key, (colour, marker, style) in SIDE_STYLE.items():
            basis, side = key
            if basis == "gacc_quoted":
                g = gacc[(gacc["country_iso3"] == code) & (gacc["direction"] == "total")]
                _line(ax, g["year"], g["usd_m"] / 1000, colour, marker, style)
                continue
            s = part[(part["basis"] == basis) & (part["side"] == side)]
            clean = s.assign(v=s["usd_m"].where(~s["flagged"]) / 1000)
            _line(ax, clean["year"], clean["v"], colour, marker, style)
            bad = s[s["flagged"]]
            ax.scatter(bad["year"], bad["usd_m"] / 1000, s=14, facecolors="none", edgecolors=colour, zorder=3)
        ax.set_title(COUNTRY_NAMES[code], fontsize=9)
        ax.set_xlim(1991, 2026)
        ax.set_ylim(bottom=0)
        ax.tick_params(labelsize=8)
    axes.flat[-1].axis("off")
    handles = [
        Line2D([], [], color=c, marker=m, linestyle=ls, markersize=4, label=SIDE_LABELS[k])
        for k, (c, m, ls) in SIDE_STYLE.items()
    ]
    handles.append(
        Line2D([], [], color="#555555", marker="o", linestyle="none", markerfacecolor="none", label="Flagged value")
    )
    axes.flat[-1].legend(handles=handles, loc="center", fontsize=8, title="Exports + imports,\nbillion US$")
    fig.tight_layout()
    return fig


def mirror_figure(pairs: pd.DataFrame):
    """Two panels (direction of the goods): China's figure ÷ the partner's, per country and year, log scale, with
    the ratio expected from the CIF/FOB margin alone; values involving a flagged figure are hollow and unjoined."""
    fig, axes = plt.subplots(1, 2, figsize=(7.5, 4.0), sharey=True)
    for ax, (direction, title) in zip(axes, DIRECTIONS.items(), strict=True):
        part = pairs[pairs["direction"] == direction]
        for code in FOCUS_COUNTRIES:
            for basis, style in (("imf_dots", "-"), ("national_statistics", "--")):
                s = part[(part["country_iso3"] == code) & (part["partner_basis"] == basis)]
                flagged = s["partner_flag"].isin(NOT_INDEPENDENT) | s["china_flag"].isin(NOT_INDEPENDENT)
                _line(ax, s["year"], s["ratio"].where(~flagged), COUNTRY_COLOURS[code], "o", style, size=2.5)
                ax.scatter(
                    s.loc[flagged, "year"],
                    s.loc[flagged, "ratio"],
                    s=10,
                    facecolors="none",
                    edgecolors=COUNTRY_COLOURS[code],
                    zorder=3,
                )
        expected = 1 / CIF_FOB if direction == "china_to_partner" else CIF_FOB
        ax.axhline(expected, color="#444444", linewidth=0.9, linestyle=":")
        ax.set_yscale("log")
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=8)
    axes[0].set_ylabel("China's figure ÷ the partner's (log scale)")
    handles = [
        Line2D([], [], color=COUNTRY_COLOURS[c], marker="o", markersize=3, label=COUNTRY_NAMES[c])
        for c in FOCUS_COUNTRIES
    ]
    handles += [
        Line2D([], [], color="#555555", linestyle="-", label="partner side: IMF DOTS"),
        Line2D([], [], color="#555555", linestyle="--", label="partner side: statistics office"),
        Line2D([], [], color="#444444", linestyle=":", label="CIF/FOB margin only"),
        Line2D([], [], color="#555555", marker="o", linestyle="none", markerfacecolor="none", label="flagged value"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=7.5)
    fig.tight_layout(rect=(0, 0.17, 1, 1))
    return fig


def balance_figure(bal: pd.DataFrame, fuel: pd.DataFrame):
    """Left: China's balance with each country (IMF DOTS, China's side). Right: mineral fuels and gas as shares of
    Kazakhstan's exports to China (complete WITS years, points)."""
    fig, axes = plt.subplots(1, 2, figsize=(7.5, 3.8), gridspec_kw={"width_ratios": [1.5, 1]})
    ax = axes[0]
    for code in FOCUS_COUNTRIES:
        s = bal[bal["country_iso3"] == code]
        _line(ax, s["year"], s["balance_usd_m"] / 1000, COUNTRY_COLOURS[code], None, "-", COUNTRY_NAMES[code])
    ax.axhline(0, color="#444444", linewidth=0.8)
    ax.set_ylabel("China's exports − imports (billion US$)")
    ax.set_title("China's balance, IMF DOTS (China's side)", fontsize=9)
    ax.legend(fontsize=7.5, loc="lower left")
    ax.tick_params(labelsize=8)
    ax = axes[1]
    ax.scatter(fuel["year"], fuel["fuel_share_pct"], color="#222222", s=22, label="HS 27, mineral fuels")
    ax.scatter(fuel["year"], fuel["gas_share_pct"], color="#E69F00", marker="s", s=18, label="HS 2711, gas")
    ax.set_ylim(0, 100)
    ax.set_xlim(2014, 2025)
    ax.set_ylabel("Share of exports to China (%)")
    ax.set_title("Kazakhstan's exports to China", fontsize=9)
    ax.legend(fontsize=7.5, loc="upper left")
    ax.tick_params(labelsize=8)
    fig.tight_layout()
    return fig


HS_PANELS = (("8703", "Cars (HS 8703)"), ("8541", "PV cells etc. (HS 8541)"), ("8502", "Generating sets (HS 8502)"))


def hs_figure(hs: pd.DataFrame):
    """Kazakhstan's imports from China of three HS lines: bars for complete years; the incomplete years of the
    extract shaded and left empty."""
    imp = hs[hs["flow"] == "imports"]
    fig, axes = plt.subplots(3, 1, figsize=(7.5, 7.2), sharex=True)  # stacked: readable on a phone
    gap = sorted(imp.loc[~imp["year_complete"], "year"].unique())
    for ax, (code, title) in zip(axes, HS_PANELS, strict=True):
        s = imp[(imp["hs"] == code) & imp["year_complete"] & imp["value"].notna()]
        ax.bar(s["year"], s["value"] / 1000, color="#0072B2", width=0.7)
        if gap:
            ax.axvspan(min(gap) - 0.5, max(gap) + 0.5, color="#DDDDDD", zorder=0)
            ax.text(
                (min(gap) + max(gap)) / 2,
                0.5,
                "extract\nincomplete",
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="center",
                fontsize=7,
                color="#555555",
            )
        ax.set_title(title, fontsize=9)
        ax.set_xticks([2015, 2018, 2021, 2024])
        ax.tick_params(labelsize=8)
    for ax in axes:
        ax.set_ylabel("Million US$", fontsize=8)
    fig.tight_layout()
    return fig


GAP_YEARS = (1992, 2025)
"""The years whose official turnover figures the gap table looks for: from the first year of the five countries'
independence to the last year the data cover."""


def gaps(turn: pd.DataFrame, gacc: pd.DataFrame, first: int = GAP_YEARS[0], last: int = GAP_YEARS[1]) -> pd.DataFrame:
    """Per country and side, the years from ``first`` to ``last`` without an unflagged full-year turnover on any
    official basis (for China's side, its customs figures as quoted count too). Flagged values do not fill a gap."""
    rows = []
    for code in FOCUS_COUNTRIES:
        for side in ("china", "partner"):
            t = turn[(turn["country_iso3"] == code) & (turn["side"] == side) & ~turn["flagged"]]
            years = set(t["year"].astype(int))
            if side == "china":
                g = gacc[(gacc["country_iso3"] == code) & (gacc["direction"] == "total")]
                years |= set(g["year"].astype(int))
            missing = sorted(set(range(first, last + 1)) - years)
            rows.append({"country_iso3": code, "side": side, "n_years": len(years), "missing": missing})
    return pd.DataFrame(rows)


def recent_mirror(turn: pd.DataFrame, gacc: pd.DataFrame, first_year: int = 2021) -> pd.DataFrame:
    """China's customs totals as quoted against the partner statistics office's turnover, same country and year."""
    nat = turn[(turn["basis"] == "national_statistics") & (turn["year"] >= first_year)]
    g = gacc[gacc["direction"] == "total"].set_index(["country_iso3", "year"])
    rows = []
    for _, r in nat.iterrows():
        key = (r["country_iso3"], int(r["year"]))
        if key in g.index:
            rows.append(
                {
                    "country_iso3": key[0],
                    "year": key[1],
                    "china_usd_m": float(g.loc[key, "usd_m"]),
                    "partner_usd_m": float(r["usd_m"]),
                    "china_qualifier": g.loc[key, "qualifier"],
                }
            )
    out = pd.DataFrame(rows)
    out["ratio"] = out["china_usd_m"] / out["partner_usd_m"]
    return out


# --- Khorgos clearance times: one helper for every statement of them -------------------------------------------

CLEARANCE_MEASURES = {
    # measure (column ``measure`` of connectivity.csv): what is timed, in the report's words
    "rail_freight_train": "clearing one China–Europe freight train at the railway port",
    "rail_import_goods": "the passage of imported goods through the railway port",
    "rail_local_export_goods": "processing locally declared export goods",
    "road_vehicle_export": "clearing vehicles exported by road",
}
"""The things that sources time at Khorgos. Figures for different measures are not compared with each other."""

_STAGE_ORDER = {"at_date": 0, "before": 1, "after": 2}
_MONTHS = "January February March April May June July August September October November December".split()


def _hours_text(value: float, high: float | None, qualifier) -> str:
    """'12 hours', '6–8 hours', 'under 16 hours', 'more than 20 hours', '2–3 days' (whole days from 48 hours)."""
    high = None if high is None or pd.isna(high) else float(high)
    qualifier = None if qualifier is None or pd.isna(qualifier) else qualifier
    in_days = value >= 48 and value % 24 == 0 and (high is None or high % 24 == 0)
    unit, scale = ("days", 24) if in_days else ("hours", 1)
    number = f"{value / scale:g}" if high is None else f"{value / scale:g}–{high / scale:g}"
    if unit == "hours" and high is None and value == 1:
        unit = "hour"
    prefix = {"less_than": "under ", "more_than": "more than ", "about": "about "}.get(qualifier, "")
    return f"{prefix}{number} {unit}"


def _interval(row) -> tuple[float, float]:
    """The hours a stated figure allows: exact, a range, 'about' (±10 %), 'under' or 'more than'."""
    v = float(row["value"])
    q = None if pd.isna(row["qualifier"]) else row["qualifier"]
    if q == "range":
        return v, float(row["value_high"])
    if q == "less_than":
        return 0.0, v
    if q == "more_than":
        return v, float("inf")
    if q == "about":
        return 0.9 * v, 1.1 * v
    return v, v


def _source_date(date) -> str:
    """'3 January 2025' / 'June 2025' / '2025' from an ISO date in sources.csv; 'undated' for n.d."""
    text = str(date)
    parts = text.split("-")
    if not parts[0].isdigit():
        return "undated"
    if len(parts) == 3:
        return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def khorgos_clearance(conn: pd.DataFrame, sources: pd.DataFrame, labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Every clearance time at Khorgos in the connectivity data, one row per figure, with what is timed, the stage
    (before/after a reform, or at a date), the figure as text, its year, the source (label, tier, publication date)
    and the data row id. Fails if a clearance row lacks its measure or stage, so a new row cannot slip through
    unclassified."""
    from greensilk.citations import labels as bib_labels

    known = bib_labels() if labels is None else labels
    rows = conn[(conn["indicator"] == "khorgos_clearance_hours")].copy()
    if rows.empty:
        raise ValueError("connectivity: no khorgos_clearance_hours rows")
    bad = rows[rows["measure"].isna() | rows["stage"].isna()]
    if not bad.empty:
        raise ValueError(
            f"trade/connectivity.csv rows {', '.join(bad['row_id'])}: "
            "khorgos_clearance_hours needs 'measure' and 'stage'"
        )
    if not set(rows["unit"]) <= {"hours"}:
        raise ValueError(f"trade/connectivity.csv: clearance rows must be in hours, found {sorted(set(rows['unit']))}")
    src = sources.set_index("source_id")
    out = pd.DataFrame(
        {
            "row_id": rows["row_id"],
            "measure": rows["measure"],
            "what": rows["measure"].map(CLEARANCE_MEASURES),
            "stage": rows["stage"],
            "figure": [_hours_text(float(r["value"]), r["value_high"], r["qualifier"]) for _, r in rows.iterrows()],
            "low_h": [_interval(r)[0] for _, r in rows.iterrows()],
            "high_h": [_interval(r)[1] for _, r in rows.iterrows()],
            "year": rows["year"],
            "source_id": rows["source_id"],
            "source": rows["source_id"].map(lambda s: re.sub(r" \([^()]*\)$", "", known.get(s, s))),
            "tier": rows["source_id"].map(src["tier"]),
            "published": rows["source_id"].map(src["date"]).map(_source_date),
        }
    )
    order = list(CLEARANCE_MEASURES)
    out["_m"] = out["measure"].map(order.index)
    out["_s"] = out["stage"].map(_STAGE_ORDER)
    return out.sort_values(["_m", "_s", "row_id"]).drop(columns=["_m", "_s"]).reset_index(drop=True)


def clearance_conflicts(table: pd.DataFrame) -> pd.DataFrame:
    """Pairs of figures from different sources for the same measure and stage whose allowed hours do not overlap
    (e.g. '12 hours' against 'under 10 hours'): the cases where the sources genuinely disagree."""
    pairs = []
    for (_, _), g in table.groupby(["measure", "stage"]):
        recs = g.to_dict("records")
        for i, a in enumerate(recs):
            for b in recs[i + 1 :]:
                if a["source_id"] != b["source_id"] and (a["high_h"] < b["low_h"] or b["high_h"] < a["low_h"]):
                    pairs.append(
                        {"measure": a["measure"], "stage": a["stage"], "row_a": a["row_id"], "row_b": b["row_id"]}
                    )
    return pd.DataFrame(pairs, columns=["measure", "stage", "row_a", "row_b"])


def _when(r) -> str:
    from greensilk.evidence import TIERS

    year = "" if pd.isna(r["year"]) else f"figure for {int(r['year'])}; "
    return f"({year}{r['source']}, {r['published']}; {TIERS[r['tier']][1]})"


def clearance_text(table: pd.DataFrame) -> str:
    """One sentence per measure, built from :func:`khorgos_clearance`: each figure with its year, source,
    publication date and tier; where two sources disagree on the same measure and stage, the sentence says so."""
    conflicts = clearance_conflicts(table)
    sentences = []
    for measure in CLEARANCE_MEASURES:
        g = table[table["measure"] == measure]
        if g.empty:
            continue
        parts = []
        for _, s in g.groupby("source_id", sort=False):
            stages = dict(zip(s["stage"], s["figure"], strict=True))
            if "before" in stages and "after" in stages:
                text = f"{stages['before']} before a reform and {stages['after']} after it"
            elif "before" in stages:
                text = f"{stages['before']} before a reform, with no hour figure for after it"
            elif "after" in stages:
                text = f"{stages['after']} after a reform"
            else:
                text = stages["at_date"]
            parts.append(f"{text} {_when(s.iloc[0])}")
        sentence = f"For {CLEARANCE_MEASURES[measure]}: " + "; ".join(parts) + "."
        mine = conflicts[conflicts["measure"] == measure]
        if not mine.empty:
            pairs = f"{len(mine)} pair{'s' if len(mine) > 1 else ''}"
            sentence += f" These sources disagree ({pairs} of figures that cannot both hold)."
        elif g["source_id"].nunique() > 1:
            sentence += " No two of these figures for the same stage contradict each other."
        sentences.append(sentence)
    return " ".join(sentences)
