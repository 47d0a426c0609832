"""The report's own data package: standard-valid, loadable, hashed, catalogued, and fully sourced."""

from __future__ import annotations

import pytest
from frictionless import Package

from greensilk import load, load_package, package_tools
from greensilk.data import resource_path

from .conftest import ROOT

PACKAGE = load_package(ROOT)
NAMES = [r["name"] for r in PACKAGE["resources"]]


def test_frictionless_validate_passes():
    report = Package(str(ROOT / "data" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_package_is_current():
    # hashes match the files, the version matches the package, and the catalogue page matches the descriptor
    assert package_tools.check(ROOT) == []


@pytest.mark.parametrize("name", NAMES)
def test_resource_loads_and_is_documented(name):
    frame = load(name, root=ROOT)
    assert len(frame) > 0
    res = next(r for r in PACKAGE["resources"] if r["name"] == name)
    for key in ("title", "description", "licenses", "hash", "bytes"):
        assert res.get(key), f"resource {name} lacks {key}"
    assert res["hash"].startswith("sha256:")
    assert res["bytes"] == resource_path(res, PACKAGE).stat().st_size
    schema = res.get("schema") or res["x_properties_schema"]
    for field in schema["fields"]:
        assert field.get("description"), f"{name}.{field['name']} has no description"


@pytest.mark.parametrize("name", [n for n in NAMES if n != "sources"])
def test_every_row_is_sourced_and_listed(name):
    frame = load(name, root=ROOT)
    res = next(r for r in PACKAGE["resources"] if r["name"] == name)
    if "x_sources_via" in res:
        # rows coded by the report from another dataset's rows, which carry the sources (e.g. parties of outcomes)
        via = res["x_sources_via"]
        parent = load(via["resource"], root=ROOT).set_index(via["fields"])
        assert frame[via["fields"]].isin(parent.index).all()
        return
    column = next((c for c in ("source_id", "source_ids", "article_source_id") if c in frame.columns), None)
    assert column, f"{name} has no source column"
    unsourced = frame[frame[column].isna()]
    if res.get("x_unsourced_rows_are_gaps"):
        # an edition nobody reports stays visible as a row, but it may hold nothing but its identity
        identity = set(res["x_unsourced_rows_are_gaps"])
        data = unsourced.drop(columns=[c for c in frame.columns if c in identity or c == column])
        assert data.isna().all().all(), f"{name}: unsourced rows hold data:\n{data.dropna(how='all', axis=1)}"
    else:
        assert unsourced.empty, f"{name}: rows without a source: {list(unsourced.index + 1)}"
    listed = {s["x_source_id"] for s in res["sources"]}
    used = set(package_tools.used_source_ids(frame))
    assert used <= listed, f"{name}: rows cite {used - listed} but the descriptor's sources do not list them"
    known = set(load("sources", root=ROOT)["source_id"])
    assert listed <= known, f"{name}: descriptor lists unknown sources {listed - known}"


def test_countries_cover_the_region():
    countries = load("countries", root=ROOT)
    roles = dict(zip(countries["iso_a3"], countries["role"], strict=True))
    assert {c for c, r in roles.items() if r == "focus"} == {"KAZ", "UZB", "KGZ", "TJK", "TKM"}
    assert roles["CHN"] == "reference"
    for neighbour in ("AFG", "IRN", "MNG", "PAK", "RUS"):
        assert roles[neighbour] == "neighbour"
    # the focus countries and China are whole; Russia is clipped to the regional frame
    clipped = dict(zip(countries["iso_a3"], countries["clipped"], strict=True))
    assert not any(clipped[c] for c in ("KAZ", "UZB", "KGZ", "TJK", "TKM", "CHN"))
    assert clipped["RUS"]
    assert countries.total_bounds[2] <= 136.0 and countries.total_bounds[3] <= 57.0
