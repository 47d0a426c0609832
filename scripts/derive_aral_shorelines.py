#!/usr/bin/env python3
"""Derive data/geo/aral_shorelines.geojson from Natural Earth's historic and modern lake layers.

Not run by CI. Inputs are the Natural Earth GeoJSON layers ne_50m_lakes_historic.geojson and ne_50m_lakes.geojson
(repository nvkelso/natural-earth-vector, folder geojson/; public domain). To refresh:

    python scripts/derive_aral_shorelines.py --historic PATH/ne_50m_lakes_historic.geojson \
        --modern PATH/ne_50m_lakes.geojson --out data/geo/aral_shorelines.geojson
    make data

It keeps the features named "Aral Sea" (historic) and every modern lake feature inside the Aral frame whose name
contains "Aral", copies coordinates unchanged, and writes the properties the data package describes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

FRAME = (57.6, 43.2, 62.4, 47.2)


def _inside(feature, frame=FRAME):
    west, south, east, north = frame
    coords = json.dumps(feature["geometry"]["coordinates"])
    numbers = [float(x) for x in coords.replace("[", " ").replace("]", " ").replace(",", " ").split()]
    lons, lats = numbers[0::2], numbers[1::2]
    return west <= min(lons) and max(lons) <= east and south <= min(lats) and max(lats) <= north


def derive(historic: dict, modern: dict, historic_source: str, modern_source: str) -> dict:
    out = []
    for f in historic["features"]:
        if f["properties"].get("name") == "Aral Sea":
            out.append(_feature(f, "historic", "Historic shoreline (Natural Earth historic lakes)", historic_source))
    for f in modern["features"]:
        if "Aral" in (f["properties"].get("name") or "") and _inside(f):
            out.append(_feature(f, "modern", "Later shoreline, date not stated (Natural Earth lakes)", modern_source))
    if not any(f["properties"]["kind"] == "historic" for f in out) or len(out) < 2:
        raise SystemExit("expected one historic and at least one modern Aral Sea feature")
    return {"type": "FeatureCollection", "features": out}


def _feature(f, kind, label, source_id):
    props = {
        "name": f["properties"].get("name") if kind == "historic" else f"{f['properties'].get('name')} ({kind})",
        "kind": kind,
        "label": label,
        "ne_id": str(f["properties"].get("ne_id", "")),
        "source_id": source_id,
    }
    return {"type": "Feature", "properties": props, "geometry": f["geometry"]}


def write(collection: dict, path: Path) -> None:
    lines = [json.dumps(f, separators=(",", ":"), ensure_ascii=False) for f in collection["features"]]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--historic", type=Path, required=True)
    parser.add_argument("--modern", type=Path, required=True)
    parser.add_argument("--historic-source", default="naturalearth_lakes_historic_50m")
    parser.add_argument("--modern-source", default="naturalearth_lakes_50m")
    parser.add_argument("--out", type=Path, default=Path("data/geo/aral_shorelines.geojson"))
    args = parser.parse_args()
    collection = derive(
        json.loads(args.historic.read_text(encoding="utf-8")),
        json.loads(args.modern.read_text(encoding="utf-8")),
        args.historic_source,
        args.modern_source,
    )
    write(collection, args.out)
    print(f"wrote {len(collection['features'])} features to {args.out}")


if __name__ == "__main__":
    main()
