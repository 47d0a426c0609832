"""Readers see author–year citations, never the data package's internal source ids.

:func:`label` gives "Author (Year)" for a source id, from ``book/references.bib`` (the same names and years that the
book's bibliography uses). Book tables (:func:`greensilk.table`) turn source columns into linked citations, and
figure downloads (:func:`greensilk.save_figure_data`) into plain labels.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pandas as pd

from greensilk.paths import project_root

SOURCE_COLUMN = re.compile(r"source_ids?$")  # source_id, source_ids, evidence_source_ids, ...


def is_source_column(name) -> bool:
    return isinstance(name, str) and bool(SOURCE_COLUMN.search(name))


def _plain(text: str) -> str:
    return re.sub(r"\\([&%$_#])", r"\1", re.sub(r"[{}]", "", text)).strip()


def _author(entry) -> str:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_plain(" ".join(p.last_names) or str(p)) for p in people]
    if not names:
        return _plain(entry.fields.get("howpublished") or entry.fields.get("organization") or "Anonymous")
    return names[0] if len(names) == 1 else f"{names[0]} and {names[1]}" if len(names) == 2 else f"{names[0]} et al."


@functools.lru_cache(maxsize=4)
def _labels(path: Path, _mtime: int) -> dict[str, str]:
    from pybtex.database import parse_file

    return {k: f"{_author(e)} ({e.fields.get('year', 'n.d.')})" for k, e in parse_file(str(path)).entries.items()}


def labels(root: Path | None = None) -> dict[str, str]:
    """Source id -> "Author (Year)" for every entry of the bibliography."""
    path = (root or project_root()) / "book" / "references.bib"
    return _labels(path, path.stat().st_mtime_ns)


def ids_in(cell) -> list[str]:
    """The ids in one cell holding one id or several separated by ';' (none for an empty or missing cell)."""
    if cell is None or cell is pd.NA or (isinstance(cell, float) and pd.isna(cell)):
        return []
    return [p.strip() for p in str(cell).split(";") if p.strip()]


def label(cell, root: Path | None = None) -> str:
    """'A (2020); B (2021)' for a cell holding one source id or several separated by ';'. A word that is not a
    source id (e.g. "derived") stays as it is: the loader has already checked every source id of the data."""
    known = labels(root)
    return "; ".join(known.get(i, i) for i in ids_in(cell))


def cite(cell, root: Path | None = None) -> str:
    """The same as MyST citation roles, so the book links each label to its bibliography entry."""
    known = labels(root)
    return "; ".join(f"{{cite:t}}`{i}`" if i in known else i for i in ids_in(cell))


_ROLE = re.compile(r"\{cite:[a-z]+\}`[^`]*`")


@functools.lru_cache(maxsize=4)
def _id_pattern(keys: frozenset) -> re.Pattern:
    alternatives = "|".join(map(re.escape, sorted(keys, key=len, reverse=True)))
    return re.compile(r"(?<![A-Za-z0-9_])(" + alternatives + r")(?![A-Za-z0-9_])")


def bare_ids(text: str, root: Path | None = None) -> list[str]:
    """The source ids that ``text`` shows as bare words, i.e. outside a MyST citation role."""
    if not isinstance(text, str):
        return []
    return _id_pattern(frozenset(labels(root))).findall(_ROLE.sub("", text))


def in_text(text, how=label, root: Path | None = None):
    """``text`` with every source id that stands as a bare word (in a note, a basis, a list of sources in another
    column) replaced by its citation (``how``: :func:`label` or :func:`cite`); citation roles are left alone."""
    if not isinstance(text, str) or "_" not in text:
        return text
    pattern = _id_pattern(frozenset(labels(root)))
    parts, last = [], 0
    for role in _ROLE.finditer(text):
        parts.append(pattern.sub(lambda m: how(m.group(1)), text[last : role.start()]))
        parts.append(role.group(0))
        last = role.end()
    parts.append(pattern.sub(lambda m: how(m.group(1)), text[last:]))
    return "".join(parts)


def readable(frame: pd.DataFrame, how=label) -> pd.DataFrame:
    """A copy of ``frame`` whose source columns hold citations (``how``: :func:`label` or :func:`cite`) under the
    heading "Source", and whose other text cells show a source id standing as a word as its citation too."""
    out = frame.copy()
    renames = {}
    for column in out.columns:
        if is_source_column(column):
            change = how
            renames[column] = "Source"
        elif out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            change = lambda cell: in_text(cell, how)  # noqa: E731
        else:
            continue
        out[column] = out[column].map(_memo(change))  # long tables repeat the same few sources and labels
    return out.rename(columns=renames)


def _memo(function):
    """``function`` computed once per distinct cell (``typed``: 1 and 1.0 are not the same cell); an unhashable
    cell is computed each time."""
    cached = functools.lru_cache(maxsize=None, typed=True)(function)

    def call(cell):
        try:
            return cached(cell)
        except TypeError:  # an unhashable cell
            return function(cell)

    return call
