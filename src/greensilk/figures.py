"""Save the data behind each figure next to the notebooks, so the book can offer it as a download."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from greensilk.citations import cite, label, readable
from greensilk.paths import project_root

FIGDATA = Path("notebooks") / "figdata"


def save_figure_data(frame: pd.DataFrame, figure_id: str, root: Path | None = None) -> Path:
    """Write ``frame`` to ``notebooks/figdata/<figure_id>.csv`` and return the path.

    ``figure_id`` is the figure's label (letters, digits and '-'), so each download matches one figure. Output is
    deterministic (no index, shortest round-trip floats, LF line endings) so re-executing a notebook leaves git clean.
    Source-id columns are written as author–year labels ("Source"), so a reuser sees citations, not internal ids.
    """
    if not figure_id or not all(ch.isalnum() or ch == "-" for ch in figure_id):
        raise ValueError(f"figure id {figure_id!r} must be letters, digits and '-' only")
    if frame.empty:
        raise ValueError(f"figure {figure_id!r}: refusing to save an empty table as its data")
    root = root or project_root()  # once: the lookup walks the folders, and every cell needs it
    folder = root / FIGDATA
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{figure_id}.csv"
    frame = readable(frame, lambda cell: label(cell, root))
    frame.to_csv(path, index=False, lineterminator="\n")
    return path


class Table:
    """A table shown as Markdown, so the book renders it as a real table in HTML and in the PDF.

    Its plain-text form (what nbval compares) is the same Markdown, so the tests check the table's content too.
    Source-id columns become linked author–year citations under the heading "Source".
    """

    def __init__(self, frame: pd.DataFrame, index: bool = True):
        if frame.empty:
            raise ValueError("refusing to show an empty table")
        root = project_root()
        shown = readable(frame, lambda cell: cite(cell, root))
        if index and isinstance(shown.index, pd.MultiIndex):
            shown, index = shown.reset_index(), False  # one column per level reads better than joined tuples
        shown.index = shown.index.map(_cell) if index else shown.index
        numeric = [
            pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c]) for c in shown.columns
        ]
        shown.columns = [_cell(c) for c in shown.columns]
        for column, is_number in zip(list(shown.columns), numeric, strict=True):
            shown[column] = shown[column].map(
                lambda v, n=is_number: "" if pd.isna(v) else (_number(v) if n else _cell(v))
            )
        align = (("left",) if index else ()) + tuple("right" if n else "left" for n in numeric)
        longest = max(len(str(v)) for v in [*shown.to_numpy().ravel(), *shown.index] if v is not None)
        if longest > LONG_CELL:
            self.markdown = _list_table(shown, index)
        else:
            self.markdown = shown.to_markdown(index=index, colalign=align, disable_numparse=True)

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.markdown


LONG_CELL = 45
"""Tables with a cell longer than this become MyST list-tables with relative column widths, so that long text
wraps in the PDF (a plain Markdown table keeps each cell on one line and runs off the page)."""


PDF_LINE_CHARS = 100
"""About how many characters of table text fit across the PDF's text width (A4, 10 pt); each column's padding takes
about three more."""
WIDE_GLYPHS = 1.15
"""How much wider than an average character a word's glyphs may be (ids and figures are digits and capitals)."""


def column_widths(
    rows: list[list[str]],
    header: list[list[str]] | None = None,
    cap: int = 40,
    header_cap: int = 14,
    line: int = PDF_LINE_CHARS,
) -> list[int]:
    """Relative widths for a table's columns from their text, in characters.

    A column is at least as wide as its longest word (so that no word is split, hyphenated or clipped), as wide as
    its longest body cell up to ``cap`` characters, and as wide as its header up to ``header_cap`` characters
    (headers wrap onto several lines rather than take space from the body). A table wider than ``line`` is narrowed
    by taking from each column in proportion to what it has above its longest word, so that the short columns keep
    their words whole and the long text wraps."""
    header = header or []
    every = rows + header
    if not every:
        return []
    n = max(len(r) for r in every)
    widths, floors = [], []
    for i in range(n):
        body = [r[i] for r in rows if i < len(r)]
        heads = [r[i] for r in header if i < len(r)]
        longest_word = max((len(w) for c in body + heads for w in c.split()), default=1)
        longest_cell = max((len(c) for c in body), default=1)
        longest_head = max((len(c) for c in heads), default=1)
        floor = math.ceil(longest_word * WIDE_GLYPHS) + 1  # digits and capitals are wider than the average letter
        floors.append(floor)
        widths.append(max(floor, min(longest_cell, cap), min(longest_head, header_cap)))
    excess = sum(widths) - (line - 3 * n)
    slack = [w - f for w, f in zip(widths, floors, strict=True)]
    if excess > 0 and sum(slack) > 0:
        cut = min(excess, sum(slack))
        widths = [w - round(s * cut / sum(slack)) for w, s in zip(widths, slack, strict=True)]
    return widths


def _visible(cell: str) -> str:
    """About the text a reader sees in a cell: a citation role shows as "Author (year)", a link as its text."""
    cell = re.sub(r"\{cite:[a-z]+\}`[^`]*`", "Author (2000)", cell)
    cell = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", cell)
    return re.sub(r"\{[a-z:]+\}`([^`<]*)(<[^`]*>)?`", r"\1", cell)


def _list_table(shown: pd.DataFrame, index: bool) -> str:
    frame = shown.reset_index() if index else shown
    header = [str(c) if str(c) not in ("index", "None") else "" for c in frame.columns]
    rows = [[str(v) for v in row] for row in frame.to_numpy()]
    widths = column_widths([[_visible(c) for c in r] for r in rows], [header], cap=70)
    lines = ["```{list-table}", ":header-rows: 1", f":widths: {' '.join(map(str, widths))}", ""]
    for row in [header, *rows]:
        lines.append(f"* - {row[0]}")
        lines += [f"  - {cell}" for cell in row[1:]]
    lines.append("```")
    return "\n".join(lines)


def _number(value) -> str:
    """A number with thousands separators and no exponent: 2724900.0 -> '2,724,900', 22.63 -> '22.63'."""
    return f"{float(value):,.6f}".rstrip("0").rstrip(".")


def _cell(value) -> str:
    """Cell text safe inside a Markdown table (no pipes, no line breaks)."""
    if isinstance(value, tuple):
        value = " · ".join(str(v) for v in value)
    return str(value).replace("|", "/").replace("\n", " ")


def table(frame: pd.DataFrame, index: bool = True) -> Table:
    """Show ``frame`` as a book table (see :class:`Table`)."""
    return Table(frame, index=index)


class MarkdownText:
    """Markdown that a notebook displays (parsed as MyST by the book); its plain-text form is the same text, so
    nbval compares the content."""

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def markdown(text: str) -> MarkdownText:
    """Display ``text`` as Markdown (see :class:`MarkdownText`)."""
    return MarkdownText(text)
