"""Importers: official and curated datasets enter the data package as code, never by hand (DESIGN.md §7).

A *snapshot* is the extract of an upstream file that the report uses, committed unchanged under
``data/snapshots/<producer>/`` beside ``SNAPSHOT.json``, which records for every file: ``file``, ``title``,
``producer``, ``citation``, ``upstream_url``, ``copy_read`` (``repository``, ``path``, ``commit`` — or ``url`` and
``date``), ``date_published``, ``date_accessed``, ``licence``, ``extract`` (which rows/columns were kept, in
words), ``sha256_upstream`` (of the file as read) and ``sha256_extract`` (of the committed file).

One module per producer in this package (``imf_dots``, ``national_stats``, ``gem``, ``cofi``, ...) defines::

    OUTPUTS: tuple[str, ...]                       # paths under data/ that it writes, e.g. "trade/imf_dots.csv"
    def build(snapshots: Path) -> dict[str, pandas.DataFrame]   # path under data/ -> tidy table

``build`` reads only its own snapshot folder (``snapshots`` is ``data/snapshots``), never the network, and must
be deterministic. ``make data`` runs every importer and writes the tables; ``tests/test_importers.py`` runs them
again and fails if a committed CSV differs from what its importer derives.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import pkgutil
from pathlib import Path
from types import ModuleType

import pandas as pd

from greensilk.paths import data_dir

SNAPSHOT_KEYS = (
    "file",
    "title",
    "producer",
    "citation",
    "upstream_url",
    "copy_read",
    "date_published",
    "date_accessed",
    "licence",
    "extract",
    "sha256_upstream",
    "sha256_extract",
)


def modules() -> list[ModuleType]:
    """Every importer module of this package, in name order."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The one way a derived table is written: UTF-8, comma, '\\n' line ends, no index, floats as given."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def derive(root: Path | None = None) -> dict[Path, bytes]:
    """Run every importer on the committed snapshots; returns target path -> CSV bytes (nothing is written)."""
    folder = data_dir(root)
    out: dict[Path, bytes] = {}
    for module in modules():
        tables = module.build(folder / "snapshots")
        if set(tables) != set(module.OUTPUTS):
            raise RuntimeError(f"{module.__name__}: built {sorted(tables)} but declares OUTPUTS {module.OUTPUTS}")
        for rel, frame in tables.items():
            out[folder / rel] = csv_bytes(frame)
    return out


def stale(root: Path | None = None) -> list[str]:
    """Derived CSVs whose committed bytes differ from what their importer builds now."""
    return [path.as_posix() for path, data in derive(root).items() if not path.is_file() or path.read_bytes() != data]


def write_all(root: Path | None = None) -> list[str]:
    """Write every derived table (all importers run first, so a failing importer changes nothing)."""
    tables = derive(root)
    changed = []
    for path, data in tables.items():
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            changed.append(path.as_posix())
    return changed


def snapshot_problems(root: Path | None = None) -> list[str]:
    """Snapshots without complete metadata, or whose committed bytes do not match the recorded sha256."""
    problems = []
    for meta_path in sorted((data_dir(root) / "snapshots").glob("*/SNAPSHOT.json")):
        entries = json.loads(meta_path.read_text(encoding="utf-8"))
        listed = set()
        for entry in entries:
            missing = [k for k in SNAPSHOT_KEYS if not entry.get(k)]
            if missing:
                problems.append(f"{meta_path}: entry {entry.get('file')!r} lacks {missing}")
                continue
            listed.add(entry["file"])
            target = meta_path.parent / entry["file"]
            if not target.is_file():
                problems.append(f"{meta_path}: {entry['file']} is listed but missing")
            elif hashlib.sha256(target.read_bytes()).hexdigest() != entry["sha256_extract"]:
                problems.append(f"{target}: sha256 differs from sha256_extract in SNAPSHOT.json")
        for path in sorted(meta_path.parent.rglob("*")):
            rel = path.relative_to(meta_path.parent).as_posix()
            if path.is_file() and path.name != "SNAPSHOT.json" and rel not in listed:
                problems.append(f"{path}: snapshot file not described in SNAPSHOT.json")
    return problems


def main() -> int:
    problems = snapshot_problems()
    if problems:
        raise SystemExit("\n".join(problems))
    changed = write_all()
    print("importers wrote:", ", ".join(changed) if changed else "nothing changed")
    return 0
