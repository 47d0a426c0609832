"""Where the project lives on disk, wherever a notebook or test is run from."""

from __future__ import annotations

import os
from pathlib import Path

_MARKER = Path("data") / "datapackage.json"


def project_root(start: Path | None = None) -> Path:
    """Return the report's root folder (the one holding ``data/datapackage.json``).

    ``GREENSILK_ROOT`` overrides the search (tests use it for fixture packages). Otherwise the current directory
    and its parents are searched, then the folders above this package (editable install).
    """
    env = os.environ.get("GREENSILK_ROOT")
    if env:
        return Path(env).resolve()
    candidates = [Path(start or Path.cwd()).resolve()]
    candidates += list(candidates[0].parents)
    here = Path(__file__).resolve()
    candidates += list(here.parents)
    for folder in candidates:
        if (folder / _MARKER).is_file():
            return folder
    raise FileNotFoundError(
        "Cannot find the report's data package (data/datapackage.json) in the current folder, its parents, "
        "or above the greensilk package. Run from inside the repository or set GREENSILK_ROOT."
    )


def data_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "data"
