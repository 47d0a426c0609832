#!/usr/bin/env python3
"""Write every glued figure of the committed notebooks to PNG files, to look at them without building the book.

python scripts/export_figures.py [OUTDIR] [NOTEBOOK ...]     # default: _build/figures, all notebooks
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "application/papermill.record/"


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


def main(argv: list[str]) -> int:
    outdir = Path(argv[1]) if len(argv) > 1 else ROOT / "_build" / "figures"
    notebooks = [Path(p) for p in argv[2:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    outdir.mkdir(parents=True, exist_ok=True)
    for nb in notebooks:
        for path in export(nb, outdir):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
