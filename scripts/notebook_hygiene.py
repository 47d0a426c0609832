#!/usr/bin/env python3
"""Notebook metadata hygiene (a pre-commit hook): remove what editors add and the book does not need, keep the
outputs (the book shows the committed, executed notebooks) and the report's own metadata.

    python scripts/notebook_hygiene.py notebooks/*.ipynb     # rewrites files that had transient metadata; exit 1 then

Kept: notebook metadata ``greensilk``, ``greensilk_figures``, ``greensilk_reads_notebooks``,
``kernelspec``, ``language_info``; cell metadata
``tags``. Removed: everything else (e.g. ``ExecuteTime``, ``execution``, ``collapsed``, ``scrolled``, ``widgets``,
``toc``, ``vscode``). Outputs and execution counts are not touched.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KEEP_NOTEBOOK = {"greensilk", "greensilk_figures", "greensilk_reads_notebooks", "kernelspec", "language_info"}
KEEP_CELL = {"tags"}


def clean(nb: dict) -> dict:
    nb["metadata"] = {k: v for k, v in nb.get("metadata", {}).items() if k in KEEP_NOTEBOOK}
    for cell in nb.get("cells", []):
        cell["metadata"] = {k: v for k, v in cell.get("metadata", {}).items() if k in KEEP_CELL}
    return nb


def main(paths: list[str]) -> int:
    changed = []
    for name in paths:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        nb = json.loads(text)
        before = json.dumps(nb, sort_keys=True)
        nb = clean(nb)
        if json.dumps(nb, sort_keys=True) != before:
            # the notebook format's own layout (nbformat writes 1-space indent, keys sorted, trailing newline)
            path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
            changed.append(name)
    for name in changed:
        print(f"{name}: removed transient metadata (outputs kept)")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
