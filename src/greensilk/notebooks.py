"""Execute the chapter notebooks in place, deterministically, and check that none is stale.

A notebook is *stale* when the data package or the helper package changed after it was executed: its stored
outputs (which the book shows) may no longer follow from the data. Each execution stamps the notebook's metadata
with a digest of those inputs; ``make book`` and the tests refuse stale notebooks.

Usage::

    python -m greensilk.notebooks execute [NOTEBOOK ...]   # all of notebooks/*.ipynb by default
    python -m greensilk.notebooks check
    python -m greensilk.notebooks repro                    # execute twice; fail unless byte-identical to the commit
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

import nbformat

from greensilk.paths import project_root

STAMP_KEY = "greensilk"
# modules that shape the book or measure the build, not the notebooks' outputs: changing them does not make the
# notebooks stale
NOT_INPUTS = {"sphinxext.py", "bench.py"}
STATUS_FILE = Path("_build") / "status" / "execution.json"


def notebook_paths(root: Path | None = None) -> list[Path]:
    root = root or project_root()
    return sorted((root / "notebooks").glob("*.ipynb"))


def inputs_digest(root: Path | None = None) -> str:
    """sha256 over the data package descriptor (which holds every data file's hash) and the helper package."""
    root = root or project_root()
    h = hashlib.sha256()
    files = [root / "data" / "datapackage.json"]
    files += sorted(p for p in (root / "src" / "greensilk").glob("*.py") if p.name not in NOT_INPUTS)
    for path in files:
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes().replace(b"\r\n", b"\n"))
        h.update(b"\0")
    return h.hexdigest()


def execute(paths: list[Path], root: Path | None = None, workers: int | None = None) -> dict[str, float]:
    """Run each notebook top to bottom in its own folder and save it in place with an inputs stamp.

    Notebooks run in parallel, one kernel each, on as many workers as the machine has cores (``workers``); each
    writes only its own notebook and figure data, and execution is deterministic, so the order does not matter.
    """
    from concurrent.futures import ThreadPoolExecutor

    root = root or project_root()
    digest = inputs_digest(root)
    # a notebook that reads other notebooks' glued values (the key findings) runs after them
    later = [p for p in paths if nbformat.read(p, as_version=4).metadata.get("greensilk_reads_notebooks")]
    times = {}
    for wave in ([p for p in paths if p not in later], later):
        with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            times.update(zip((p.name for p in wave), pool.map(lambda p: _execute_one(p, digest), wave), strict=True))
    for path in paths:
        print(f"executed {path.relative_to(root)} in {times[path.name]:.1f} s")
    record_times(times, "make notebooks", root)
    return times


def _execute_one(path: Path, digest: str) -> float:
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", record_timing=False, resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    client.execute()
    seconds = round(time.perf_counter() - start, 2)
    nb.metadata[STAMP_KEY] = {"inputs_sha256": digest}
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return seconds


def record_times(times: dict[str, float], measured_by: str, root: Path | None = None) -> None:
    """Keep the latest execution times (untracked, under _build/) for the Build status page."""
    root = root or project_root()
    path = root / STATUS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"measured_by": measured_by, "unix_time": int(time.time()), "seconds": times}
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def stale(root: Path | None = None) -> list[str]:
    """Problems with the committed notebooks: unexecuted code cells or outputs older than the inputs."""
    root = root or project_root()
    digest = inputs_digest(root)
    problems = []
    for path in notebook_paths(root):
        nb = nbformat.read(path, as_version=4)
        name = path.relative_to(root).as_posix()
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and cell.source.strip() and cell.get("execution_count") is None:
                problems.append(f"{name}: code cell {index} has not been executed; run `make notebooks`")
                break
        stamp = nb.metadata.get(STAMP_KEY, {}).get("inputs_sha256")
        if stamp != digest:
            problems.append(
                f"{name}: executed against other data or helpers than the current ones; run `make notebooks`"
            )
    return problems


def _fingerprint(root: Path) -> dict[str, str]:
    """sha256 of every notebook and figure-data file (what execution writes)."""
    files = notebook_paths(root) + sorted((root / "notebooks" / "figdata").glob("*.csv"))
    files += sorted((root / "notebooks" / "figdata").glob("*.png"))
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def reproducibility(root: Path | None = None, seeds=("1", "2")) -> list[str]:
    """Execute every notebook twice, in fresh kernels with different hash seeds, and compare the written files
    byte for byte with each other and with the committed ones. Returns the files that differ."""
    root = root or project_root()
    committed = _fingerprint(root)
    runs = []
    saved = os.environ.get("PYTHONHASHSEED")
    try:
        for seed in seeds:
            os.environ["PYTHONHASHSEED"] = seed  # inherited by the kernels, so set-iteration order changes
            execute(notebook_paths(root), root)
            runs.append(_fingerprint(root))
    finally:
        if saved is None:
            os.environ.pop("PYTHONHASHSEED", None)
        else:
            os.environ["PYTHONHASHSEED"] = saved
    names = sorted(set(committed).union(*runs))
    return [n for n in names if len({committed.get(n), *(r.get(n) for r in runs)}) != 1]


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "execute":
        paths = [Path(p).resolve() for p in argv[2:]] or notebook_paths()
        execute(paths)
        return 0
    if command == "repro":
        differ = reproducibility()
        for name in differ:
            print(f"not reproducible: {name}", file=sys.stderr)
        print("notebooks reproduce byte for byte" if not differ else f"{len(differ)} files differ")
        return 1 if differ else 0
    if command == "check":
        problems = stale()
        for p in problems:
            print(p, file=sys.stderr)
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
