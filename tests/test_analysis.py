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
