#!/usr/bin/env python3
"""Merge sources that stand under two keys for one URL (one key per URL; tests/test_sources.py checks it).

    python scripts/merge_duplicate_sources.py [--dry-run]

For every URL cited under several keys, one key is kept: not a relay copy if another is not, then the most
precise date, then the key cited most often, then the first in alphabetical order. Every reference to the other
keys is rewritten to it — anywhere in the data CSVs (id columns, i.e. names ending in ``source_id`` or
``source_ids`` plus ``evidence_checked`` of the second reading, lists separated by ';', and notes), in the notebooks,
the book's pages and ``src/`` — and their rows leave ``data/sources.csv`` and ``book/references.bib``. A list that
then names the kept key twice keeps it once. Run ``make data`` and ``make notebooks`` afterwards. Documented and
re-runnable; not run in CI.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources.csv"
BIB = ROOT / "book" / "references.bib"


def data_csvs() -> list[Path]:
    return [p for p in sorted((ROOT / "data").rglob("*.csv")) if "snapshots" not in p.parts and p != SOURCES]


ID_COLUMN = re.compile(r"(source_ids?|^evidence_checked)$")


def is_id_column(column: str | None) -> bool:
    """A column whose cells are source ids (one, or a ';'-separated list)."""
    return bool(column) and bool(ID_COLUMN.search(column))


def dedupe_id_lists(text: str) -> str:
    """``text`` (a CSV) with repeated ids inside one id-list cell kept once, first occurrence first."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return text
    columns = [i for i, name in enumerate(rows[0]) if is_id_column(name)]
    changed = False
    for cells in rows[1:]:
        for i in columns:
            if i < len(cells) and ";" in cells[i]:
                parts = [p.strip() for p in cells[i].split(";")]
                unique = list(dict.fromkeys(parts))
                if unique != parts:
                    cells[i] = ";".join(unique)
                    changed = True
    if not changed:
        return text
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def citation_counts() -> Counter:
    counts: Counter = Counter()
    for path in data_csvs():
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))):
            for column, cell in row.items():
                if is_id_column(column) and cell:
                    counts.update(part.strip() for part in cell.split(";"))
    return counts


def choose(rows: list[dict], counts: Counter) -> str:
    def rank(row):
        return (
            row["tier"] == "relay",
            -len(row["date"].replace("n.d.", "")),
            -counts[row["source_id"]],
            row["source_id"],
        )

    return min(rows, key=rank)["source_id"]


def plan() -> dict[str, str]:
    """Key to drop -> key to keep."""
    rows = list(csv.DictReader(io.StringIO(SOURCES.read_text(encoding="utf-8"))))
    counts = citation_counts()
    by_url: dict[str, list[dict]] = {}
    for row in rows:
        if row["url"]:
            by_url.setdefault(row["url"], []).append(row)
    mapping = {}
    for group in by_url.values():
        if len(group) > 1:
            keep = choose(group, counts)
            mapping.update({row["source_id"]: keep for row in group if row["source_id"] != keep})
    return mapping


def rewrite_text(text: str, mapping: dict[str, str]) -> str:
    if not mapping:
        return text
    pattern = re.compile(
        r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, sorted(mapping, key=len, reverse=True))) + r")(?![A-Za-z0-9_])"
    )
    return pattern.sub(lambda m: mapping[m.group(1)], text)


def drop_bib_entries(text: str, keys: set[str]) -> str:
    entries = re.split(r"(?m)^(?=@)", text)
    kept = [e for e in entries if not (m := re.match(r"@\w+\{([^,]+),", e)) or m.group(1) not in keys]
    return "".join(kept)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    mapping = plan()
    for old, new in sorted(mapping.items()):
        print(f"{old} -> {new}")
    if args.dry_run or not mapping:
        return 0
    # sources.csv: drop the merged rows (kept byte for byte otherwise)
    lines = SOURCES.read_text(encoding="utf-8").splitlines(keepends=True)
    reader = csv.reader(io.StringIO("".join(lines)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    all_rows = list(reader)
    header = all_rows[0]
    note = header.index("note")
    notes = {cells[0]: cells[note] for cells in all_rows[1:] if cells}
    for cells in all_rows:
        if cells and cells[0] not in mapping:
            if cells is not header and not cells[note]:
                # a kept key without an access note takes the note of a key merged into it
                dropped = [old for old, new in sorted(mapping.items()) if new == cells[0] and notes[old]]
                if dropped:
                    cells[note] = notes[dropped[0]]
            writer.writerow(cells)
    SOURCES.write_text(out.getvalue(), encoding="utf-8")
    BIB.write_text(drop_bib_entries(BIB.read_text(encoding="utf-8"), set(mapping)), encoding="utf-8")
    targets = data_csvs() + sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "book").glob("*.md"))
    targets += [ROOT / "index.md"] + sorted((ROOT / "src" / "greensilk").rglob("*.py"))
    for path in targets:
        text = path.read_text(encoding="utf-8")
        new = rewrite_text(text, mapping)
        if path.suffix == ".csv":
            new = dedupe_id_lists(new)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print("rewrote", path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
