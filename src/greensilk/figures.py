"""Save the data behind each figure next to the notebooks, so the book can offer it as a download."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from greensilk.paths import project_root

FIGDATA = Path("notebooks") / "figdata"


def save_figure_data(frame: pd.DataFrame, figure_id: str, root: Path | None = None) -> Path:
    """Write ``frame`` to ``notebooks/figdata/<figure_id>.csv`` and return the path.

    ``figure_id`` is the figure's label (letters, digits and '-'), so each download matches one figure. Output is
    deterministic (no index, shortest round-trip floats, LF line endings) so re-executing a notebook leaves git clean.
    """
    if not figure_id or not all(ch.isalnum() or ch == "-" for ch in figure_id):
        raise ValueError(f"figure id {figure_id!r} must be letters, digits and '-' only")
    if frame.empty:
        raise ValueError(f"figure {figure_id!r}: refusing to save an empty table as its data")
    folder = (root or project_root()) / FIGDATA
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{figure_id}.csv"
    frame.to_csv(path, index=False, lineterminator="\n")
    return path
