"""Checksums of the data package: the sha256 of every file, and row and column digests that locate a changed cell.

``make data`` records them (``data/datapackage.json`` ``hash``, ``data/digests.json``); :func:`greensilk.load`
compares them, so an unreviewed edit fails with the file, row and column it touched. Frictionless can check a
file's hash but cannot say which cell changed; this module does only that.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from greensilk.data import DataError, _rel, resource_path, schema_of, table_cells


def sha256(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _short(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def _digest_cells(raw: bytes, resource) -> tuple[list[str], list[list[str]], list[int] | None]:
    if resource.get("format") != "geojson":
        return table_cells(raw, resource)
    names = [f["name"] for f in schema_of(resource)["fields"]] + ["geometry"]
    features = json.loads(raw.decode("utf-8")).get("features", [])
    rows = [[json.dumps((f.get("properties") or {}).get(n), sort_keys=True) for n in names[:-1]]
            + [json.dumps(f.get("geometry"), sort_keys=True)] for f in features]  # fmt: skip
    return names, rows, None


def digests(raw: bytes, resource) -> dict[str, Any]:
    """Row and column fingerprints: a changed cell changes exactly one of each, which locates it."""
    names, rows, _ = _digest_cells(raw, resource)
    return {
        "rows": [_short("\x1f".join(cells)) for cells in rows],
        "columns": {n: _short("\x1e".join(r[i] if i < len(r) else "" for r in rows)) for i, n in enumerate(names)},
    }


def digests_path(package) -> Path:
    return Path(package["_basepath"]) / "digests.json"


def hash_errors(resource, raw, package) -> list[DataError]:
    shown, expected = _rel(resource_path(resource, package)), resource.get("hash")
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
    names, rows, lines = _digest_cells(raw, resource)
    now = digests(raw, resource)
    if len(now["rows"]) != len(stored["rows"]):
        message = f"has {len(now['rows'])} data rows, the recorded checksum was made with {len(stored['rows'])}"
        return [DataError("hash_mismatch", shown, f"{message}; {advice}")]
    bad_rows = [i for i, (a, b) in enumerate(zip(now["rows"], stored["rows"], strict=True)) if a != b]
    bad_cols = [n for n in names if now["columns"].get(n) != stored["columns"].get(n)]
    errors = []
    for i in bad_rows:
        for col in bad_cols or [None]:
            value = rows[i][names.index(col)] if col else None
            now_value = f" (now {value!r})" if value is not None and len(value) < 60 else ""
            message = f"value differs from the recorded checksum{now_value}; {advice}"
            errors.append(DataError("hash_mismatch", shown, message, i + 1, col, lines[i] if lines else None))
    return errors or [DataError("hash_mismatch", shown, f"bytes differ from the recorded sha256; {advice}")]
