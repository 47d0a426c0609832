#!/usr/bin/env python3
"""Write every glued figure of the notebooks to image files.

python scripts/export_figures.py [OUTDIR] [NOTEBOOK ...]            # PNG as committed (default: _build/figures)
python scripts/export_figures.py --formats [OUTDIR] [NOTEBOOK ...]  # SVG and 2x PNG, for the book's downloads

The first form copies the PNG stored in the committed notebooks (to look at them without building the book). The
second (`make figures`) re-executes each notebook in memory with ``myst_nb.glue`` wrapped so that every glued
matplotlib figure is also saved as ``<name>.svg`` and ``<name>@2x.png`` (twice the book's resolution); the
committed notebooks and their figure data are not touched (saving figure data is switched off in that run). The
book (greensilk.sphinxext) links these files next to each figure's CSV.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "application/papermill.record/"

# Runs first in the kernel: wrap glue (the notebooks import it after this cell) to save each figure as SVG and 2x
# PNG; make saving figure data a no-op so the project's files are untouched. Deterministic SVG: fixed hash salt, no
# date in the metadata.
INJECT = """
import pathlib as _pl
import matplotlib as _mpl
import matplotlib.figure as _mfig
import myst_nb as _mnb
import greensilk as _gs
import greensilk.figures as _gsf
_mpl.rcParams["svg.hashsalt"] = "greensilk"
_OUT = _pl.Path({outdir!r})
_OUT.mkdir(parents=True, exist_ok=True)
_glue = _mnb.glue
def _export_glue(name, variable, display=True):
    if isinstance(variable, _mfig.Figure):
        dpi = _mpl.rcParams["savefig.dpi"]
        dpi = variable.dpi if dpi == "figure" else dpi
        variable.savefig(_OUT / f"{{name}}.svg", format="svg", bbox_inches="tight", metadata={{"Date": None}})
        variable.savefig(_OUT / f"{{name}}@2x.png", format="png", dpi=2 * dpi, bbox_inches="tight",
                         metadata={{"Software": None}})
    return _glue(name, variable, display)
_mnb.glue = _export_glue
_gs.save_figure_data = _gsf.save_figure_data = lambda frame, figure_id, root=None: None
"""


def export(notebook: Path, outdir: Path) -> list[Path]:
    written = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            png = output.get("data", {}).get(PREFIX + "image/png")
            if name and png:
                path = outdir / f"{name}.png"
                path.write_bytes(base64.b64decode(png))
                written.append(path)
    return written


def export_formats(notebook: Path, outdir: Path) -> list[Path]:
    """Execute ``notebook`` (in memory) and save each glued figure as SVG and 2x PNG in ``outdir``."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    before = set(outdir.glob("*"))
    nb.cells.insert(0, nbformat.v4.new_code_cell(INJECT.format(outdir=str(outdir.resolve()))))
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(notebook.parent)}}
    ).execute()
    return sorted(set(outdir.glob("*")) - before)


def main(argv: list[str]) -> int:
    args = argv[1:]
    formats = "--formats" in args
    args = [a for a in args if a != "--formats"]
    outdir = Path(args[0]) if args else ROOT / "_build" / "figures"
    notebooks = [Path(p) for p in args[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    outdir.mkdir(parents=True, exist_ok=True)
    if formats:
        notebooks = [nb.resolve() for nb in notebooks]
        for stale in [*outdir.glob("*.svg"), *outdir.glob("*@2x.png")]:
            stale.unlink()
    for nb in notebooks:
        for path in (export_formats if formats else export)(nb, outdir):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
