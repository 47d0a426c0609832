"""Calculations and figures of the energy chapter (tested in tests/test_energy.py)."""

from __future__ import annotations

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
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


def missing_years(generation: pd.DataFrame) -> dict[str, list[int]]:
    """Per country, the years missing between the first and the last year of its generation series (empty lists
    left out): where a chart would have to draw across a gap."""
    out = {}
    for code, years in generation.groupby("country_iso3")["year"]:
        present = {int(y) for y in years}
        missing = sorted(set(range(min(present), max(present) + 1)) - present)
        if missing:
            out[code] = missing
    return out


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
    # two columns, not three: each panel stays readable on a phone
    fig, axes = plt.subplots(3, 2, figsize=(7.5, 8.4))
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
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=9)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def shares_figure(shares: pd.DataFrame, intensity: pd.DataFrame, countries=(*FOCUS_COUNTRIES, "CHN")):
    """Three panels, stacked (readable on a phone): renewable share with hydro, without hydro, and carbon
    intensity, one line per country."""
    fig, axes = plt.subplots(3, 1, figsize=(7.5, 8.4), sharex=True)
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
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=9)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
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


MAP_PLACES = (
    "astana",
    "almaty",
    "tashkent",
    "bishkek",
    "dushanbe",
    "ashgabat",
    "samarkand",
    "bukhara",
    "taraz",
    "pavlodar",
)
"""Places named on the project map (capitals and the towns most projects cluster around)."""


def project_map(projects: pd.DataFrame, places: pd.DataFrame, countries: gpd.GeoDataFrame, as_of: int | None = None):
    """Chinese-linked projects over the country boundaries: size = MW, colour = fuel (clean and fossil), marker =
    status; a project whose status is stale (see :func:`stale`) is drawn faded with a dashed outline. Returns the
    figure and the projects as drawn (with their plotted positions and the stale flag)."""
    fig, ax = plt.subplots(figsize=(7.5, 6.4))
    frame = gpd.GeoDataFrame(geometry=[box(*MAP_FRAME)], crs="EPSG:4326")
    land = gpd.clip(countries, frame).to_crs(EQUAL_AREA_CRS)
    ax.set_facecolor(WATER)
    land.plot(ax=ax, color=NEIGHBOUR_FILL, edgecolor=NEIGHBOUR_EDGE, linewidth=0.5)
    focus = land[land["role"] == "focus"]
    focus.plot(ax=ax, color="#FAF8F2", edgecolor="#6F6F6F", linewidth=0.8)
    for _, row in focus.iterrows():
        pt = row.geometry.representative_point()
        ax.annotate(row["name"].upper(), (pt.x, pt.y), fontsize=6.5, color="#9A9A9A", ha="center", va="center")
    named = places[places["place_id"].isin(MAP_PLACES)]
    named = gpd.GeoDataFrame(named, geometry=gpd.points_from_xy(named["lon"], named["lat"]), crs="EPSG:4326")
    named = named.to_crs(EQUAL_AREA_CRS)
    ax.scatter(named.geometry.x, named.geometry.y, s=6, color="#333333", marker="s", zorder=3)
    for _, row in named.iterrows():
        ax.annotate(
            row["name"],
            (row.geometry.x, row.geometry.y),
            xytext=(4, 3),
            textcoords="offset points",
            fontsize=6.5,
            color="#333333",
            zorder=6,
        )
    data = projects.copy()
    data["fuel"] = fuel_of(data)
    data["stale"] = stale(projects, as_of)
    located = locate(data, places)
    pts = gpd.GeoDataFrame(
        located, geometry=gpd.points_from_xy(located["map_lon"], located["map_lat"]), crs="EPSG:4326"
    ).to_crs(EQUAL_AREA_CRS)
    pts["x"], pts["y"] = pts.geometry.x, pts.geometry.y
    pts = spread_shared_points(pts)
    for status in STATUS_ORDER:
        for fuel in GREEN_ORDER:
            for is_stale in (False, True):
                part = pts[(pts["status"] == status) & (pts["fuel"] == fuel) & (pts["stale"] == is_stale)]
                if part.empty:
                    continue
                filled = status == "operating"
                ax.scatter(
                    part["x_plot"],
                    part["y_plot"],
                    s=marker_area(part["capacity_mw"]),
                    marker=STATUS_MARKERS[status],
                    facecolors=GREEN_COLOURS[fuel] if filled else "none",
                    edgecolors="#777777" if is_stale else GREEN_COLOURS[fuel],
                    linewidths=1.0 if is_stale else 1.3,
                    linestyles="--" if is_stale else "-",
                    alpha=0.4 if is_stale else 0.9,
                    zorder=4,
                )
    finish_map(ax, frame, EQUAL_AREA_CRS, trim=(3e5, 2e5, 2e5, 2e5))
    fuel_handles = [
        Patch(facecolor=GREEN_COLOURS[f], label=GREEN_NAMES[f]) for f in GREEN_ORDER if f in set(pts["fuel"])
    ]
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
    as_of_year = int(projects["status_year"].max()) if as_of is None else as_of
    stale_handle = Line2D(
        [],
        [],
        marker="o",
        linestyle="none",
        color="#777777",
        markerfacecolor="#777777",
        alpha=0.4,
        label=f"Status older than 3 years (before {as_of_year - 3})",
    )
    place_handle = Line2D([], [], marker="s", linestyle="none", color="#333333", markersize=3, label="Town or capital")
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
    # a figure legend (not an axes legend placed outside the axes), so tight bounding boxes keep it
    fig.legend(
        handles=fuel_handles + status_handles + [stale_handle, place_handle],
        loc="lower center",
        ncol=3,
        fontsize=7.5,
        frameon=False,
        title="Colour: fuel · marker: status (filled = operating)",
        title_fontsize=7.5,
    )
    ax.legend(
        handles=size_handles,
        loc="upper right",
        fontsize=8,
        frameon=True,
        framealpha=0.9,
        title="Size: capacity",
        title_fontsize=8,
        labelspacing=1.3,
        borderpad=0.9,
    )
    fig.subplots_adjust(left=0.02, right=0.98, top=0.98, bottom=0.22)
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


# --------------------------------------------------------------------------------------------- capacity (v0.3)
CAPACITY_ORDER = ("coal", "oil_gas", "nuclear", "hydro", "wind", "solar", "bioenergy", "geothermal")
CAPACITY_COLOURS = {
    "coal": FUEL_COLOURS["coal"],
    "oil_gas": FUEL_COLOURS["gas"],
    "nuclear": FUEL_COLOURS["nuclear"],
    "hydro": FUEL_COLOURS["hydro"],
    "wind": FUEL_COLOURS["wind"],
    "solar": FUEL_COLOURS["solar"],
    "bioenergy": FUEL_COLOURS["bioenergy"],
    "geothermal": FUEL_COLOURS["other_renewables"],
}
CAPACITY_NAMES = {
    "coal": "Coal",
    "oil_gas": "Oil and gas",
    "nuclear": "Nuclear",
    "hydro": "Hydro",
    "wind": "Wind",
    "solar": "Solar (utility-scale)",
    "bioenergy": "Bioenergy",
    "geothermal": "Geothermal",
}
FOSSIL_FUELS = ("coal", "gas")
CLEAN_FUELS = ("hydro", "wind", "solar", "storage", "waste_to_energy")


def capacity_wide(capacity: pd.DataFrame) -> pd.DataFrame:
    """One row per (country, year), one column per technology (MW); technologies never above zero are dropped."""
    wide = capacity.pivot_table(index=["country_iso3", "year"], columns="technology", values="capacity_mw")
    wide.columns.name = None
    wide = wide.reindex(columns=[t for t in CAPACITY_ORDER if t in wide.columns])
    return wide.loc[:, (wide > 0).any()]


def capacity_additions(capacity: pd.DataFrame) -> pd.DataFrame:
    """Net change of capacity from the previous year (MW) per country, year and technology; the first year of each
    series has no change and is left out. Negative values are net retirements."""
    frame = capacity.sort_values(["country_iso3", "technology", "year"]).copy()
    frame["added_mw"] = frame.groupby(["country_iso3", "technology"])["capacity_mw"].diff()
    gap = frame.groupby(["country_iso3", "technology"])["year"].diff()
    if (gap.dropna() != 1).any():
        raise ValueError("capacity series with a gap: net additions would span more than one year")
    return frame.dropna(subset=["added_mw"])[["country_iso3", "year", "technology", "added_mw"]].reset_index(drop=True)


def _grid_with_legend(countries, handles, ylabel):
    """A 3 × 2 grid (two columns stay readable on a phone): one panel per country (five), the sixth holding the
    legend."""
    fig, axes = plt.subplots(3, 2, figsize=(7.5, 7.8), sharex=True)
    flat = list(axes.flat)
    for ax in flat[len(countries) :]:
        ax.axis("off")
    flat[-1].legend(handles=handles, loc="center", fontsize=7.5, frameon=False)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel, fontsize=8)
    return fig, flat


def capacity_figure(capacity: pd.DataFrame, countries=FOCUS_COUNTRIES):
    """Installed capacity by technology (stacked areas, GW), one panel per country (scales differ)."""
    wide = capacity_wide(capacity[capacity["country_iso3"].isin(countries)]).fillna(0)
    techs = list(wide.columns)
    handles = [Patch(facecolor=CAPACITY_COLOURS[t], label=CAPACITY_NAMES[t]) for t in techs]
    fig, flat = _grid_with_legend(countries, handles, "Installed (GW)")
    for ax, code in zip(flat, countries, strict=False):
        part = wide.loc[code]
        years = part.index.astype(int)
        ax.stackplot(years, [part[t] / 1000 for t in techs], colors=[CAPACITY_COLOURS[t] for t in techs], linewidth=0)
        ax.set_title(COUNTRY_NAMES[code], fontsize=9, color=COUNTRY_COLOURS[code])
        ax.set_xticks([2000, 2010, 2020])
        ax.tick_params(labelsize=7)
        ax.grid(False)
    fig.tight_layout()
    return fig


def additions_figure(capacity: pd.DataFrame, countries=FOCUS_COUNTRIES):
    """Net capacity added each year by technology (stacked bars, MW; net retirements below zero), one panel per
    country (scales differ)."""
    adds = capacity_additions(capacity[capacity["country_iso3"].isin(countries)])
    adds = adds[adds["added_mw"] != 0]
    techs = [t for t in CAPACITY_ORDER if t in set(adds["technology"])]
    handles = [Patch(facecolor=CAPACITY_COLOURS[t], label=CAPACITY_NAMES[t]) for t in techs]
    fig, flat = _grid_with_legend(countries, handles, "Net added (MW)")
    for ax, code in zip(flat, countries, strict=False):
        a = adds[adds["country_iso3"] == code].pivot_table(index="year", columns="technology", values="added_mw")
        a = a.reindex(columns=[t for t in techs if t in a.columns]).fillna(0)
        pos = np.zeros(len(a))
        neg = np.zeros(len(a))
        for t in a.columns:
            v = a[t].to_numpy()
            up, down = np.where(v > 0, v, 0), np.where(v < 0, v, 0)
            if up.any():
                ax.bar(a.index, up, bottom=pos, color=CAPACITY_COLOURS[t], width=0.8, linewidth=0)
            if down.any():
                ax.bar(a.index, down, bottom=neg, color=CAPACITY_COLOURS[t], width=0.8, linewidth=0)
            pos += up
            neg += down
        ax.axhline(0, color="#555555", linewidth=0.6)
        ax.set_title(COUNTRY_NAMES[code], fontsize=9, color=COUNTRY_COLOURS[code])
        ax.set_xlim(2000, capacity["year"].max() + 0.6)
        ax.set_xticks([2000, 2010, 2020])
        ax.tick_params(labelsize=7)
        ax.grid(False)
    fig.tight_layout()
    return fig


def wind_solar_bases(gem: pd.DataFrame, irena: pd.DataFrame) -> pd.DataFrame:
    """Wind and solar capacity (MW) on both bases side by side, per country, technology and year; a basis without
    a value for a year stays empty, and ``gap_pct`` (IRENA minus GEM, % of GEM) is computed only where both exist."""
    g = gem[gem["technology"].isin(["wind", "solar"])][["country_iso3", "year", "technology", "capacity_mw"]]
    i = irena[["country_iso3", "year", "technology", "capacity_mw"]]
    both = g.merge(i, on=["country_iso3", "year", "technology"], how="outer", suffixes=("_gem", "_irena"))
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = (both["capacity_mw_irena"] - both["capacity_mw_gem"]) / both["capacity_mw_gem"] * 100
    both["gap_pct"] = gap.where(both["capacity_mw_gem"] > 0)
    return both.sort_values(["country_iso3", "technology", "year"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------- realised factors
MAX_GROWTH_PCT = 25.0
"""A realised factor is trusted only if capacity changed by at most this much during the year: when a fleet grows
fast, plants commissioned in phases generate before (or after) a capacity dataset counts them, and the average of
the two year-ends says little about the capacity that actually ran."""
MIN_MEAN_MW = 50.0
"""...and only for fleets of at least this size (a few small plants give noisy national factors)."""


def realised_capacity_factors(generation: pd.DataFrame, capacity: pd.DataFrame, basis: str) -> pd.DataFrame:
    """National generation ÷ (capacity × 8,760 h) per country, year and technology, with capacity averaged over
    the end of the year before and the end of the year (plants added during a year ran only part of it). ``basis``
    names the capacity dataset. Years without both ends of capacity or without generation are left out; so are
    capacities below 1 MW."""
    cap = capacity[capacity["technology"].isin(["wind", "solar", "hydro", "coal"])].copy()
    cap = cap.sort_values(["country_iso3", "technology", "year"])
    prev = cap.groupby(["country_iso3", "technology"])["capacity_mw"].shift()
    prev_year = cap.groupby(["country_iso3", "technology"])["year"].shift()
    consecutive = (prev_year == cap["year"] - 1).fillna(False).to_numpy(dtype=bool)
    cap["mean_mw"] = np.where(consecutive, (cap["capacity_mw"] + prev) / 2, np.nan)
    gen = generation.rename(columns={"fuel": "technology"})[["country_iso3", "year", "technology", "value_twh"]]
    out = cap.merge(gen, on=["country_iso3", "year", "technology"], how="inner").dropna(subset=["mean_mw"])
    out = out[out["mean_mw"] >= 1]
    out["capacity_factor"] = out["value_twh"] * 1e6 / (out["mean_mw"] * HOURS_PER_YEAR)
    out["growth_pct"] = (out["capacity_mw"] / (2 * out["mean_mw"] - out["capacity_mw"]) - 1) * 100
    out["reliable"] = (out["growth_pct"].abs() <= MAX_GROWTH_PCT) & (out["mean_mw"] >= MIN_MEAN_MW)
    out["basis"] = basis
    cols = ["country_iso3", "year", "technology", "mean_mw", "growth_pct", "value_twh", "capacity_factor", "reliable"]
    return out[[*cols, "basis"]].reset_index(drop=True)


def stated_vs_realised(checks: pd.DataFrame, realised: pd.DataFrame, low=0.67, high=1.5) -> pd.DataFrame:
    """Each project's implied (stated-yield) capacity factor against the realised national factor of its country
    and technology, averaged over the latest three reliable years (see :data:`MAX_GROWTH_PCT`); flagged when the
    ratio lies outside ``low``–``high``. Projects in a country-technology without a realised factor get no verdict."""
    latest = realised[realised["reliable"]].sort_values("year").groupby(["country_iso3", "technology"]).tail(3)
    national = latest.groupby(["country_iso3", "technology"], as_index=False).agg(
        realised_cf=("capacity_factor", "mean"), years=("year", lambda y: ", ".join(str(int(v)) for v in sorted(y)))
    )
    rows = checks.dropna(subset=["capacity_factor"]).merge(
        national, left_on=["country_iso3", "tech_group"], right_on=["country_iso3", "technology"], how="left"
    )
    ratio = rows["capacity_factor"] / rows["realised_cf"]
    rows["ratio"] = ratio
    rows["verdict"] = np.select(
        [rows["realised_cf"].isna(), ratio > high, ratio < low],
        ["no national factor", "above realised", "below realised"],
        default="within range",
    )
    return rows.drop(columns=["technology"])


def realised_figure(realised: pd.DataFrame, stated: pd.DataFrame, countries=("KAZ", "UZB", "CHN")):
    """Realised national capacity factors of wind and solar over time (one panel per technology, a line per
    country and basis; IRENA dashed) with the projects' stated-yield factors as crosses at their status year."""
    fig, axes = plt.subplots(1, 2, figsize=(7.5, 3.4), sharey=True)
    styles = {"GEM": "-", "IRENA": "--"}
    for ax, tech in zip(axes, ("wind", "solar"), strict=True):
        for code in countries:
            for basis, ls in styles.items():
                part = realised[
                    (realised["country_iso3"] == code) & (realised["technology"] == tech) & (realised["basis"] == basis)
                ]
                if part.empty:
                    continue
                # reindexed on every year so that a line breaks where a year has no trusted factor
                series = part.set_index("year")["capacity_factor"]
                series = series.reindex(range(int(series.index.min()), int(series.index.max()) + 1)) * 100
                ax.plot(series.index, series, ls, color=COUNTRY_COLOURS[code], linewidth=1.4, marker=".", markersize=4)
        pts = stated[(stated["tech_group"] == tech) & stated["country_iso3"].isin(countries)]
        ax.scatter(
            pts["status_year"],
            pts["capacity_factor"] * 100,
            marker="x",
            s=28,
            color=pts["country_iso3"].map(COUNTRY_COLOURS),
            zorder=4,
        )
        ax.set_title("Wind" if tech == "wind" else "Solar", fontsize=9)
        ax.set_xlim(2012, 2026)
        ax.tick_params(labelsize=7)
        ax.set_ylim(0, 60)
    axes[0].set_ylabel("Capacity factor (%)", fontsize=8)
    handles = [Line2D([], [], color=COUNTRY_COLOURS[c], linewidth=2, label=COUNTRY_NAMES[c]) for c in countries]
    handles += [
        Line2D([], [], color="#555555", linestyle="-", label="national, GEM capacity"),
        Line2D([], [], color="#555555", linestyle="--", label="national, IRENA capacity"),
        Line2D([], [], color="#555555", marker="x", linestyle="none", label="a project's stated yield"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=7.5)
    fig.tight_layout(rect=(0, 0.17, 1, 1))
    return fig


# --------------------------------------------------------------------------------------------- Chinese roles
ROLE_FIELDS = {
    "cn_equity_owner": "equity owner",
    "cn_lender": "lender",
    "cn_epc": "EPC contractor",
    "cn_equipment": "equipment supplier",
    "cn_role_unstated": "role not stated",
}


def fuel_of(projects: pd.DataFrame) -> pd.Series:
    """Fuel of each registry row: the fossil fuel of fossil rows, else the technology group."""
    group = projects["technology"].map(TECH_GROUPS)
    return projects["fossil_fuel"].where(projects["technology"] == "fossil", group)


def roles_of(row) -> list[str]:
    """The Chinese roles a registry row records (keys of :data:`ROLE_FIELDS`)."""
    return [f for f in ROLE_FIELDS if isinstance(row[f], str) and row[f].strip()]


def stale(projects: pd.DataFrame, as_of: int | None = None, years: int = 3) -> pd.Series:
    """True where a row's status was last reported more than ``years`` before ``as_of`` (default: the newest
    status year in the registry, i.e. the data's own as-of date, never the wall clock)."""
    as_of = int(projects["status_year"].max()) if as_of is None else as_of
    return (as_of - projects["status_year"]) > years


def chinese_share(projects: pd.DataFrame, national: pd.DataFrame, year: int, basis: str) -> pd.DataFrame:
    """Chinese-linked share of each country's installed wind and solar capacity in ``year``: operating registry
    capacity (MW) against national capacity (MW) of the basis given, shown several ways side by side:

    - ``any_role_mw``: plants with any Chinese role, counted whole;
    - one column per role (a plant with several roles counts in each);
    - ``equity_weighted_mw``: capacity × the stated Chinese stake, where a stake is stated;
    - ``equity_unstated_mw``: capacity of plants with a Chinese owner whose stake no source states.

    Only rows whose status year is at most ``year`` count (a plant reported operating later was not operating
    then as far as the registry knows). ``stale_mw`` is the part of ``any_role_mw`` resting on a stale status."""
    reg = projects[projects["technology"] != "fossil"].copy()
    reg["fuel"] = fuel_of(reg)
    reg = reg[(reg["status"] == "operating") & reg["fuel"].isin(["wind", "solar"]) & (reg["status_year"] <= year)]
    reg["stale"] = stale(projects).reindex(reg.index)
    nat = national[(national["year"] == year) & national["technology"].isin(["wind", "solar"])]
    nat_mw = nat.groupby("country_iso3")["capacity_mw"].sum()
    rows = []
    for code in FOCUS_COUNTRIES:
        part = reg[reg["country_iso3"] == code]
        mw = part["capacity_mw"].fillna(0)
        has_equity = part["cn_equity_owner"].fillna("").str.strip() != ""
        stake = part["cn_equity_pct"]
        row = {
            "country_iso3": code,
            "year": year,
            "basis": basis,
            "national_mw": float(nat_mw.get(code, np.nan)),
            "any_role_mw": float(mw.sum()),
            "stale_mw": float(mw[part["stale"]].sum()),
            "equity_weighted_mw": float((mw * stake / 100)[has_equity & stake.notna()].sum()),
            "equity_unstated_mw": float(mw[has_equity & stake.isna()].sum()),
            "n_plants": int(len(part)),
        }
        for f in ROLE_FIELDS:
            has = part[f].fillna("").str.strip() != ""
            row[f"{f}_mw"] = float(mw[has].sum())
        rows.append(row)
    out = pd.DataFrame(rows)
    for col in [c for c in out.columns if c.endswith("_mw") and c != "national_mw"]:
        with np.errstate(divide="ignore", invalid="ignore"):
            out[col.replace("_mw", "_pct")] = np.where(
                out["national_mw"] > 0, out[col] / out["national_mw"] * 100, np.nan
            )
    return out


def share_figure(shares: pd.DataFrame, countries=("KAZ", "UZB")):
    """Horizontal bars per country: national wind+solar capacity (grey, 100 %) and the Chinese-linked share
    counted four ways: any role; equity-weighted where a stake is stated; equity with stake unstated; by role.
    One panel per basis (GEM, IRENA)."""
    bases = list(dict.fromkeys(shares["basis"]))
    fig, axes = plt.subplots(1, len(bases), figsize=(7.5, 3.6), sharey=True)
    axes = np.atleast_1d(axes)
    measures = [
        ("any_role_pct", "Any Chinese role", "#B2182B"),
        ("cn_equity_owner_pct", "Chinese equity owner", "#EF8A62"),
        ("equity_weighted_pct", "Equity-weighted (stated stakes)", "#67001F"),
        ("equity_unstated_pct", "Owner, stake unstated", "#FDDBC7"),
        ("cn_epc_pct", "Chinese EPC contractor", "#4393C3"),
        ("cn_equipment_pct", "Chinese equipment", "#92C5DE"),
        ("cn_lender_pct", "Chinese lender", "#2166AC"),
    ]
    height = 0.8 / len(measures)
    for ax, basis in zip(axes, bases, strict=True):
        part = shares[(shares["basis"] == basis) & shares["country_iso3"].isin(countries)].set_index("country_iso3")
        part = part.reindex(countries)
        for k, (col, label, colour) in enumerate(measures):
            y = np.arange(len(countries)) - 0.4 + height * (k + 0.5)
            vals = part[col].to_numpy()
            ax.barh(y, vals, height=height * 0.95, color=colour, label=label)
            for yi, v in zip(y, vals, strict=True):
                if np.isfinite(v):
                    ax.text(v + 1, yi, f"{v:.0f}", va="center", fontsize=6.5)
        year = int(part["year"].iloc[0])
        ax.set_title(f"{basis} capacity, {year}", fontsize=9)
        ax.set_xlabel("% of national wind + solar capacity", fontsize=8)
        ax.set_yticks(np.arange(len(countries)), [COUNTRY_NAMES[c] for c in countries], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, max(100, float(np.nanmax(part[[m[0] for m in measures]].to_numpy())) * 1.15))
        ax.tick_params(labelsize=7)
    handles = [Patch(facecolor=colour, label=label) for _, label, colour in measures]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=7.5)
    fig.tight_layout(rect=(0, 0.2, 1, 1))
    return fig


# --------------------------------------------------------------------------------------------- how green
GREEN_ORDER = ("coal", "gas", "hydro", "wind", "solar", "storage", "waste_to_energy")
GREEN_COLOURS = {
    **{f: FUEL_COLOURS[f] for f in ("coal", "gas", "hydro", "wind", "solar")},
    **{"storage": TECH_COLOURS["storage"], "waste_to_energy": TECH_COLOURS["waste_to_energy"]},
}
GREEN_NAMES = {
    "coal": "Coal",
    "gas": "Gas",
    "hydro": "Hydro",
    "wind": "Wind",
    "solar": "Solar",
    "storage": "Battery storage",
    "waste_to_energy": "Waste-to-energy",
}


def linked_capacity_by_fuel(projects: pd.DataFrame) -> pd.DataFrame:
    """Registry capacity (MW) by country, fuel and status, counted whole (any Chinese role) and equity-weighted
    where a stake is stated."""
    frame = projects.copy()
    frame["fuel"] = fuel_of(frame)
    frame["mw"] = frame["capacity_mw"].fillna(0)
    frame["equity_mw"] = frame["mw"] * frame["cn_equity_pct"] / 100
    out = frame.groupby(["country_iso3", "fuel", "status"], as_index=False).agg(
        capacity_mw=("mw", "sum"), equity_weighted_mw=("equity_mw", "sum"), n_projects=("project_id", "count")
    )
    return out


def finance_by_fuel(finance: pd.DataFrame) -> pd.DataFrame:
    """COFI Chinese debt and equity (US$ m) by country, fuel and year of commitment (debt and equity separately,
    each at its own year)."""
    debt = finance.dropna(subset=["debt_usd_m"]).assign(
        kind="debt", usd_m=lambda d: d["debt_usd_m"], year=lambda d: d["debt_year"]
    )
    equity = finance.dropna(subset=["equity_usd_m"]).assign(
        kind="equity", usd_m=lambda d: d["equity_usd_m"], year=lambda d: d["equity_year"]
    )
    both = pd.concat([debt, equity], ignore_index=True)
    return both.groupby(["country_iso3", "fuel", "kind", "year"], as_index=False).agg(
        usd_m=("usd_m", "sum"), n_rows=("cofi_id", "count")
    )


def clean_fossil_split(values: pd.DataFrame, column: str) -> dict[str, float]:
    """Total of ``column`` for fossil fuels and for clean ones, and the fossil share (%)."""
    fossil = float(values.loc[values["fuel"].isin(FOSSIL_FUELS), column].sum())
    clean = float(values.loc[values["fuel"].isin(CLEAN_FUELS), column].sum())
    return {
        "fossil": fossil,
        "clean": clean,
        "fossil_pct": fossil / (fossil + clean) * 100 if fossil + clean else np.nan,
    }


def financed_capacity_by_year(finance: pd.DataFrame) -> pd.DataFrame:
    """COFI capacity (MW) by fuel and year of the first Chinese commitment (debt or equity); rows without a
    capacity or a year are left out."""
    frame = finance.copy()
    frame["year"] = frame[["debt_year", "equity_year"]].min(axis=1)
    frame = frame.dropna(subset=["capacity_mw", "year"])
    return frame.groupby(["year", "fuel"], as_index=False).agg(capacity_mw=("capacity_mw", "sum"))


def _stacked_bars(ax, wide: pd.DataFrame, horizontal: bool, scale: float = 1.0):
    wide = wide.reindex(columns=[f for f in GREEN_ORDER if f in wide.columns]).fillna(0) / scale
    base = np.zeros(len(wide))
    for f in wide.columns:
        if horizontal:
            labels = [COUNTRY_NAMES[c] for c in wide.index]
            ax.barh(labels, wide[f], left=base, color=GREEN_COLOURS[f], edgecolor="white", linewidth=0.4)
        else:
            ax.bar(wide.index.astype(int), wide[f], bottom=base, color=GREEN_COLOURS[f], width=0.8)
        base += wide[f].to_numpy()
    if not horizontal:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(labelsize=7)


def green_figure(capacity: pd.DataFrame, money: pd.DataFrame, financed_mw: pd.DataFrame):
    """Four panels: operating Chinese-linked capacity by fuel and country (registry, any role); COFI-financed
    capacity by fuel and year of commitment; COFI US$ by fuel and country; COFI US$ by fuel and year."""
    fig, axes = plt.subplots(2, 2, figsize=(7.5, 5.6))
    operating = capacity[capacity["status"] == "operating"]
    panels = [  # (axes, data, by, value, unit, title); a panel by country draws horizontal bars in the house order
        (axes[0, 0], operating, "country_iso3", "capacity_mw", "GW", "Operating capacity, any Chinese role (registry)"),
        (axes[0, 1], financed_mw, "year", "capacity_mw", "GW", "Capacity financed, by year of commitment (COFI)"),
        (axes[1, 0], money, "country_iso3", "usd_m", "US$ bn", "Chinese debt and equity, by country (COFI)"),
        (axes[1, 1], money, "year", "usd_m", "US$ bn", "Chinese debt and equity, by year (COFI)"),
    ]
    for ax, data, by, value, unit, title in panels:
        table = data.pivot_table(index=by, columns="fuel", values=value, aggfunc="sum")
        horizontal = by == "country_iso3"
        if horizontal:
            table = table.reindex([c for c in FOCUS_COUNTRIES if c in table.index])
        _stacked_bars(ax, table, horizontal=horizontal, scale=1000)
        if horizontal:
            ax.invert_yaxis()
            ax.set_xlabel(unit, fontsize=8)
        else:
            ax.set_ylabel(unit, fontsize=8)
        ax.set_title(title, fontsize=8)
    shown = set(capacity.loc[(capacity["status"] == "operating") & (capacity["capacity_mw"] > 0), "fuel"])
    used = [f for f in GREEN_ORDER if f in shown | set(money["fuel"]) | set(financed_mw["fuel"])]
    fig.legend(
        handles=[Patch(facecolor=GREEN_COLOURS[f], label=GREEN_NAMES[f]) for f in used],
        loc="lower center",
        ncol=len(used),
        fontsize=7.5,
    )
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


# --------------------------------------------------------------------------------------------- large hydro
def large_hydro(
    units: pd.DataFrame, projects: pd.DataFrame, finance: pd.DataFrame, min_mw: float = 600, linked_min_mw: float = 100
) -> pd.DataFrame:
    """Hydropower plants of at least ``min_mw`` in GEM's tracker (and those of at least ``linked_min_mw`` that a
    registry row with a Chinese role matches by GEM id), plus registry hydro projects of that size that GEM does
    not list, each with the Chinese role the registry records and COFI's finance (joined by the registry's COFI
    ids). No role is ever inferred from a name."""
    reg = projects[projects["technology"] == "hydro"].copy()
    gem_to_project = {
        g: pid
        for pid, ids in zip(reg["project_id"], reg["gem_ids"].fillna(""), strict=True)
        for g in ids.split(";")
        if g
    }
    hydro = units[units["tracker"] == "ghpt"].copy()
    hydro["project_id"] = hydro["gem_unit_id"].map(gem_to_project)
    keep = (hydro["capacity_mw"] >= min_mw) | (hydro["project_id"].notna() & (hydro["capacity_mw"] >= linked_min_mw))
    hydro = hydro[keep]
    rows = []
    for _, u in hydro.iterrows():
        rows.append(
            {
                "name": u["plant_name"].replace(" hydroelectric plant", ""),
                "country_iso3": u["country_iso3"],
                "capacity_mw": u["capacity_mw"],
                "status": u["status_group"],
                "start_year": u["start_year"],
                "gem_unit_id": u["gem_unit_id"],
                "project_id": u["project_id"],
                "dataset": "GEM hydropower tracker",
            }
        )
    extra = reg[(reg["capacity_mw"] >= min_mw) & (reg["gem_ids"].fillna("") == "")]
    status_map = {
        "operating": "operating",
        "under_construction": "construction",
        "agreed": "planned",
        "stalled": "shelved_cancelled",
        "cancelled": "shelved_cancelled",
    }
    for _, r in extra.iterrows():
        rows.append(
            {
                "name": r["name"],
                "country_iso3": r["country_iso3"],
                "capacity_mw": r["capacity_mw"],
                "status": status_map[r["status"]],
                "start_year": pd.NA,
                "gem_unit_id": "",
                "project_id": r["project_id"],
                "dataset": "report's registry",
            }
        )
    out = pd.DataFrame(rows)
    by_id = projects.set_index("project_id")
    roles, cofi_usd = [], []
    for pid in out["project_id"]:
        if isinstance(pid, str) and pid in by_id.index:
            row = by_id.loc[pid]
            roles.append("; ".join(f"{ROLE_FIELDS[f]}: {row[f]}" for f in roles_of(row)))
            ids = [] if pd.isna(row["cofi_ids"]) else [i for i in str(row["cofi_ids"]).split(";") if i]
            cofi_usd.append(float(finance.loc[finance["cofi_id"].isin(ids), "total_usd_m"].sum()) if ids else np.nan)
        else:
            roles.append("")
            cofi_usd.append(np.nan)
    out["chinese_role"] = roles
    out["cofi_usd_m"] = cofi_usd
    return out.sort_values("capacity_mw", ascending=False).reset_index(drop=True)


HYDRO_STATUS_COLOURS = {
    "operating": "#0072B2",
    "construction": "#56B4E9",
    "planned": "#C6DBEF",
    "shelved_cancelled": "#D9D9D9",
    "mothballed": "#D9D9D9",
    "retired": "#D9D9D9",
}
HYDRO_STATUS_NAMES = {
    "operating": "Operating",
    "construction": "Under construction",
    "planned": "Planned or announced",
    "shelved_cancelled": "Shelved or cancelled",
}


def hydro_figure(table: pd.DataFrame):
    """Horizontal bars of the large hydro plants (MW), coloured by status, with the Chinese role written where the
    data record one (else 'no Chinese role in the data')."""
    t = table.iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.28 * len(t) + 1.2))
    labels = [f"{n} ({COUNTRY_NAMES[c]})" for n, c in zip(t["name"].map(short_name), t["country_iso3"], strict=True)]
    ax.barh(labels, t["capacity_mw"], color=t["status"].map(HYDRO_STATUS_COLOURS), edgecolor="#555555", linewidth=0.4)
    for y, (mw, role) in enumerate(zip(t["capacity_mw"], t["chinese_role"], strict=True)):
        text = role if role else "no Chinese role in the data"
        text = text if len(text) <= 75 else text[:74].rstrip() + "…"
        ax.text(mw + 40, y, text, va="center", fontsize=6.5, color="#B2182B" if role else "#777777")
    ax.set_xlabel("Capacity (MW)", fontsize=8)
    ax.set_xlim(0, float(t["capacity_mw"].max()) * 2.3)
    ax.tick_params(labelsize=7)
    used = [s for s in HYDRO_STATUS_NAMES if s in set(t["status"])]
    ax.legend(
        handles=[
            Patch(facecolor=HYDRO_STATUS_COLOURS[s], edgecolor="#555555", label=HYDRO_STATUS_NAMES[s]) for s in used
        ],
        loc="center right",
        fontsize=7.5,
        frameon=True,
    )
    fig.tight_layout()
    return fig
