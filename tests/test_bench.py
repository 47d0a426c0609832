"""The build budget check used by `make bench` and the Build status page."""

from __future__ import annotations

from greensilk.bench import BUDGET, check_budget, markdown_table


def _result(nochange=0.05, slowest=4.0, page=400_000, load_all=0.9):
    return {
        "clean_build": {"median_s": 14.0},
        "nochange_rebuild": {"median_s": nochange},
        "touch_one_rebuild": {"median_s": 9.0},
        "execute_all": {"median_s": 25.0},
        "nbval": {"median_s": 24.0},
        "make_test": {"median_s": 15.0},
        "load_all": {"median_s": load_all},
        "floor_s": {"one_kernel_s": 1.8, "times_notebooks_s": 10.8},
        "notebooks": {"a.ipynb": {"median_s": slowest, "peak_mib": 170.0}},
        "largest_page": {"page": "x.html", "bytes": page},
    }


def test_budget_is_met_or_named_when_missed():
    ok = check_budget(_result())
    assert all(v["met"] for v in ok.values())
    missed = check_budget(_result(nochange=4.8, slowest=12.0, page=3_000_000, load_all=2.5))
    assert not missed["load every dataset (s)"]["met"]
    assert not missed["no-change rebuild / clean build"]["met"]
    assert not missed["slowest notebook (s)"]["met"]
    assert not missed["largest HTML page (bytes)"]["met"]
    assert missed["make test (s)"]["limit"] == BUDGET["test_seconds"]


def test_markdown_table_lists_steps_notebooks_and_budget():
    text = markdown_table(_result())
    assert "| No-change rebuild | 0.1 |" in text or "| No-change rebuild | 0.0 |" in text
    assert "| a.ipynb | 4.0 | 170 |" in text
    assert "| slowest notebook (s) |" in text and "yes" in text
    assert "| Load every dataset, as a notebook does | 0.9 |" in text
    assert "fresh clone" not in text  # only shown when measured (make bench BENCHFLAGS=--install)
    fresh = markdown_table({**_result(), "fresh_clone_book": {"median_s": 24.0}})
    assert "| Fresh clone: make book (install included) | 24.0 |" in fresh
    assert "| fresh clone: make book (s) | 24.0 | 30.0 | yes |" in fresh
