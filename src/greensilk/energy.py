"""Calculations and figures of the energy chapter (tested in tests/test_energy.py)."""

from __future__ import annotations

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from shapely.geometry import box

from greensilk.maps import EQUAL_AREA_CRS, finish_map
from greensilk.style import (
    COUNTRY_COLOURS,
    COUNTRY_NAMES,
    FOCUS_COUNTRIES,
    FUEL_COLOURS,
    FUEL_NAMES,
    FUEL_ORDER,
    NEIGHBOUR_EDGE,
    NEIGHBOUR_FILL,
    STATUS_MARKERS,
    STATUS_NAMES,
    STATUS_ORDER,
    TECH_COLOURS,
    TECH_GROUPS,
    TECH_NAMES,
    WATER,
)

HOURS_PER_YEAR = 8760
RENEWABLE = ("hydro", "wind", "solar", "bioenergy", "other_renewables")
SUM_TOLERANCE_TWH = 0.05
"""How far the sum of the sources may differ from the stated total (rounding in the published data)."""


# --------------------------------------------------------------------------------------------- generation
def generation_wide(generation: pd.DataFrame) -> pd.DataFrame:
    """One row per (country, year), one column per source plus ``total``; absent cells stay missing."""
    wide = generation.pivot_table(index=["country_iso3", "year"], columns="fuel", values="value_twh", aggfunc="first")
    wide.columns.name = None
    return wide.reindex(columns=[*FUEL_ORDER, "total"])


def sum_gaps(generation: pd.DataFrame) -> pd.Series:
    """Total minus the sum of the sources, per (country, year); missing sources count as zero."""
    wide = generation_wide(generation)
    return wide["total"] - wide[list(FUEL_ORDER)].fillna(0).sum(axis=1)


def renewable_shares(generation: pd.DataFrame) -> pd.DataFrame:
    """Percent of generation from renewables with and without hydro, per country and year."""
    wide = generation_wide(generation)
    parts = wide[list(RENEWABLE)].fillna(0)
    out = pd.DataFrame(
        {
            "renewable_pct": parts.sum(axis=1) / wide["total"] * 100,
            "renewable_excl_hydro_pct": parts.drop(columns="hydro").sum(axis=1) / wide["total"] * 100,
            "wind_solar_twh": parts[["wind", "solar"]].sum(axis=1),
            "total_twh": wide["total"],
        }
    )
    return out.reset_index()


def mix_figure(generation: pd.DataFrame, countries=(*FOCUS_COUNTRIES, "CHN"), latest_note: int | None = None):
    """Small multiples: generation by source over time for each country (stacked; the series are annual and
    complete, so the areas join reported values only). China gets its own scale."""
    wide = generation_wide(generation).fillna(0)
    fig, axes = plt.subplots(2, 3, figsize=(7.5, 5.4))
    for ax, code in zip(axes.flat, countries, strict=True):
        part = wide.loc[code]
        years = part.index.astype(int)
        ax.stackplot(years, [part[f] for f in FUEL_ORDER], colors=[FUEL_COLOURS[f] for f in FUEL_ORDER], linewidth=0)
        ax.set_title(COUNTRY_NAMES[code], fontsize=10, color=COUNTRY_COLOURS[code])
        ax.set_xlim(years.min(), years.max())
        ax.set_xticks([2000, 2010, 2020])
        ax.tick_params(labelsize=8)
        ax.grid(False)
        if latest_note and years.max() >= latest_note:
            ax.axvspan(latest_note - 0.5, latest_note, color="white", alpha=0.35, linewidth=0)
    for ax in axes[:, 0]:
        ax.set_ylabel("TWh", fontsize=9)
    handles = [Patch(facecolor=FUEL_COLOURS[f], label=FUEL_NAMES[f]) for f in FUEL_ORDER]
    fig.legend(handles=handles, loc="lower center", ncol=5, fontsize=8)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return fig


def shares_figure(shares: pd.DataFrame, intensity: pd.DataFrame, countries=(*FOCUS_COUNTRIES, "CHN")):
    """Three panels: renewable share with hydro, without hydro, and carbon intensity, one line per country."""
    fig, axes = plt.subplots(1, 3, figsize=(7.5, 3.6))
    panels = [
        (shares, "renewable_pct", "Renewables incl. hydro (%)"),
        (shares, "renewable_excl_hydro_pct", "Renewables excl. hydro (%)"),
        (intensity, "gco2e_per_kwh", "Carbon intensity (gCO₂e/kWh)"),
    ]
    for ax, (frame, column, title) in zip(axes, panels, strict=True):
        for code in countries:
            part = frame[frame["country_iso3"] == code]
            ax.plot(part["year"].astype(int), part[column], color=COUNTRY_COLOURS[code], linewidth=1.6)
        ax.set_title(title, fontsize=9)
        ax.set_xlim(2000, 2025)
        ax.set_xticks([2000, 2010, 2020])
        ax.set_ylim(bottom=0)
        ax.tick_params(labelsize=8)
    handles = [Line2D([], [], color=COUNTRY_COLOURS[c], linewidth=2, label=COUNTRY_NAMES[c]) for c in countries]
    fig.legend(handles=handles, loc="lower center", ncol=6, fontsize=8)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


# --------------------------------------------------------------------------------------------- projects
def clean_projects(projects: pd.DataFrame) -> pd.DataFrame:
    """The registry without fossil projects, with a ``tech_group`` column (wind and solar include storage hybrids)."""
    clean = projects[projects["technology"] != "fossil"].copy()
    unknown = set(clean["technology"]) - set(TECH_GROUPS)
    if unknown:
        raise ValueError(f"technologies without a chart group: {sorted(unknown)}")
    clean["tech_group"] = clean["technology"].map(TECH_GROUPS)
    return clean


def implied_capacity_factor(annual_gwh, capacity_mw):
    """Share of the year a plant would run at full power to produce ``annual_gwh``: GWh / (MW × 8,760 h / 1,000)."""
    return annual_gwh * 1000 / (capacity_mw * HOURS_PER_YEAR)


def implied_emission_factor(co2_t, annual_gwh):
    """Tonnes of CO2 avoided per MWh generated, in g/kWh (the unit of grid carbon intensity)."""
    return co2_t / (annual_gwh * 1000) * 1000


def locate(projects: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Longitude and latitude of each project: its own coordinates (exact) or its gazetteer place; unknown
    locations are dropped."""
    placed = projects.merge(places[["place_id", "lat", "lon"]], on="place_id", how="left", suffixes=("", "_place"))
    placed["map_lat"] = placed["lat"].fillna(placed["lat_place"])
    placed["map_lon"] = placed["lon"].fillna(placed["lon_place"])
    return placed.dropna(subset=["map_lat", "map_lon"]).drop(columns=["lat_place", "lon_place"])


def spread_shared_points(frame: pd.DataFrame, radius: float = 40_000.0) -> pd.DataFrame:
    """Projects drawn at the same place are spread evenly on a small circle (metres) around it, largest first."""
    out = frame.copy()
    out["x_plot"], out["y_plot"] = out["x"], out["y"]
    for _, group in out.groupby(["x", "y"]):
        if len(group) < 2:
            continue
        order = group.sort_values("capacity_mw", ascending=False, na_position="last").index
        angles = np.linspace(0, 2 * np.pi, len(order), endpoint=False) + np.pi / 2
        out.loc[order, "x_plot"] = group.loc[order, "x"] + radius * np.cos(angles)
        out.loc[order, "y_plot"] = group.loc[order, "y"] + radius * np.sin(angles)
    return out


MAP_FRAME = (46.0, 35.5, 88.0, 55.8)


def marker_area(mw):
    """Marker area (points²) proportional to capacity; projects without a stated capacity get a small dot."""
    return np.where(pd.isna(mw), 8.0, 8.0 + pd.Series(mw).fillna(0).to_numpy() * 0.35)


def project_map(projects: pd.DataFrame, places: pd.DataFrame, countries: gpd.GeoDataFrame):
    """Clean-energy projects over the country boundaries: size = MW, colour = technology, marker = status.
    Returns the figure and the projects as drawn (with their plotted positions)."""
    fig, ax = plt.subplots(figsize=(7.5, 6.0))
    frame = gpd.GeoDataFrame(geometry=[box(*MAP_FRAME)], crs="EPSG:4326")
    land = gpd.clip(countries, frame).to_crs(EQUAL_AREA_CRS)
    ax.set_facecolor(WATER)
    land.plot(ax=ax, color=NEIGHBOUR_FILL, edgecolor=NEIGHBOUR_EDGE, linewidth=0.5)
    focus = land[land["role"] == "focus"]
    focus.plot(ax=ax, color="#FAF8F2", edgecolor="#6F6F6F", linewidth=0.8)
    for _, row in focus.iterrows():
        pt = row.geometry.representative_point()
        ax.annotate(row["name"], (pt.x, pt.y), fontsize=7, color="#8A8A8A", ha="center", va="center")
    located = locate(clean_projects(projects), places)
    pts = gpd.GeoDataFrame(
        located, geometry=gpd.points_from_xy(located["map_lon"], located["map_lat"]), crs="EPSG:4326"
    ).to_crs(EQUAL_AREA_CRS)
    pts["x"], pts["y"] = pts.geometry.x, pts.geometry.y
    pts = spread_shared_points(pts)
    for status in STATUS_ORDER:
        for tech in TECH_COLOURS:
            part = pts[(pts["status"] == status) & (pts["tech_group"] == tech)]
            if part.empty:
                continue
            filled = status == "operating"
            ax.scatter(
                part["x_plot"],
                part["y_plot"],
                s=marker_area(part["capacity_mw"]),
                marker=STATUS_MARKERS[status],
                facecolors=TECH_COLOURS[tech] if filled else "none",
                edgecolors=TECH_COLOURS[tech],
                linewidths=1.3,
                alpha=0.9,
                zorder=4,
            )
    finish_map(ax, frame, EQUAL_AREA_CRS, trim=(3e5, 2e5, 2e5, 2e5))
    tech_handles = [Patch(facecolor=TECH_COLOURS[t], label=TECH_NAMES[t]) for t in TECH_COLOURS]
    status_handles = [
        Line2D(
            [],
            [],
            marker=STATUS_MARKERS[s],
            linestyle="none",
            color="#555555",
            markerfacecolor="#555555" if s == "operating" else "none",
            label=STATUS_NAMES[s],
        )
        for s in STATUS_ORDER
        if s in set(pts["status"])
    ]
    size_handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            color="#999999",
            markersize=float(np.sqrt(marker_area([mw])[0])),
            label=f"{mw:,} MW",
        )
        for mw in (100, 500, 1000)
    ]
    legend1 = ax.legend(
        handles=tech_handles + status_handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    ax.add_artist(legend1)
    ax.legend(
        handles=size_handles,
        loc="upper right",
        fontsize=8,
        frameon=True,
        framealpha=0.9,
        title="Capacity",
        title_fontsize=8,
        labelspacing=1.3,
        borderpad=0.9,
    )
    fig.subplots_adjust(left=0.02, right=0.98, top=0.98, bottom=0.13)
    return fig, pts


def pipeline_table(projects: pd.DataFrame) -> pd.DataFrame:
    """Clean-energy MW by country, status and technology group (projects without a stated capacity count 0 MW and
    are counted in ``n_projects``)."""
    clean = clean_projects(projects)
    table = clean.groupby(["country_iso3", "status", "tech_group"], as_index=False).agg(
        capacity_mw=("capacity_mw", "sum"),
        n_projects=("project_id", "count"),
        n_without_mw=("capacity_mw", lambda s: int(s.isna().sum())),
    )
    return table


def pipeline_figure(table: pd.DataFrame):
    """Two panels of stacked horizontal bars: MW by country and by technology, split by status."""
    fig, axes = plt.subplots(1, 2, figsize=(7.5, 3.4), sharex=True)
    status_colours = {
        "operating": "#333333",
        "under_construction": "#8C8C8C",
        "agreed": "#D9D9D9",
        "stalled": "#F4A582",
        "cancelled": "#B2182B",
    }
    for ax, (key, names) in zip(axes, [("country_iso3", COUNTRY_NAMES), ("tech_group", TECH_NAMES)], strict=True):
        wide = table.pivot_table(index=key, columns="status", values="capacity_mw", aggfunc="sum").fillna(0)
        wide = wide.reindex(columns=[s for s in STATUS_ORDER if s in wide.columns])
        wide = wide.loc[wide.sum(axis=1).sort_values().index]
        left = np.zeros(len(wide))
        labels = [names.get(i, i).replace(" (incl. with storage)", "*") for i in wide.index]
        for status in wide.columns:
            ax.barh(
                labels,
                wide[status] / 1000,
                left=left,
                color=status_colours[status],
                edgecolor="white",
                linewidth=0.5,
                label=STATUS_NAMES[status],
            )
            left += wide[status].to_numpy() / 1000
        ax.set_xlabel("Capacity (GW)")
        ax.tick_params(labelsize=8)
    handles = [
        Patch(facecolor=status_colours[s], label=STATUS_NAMES[s]) for s in STATUS_ORDER if s in set(table["status"])
    ]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=8)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def grid_intensity_at(rows: pd.DataFrame, intensity: pd.DataFrame) -> list[float]:
    """Carbon intensity of each row's country in its ``status_year``, or the latest earlier year (NaN if none)."""
    out = []
    for row in rows.itertuples():
        known = intensity[(intensity["country_iso3"] == row.country_iso3) & (intensity["year"] <= row.status_year)]
        out.append(float(known.sort_values("year")["gco2e_per_kwh"].iloc[-1]) if not known.empty else np.nan)
    return out


def project_checks(projects: pd.DataFrame, intensity: pd.DataFrame, low=0.5, high=1.5) -> pd.DataFrame:
    """Implied capacity factor and implied emission factor of every clean project that states the figures, with
    flags: a capacity factor above 1 is impossible; outside ``low``–``high`` × the median of its technology group
    in the registry is unusual; an emission factor above the country's grid carbon intensity in the status year
    (or the latest year before it) claims more than the average grid emits per MWh."""
    clean = clean_projects(projects)
    out = clean[
        [
            "project_id",
            "name",
            "country_iso3",
            "tech_group",
            "capacity_mw",
            "annual_gwh",
            "co2_avoided_t",
            "status_year",
        ]
    ].copy()
    out["capacity_factor"] = implied_capacity_factor(out["annual_gwh"], out["capacity_mw"])
    out["emission_factor_g_per_kwh"] = implied_emission_factor(out["co2_avoided_t"], out["annual_gwh"])
    medians = out.groupby("tech_group")["capacity_factor"].median()
    out["cf_median_of_group"] = out["tech_group"].map(medians)
    ratio = out["capacity_factor"] / out["cf_median_of_group"]
    out["grid_g_per_kwh"] = grid_intensity_at(out, intensity)
    out["cf_flag"] = np.select(
        [out["capacity_factor"] > 1, ratio > high, ratio < low],
        ["impossible (> 100 %)", "high for its type", "low for its type"],
        default="",
    )
    out.loc[out["capacity_factor"].isna(), "cf_flag"] = ""
    out["ef_flag"] = np.where(out["emission_factor_g_per_kwh"] > out["grid_g_per_kwh"], "above grid average", "")
    return out[out["capacity_factor"].notna() | out["emission_factor_g_per_kwh"].notna()].reset_index(drop=True)


def short_name(name: str, limit: int = 30) -> str:
    """A project name cut before any parenthesis and to ``limit`` characters, for axis labels."""
    base = name.split(" (")[0].strip()
    return base if len(base) <= limit else base[: limit - 1].rstrip() + "…"


def checks_figure(checks: pd.DataFrame):
    """Left: implied capacity factor of each project (flagged ones labelled); right: implied emission factor
    against the grid's carbon intensity."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.5, 4.2), gridspec_kw={"width_ratios": [1.25, 1]})
    cf = checks.dropna(subset=["capacity_factor"]).sort_values(["tech_group", "capacity_factor"])
    y = np.arange(len(cf))
    left.scatter(cf["capacity_factor"] * 100, y, color=cf["tech_group"].map(TECH_COLOURS), s=30, zorder=3)
    for tech, median in cf.groupby("tech_group")["cf_median_of_group"].first().items():
        rows = y[(cf["tech_group"] == tech).to_numpy()]
        left.vlines(median * 100, rows.min() - 0.4, rows.max() + 0.4, color=TECH_COLOURS[tech], linestyle=":")
    left.set_yticks(y, [short_name(n) for n in cf["name"]], fontsize=7)
    for yi, (_, row) in zip(y, cf.iterrows(), strict=True):
        if row["cf_flag"]:
            left.annotate(
                row["cf_flag"],
                (row["capacity_factor"] * 100, yi),
                xytext=(5, -3),
                textcoords="offset points",
                fontsize=7,
                color="#B2182B",
            )
    left.set_xlabel("Implied capacity factor (%)")
    left.set_xlim(0, max(70, float(cf["capacity_factor"].max() * 100) + 25))
    ef = checks.dropna(subset=["emission_factor_g_per_kwh"])
    right.scatter(
        ef["grid_g_per_kwh"], ef["emission_factor_g_per_kwh"], color=ef["tech_group"].map(TECH_COLOURS), s=30, zorder=3
    )
    top = float(max(ef["emission_factor_g_per_kwh"].max(), ef["grid_g_per_kwh"].max()) * 1.1)
    right.plot([0, top], [0, top], color="#777777", linestyle="--", linewidth=1)
    right.text(top * 0.97, top * 0.04, "dashed: avoided = grid average", fontsize=7, ha="right", color="#555555")
    flagged = ef[ef["ef_flag"] != ""]
    right.scatter(
        flagged["grid_g_per_kwh"],
        flagged["emission_factor_g_per_kwh"],
        s=110,
        facecolors="none",
        edgecolors="#B2182B",
        linewidths=1,
        zorder=4,
    )
    right.set_xlim(0, top)
    right.set_ylim(0, top)
    right.set_xlabel("Grid carbon intensity (g/kWh)")
    right.set_ylabel("CO₂ avoided per kWh claimed (g)")
    right.set_title("red ring = claim above grid average", fontsize=8, color="#B2182B")
    handles = [
        Patch(facecolor=TECH_COLOURS[t], label=TECH_NAMES[t]) for t in TECH_COLOURS if t in set(checks["tech_group"])
    ]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=8)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


SEED_FIELDS = ("capacity_mw", "annual_gwh", "co2_avoided_t")


def seed_figure_checks(figures: pd.DataFrame, seed_ids, rel_tol: float = 0.10) -> pd.DataFrame:
    """Each numeric project figure stated by a seed article, next to the values other sources state for the same
    project and field, with a verdict: consistent if some independent value lies within ``rel_tol``, partly
    consistent within twice that, inconsistent otherwise, unverifiable if no other source states a number."""
    from greensilk.analysis import check_close

    numeric = figures[figures["field"].isin(SEED_FIELDS) & figures["value"].notna()]
    seeds = numeric[numeric["source_id"].isin(seed_ids)]
    rows = []
    for _, seed in seeds.iterrows():
        others = numeric[
            (numeric["project_id"] == seed["project_id"])
            & (numeric["field"] == seed["field"])
            & ~numeric["source_id"].isin(seed_ids)
        ]
        if others.empty:
            check = check_close(seed["field"], None, float(seed["value"]), rel_tol)
            closest, sources = np.nan, ""
        else:
            gaps = (others["value"] - seed["value"]).abs()
            best = others.loc[gaps.idxmin()]
            check = check_close(seed["field"], float(best["value"]), float(seed["value"]), rel_tol)
            closest, sources = float(best["value"]), "; ".join(sorted(set(others["source_id"])))
        rows.append(
            {
                "project_id": seed["project_id"],
                "field": seed["field"],
                "seed_source": seed["source_id"],
                "seed_value": float(seed["value"]),
                "closest_independent": closest,
                "independent_values": ", ".join(f"{v:,.6g}" for v in sorted(others["value"])),
                "independent_sources": sources,
                "verdict": check.verdict,
            }
        )
    return pd.DataFrame(rows)


def implied_seed_factors(figures: pd.DataFrame, projects: pd.DataFrame, intensity: pd.DataFrame, seed_ids):
    """Capacity and emission factors implied by the seed articles' own figures (their GWh and CO2, with the
    registry's MW), against the country's grid carbon intensity in the project's status year."""
    seeds = figures[figures["source_id"].isin(seed_ids) & figures["field"].isin(SEED_FIELDS)]
    wide = seeds.pivot_table(index="project_id", columns="field", values="value", aggfunc="first")
    wide = wide.reindex(columns=list(SEED_FIELDS))
    merged = projects.set_index("project_id")[
        [
            "name",
            "country_iso3",
            "technology",
            "capacity_mw",
            "status_year",
        ]
    ]
    out = wide.drop(columns="capacity_mw").join(merged, how="left").reset_index()
    out["capacity_factor"] = implied_capacity_factor(out["annual_gwh"], out["capacity_mw"])
    out["emission_factor_g_per_kwh"] = implied_emission_factor(out["co2_avoided_t"], out["annual_gwh"])
    out["grid_g_per_kwh"] = grid_intensity_at(out, intensity)
    out["above_grid"] = out["emission_factor_g_per_kwh"] > out["grid_g_per_kwh"]
    return out


def expected_twh(projects: pd.DataFrame, capacity_factors: pd.Series, status: str = "operating") -> pd.DataFrame:
    """Wind and solar MW of one status per country, and the TWh a year they would give at ``capacity_factors``
    (per technology group, e.g. the registry's median implied factors)."""
    clean = clean_projects(projects)
    part = clean[(clean["status"] == status) & clean["tech_group"].isin(["wind", "solar"])]
    mw = part.pivot_table(index="country_iso3", columns="tech_group", values="capacity_mw", aggfunc="sum").fillna(0)
    mw = mw.reindex(columns=["wind", "solar"], fill_value=0.0)
    twh = sum(mw[g] * HOURS_PER_YEAR * capacity_factors[g] / 1e6 for g in ("wind", "solar"))
    return pd.DataFrame({"wind_mw": mw["wind"], "solar_mw": mw["solar"], "expected_twh": twh}).reset_index()
