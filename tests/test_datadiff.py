"""The data-changes helper on small tables: rows added, removed and changed on the primary key, columns added and
removed, values that only look different, and two versions of a package in a scratch git repository."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from greensilk.publishing.datadiff import Version, diff_tables, diff_versions, markdown

OLD = pd.DataFrame({"id": ["a", "b", "c"], "value": [1.0, 2.0, 3.0], "unit": ["t", "t", "t"]})


def test_rows_added_removed_and_changed_are_matched_on_the_key():
    new = pd.DataFrame({"id": ["c", "a", "d"], "value": [3.5, 1.0, 4.0], "unit": ["t", "kt", "t"]})
    d = diff_tables("x", OLD, new, ["id"])
    assert list(d.added["id"]) == ["d"]
    assert list(d.removed["id"]) == ["b"]
    changes = {(r.id, r.column): (r.old, r.new) for r in d.changed.itertuples()}
    assert changes == {("c", "value"): (3.0, 3.5), ("a", "unit"): ("t", "kt")}
    assert d.changed_rows == 2 and (d.rows_old, d.rows_new) == (3, 3)


def test_columns_added_and_removed_are_reported_not_counted_as_changed_values():
    new = OLD.drop(columns="unit").assign(tier="official")
    d = diff_tables("x", OLD, new, ["id"])
    assert d.columns_added == ["tier"] and d.columns_removed == ["unit"]
    assert d.changed.empty and d.added.empty and d.removed.empty and not d.is_empty


def test_reordered_rows_and_equal_numbers_are_not_changes():
    new = OLD.iloc[::-1].assign(value=[3, 2, 1])  # ints equal to the old floats
    assert diff_tables("x", OLD, new, ["id"]).is_empty


def test_missing_values_compare_equal_but_filling_one_is_a_change():
    old = OLD.assign(note=[None, "x", None])
    new = OLD.assign(note=[None, "x", "filled"])
    d = diff_tables("x", old, new, ["id"])
    assert [(r.id, r.column, r.new) for r in d.changed.itertuples()] == [("c", "note", "filled")]


def test_composite_key():
    old = pd.DataFrame({"iso": ["KAZ", "KAZ"], "year": [2020, 2021], "twh": [10.0, 11.0]})
    new = pd.DataFrame({"iso": ["KAZ", "KAZ"], "year": [2021, 2022], "twh": [11.5, 12.0]})
    d = diff_tables("gen", old, new, ["iso", "year"])
    assert d.added[["iso", "year"]].values.tolist() == [["KAZ", 2022]]
    assert d.removed[["iso", "year"]].values.tolist() == [["KAZ", 2020]]
    assert d.changed[["iso", "year", "old", "new"]].values.tolist() == [["KAZ", 2021, 11.0, 11.5]]


def test_without_a_key_whole_rows_are_compared():
    new = pd.concat([OLD.iloc[:2], pd.DataFrame({"id": ["c"], "value": [9.0], "unit": ["t"]})])
    d = diff_tables("x", OLD, new, None)
    assert len(d.added) == 1 and len(d.removed) == 1 and d.changed.empty


def test_a_duplicated_key_is_refused():
    with pytest.raises(ValueError, match="not unique"):
        diff_tables("x", OLD, pd.concat([OLD, OLD.iloc[:1]]), ["id"])


def _commit(repo, rows, fields):
    (repo / "data").mkdir(exist_ok=True)
    pd.DataFrame(rows).to_csv(repo / "data" / "t.csv", index=False)
    package = {
        "resources": [{"name": "t", "path": "t.csv", "format": "csv", "schema": {"fields": fields, "primaryKey": "id"}}]
    }
    (repo / "data" / "datapackage.json").write_text(json.dumps(package))
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v"], check=True
    )
    return subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_versions_are_read_from_git_commits_and_the_working_tree(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    first = _commit(tmp_path, {"id": ["a", "b"], "v": [1, 2]}, [{"name": "id"}, {"name": "v"}])
    second = _commit(tmp_path, {"id": ["a", "c"], "v": [5, 3]}, [{"name": "id"}, {"name": "v"}])
    pd.DataFrame({"id": ["a", "c"], "v": [5, 4]}).to_csv(tmp_path / "data" / "t.csv", index=False)  # uncommitted
    released = diff_versions(Version(tmp_path, first), Version(tmp_path, second))
    (t,) = released.tables
    assert (list(t.added["id"]), list(t.removed["id"])) == (["c"], ["b"])
    assert "`a`, `v`: 1 → 5" in markdown(released)
    (u,) = diff_versions(Version(tmp_path, second), Version(tmp_path, None)).tables
    assert u.changed[["id", "old", "new"]].values.tolist() == [["c", 3, 4]]
    with pytest.raises(FileNotFoundError, match="git show"):
        Version(tmp_path, "0" * 40)


def test_committed_data_changes_page_is_current():
    from .conftest import ROOT

    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "data_changes.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr + " (run: make data-changes)"


def test_long_texts_are_shown_around_their_first_difference():
    opening = "Computed from the report's data: stated 94.8 vs observed 94.82 (0.0% apart), within the tolerance; "
    old = pd.DataFrame({"id": ["c1"], "reason": [opening + "one source."]})
    new = pd.DataFrame({"id": ["c1"], "reason": [opening + "two sources agree."]})
    page = markdown(diff_versions_stub(old, new))
    assert "one source." in page and "two sources agree." in page


def diff_versions_stub(old, new):
    from greensilk.publishing.datadiff import PackageDiff

    return PackageDiff({}, {}, [diff_tables("claims", old, new, ["id"])])
