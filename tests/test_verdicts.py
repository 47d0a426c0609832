"""The ledger's written rule set (greensilk.verdicts): the derivation of a verdict from its facts, the audit checks
on small made-up audits (each problem is caught), and the committed audit of the hand-typed verdicts."""

from __future__ import annotations

import pandas as pd
import pytest

from greensilk import verdicts as v


def _row(**kw):
    base = {
        "claim_id": "c900",
        "claim_date": "2025-06-13",
        "event_key": "e1",
        "audited_verdict": "consistent",
        "rule_clause": "V1",
        "evidence_source_ids": "src_a",
        "evidence_date": "2025-06-10",
        "evidence_independent": True,
        "same_quantity": True,
        "match": "exact",
        "reason": "r",
        "previous_verdict": "consistent",
        "dataset_rows": "",
    }
    base.update(kw)
    return base


# --- the clauses --------------------------------------------------------------------------------------------------


def test_every_verdict_has_exactly_one_clause_and_every_clause_has_text():
    verdict_clauses = [c for c in v.CLAUSES.values() if c.topic == "verdict"]
    assert sorted(v.VERDICT_CLAUSE.values()) == sorted(c.id for c in verdict_clauses)
    assert set(v.VERDICT_CLAUSE) == set(v.VERDICTS)
    for c in v.CLAUSES.values():
        assert len(c.text) > 40, c.id
    assert {"I1", "I2", "I3", "I4", "D1", "D2", "D3", "Q1", "Q2"} <= set(v.CLAUSES)


def test_clause_ids_rejects_unknown_ids():
    assert v.clause_ids("V5; Q2") == ["V5", "Q2"]
    with pytest.raises(ValueError, match="X9"):
        v.clause_ids("V1;X9")


# --- dates --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("evidence", "claim", "after"),
    [
        ("2025-06-14", "2025-06-13", True),
        ("2025-06-13", "2025-06-13", False),
        ("2025-12-03", "2025-06", True),
        ("2025-06-30", "2025-06", False),  # same month: not later at the precision both have
        ("2024-10-31", "2024", False),
        ("2026", "2025-06-13", True),
        ("", "2025", None),
    ],
)
def test_is_after_compares_at_the_common_precision(evidence, claim, after):
    assert v.is_after(evidence, claim) is after


def test_a_malformed_date_is_an_error():
    with pytest.raises(ValueError, match="13/06/2025"):
        v.is_after("13/06/2025", "2025")


# --- derivation ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({}, ("consistent", "V1")),
        ({"match": "within tolerance"}, ("consistent", "V1")),
        ({"match": "partial"}, ("partly consistent", "V2")),
        ({"match": "contradicts"}, ("inconsistent", "V3")),
        ({"evidence_date": "2025-06-14", "match": "contradicts"}, ("outdated", "V4")),
        ({"evidence_date": "2025-12-03"}, ("unverifiable", "V5")),  # later evidence that agrees cannot confirm
        ({"evidence_independent": False}, ("unverifiable", "V5")),  # only the originator or its relays
        ({"same_quantity": False}, ("unverifiable", "V5")),  # a neighbouring fact
        ({"match": "none", "evidence_date": ""}, ("unverifiable", "V5")),
        ({"evidence_date": "2026-01-18", "rule_clause": "V1;D3"}, ("consistent", "V1")),  # a forecast's outcome
        ({"evidence_date": "2026-01-18", "rule_clause": "V3;D3", "match": "contradicts"}, ("inconsistent", "V3")),
    ],
)
def test_derive_follows_the_clauses(facts, expected):
    assert v.derive(_row(**facts)) == expected


def test_derive_refuses_unknown_match_and_missing_dates():
    with pytest.raises(ValueError, match="match"):
        v.derive(_row(match="close"))
    with pytest.raises(ValueError, match="evidence_date"):
        v.derive(_row(evidence_date=""))


# --- the audit checks on made-up data ------------------------------------------------------------------------------


@pytest.fixture
def sources():
    return pd.DataFrame(
        [
            ["seed_x", "Seed article", "2025-06-13", "seed", "press"],
            ["src_a", "Freight trains reach 229 European cities", "2025-06-10", "press", "press"],
            ["src_b", "Customs data for 2024", "2025-01-13", "statistics", "official_statistics"],
            ["mirror_a", "Freight trains reach 229 European cities", "n.d.", "press", "relay"],
            ["mirror_b", "Anonymous copy of a port report", "2025-02-27", "press", "relay"],
            ["later_c", "Railway network passes 120,000 trips", "2025-12-03", "press", "press"],
        ],
        columns=["source_id", "title", "date", "kind", "tier"],
    )


@pytest.fixture
def claims():
    return pd.DataFrame(
        [
            ["c900", "seed_x", "Trains reach 229 cities in Europe", "229", "consistent"],
            ["c901", "seed_x", "Trains reach 26 European countries", "26", "consistent"],
        ],
        columns=["claim_id", "article_source_id", "claim", "stated_value", "verdict"],
    )


NO_DATA: dict = {}


def test_a_clean_audit_has_no_problems(claims, sources):
    audit = pd.DataFrame([_row(), _row(claim_id="c901")])
    assert v.check_audit(audit, claims, sources, NO_DATA) == []


def test_a_verdict_against_its_facts_is_caught(claims, sources):
    audit = pd.DataFrame([_row(audited_verdict="consistent", match="partial")])
    problems = v.check_audit(audit, claims, sources, NO_DATA)
    assert any("does not follow" in p for p in problems)


def test_a_wrong_clause_is_caught(claims, sources):
    problems = v.check_audit(pd.DataFrame([_row(rule_clause="V2")]), claims, sources, NO_DATA)
    assert any("deciding clause" in p for p in problems)


def test_consistent_without_independent_evidence_is_caught(claims, sources):
    problems = v.check_audit(pd.DataFrame([_row(evidence_independent=False)]), claims, sources, NO_DATA)
    assert any("not independent" in p for p in problems)


def test_the_seed_cited_as_independent_evidence_is_caught(claims, sources):
    problems = v.check_audit(pd.DataFrame([_row(evidence_source_ids="seed_x")]), claims, sources, NO_DATA)
    assert any("seed article itself" in p for p in problems)


def test_same_event_claims_that_disagree_or_cite_different_evidence_are_caught(claims, sources):
    audit = pd.DataFrame(
        [
            _row(),
            _row(
                claim_id="c901",
                audited_verdict="partly consistent",
                rule_clause="V2",
                match="partial",
                evidence_source_ids="src_b",
            ),
        ]
    )
    problems = v.check_audit(audit, claims, sources, NO_DATA)
    assert any("disagree" in p for p in problems)
    assert any("different evidence" in p for p in problems)


def test_later_evidence_for_a_non_outdated_verdict_is_caught(claims, sources):
    # The facts say outdated (later evidence contradicts) but the row calls it inconsistent.
    row = _row(
        evidence_source_ids="later_c",
        evidence_date="2025-12-03",
        match="contradicts",
        audited_verdict="inconsistent",
        rule_clause="V3",
    )
    problems = v.check_audit(pd.DataFrame([row]), claims, sources, NO_DATA)
    assert any("after the claim" in p for p in problems)


def test_a_ledger_that_disagrees_with_the_audit_is_caught(claims, sources):
    row = _row(audited_verdict="partly consistent", rule_clause="V2", match="partial")
    problems = v.check_audit(pd.DataFrame([row]), claims, sources, NO_DATA)
    assert any("the ledger says 'consistent', the audit 'partly consistent'" in p for p in problems)


def test_a_mirror_with_a_named_original_is_caught_and_one_without_is_not(claims, sources):
    assert v.named_originals("mirror_a", sources) == ["src_a"]
    assert v.named_originals("mirror_b", sources) == []
    problems = v.check_audit(pd.DataFrame([_row(evidence_source_ids="mirror_a")]), claims, sources, NO_DATA)
    assert any("named original" in p and "src_a" in p for p in problems)
    assert v.check_audit(pd.DataFrame([_row(evidence_source_ids="mirror_b")]), claims, sources, NO_DATA) == []


def test_not_found_for_a_figure_a_dataset_row_holds_is_caught(claims, sources):
    data = {
        "connectivity": pd.DataFrame(
            [
                ["cn-1", "cer_cities_europe", "229", "src_a"],
                ["cn-2", "cer_cities_europe", "229", "seed_x"],  # the seed itself: not evidence
                ["cn-3", "alashankou_tonnage", "229", "src_b"],  # same number, unrelated row
            ],
            columns=["row_id", "indicator", "value", "source_id"],
        )
    }
    row = _row(
        audited_verdict="unverifiable",
        rule_clause="V5",
        match="none",
        evidence_source_ids="",
        evidence_date="",
        reason="No independent figure was found.",
    )
    problems = v.check_audit(pd.DataFrame([row]), claims, sources, data)
    assert [p for p in problems if "holds the stated figure" in p] == [
        "claim c900: the reason says not found, but connectivity:cn-1 holds the stated figure"
    ]
    listed = dict(row, dataset_rows="connectivity:cn-1")
    assert not [p for p in v.check_audit(pd.DataFrame([listed]), claims, sources, data) if "holds" in p]


# --- the committed audit ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    from greensilk import load

    from .conftest import ROOT

    return {name: load(name, root=ROOT) for name in ("claims_audit", "claims", "sources")}


def test_the_audit_covers_exactly_the_hand_typed_verdicts(real):
    # the ledger is the audited (typed) verdicts plus the computed ones, with no claim in both or in neither
    ledger = real["claims"]
    typed = set(ledger.loc[ledger["check"].isna(), "claim_id"])
    computed = set(ledger.loc[ledger["check"] == "computed", "claim_id"])
    assert set(real["claims_audit"]["claim_id"]) == typed
    assert not typed & computed and typed | computed == set(ledger["claim_id"])
    assert len(real["claims_audit"]) + len(computed) == len(ledger)


def test_every_audited_verdict_follows_from_its_clause_and_facts(real):
    for _, row in real["claims_audit"].iterrows():
        verdict, clause = v.derive(row)
        assert (verdict, clause) == (row["audited_verdict"], v.clause_ids(row["rule_clause"])[0]), row["claim_id"]


def test_claim_dates_are_the_seed_articles_dates(real):
    audit = real["claims_audit"].merge(real["claims"][["claim_id", "article_source_id"]], on="claim_id")
    dates = real["sources"].set_index("source_id")["date"]
    assert (audit["claim_date"] == audit["article_source_id"].map(dates)).all()


def test_dataset_rows_name_existing_rows(real):
    from greensilk import load

    from .conftest import ROOT

    for cell in real["claims_audit"]["dataset_rows"].dropna():
        for item in cell.split(";"):
            name, row_id = item.split(":", 1)
            assert row_id in set(load(name, root=ROOT).iloc[:, 0].astype(str)), item


def test_check_audit_finds_no_problem_in_the_committed_audit(real):
    assert v.check_audit(real["claims_audit"], real["claims"], real["sources"]) == []


def test_check_audit_would_catch_the_old_verdicts_and_notes(real):
    # Put the verdicts of version 0.2.0 back into the audit: the checks must object, since the audit changed some
    # of them for cause (e.g. a field trip given two different verdicts in two claims).
    old = real["claims_audit"].copy()
    old["audited_verdict"] = old["previous_verdict"]
    problems = v.check_audit(old, real["claims"], real["sources"])
    assert any("does not follow" in p for p in problems)
    assert any("disagree" in p for p in problems)  # the two claims about one field trip got different verdicts


MOVED_INTO_CODE = set("c008 c024 c029 c038 c039 c040 c041 c054 c056 c059 c062 c071 c073 c074".split())
"""The claims whose typed verdicts (and audit rows) the claims-computed change of issue 20 replaced by checks."""


def test_every_changed_verdict_had_a_second_reading(real):
    # issue 20: every verdict the audit changed is read again by a second reader before the issue is resolved
    from greensilk import load

    from .conftest import ROOT

    audit = real["claims_audit"]
    ledger = real["claims"].set_index("claim_id")
    second = load("claims_second_reading", root=ROOT).set_index("claim_id")
    changed = set(audit.loc[audit["previous_verdict"] != audit["audited_verdict"], "claim_id"])
    assert changed, "the audit changed no verdict: the second reading has nothing to cover"
    missing = changed - set(second.index)
    assert not missing, f"changed verdicts without a second reading: {sorted(missing)}"
    # the labels say why each claim was read: 'changed' for the changed ones, 'random' for the sample; a claim read
    # as changed whose verdict has since moved from the audit into code (check = computed) keeps its label
    labelled = set(second.index[second["sample"] == "changed"])
    assert changed <= labelled
    moved = labelled - changed
    assert (ledger.loc[sorted(moved), "check"] == "computed").all(), sorted(moved)
    assert not set(second.index[second["sample"] == "random"]) & changed
    # issue 20, second pass: a verdict that moved from the audit into code was read again with its check and the
    # dataset rows it reads ('computed'); such a claim is computed and has no audit row left
    recomputed = set(second.index[second["sample"] == "computed"])
    assert (ledger.loc[sorted(recomputed), "check"] == "computed").all(), sorted(recomputed)
    assert not recomputed & set(audit["claim_id"])
    # every claim read while it was audited ('changed' or 'random') whose audit row has since been removed ...
    read_when_audited = set(second.index[second["sample"].isin(["changed", "random"])])
    moved_out = {c for c in read_when_audited if str(ledger.loc[c, "check"]) == "computed"}
    assert moved_out <= recomputed, (
        f"computed since their first reading, not read again: {sorted(moved_out - recomputed)}"
    )
    # ... and every verdict moved into code by the claims-computed merge (the 14 whose audit rows it removed)
    assert MOVED_INTO_CODE <= recomputed, f"not read again: {sorted(MOVED_INTO_CODE - recomputed)}"
    assert (ledger.loc[sorted(MOVED_INTO_CODE), "check"] == "computed").all()
    # disagreements were corrected, so the second reader's verdict is the ledger's (audited or computed)
    assert (second["second_verdict"] == ledger["verdict"].reindex(second.index)).all()


def test_rules_markdown_lists_every_clause_once_under_its_topic():
    text = v.rules_markdown()
    for c in v.CLAUSES.values():
        assert text.count(f"**{c.id}.**") == 1, c.id
        assert c.text in text
    assert text.index("Independence") < text.index("**I1.**") < text.index("What each verdict") < text.index("**V1.**")


def test_methods_page_states_the_rules_exactly_as_the_code_holds_them():
    from .conftest import ROOT

    assert v.rules_markdown().strip() in (ROOT / "book" / "methods.md").read_text(encoding="utf-8")
