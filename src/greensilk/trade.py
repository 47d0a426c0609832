"""Calculations and figures of the trade chapter (tested in tests/test_trade.py)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from greensilk.style import COUNTRY_COLOURS, COUNTRY_NAMES, FOCUS_COUNTRIES

REPORTER_STYLE = {
    "china": ("o", "#222222", "China's customs and commerce ministry"),
    "partner": ("s", "#A6761D", "Central Asian statistics and officials"),
    "third_party": ("D", "#8C8C8C", "Third party (e.g. Eurasian Development Bank)"),
}
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


def totals_figure(trade_usd: pd.DataFrame, china_growth: pd.DataFrame):
    """Every full-year C5 total as a point (no lines), by reporter; growth labels where consecutive years exist."""
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    rows = trade_usd[
        (trade_usd["partner_iso3"] == "C5") & (trade_usd["flow"] == "total") & (trade_usd["period"] == "year")
    ]
    for reporter, (marker, colour, label) in REPORTER_STYLE.items():
        part = rows[(rows["reporter"] == reporter) & rows["usd_m"].notna()]
        exact = part["qualifier"].isna()
        ax.scatter(
            part.loc[exact, "year"],
            part.loc[exact, "usd_m"] / 1000,
            marker=marker,
            color=colour,
            s=36,
            zorder=3,
            label=label,
        )
        ax.scatter(
            part.loc[~exact, "year"],
            part.loc[~exact, "usd_m"] / 1000,
            marker=marker,
            facecolors="none",
            edgecolors=colour,
            s=36,
            zorder=3,
        )
    for _, r in china_growth.dropna(subset=["growth_pct"]).iterrows():
        ax.annotate(
            f"{r['growth_pct']:+.0f} %",
            (r["year"], r["usd_m"] / 1000),
            xytext=(0, 8),
            textcoords="offset points",
            ha="center",
            fontsize=7,
            color="#444444",
        )
    ax.set_ylabel("Total trade (billion USD)")
    ax.set_xlim(1990, 2027)
    ax.set_ylim(bottom=0)
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Line2D([], [], marker="o", linestyle="none", markerfacecolor="none", color="#555555"))
    labels.append("Hollow: 'about' or 'more than'")
    ax.legend(handles, labels, loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def composition_figure(comp: pd.DataFrame):
    """Stacked bars: each country's trade with China per year (China's figures), in house colours."""
    wide = comp.pivot(index="year", columns="partner_iso3", values="usd_m").reindex(columns=list(FOCUS_COUNTRIES))
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    bottom = np.zeros(len(wide))
    years = [str(y) for y in wide.index]
    for code in FOCUS_COUNTRIES:
        vals = wide[code].fillna(0).to_numpy() / 1000
        ax.bar(
            years,
            vals,
            bottom=bottom,
            color=COUNTRY_COLOURS[code],
            label=COUNTRY_NAMES[code],
            width=0.6,
            edgecolor="white",
        )
        for x, (b, v) in enumerate(zip(bottom, vals, strict=True)):
            if v >= 4:
                ax.text(x, b + v / 2, f"{v:.1f}", ha="center", va="center", fontsize=7.5, color="white")
        bottom += vals
    ax.set_ylabel("Trade with China (billion USD)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    fig.tight_layout()
    return fig


def mirror_figure(mirrored: pd.DataFrame):
    """Per country and year: China's figure and the partner's, joined by a line, with the ratio written beside."""
    fig, ax = plt.subplots(figsize=(7.5, 3.9))
    labels = []
    for i, (_, r) in enumerate(mirrored.sort_values(["partner_iso3", "year"]).iterrows()):
        colour = COUNTRY_COLOURS[r["partner_iso3"]]
        ax.plot([r["partner_usd_m"] / 1000, r["china_usd_m"] / 1000], [i, i], color=colour, linewidth=2)
        ax.scatter([r["china_usd_m"] / 1000], [i], marker="o", color="#222222", zorder=3, s=36)
        hollow = pd.notna(r["partner_qualifier"])
        ax.scatter(
            [r["partner_usd_m"] / 1000],
            [i],
            marker="s",
            facecolors="none" if hollow else "#A6761D",
            edgecolors="#A6761D",
            zorder=3,
            s=36,
        )
        ax.text(
            max(r["china_usd_m"], r["partner_usd_m"]) / 1000 + 0.8, i, f"× {r['ratio']:.2f}", va="center", fontsize=8
        )
        labels.append(f"{COUNTRY_NAMES[r['partner_iso3']]} {r['year']}")
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("Total trade with China (billion USD)")
    ax.set_xlim(0, mirrored[["china_usd_m", "partner_usd_m"]].to_numpy().max() / 1000 * 1.18)
    handles = [
        Line2D([], [], marker="o", linestyle="none", color="#222222", label="As China reports it"),
        Line2D([], [], marker="s", linestyle="none", color="#A6761D", label="As the partner reports it"),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


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
