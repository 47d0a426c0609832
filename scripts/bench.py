#!/usr/bin/env python3
"""Benchmark the report's pipeline on this machine and check it against the build budget.

    python scripts/bench.py [--repeat 3] [--no-pdf] [--install]     # via `make bench`

Measures (median of --repeat runs each): a clean HTML build, a no-change rebuild, a rebuild after touching one
notebook, re-executing all notebooks, the strict nbval run, the PDF build; per notebook its execution time and the
kernel's peak memory; the floor (starting a kernel and importing the stack, times the number of notebooks); with
--install, the time to install the pinned environment into a fresh venv with uv and a fresh clone's `make book`;
the time to load and validate every dataset; and the size of the largest HTML page.
Prints a Markdown table and writes book/benchmark.json, which the Build status page shows.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from greensilk.bench import check_budget, markdown_table

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OUT = ROOT / "book" / "benchmark.json"


def run(cmd: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    return time.perf_counter() - start


def median_of(repeat: int, prepare, cmd: list[str]) -> dict:
    times = []
    for _ in range(repeat):
        if prepare:
            prepare()
        times.append(run(cmd))
    return {"median_s": round(statistics.median(times), 2), "runs_s": [round(t, 2) for t in times]}


def clear_html():
    shutil.rmtree(ROOT / "_build" / "html", ignore_errors=True)
    shutil.rmtree(ROOT / "_build" / ".doctrees", ignore_errors=True)


MAKE_BOOK = ["make", "book"]  # what a reader runs: make skips Sphinx entirely when no input changed

NOTEBOOK_PROBE = r"""
import resource, sys, time, nbformat
from nbclient import NotebookClient
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
start = time.perf_counter()
NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
               resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}}).execute()
elapsed = time.perf_counter() - start
# the kernel is a child of this process and has been waited for: its peak memory is in RUSAGE_CHILDREN
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

FLOOR_CELL = "import greensilk, pandas, geopandas, matplotlib.pyplot, seaborn, myst_nb, shapely, pyproj"


def notebook_profile(path: Path, repeat: int) -> dict:
    """Execute one notebook (in a copy, so the committed file is untouched) in a fresh process."""
    times, peaks = [], []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        shutil.copy(path, copy)
        # figure CSVs are written relative to the project, so run from the notebooks folder via the same path
        for _ in range(repeat):
            out = subprocess.run(
                [sys.executable, "-c", NOTEBOOK_PROBE, str(path)], cwd=ROOT, check=True, capture_output=True, text=True
            ).stdout.split()
            times.append(float(out[0]))
            peaks.append(int(out[1]) / 1024)  # KiB -> MiB
    return {"median_s": round(statistics.median(times), 2), "peak_mib": round(max(peaks), 1)}


def floor_seconds(repeat: int) -> float:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "floor.ipynb"
        nbformat.write(
            new_notebook(
                cells=[new_code_cell(FLOOR_CELL)],
                metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            ),
            path,
        )
        times = []
        for _ in range(repeat):
            out = subprocess.run(
                [sys.executable, "-c", NOTEBOOK_PROBE, str(path)], cwd=ROOT, check=True, capture_output=True, text=True
            ).stdout.split()
            times.append(float(out[0]))
    return round(statistics.median(times), 2)


LOAD_PROBE = r"""
import sys, time
from greensilk import load, load_package
start = time.perf_counter()
for resource in load_package()["resources"]:
    load(resource["name"], full=sys.argv[1] == "full")
print(time.perf_counter() - start)
"""


def load_all(repeat: int, mode: str = "notebook") -> dict:
    """Load every dataset once, in a fresh process (imports excluded: a notebook has them already); ``mode``
    "notebook" as a notebook loads (validated files trusted while unchanged), "full" validating every file."""
    times = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", LOAD_PROBE, mode], cwd=ROOT, check=True, capture_output=True, text=True
        )
        times.append(float(out.stdout.split()[-1]))
    return {"median_s": round(statistics.median(times), 2), "runs_s": [round(t, 2) for t in times]}


def fresh_clone(target: str, repeat: int) -> dict:
    """A new user's first `make <target>` in a git clone of the committed HEAD (`install`: the pinned environment
    into a new .venv; `book`: install included)."""
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["git", "clone", "-q", str(ROOT), f"{tmp}/clone"], check=True)
            start = time.perf_counter()
            subprocess.run(["make", target], cwd=f"{tmp}/clone", check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    return {"median_s": round(statistics.median(times), 2), "runs_s": [round(t, 2) for t in times]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--install", action="store_true", help="also time installing the pinned environment")
    args = parser.parse_args()
    r = args.repeat
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    results: dict = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "repeat": r,
    }
    print("measuring the floor (kernel start + imports) ...", file=sys.stderr)
    floor_one = floor_seconds(r)
    results["floor_s"] = {"one_kernel_s": floor_one, "times_notebooks_s": round(floor_one * len(notebooks), 2)}
    print("measuring the HTML builds ...", file=sys.stderr)
    results["clean_build"] = median_of(r, clear_html, MAKE_BOOK)
    results["nochange_rebuild"] = median_of(r, None, MAKE_BOOK)
    touched = ROOT / "notebooks" / "00_region.ipynb"
    results["touch_one_rebuild"] = median_of(r, lambda: touched.touch(), MAKE_BOOK)
    print("measuring notebook execution ...", file=sys.stderr)
    results["execute_all"] = median_of(r, None, [sys.executable, "-m", "greensilk.notebooks", "execute"])
    results["notebooks"] = {p.name: notebook_profile(p, r) for p in notebooks}
    print("measuring the nbval run and make test ...", file=sys.stderr)
    results["nbval"] = median_of(r, None, [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "notebooks"])
    results["make_test"] = median_of(r, None, ["make", "test"])
    print("measuring loading every dataset ...", file=sys.stderr)
    results["load_all"] = load_all(r)
    results["load_all_full"] = load_all(r, "full")
    if not args.no_pdf and shutil.which("xelatex"):
        print("measuring the PDF build ...", file=sys.stderr)
        results["pdf_build"] = median_of(r, None, ["make", "pdf", "JBFLAGS=-W -n --keep-going --all --quiet"])
        clear_html()  # the PDF build changes Sphinx's shared environment; leave a consistent HTML build behind
        run(MAKE_BOOK)
    if args.install:
        print("measuring the install ...", file=sys.stderr)
        results["install_s"] = fresh_clone("install", r)["median_s"]
        print("measuring a fresh clone's make book ...", file=sys.stderr)
        results["fresh_clone_book"] = fresh_clone("book", r)
    pages = sorted((ROOT / "_build" / "html").rglob("*.html"), key=lambda p: p.stat().st_size)
    results["largest_page"] = {
        "page": pages[-1].relative_to(ROOT / "_build" / "html").as_posix(),
        "bytes": pages[-1].stat().st_size,
    }
    results["budget"] = check_budget(results)
    results["measured_at_unix"] = int(time.time())
    OUT.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(markdown_table(results))
    return 0 if all(b["met"] for b in results["budget"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
