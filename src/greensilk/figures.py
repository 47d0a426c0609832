"""Save the data behind each figure next to the notebooks, so the book can offer it as a download."""

from __future__ import annotations

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


def _list_table(shown: pd.DataFrame, index: bool) -> str:
    frame = shown.reset_index() if index else shown
    header = [str(c) if str(c) not in ("index", "None") else "" for c in frame.columns]
    rows = [[str(v) for v in row] for row in frame.to_numpy()]
    lengths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    widths = [max(8, min(n, 70)) for n in lengths]
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
