#!/usr/bin/env python3
"""Derive data/geo/countries.geojson from Natural Earth 1:50m boundaries as packaged in npm `world-atlas`.

Not run by CI (it needs the npm package). To refresh the file:

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/derive_countries.py --topojson "$PWD/package/countries-50m.json" \
        --out data/geo/countries.geojson
    make data        # validate, re-hash, regenerate the catalogue

What it does, in order:
1. reads the TopoJSON layer ``countries`` (Natural Earth 4.1.0 Admin 0, 1:50m; ids are ISO 3166-1 numeric codes);
2. keeps every country that intersects the regional frame (longitude FRAME[0]–FRAME[2], latitude FRAME[1]–FRAME[3]);
3. keeps the five Central Asian countries and China whole, and clips all other countries to the frame;
4. snaps coordinates to a 0.0001° grid (about 11 m; far below the 1:50m source accuracy) keeping geometries valid;
5. writes GeoJSON (EPSG:4326) with properties name, iso_a3, iso_n3, role, clipped, source_id, sorted by name.

The ISO alpha-3 codes below are the ISO 3166-1 codes of the numeric ids in the source; the tests run this script
on a small TopoJSON fixture (tests/fixtures/mini_topo.json).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import box, mapping

FRAME = (46.0, 17.0, 136.0, 57.0)
FOCUS = {"398": "KAZ", "860": "UZB", "417": "KGZ", "762": "TJK", "795": "TKM"}
REFERENCE = {"156": "CHN"}
NEIGHBOURS = {
    "004": "AFG", "031": "AZE", "048": "BHR", "050": "BGD", "051": "ARM", "064": "BTN", "104": "MMR",
    "158": "TWN", "268": "GEO", "344": "HKG", "356": "IND", "364": "IRN", "368": "IRQ", "392": "JPN",
    "408": "PRK", "410": "KOR", "414": "KWT", "418": "LAO", "446": "MAC", "496": "MNG", "512": "OMN",
    "524": "NPL", "586": "PAK", "608": "PHL", "634": "QAT", "643": "RUS", "682": "SAU", "704": "VNM",
    "764": "THA", "784": "ARE", "887": "YEM",
}  # fmt: skip
SOURCE_ID = "naturalearth_admin0_50m"
GRID = 1e-4


def derive(topojson: Path, frame=FRAME) -> gpd.GeoDataFrame:
    world = gpd.read_file(topojson, layer="countries")
    world = world.set_crs("EPSG:4326", allow_override=True)
    window = box(*frame)
    world = world[world.intersects(window)].copy()
    codes = {**FOCUS, **REFERENCE, **NEIGHBOURS}
    records = []
    for _, row in world.iterrows():
        iso_n3 = row["id"] if isinstance(row["id"], str) else None
        if iso_n3 is not None and iso_n3 not in codes:
            raise SystemExit(f"no ISO alpha-3 code listed for numeric id {iso_n3} ({row['name']}); add it")
        role = "focus" if iso_n3 in FOCUS else "reference" if iso_n3 in REFERENCE else "neighbour"
        geom = row.geometry
        clipped = role == "neighbour" and not window.contains(geom)
        if clipped:
            geom = geom.intersection(window)
        geom = shapely.set_precision(geom, GRID)
        if geom.is_empty:
            continue
        records.append(
            {
                "name": row["name"],
                "iso_a3": codes.get(iso_n3, ""),
                "iso_n3": iso_n3 or "",
                "role": role,
                "clipped": clipped,
                "source_id": SOURCE_ID,
                "geometry": geom,
            }
        )
    out = gpd.GeoDataFrame(records, geometry="geometry", crs="EPSG:4326").sort_values("name")
    return out.reset_index(drop=True)


def write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Deterministic GeoJSON: fixed property order, one feature per line."""
    features = []
    for _, row in frame.iterrows():
        props = {k: row[k] for k in ("name", "iso_a3", "iso_n3", "role", "clipped", "source_id")}
        props["clipped"] = bool(props["clipped"])
        geometry = json.loads(json.dumps(mapping(row.geometry)))
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    lines = [json.dumps(f, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--topojson", type=Path, required=True, help="world-atlas countries-50m.json")
    parser.add_argument("--out", type=Path, default=Path("data/geo/countries.geojson"))
    args = parser.parse_args()
    frame = derive(args.topojson)
    write_geojson(frame, args.out)
    print(f"wrote {len(frame)} countries to {args.out} ({args.out.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
