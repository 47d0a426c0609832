"""Figures and tables of the Aral Sea chapter, kept here so the notebook stays a narrative (tested in tests/)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D

from greensilk.analysis import baseline_range, loss_range
from greensilk.style import (
    COUNTRY_COLOURS,
    COUNTRY_NAMES,
    SOURCE_KIND_MARKERS,
    SOURCE_KIND_NAMES,
    WATER_BODY_COLOURS,
    WATER_BODY_NAMES,
)

METRICS = {
    "area": ("Surface area (thousand km²)", 1e-3),
    "level": ("Water level (m above sea level)", 1.0),
    "volume": ("Volume (km³)", 1.0),
    "salinity": ("Salinity (g/l)", 1.0),
}
"""Axis label and scale of each observed quantity."""

KIND_ORDER = ("paper", "statistics", "dataset", "web", "press", "encyclopedia")
DODGE_YEARS = 0.45
"""Sideways shift per source kind, so that equal values from different kinds of source do not hide each other."""


def with_source_kind(observations: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Observations with a ``kind`` column (the kind of their source); unknown source ids are an error."""
    kinds = sources.set_index("source_id")["kind"] if "source_id" in sources.columns else sources["kind"]
    out = observations.copy()
    out["kind"] = out["source_id"].map(kinds)
    missing = out[out["kind"].isna()]
    if not missing.empty:
        raise KeyError(f"observations cite unknown sources: {sorted(set(missing['source_id']))}")
    return out


def _dodge(kind: str) -> float:
    index = KIND_ORDER.index(kind)
    return (index - (len(KIND_ORDER) - 1) / 2) * DODGE_YEARS / 2


def observation_points(ax, frame: pd.DataFrame, scale: float = 1.0) -> int:
    """Draw observations as unconnected points and return how many were drawn.

    Colour = part of the sea, marker = kind of source; hollow markers are approximate values or bounds ("about",
    "more than"); a vertical bar spans a range a source gives. Nothing is joined by lines: the record is sparse.
    """
    drawn = 0
    for (body, kind), group in frame.groupby(["water_body", "kind"], sort=True):
        colour, marker = WATER_BODY_COLOURS[body], SOURCE_KIND_MARKERS[kind]
        x = group["year"].astype(float) + _dodge(kind)
        y = group["value"] * scale
        exact = group["qualifier"].isna().to_numpy()
        ax.scatter(x[exact], y[exact], marker=marker, color=colour, s=30, alpha=0.85, linewidths=0, zorder=3)
        ax.scatter(x[~exact], y[~exact], marker=marker, facecolors="none", edgecolors=colour, s=30, zorder=3)
        ranged = (group["qualifier"] == "range").fillna(False).to_numpy()
        ax.vlines(x[ranged], y[ranged], group["value_high"][ranged] * scale, color=colour, linewidth=2, zorder=3)
        drawn += len(group)
    return drawn


def legend_handles(frame: pd.DataFrame) -> list:
    """Legend entries for the parts of the sea and kinds of source present in ``frame``, plus the conventions."""
    handles = [
        Line2D([], [], marker="o", linestyle="none", color=WATER_BODY_COLOURS[b], label=WATER_BODY_NAMES[b])
        for b in WATER_BODY_COLOURS
        if b in set(frame["water_body"])
    ]
    seen = []
    for kind in KIND_ORDER:
        name = SOURCE_KIND_NAMES[kind]
        if kind in set(frame["kind"]) and name not in seen:
            seen.append(name)
            handles.append(
                Line2D([], [], marker=SOURCE_KIND_MARKERS[kind], linestyle="none", color="#555555", label=name)
            )
    handles.append(
        Line2D([], [], marker="o", linestyle="none", markerfacecolor="none", color="#555555", label="About / at least")
    )
    return handles


def record_figure(observations: pd.DataFrame, dam_year: int):
    """Four panels (area, level, volume, salinity) of every observation since 1960, with the Kok-Aral dam year."""
    fig, axes = plt.subplots(2, 2, figsize=(7.5, 6.6), sharex=True)
    for ax, (metric, (label, scale)) in zip(axes.flat, METRICS.items(), strict=True):
        observation_points(ax, observations[observations["metric"] == metric], scale)
        ax.axvline(dam_year, color="#777777", linestyle=":", linewidth=1)
        ax.set_ylabel(label, fontsize=9)
        ax.set_xlim(1955, 2027)
        ax.set_ylim(bottom=0)
    axes[0, 0].annotate(
        f"Kok-Aral dam\ncompleted ({dam_year})",
        xy=(dam_year, 0.95),
        xycoords=("data", "axes fraction"),
        xytext=(-4, 0),
        textcoords="offset points",
        ha="right",
        va="top",
        fontsize=8,
        color="#555555",
    )
    fig.legend(handles=legend_handles(observations), loc="lower center", ncol=3, fontsize=8)
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    return fig


def loss_table(observations: pd.DataFrame, metric: str, baseline_year: int = 1960) -> tuple[pd.DataFrame, pd.Series]:
    """Whole-sea values of ``metric`` after ``baseline_year`` with the percent lost against both ends of the
    baseline that sources report (lower and upper bounds are left out: they give no single value)."""
    baseline = baseline_range(observations, baseline_year, metric)
    later = observations[
        (observations["metric"] == metric)
        & (observations["water_body"] == "whole")
        & (observations["year"] > baseline_year)
        & observations["qualifier"].isna()
    ]
    cols = ["obs_id", "year", "value", "source_id", "kind"]
    out = later[[c for c in cols if c in later.columns]].join(loss_range(later["value"], baseline))
    return out.sort_values(["year", "source_id"]).reset_index(drop=True), baseline


def loss_figure(tables: dict[str, pd.DataFrame], claim_pct: float | None = None):
    """One panel per metric: each later observation as a bar from the smaller to the larger loss."""
    fig, axes = plt.subplots(1, len(tables), figsize=(7.5, 3.6), sharey=True)
    for ax, (metric, table) in zip(axes, tables.items(), strict=True):
        ax.vlines(table["year"], table["loss_pct_low"], table["loss_pct_high"], color="black", linewidth=3)
        ax.scatter(table["year"], table["loss_pct_low"], marker="_", color="black", s=40)
        if claim_pct is not None and metric == "area":
            ax.axhline(claim_pct, color=COUNTRY_COLOURS["KGZ"], linestyle="--", linewidth=1)
            ax.text(1962, claim_pct + 1.5, f"seed claim: more than {claim_pct:.0f} %", fontsize=8, color="#8A3B00")
        ax.set_title(f"{metric.capitalize()} lost since 1960", fontsize=10)
        ax.set_xlim(1960, 2026)
        ax.set_ylim(0, 100)
    axes[0].set_ylabel("Loss against 1960 (%)")
    fig.tight_layout()
    return fig


PLANTING_STYLES = {
    "planted_cumulative": ("o", True, "Reported total planted to date"),
    "planted_in_year": ("s", False, "Reported planted in that year"),
    "target": ("x", True, "Announced target"),
}


def planting_figure(planting: pd.DataFrame, seabed_ha: dict[str, float]):
    """Reported afforestation of the dried seabed per country (points; no lines), against the dried area."""
    dated = planting.dropna(subset=["year"])
    fig, axes = plt.subplots(1, 2, figsize=(7.5, 3.8), sharey=True)
    for ax, code in zip(axes, ("KAZ", "UZB"), strict=True):
        colour = COUNTRY_COLOURS[code]
        part = dated[dated["country"] == code]
        for measure, (marker, filled, _) in PLANTING_STYLES.items():
            rows = part[part["measure"] == measure]
            face = colour if filled else "none"
            if marker == "x":
                ax.scatter(rows["year"], rows["area_ha"] / 1e6, marker=marker, color=colour, s=40, zorder=3)
            else:
                ax.scatter(rows["year"], rows["area_ha"] / 1e6, marker=marker, facecolors=face, edgecolors=colour, s=36)
        if code in seabed_ha:
            ax.axhline(seabed_ha[code] / 1e6, color="#777777", linestyle="--", linewidth=1)
            ax.text(2017.2, seabed_ha[code] / 1e6 + 0.06, "dried seabed in this country", fontsize=8, color="#555555")
        ax.set_title(COUNTRY_NAMES[code], fontsize=10)
        ax.set_xlim(2017, 2026)
        ax.set_xticks(range(2018, 2026, 2))
    axes[0].set_ylabel("Area (million ha)")
    handles = [
        Line2D([], [], marker=m, linestyle="none", color="#555555", markerfacecolor="#555555" if f else "none", label=t)
        for m, f, t in PLANTING_STYLES.values()
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


CATEGORY_ORDER = ("policy", "summit", "funding", "infrastructure", "research", "restoration")


def timeline_figure(events: pd.DataFrame):
    """Every dated event by category; filled black = with Chinese involvement, hollow grey = without."""
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    rows = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    unknown = set(events["category"]) - set(rows)
    if unknown:
        raise ValueError(f"events have categories the timeline does not know: {sorted(unknown)}")
    y = events["category"].map(rows).astype(float)
    china = events["chinese_involvement"].astype(bool).to_numpy()
    ax.scatter(events["date"][~china], y[~china] - 0.12, facecolors="none", edgecolors="#888888", s=34)
    ax.scatter(events["date"][china], y[china] + 0.12, color="black", s=34)
    ax.set_yticks(range(len(CATEGORY_ORDER)), [c.capitalize() for c in CATEGORY_ORDER])
    ax.set_ylim(-0.7, len(CATEGORY_ORDER) - 0.3)
    ax.set_xlim(pd.Timestamp("1990-01-01"), pd.Timestamp("2027-01-01"))
    handles = [
        Line2D([], [], marker="o", linestyle="none", color="black", label="With Chinese involvement"),
        Line2D([], [], marker="o", linestyle="none", markerfacecolor="none", color="#888888", label="Without"),
    ]
    ax.legend(handles=handles, loc="upper left", fontsize=8, frameon=True, framealpha=0.9)
    fig.tight_layout()
    return fig


def _seed_fact(facts: pd.DataFrame, topic: str, seed: str = "seed_feature_2025") -> float:
    rows = facts[(facts["topic"] == topic) & (facts["source_id"] == seed)]
    if rows.empty:
        raise KeyError(f"aral_facts has no '{topic}' row from {seed}")
    return float(rows["value"].iloc[0])


def seed_claims(observations: pd.DataFrame, facts: pd.DataFrame) -> dict:
    """Test the seed article's three Aral figures against the data; returns a dict of results.

    - rank: the most common 1960 world-lake rank in independent sources against the stated rank (exact match);
    - area_loss: loss of area by the newest whole-sea observation, against the smaller 1960 baseline, against
      "more than 90 %" (1 point tolerance);
    - desert: the smaller 1960 area minus the newest whole-sea area, against "more than 50,000 km²" (2,000 km²
      tolerance).
    """
    from greensilk.analysis import check_at_least, check_close

    area_loss, area_base = loss_table(observations, "area")
    latest = area_loss[area_loss["year"] == area_loss["year"].max()].iloc[0]
    stated_loss = _seed_fact(facts, "aral_shrink_pct")
    stated_desert = _seed_fact(facts, "aralkum_area")
    stated_rank = _seed_fact(facts, "world_lake_rank_1960")
    ranks = facts[(facts["topic"] == "world_lake_rank_1960") & (facts["source_id"] != "seed_feature_2025")]
    desert = float(area_base["low"] - latest["value"])
    return {
        "rank": check_close("fourth-largest lake in 1960", float(ranks["value"].mode().iloc[0]), stated_rank, 0.0),
        "area_loss": check_at_least("area lost since 1960 > 90 %", float(latest["loss_pct_low"]), stated_loss, 1.0),
        "desert": check_at_least("dried seabed > 50,000 km²", desert, stated_desert, 2000),
        "stated": {"loss": stated_loss, "desert": stated_desert, "rank": stated_rank},
        "latest": latest,
        "baseline": area_base,
        "ranks": ranks,
        "desert_km2": desert,
    }
