"""The build budget and how a benchmark result (book/benchmark.json, written by scripts/bench.py) is reported;
shared by the benchmark script and the Build status page."""

from __future__ import annotations

BUDGET = {
    "rebuild_over_clean": 0.10,  # no-change rebuild <= 10 % of a clean build
    "clean_over_floor_plus_sphinx": 2.0,  # clean build <= 2 x (floor + Sphinx's own time)
    "notebook_seconds": 5.0,  # each notebook (DEVELOPERS.md)
    "test_seconds": 19.0,  # make test after install: <= 60 % of version 0.2.0's 31.6 s on this machine
    "load_all_seconds": 2.0,  # loading and validating every dataset of the package, once each
    "fresh_clone_book_seconds": 30.0,  # git clone + make book (install included), when measured (--install)
    "largest_page_bytes": 2_000_000,
}


def check_budget(res: dict) -> dict:
    clean = res["clean_build"]["median_s"]
    # with execution off, a clean build runs no kernel: it is Sphinx's own time; the floor is what executing the
    # notebooks inside the build would add at least
    sphinx = clean
    out = {
        "no-change rebuild / clean build": (res["nochange_rebuild"]["median_s"] / clean, BUDGET["rebuild_over_clean"]),
        "clean build / (floor + Sphinx)": (
            clean / (res["floor_s"]["times_notebooks_s"] + sphinx),
            BUDGET["clean_over_floor_plus_sphinx"],
        ),
        "slowest notebook (s)": (max(n["median_s"] for n in res["notebooks"].values()), BUDGET["notebook_seconds"]),
        "make test (s)": (res["make_test"]["median_s"], BUDGET["test_seconds"]),
        "largest HTML page (bytes)": (res["largest_page"]["bytes"], BUDGET["largest_page_bytes"]),
    }
    if "load_all" in res:  # measured since version 0.3
        out["load every dataset (s)"] = (res["load_all"]["median_s"], BUDGET["load_all_seconds"])
    if "fresh_clone_book" in res:
        out["fresh clone: make book (s)"] = (res["fresh_clone_book"]["median_s"], BUDGET["fresh_clone_book_seconds"])
    return {k: {"value": round(v, 3), "limit": lim, "met": v <= lim} for k, (v, lim) in out.items()}


def markdown_table(res: dict) -> str:
    rows = [
        ("Clean HTML build", res["clean_build"]["median_s"]),
        ("No-change rebuild", res["nochange_rebuild"]["median_s"]),
        ("Rebuild after touching one notebook", res["touch_one_rebuild"]["median_s"]),
        ("Re-execute all notebooks", res["execute_all"]["median_s"]),
        ("nbval (strict)", res["nbval"]["median_s"]),
        ("make test", res["make_test"]["median_s"]),
        ("Floor: kernel + imports × notebooks", res["floor_s"]["times_notebooks_s"]),
    ]
    if "load_all" in res:
        rows.append(("Load every dataset, as a notebook does", res["load_all"]["median_s"]))
    if "load_all_full" in res:
        rows.append(("Load every dataset with full validation", res["load_all_full"]["median_s"]))
    if "pdf_build" in res:
        rows.append(("PDF build", res["pdf_build"]["median_s"]))
    if "install_s" in res:
        rows.append(("Install pinned environment (uv)", res["install_s"]))
    if "fresh_clone_book" in res:
        rows.append(("Fresh clone: make book (install included)", res["fresh_clone_book"]["median_s"]))
    lines = ["| Step | Seconds (median) |", "|---|---:|"] + [f"| {a} | {b:.1f} |" for a, b in rows]
    lines += ["", "| Notebook | Seconds | Peak memory (MiB) |", "|---|---:|---:|"]
    lines += [f"| {k} | {v['median_s']:.1f} | {v['peak_mib']:.0f} |" for k, v in res["notebooks"].items()]
    lines += ["", "| Budget | Value | Limit | Met |", "|---|---:|---:|---|"]
    lines += [
        f"| {k} | {v['value']:,} | {v['limit']:,} | {'yes' if v['met'] else 'NO'} |"
        for k, v in (res.get("budget") or check_budget(res)).items()
    ]
    lines += ["", f"Largest page: {res['largest_page']['page']} ({res['largest_page']['bytes']:,} bytes)"]
    return "\n".join(lines)
