"""Maintain the data package: re-hash it after a reviewed data change, and generate the data catalogue page.

Usage (via make)::

    python -m greensilk.package_tools rehash      # validate every resource, then record sha256, bytes, digests
    python -m greensilk.package_tools catalogue   # write book/data-catalogue.md from datapackage.json
    python -m greensilk.package_tools check [--trust-stamps]  # fail if hashes or the catalogue page are out of date
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import greensilk
from greensilk.checksums import digests, digests_path, sha256
from greensilk.citations import ids_in
from greensilk.data import DataValidationError, load, load_package, resource_path, table_cells, validation_stamp
from greensilk.paths import project_root

CATALOGUE = Path("book") / "data-catalogue.md"


def _dump(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def _descriptor_text(package: dict[str, Any]) -> str:
    return _dump({k: v for k, v in package.items() if not k.startswith("_")})


def _digests_text(all_digests: dict[str, Any]) -> str:
    # one line per resource keeps the file small and its diffs readable
    lines = [f"  {json.dumps(name)}: {json.dumps(d, sort_keys=True)}" for name, d in all_digests.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def rehash(root: Path | None = None) -> list[str]:
    """Validate every resource (schema and keys), then record hash, bytes and digests. Returns changed names."""
    root = root or project_root()
    package = load_package(root)
    errors = []
    for resource in package["resources"]:
        try:
            load(resource["name"], root=root, check_hash=False, full=True)
        except DataValidationError as exc:
            errors += exc.errors
    if errors:
        raise DataValidationError(errors)
    changed = []
    all_digests = {}
    catalogue = load("sources", root=root, check_hash=False).set_index("source_id")
    for resource in package["resources"]:
        if resource.get("format") == "csv":
            # state the dialect: frictionless otherwise sniffs it and can mis-detect the delimiter
            resource["dialect"] = {"delimiter": ","}
        if resource["name"] != "sources":
            resource["sources"] = _listed_sources(load(resource["name"], root=root, check_hash=False), catalogue)
        raw = resource_path(resource, package).read_bytes()
        new_hash = sha256(raw)
        if resource.get("hash") != new_hash:
            changed.append(resource["name"])
        resource["hash"] = new_hash
        resource["bytes"] = len(raw)
        resource["x_validated"] = validation_stamp(resource, package, raw)  # everything above was validated
        all_digests[resource["name"]] = digests(raw, resource)
    package["version"] = greensilk.__version__
    (root / "data" / "datapackage.json").write_text(_descriptor_text(package), encoding="utf-8")
    digests_path(package).write_text(_digests_text(all_digests), encoding="utf-8")
    return changed


def used_source_ids(frame) -> list[str]:
    """Source ids cited by a dataset's rows: every column named ``source_id`` or ``*_source_id`` (one id), or
    ``source_ids`` or ``*_source_ids`` (ids separated by ';')."""
    ids: set[str] = set()
    for column in frame.columns:
        if column == "source_id" or column.endswith("_source_id"):
            ids |= {str(v) for v in frame[column].dropna()}
        elif column == "source_ids" or column.endswith("_source_ids"):
            for cell in frame[column]:
                ids |= set(ids_in(cell))
    return sorted(ids)


def _listed_sources(frame, catalogue) -> list[dict[str, str]]:
    """The descriptor's ``sources`` list for a dataset: every source its rows cite, in id order."""
    out = []
    for sid in used_source_ids(frame):
        entry = {"title": str(catalogue.loc[sid, "title"]), "x_source_id": sid}
        url = catalogue.loc[sid, "url"]
        if isinstance(url, str) and url:
            entry["path"] = url
        out.append(entry)
    return out


# --------------------------------------------------------------------------------------------- bibliography
BIB = Path("book") / "references.bib"


def _bib_author(entry) -> str:
    people = entry.persons.get("author")
    return " and ".join(str(p) for p in people) if people else ""


def disambiguate_bib(root: Path | None = None) -> int:
    """Give same-author, same-year sources distinct years ("2025a", "2025b", ...; "n.d.a", ...), ordered by date
    and title, so that every author–year citation in the book points to one source. Returns how many changed."""
    import re

    from pybtex.database import parse_file

    root = root or project_root()
    path = root / BIB
    entries = parse_file(str(path)).entries
    sources = load("sources", root=root, check_hash=False).set_index("source_id")
    groups: dict[tuple[str, str], list[str]] = {}
    for key, entry in entries.items():
        date = str(sources.loc[key, "date"])
        base = date[:4] if date != "n.d." else "n.d."
        groups.setdefault((_bib_author(entry), base), []).append(key)
    wanted = {}
    for (_, base), keys in groups.items():
        if len(keys) == 1:
            wanted[keys[0]] = base
            continue
        ordered = sorted(keys, key=lambda k: (str(sources.loc[k, "date"]), str(sources.loc[k, "title"]), k))
        for i, key in enumerate(ordered):
            wanted[key] = base + "abcdefghijklmnopqrstuvwxyz"[i]
    text = path.read_text(encoding="utf-8")
    changed = 0
    blocks = re.split(r"(?m)^(?=@)", text)
    for i, block in enumerate(blocks):
        m = re.match(r"@\w+\{([^,]+),", block)
        if not m or m.group(1) not in wanted:
            continue
        replacement = r"\g<1>" + wanted[m.group(1)] + r"\g<2>"
        new_block, n = re.subn(r"(?m)^(\s*year\s*=\s*\{)[^}]*(\})", replacement, block, count=1)
        if n and new_block != block:
            blocks[i] = new_block
            changed += 1
    path.write_text("".join(blocks), encoding="utf-8")
    return changed


# --------------------------------------------------------------------------------------------- catalogue page
def _constraints(field: dict[str, Any]) -> str:
    cons = field.get("constraints", {})
    parts = []
    if cons.get("required"):
        parts.append("required")
    if cons.get("unique"):
        parts.append("unique")
    if "minimum" in cons:
        parts.append(f"≥ {cons['minimum']}")
    if "maximum" in cons:
        parts.append(f"≤ {cons['maximum']}")
    if "enum" in cons:
        parts.append("one of " + ", ".join(f"`{v}`" for v in cons["enum"]))
    if "pattern" in cons:
        parts.append(f"pattern `{cons['pattern']}`")
    return "; ".join(parts) or "–"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _human_bytes(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"


def catalogue_markdown(root: Path | None = None) -> str:
    root = root or project_root()
    package = load_package(root)
    out = [
        "<!-- Generated by `python -m greensilk.package_tools catalogue` from data/datapackage.json. "
        "Do not edit by hand: run `make data`. -->",
        "",
        "(data-catalogue)=",
        "# Data catalogue",
        "",
        f"{package['description']}",
        "",
        f"The package is a [Frictionless Data Package](https://specs.frictionlessdata.io/) "
        f"(version {package['version']}); its descriptor {{download}}`datapackage.json <../data/datapackage.json>` "
        "records, for every file, the schema, units, constraints, licence, sources and a sha256 checksum. "
        "The report's helper package refuses to load a file that breaks its schema or checksum and names the file, "
        "row and column of each problem. It holds these datasets:",
        "",
        # the HTML links each dataset to its section (schema, sources); the PDF keeps one condensed table and
        # leaves the schemas out (greensilk.sphinxext drops the sections from the LaTeX build)
        "```{only} html",
        "| Dataset | Title | Rows | Licence |",
        "|---|---|---|---|",
    ]
    condensed = [
        "````{only} latex",
        "The full schema of every dataset (fields, units, constraints, sources) is in the HTML version of this "
        "catalogue and in the package descriptor.",
        "",
        "```{list-table}",
        ":header-rows: 1",
        ":widths: 36 34 7 23",
        "",
        "* - Dataset",
        "  - Title and file",
        "  - Rows",
        "  - Licence",
    ]
    sections = []
    for res in package["resources"]:
        path = resource_path(res, package)
        raw = path.read_bytes()
        _, rows, _ = table_cells(raw, res)
        licences = ", ".join(lic.get("title", lic.get("name", "")) for lic in res.get("licenses", [])) or "–"
        out.append(f"| [`{res['name']}`](data-{res['name']}) | {_cell(res['title'])} | {len(rows)} | {licences} |")
        condensed += [
            f"* - `{res['name']}`",
            f"  - {_cell(res['title'])} (`{res['path']}`)",
            f"  - {len(rows)}",
            f"  - {_cell(licences)}",
        ]
        schema = res.get("schema") or res.get("x_properties_schema")
        fmt = "GeoJSON (EPSG:4326)" if res.get("format") == "geojson" else "CSV (UTF-8)"
        src_ids = [s["x_source_id"] for s in res.get("sources", []) if s.get("x_source_id")]
        cites = ", ".join(f"{{cite:t}}`{s}`" for s in src_ids) or "–"
        sec = [
            "",
            f"(data-{res['name']})=",
            f"## {res['title']}",
            "",
            res["description"],
            "",
            f'- **Name**: `{res["name"]}` (load it with `greensilk.load("{res["name"]}")`)',
            f"- **File**: {{download}}`{res['path']} <../data/{res['path']}>` · {fmt} · "
            f"{_human_bytes(len(raw))} · {len(rows)} {'features' if res.get('format') == 'geojson' else 'rows'}",
            f"- **sha256**: `{res['hash'].removeprefix('sha256:')}`",
            f"- **Licence**: {licences}",
            f"- **Sources**: {cites}",
        ]
        if schema.get("primaryKey"):
            pk = schema["primaryKey"]
            sec.append(f"- **Key**: {', '.join(f'`{k}`' for k in ([pk] if isinstance(pk, str) else pk))}")
        for fk in schema.get("foreignKeys", []):
            sec.append(
                f"- **Links**: `{fk['fields']}` → [`{fk['reference']['resource']}`](data-{fk['reference']['resource']})"
                f".`{fk['reference']['fields']}`"
            )
        sec += [
            "",
            "| Field | Type | Unit | Description | Constraints |",
            "|---|---|---|---|---|",
        ]
        for f in schema["fields"]:
            sec.append(
                f"| `{f['name']}` | {f.get('type', 'string')} | {_cell(f.get('unit', '–'))} | "
                f"{_cell(f.get('description', ''))} | {_cell(_constraints(f))} |"
            )
        sections += sec
    out += ["```", ""]
    condensed += ["```", "````", ""]
    return "\n".join(out + condensed + sections) + "\n"


def write_catalogue(root: Path | None = None) -> Path:
    root = root or project_root()
    path = root / CATALOGUE
    path.write_text(catalogue_markdown(root), encoding="utf-8")
    return path


def check(root: Path | None = None, full: bool = True) -> list[str]:
    """Problems that `make data` would fix: stale hashes, digests or catalogue page. With ``full=False`` (what
    `make book` runs) a dataset whose ``make data`` validation stamp still matches is not validated again; the
    tests run the full check."""
    root = root or project_root()
    package = load_package(root)
    problems = []
    for resource in package["resources"]:
        try:
            load(resource["name"], root=root, full=full)
        except DataValidationError as exc:
            problems += [str(e) for e in exc.errors]
    if package.get("version") != greensilk.__version__:
        problems.append(f"data/datapackage.json version {package.get('version')} != package {greensilk.__version__}")
    catalogue = root / CATALOGUE
    if not catalogue.is_file() or catalogue.read_text(encoding="utf-8") != catalogue_markdown(root):
        problems.append(f"{CATALOGUE} is out of date with data/datapackage.json; run `make data`")
    return problems


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "rehash":
        print("bibliography years disambiguated:", disambiguate_bib())
        changed = rehash()
        print("re-hashed:", ", ".join(changed) if changed else "nothing changed")
        print("wrote", write_catalogue())
        return 0
    if command == "catalogue":
        print("wrote", write_catalogue())
        return 0
    if command == "check":
        problems = check(full="--trust-stamps" not in argv)
        for p in problems:
            print(p, file=sys.stderr)
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
