"""Every kind of bad input the data layer rejects, each with a message naming file, row and column."""

from __future__ import annotations

import json

import pytest

from greensilk import DataValidationError, load
from greensilk.data import KINDS


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _error(root, name="obs", **kwargs):
    with pytest.raises(DataValidationError) as info:
        load(name, root=root, **kwargs)
    return info.value


def test_fixture_package_is_valid(mini_root):
    obs = load("obs", root=mini_root)
    assert list(obs["obs_id"]) == ["o-1", "o-2", "o-3", "o-4"]
    assert obs["value"].dtype == "float64"
    assert str(obs["year"].dtype) == "Int64"
    assert obs.loc[1, "note"] == "a note, with a comma"
    shapes = load("shapes", root=mini_root)
    assert shapes.crs.to_epsg() == 4326 and len(shapes) == 2


def test_unknown_dataset(mini_root):
    err = _error(mini_root, name="no_such_table")
    assert err.kinds == ["unknown_dataset"]
    assert "no dataset named 'no_such_table'" in str(err) and "obs" in str(err)


def test_missing_file(mini_root):
    (mini_root / "data" / "obs.csv").unlink()
    err = _error(mini_root)
    assert err.kinds == ["missing_file"]
    assert "data/obs.csv: file not found" in str(err)


def test_missing_column(mini_root):
    _replace(mini_root / "data" / "obs.csv", "observed_on,", "")
    err = _error(mini_root)
    assert err.kinds == ["header"]
    assert "data/obs.csv" in str(err) and "missing column(s) ['observed_on']" in str(err)


def test_wrong_type(mini_root):
    _replace(mini_root / "data" / "obs.csv", "o-2,1960,whole,level,53.4", "o-2,1960,whole,level,53,4")
    err = _error(mini_root)  # the extra comma makes a row with one cell too many
    assert "data/obs.csv: row 2 (line 3)" in str(err) and "has 10 cells" in str(err)
    _replace(mini_root / "data" / "obs.csv", "53,4", "about 53")
    err = _error(mini_root)
    assert err.kinds == ["type"]
    assert "data/obs.csv: row 2 (line 3), column 'value': 'about 53' is not a number" in str(err)


def test_bad_date(mini_root):
    _replace(mini_root / "data" / "obs.csv", "2010-08-15", "2010-13-15")
    err = _error(mini_root)
    assert err.kinds == ["type"]
    assert "row 4 (line 5), column 'observed_on': '2010-13-15' is not a date (YYYY-MM-DD)" in str(err)


def test_missing_required_value(mini_root):
    _replace(mini_root / "data" / "obs.csv", "o-3,2010,north", "o-3,,north")
    err = _error(mini_root)
    assert err.kinds == ["required"]
    assert "data/obs.csv: row 3 (line 4), column 'year': a value is required" in str(err)


def test_unknown_category(mini_root):
    _replace(mini_root / "data" / "obs.csv", "o-4,2010,south", "o-4,2010,east")
    err = _error(mini_root)
    assert err.kinds == ["enum"]
    assert "row 4 (line 5), column 'water_body': 'east' is not one of the allowed values" in str(err)


def test_value_out_of_range(mini_root):
    _replace(mini_root / "data" / "obs.csv", "68900", "689000")
    err = _error(mini_root)
    assert err.kinds == ["range"]
    assert "row 1 (line 2), column 'value': 689000 see unit is above the maximum of 100000" in str(err)


def test_pattern(mini_root):
    _replace(mini_root / "data" / "obs.csv", "o-4,", "obs4,")
    err = _error(mini_root)
    assert err.kinds == ["pattern"]
    assert "row 4 (line 5), column 'obs_id': 'obs4' does not match" in str(err)


def test_duplicate_key(mini_root):
    _replace(mini_root / "data" / "obs.csv", "o-4,", "o-2,")
    err = _error(mini_root)
    assert err.kinds == ["duplicate_key"]
    assert "row 4 (line 5), column 'obs_id': duplicate key (o-2); first used in row 2" in str(err)


def test_unknown_source_id(mini_root):
    _replace(mini_root / "data" / "obs.csv", "2010-08-15,src_b", "2010-08-15,src_zz")
    err = _error(mini_root, check_hash=False)
    assert err.kinds == ["foreign_key"]
    assert "row 4 (line 5), column 'source_id': 'src_zz' is not a known source_id in dataset 'sources'" in str(err)


def test_changed_number_is_located_by_checksum(mini_root):
    # a plausible value passes the schema; the checksum still catches it and names the cell
    _replace(mini_root / "data" / "obs.csv", "9900", "9800")
    err = _error(mini_root)
    assert err.kinds == ["hash_mismatch"]
    assert "data/obs.csv: row 4 (line 5), column 'value': value differs from the recorded checksum (now '9800')" in str(
        err
    )


def test_added_row_is_reported_by_checksum(mini_root):
    with (mini_root / "data" / "obs.csv").open("a", encoding="utf-8") as f:
        f.write("o-5,2020,north,area,3200,km2,,src_a,\n")
    err = _error(mini_root)
    assert err.kinds == ["hash_mismatch"]
    assert "has 5 data rows, the recorded checksum was made with 4" in str(err)


def test_invalid_geometry(mini_root):
    path = mini_root / "data" / "shapes.geojson"
    doc = json.loads(path.read_text())
    doc["features"][1]["geometry"]["coordinates"] = [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]  # a bow-tie
    path.write_text(json.dumps(doc))
    err = _error(mini_root, name="shapes")
    assert err.kinds == ["geometry"]
    assert "data/shapes.geojson: row 2, column 'geometry': invalid geometry (Self-intersection" in str(err)


def test_geojson_property_type(mini_root):
    path = mini_root / "data" / "shapes.geojson"
    _replace(path, '"epoch":2010', '"epoch":"twenty-ten"')
    err = _error(mini_root, name="shapes")
    assert err.kinds == ["type"]
    assert "data/shapes.geojson: row 2, column 'epoch': 'twenty-ten' is not a year" in str(err)


def test_many_problems_are_all_listed(mini_root):
    _replace(mini_root / "data" / "obs.csv", "o-1,1960,whole", "o-1,1800,lake")
    err = _error(mini_root)
    assert sorted(err.kinds) == ["enum", "range"]
    assert str(err).startswith("2 problems in the data package:")


def test_every_kind_is_demonstrated():
    demonstrated = {
        "unknown_dataset", "missing_file", "header", "type", "required", "enum", "range", "pattern",
        "duplicate_key", "foreign_key", "hash_mismatch", "geometry", "empty", "encoding",
    }  # fmt: skip
    assert set(KINDS) == demonstrated


def test_unknown_key_in_a_list_of_sources(mini_root):
    # energy_projects cites several sources per row ("a;b"); each must exist in the sources dataset
    (mini_root / "data" / "multi.csv").write_text("item_id,source_ids\ni-1,src_a;src_b\ni-2,src_a;src_x\ni-3,src_a;\n")
    descriptor = mini_root / "data" / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    package["resources"].append(
        {
            "name": "multi",
            "path": "multi.csv",
            "format": "csv",
            "schema": {
                "fields": [
                    {"name": "item_id", "type": "string", "constraints": {"required": True}},
                    {"name": "source_ids", "type": "string", "constraints": {"required": True}},
                ],
                "x_listForeignKeys": [
                    {
                        "fields": "source_ids",
                        "separator": ";",
                        "reference": {"resource": "sources", "fields": "source_id"},
                    }
                ],
            },
        }
    )
    descriptor.write_text(json.dumps(package), encoding="utf-8")
    err = _error(mini_root, name="multi", check_hash=False)
    assert err.kinds == ["foreign_key", "foreign_key"]
    assert "data/multi.csv: row 2 (line 3), column 'source_ids': 'src_x' not known" in str(err)
    assert "row 3 (line 4), column 'source_ids': an empty entry" in str(err)


# ------------------------------------------------------------------- kinds of bad input that official statistics bring
def test_thousands_separator(mini_root):
    _replace(mini_root / "data" / "obs.csv", "68900", '"68,900"')
    err = _error(mini_root)
    assert err.kinds == ["type"]
    assert "row 1 (line 2), column 'value': '68,900' is not a number (it has a thousands separator" in str(err)


def test_unit_suffix(mini_root):
    _replace(mini_root / "data" / "obs.csv", "3300", "3300 km2")
    err = _error(mini_root)
    assert err.kinds == ["type"]
    assert "row 3 (line 4), column 'value': '3300 km2' is not a number (it has a unit suffix" in str(err)


def test_wrong_unit_scale(mini_root):
    # 68,900 km2 entered in m2-like thousands: the schema's maximum catches the scale and says so
    _replace(mini_root / "data" / "obs.csv", "68900", "68900000")
    err = _error(mini_root)
    assert err.kinds == ["range"]
    assert "row 1 (line 2), column 'value': 68900000 see unit is above the maximum of 100000" in str(err)
    assert "unit-scale mix-up" in str(err)


def test_byte_order_mark(mini_root):
    path = mini_root / "data" / "obs.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    err = _error(mini_root)
    assert err.kinds == ["encoding"]
    assert "data/obs.csv: starts with a UTF-8 byte-order mark" in str(err)


def test_not_utf8(mini_root):
    path = mini_root / "data" / "obs.csv"
    path.write_bytes(path.read_bytes().replace(b"a note", "\u00e9t\u00e9".encode("latin-1")))
    err = _error(mini_root)
    assert err.kinds == ["encoding"]
    assert "data/obs.csv: is not UTF-8" in str(err)


def test_duplicated_header(mini_root):
    _replace(mini_root / "data" / "obs.csv", "value,unit,", "value,value,")
    err = _error(mini_root)
    assert err.kinds == ["header"]
    assert "duplicated column(s) ['value']; missing column(s) ['unit']" in str(err)


def test_wrong_delimiter(mini_root):
    path = mini_root / "data" / "obs.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    err = _error(mini_root)
    assert err.kinds == ["header"]
    assert "seems to use ';' as delimiter" in str(err)


def test_empty_file(mini_root):
    (mini_root / "data" / "obs.csv").write_bytes(b"")
    err = _error(mini_root)
    assert err.kinds == ["empty"]
    assert "data/obs.csv: the file is empty" in str(err)


def test_blank_row(mini_root):
    _replace(mini_root / "data" / "obs.csv", "o-3,", ",,,,,,,,\no-3,")
    err = _error(mini_root)
    assert err.kinds == ["empty"]
    assert "data/obs.csv: row 3 (line 4): the row is blank" in str(err)


def test_multiline_cell_reports_the_right_line(mini_root):
    _replace(mini_root / "data" / "obs.csv", '"a note, with a comma"', '"a note,\nover two lines"')
    _replace(mini_root / "data" / "obs.csv", "o-3,2010,north,area,3300", "o-3,2010,north,area,lots")
    err = _error(mini_root)
    assert "data/obs.csv: row 3 (line 5), column 'value': 'lots' is not a number" in str(err)


def test_a_failed_load_changes_nothing_in_data(mini_root):
    before = {p: p.read_bytes() for p in (mini_root / "data").rglob("*") if p.is_file()}
    _replace(mini_root / "data" / "obs.csv", "68900", "689000")
    before[mini_root / "data" / "obs.csv"] = (mini_root / "data" / "obs.csv").read_bytes()
    _error(mini_root)
    after = {p: p.read_bytes() for p in (mini_root / "data").rglob("*") if p.is_file()}
    assert after == before


# ------------------------------------------------------------------- validated once, trusted until anything changes
def test_an_unchanged_file_is_not_validated_again(mini_root, monkeypatch):
    from greensilk import data

    def refuse(*args):
        raise AssertionError("validated again")

    monkeypatch.setattr(data, "_frictionless_errors", refuse)
    assert len(load("obs", root=mini_root)) == 4  # the stamp written by `make data` matches: no validation
    with pytest.raises(AssertionError, match="validated again"):
        load("obs", root=mini_root, full=True)


def test_a_schema_change_alone_triggers_validation(mini_root):
    # the file is unchanged, but a tighter maximum in the descriptor must be checked, not trusted
    _replace(mini_root / "data" / "datapackage.json", '"maximum": 100000', '"maximum": 50000')
    err = _error(mini_root)
    assert err.kinds == ["range"]
    assert "row 1 (line 2), column 'value': 68900 see unit is above the maximum of 50000" in str(err)


def test_a_change_in_a_linked_dataset_triggers_validation(mini_root):
    # obs.csv is unchanged, but the source it cites disappears from sources.csv
    path = mini_root / "data" / "sources.csv"
    path.write_text("\n".join(line for line in path.read_text().splitlines() if not line.startswith("src_b")) + "\n")
    err = _error(mini_root, check_hash=True)
    assert "foreign_key" in err.kinds


def test_the_book_builds_check_trusts_stamps_but_catches_an_edit(mini_root, monkeypatch):
    # `make book` runs check(full=False): unchanged datasets are not validated again, an edited one is, and a
    # valid edit that `make data` has not re-hashed is still refused
    from greensilk import data, package_tools

    package_tools.write_catalogue(mini_root)
    calls = []
    real = data._frictionless_errors
    monkeypatch.setattr(data, "_frictionless_errors", lambda *a: calls.append(a[0]["name"]) or real(*a))
    assert package_tools.check(mini_root, full=False) == [] and calls == []
    _replace(mini_root / "data" / "obs.csv", "68900", "68901")
    problems = package_tools.check(mini_root, full=False)
    assert calls == ["obs"] and len(problems) == 1 and "obs.csv" in problems[0], problems
    assert package_tools.check(mini_root) == problems  # the full check (the tests') finds the same
