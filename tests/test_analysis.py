"""Unit tests of the shared calculations."""

from __future__ import annotations

import pandas as pd
import pytest

from greensilk.analysis import ClaimCheck, check_at_least, loss_against_baseline, percent_change


def test_percent_change_scalars_and_series():
    assert percent_change(90, 100) == pytest.approx(-10)
    assert percent_change(pd.Series([50.0, 150.0]), pd.Series([100.0, 100.0])).tolist() == [-50.0, 50.0]


def test_percent_change_refuses_zero_baseline():
    with pytest.raises(ValueError, match="non-zero baseline"):
        percent_change(5, 0)


def test_loss_against_baseline_drops_unknown_keys():
    frame = pd.DataFrame({"metric": ["area", "area", "salinity"], "value": [68000.0, 6800.0, 100.0]})
    out = loss_against_baseline(frame, pd.Series({"area": 68000.0}))
    assert out["loss_pct"].tolist() == pytest.approx([0.0, 90.0])
    assert "salinity" not in set(out["metric"])


def test_check_at_least_verdicts():
    assert check_at_least("x", 95.0, 90.0).verdict == "consistent"
    assert check_at_least("x", 89.0, 90.0, tolerance=2.0).verdict == "partly consistent"
    assert check_at_least("x", 80.0, 90.0, tolerance=2.0).verdict == "inconsistent"
    assert check_at_least("x", None, 90.0).verdict == "unverifiable"
    assert check_at_least("x", 90.0, 90.0).verdict == "partly consistent"  # "more than" is strict


def test_claim_check_rejects_unknown_verdict():
    with pytest.raises(ValueError, match="not one of"):
        ClaimCheck("x", "probably", 1.0, "")


def test_whole_sea_sums_parts_only_for_additive_metrics():
    from greensilk.analysis import whole_sea

    obs = pd.DataFrame(
        {
            "year": [2000, 2000, 2000, 2000, 1960],
            "water_body": ["north", "south", "north", "south", "whole"],
            "metric": ["area", "area", "level", "level", "area"],
            "value": [3000.0, 20000.0, 40.0, 33.0, 68000.0],
            "unit": ["km2", "km2", "m_asl", "m_asl", "km2"],
            "basis": ["reported"] * 5,
            "source_id": ["s"] * 5,
        }
    )
    out = whole_sea(obs)
    assert len(out) == 2
    derived = out[out["basis"] == "derived"].iloc[0]
    assert (derived["year"], derived["value"], derived["metric"]) == (2000, 23000.0, "area")


def test_continuous_runs_flags_only_long_unbroken_series():
    from greensilk.analysis import continuous_runs

    frame = pd.DataFrame({"src": ["a"] * 7 + ["b"] * 3, "year": [1, 2, 3, 4, 5, 9, 11, 1, 2, 3]})
    flags = continuous_runs(frame, by=["src"])
    assert flags.tolist() == [True] * 5 + [False] * 5


def test_check_close_verdicts_and_reason():
    from greensilk.analysis import check_close

    assert check_close("x", 100.0, 104.0, 0.05).verdict == "consistent"
    assert check_close("x", 100.0, 108.0, 0.05).verdict == "partly consistent"
    assert check_close("x", 100.0, 120.0, 0.05).verdict == "inconsistent"
    assert check_close("x", float("nan"), 1.0, 0.05).verdict == "unverifiable"
    assert "8.0% apart" in check_close("x", 100.0, 92.0, 0.05).reason
    with pytest.raises(ValueError, match="non-zero"):
        check_close("x", 0.0, 1.0, 0.05)


def _obs(rows):
    return pd.DataFrame(rows, columns=["year", "metric", "water_body", "value", "qualifier", "source_id"]).astype(
        {"qualifier": "string"}
    )


def test_baseline_range_ignores_bounds_and_other_years():
    from greensilk.analysis import baseline_range

    obs = _obs(
        [
            (1960, "area", "whole", 68000.0, None, "a"),
            (1960, "area", "whole", 66458.0, None, "b"),
            (1960, "area", "whole", 66000.0, "more_than", "c"),  # a lower bound is not a baseline value
            (1961, "area", "whole", 60000.0, None, "d"),
            (1960, "volume", "whole", 1093.0, None, "a"),
        ]
    )
    out = baseline_range(obs, 1960, "area")
    assert (out["low"], out["high"], out["n_sources"]) == (66458.0, 68000.0, 2)
    with pytest.raises(ValueError, match="no exact whole salinity"):
        baseline_range(obs, 1960, "salinity")


def test_loss_range_brackets_the_loss():
    from greensilk.analysis import loss_range

    out = loss_range(pd.Series([6800.0]), pd.Series({"low": 64000.0, "high": 68000.0}))
    assert out.loc[0, "loss_pct_high"] == pytest.approx(90.0)
    assert out.loc[0, "loss_pct_low"] == pytest.approx(89.375)
