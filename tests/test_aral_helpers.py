"""Tests of the Aral Sea chapter's figure and table helpers (greensilk.aral) on small frames and the real data."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from greensilk import aral, load  # noqa: E402

from .conftest import ROOT  # noqa: E402


@pytest.fixture(scope="module")
def obs():
    return aral.with_source_kind(load("aral_observations", root=ROOT), load("sources", root=ROOT))


def test_with_source_kind_names_unknown_sources():
    frame = pd.DataFrame({"source_id": ["a", "zzz"]})
    sources = pd.DataFrame({"source_id": ["a"], "kind": ["paper"]})
    with pytest.raises(KeyError, match="zzz"):
        aral.with_source_kind(frame, sources)


def test_every_observation_is_drawn_once(obs):
    fig, ax = plt.subplots()
    assert aral.observation_points(ax, obs) == len(obs)
    plt.close(fig)


def test_record_figure_has_four_panels_and_a_legend_for_every_part_present(obs):
    fig = aral.record_figure(obs, 2005)
    assert len(fig.axes) == 4
    labels = {t.get_text() for t in fig.legends[0].get_texts()}
    assert {"Whole sea", "North (Small) Aral", "Peer-reviewed paper"} <= labels
    plt.close(fig)


def test_loss_table_uses_both_ends_of_the_baseline():
    frame = pd.DataFrame(
        {
            "obs_id": ["a", "b", "c", "d"],
            "year": [1960, 1960, 2000, 2000],
            "metric": ["area"] * 4,
            "water_body": ["whole", "whole", "whole", "north"],
            "value": [60000.0, 70000.0, 7000.0, 3000.0],
            "qualifier": pd.array([None] * 4, dtype="string"),
            "source_id": ["s1", "s2", "s3", "s3"],
            "kind": ["paper"] * 4,
        }
    )
    table, base = aral.loss_table(frame, "area")
    assert (base["low"], base["high"]) == (60000.0, 70000.0)
    assert len(table) == 1  # the north basin is not the whole sea
    assert table.loc[0, "loss_pct_low"] == pytest.approx(100 * (1 - 7000 / 60000))
    assert table.loc[0, "loss_pct_high"] == pytest.approx(90.0)


def test_timeline_refuses_unknown_categories():
    events = pd.DataFrame(
        {"date": pd.to_datetime(["2020-01-01"]), "category": ["gossip"], "chinese_involvement": [True]}
    )
    with pytest.raises(ValueError, match="gossip"):
        aral.timeline_figure(events)


def test_real_events_fit_the_timeline_categories():
    events = load("aral_events", root=ROOT)
    assert set(events["category"]) <= set(aral.CATEGORY_ORDER)


def test_planting_figure_plots_only_dated_reports():
    planting = load("aral_afforestation", root=ROOT)
    fig = aral.planting_figure(planting, {"KAZ": 2.8e6, "UZB": 3.2e6})
    plotted = sum(len(c.get_offsets()) for ax in fig.axes for c in ax.collections)
    assert plotted == planting["year"].notna().sum()
    plt.close(fig)
