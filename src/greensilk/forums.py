"""Classification, tables and figures of the forums chapter (tested in tests/test_forums.py)."""

from __future__ import annotations

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from shapely.geometry import LineString, box

from greensilk.maps import EQUAL_AREA_CRS, finish_map
from greensilk.style import COUNTRY_COLOURS, NEIGHBOUR_EDGE, NEIGHBOUR_FILL, OKABE_ITO, WATER

GREEN_SECTORS = ("clean_energy", "environment", "water", "agriculture")
"""The report's definition of a "green" outcome: clean energy, environment, water or agriculture. Fossil-energy
deals, energy deals of unstated kind and multi-sector political texts ("general") are not green."""

SECTOR_GROUPS = {
    "clean_energy": "Green",
    "environment": "Green",
    "water": "Green",
    "agriculture": "Green",
    "fossil_energy": "Fossil energy",
    "energy_unspecified": "Energy, kind not stated",
    "general": "Political, multi-sector",
    "subnational": "Sister cities and regions",
}
GROUP_COLOURS = {
    "Green": OKABE_ITO["bluish_green"],
    "Fossil energy": "#4A4A4A",
    "Energy, kind not stated": "#9A9A9A",
    "Political, multi-sector": OKABE_ITO["sky_blue"],
    "Sister cities and regions": OKABE_ITO["reddish_purple"],
    "Economy and other sectors": OKABE_ITO["orange"],
}
KIND_ORDER = ("summit", "foreign_ministers", "forum", "sector_forum", "other")
KIND_NAMES = {
    "summit": "Summits",
    "foreign_ministers": "Foreign ministers",
    "forum": "Cooperation Forum",
    "sector_forum": "Sector forums",
    "other": "Other forums",
}


def is_green(sector) -> pd.Series:
    """True where a sector counts as green under :data:`GREEN_SECTORS`."""
    return pd.Series(sector).isin(GREEN_SECTORS).to_numpy()


def sector_group(sector: pd.Series) -> pd.Series:
    """Chart group of each sector; every sector not named in :data:`SECTOR_GROUPS` is "Economy and other sectors"."""
    return sector.map(SECTOR_GROUPS).fillna("Economy and other sectors")


def primary(events: pd.DataFrame) -> pd.DataFrame:
    """The report's main row per event (alternative reports dropped)."""
    return events[events["variant"] == "primary"]


def green_by_event(outcomes: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Per dated event: outcomes recorded, green outcomes, and the green share (events without outcomes are kept
    with zero counts and no share)."""
    dated = primary(events).dropna(subset=["start_date"])
    counts = (
        outcomes.assign(green=is_green(outcomes["sector"]))
        .groupby("event_id")
        .agg(n_outcomes=("outcome_id", "count"), n_green=("green", "sum"))
    )
    out = dated[["event_id", "kind", "start_date", "city"]].merge(counts, on="event_id", how="left")
    out[["n_outcomes", "n_green"]] = out[["n_outcomes", "n_green"]].fillna(0).astype(int)
    out["green_pct"] = (out["n_green"] / out["n_outcomes"] * 100).where(out["n_outcomes"] > 0)
    return out.sort_values("start_date").reset_index(drop=True)


def event_label(row) -> str:
    if row["kind"] == "forum" and pd.notna(row["edition"]):
        city = row["city"] if isinstance(row["city"], str) else "?"
        return f"{int(row['edition'])}. {city.split(' (')[0].split(';')[0]}"
    city = row["city"] if isinstance(row["city"], str) else "online"
    return city.split(" (")[0].split(";")[0]


def timeline_figure(events: pd.DataFrame):
    """Every dated event by series, labelled with its city (forum editions with their number); editions that
    could not be found are listed under the chart."""
    main = primary(events)
    dated = main.dropna(subset=["start_date"]).copy()
    fig, ax = plt.subplots(figsize=(7.5, 3.9))
    rows = {k: i for i, k in enumerate(reversed(KIND_ORDER))}
    colours = {
        "summit": "#333333",
        "foreign_ministers": OKABE_ITO["blue"],
        "forum": OKABE_ITO["vermillion"],
        "sector_forum": OKABE_ITO["orange"],
        "other": "#9A9A9A",
    }
    for kind, group in dated.groupby("kind"):
        y = rows[kind]
        ax.scatter(group["start_date"], [y] * len(group), color=colours[kind], s=40, zorder=3)
        for i, (_, row) in enumerate(group.sort_values("start_date").iterrows()):
            offset = 9 if i % 2 == 0 else -13
            ax.annotate(
                event_label(row),
                (row["start_date"], y),
                xytext=(0, offset),
                textcoords="offset points",
                ha="center",
                fontsize=6.5,
                color="#444444",
            )
    ax.set_yticks(list(rows.values()), [KIND_NAMES[k] for k in rows])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlim(pd.Timestamp("2011-07-01"), pd.Timestamp("2026-06-30"))
    ax.grid(axis="y", visible=False)
    missing = main[main["start_date"].isna() & (main["kind"] == "forum")]
    if not missing.empty:
        editions = ", ".join(f"{int(e)}" for e in missing["edition"].dropna())
        ax.text(
            0.0,
            -0.16,
            f"Cooperation Forum editions with no exact date found (not plotted): {editions}",
            transform=ax.transAxes,
            fontsize=7.5,
            color="#B2182B",
        )
    fig.tight_layout()
    return fig


def outcomes_figure(outcomes: pd.DataFrame, events: pd.DataFrame, min_outcomes: int = 1):
    """Outcomes per event stacked by sector group, events in date order (only events with outcomes)."""
    table = outcomes.assign(group=sector_group(outcomes["sector"]))
    counts = table.pivot_table(index="event_id", columns="group", values="outcome_id", aggfunc="count").fillna(0)
    main = primary(events).set_index("event_id")
    order = main.loc[counts.index].sort_values("start_date").index
    counts = counts.loc[[e for e in order if counts.loc[e].sum() >= min_outcomes]]
    labels = [
        f"{event_label(main.loc[e].to_dict() | {'kind': main.loc[e, 'kind']})}\n{main.loc[e, 'start_date']:%Y}"
        for e in counts.index
    ]
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    bottom = np.zeros(len(counts))
    for group, colour in GROUP_COLOURS.items():
        if group not in counts.columns:
            continue
        ax.bar(range(len(counts)), counts[group], bottom=bottom, color=colour, label=group, edgecolor="white")
        bottom += counts[group].to_numpy()
    ax.set_xticks(range(len(counts)), labels, fontsize=7, rotation=45, ha="right")
    ax.set_ylabel("Outcomes recorded")
    ax.legend(fontsize=7.5, loc="upper left", ncol=2)
    fig.tight_layout()
    return fig, counts


def network_edges(parties: pd.DataFrame) -> pd.DataFrame:
    """Links between a Chinese and a Central Asian party, weighted by the number of outcomes they share."""
    china = parties[parties["side"] == "china"]
    ca = parties[parties["side"] == "central_asia"]
    pairs = china.merge(ca, on="outcome_id", suffixes=("_cn", "_ca"))
    return (
        pairs.groupby(["party_cn", "party_kind_cn", "party_ca", "party_kind_ca"], as_index=False)
        .agg(n_outcomes=("outcome_id", "nunique"))
        .sort_values(["n_outcomes", "party_cn", "party_ca"], ascending=[False, True, True])
        .reset_index(drop=True)
    )


KIND_MARKERS = {"country": "o", "province": "s", "region": "s", "company": "D"}


def network_figure(edges: pd.DataFrame):
    """Two-column network: Chinese parties left, Central Asian right, line width = outcomes shared."""

    def order(side):
        kind_rank = {"country": 0, "province": 1, "region": 1, "company": 2}
        nodes = edges.groupby([f"party_{side}", f"party_kind_{side}"])["n_outcomes"].sum().reset_index()
        nodes["rank"] = nodes[f"party_kind_{side}"].map(kind_rank)
        nodes = nodes.sort_values(["rank", "n_outcomes"], ascending=[True, False]).reset_index(drop=True)
        return nodes

    left, right = order("cn"), order("ca")
    n = max(len(left), len(right))
    ly = {p: n - 1 - i * (n - 1) / max(len(left) - 1, 1) for i, p in enumerate(left["party_cn"])}
    ry = {p: n - 1 - i * (n - 1) / max(len(right) - 1, 1) for i, p in enumerate(right["party_ca"])}
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * n + 1.2))
    for _, e in edges.iterrows():
        ax.plot(
            [0, 1],
            [ly[e["party_cn"]], ry[e["party_ca"]]],
            color="#777777",
            alpha=0.5,
            linewidth=0.6 + 0.5 * e["n_outcomes"],
            solid_capstyle="round",
        )
    for nodes, x, col, ys, ha, dx in (
        (left, 0, "party_cn", ly, "right", -0.03),
        (right, 1, "party_ca", ry, "left", 0.03),
    ):
        for _, node in nodes.iterrows():
            name, kind = node[col], node[col.replace("party", "party_kind")]
            colour = COUNTRY_COLOURS.get(
                {
                    "China": "CHN",
                    "Kazakhstan": "KAZ",
                    "Uzbekistan": "UZB",
                    "Kyrgyzstan": "KGZ",
                    "Tajikistan": "TJK",
                    "Turkmenistan": "TKM",
                }.get(name, ""),
                "#777777",
            )
            ax.scatter(
                [x],
                [ys[name]],
                marker=KIND_MARKERS[kind],
                s=min(30 + 2.5 * node["n_outcomes"], 150),
                color=colour,
                zorder=3,
            )
            ax.text(x + dx, ys[name], f"{name} ({int(node['n_outcomes'])})", ha=ha, va="center", fontsize=7.5)
    ax.set_xlim(-0.75, 1.75)
    ax.set_ylim(-0.8, n - 0.2)
    ax.axis("off")
    ax.text(0, n - 0.1, "Chinese side", ha="center", fontsize=9, weight="bold")
    ax.text(1, n - 0.1, "Central Asian side", ha="center", fontsize=9, weight="bold")
    handles = [
        Line2D([], [], marker=m, linestyle="none", color="#777777", label=k.capitalize())
        for k, m in (("country", "o"), ("province or region", "s"), ("company", "D"))
    ]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.06), ncol=3, fontsize=7.5, frameon=False)
    fig.tight_layout()
    return fig


LINKS_FRAME = (55.0, 20.0, 125.0, 50.0)


def links_map(links: pd.DataFrame, places: pd.DataFrame, countries: gpd.GeoDataFrame):
    """Partnerships drawn as lines from the Chinese to the Central Asian place, coloured by Chinese province;
    dashed where an end is a region drawn at its centre."""
    xy = places.set_index("place_id")[["lon", "lat"]]
    drawn = links.dropna(subset=["china_place_id", "ca_place_id"]).copy()
    geoms = [
        LineString([tuple(xy.loc[a]), tuple(xy.loc[b])])
        for a, b in zip(drawn["china_place_id"], drawn["ca_place_id"], strict=True)
    ]
    lines = gpd.GeoDataFrame(drawn, geometry=geoms, crs="EPSG:4326").to_crs(EQUAL_AREA_CRS)
    fig, ax = plt.subplots(figsize=(7.5, 4.3))
    frame = gpd.GeoDataFrame(geometry=[box(*LINKS_FRAME)], crs="EPSG:4326")
    land = gpd.clip(countries, frame).to_crs(EQUAL_AREA_CRS)
    ax.set_facecolor(WATER)
    land.plot(ax=ax, color=NEIGHBOUR_FILL, edgecolor=NEIGHBOUR_EDGE, linewidth=0.4)
    land[land["role"] != "neighbour"].plot(ax=ax, color="#FAF8F2", edgecolor="#6F6F6F", linewidth=0.7)
    provinces = sorted(lines["china_province"].unique())
    palette = plt.get_cmap("tab20")
    colours = {p: palette((2 * i) % 20 + (i // 10)) for i, p in enumerate(provinces)}
    for _, row in lines.iterrows():
        ax.plot(
            *row.geometry.xy,
            color=colours[row["china_province"]],
            linewidth=1.4,
            alpha=0.85,
            linestyle="--" if row["location_precision"] == "region" else "-",
        )
    ends = pd.concat([drawn["china_place_id"], drawn["ca_place_id"]]).unique()
    pts = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(xy.loc[ends, "lon"], xy.loc[ends, "lat"]), crs="EPSG:4326"
    ).to_crs(EQUAL_AREA_CRS)
    ax.scatter(pts.geometry.x, pts.geometry.y, s=10, color="black", zorder=4)
    finish_map(ax, frame, EQUAL_AREA_CRS, trim=(5e5, 3e5, 5e5, 1e5))
    handles = [Line2D([], [], color=colours[p], linewidth=2, label=p) for p in provinces]
    handles += [
        Line2D([], [], color="#555555", linestyle="--", label="an end is a region (drawn at its centre)"),
        Line2D([], [], color="#555555", label="both ends are cities or districts"),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncol=4,
        fontsize=7,
        frameon=False,
        title="Chinese province",
        title_fontsize=7.5,
    )
    fig.subplots_adjust(left=0.02, right=0.98, top=0.98, bottom=0.2)
    return fig, lines.drop(columns="geometry")
