"""The grading rule for headline numbers and the source-mix helpers (greensilk.evidence)."""

from __future__ import annotations

import pandas as pd
import pytest

from greensilk import evidence, load_package
from greensilk import load as gs_load

from .conftest import ROOT

SOURCES = pd.DataFrame(
    {
        "source_id": ["imf", "gov", "abs", "news", "relay", "wiki", "paper"],
        "tier": ["official_statistics", "government", "peer_reviewed_abstract", "press", "relay",
                 "encyclopedia_other", "peer_reviewed_full"],
    }
)  # fmt: skip


@pytest.mark.parametrize(
    ("ids", "agreement", "letter"),
    [
        (["imf"], None, "A"),
        (["imf", "news"], True, "A"),
        (["imf"], False, "B"),  # measured, but another measured source disagrees
        (["gov"], None, "B"),
        (["abs"], True, "B"),
        (["gov"], False, "C"),
        (["news"], None, "C"),
        (["news", "relay"], True, "B"),  # reported, confirmed independently
        (["relay", "wiki"], None, "C"),
        (["wiki", "paper"], None, "A"),  # the best source decides
    ],
)
def test_grade_follows_the_written_rule(ids, agreement, letter):
    assert evidence.grade(ids, SOURCES, agreement).letter == letter


def test_a_derived_number_is_as_strong_as_its_weakest_input():
    assert evidence.grade(["imf", "news"], SOURCES, derived=True).letter == "C"
    assert evidence.grade(["imf", "gov"], SOURCES, derived=True).letter == "B"
    assert evidence.grade(["imf", "paper"], SOURCES, derived=True).letter == "A"


def test_grade_needs_known_sources():
    with pytest.raises(ValueError):
        evidence.grade([], SOURCES)
    with pytest.raises(KeyError, match="nope"):
        evidence.grade(["nope"], SOURCES)


def test_tier_mix_counts_distinct_sources_best_first():
    assert evidence.tier_mix(["news", "imf", "news", "relay", "gov"], SOURCES) == (
        "1 official statistics, 1 government publication, 1 press, 1 relay or mirror copy"
    )


def test_row_split_by_strength():
    frames = {
        "trade": pd.DataFrame({"source_id": ["imf", "imf", "news"]}),
        "projects": pd.DataFrame({"source_ids": ["news;gov", "wiki", None]}),
    }
    table = evidence.row_split(frames, SOURCES)
    assert table.loc["trade"].to_dict() == {"measured": 2, "stated": 0, "reported": 1, "unsourced": 0}
    assert table.loc["projects"].to_dict() == {"measured": 0, "stated": 1, "reported": 1, "unsourced": 1}


def test_the_helper_knows_exactly_the_tiers_of_the_schema():
    package = load_package(ROOT)
    schema = next(r for r in package["resources"] if r["name"] == "sources")["schema"]
    enum = next(f for f in schema["fields"] if f["name"] == "tier")["constraints"]["enum"]
    assert set(enum) == set(evidence.TIERS)


def test_frame_mix_reads_every_source_column_and_refuses_a_frame_without_one():
    frame = pd.DataFrame({"source_id": ["imf", "news"], "evidence_source_ids": ["gov;news", None], "x": [1, 2]})
    assert evidence.frame_ids(frame) == ["imf", "news", "gov", "news"]
    assert evidence.frame_mix(frame, SOURCES) == "1 official statistics, 1 government publication, 1 press"
    derived = pd.DataFrame({"source_id": ["imf", "derived"]})
    assert evidence.frame_mix(derived, SOURCES) == (
        "1 official statistics, plus values derived in this report from other rows"
    )
    with pytest.raises(KeyError, match="derivd"):
        evidence.frame_mix(pd.DataFrame({"source_id": ["derivd"]}), SOURCES)
    with pytest.raises(ValueError, match="no source ids"):
        evidence.frame_mix(pd.DataFrame({"x": [1]}), SOURCES)


def test_split_sentence_adds_up_to_the_total():
    table = pd.DataFrame(
        {"measured": [3, 0], "stated": [0, 1], "reported": [1, 3], "unsourced": [0, 0]}, index=["a", "b"]
    )
    table.loc["All rows"] = table.sum()
    sentence = evidence.split_sentence(table)
    assert sentence.startswith("Of the 8 rows in the chapter's datasets, 3 (38 %) rest on measured")
    assert "1 (12 %) on stated ones" in sentence and "4 (50 %) only on reported ones" in sentence
    assert "no source" not in sentence
    table.loc["All rows"] = [999, 1, 0, 0]
    assert "1 (under 1 %) on stated ones" in evidence.split_sentence(table)


def test_tier_mix_uses_plurals_for_several_sources():
    sources = pd.DataFrame({"source_id": ["g1", "g2", "r1", "r2", "w"],
                            "tier": ["government", "government", "relay", "relay", "encyclopedia_other"]})  # fmt: skip
    assert evidence.tier_mix(["g1", "g2", "r1", "r2", "w"], sources) == (
        "2 government publications, 2 relays or mirror copies, 1 encyclopedia or other web page"
    )


def test_dataset_split_of_the_committed_package_counts_every_row():
    sources = gs_load("sources")
    table = evidence.dataset_split(["trade", "aral_series"], sources)
    assert table.loc["All rows"].sum() == len(gs_load("trade")) + len(gs_load("aral_series"))
    assert "Aral Sea yearly series: level, area, volume and salinity by basin" in table.index
