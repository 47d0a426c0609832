"""Figures, tables and checks of the Aral Sea chapter, kept here so the notebook stays a narrative (tested in tests/).

Two kinds of data meet here: the continuous yearly series written by the importer ``aral_hydrology``
(``aral_series`` and ``aral_water_balance``) and the scattered ``aral_observations`` reported by single sources.
Series are drawn as lines only over unbroken runs of years from one source; everything else is drawn as points.
Headline numbers (the seed article's claims) use only sources whose tier is not in :data:`HEADLINE_EXCLUDED_TIERS`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from greensilk.analysis import ClaimCheck, check_at_least, check_close, year_ranges  # noqa: F401 (aral.year_ranges)
from greensilk.style import (
    COUNTRY_COLOURS,
    COUNTRY_NAMES,
    OKABE_ITO,
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
"""Axis label and scale of each quantity."""

WEAK_TIERS = ("relay", "encyclopedia_other")
"""Tiers that never supply a value of their own in the chapter (mirrors, relays, encyclopedias, tourism pages)."""
HEADLINE_EXCLUDED_TIERS = WEAK_TIERS + ("press",)
"""Tiers left out of the numbers that test the seed article's claims (a press report is evidence of what was said)."""

SERIES_STYLES = {
    "aral_water_balance_compilation": ("-", 1.8, "Water-balance table 1950–2001"),
    "unesco_aral_region_areas": ("--", 1.8, "UNESCO basin areas 1986–2018"),
    "smashi_small_aral_balance": (":", 2.2, "North Aral balance 2006–2016"),
}
"""Line style, width and legend label of each continuous series (one line never spans two sources)."""
MIN_RUN = 5
"""Fewest consecutive years drawn as a line; shorter runs are drawn as points."""

KIND_ORDER = ("paper", "statistics", "dataset", "web", "press", "encyclopedia")
DODGE_YEARS = 0.45
"""Sideways shift per source kind, so that equal values from different kinds of source do not hide each other."""

SPLIT_YEAR = 1986
"""First year in which the data hold values for separate basins (the sea divided in 1987–1989)."""
WHOLE_LEVEL_UNTIL = 1988
"""Last year with one level and one salinity for the whole sea (from 1989 the table gives the Large Aral's level)."""


def with_source_kind(observations: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Rows with the ``kind`` and ``tier`` of their source; unknown source ids are an error."""
    table = sources.set_index("source_id") if "source_id" in sources.columns else sources
    out = observations.copy()
    out["kind"] = out["source_id"].map(table["kind"])
    if "tier" in table.columns:
        out["tier"] = out["source_id"].map(table["tier"])
    missing = out[out["kind"].isna()]
    if not missing.empty:
        raise KeyError(f"rows cite unknown sources: {sorted(set(missing['source_id']))}")
    return out


def admissible(frame: pd.DataFrame, excluded=WEAK_TIERS) -> pd.DataFrame:
    """Rows whose source tier is not excluded (needs the ``tier`` column of :func:`with_source_kind`)."""
    if "tier" not in frame.columns:
        raise KeyError("admissible() needs a 'tier' column: call with_source_kind first")
    return frame[~frame["tier"].isin(excluded)]


def source_labels(sources: pd.DataFrame) -> pd.Series:
    """Author–year label per source id ("Gaybullaev et al. (2012)", "UNESCO (n.d.)") for tables."""
    table = sources.set_index("source_id") if "source_id" in sources.columns else sources

    def label(row) -> str:
        who = str(row["author_or_publisher"])
        year = str(row["date"])[:4] if str(row["date"]) != "n.d." else "n.d."
        if "authors not shown" in who:  # an abstract page that does not name the authors: use the title
            return " ".join(str(row["title"]).split()[:5]) + f" … ({year})"
        people = [p.strip() for p in who.split(";") if p.strip()]
        if "," in people[0] and "(" not in people[0].split(",")[0]:
            surname = people[0].split(",")[0].strip()
            if "et al." in people[0]:
                return f"{surname} et al. ({year})"
            name = surname + (
                " et al." if len(people) > 2 else f" and {people[1].split(',')[0].strip()}" if len(people) == 2 else ""
            )
        else:
            name = who.split("(")[0].split(",")[0].strip() or who
        return f"{name} ({year})"

    return table.apply(label, axis=1)


def runs(years) -> list[list[int]]:
    """Split years into runs of consecutive years, in order."""
    ys = sorted({int(y) for y in years})
    out: list[list[int]] = []
    for y in ys:
        if out and y == out[-1][-1] + 1:
            out[-1].append(y)
        else:
            out.append([y])
    return out


def draw_series(ax, series: pd.DataFrame, scale: float = 1.0) -> dict[str, int]:
    """Draw continuous series: a line over each run of at least :data:`MIN_RUN` years from one source and water
    body, small points for shorter runs. Flagged (empty) values are gaps. Returns counts of lines and points."""
    counts = {"lines": 0, "points": 0}
    valued = series.dropna(subset=["value"])
    for (source, body), group in valued.groupby(["source_id", "water_body"], sort=True):
        style, width, _ = SERIES_STYLES.get(source, ("-", 1.2, source))
        colour = WATER_BODY_COLOURS[body]
        by_year = group.set_index("year")["value"] * scale
        for run in runs(by_year.index):
            if len(run) >= MIN_RUN:
                ax.plot(run, by_year.loc[run].to_numpy(), linestyle=style, linewidth=width, color=colour, zorder=2)
                counts["lines"] += 1
            else:
                ax.scatter(run, by_year.loc[run].to_numpy(), s=12, color=colour, zorder=2)
                counts["points"] += len(run)
    return counts


def _dodge(kind: str) -> float:
    index = KIND_ORDER.index(kind)
    return (index - (len(KIND_ORDER) - 1) / 2) * DODGE_YEARS / 2


def observation_points(ax, frame: pd.DataFrame, scale: float = 1.0) -> int:
    """Draw observations as unconnected points and return how many were drawn.

    Colour = part of the sea, marker = kind of source; hollow markers are approximate values or bounds ("about",
    "more than"); a vertical bar spans a range a source gives. Nothing is joined by lines.
    """
    drawn = 0
    for (body, kind), group in frame.groupby(["water_body", "kind"], sort=True):
        colour, marker = WATER_BODY_COLOURS[body], SOURCE_KIND_MARKERS[kind]
        x = group["year"].astype(float) + _dodge(kind)
        y = group["value"] * scale
        exact = group["qualifier"].isna().to_numpy()
        ax.scatter(
            x[exact],
            y[exact],
            marker=marker,
            color=colour,
            s=30,
            alpha=0.9,
            linewidths=0.6,
            edgecolors="white",
            zorder=3,
        )
        ax.scatter(x[~exact], y[~exact], marker=marker, facecolors="none", edgecolors=colour, s=30, zorder=3)
        ranged = (group["qualifier"] == "range").fillna(False).to_numpy()
        ax.vlines(x[ranged], y[ranged], group["value_high"][ranged] * scale, color=colour, linewidth=2, zorder=3)
        drawn += len(group)
    return drawn


def legend_handles(series: pd.DataFrame, observations: pd.DataFrame) -> list:
    """Legend entries: parts of the sea present, the continuous series, kinds of source, conventions."""
    bodies = set(series["water_body"]) | set(observations["water_body"])
    handles = [
        Line2D([], [], marker="s", linestyle="none", color=WATER_BODY_COLOURS[b], label=WATER_BODY_NAMES[b])
        for b in WATER_BODY_COLOURS
        if b in bodies
    ]
    for source, (style, width, label) in SERIES_STYLES.items():
        if source in set(series["source_id"]):
            handles.append(Line2D([], [], linestyle=style, linewidth=width, color="#555555", label=label))
    seen = []
    for kind in KIND_ORDER:
        name = SOURCE_KIND_NAMES[kind]
        if kind in set(observations["kind"]) and name not in seen:
            seen.append(name)
            handles.append(
                Line2D([], [], marker=SOURCE_KIND_MARKERS[kind], linestyle="none", color="#555555", label=name)
            )
    handles.append(
        Line2D([], [], marker="o", linestyle="none", markerfacecolor="none", color="#555555", label="About / at least")
    )
    return handles


def record_figure(series: pd.DataFrame, observations: pd.DataFrame, dam_year: int):
    """Four panels (area, level, volume, salinity), 1950 to the latest year: continuous series as lines by basin,
    single reports as points, the Kok-Aral dam year dotted."""
    fig, axes = plt.subplots(2, 2, figsize=(7.5, 7.4), sharex=True)
    for ax, (metric, (label, scale)) in zip(axes.flat, METRICS.items(), strict=True):
        draw_series(ax, series[series["metric"] == metric], scale)
        observation_points(ax, observations[observations["metric"] == metric], scale)
        ax.axvline(dam_year, color="#777777", linestyle=":", linewidth=1)
        ax.set_ylabel(label, fontsize=9)
        ax.set_xlim(1948, 2027)
        ax.set_ylim(bottom=0)
    axes[0, 0].annotate(
        f"Kok-Aral dam\n({dam_year})",
        xy=(dam_year, 0.97),
        xycoords=("data", "axes fraction"),
        xytext=(-4, 0),
        textcoords="offset points",
        ha="right",
        va="top",
        fontsize=8,
        color="#555555",
    )
    fig.legend(handles=legend_handles(series, observations), loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.13, 1, 1))
    return fig


def latest_years(series: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """Per part of the sea and quantity: the last year of the continuous series and the last year of any report."""
    s = series.dropna(subset=["value"]).groupby(["water_body", "metric"])["year"].max().rename("series_until")
    o = observations.groupby(["water_body", "metric"])["year"].max().rename("reports_until")
    return pd.concat([s, o], axis=1).astype("Int64").reset_index()


def cross_check(series: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """Every exact single report that has a series value for the same year, part and quantity, and every year in
    which two continuous series overlap, side by side with the difference in percent of the series value.

    Disagreements stay as separate rows; nothing is averaged. ``decade`` groups the comparisons.
    """
    valued = series.dropna(subset=["value"])
    keys = ["year", "water_body", "metric"]
    exact = observations[observations["qualifier"].isna()]
    rows = exact[keys + ["value", "source_id"]].merge(
        valued[keys + ["value", "source_id"]], on=keys, suffixes=("_other", "_series")
    )
    sources = sorted(valued["source_id"].unique())
    pairs = []
    for i, a in enumerate(sources):
        for b in sources[i + 1 :]:
            both = valued[valued["source_id"] == a][keys + ["value", "source_id"]].merge(
                valued[valued["source_id"] == b][keys + ["value", "source_id"]], on=keys, suffixes=("_series", "_other")
            )
            pairs.append(both)
    out = pd.concat([rows, *pairs], ignore_index=True)
    out["diff_pct"] = (out["value_other"] - out["value_series"]) / out["value_series"] * 100
    out["decade"] = (out["year"] // 10 * 10).astype(int)
    return out.sort_values(keys + ["source_id_other"]).reset_index(drop=True)


def decade_summary(checks: pd.DataFrame, first: int = 1950, last: int = 2020) -> pd.DataFrame:
    """Per decade: how many cross-checks there are, with how many other sources, and the largest difference."""
    decades = pd.Index(range(first, last + 1, 10), name="decade")
    grouped = checks.groupby("decade")
    out = pd.DataFrame(
        {
            "n_checks": grouped.size(),
            "n_other_sources": grouped["source_id_other"].nunique(),
            "median_abs_diff_pct": grouped["diff_pct"].apply(lambda s: s.abs().median()),
            "max_abs_diff_pct": grouped["diff_pct"].apply(lambda s: s.abs().max()),
        }
    ).reindex(decades)
    out[["n_checks", "n_other_sources"]] = out[["n_checks", "n_other_sources"]].fillna(0).astype(int)
    return out


def balance_table(series: pd.DataFrame, balance: pd.DataFrame, source: str = "aral_water_balance_compilation"):
    """One row per year of the water-balance table: river inflow (Amu, Syr, total), precipitation, evaporation,
    whole-sea volume and its change from the year before (km³), and area. Flagged values stay empty."""
    b = balance[(balance["source_id"] == source) & (balance["water_body"] == "whole")]
    wide = b.pivot(index="year", columns="component", values="value")
    s = series[(series["source_id"] == source) & (series["metric"].isin(["volume", "area"]))]
    states = s.pivot_table(index="year", columns="metric", values="value", aggfunc="first")
    level = series[(series["source_id"] == source) & (series["metric"] == "level")].set_index("year")
    out = wide.join(states, how="outer")
    out["level"] = level["value"]
    out["level_body"] = level["water_body"]
    out["inflow_total"] = out["amu_darya_inflow"] + out["syr_darya_inflow"]
    consecutive = pd.Series(out.index, index=out.index).diff() == 1
    out["volume_change"] = (out["volume"] - out["volume"].shift(1)).where(consecutive)
    # a level change is only computed within one basis: not across the year the table switches to the South Aral
    same_body = out["level_body"] == out["level_body"].shift(1)
    out["level_change"] = (out["level"] - out["level"].shift(1)).where(consecutive & same_body)
    return out.rename_axis("year").reset_index()


def balance_figure(table: pd.DataFrame, first_year: int = 1950):
    """Top: yearly inflow of the two rivers (stacked bars). Middle: the yearly change of the sea's volume. Bottom:
    the yearly change of its level, coloured by the part of the sea the level belongs to (no bar across a change)."""
    t = table[table["year"] >= first_year]
    fig, (top, bottom, levels) = plt.subplots(3, 1, figsize=(7.5, 7.6), sharex=True)
    amu, syr = t["amu_darya_inflow"], t["syr_darya_inflow"]
    top.bar(t["year"], amu, color=OKABE_ITO["bluish_green"], label="Amu Darya", width=0.8)
    top.bar(t["year"], syr, bottom=amu, color=OKABE_ITO["blue"], label="Syr Darya", width=0.8)
    top.set_ylabel("River inflow to the sea\n(km³ per year)", fontsize=9)
    top.legend(loc="upper right", fontsize=8, frameon=False)
    change = t["volume_change"]
    bottom.bar(t["year"], change, color=np.where(change < 0, OKABE_ITO["vermillion"], OKABE_ITO["sky_blue"]), width=0.8)
    bottom.axhline(0, color="#555555", linewidth=0.8)
    bottom.set_ylabel("Change of the sea's volume\nfrom the year before (km³)", fontsize=9)
    for year in t.loc[t["volume_change"].isna() & (t["year"] > t["year"].min()), "year"]:
        bottom.text(year, 0.5, "no\nvalue", ha="center", va="bottom", fontsize=7, color="#555555")
    for body, part in t.groupby("level_body"):
        levels.bar(
            part["year"],
            part["level_change"],
            width=0.8,
            color=WATER_BODY_COLOURS[body],
            label=f"{WATER_BODY_NAMES[body]} level",
        )
    levels.axhline(0, color="#555555", linewidth=0.8)
    levels.set_ylabel("Change of the level\nfrom the year before (m)", fontsize=9)
    levels.legend(loc="lower left", fontsize=8, frameon=False)
    for year in t.loc[t["level_change"].isna() & t["level"].notna() & (t["year"] > t["year"].min()), "year"]:
        levels.text(year, 0.05, "change\nof basis", ha="center", va="bottom", fontsize=7, color="#555555")
    bottom.set_xlim(first_year - 1, t["year"].max() + 1)
    fig.tight_layout()
    return fig


def balance_summary(table: pd.DataFrame, before: tuple[int, int] = (1950, 1960), after: tuple[int, int] = (1981, 1990)):
    """Mean river inflow and volume change in two periods, and the correlation of inflow with volume change."""

    def period(a, b):
        part = table[table["year"].between(a, b)]
        return part["inflow_total"].mean(), part["volume_change"].mean()

    inflow_before, change_before = period(*before)
    inflow_after, change_after = period(*after)
    both = table.dropna(subset=["inflow_total", "volume_change"])
    return {
        "inflow_before": inflow_before,
        "inflow_after": inflow_after,
        "change_before": change_before,
        "change_after": change_after,
        "correlation": float(both["inflow_total"].corr(both["volume_change"])),
        "n_years": len(both),
        "first": int(both["year"].min()),
        "last": int(both["year"].max()),
    }


def basins_figure(series: pd.DataFrame, observations: pd.DataFrame, balance: pd.DataFrame, dam_year: int):
    """Three stacked panels after the split: area by basin; volume of the North Aral and of the South's western
    basin; the North Aral's river inflow and its outflow south through the dam."""
    fig, axes = plt.subplots(3, 1, figsize=(7.5, 8.6), sharex=True)
    area = series[(series["metric"] == "area") & (series["water_body"] != "whole") & (series["year"] >= SPLIT_YEAR)]
    draw_series(axes[0], area, 1e-3)
    parts_obs = observations[(observations["water_body"] != "whole") & (observations["year"] >= SPLIT_YEAR)]
    observation_points(axes[0], parts_obs[parts_obs["metric"] == "area"], 1e-3)
    axes[0].set_ylabel("Surface area\n(thousand km²)", fontsize=9)
    vol = series[(series["metric"] == "volume") & (series["water_body"] != "whole")]
    draw_series(axes[1], vol)
    observation_points(axes[1], parts_obs[parts_obs["metric"] == "volume"])
    axes[1].set_ylabel("Volume (km³)", fontsize=9)
    north = balance[balance["water_body"] == "north"].pivot(index="year", columns="component", values="value")
    axes[2].bar(
        north.index - 0.2,
        north["syr_darya_inflow"],
        width=0.4,
        color=OKABE_ITO["blue"],
        label="Syr Darya inflow to the North Aral",
    )
    axes[2].bar(
        north.index + 0.2,
        north["outflow_kokaral"],
        width=0.4,
        color=OKABE_ITO["orange"],
        label="Released south through the dam",
    )
    axes[2].set_ylabel("km³ per year", fontsize=9)
    axes[2].legend(loc="upper left", fontsize=8, frameon=False)
    for ax in axes:
        ax.axvline(dam_year, color="#777777", linestyle=":", linewidth=1)
        ax.set_ylim(bottom=0)
    axes[0].set_xlim(SPLIT_YEAR - 1, 2026)
    axes[0].annotate(
        f"Kok-Aral dam ({dam_year})",
        xy=(dam_year, 0.97),
        xycoords=("data", "axes fraction"),
        xytext=(4, 0),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=8,
        color="#555555",
    )
    handles = legend_handles(pd.concat([area, vol]), parts_obs)
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.11, 1, 1))
    return fig


def north_south(series: pd.DataFrame, balance: pd.DataFrame, dam_year: int) -> dict:
    """Area of the North Aral and of the rest of the sea at the dam year and in the last year of the basin areas;
    the North Aral's inflow and outflow totals over the years of its water balance."""
    area = series[(series["metric"] == "area") & (series["source_id"] == "unesco_aral_region_areas")]
    wide = area.pivot(index="year", columns="water_body", values="value")
    last = int(wide.index.max())
    south_cols = [c for c in ("south", "south_west", "south_east") if c in wide.columns]
    south = wide[south_cols].sum(axis=1, min_count=1)
    north = balance[balance["water_body"] == "north"].pivot(index="year", columns="component", values="value")
    return {
        "last_year": last,
        "north_dam": float(wide.loc[dam_year, "north"]),
        "north_last": float(wide.loc[last, "north"]),
        "south_dam": float(south.loc[dam_year]),
        "south_last": float(south.loc[last]),
        "north_change_pct": float((wide.loc[last, "north"] / wide.loc[dam_year, "north"] - 1) * 100),
        "south_change_pct": float((south.loc[last] / south.loc[dam_year] - 1) * 100),
        "balance_first": int(north.index.min()),
        "balance_last": int(north.index.max()),
        "inflow_sum": float(north["syr_darya_inflow"].sum()),
        "outflow_sum": float(north["outflow_kokaral"].sum()),
        "outflow_share_pct": float(north["outflow_kokaral"].sum() / north["syr_darya_inflow"].sum() * 100),
    }


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


def whole_area_record(series: pd.DataFrame, observations: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Every whole-sea area value with its source, kind and tier: continuous series (``origin = series``) and
    exact single reports (``origin = report``); weak tiers (relay, encyclopedia) are kept here but marked."""
    cols = ["year", "value", "source_id"]
    s = series[(series["metric"] == "area") & (series["water_body"] == "whole")].dropna(subset=["value"])
    o = observations[
        (observations["metric"] == "area") & (observations["water_body"] == "whole") & observations["qualifier"].isna()
    ]
    out = pd.concat([s[cols].assign(origin="series"), o[cols].assign(origin="report")], ignore_index=True)
    return with_source_kind(out, sources).sort_values(["year", "source_id"]).reset_index(drop=True)


def baseline(record: pd.DataFrame, year: int = 1960, excluded=HEADLINE_EXCLUDED_TIERS) -> pd.Series:
    """Smallest and largest whole-sea area for ``year`` among admissible sources, with the sources used."""
    rows = admissible(record[record["year"] == year], excluded)
    if rows.empty:
        raise ValueError(f"no admissible whole-sea area for {year}")
    return pd.Series(
        {
            "year": year,
            "low": float(rows["value"].min()),
            "high": float(rows["value"].max()),
            "n_sources": rows["source_id"].nunique(),
            "sources": sorted(rows["source_id"].unique()),
        }
    )


def with_losses(record: pd.DataFrame, base: pd.Series) -> pd.DataFrame:
    """Percent of the baseline area lost and area of exposed former seabed, against both ends of the baseline."""
    out = record.copy()
    out["loss_pct_low"] = (base["low"] - out["value"]) / base["low"] * 100
    out["loss_pct_high"] = (base["high"] - out["value"]) / base["high"] * 100
    out["exposed_km2_low"] = base["low"] - out["value"]
    out["exposed_km2_high"] = base["high"] - out["value"]
    return out


def seed_claims(
    series: pd.DataFrame,
    observations: pd.DataFrame,
    facts: pd.DataFrame,
    sources: pd.DataFrame,
    baseline_year: int = 1960,
) -> dict:
    """Test the seed article's three Aral figures against the data. Verdicts and their evidence text come from
    this one computation (the claims ledger stores exactly what :func:`ledger_fields` derives from it).

    - rank: the most common 1960 world-lake rank among admissible independent sources, against the stated rank;
    - area_loss: the whole-sea area of the latest year reported by an admissible source (not press, relay or
      encyclopedia) against the smallest admissible 1960 area, against "more than 90 %" (1 point tolerance);
    - desert: the exposed former seabed by that year (1960 area minus that area) against "more than 50,000 km²"
      (2,000 km² tolerance).
    """
    labels = source_labels(sources)
    record = whole_area_record(series, observations, sources)
    base = baseline(record, baseline_year)
    good = with_losses(admissible(record[record["year"] > baseline_year], HEADLINE_EXCLUDED_TIERS), base)
    latest_year = int(good["year"].max())
    latest = good[good["year"] == latest_year].sort_values("value").iloc[-1]
    smallest = good.sort_values(["value", "year"]).iloc[0]
    stated_loss = _seed_fact(facts, "aral_shrink_pct")
    stated_desert = _seed_fact(facts, "aralkum_area")
    stated_rank = _seed_fact(facts, "world_lake_rank_1960")

    ranks = with_source_kind(
        facts[(facts["topic"] == "world_lake_rank_1960") & (facts["source_id"] != "seed_feature_2025")], sources
    )
    ranks = admissible(ranks, HEADLINE_EXCLUDED_TIERS)
    mode = float(ranks["value"].mode().iloc[0])
    rank = check_close("fourth-largest lake in 1960", mode, stated_rank, 0.0)
    agreeing = int((ranks["value"] == mode).sum())
    rank_reason = (
        f"{agreeing} of {len(ranks)} independent sources that are not press, relay or encyclopedia rank the sea "
        f"{mode:.0f}th among the world's lakes around {baseline_year} "
        f"({'; '.join(labels[s] for s in sorted(ranks['source_id']))}); stated rank {stated_rank:.0f}."
    )

    base_text = (
        f"{baseline_year} whole-sea areas of {base['low']:,.0f}–{base['high']:,.0f} km² from {base['n_sources']} "
        f"sources ({'; '.join(labels[s] for s in base['sources'])})"
    )
    loss = check_at_least("area lost since 1960 > 90 %", float(latest["loss_pct_low"]), stated_loss, 1.0)
    position = "above" if latest["loss_pct_low"] > stated_loss else "below"
    loss_reason = (
        f"Baseline: {base_text}. Latest whole-sea area from a source that is not press, relay or encyclopedia: "
        f"{latest['value']:,.0f} km² in {latest_year} ({labels[latest['source_id']]}), a loss of "
        f"{latest['loss_pct_low']:.1f}–{latest['loss_pct_high']:.1f} %, {position} the stated more than "
        f"{stated_loss:.0f} % (tolerance 1 point). Smallest such area on record: {smallest['value']:,.0f} km² in "
        f"{int(smallest['year'])} ({labels[smallest['source_id']]}), "
        f"{smallest['loss_pct_low']:.1f}–{smallest['loss_pct_high']:.1f} %."
    )

    desert = check_at_least("dried seabed > 50,000 km²", float(latest["exposed_km2_low"]), stated_desert, 2000)
    others = facts[
        facts["topic"].isin(
            ["aralkum_area", "aralkum_area_incl_deltas", "salt_desert_formed", "dried_seabed_area_total"]
        )
        & (facts["source_id"] != "seed_feature_2025")
    ]
    others_km2 = others["value"].where(others["unit"] == "km2", others["value"] / 100)
    desert_reason = (
        f"Former seabed exposed by {latest_year}: {latest['exposed_km2_low']:,.0f}–{latest['exposed_km2_high']:,.0f} "
        f"km² ({base_text}, minus {latest['value']:,.0f} km² in {latest_year}, {labels[latest['source_id']]}); "
        f"stated more than {stated_desert:,.0f} km². Exposed bed is not all desert: other sources give "
        f"{others_km2.min():,.0f}–{others_km2.max():,.0f} km² for the Aralkum, the salt desert or the dried bed, "
        f"depending on date and definition."
    )
    return {
        "rank": ClaimCheck(rank.claim, rank.verdict, rank.observed, rank_reason),
        "area_loss": ClaimCheck(loss.claim, loss.verdict, loss.observed, loss_reason),
        "desert": ClaimCheck(desert.claim, desert.verdict, desert.observed, desert_reason),
        "stated": {"loss": stated_loss, "desert": stated_desert, "rank": stated_rank},
        "baseline": base,
        "latest": latest,
        "smallest": smallest,
        "record": with_losses(record, base),
        "ranks": ranks,
        "evidence": {
            "rank": sorted(ranks["source_id"].unique()),
            "area_loss": sorted(set(base["sources"]) | {latest["source_id"], smallest["source_id"]}),
            "desert": sorted(set(base["sources"]) | {latest["source_id"]}),
        },
    }


LEDGER_CLAIMS = {"c003": "rank", "c004": "area_loss", "c005": "desert"}
"""Claims-ledger rows whose verdict and evidence text come from :func:`seed_claims`."""


def ledger_fields(seed: dict) -> dict[str, dict[str, str]]:
    """The claims-ledger fields of c003–c005 as :func:`seed_claims` computes them (verdict, independent value and
    unit, evidence sources, reason); tests compare them with data/claims/claims.csv."""
    latest = seed["latest"]
    values = {
        "rank": (f"{seed['rank'].observed:.0f}", "rank (largest lakes)"),
        "area_loss": (
            f"{latest['loss_pct_low']:.1f}-{latest['loss_pct_high']:.1f}",
            f"% ({seed['baseline']['year']}-{int(latest['year'])})",
        ),
        "desert": (f"{latest['exposed_km2_low']:.0f}-{latest['exposed_km2_high']:.0f}", "km2 (exposed former seabed)"),
    }
    out = {}
    for claim_id, key in LEDGER_CLAIMS.items():
        check = seed[key]
        out[claim_id] = {
            "verdict": check.verdict,
            "independent_value": values[key][0],
            "independent_unit": values[key][1],
            "evidence_source_ids": ";".join(seed["evidence"][key]),
            "reason": f"Computed from the report's data: {check.reason} [aral theme]",
        }
    return out


def loss_figure(seed: dict):
    """Two panels over time: percent of the 1960 area lost, and exposed former seabed, for every whole-sea area on
    record (series as bands between the two ends of the baseline, single reports as bars), with the seed claims."""
    record = seed["record"]
    # single reports of weak tiers are never drawn; the relay copy of the water-balance table is drawn as context
    # (its origin is not traced, so it never enters a verdict)
    keep = ~record["tier"].isin(WEAK_TIERS) | (record["origin"] == "series")
    record = record[(record["year"] > seed["baseline"]["year"]) & keep]
    fig, axes = plt.subplots(2, 1, figsize=(7.5, 6.4), sharex=True)
    panels = (
        ("loss_pct", 1.0, "Area lost since 1960 (%)", seed["stated"]["loss"], "seed claim: more than {:.0f} %"),
        (
            "exposed_km2",
            1e-3,
            "Exposed former seabed\n(thousand km²)",
            seed["stated"]["desert"],
            "seed claim: more than {:,.0f} km²",
        ),
    )
    for ax, (stem, scale, label, claim, claim_text) in zip(axes, panels, strict=True):
        for source, group in record[record["origin"] == "series"].groupby("source_id"):
            style, width, name = SERIES_STYLES.get(source, ("-", 1.2, source))
            if group["tier"].isin(WEAK_TIERS).any():
                name += " (origin not traced; context only)"
            group = group.sort_values("year")
            for run in runs(group["year"]):
                part = group[group["year"].isin(run)]
                ax.fill_between(
                    part["year"],
                    part[f"{stem}_low"] * scale,
                    part[f"{stem}_high"] * scale,
                    color="#333333",
                    alpha=0.25,
                    linewidth=0,
                )
                ax.plot(
                    part["year"],
                    part[f"{stem}_low"] * scale,
                    linestyle=style,
                    linewidth=width - 0.6,
                    color="#333333",
                    label=name if run == runs(group["year"])[0] else None,
                )
        reports = record[record["origin"] == "report"]
        ax.vlines(
            reports["year"],
            reports[f"{stem}_low"] * scale,
            reports[f"{stem}_high"] * scale,
            color=OKABE_ITO["blue"],
            linewidth=2.5,
            label="Single reports (range over the baseline)",
        )
        mid = (reports[f"{stem}_low"] + reports[f"{stem}_high"]) / 2 * scale
        ax.scatter(reports["year"], mid, s=14, color=OKABE_ITO["blue"], zorder=3)
        ax.axhline(claim * scale, color=COUNTRY_COLOURS["KGZ"], linestyle="--", linewidth=1)
        ax.text(1962, claim * scale, claim_text.format(claim), fontsize=8, color="#8A3B00", va="bottom")
        ax.set_ylabel(label, fontsize=9)
        ax.set_ylim(0, None)
    axes[0].set_ylim(0, 100)
    axes[1].set_xlim(1958, 2026)
    axes[0].legend(loc="lower right", fontsize=8, frameon=False)
    axes[1].set_xlim(1958, 2026)
    fig.tight_layout()
    return fig


def coverage(series: pd.DataFrame, observations: pd.DataFrame, first: int = 1960, last: int | None = None):
    """What the data hold per part of the sea and quantity: years with a continuous-series value, years with only
    single reports, and years with nothing.

    The window of each part runs from ``first`` (a basin: from the first year the data name it, not before the
    split) to ``last`` (default: the latest year in the data); level and salinity of the whole sea end at
    :data:`WHOLE_LEVEL_UNTIL`, after which only basins have a level or a salinity.
    """
    valued = series.dropna(subset=["value"])
    last = int(max(valued["year"].max(), observations["year"].max())) if last is None else last
    named = pd.concat([valued[["water_body", "year"]], observations[["water_body", "year"]]])
    rows = []
    for body in WATER_BODY_COLOURS:
        for metric in METRICS:
            s_years = set(valued[(valued["water_body"] == body) & (valued["metric"] == metric)]["year"])
            o_years = set(
                observations[(observations["water_body"] == body) & (observations["metric"] == metric)]["year"]
            )
            if not (s_years or o_years):
                continue
            if body == "whole":
                start = first
                end = min(last, WHOLE_LEVEL_UNTIL) if metric in ("level", "salinity") else last
            else:
                start = max(first, SPLIT_YEAR, int(named.loc[named["water_body"] == body, "year"].min()))
                end = last
            window = set(range(start, end + 1))
            missing = window - s_years - o_years
            rows.append(
                {
                    "water_body": body,
                    "metric": metric,
                    "window": f"{start}–{end}",
                    "n_series_years": len(s_years & window),
                    "n_report_only_years": len((o_years - s_years) & window),
                    "n_missing_years": len(missing),
                    "missing": year_ranges(missing),
                }
            )
    return pd.DataFrame(rows)


def years_with_value(series: pd.DataFrame, observations: pd.DataFrame, metrics, start: int, end: int) -> int:
    """Distinct years in ``start``–``end`` with at least one value of any of ``metrics`` (any part of the sea)."""
    valued = series.dropna(subset=["value"])
    years = set(valued[valued["metric"].isin(metrics)]["year"]) | set(
        observations[observations["metric"].isin(metrics)]["year"]
    )
    return len({y for y in years if start <= y <= end})
