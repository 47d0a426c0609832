"""The forums chapter's classification and helpers (greensilk.forums), and checks of the forums datasets."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from greensilk import forums, load  # noqa: E402

from .conftest import ROOT  # noqa: E402


def test_green_classification_is_explicit():
    sectors = pd.Series(["clean_energy", "fossil_energy", "energy_unspecified", "agriculture", "general", "water"])
    assert forums.is_green(sectors).tolist() == [True, False, False, True, False, True]


def test_every_sector_in_the_schema_has_a_chart_group():
    from greensilk import load_package

    outcomes = next(r for r in load_package(ROOT)["resources"] if r["name"] == "forum_outcomes")
    allowed = next(f for f in outcomes["schema"]["fields"] if f["name"] == "sector")["constraints"]["enum"]
    groups = forums.sector_group(pd.Series(allowed))
    assert set(groups) <= set(forums.GROUP_COLOURS)
    assert set(forums.GREEN_SECTORS) <= set(allowed)


def test_green_by_event_counts_and_keeps_events_without_outcomes():
    events = pd.DataFrame(
        {
            "event_id": ["a", "b", "c"],
            "kind": ["summit", "forum", "forum"],
            "variant": ["primary", "primary", "alternative"],
            "start_date": pd.to_datetime(["2023-05-18", "2024-10-25", "2024-10-26"]),
            "city": ["Xi'an", "Yinchuan", "Yinchuan"],
        }
    )
    outcomes = pd.DataFrame(
        {"outcome_id": ["o1", "o2", "o3"], "event_id": ["a", "a", "a"], "sector": ["clean_energy", "general", "water"]}
    )
    out = forums.green_by_event(outcomes, events).set_index("event_id")
    assert list(out.index) == ["a", "b"]  # the alternative report of b is not a separate event
    assert (out.loc["a", "n_outcomes"], out.loc["a", "n_green"]) == (3, 2)
    assert out.loc["a", "green_pct"] == pytest.approx(200 / 3)
    assert out.loc["b", "n_outcomes"] == 0 and pd.isna(out.loc["b", "green_pct"])


def test_network_edges_join_only_opposite_sides():
    parties = pd.DataFrame(
        {
            "outcome_id": ["o1", "o1", "o1", "o2", "o2"],
            "party": ["SPIC", "CRCC", "Kyrgyzstan", "SPIC", "Kyrgyzstan"],
            "party_kind": ["company", "company", "country", "company", "country"],
            "side": ["china", "china", "central_asia", "china", "central_asia"],
        }
    )
    edges = forums.network_edges(parties)
    assert set(zip(edges["party_cn"], edges["party_ca"], edges["n_outcomes"], strict=True)) == {
        ("SPIC", "Kyrgyzstan", 2),
        ("CRCC", "Kyrgyzstan", 1),
    }


def test_events_are_dated_in_order_and_outcomes_point_to_events():
    events = load("forum_events", root=ROOT)
    dated = events.dropna(subset=["start_date", "end_date"])
    assert (dated["end_date"] >= dated["start_date"]).all()
    outcomes = load("forum_outcomes", root=ROOT)  # the loader checks event_id against forum_events
    assert set(outcomes["event_id"]) <= set(events["event_id"])
    forum = forums.primary(events)
    forum = forum[forum["kind"] == "forum"].dropna(subset=["start_date"]).sort_values("edition")
    assert forum["start_date"].is_monotonic_increasing  # edition n+1 never precedes edition n


def test_every_forum_edition_up_to_the_latest_has_a_row():
    events = forums.primary(load("forum_events", root=ROOT))
    editions = sorted(events.loc[events["kind"] == "forum", "edition"].dropna().astype(int))
    assert editions == list(range(1, editions[-1] + 1))


def test_links_with_a_drawn_end_have_both_places():
    links = load("forum_links", root=ROOT)
    drawn = links["location_precision"] != "unknown"
    assert links.loc[drawn, ["china_place_id", "ca_place_id"]].notna().all().all()
    assert links.loc[~drawn, ["china_place_id", "ca_place_id"]].isna().all().all()
