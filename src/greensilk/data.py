"""Load datasets from the report's data package by name, validated with Frictionless against their schema.

``data/datapackage.json`` is the single definition of every dataset (Frictionless Table Schema: types,
required, enum, minimum/maximum, pattern, unique and primary keys, foreign keys). :func:`load` lets the
``frictionless`` library validate the file and turns its report into the project's own errors, each naming the
file, the data row (1-based, header excluded), the line in the file (for CSV), the column, the value and the rule
broken, e.g.::

    data/region/country_areas.csv: row 3 (line 4), column 'area_km2': 'abc' is not a number

Only what Frictionless cannot do is checked here: bytes it would silently accept (a byte-order mark, another
delimiter, an empty file), key lists in one cell (``x_listForeignKeys``), GeoJSON geometry, and the row/column
digests that locate a changed cell (``make data``). Problems are raised together as a :class:`DataValidationError`.
Nothing here writes to ``data/``.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from greensilk.paths import data_dir

MAX_REPORTED = 20  # problems listed in one exception message

# kinds of problem; each is demonstrated by a test in tests/test_validation_errors.py
KINDS = tuple(
    "unknown_dataset missing_file empty encoding header type required enum range pattern duplicate_key foreign_key "
    "hash_mismatch geometry".split()
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
            where += f": row {self.row}" + (f" (line {self.line})" if self.line is not None else "")
        if self.column is not None:
            where += f"{',' if self.row is not None else ':'} column '{self.column}'"
        return f"{where}: {self.message}"


def _fail(*args, **kwargs):
    """Raise a :class:`DataValidationError` holding one :class:`DataError` made from the arguments."""
    raise DataValidationError([DataError(*args, **kwargs)])


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
    path = data_dir(root) / "datapackage.json"
    if not path.is_file():
        _fail("missing_file", _rel(path), "the data package descriptor is missing")
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        _fail("type", _rel(path), f"not valid JSON: {exc.msg}", line=exc.lineno)
    package["_basepath"] = path.parent
    return package


def resource_descriptor(name: str, package: dict[str, Any]) -> dict[str, Any]:
    for resource in package["resources"]:
        if resource["name"] == name:
            return resource
    known = ", ".join(sorted(r["name"] for r in package["resources"]))
    _fail("unknown_dataset", "data/datapackage.json", f"no dataset named '{name}' (known: {known})")


def resource_path(resource: dict[str, Any], package: dict[str, Any]) -> Path:
    return Path(package["_basepath"]) / resource["path"]


def schema_of(resource: dict[str, Any]) -> dict[str, Any]:
    """The table schema (for GeoJSON, the schema of the feature properties)."""
    return resource.get("schema") or resource["x_properties_schema"]


def _rel(path: Path) -> str:
    """Path as shown in messages: relative to the project root when possible."""
    path = Path(path)
    for parent in path.parents:
        if (parent / "data" / "datapackage.json").is_file():
            return path.relative_to(parent).as_posix()
    return path.as_posix()


def load(name: str, root: Path | None = None, check_hash: bool = True, full: bool = False) -> pd.DataFrame:
    """Load the dataset ``name`` from the data package, validated.

    Returns a :class:`pandas.DataFrame` (a :class:`geopandas.GeoDataFrame` for GeoJSON) with typed columns;
    ``df.attrs['resource']`` names the resource (name, path, title, hash; the full descriptor is in
    :func:`load_package`: pandas deep-copies ``attrs`` on every operation, so it stays small). Raises
    :class:`DataValidationError` listing every problem with file, row and column. A file whose bytes, schema and
    linked datasets are exactly those that ``make data`` validated (its ``x_validated`` stamp) is not validated
    again unless ``full``; any change to them, or ``full=True`` (the tests, ``make data``), runs every check.
    """
    package = load_package(root)
    resource = resource_descriptor(name, package)
    path = resource_path(resource, package)
    shown = _rel(path)
    if not path.is_file():
        _fail("missing_file", shown, f"file not found (resource '{name}')")
    raw = path.read_bytes()
    header, rows, lines = table_cells(raw, resource, shown)  # raises on unreadable bytes
    names = [f["name"] for f in schema_of(resource)["fields"]]
    trusted = check_hash and not full and resource.get("x_validated") == validation_stamp(resource, package, raw)
    errors = [] if trusted else _header_errors(header, names, shown)
    if not trusted and not errors:
        errors = _frictionless_errors(resource, package, header, rows, lines)
    if resource.get("format") == "geojson" and not errors and not trusted:
        from greensilk.geodata import geometry_errors

        errors = geometry_errors(raw, shown)
    if not errors and not trusted:
        errors = _list_key_errors(resource, package, header, rows, lines, check_hash)
    if not errors and check_hash and not trusted:
        from greensilk.checksums import hash_errors

        errors = hash_errors(resource, raw, package)
    if errors:
        raise DataValidationError(errors)
    frame = _typed(pd.DataFrame([r[: len(names)] for r in rows], columns=names, dtype="string"), resource)
    if resource.get("format") == "geojson":
        from greensilk.geodata import with_geometry

        frame = with_geometry(frame, raw)
    frame.attrs["resource"] = {k: resource[k] for k in ("name", "path", "title", "hash") if k in resource}
    return frame


def validation_stamp(resource, package, raw: bytes) -> str:
    """sha256 over the schema, the file and every dataset it links to: what a successful validation covered."""
    schema = schema_of(resource)
    linked = {fk["reference"]["resource"] for fk in schema.get("foreignKeys", []) + schema.get("x_listForeignKeys", [])}
    stamp = hashlib.sha256(json.dumps(schema, sort_keys=True).encode() + hashlib.sha256(raw).digest())
    for name in sorted(linked - {"", resource["name"]}):
        stamp.update(resource_path(resource_descriptor(name, package), package).read_bytes())
    return stamp.hexdigest()


# --------------------------------------------------------------------------------------------- reading
def table_cells(raw: bytes, resource, shown: str = "") -> tuple[list[str], list[list[str]], list[int] | None]:
    """Header, rows of cell texts, and the first line of each row in the file (None for GeoJSON).

    Rejects bytes that a CSV reader would silently misread: an empty file, a UTF-8 byte-order mark, text that is
    not UTF-8, and a header that uses another delimiter than the comma.
    """
    if resource.get("format") == "geojson":
        from greensilk.geodata import property_cells

        return property_cells(raw, resource, shown)
    if not raw.strip():
        _fail("empty", shown, "the file is empty (no header, no rows)")
    if raw.startswith(codecs.BOM_UTF8):
        _fail("encoding", shown, "starts with a UTF-8 byte-order mark; save without BOM", line=1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        _fail("encoding", shown, f"is not UTF-8 (byte {exc.start})", line=raw[: exc.start].count(b"\n") + 1)
    reader = csv.reader(io.StringIO(text, newline=""))
    header, rows, lines, start = next(reader), [], [], reader.line_num + 1
    for cells in reader:
        rows.append(cells)
        lines.append(start)
        start = reader.line_num + 1
    if len(header) == 1:
        for sep in (";", "\t", "|"):
            if header[0].count(sep) >= 1:
                message = f"the header is one column; the file seems to use {sep!r} as delimiter instead of ','"
                _fail("header", shown, message, line=1)
    return header, rows, lines


def _typed(frame: pd.DataFrame, resource) -> pd.DataFrame:
    """Typed columns from validated cell texts; an empty cell is missing."""
    for field in schema_of(resource)["fields"]:
        col, ftype = frame[field["name"]].mask(frame[field["name"]] == ""), field.get("type", "string")
        if ftype in ("integer", "year"):
            frame[col.name] = pd.to_numeric(col).astype("Int64")
        elif ftype == "number":
            frame[col.name] = pd.to_numeric(col).astype("float64")
        elif ftype == "boolean":
            frame[col.name] = (
                col.str.lower().map({"true": True, "false": False, "1": True, "0": False}).astype("boolean")
            )
        elif ftype == "date":
            frame[col.name] = pd.to_datetime(col)
        else:
            frame[col.name] = col
    return frame


# --------------------------------------------------------------------------------------------- validation
def _header_errors(header: list[str], names: list[str], shown: str) -> list[DataError]:
    if header == names:
        return []
    dup = sorted({h for h in header if header.count(h) > 1})
    missing, extra = [n for n in names if n not in header], [h for h in header if h not in names]
    detail = [f"duplicated column(s) {dup}"] if dup else []
    detail += [f"missing column(s) {missing}"] if missing else []
    detail += [f"unexpected column(s) {extra}"] if extra else []
    return [DataError("header", shown, "; ".join(detail or [f"columns in the wrong order: expected {names}"]), line=1)]


def _frictionless_errors(resource, package, header, rows, lines) -> list[DataError]:
    """Validate with Frictionless (the rows read above, the schema and foreign keys of the descriptor)."""
    from frictionless import Package, Resource, Schema

    shown = _rel(resource_path(resource, package))
    schema = dict(schema_of(resource))
    schema.pop("x_listForeignKeys", None)
    targets = {fk["reference"]["resource"] for fk in schema.get("foreignKeys", [])} - {"", resource["name"]}
    others = [
        {k: v for k, v in r.items() if k not in ("hash", "bytes")} | {"dialect": {"delimiter": ","}}
        for r in package["resources"]
        if r["name"] in targets
    ]
    this = Resource(data=[header, *rows], schema=Schema.from_descriptor(schema), name=resource["name"])
    Package(resources=[this, *[Resource.from_descriptor(d) for d in others]], basepath=str(package["_basepath"]))
    found = this.validate().tasks[0].errors
    broken = {e.row_number for e in found if e.type in ("extra-cell", "missing-cell", "blank-row")}
    errors, seen = [], set()
    for e in found:
        row = getattr(e, "row_number", None)
        if row in broken and (row in seen or e.type not in ("extra-cell", "missing-cell", "blank-row")):
            continue  # a row with too few or too many cells is reported once, not cell by cell
        seen.add(row)
        index = row - 1 if row else None  # frictionless counts the header as row 1
        kind, message, column = _translate(e, schema, header, rows[index - 1] if index else None, resource["name"])
        errors.append(DataError(kind, shown, message, index, column, lines[index - 1] if lines and index else None))
    return errors


def _translate(e, schema, header, cells, name) -> tuple[str, str, str | None]:
    """(kind, message in plain words, column) for one error of a Frictionless report."""
    fields = {f["name"]: f for f in schema["fields"]}
    if e.type in ("extra-cell", "missing-cell"):
        return "header", f"has {len(cells)} cells, the header has {len(header)}", None
    if e.type == "blank-row":
        return "empty", "the row is blank", None
    if e.type == "type-error":
        return "type", _type_message(e.cell, fields[e.field_name]), e.field_name
    if e.type in ("constraint-error", "unique-error"):
        rule = "unique" if e.type == "unique-error" else re.search(r'constraint "(\w+)"', e.note).group(1)
        kind = dict(required="required", enum="enum", pattern="pattern", unique="duplicate_key").get(rule, "range")
        return kind, _constraint_message(rule, e.cell, fields[e.field_name], e.note), e.field_name
    if e.type == "primary-key":
        keys = [schema["primaryKey"]] if isinstance(schema["primaryKey"], str) else schema["primaryKey"]
        value = ", ".join(e.cells[header.index(k)] for k in keys)
        first = int(re.search(r"position (\d+)", e.note).group(1)) - 1
        return "duplicate_key", f"duplicate key ({value}); first used in row {first}", ", ".join(keys)
    if e.type == "foreign-key":
        target, ref = e.reference_name or name, "/".join(e.reference_field_names)
        return (
            "foreign_key",
            f"{', '.join(e.field_cells)!r} is not a known {ref} in dataset '{target}'",
            ", ".join(e.field_names),
        )
    return "type", f"{e.title}: {e.note or e.message}", None


def _type_message(cell: str, field: dict[str, Any]) -> str:
    ftype = field.get("type", "string")
    hint = " (YYYY-MM-DD)" if ftype == "date" else ""
    if ftype in ("number", "integer") and re.fullmatch(r"[+-]?\d{1,3}([, ]\d{3})+(\.\d+)?", cell):
        hint = " (it has a thousands separator; write digits only)"
    elif ftype in ("number", "integer") and re.fullmatch(r"[+-]?[\d.,]+\s*\S+", cell):
        unit = f" ({field['unit']})" if field.get("unit") else ""
        hint = f" (it has a unit suffix; write the number only, in the column's unit{unit})"
    return f"{cell!r} is not {'an' if ftype[0] in 'aeiou' else 'a'} {ftype}{hint}"


def _constraint_message(name: str, cell: str, field, note: str) -> str:
    cons, unit = field.get("constraints", {}), f" {field['unit']}" if field.get("unit") else ""
    if name == "required":
        return "a value is required but the cell is empty"
    if name == "enum":
        return f"{cell!r} is not one of the allowed values {cons['enum']}"
    if name == "pattern":
        return f"{cell!r} does not match the pattern {cons['pattern']!r}"
    if name == "unique":
        first = int(re.search(r"position (\d+)", note).group(1)) - 1
        return f"duplicate key ({cell}); first used in row {first}"
    word = "below the minimum" if name.startswith("min") else "above the maximum"
    message = f"{cell}{unit} is {word} of {cons[name]}{unit}"
    if name in ("minimum", "maximum") and field.get("type") == "number" and cons[name]:
        ratio = float(cell) / float(cons[name])
        if ratio >= 100 or 0 < ratio <= 0.01:
            message += " (a unit-scale mix-up, e.g. thousand instead of million?)"
    return message


def _list_key_errors(resource, package, header, rows, lines, check_hash) -> list[DataError]:
    """Cells holding several keys separated by ``separator`` (e.g. "a;b"): each key must exist."""
    errors, shown = [], _rel(resource_path(resource, package))
    for fk in schema_of(resource).get("x_listForeignKeys", []):
        field, sep, ref = fk["fields"], fk["separator"], fk["reference"]
        known = _known_keys(Path(package["_basepath"]).parent, ref["resource"], ref["fields"], check_hash)
        for pos, cells in enumerate(rows):
            parts = [p.strip() for p in cells[header.index(field)].split(sep)] if cells[header.index(field)] else []
            bad = [p for p in parts if p and p not in known]
            if bad or "" in parts:
                what = f"{', '.join(map(repr, bad))} not known" if bad else "an empty entry"
                message = (
                    f"{what} in the '{sep}'-separated list (must be {ref['fields']} values of '{ref['resource']}')"
                )
                errors.append(DataError("foreign_key", shown, message, pos + 1, field, lines[pos] if lines else None))
    return errors


def _known_keys(root: Path, name: str, field: str, check_hash: bool) -> frozenset[str]:
    """The values of ``field`` in dataset ``name``, cached until that file changes (size or time)."""
    path = resource_path(resource_descriptor(name, load_package(root)), load_package(root))
    stat = path.stat()
    return _known_keys_cached(root, name, field, check_hash, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _known_keys_cached(root: Path, name: str, field: str, check_hash: bool, *_stat) -> frozenset[str]:
    return frozenset(load(name, root=root, check_hash=check_hash)[field].dropna())
