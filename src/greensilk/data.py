"""Load datasets from the report's data package by name, validated against their schema and checksum.

Every problem is reported as a :class:`DataError` naming the file, the data row (1-based, header excluded), the
line in the file (for CSV) and the column, e.g.::

    data/region/country_areas.csv: row 3 (line 4), column 'area_km2': 'abc' is not a number

Several problems in one file are collected and raised together as a :class:`DataValidationError`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from greensilk.paths import data_dir

MAX_REPORTED = 20  # problems listed in one exception message

# kinds of problem; each is demonstrated by a test in tests/test_validation_errors.py
KINDS = (
    "unknown_dataset",
    "missing_file",
    "header",
    "type",
    "required",
    "enum",
    "range",
    "pattern",
    "duplicate_key",
    "foreign_key",
    "hash_mismatch",
    "geometry",
)


@dataclass
class DataError(Exception):
    """One problem in one place of a data file."""

    kind: str
    file: str
    message: str
    row: int | None = None
    column: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f": row {self.row}"
            if self.line is not None:
                where += f" (line {self.line})"
        if self.column is not None:
            where += f"{',' if self.row is not None else ':'} column '{self.column}'"
        return f"{where}: {self.message}"


class DataValidationError(ValueError):
    """All problems found in one dataset; ``errors`` holds the individual :class:`DataError` objects."""

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        lines = [str(e) for e in errors[:MAX_REPORTED]]
        if len(errors) > MAX_REPORTED:
            lines.append(f"... and {len(errors) - MAX_REPORTED} more problems")
        head = f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in the data package:\n  "
        super().__init__(head + "\n  ".join(lines))

    @property
    def kinds(self) -> list[str]:
        return [e.kind for e in self.errors]


# --------------------------------------------------------------------------------------------- package access
def load_package(root: Path | None = None) -> dict[str, Any]:
    """Return ``datapackage.json`` as a dict (with the folder it came from under ``_basepath``)."""
    folder = data_dir(root)
    path = folder / "datapackage.json"
    if not path.is_file():
        raise DataValidationError([DataError("missing_file", _rel(path), "the data package descriptor is missing")])
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataValidationError(
            [DataError("type", _rel(path), f"not valid JSON: {exc.msg}", line=exc.lineno)]
        ) from exc
    package["_basepath"] = folder
    return package


def resource_descriptor(name: str, package: dict[str, Any]) -> dict[str, Any]:
    for resource in package["resources"]:
        if resource["name"] == name:
            return resource
    known = ", ".join(sorted(r["name"] for r in package["resources"]))
    raise DataValidationError(
        [DataError("unknown_dataset", "data/datapackage.json", f"no dataset named '{name}' (known: {known})")]
    )


def load(name: str, root: Path | None = None, check_hash: bool = True) -> pd.DataFrame:
    """Load the dataset ``name`` from the data package, validated.

    Returns a :class:`pandas.DataFrame` (or a :class:`geopandas.GeoDataFrame` for GeoJSON resources) with typed
    columns. ``df.attrs['resource']`` holds the resource descriptor. Raises :class:`DataValidationError` listing
    every problem with file, row and column.
    """
    package = load_package(root)
    resource = resource_descriptor(name, package)
    frame, raw, errors = _read_and_check(resource, package)
    if not errors:
        errors += _check_foreign_keys(resource, frame, package, check_hash)
    if not errors and check_hash:
        errors += _check_hash(resource, raw, package)
    if errors:
        raise DataValidationError(errors)
    frame.attrs["resource"] = {k: v for k, v in resource.items() if k != "schema"}
    return frame


# --------------------------------------------------------------------------------------------- reading
def _rel(path: Path) -> str:
    """Path as shown in messages: relative to the project root when possible."""
    path = Path(path)
    for parent in path.parents:
        if (parent / "data" / "datapackage.json").is_file():
            return path.relative_to(parent).as_posix()
    return path.as_posix()


def resource_path(resource: dict[str, Any], package: dict[str, Any]) -> Path:
    return Path(package["_basepath"]) / resource["path"]


def _read_and_check(resource, package):
    path = resource_path(resource, package)
    shown = _rel(path)
    if not path.is_file():
        return (
            None,
            b"",
            [DataError("missing_file", shown, f"file not found (resource '{resource['name']}')")],
        )
    raw = path.read_bytes()
    if resource.get("format") == "geojson":
        frame, errors = _read_geojson(raw, resource, shown)
    else:
        frame, errors = _read_csv(raw, resource, shown)
    return frame, raw, errors


def _csv_rows(raw: bytes, shown: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) for each data row; line numbers count physical lines from 1."""
    text = raw.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    header: list[str] = []
    for cells in reader:
        line = reader.line_num  # last physical line of this record
        if not header:
            header = cells
            continue
        if not any(c.strip() for c in cells):
            continue
        rows.append((line, cells))
    return header, rows


def _read_csv(raw: bytes, resource, shown):
    schema = resource["schema"]
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    try:
        header, rows = _csv_rows(raw, shown)
    except (UnicodeDecodeError, csv.Error) as exc:
        return None, [DataError("type", shown, f"cannot be read as UTF-8 CSV: {exc}")]
    if header != names:
        missing = [n for n in names if n not in header]
        extra = [h for h in header if h not in names]
        detail = []
        if missing:
            detail.append(f"missing column(s) {missing}")
        if extra:
            detail.append(f"unexpected column(s) {extra}")
        if not detail:
            detail.append(f"columns in the wrong order: expected {names}")
        return None, [DataError("header", shown, "; ".join(detail), row=None, line=1)]
    errors: list[DataError] = []
    columns: dict[str, list[Any]] = {n: [] for n in names}
    for index, (line, cells) in enumerate(rows, start=1):
        if len(cells) != len(names):
            errors.append(
                DataError("header", shown, f"has {len(cells)} cells, the header has {len(names)}", index, None, line)
            )
            continue
        for field, cell in zip(fields, cells, strict=True):
            value, problem = _convert(cell, field)
            if problem:
                errors.append(DataError(problem[0], shown, problem[1], index, field["name"], line))
            columns[field["name"]].append(value)
    if errors:
        return None, errors
    frame = pd.DataFrame({f["name"]: _series(columns[f["name"]], f) for f in fields})
    lines = [line for line, _ in rows]
    errors += _check_keys(frame, schema, shown, lines)
    return frame, errors


def _read_geojson(raw: bytes, resource, shown):
    import geopandas as gpd
    from shapely.geometry import shape

    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [DataError("type", shown, f"not valid GeoJSON: {exc}")]
    schema = resource["x_properties_schema"]
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    features = doc.get("features")
    if doc.get("type") != "FeatureCollection" or not isinstance(features, list):
        return None, [DataError("type", shown, "not a GeoJSON FeatureCollection")]
    errors: list[DataError] = []
    columns: dict[str, list[Any]] = {n: [] for n in names}
    geoms = []
    for index, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        extra = sorted(set(props) - set(names))
        if extra:
            errors.append(DataError("header", shown, f"unexpected properties {extra}", index, None))
        for field in fields:
            cell = props.get(field["name"])
            cell = "" if cell is None else (str(cell).lower() if isinstance(cell, bool) else str(cell))
            value, problem = _convert(cell, field)
            if problem:
                errors.append(DataError(problem[0], shown, problem[1], index, field["name"]))
            columns[field["name"]].append(value)
        try:
            geom = shape(feature["geometry"])
        except Exception as exc:  # noqa: BLE001 - any malformed geometry is reported, not raised
            errors.append(DataError("geometry", shown, f"unreadable geometry: {exc}", index, "geometry"))
            geoms.append(None)
            continue
        if geom.is_empty or not geom.is_valid:
            from shapely.validation import explain_validity

            errors.append(
                DataError("geometry", shown, f"invalid geometry ({explain_validity(geom)})", index, "geometry")
            )
        else:
            minx, miny, maxx, maxy = geom.bounds
            if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
                errors.append(
                    DataError("geometry", shown, "coordinates outside longitude/latitude range", index, "geometry")
                )
        geoms.append(geom)
    if errors:
        return None, errors
    frame = gpd.GeoDataFrame(
        {f["name"]: _series(columns[f["name"]], f) for f in fields}, geometry=geoms, crs="EPSG:4326"
    )
    errors += _check_keys(frame, schema, shown, None)
    return frame, errors


# --------------------------------------------------------------------------------------------- cell checks
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


def _convert(cell: str, field: dict[str, Any]):
    """Convert one cell; return (value, None) or (None, (kind, message))."""
    cons = field.get("constraints", {})
    ftype = field.get("type", "string")
    if cell.strip() == "":
        if cons.get("required"):
            return None, ("required", "a value is required but the cell is empty")
        return None, None
    if cell != cell.strip():
        return None, ("type", f"{cell!r} has leading or trailing spaces")
    try:
        if ftype == "integer":
            if not re.fullmatch(r"[+-]?\d+", cell):
                raise ValueError
            value: Any = int(cell)
        elif ftype == "number":
            value = float(cell)
            if math.isnan(value) or math.isinf(value):
                raise ValueError
        elif ftype == "year":
            if not re.fullmatch(r"\d{4}", cell):
                raise ValueError
            value = int(cell)
        elif ftype == "date":
            value = dt.date.fromisoformat(cell)
        elif ftype == "boolean":
            low = cell.lower()
            if low not in _TRUE | _FALSE:
                raise ValueError
            value = low in _TRUE
        else:
            value = cell
    except ValueError:
        article = "an" if ftype[0] in "aeiou" else "a"
        hint = " (YYYY-MM-DD)" if ftype == "date" else ""
        return None, ("type", f"{cell!r} is not {article} {ftype}{hint}")
    if "enum" in cons and value not in cons["enum"]:
        return None, ("enum", f"{cell!r} is not one of the allowed values {cons['enum']}")
    if "pattern" in cons and not re.fullmatch(cons["pattern"], cell):
        return None, ("pattern", f"{cell!r} does not match the pattern {cons['pattern']!r}")
    for bound, bad in (("minimum", lambda v, b: v < b), ("maximum", lambda v, b: v > b)):
        if bound in cons:
            limit = cons[bound]
            if isinstance(value, dt.date) and isinstance(limit, str):
                limit = dt.date.fromisoformat(limit)
            if bad(value, limit):
                unit = f" {field['unit']}" if field.get("unit") else ""
                word = "below the minimum" if bound == "minimum" else "above the maximum"
                return None, ("range", f"{cell}{unit} is {word} of {cons[bound]}{unit}")
    return value, None


def _series(values: list[Any], field: dict[str, Any]) -> pd.Series:
    ftype = field.get("type", "string")
    if ftype in ("integer", "year"):
        return pd.Series(values, dtype="Int64")
    if ftype == "number":
        return pd.Series([math.nan if v is None else v for v in values], dtype="float64")
    if ftype == "boolean":
        return pd.Series(values, dtype="boolean")
    if ftype == "date":
        return pd.to_datetime(pd.Series(values, dtype="object"))
    return pd.Series(values, dtype="string")


def _check_keys(frame, schema, shown, lines):
    errors = []
    keysets = []
    pk = schema.get("primaryKey")
    if pk:
        keysets.append([pk] if isinstance(pk, str) else list(pk))
    keysets += [[f["name"]] for f in schema["fields"] if f.get("constraints", {}).get("unique")]
    for keys in keysets:
        dup = frame.duplicated(subset=keys, keep="first")
        for pos in dup[dup].index:
            first = frame.index[(frame[keys] == frame.loc[pos, keys]).all(axis=1)][0]
            value = ", ".join(str(frame.loc[pos, k]) for k in keys)
            errors.append(
                DataError(
                    "duplicate_key",
                    shown,
                    f"duplicate key ({value}); first used in row {first + 1}",
                    pos + 1,
                    ", ".join(keys),
                    lines[pos] if lines else None,
                )
            )
    return errors


def _check_foreign_keys(resource, frame, package, check_hash=True):
    errors = []
    shown = _rel(resource_path(resource, package))
    schema = resource.get("schema") or resource.get("x_properties_schema") or {}
    for fk in schema.get("x_listForeignKeys", []):
        # a cell holding several keys separated by fk["separator"] (e.g. "a;b"): each key must exist
        field, sep, ref = fk["fields"], fk["separator"], fk["reference"]
        target = load(ref["resource"], root=Path(package["_basepath"]).parent, check_hash=check_hash)
        known = set(target[ref["fields"]].astype("string"))
        lines = None
        for pos, cell in enumerate(frame[field]):
            if pd.isna(cell):
                continue
            parts = [part.strip() for part in str(cell).split(sep)]
            bad = [part for part in parts if part and part not in known]
            if bad or "" in parts:
                lines = lines or _line_numbers(resource, package)
                what = f"{', '.join(map(repr, bad))} not known" if bad else "an empty entry"
                errors.append(
                    DataError(
                        "foreign_key",
                        shown,
                        f"{what} in the '{sep}'-separated list (must be {ref['fields']} values of "
                        f"dataset '{ref['resource']}')",
                        pos + 1,
                        field,
                        lines[pos] if lines else None,
                    )
                )
    for fk in schema.get("foreignKeys", []):
        fields = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
        ref = fk["reference"]
        ref_fields = [ref["fields"]] if isinstance(ref["fields"], str) else ref["fields"]
        if ref["resource"] in ("", resource["name"]):
            target = frame
        else:
            target = load(ref["resource"], root=Path(package["_basepath"]).parent, check_hash=check_hash)
        known = set(map(tuple, target[ref_fields].astype("string").itertuples(index=False, name=None)))
        for pos, values in enumerate(frame[fields].astype("string").itertuples(index=False, name=None)):
            if any(pd.isna(v) for v in values):
                continue
            if tuple(values) not in known:
                lines = _line_numbers(resource, package)
                errors.append(
                    DataError(
                        "foreign_key",
                        shown,
                        f"{', '.join(values)!r} is not a known {'/'.join(ref_fields)} in dataset '{ref['resource']}'",
                        pos + 1,
                        ", ".join(fields),
                        lines[pos] if lines else None,
                    )
                )
    return errors


def _line_numbers(resource, package):
    if resource.get("format") == "geojson":
        return None
    _, rows = _csv_rows(resource_path(resource, package).read_bytes(), "")
    return [line for line, _ in rows]


# --------------------------------------------------------------------------------------------- checksums
def sha256(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _short(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def table_cells(raw: bytes, resource) -> tuple[list[str], list[list[str]], list[int] | None]:
    """Column names, rows of cell texts, and CSV line numbers (None for GeoJSON) used by the digests."""
    if resource.get("format") == "geojson":
        doc = json.loads(raw.decode("utf-8"))
        names = [f["name"] for f in resource["x_properties_schema"]["fields"]] + ["geometry"]
        rows = []
        for feature in doc.get("features", []):
            props = feature.get("properties") or {}
            cells = [json.dumps(props.get(n), sort_keys=True) for n in names[:-1]]
            cells.append(json.dumps(feature.get("geometry"), sort_keys=True))
            rows.append(cells)
        return names, rows, None
    header, rows = _csv_rows(raw, "")
    return header, [cells for _, cells in rows], [line for line, _ in rows]


def digests(raw: bytes, resource) -> dict[str, Any]:
    """Row and column fingerprints: a changed cell changes exactly one of each, which locates it."""
    names, rows, _ = table_cells(raw, resource)
    return {
        "rows": [_short("\x1f".join(cells)) for cells in rows],
        "columns": {n: _short("\x1e".join(r[i] if i < len(r) else "" for r in rows)) for i, n in enumerate(names)},
    }


def digests_path(package) -> Path:
    return Path(package["_basepath"]) / "digests.json"


def _check_hash(resource, raw, package):
    shown = _rel(resource_path(resource, package))
    expected = resource.get("hash")
    if not expected:
        return [DataError("hash_mismatch", shown, "the descriptor records no sha256 hash for this file")]
    if sha256(raw) == expected:
        return []
    advice = "if the change is intended, review it and run `make notebooks` (re-hashes the package, re-executes)"
    stored = {}
    if digests_path(package).is_file():
        stored = json.loads(digests_path(package).read_text(encoding="utf-8")).get(resource["name"], {})
    if not stored:
        return [DataError("hash_mismatch", shown, f"content differs from the recorded sha256; {advice}")]
    names, rows, lines = table_cells(raw, resource)
    now = digests(raw, resource)
    if len(now["rows"]) != len(stored["rows"]):
        return [
            DataError(
                "hash_mismatch",
                shown,
                f"has {len(now['rows'])} data rows, the recorded checksum was made with "
                f"{len(stored['rows'])}; {advice}",
            )
        ]
    bad_rows = [i for i, (a, b) in enumerate(zip(now["rows"], stored["rows"], strict=True)) if a != b]
    bad_cols = [n for n in names if now["columns"].get(n) != stored["columns"].get(n)]
    errors = []
    for i in bad_rows:
        for col in bad_cols or [None]:
            value = rows[i][names.index(col)] if col else None
            shown_value = f" (now {value!r})" if value is not None and len(value) < 60 else ""
            errors.append(
                DataError(
                    "hash_mismatch",
                    shown,
                    f"value differs from the recorded checksum{shown_value}; {advice}",
                    i + 1,
                    col,
                    lines[i] if lines else None,
                )
            )
    if not errors:  # e.g. only line endings or quoting changed
        errors.append(DataError("hash_mismatch", shown, f"bytes differ from the recorded sha256; {advice}"))
    return errors
