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


@pytest.fixture(scope="module")
def series():
    return aral.with_source_kind(load("aral_series", root=ROOT), load("sources", root=ROOT))


@pytest.fixture(scope="module")
def seed():
    return aral.seed_claims(
        load("aral_series", root=ROOT),
        load("aral_observations", root=ROOT),
        load("aral_facts", root=ROOT),
        load("sources", root=ROOT),
    )


def test_record_figure_has_four_panels_and_a_legend_for_every_part_and_series(series, obs):
    fig = aral.record_figure(series.dropna(subset=["value"]), obs, 2005)
    assert len(fig.axes) == 4
    labels = {t.get_text() for t in fig.legends[0].get_texts()}
    assert {"Whole sea", "North (Small) Aral", "Peer-reviewed paper", "UNESCO basin areas 1986–2018"} <= labels
    plt.close(fig)


def _frame(rows):
    return pd.DataFrame(rows, columns=["year", "water_body", "metric", "value", "source_id"])


def test_draw_series_joins_only_unbroken_runs_of_one_source():
    # six consecutive years, then a two-year run after a gap, and a second source overlapping the first
    rows = [(y, "whole", "area", 100.0 - y % 100, "a") for y in range(2000, 2006)]
    rows += [(y, "whole", "area", 50.0, "a") for y in (2010, 2011)]
    rows += [(y, "whole", "area", 60.0, "b") for y in range(2001, 2004)]
    fig, ax = plt.subplots()
    counts = aral.draw_series(ax, _frame(rows))
    plt.close(fig)
    assert counts == {"lines": 1, "points": 5}  # one line (source a, 2000-2005); 2 + 3 points


def test_draw_series_leaves_flagged_years_as_gaps():
    rows = [(y, "whole", "level", None if y == 2003 else 40.0, "a") for y in range(1995, 2010)]
    fig, ax = plt.subplots()
    counts = aral.draw_series(ax, _frame(rows))
    plt.close(fig)
    assert counts == {"lines": 2, "points": 0}


def test_year_ranges_and_runs():
    assert aral.year_ranges([1963, 1961, 1962, 1970, 1972, 1973]) == "1961–1963, 1970, 1972–1973"
    assert aral.year_ranges([]) == "none"
    assert aral.runs([3, 1, 2, 7]) == [[1, 2, 3], [7]]


def test_admissible_needs_tiers_and_drops_weak_ones():
    frame = pd.DataFrame({"source_id": ["a", "b", "c"], "tier": ["relay", "press", "peer_reviewed_full"]})
    assert list(aral.admissible(frame)["source_id"]) == ["b", "c"]
    assert list(aral.admissible(frame, aral.HEADLINE_EXCLUDED_TIERS)["source_id"]) == ["c"]
    with pytest.raises(KeyError, match="tier"):
        aral.admissible(frame.drop(columns="tier"))


def test_cross_check_keeps_each_disagreement_as_a_row():
    series = _frame([(1990, "whole", "area", 100.0, "s1"), (1990, "whole", "area", 90.0, "s2")])
    reports = pd.DataFrame(
        {
            "year": [1990, 1990, 1991],
            "water_body": ["whole"] * 3,
            "metric": ["area"] * 3,
            "value": [110.0, 80.0, 1.0],
            "qualifier": [None, None, None],
            "source_id": ["r1", "r2", "r3"],
        }
    )
    checks = aral.cross_check(series, reports)
    # 2 reports x 2 series + 1 series-against-series comparison; the 1991 report has nothing to compare with
    assert len(checks) == 5
    row = checks[(checks["source_id_other"] == "r1") & (checks["source_id_series"] == "s1")].iloc[0]
    assert row["diff_pct"] == pytest.approx(10.0)
    summary = aral.decade_summary(checks, 1980, 2000)
    assert list(summary["n_checks"]) == [0, 5, 0]


def test_coverage_counts_series_reports_and_gaps():
    series = _frame([(y, "north", "area", 3000.0, "s") for y in range(1986, 1990)])
    reports = pd.DataFrame({"year": [1992], "water_body": ["north"], "metric": ["area"], "value": [3.0]})
    cov = aral.coverage(series, reports, first=1960, last=1994).set_index(["water_body", "metric"])
    row = cov.loc[("north", "area")]
    assert (row["n_series_years"], row["n_report_only_years"], row["n_missing_years"]) == (4, 1, 4)
    assert row["missing"] == "1990–1991, 1993–1994"
    assert row["window"] == "1986–1994"


def test_baseline_and_losses_use_both_ends():
    record = pd.DataFrame(
        {
            "year": [1960, 1960, 1960, 2000],
            "value": [60000.0, 70000.0, 50000.0, 7000.0],
            "source_id": ["s1", "s2", "p", "s3"],
            "tier": ["peer_reviewed_full", "government", "press", "government"],
        }
    )
    base = aral.baseline(record, 1960)
    assert (base["low"], base["high"], base["n_sources"]) == (60000.0, 70000.0, 2)  # the press value is left out
    losses = aral.with_losses(record[record["year"] == 2000], base).iloc[0]
    assert losses["loss_pct_low"] == pytest.approx(100 * (1 - 7000 / 60000))
    assert losses["loss_pct_high"] == pytest.approx(90.0)
    assert losses["exposed_km2_low"] == pytest.approx(53000.0)


def test_seed_claims_take_baseline_and_year_from_admissible_sources_only(seed):
    assert not set(seed["baseline"]["sources"]) & {"karakalpakstan_travel_aral", "enwiki_aral", "ians_2023"}
    assert seed["latest"]["tier"] not in aral.HEADLINE_EXCLUDED_TIERS
    assert f"{int(seed['latest']['year'])}" in seed["area_loss"].reason
    # verdict and evidence text agree: the text says "below" exactly when the verdict is not consistent
    below = "below the stated" in seed["area_loss"].reason
    assert below == (seed["area_loss"].verdict != "consistent")


def test_claims_ledger_stores_what_seed_claims_computes(seed):
    ledger = load("claims", root=ROOT).set_index("claim_id")
    for claim_id, fields in aral.ledger_fields(seed).items():
        for column, value in fields.items():
            assert str(ledger.loc[claim_id, column]) == value, (claim_id, column)


def test_source_labels_are_author_year():
    sources = pd.DataFrame(
        {
            "source_id": ["a", "b", "c", "d"],
            "author_or_publisher": [
                "Gaybullaev, B.; Chen, S.; Gaybullaev, D.",
                "UNESCO",
                "Zavialov, P. O. et al.",
                "R Discovery abstract page; article authors not shown in stored copy",
            ],
            "date": ["2012", "n.d.", "2003", "n.d."],
            "title": ["x", "y", "z", "Hydrologic changes of Aral Sea: a reveal"],
        }
    )
    labels = aral.source_labels(sources)
    assert list(labels) == [
        "Gaybullaev et al. (2012)",
        "UNESCO (n.d.)",
        "Zavialov et al. (2003)",
        "Hydrologic changes of Aral Sea: … (n.d.)",
    ]


def test_balance_table_changes_only_between_consecutive_years():
    series = _frame(
        [
            (1950, "whole", "volume", 100.0, "t"),
            (1951, "whole", "volume", 90.0, "t"),
            (1953, "whole", "volume", 70.0, "t"),
        ]
    )
    balance = pd.DataFrame(
        {
            "year": [1950, 1951, 1953] * 2,
            "water_body": ["whole"] * 6,
            "component": ["amu_darya_inflow"] * 3 + ["syr_darya_inflow"] * 3,
            "value": [1.0, 2.0, 3.0, 1.0, 1.0, 1.0],
            "source_id": ["t"] * 6,
        }
    )
    table = aral.balance_table(series, balance, source="t").set_index("year")
    assert table.loc[1951, "volume_change"] == pytest.approx(-10.0)
    assert pd.isna(table.loc[1953, "volume_change"])  # 1952 is missing: no change is invented
    assert table.loc[1951, "inflow_total"] == pytest.approx(3.0)


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


def test_level_change_is_not_computed_across_a_change_of_basin():
    series = _frame(
        [(1987, "whole", "level", 40.2, "t"), (1988, "whole", "level", 39.7, "t"), (1989, "south", "level", 39.1, "t")]
        + [(y, "whole", "volume", 400.0 - y % 100, "t") for y in (1987, 1988, 1989)]
    )
    balance = pd.DataFrame(
        {
            "year": [1987, 1988, 1989] * 2,
            "water_body": ["whole"] * 6,
            "component": ["amu_darya_inflow"] * 3 + ["syr_darya_inflow"] * 3,
            "value": [1.0] * 6,
            "source_id": ["t"] * 6,
        }
    )
    table = aral.balance_table(series, balance, source="t").set_index("year")
    assert table.loc[1988, "level_change"] == pytest.approx(-0.5)
    assert pd.isna(table.loc[1989, "level_change"])
    assert table.loc[1989, "volume_change"] == pytest.approx(-1.0)  # the whole-sea volume keeps one basis
