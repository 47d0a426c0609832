"""The trade chapter's calculations (greensilk.trade) and checks of the trade datasets."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from greensilk import load, trade  # noqa: E402

from .conftest import ROOT  # noqa: E402


def _rows(rows):
    cols = [
        "year",
        "period",
        "partner_iso3",
        "flow",
        "value",
        "qualifier",
        "currency",
        "reporter",
        "basis",
        "source_id",
    ]
    frame = pd.DataFrame(rows, columns=cols)
    frame["qualifier"] = frame["qualifier"].astype("string")
    return frame


FX = pd.DataFrame({"year": [2013], "cny_per_usd": [6.25]})


def test_yuan_is_converted_only_with_that_years_rate():
    t = trade.to_usd(
        _rows(
            [
                (2013, "year", "C5", "total", 312.5, None, "CNY", "china", "reported", "a"),
                (2024, "year", "C5", "total", 674.0, None, "CNY", "china", "reported", "a"),
            ]
        ),
        FX,
    )
    assert t.loc[0, "usd_m"] == pytest.approx(50.0) and bool(t.loc[0, "converted"])
    assert pd.isna(t.loc[1, "usd_m"]) and not bool(t.loc[1, "converted"])


def test_pick_prefers_exact_first_hand_and_precise_values():
    t = trade.to_usd(
        _rows(
            [
                (2024, "year", "C5", "total", 95000.0, "more_than", "USD", "china", "reported", "a"),
                (2024, "year", "C5", "total", 94800.0, None, "USD", "china", "reported", "b"),
                (2024, "year", "C5", "total", 94820.0, None, "USD", "china", "reported", "c"),
                (2024, "year", "C5", "total", 94823.0, None, "USD", "china", "derived_by_source", "d"),
            ]
        ),
        FX,
    )
    assert trade.pick(t)["source_id"] == "c"


def test_growth_only_between_consecutive_years():
    g = trade.growth(pd.DataFrame({"year": [2012, 2013, 2020, 2021], "usd_m": [40.0, 50.0, 38.0, 49.4]}))
    assert g["growth_pct"].isna().tolist() == [True, False, True, False]
    assert g.loc[3, "growth_pct"] == pytest.approx(30.0)


def test_mirror_ratio_pairs_the_same_country_and_year():
    t = trade.to_usd(
        _rows(
            [
                (2024, "year", "KGZ", "total", 22710.0, None, "USD", "china", "reported", "a"),
                (2024, "year", "KGZ", "total", 5300.0, None, "USD", "partner", "reported", "b"),
                (2023, "year", "KGZ", "total", 19800.0, None, "USD", "china", "reported", "a"),
            ]
        ),
        FX,
    )
    m = trade.mirror(t)
    assert len(m) == 1 and m.loc[0, "ratio"] == pytest.approx(22710 / 5300)


def test_currency_and_units_come_from_the_allowed_set():
    t = load("trade", root=ROOT)
    assert set(t["currency"]) <= {"USD", "CNY"} and set(t["unit"]) == {"million"}


def test_country_totals_add_up_to_the_regional_total():
    t = trade.to_usd(load("trade", root=ROOT), load("fx_cny_usd", root=ROOT))
    check = trade.sum_check(t)
    assert len(check) >= 2, "expected several years with all five countries and the total reported"
    assert check["within_tolerance"].all(), check


def test_part_year_values_never_exceed_the_full_year():
    t = load("trade", root=ROOT)
    key = ["year", "partner_iso3", "flow", "reporter", "currency"]
    full = t[t["period"] == "year"].groupby(key)["value"].max()
    part = t[t["period"] != "year"].groupby(key)["value"].max()
    both = pd.concat([full.rename("full"), part.rename("part")], axis=1).dropna()
    assert (both["part"] <= both["full"] * 1.001).all(), both[both["part"] > both["full"]]
