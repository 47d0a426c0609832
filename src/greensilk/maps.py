"""Map helpers: equal-area measurement and the regional base map in the house style."""

from __future__ import annotations

import geopandas as gpd
import matplotlib.pyplot as plt
from matplotlib.patches import Patch
from pyproj import Geod
from shapely.geometry import box

from greensilk.style import COUNTRY_COLOURS, COUNTRY_NAMES, NEIGHBOUR_EDGE, NEIGHBOUR_FILL, WATER

EQUAL_AREA_CRS = "+proj=aea +lat_0=30 +lon_0=80 +lat_1=15 +lat_2=65 +datum=WGS84 +units=m +no_defs"
"""Albers equal-area conic for Central and East Asia (standard parallels 15°N and 65°N, central meridian 80°E).
Areas measured in it are true to the ellipsoid whatever the parameters; the parameters only limit shape distortion
in maps of the region."""

GEOD = Geod(ellps="WGS84")
"""The WGS84 ellipsoid, for geodesic areas and distances."""


def equal_area_km2(frame: gpd.GeoDataFrame):
    """Area of each geometry in km², measured in :data:`EQUAL_AREA_CRS`."""
    if frame.crs is None:
        raise ValueError("geometries have no CRS; set one (e.g. EPSG:4326) before measuring areas")
    return frame.to_crs(EQUAL_AREA_CRS).geometry.area / 1e6


def geodesic_km2(frame: gpd.GeoDataFrame):
    """Area of each geometry in km² on the WGS84 ellipsoid (an independent check of :func:`equal_area_km2`)."""
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        frame = frame.to_crs("EPSG:4326")
    return frame.geometry.apply(lambda g: abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6)


LABELLED_NEIGHBOURS = ("RUS", "MNG", "AFG", "IRN", "PAK", "IND")
"""Neighbours named on the regional map (the others are small at this scale and their labels would collide)."""


def region_map(countries: gpd.GeoDataFrame, ax=None, label=LABELLED_NEIGHBOURS, legend=True, title=None):
    """Draw the region: focus countries and China in their house colours, neighbours grey, with a legend.

    ``countries`` is the ``countries`` dataset (columns ``iso_a3``, ``name``, ``role``); ``label`` lists the ISO
    codes of neighbours to name on the map. Returns the axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 5.2))
    projected = countries.to_crs(EQUAL_AREA_CRS)
    ax.set_facecolor(WATER)
    neighbours = projected[projected["role"] == "neighbour"]
    neighbours.plot(ax=ax, color=NEIGHBOUR_FILL, edgecolor=NEIGHBOUR_EDGE, linewidth=0.4)
    coloured = projected[projected["role"] != "neighbour"]
    handles = []
    for code in COUNTRY_COLOURS:
        part = coloured[coloured["iso_a3"] == code]
        if part.empty:
            continue
        part.plot(ax=ax, color=COUNTRY_COLOURS[code], alpha=0.8, edgecolor="white", linewidth=0.6)
        handles.append(Patch(facecolor=COUNTRY_COLOURS[code], alpha=0.8, label=COUNTRY_NAMES[code]))
    if label:
        for _, row in neighbours[neighbours["iso_a3"].isin(label)].iterrows():
            pt = row.geometry.representative_point()
            ax.annotate(row["name"], (pt.x, pt.y), ha="center", va="center", fontsize=7, color="#6B6B6B")
    if legend:
        handles.append(Patch(facecolor=NEIGHBOUR_FILL, edgecolor=NEIGHBOUR_EDGE, label="Other countries"))
        ax.legend(handles=handles, loc="lower right", fontsize=8, frameon=True, framealpha=0.9, title="Country")
    minx, miny, maxx, maxy = coloured.total_bounds
    pad_x, pad_y = (maxx - minx) * 0.04, (maxy - miny) * 0.06
    ax.set_xlim(minx - pad_x, maxx + pad_x)
    ax.set_ylim(miny - pad_y, maxy + pad_y)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax


ARAL_FRAME = (57.6, 43.2, 62.4, 47.2)
ARAL_CRS = "+proj=laea +lat_0=45.2 +lon_0=60 +datum=WGS84 +units=m +no_defs"
"""Lambert azimuthal equal-area projection centred on the Aral Sea, for its map."""
"""Longitude/latitude frame of the Aral Sea map (west, south, east, north)."""

MODERN_WATER = "#1F78B4"


def finish_map(ax, frame: gpd.GeoDataFrame, crs: str, trim=(0.0, 0.0, 0.0, 0.0)) -> None:
    """Frame a map on ``frame`` (a one-polygon GeoDataFrame in EPSG:4326) drawn in ``crs``, trimmed by
    ``trim`` metres (west, south, east, north), without ticks, axis labels or grid."""
    west, south, east, north = frame.to_crs(crs).total_bounds
    ax.set_xlim(west + trim[0], east - trim[2])
    ax.set_ylim(south + trim[1], north - trim[3])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.grid(False)


def dry_seabed(shorelines: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The area inside the historic outline that is no longer water in the modern outline(s).

    ``shorelines`` is the ``aral_shorelines`` dataset: one ``historic`` feature and one or more ``modern`` ones.
    Returns a one-row GeoDataFrame (EPSG:4326) with the geometry and its equal-area size in km².
    """
    historic = shorelines[shorelines["kind"] == "historic"]
    modern = shorelines[shorelines["kind"] == "modern"]
    if len(historic) != 1 or modern.empty:
        raise ValueError("need exactly one historic and at least one modern shoreline")
    dry = historic.geometry.iloc[0].difference(modern.geometry.union_all())
    out = gpd.GeoDataFrame({"name": ["dry seabed"]}, geometry=[dry], crs=shorelines.crs)
    out["area_km2"] = equal_area_km2(out)
    return out


DRY_BED = "#E9D9A6"
LAND = "#F4F1EA"


def aral_map(countries, shorelines, sites=None, ax=None):
    """The Aral Sea map: land with country borders and names, the dried seabed (historic minus later outline) in
    sand colour, the later water in blue, the historic shoreline dashed, sites as triangles, and a legend."""
    from matplotlib.lines import Line2D

    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 6.0))
    frame = gpd.GeoDataFrame(geometry=[box(*ARAL_FRAME)], crs="EPSG:4326")
    land = gpd.clip(countries, frame).to_crs(ARAL_CRS)
    ax.set_facecolor(NEIGHBOUR_FILL)
    land.plot(ax=ax, color=LAND, edgecolor="#6F6F6F", linewidth=0.9)
    for code, (lon, lat) in {"KAZ": (61.6, 46.9), "UZB": (58.5, 43.5)}.items():
        point = gpd.GeoSeries(gpd.points_from_xy([lon], [lat]), crs="EPSG:4326").to_crs(ARAL_CRS).iloc[0]
        ax.text(point.x, point.y, COUNTRY_NAMES[code].upper(), fontsize=9, color="#555555", ha="center")
    dry = dry_seabed(shorelines)
    dry.to_crs(ARAL_CRS).plot(ax=ax, color=DRY_BED, edgecolor="none")
    projected = shorelines.to_crs(ARAL_CRS)
    historic = projected[projected["kind"] == "historic"]
    modern = projected[projected["kind"] == "modern"]
    modern.plot(ax=ax, color=MODERN_WATER, edgecolor="none")
    historic.boundary.plot(ax=ax, color="#2B5F8A", linewidth=0.9, linestyle="--")
    handles = [
        Line2D([], [], color="#2B5F8A", linestyle="--", label=historic["label"].iloc[0]),
        Patch(facecolor=MODERN_WATER, label=modern["label"].iloc[0]),
        Patch(facecolor=DRY_BED, label=f"Dried seabed between the two: {dry['area_km2'].iloc[0]:,.0f} km²"),
        Patch(facecolor=LAND, edgecolor="#6F6F6F", label="Land; grey lines are national borders"),
    ]
    if sites is not None and not sites.empty:
        points = gpd.GeoDataFrame(sites, geometry=gpd.points_from_xy(sites["lon"], sites["lat"]), crs="EPSG:4326")
        points = points.to_crs(ARAL_CRS)
        for name, group in points.groupby("name"):
            ax.scatter(group.geometry.x, group.geometry.y, marker="^", s=60, color="black", zorder=5)
            handles.append(Line2D([], [], marker="^", color="black", linestyle="none", label=name))
    finish_map(ax, frame, ARAL_CRS)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=2, fontsize=8, frameon=False)
    return ax
