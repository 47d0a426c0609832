"""The grading rule for headline numbers and the source-mix helpers (greensilk.evidence)."""

from __future__ import annotations

import pandas as pd
import pytest

from greensilk import evidence, load_package

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
