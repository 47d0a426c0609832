"""What changed in the data package between two versions of the report: rows added, removed and changed (matched
on each dataset's primary key), columns added and removed, and every changed value.

The tables are compared as tables (pandas, values parsed), not as text: re-ordering rows or re-quoting a cell is
not a change; a value that parses to the same number is not a change. Used by ``scripts/data_changes.py`` to write
``book/data-changes.md`` from the data at each recorded release (``git show <commit>:data/...``).
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass
class TableDiff:
    """The difference between an old and a new version of one dataset."""

    name: str
    key: list[str]
    rows_old: int
    rows_new: int
    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame  # one row per changed value: the key columns, then column, old, new
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    @property
    def changed_rows(self) -> int:
        if self.changed.empty:
            return 0
        return len(self.changed[self.key].drop_duplicates()) if self.key else 0

    @property
    def is_empty(self) -> bool:
        return (
            self.added.empty
            and self.removed.empty
            and self.changed.empty
            and not self.columns_added
            and not self.columns_removed
        )


def _same(a, b) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if pd.isna(a) or pd.isna(b):
        return False
    try:
        return bool(a == b) or float(a) == float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)


def diff_tables(name: str, old: pd.DataFrame, new: pd.DataFrame, key: list[str] | None) -> TableDiff:
    """Compare two versions of a table.

    With a primary key present in both versions, rows are matched on it: keys only in ``new`` are added, keys only
    in ``old`` removed, and for keys in both every value of a column present in both versions is compared. Without
    a usable key, whole rows (over the shared columns) are compared: a row differing in any value counts as one
    removed and one added. Raises ValueError if a key is not unique (a broken key cannot be compared).
    """
    columns_added = [c for c in new.columns if c not in old.columns]
    columns_removed = [c for c in old.columns if c not in new.columns]
    shared = [c for c in new.columns if c in old.columns]
    key = [k for k in (key or [])]
    if key and all(k in old.columns and k in new.columns for k in key):
        for label, frame in (("old", old), ("new", new)):
            dupes = frame[frame.duplicated(key, keep=False)]
            if not dupes.empty:
                raise ValueError(
                    f"{name}: primary key {key} is not unique in the {label} version: {dupes[key].head(3)}"
                )
        old_i, new_i = old.set_index(key), new.set_index(key)
        added = new[~new_i.index.isin(old_i.index)].reset_index(drop=True)
        removed = old[~old_i.index.isin(new_i.index)].reset_index(drop=True)
        both = new_i.index[new_i.index.isin(old_i.index)]
        value_columns = [c for c in shared if c not in key]
        old_b, new_b = old_i.loc[both], new_i.loc[both]
        found = []  # (row position, column position): equal text is the same value; only the rest need _same
        for j, column in enumerate(value_columns):
            a, b = old_b[column], new_b[column]
            suspect = (a.astype("string") != b.astype("string")).fillna(True).to_numpy()
            found += [(i, j) for i in suspect.nonzero()[0] if not _same(a.iloc[i], b.iloc[i])]
        records = []
        for i, j in sorted(found):  # row by row, columns in order, as a reader scans the table
            idx, column = both[i], value_columns[j]
            parts = idx if isinstance(idx, tuple) else (idx,)
            records.append(
                {
                    **dict(zip(key, parts, strict=True)),
                    "column": column,
                    "old": old_b[column].iloc[i],
                    "new": new_b[column].iloc[i],
                }
            )
        changed = pd.DataFrame(records, columns=[*key, "column", "old", "new"])
        return TableDiff(name, key, len(old), len(new), added, removed, changed, columns_added, columns_removed)
    # no usable key: compare whole rows over the shared columns, as multisets
    as_text = lambda f: f[shared].astype("string").fillna("\x00")  # noqa: E731  (NaN equal to NaN)
    old_t, new_t = as_text(old), as_text(new)
    old_c = old_t.groupby(shared, dropna=False).size() if shared else pd.Series(dtype=int)
    new_c = new_t.groupby(shared, dropna=False).size() if shared else pd.Series(dtype=int)
    delta = new_c.sub(old_c, fill_value=0)
    added_idx = delta[delta > 0]
    removed_idx = delta[delta < 0]
    added = _expand(added_idx, shared)
    removed = _expand(-removed_idx, shared)
    empty = pd.DataFrame(columns=["column", "old", "new"])
    return TableDiff(name, [], len(old), len(new), added, removed, empty, columns_added, columns_removed)


def _expand(counts: pd.Series, columns: list[str]) -> pd.DataFrame:
    rows = []
    for idx, n in counts.items():
        parts = idx if isinstance(idx, tuple) else (idx,)
        rows += [dict(zip(columns, [None if p == "\x00" else p for p in parts], strict=True))] * int(n)
    return pd.DataFrame(rows, columns=columns)


# ------------------------------------------------------------------------------------------- reading a version
def read_resource(raw: bytes, resource: dict) -> pd.DataFrame:
    """A dataset as a table: CSV parsed by pandas; GeoJSON as one row per feature (properties, plus a short hash of
    the geometry so that a moved boundary shows as a changed value)."""
    if resource.get("format") == "geojson" or resource["path"].endswith(".geojson"):
        features = json.loads(raw.decode("utf-8"))["features"]
        rows = []
        for feature in features:
            geometry = json.dumps(feature.get("geometry"), sort_keys=True, separators=(",", ":"))
            rows.append(
                {**feature.get("properties", {}), "geometry_sha256": hashlib.sha256(geometry.encode()).hexdigest()[:12]}
            )
        return pd.DataFrame(rows)
    return pd.read_csv(io.BytesIO(raw), keep_default_na=False, na_values=[""])


def primary_key(resource: dict) -> list[str]:
    key = resource.get("schema", {}).get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


class Version:
    """The data package at a git commit (``commit``) or in the working tree (``commit=None``)."""

    def __init__(self, root: Path, commit: str | None):
        self.root, self.commit = root, commit
        self.package = json.loads(self.read("data/datapackage.json").decode("utf-8"))
        self.resources = {r["name"]: r for r in self.package["resources"]}

    def read(self, path: str) -> bytes:
        if self.commit is None:
            return (self.root / path).read_bytes()
        result = subprocess.run(["git", "-C", str(self.root), "show", f"{self.commit}:{path}"], capture_output=True)
        if result.returncode != 0:
            raise FileNotFoundError(
                f"git show {self.commit}:{path} failed ({result.stderr.decode().strip()}); "
                "a shallow clone lacks the release commits: git fetch --unshallow"
            )
        return result.stdout

    def table(self, name: str) -> pd.DataFrame:
        return read_resource(self.read("data/" + self.resources[name]["path"]), self.resources[name])


@dataclass
class PackageDiff:
    datasets_added: dict[str, int]  # name -> rows
    datasets_removed: dict[str, int]
    tables: list[TableDiff]

    @property
    def is_empty(self) -> bool:
        return not self.datasets_added and not self.datasets_removed and all(t.is_empty for t in self.tables)


def diff_versions(old: Version, new: Version) -> PackageDiff:
    added = {n: len(new.table(n)) for n in new.resources if n not in old.resources}
    removed = {n: len(old.table(n)) for n in old.resources if n not in new.resources}
    tables = []
    for name in new.resources:
        if name in old.resources:
            key = primary_key(new.resources[name]) or primary_key(old.resources[name])
            tables.append(diff_tables(name, old.table(name), new.table(name), key))
    return PackageDiff(added, removed, tables)


# ------------------------------------------------------------------------------------------- Markdown
def _md(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "*(empty)*"
    text = str(value).replace("|", "/").replace("\n", " ").replace("`", "'")
    return text if len(text) <= 80 else text[:77] + "…"


def markdown(diff: PackageDiff, max_values: int = 60) -> str:
    """A Markdown section body: a summary table per dataset, then the changed values (at most ``max_values`` per
    dataset, the count of the rest stated)."""
    if diff.is_empty:
        return "No dataset changed.\n"
    lines = []
    for name, rows in sorted(diff.datasets_added.items()):
        lines.append(f"- New dataset `{name}` ({rows} rows).")
    for name, rows in sorted(diff.datasets_removed.items()):
        lines.append(f"- Dataset `{name}` removed (had {rows} rows).")
    changed = [t for t in diff.tables if not t.is_empty]
    if lines:
        lines.append("")
    if changed:
        lines += [
            "| Dataset | Rows before | Rows after | Added | Removed | Changed | Columns added | Columns removed |",
            "|---|--:|--:|--:|--:|--:|---|---|",
        ]
        for t in changed:
            lines.append(
                f"| `{t.name}` | {t.rows_old} | {t.rows_new} | {len(t.added)} | {len(t.removed)} | "
                + (f"{t.changed_rows}" if t.key else "–")
                + f" | {', '.join(f'`{c}`' for c in t.columns_added) or '–'}"
                + f" | {', '.join(f'`{c}`' for c in t.columns_removed) or '–'} |"
            )
        lines.append("")
    for t in changed:
        if t.changed.empty and t.added.empty and t.removed.empty:
            continue
        lines += [
            f"**`{t.name}`**"
            + (f" (matched on {', '.join(t.key)})" if t.key else " (no primary key: rows compared whole)"),
            "",
        ]
        if t.key and not t.added.empty:
            lines.append(
                "- added: "
                + ", ".join(_key_text(r, t.key) for _, r in t.added.head(max_values).iterrows())
                + _more(len(t.added), max_values)
            )
        if t.key and not t.removed.empty:
            lines.append(
                "- removed: "
                + ", ".join(_key_text(r, t.key) for _, r in t.removed.head(max_values).iterrows())
                + _more(len(t.removed), max_values)
            )
        if not t.key and (len(t.added) or len(t.removed)):
            lines.append(f"- {len(t.added)} rows only in the new version, {len(t.removed)} only in the old one")
        for _, r in t.changed.head(max_values).iterrows():
            before, after = _changed_parts(r["old"], r["new"])
            lines.append(f"- {_key_text(r, t.key)}, `{r['column']}`: {before} → {after}")
        if len(t.changed) > max_values:
            lines.append(f"- … and {len(t.changed) - max_values} more changed values")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _changed_parts(old, new, width: int = 80) -> tuple[str, str]:
    """Both values for the page; two long texts are cut around their first difference (same start elided), so the
    reader sees what changed rather than a shared opening."""
    if not (isinstance(old, str) and isinstance(new, str)) or max(len(old), len(new)) <= width:
        return _md(old), _md(new)
    same = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
    start = max(0, same - 20)
    cut = lambda s: ("…" if start else "") + _md(s[start:])  # noqa: E731
    return cut(old), cut(new)


def _key_text(row, key: list[str]) -> str:
    return "`" + ", ".join(str(row[k]) for k in key) + "`"


def _more(n: int, shown: int) -> str:
    return f" … and {n - shown} more" if n > shown else ""
