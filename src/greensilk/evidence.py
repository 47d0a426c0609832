"""How strong a number is: source tiers, the A/B/C grade of a headline number, and a chapter's mix of sources.

The rule (documented in Methods, "Source tiers and grades"):

- Each source has a tier in ``data/sources.csv``. Tiers fall into three strengths: *measured* (official statistics,
  a peer-reviewed paper read in full, a curated dataset), *stated* (a government or company publication, a
  peer-reviewed paper read only through its abstract) and *reported* (press, a relay or mirror copy of another
  publisher's text, an encyclopedia or other web page).
- A number reported by several sources takes the strength of the best of them; a number *derived* from several
  inputs (a share computed from two datasets, say) takes the strength of the weakest input it needs. Then:
  **A** measured, and no other source of that strength disagrees;
  **B** measured but disagreed with by a source of that strength, or stated (and not contradicted), or reported
  but confirmed by an independent source;
  **C** reported and unconfirmed, or stated and contradicted.
- *Agreement* is decided by the caller, who compares the number with an independent source (not its originator, not
  a relay of it): ``True`` agrees, ``False`` disagrees, ``None`` nothing to compare with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from greensilk.citations import ids_in

TIERS = {
    # tier: (strength 1 measured / 2 stated / 3 reported, label shown to readers)
    "official_statistics": (1, "official statistics"),
    "peer_reviewed_full": (1, "peer-reviewed (full text read)"),
    "curated_dataset": (1, "curated dataset"),
    "government": (2, "government publication"),
    "company": (2, "company publication"),
    "peer_reviewed_abstract": (2, "peer-reviewed (abstract only)"),
    "press": (3, "press"),
    "relay": (3, "relay or mirror copy"),
    "encyclopedia_other": (3, "encyclopedia or other web page"),
}
STRENGTH = {1: "measured", 2: "stated", 3: "reported"}
PLURAL = {
    "curated dataset": "curated datasets",
    "government publication": "government publications",
    "company publication": "company publications",
    "relay or mirror copy": "relays or mirror copies",
    "encyclopedia or other web page": "encyclopedias or other web pages",
}


@dataclass(frozen=True)
class Grade:
    letter: str  # "A", "B" or "C"
    strength: str  # "measured", "stated" or "reported"
    reason: str  # one line, for a table or a footnote


def split_ids(cells: Iterable) -> list[str]:
    """Source ids from cells holding one id or several separated by ';' (missing cells skipped)."""
    return [i for cell in cells for i in ids_in(cell)]


def _tiers(source_ids: Iterable[str], sources: pd.DataFrame) -> list[str]:
    table = sources.set_index("source_id")["tier"] if "source_id" in sources.columns else sources["tier"]
    missing = [s for s in source_ids if s not in table.index]
    if missing:
        raise KeyError(f"source ids not in data/sources.csv: {missing}")
    return [str(table[s]) for s in source_ids]


def grade(
    source_ids: Iterable[str], sources: pd.DataFrame, agreement: bool | None = None, derived: bool = False
) -> Grade:
    """The grade of a number resting on ``source_ids`` (see the module docstring for the rule); ``derived``: the
    number needs every source (the weakest decides), otherwise each source reports it (the best decides)."""
    ids = list(source_ids)
    if not ids:
        raise ValueError("a graded number needs at least one source")
    strengths = [TIERS[t][0] for t in _tiers(ids, sources)]
    best = max(strengths) if derived else min(strengths)
    strength = STRENGTH[best]
    if best == 1:
        letter = "B" if agreement is False else "A"
    elif best == 2:
        letter = "C" if agreement is False else "B"
    else:
        letter = "B" if agreement is True else "C"
    said = {True: "confirmed by an independent source", False: "disagreed with by another source", None: "not compared"}
    return Grade(letter, strength, f"{strength} ({said[agreement]})")


def tier_mix(source_ids: Iterable[str], sources: pd.DataFrame) -> str:
    """'3 official statistics, 1 press': the distinct sources behind a figure or table, by tier, best first."""
    ids = sorted(set(source_ids))
    counts = Counter(_tiers(ids, sources))
    order = sorted(counts, key=lambda t: (TIERS[t][0], list(TIERS).index(t)))
    return ", ".join(
        f"{counts[t]} {PLURAL.get(TIERS[t][1], TIERS[t][1]) if counts[t] > 1 else TIERS[t][1]}" for t in order
    )


def row_split(frames: dict[str, pd.DataFrame], sources: pd.DataFrame) -> pd.DataFrame:
    """How the data rows of a chapter split by the strength of their best source (one row per dataset).

    ``frames`` maps a dataset's human name to its table; the source column is the first of ``source_id``,
    ``source_ids`` or ``evidence_source_ids`` that the table has.
    """
    out = []
    strength_of = {}  # source id -> strength, looked up once per distinct cell
    for name, frame in frames.items():
        column = next(c for c in ("source_id", "source_ids", "evidence_source_ids") if c in frame.columns)
        counts = Counter()
        for cell, n in frame[column].value_counts(dropna=False).items():
            ids = split_ids([cell])
            if ids and cell not in strength_of:
                strength_of[cell] = STRENGTH[min(TIERS[t][0] for t in _tiers(ids, sources))]
            counts[strength_of[cell] if ids else "unsourced"] += int(n)
        out.append({"dataset": name, **{s: counts.get(s, 0) for s in (*STRENGTH.values(), "unsourced")}})
    table = pd.DataFrame(out).set_index("dataset")
    return table.loc[:, (table != 0).any() | (table.columns != "unsourced")]


def frame_ids(frame: pd.DataFrame) -> list[str]:
    """Every source id in the source columns of ``frame`` (``source_id``, ``source_ids``, ``*_source_ids``...)."""
    from greensilk.citations import is_source_column

    return split_ids(cell for column in frame.columns if is_source_column(column) for cell in frame[column])


DERIVED = "derived"
"""The word a source column holds for a value the report computed from other rows (e.g. north + south)."""


def frame_mix(frame: pd.DataFrame, sources: pd.DataFrame) -> str:
    """The source mix of a figure's data frame, for its caption ('2 official statistics, 5 press'); values the
    report derived from other rows (source column 'derived') are named as such."""
    ids = frame_ids(frame)
    if not ids:
        raise ValueError("the frame has no source ids: its caption cannot state a source mix")
    cited = [i for i in ids if i != DERIVED]
    mix = tier_mix(cited, sources) if cited else ""
    if len(cited) < len(ids):
        mix += (", plus " if mix else "") + "values derived in this report from other rows"
    return mix


def dataset_split(names: Iterable[str], sources: pd.DataFrame, root=None) -> pd.DataFrame:
    """:func:`row_split` of data-package datasets, indexed by their titles in the package (for a chapter's table
    "How strong the evidence is"), with a total row."""
    from greensilk.data import load, load_package, resource_descriptor

    package = load_package(root)
    frames = {resource_descriptor(n, package).get("title", n): load(n, root=root) for n in names}
    table = row_split(frames, sources)
    table.loc["All rows"] = table.sum()
    table.index.name = "Dataset"
    return table


def split_sentence(table: pd.DataFrame) -> str:
    """One sentence on the 'All rows' line of :func:`dataset_split`: how many rows rest on each strength."""
    total = table.loc["All rows"]
    n = int(total.sum())
    parts = []
    for strength, words in (
        ("measured", "on measured sources"),
        ("stated", "on stated ones"),
        ("reported", "only on reported ones"),
        ("unsourced", "on no source"),
    ):
        k = int(total.get(strength, 0))
        if k or strength != "unsourced":
            share = 100 * k / n
            pct = "under 1 %" if 0 < share < 0.5 else f"{share:.0f} %"
            parts.append(f"{k:,} ({pct}) {words}")
    parts[0] = parts[0].replace(" on ", " rest on ", 1)
    return f"Of the {n:,} rows in the chapter's datasets, " + ", ".join(parts[:-1]) + " and " + parts[-1] + "."
