"""The official trade series: importers (IMF DOTS, statistics offices, WITS), their flags, the unit checks, and the
helpers of greensilk.trade that work on them."""

from __future__ import annotations

import shutil

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from greensilk import DataValidationError, load, trade  # noqa: E402
from greensilk.importers import imf_dots, national_stats, wits  # noqa: E402

from .conftest import ROOT  # noqa: E402


# ---------------------------------------------------------------------------------------------- importers, synthetic
def test_dots_cell_keeps_the_estimate_marker():
    assert imf_dots.parse_cell("128.11 e") == (128.11, True)
    assert imf_dots.parse_cell("148.90000000000003") == (148.90000000000003, False)
    with pytest.raises(ValueError, match="neither a number"):
        imf_dots.parse_cell("n.a.")


def _dots(rows):
    cols = ["reporter_iso3", "partner_iso3", "flow", "year", "value", "estimate"]
    return pd.DataFrame(rows, columns=cols)


def test_partner_values_equal_to_chinas_scaled_by_the_margin_are_flagged_derived():
    frame = _dots(
        [
            ("CHN", "TKM", "exports", 2010, 100.0, False),
            ("CHN", "TKM", "imports", 2010, 530.0, False),
            ("TKM", "CHN", "imports", 2010, 106.0, False),  # = 100 x 1.06
            ("TKM", "CHN", "exports", 2010, 500.0, False),  # = 530 / 1.06
            ("CHN", "TKM", "exports", 2011, 100.0, False),
            ("TKM", "CHN", "imports", 2011, 107.0, False),  # 1 % off: the partner's own figure
            ("KAZ", "CHN", "imports", 2011, 50.0, True),  # no mirror value at all
        ]
    )
    derived = imf_dots.mirror_derived(frame)
    assert derived.tolist() == [False, False, True, True, False, False, False]
    flagged = imf_dots.flag(frame)
    assert flagged["flag"].tolist() == ["", "", "partner_derived", "partner_derived", "", "", "imf_estimate"]
    assert "1.06" in flagged.loc[2, "flag_reason"]


def test_latest_kazakh_release_wins(tmp_path):
    header = "sheet,period,unit,country,turnover,exports,imports\n"
    (tmp_path / "kaz_2019.csv").write_text(header + "12_2018,x,тыс. долларов США,Китай,3,1,2\n", encoding="utf-8")
    (tmp_path / "kaz_2020.csv").write_text(header + "12_2018,x,тыс. долларов США,Китай,30,10,20\n", encoding="utf-8")
    rows = pd.DataFrame(national_stats.kazakhstan(tmp_path)).set_index("flow")
    assert rows.loc["exports", "value"] == 10 and rows.loc["imports", "note"] == "release for 2020"


def test_a_national_table_in_another_unit_is_refused(tmp_path):
    text = "sheet,period,unit,country,turnover,exports,imports\n12_2018,x,млн. долларов США,Китай,3,1,2\n"
    (tmp_path / "kaz_2019.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="not thousand US dollars"):
        national_stats.kazakhstan(tmp_path)


def test_incomplete_years_are_those_with_far_fewer_lines():
    lines = pd.Series({2019: 940, 2020: 559, 2021: 600, 2023: 984, 2024: 998})
    assert wits.complete_years(lines).tolist() == [True, False, False, True, True]


# -------------------------------------------------------------------------------------------------- committed data
@pytest.fixture(scope="module")
def off():
    return trade.official(load("trade_imf_dots", root=ROOT), load("trade_national_stats", root=ROOT))


def test_turkmen_flag_agrees_with_the_identity_recomputed_from_the_values(off):
    dots = load("trade_imf_dots", root=ROOT)
    flagged = sorted(set(dots.loc[(dots["reporter_iso3"] == "TKM") & (dots["flag"] == "partner_derived"), "year"]))
    assert flagged == trade.identity_years(off, "TKM") == list(range(2004, 2020))
    assert all(trade.identity_years(off, c) == [] for c in ("KAZ", "KGZ", "TJK", "UZB"))


def test_flags_are_kept_not_dropped():
    dots = load("trade_imf_dots", root=ROOT)
    uzb = dots[dots["reporter_iso3"] == "UZB"]
    assert set(uzb["year"]) == set(range(1992, 2021))
    assert set(uzb.loc[uzb["flag"] == "implausible", "year"]) == set(range(2000, 2016))
    assert uzb.loc[uzb["year"] < 2000, "estimate"].all()
    assert (dots["flag_reason"].notna() == (dots["flag"].notna())).all()


def test_incomplete_wits_years_carry_no_sums_and_no_absent_lines():
    hs = load("trade_kaz_hs4", root=ROOT)
    bad = hs[~hs["year_complete"]]
    assert set(bad["year"]) == {2020, 2021, 2022}
    assert bad.loc[bad["basis"] == "derived_sum", "value"].isna().all()
    assert bad.loc[bad["hs"].isin(["8703", "8541", "8502"]), "value"].isna().all()
    assert (bad["status"] == "incomplete_extract").all()


def _slip(tmp_path, path, row, factor):
    """A copy of the data package with one value multiplied by ``factor`` (a unit slip)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    target = tmp_path / "data" / path
    frame = pd.read_csv(target, dtype=str, keep_default_na=False)
    frame.loc[row - 1, "value"] = repr(float(frame.loc[row - 1, "value"]) * factor)
    frame.to_csv(target, index=False, lineterminator="\n")
    return tmp_path


@pytest.mark.parametrize(
    ("path", "name", "row", "factor", "words"),
    [
        # a thousand-US$ figure typed into the million table: the schema maximum catches it
        ("trade/imf_dots.csv", "trade_imf_dots", 10, 1000, "above the maximum"),
        # a million-US$ figure typed into the thousand table (Kyrgyz 1994 exports): the schema minimum catches it
        ("trade/national_stats.csv", "trade_national_stats", 13, 0.001, "below the minimum"),
    ],
)
def test_the_schema_catches_a_value_in_the_wrong_unit(tmp_path, path, name, row, factor, words):
    root = _slip(tmp_path, path, row, factor)
    with pytest.raises(DataValidationError) as info:
        load(name, root=root, check_hash=False)
    message = str(info.value)
    assert f"data/{path}: row {row} (line {row + 1}), column 'value'" in message and words in message


@pytest.mark.parametrize(
    ("path", "row", "factor"),
    [
        ("trade/national_stats.csv", 3, 0.001),  # Kazakh 2020 exports entered in million: inside the schema bounds
        ("trade/imf_dots.csv", 300, 0.001),  # Tajik 2002 exports entered in thousand: inside the schema bounds
    ],
)
def test_the_magnitude_check_catches_what_the_bounds_cannot(tmp_path, path, row, factor):
    root = _slip(tmp_path, path, row, factor)
    dots = load("trade_imf_dots", root=root, check_hash=False)  # the schema lets both slips through
    nat = load("trade_national_stats", root=root, check_hash=False)
    with pytest.raises(DataValidationError) as info:
        trade.official(dots, nat)
    assert f"data/{path}: row {row} (line {row + 1}), column 'value'" in str(info.value)
    assert "wrong unit" in str(info.value)


def test_the_magnitude_check_names_the_slipped_row_only():
    frame = load("trade_imf_dots", root=ROOT).copy()
    frame.loc[39, "value"] *= 1000
    problems = trade.magnitude_problems(frame, "data/trade/imf_dots.csv")
    assert [(p.row, p.column) for p in problems] == [(40, "value")]


def test_the_committed_series_pass_the_magnitude_check_with_room_to_spare():
    for name in ("trade_imf_dots", "trade_national_stats"):
        frame = load(name, root=ROOT)
        assert trade.magnitude_problems(frame, name) == []
        # the same check with a factor ten times stricter still passes on the national tables
        if name == "trade_national_stats":
            strict = trade.MAGNITUDE_FACTOR
            try:
                trade.MAGNITUDE_FACTOR = 10
                assert trade.magnitude_problems(frame, name) == []
            finally:
                trade.MAGNITUDE_FACTOR = strict


# ------------------------------------------------------------------------------------------------------- helpers
def _off(rows):
    cols = ["reporter_iso3", "partner_iso3", "flow", "valuation", "year", "value", "unit", "estimate", "flag"]
    cols += ["flag_reason", "basis", "source_id"]
    return pd.DataFrame([(*r, "", "b", "s") for r in rows], columns=cols)


def test_official_puts_both_sides_in_million_and_names_the_direction_of_the_goods():
    dots = _off(
        [
            ("CHN", "KGZ", "exports", "fob", 2019, 6312.0, "million USD", False, ""),
            ("KGZ", "CHN", "imports", "cif", 2019, 1735.0, "million USD", False, ""),
        ]
    )
    nat = _off([("KGZ", "CHN", "imports", "not_stated", 2019, 1734970.5, "thousand USD", False, "")])
    out = trade.official(dots, nat)
    assert out["direction"].tolist() == ["china_to_partner"] * 3
    assert out["country_iso3"].tolist() == ["KGZ"] * 3
    assert out["usd_m"].tolist() == pytest.approx([6312.0, 1735.0, 1734.9705])
    pairs = trade.mirror_pairs(out)
    assert len(pairs) == 2 and pairs["ratio"].round(3).tolist() == [round(6312 / 1735, 3), round(6312 / 1734.9705, 3)]
    assert pairs["expected"].tolist() == pytest.approx([1 / 1.06] * 2)


def test_an_unknown_unit_is_refused_with_its_row():
    bad = _off([("CHN", "KGZ", "exports", "fob", 2019, 6.3, "billion USD", False, "")])
    with pytest.raises(trade.UnitError, match=r"imf_dots.csv: row 1, column 'unit'"):
        trade.official(bad, bad)


def test_turnover_needs_both_flows_and_only_some_flags_count():
    off = pd.DataFrame(
        {
            "country_iso3": ["KAZ", "KAZ", "KGZ", "TJK", "TJK"],
            "side": ["partner"] * 5,
            "basis": ["national_statistics"] * 5,
            "year": [2023] * 5,
            "direction": [
                "china_to_partner",
                "partner_to_china",
                "china_to_partner",
                "china_to_partner",
                "partner_to_china",
            ],
            "usd_m": [10.0, 5.0, 3.0, 1.0, 2.0],
            "flag": ["preliminary", "", "", "implausible", ""],
        }
    )
    t = trade.turnover(off).set_index("country_iso3")
    assert list(t.index) == ["KAZ", "TJK"]  # Kyrgyzstan has one flow only
    assert t.loc["KAZ", "usd_m"] == 15.0 and not t.loc["KAZ", "flagged"]  # preliminary is still the office's figure
    assert t.loc["TJK", "flagged"]


def test_region_total_only_in_years_with_all_five():
    rows = [(c, 2019, 1.0) for c in ("KAZ", "UZB", "KGZ", "TJK", "TKM")] + [("KAZ", 2020, 5.0)]
    turn = pd.DataFrame(rows, columns=["country_iso3", "year", "usd_m"]).assign(side="china", basis="imf_dots")
    assert trade.region_total(turn).to_dict("records") == [{"year": 2019, "usd_m": 5.0}]


def test_year_ranges():
    assert trade.year_ranges([2000, 1992, 1993, 1994, 2004, 2005]) == "1992–1994, 2000, 2004–2005"
    assert trade.year_ranges([]) == "none"


def test_flagged_values_do_not_fill_a_gap():
    turn = pd.DataFrame(
        {
            "country_iso3": ["TKM", "TKM"],
            "side": ["partner", "partner"],
            "basis": ["imf_dots", "imf_dots"],
            "year": [2019, 2020],
            "usd_m": [8.0, 5.0],
            "flagged": [True, False],
        }
    )
    gacc = pd.DataFrame(columns=["country_iso3", "direction", "year", "usd_m"])
    g = trade.gaps(turn, gacc, first=2019, last=2021).set_index(["country_iso3", "side"])
    assert g.loc[("TKM", "partner"), "missing"] == [2019, 2021]
    assert g.loc[("KAZ", "china"), "missing"] == [2019, 2020, 2021]


def test_fuel_share_uses_complete_years_only():
    hs = pd.DataFrame(
        {
            "flow": ["exports"] * 6,
            "year": [2019, 2019, 2019, 2020, 2020, 2020],
            "hs": ["27", "2711", "total", "27", "2711", "total"],
            "value": [300.0, 100.0, 1000.0, 9.0, 1.0, np.nan],
            "year_complete": [True, True, True, False, False, False],
        }
    )
    f = trade.fuel_share(hs)
    assert f["year"].tolist() == [2019] and f["fuel_share_pct"].tolist() == [30.0]
    assert f["gas_share_pct"].tolist() == [10.0]


def test_figures_draw_without_joining_bases():
    import matplotlib.pyplot as plt

    dots_total = pd.DataFrame({"year": [2019, 2020], "usd_m": [46000.0, 38000.0]})
    gacc_total = pd.DataFrame({"year": [2021, 2022], "usd_m": [49500.0, 70200.0]})
    fig = trade.totals_figure(dots_total, gacc_total)
    lines = [ln for ln in fig.axes[0].get_lines() if len(ln.get_xdata()) > 1 and ln.get_linestyle() != "--"]
    spans = sorted((min(ln.get_xdata()), max(ln.get_xdata())) for ln in lines)
    assert spans == [(2019, 2020), (2021, 2022)]  # two series, none crossing 2020 -> 2021
    plt.close(fig)


def test_gacc_quoted_keeps_chinas_full_years_from_2021_one_value_each():
    flows = trade.to_usd(
        pd.DataFrame(
            {
                "year": [2020, 2023, 2023, 2023, 2023],
                "period": ["year", "year", "year", "jan-jun", "year"],
                "partner_iso3": ["KAZ"] * 5,
                "flow": ["total"] * 5,
                "value": [21000.0, 41000.0, 41020.0, 20000.0, 30000.0],
                "qualifier": pd.array([None] * 5, dtype="string"),
                "currency": ["USD"] * 5,
                "reporter": ["china", "china", "china", "china", "partner"],
                "basis": ["reported"] * 5,
                "source_id": ["a", "b", "c", "d", "e"],
                "locator": ["p"] * 5,
            }
        ),
        pd.DataFrame({"year": [2023], "cny_per_usd": [7.0]}),
    )
    g = trade.gacc_quoted(flows)
    assert g[["year", "usd_m", "source_id", "basis"]].values.tolist() == [[2023, 41020.0, "c", "gacc_quoted"]]


def test_recent_mirror_pairs_customs_totals_with_the_statistics_office():
    turn = pd.DataFrame(
        {
            "country_iso3": ["KGZ", "KGZ"],
            "side": ["partner", "partner"],
            "basis": ["national_statistics", "imf_dots"],
            "year": [2023, 2020],
            "usd_m": [5000.0, 900.0],
            "flagged": [False, False],
        }
    )
    gacc = pd.DataFrame(
        {"country_iso3": ["KGZ"], "direction": ["total"], "year": [2023], "usd_m": [19800.0], "qualifier": [None]}
    )
    m = trade.recent_mirror(turn, gacc)
    assert m[["year", "ratio"]].values.tolist() == [[2023, pytest.approx(3.96)]]


def test_balance_is_chinas_exports_minus_imports_on_one_basis():
    off = pd.DataFrame(
        {
            "country_iso3": ["TKM", "TKM", "TKM"],
            "side": ["china", "china", "partner"],
            "basis": ["imf_dots"] * 3,
            "year": [2019] * 3,
            "direction": ["china_to_partner", "partner_to_china", "china_to_partner"],
            "usd_m": [431.0, 8686.0, 457.0],
        }
    )
    assert trade.balance(off)["balance_usd_m"].tolist() == [431.0 - 8686.0]
