"""GeoJSON resources of the data package: their feature properties as a table (validated like any CSV by
:func:`greensilk.load`), their geometry checked with shapely, and the typed GeoDataFrame."""

from __future__ import annotations

import json

import pandas as pd

from greensilk.data import DataError, DataValidationError, schema_of


def _cell(value) -> str:
    return "" if value is None else (str(value).lower() if isinstance(value, bool) else str(value))


def property_cells(raw: bytes, resource, shown: str) -> tuple[list[str], list[list[str]], None]:
    """Schema field names and, per feature, its properties as cell texts (no line numbers in GeoJSON)."""
    try:
        features = json.loads(raw.decode("utf-8"))["features"]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise DataValidationError([DataError("type", shown, f"not a GeoJSON FeatureCollection: {exc}")]) from exc
    names = [f["name"] for f in schema_of(resource)["fields"]]
    extra = [(i, sorted(set(f.get("properties") or {}) - set(names))) for i, f in enumerate(features, 1)]
    problems = [DataError("header", shown, f"unexpected properties {x}", i) for i, x in extra if x]
    if problems:
        raise DataValidationError(problems)
    return names, [[_cell((f.get("properties") or {}).get(n)) for n in names] for f in features], None


def geometry_errors(raw: bytes, shown: str) -> list[DataError]:
    from shapely.geometry import shape
    from shapely.validation import explain_validity

    errors = []
    for index, feature in enumerate(json.loads(raw.decode("utf-8"))["features"], start=1):
        try:
            geom = shape(feature["geometry"])
        except Exception as exc:  # noqa: BLE001 - any malformed geometry is reported, not raised
            errors.append(DataError("geometry", shown, f"unreadable geometry: {exc}", index, "geometry"))
            continue
        if geom.is_empty or not geom.is_valid:
            errors.append(
                DataError("geometry", shown, f"invalid geometry ({explain_validity(geom)})", index, "geometry")
            )
        elif not (-180 <= geom.bounds[0] <= geom.bounds[2] <= 180 and -90 <= geom.bounds[1] <= geom.bounds[3] <= 90):
            errors.append(
                DataError("geometry", shown, "coordinates outside longitude/latitude range", index, "geometry")
            )
    return errors


def with_geometry(frame: pd.DataFrame, raw: bytes):
    """The typed property table with each feature's geometry, in longitude/latitude (EPSG:4326)."""
    import geopandas as gpd
    from shapely.geometry import shape

    features = json.loads(raw.decode("utf-8"))["features"]
    return gpd.GeoDataFrame(frame, geometry=[shape(f["geometry"]) for f in features], crs="EPSG:4326")
