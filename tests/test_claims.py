"""The claims ledger: complete, well-formed, and its computed verdicts agree with what is stored."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from greensilk import claims, load
from greensilk.analysis import VERDICTS

from .conftest import ROOT


@pytest.fixture(scope="module")
def ledger():
    return load("claims", root=ROOT)


@pytest.fixture(scope="module")
def computed():
    return claims.combined(claims.compute(ROOT)).set_index("claim_id")


def test_every_article_is_covered_and_the_ledger_is_large(ledger):
    seeds = set(load("sources", root=ROOT).query("kind == 'seed'")["source_id"])
    assert set(ledger["article_source_id"]) == seeds
    assert len(ledger) >= 40


def test_verdicts_come_from_the_fixed_set(ledger):
    assert set(ledger["verdict"]) <= set(VERDICTS)


def test_verdicts_other_than_unverifiable_cite_evidence(ledger):
    evidenced = ledger["evidence_source_ids"].notna() | ledger["evidence_datasets"].notna()
    bad = ledger[(ledger["verdict"] != "unverifiable") & ~evidenced]
    assert bad.empty, list(bad["claim_id"])


def test_computed_verdicts_match_the_stored_ones(ledger, computed):
    stored = ledger.set_index("claim_id")
    marked = set(stored.index[stored["check"] == "computed"])
    assert marked == set(computed.index), "the ledger's 'computed' marks and greensilk.claims.CHECKS disagree"
    drift = [
        f"{cid}: stored '{stored.loc[cid, 'verdict']}', data now give '{computed.loc[cid, 'computed_verdict']}'"
        for cid in computed.index
        if stored.loc[cid, "verdict"] != computed.loc[cid, "computed_verdict"]
    ]
    assert not drift, "update data/claims/claims.csv: " + "; ".join(drift)
    clause_drift = [
        f"{cid}: stored '{stored.loc[cid, 'rule_clause']}', the check names '{computed.loc[cid, 'computed_clause']}'"
        for cid in computed.index
        if stored.loc[cid, "rule_clause"] != computed.loc[cid, "computed_clause"]
    ]
    assert not clause_drift, "update the rule_clause of data/claims/claims.csv: " + "; ".join(clause_drift)


def test_every_verdict_names_a_clause_that_matches_it(ledger):
    # typed or computed, each verdict leads its rule_clause with the verdict's own clause (V1 consistent ...
    # V5 unverifiable) and names only clauses of the written rule set
    from greensilk.verdicts import VERDICT_CLAUSE, clause_ids

    bad = [
        f"{row['claim_id']}: {row['verdict']} under {row['rule_clause']}"
        for _, row in ledger.iterrows()
        if clause_ids(row["rule_clause"])[0] != VERDICT_CLAUSE[row["verdict"]]
    ]
    assert not bad, bad


def test_typed_verdicts_carry_their_audit_clause(ledger):
    audit = load("claims_audit", root=ROOT).set_index("claim_id")["rule_clause"]
    typed = ledger[ledger["check"].isna()].set_index("claim_id")["rule_clause"]
    assert typed.sort_index().equals(audit.reindex(typed.index).sort_index())


def test_combined_verdict_is_the_worst_of_a_claims_checks():
    results = pd.DataFrame(
        {
            "check_id": ["c001", "c001g", "c002", "c003", "c003b"],
            "claim_id": ["c001", "c001", "c002", "c003", "c003"],
            "verdict": ["consistent", "partly consistent", "unverifiable", "unverifiable", "inconsistent"],
            "reason": ["a", "b", "c", "d", "e"],
        }
    )
    out = claims.combined(results).set_index("claim_id")["computed_verdict"]
    assert out.to_dict() == {"c001": "partly consistent", "c002": "unverifiable", "c003": "inconsistent"}


def _seed_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("seed_fingerprints", ROOT / "scripts" / "seed_fingerprints.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_paraphrases_do_not_repeat_the_articles(ledger):
    # no run of ten words of a seed article may stand in a paraphrase (the house rule for copying); the seeds are
    # represented by one-way fingerprints (scripts/seed_fingerprints.py), so this runs on any clone
    script = _seed_script()
    known = set((ROOT / "tests" / "fixtures" / "seed_10gram_hashes.txt").read_text().split())
    assert len(known) > 1000
    copied = [row["claim_id"] for _, row in ledger.iterrows() if script.fingerprints(row["claim"]) & known]
    assert not copied, f"paraphrases repeating ten words of a seed article: {copied}"


def test_the_fingerprint_check_detects_a_copy():
    script = _seed_script()
    text = "one two three four five six seven eight nine ten eleven"
    assert script.fingerprints(text) & script.fingerprints("zero " + text)
    assert not script.fingerprints(text) & script.fingerprints("one two three four five six seven eight nine")


def test_detail_markdown_escapes_dollars_and_cites_evidence():
    row = {
        "claim_id": "c999",
        "article_source_id": "seed_feature_2025",
        "seed_locator": "para 1",
        "verdict": "consistent",
        "rule_clause": "V1;I4",
        "check": "computed",
        "claim": "Trade reached US$94.8bn",
        "stated_qualifier": "more_than",
        "stated_value": "94.8",
        "stated_unit": "US$ bn",
        "independent_value": "94.82",
        "independent_unit": "US$ bn",
        "evidence_datasets": None,
        "reason": "Matches customs [trade theme]",
        "evidence_source_ids": "a_source;b_source",
    }
    text = claims.detail_markdown(pd.DataFrame([row]))
    assert "US\\$94.8bn" in text and "$9" not in text.replace("\\$", "")
    assert "more than 94.8" in text and "[trade theme]" not in text
    assert "{cite:t}`a_source`, {cite:t}`b_source`" in text
    assert "*consistent* (rule V1, I4) · computed" in text


def test_no_committed_text_repeats_the_articles():
    # the same rule for everything the project writes: data notes, access notes, the bibliography, the book's pages
    # and the notebooks' prose. Titles are cited as published and upstream snapshots are data, so both are exempt.
    import csv
    import re

    script = _seed_script()
    known = set((ROOT / "tests" / "fixtures" / "seed_10gram_hashes.txt").read_text().split())
    texts = {}
    for path in (p for p in (ROOT / "data").rglob("*.csv") if "snapshots" not in p.parts):
        rows = csv.DictReader(path.read_text(encoding="utf-8").splitlines())
        texts[path] = "\n".join(" ".join(v or "" for k, v in row.items() if k != "title") for row in rows)
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    texts[ROOT / "book" / "references.bib"] = re.sub(r"(?m)^\s*title\s*=.*$", "", bib)
    for path in [ROOT / "index.md", *(ROOT / "book").glob("*.md")]:
        texts[path] = path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts[path] = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    copied = [p.relative_to(ROOT).as_posix() for p, text in texts.items() if script.fingerprints(text) & known]
    assert not copied, f"files repeating ten words of a starting article: {copied}"


# --- the checks computed from dataset rows can fail: change the row and the verdict changes ----------------------


@pytest.fixture
def data():
    return claims.Data(ROOT)


def test_claim_check_names_its_clause_and_refuses_a_wrong_one():
    from greensilk.analysis import ClaimCheck

    assert ClaimCheck("x", "outdated", None, "r", ("D2", "I4")).rule_clause == "V4;D2;I4"
    assert ClaimCheck("x", "consistent", None, "r").rule_clause == "V1"
    with pytest.raises(ValueError, match="V1"):
        ClaimCheck("x", "consistent", None, "r", ("V1",))  # the verdict names its own V-clause
    with pytest.raises(ValueError, match="X9"):
        ClaimCheck("x", "consistent", None, "r", ("X9",))


def test_network_counts_follow_the_rows_and_later_rows_make_a_claim_outdated(data):
    conn = data.connectivity
    assert claims.CHECKS["c039"](data).rule_clause == "V4;D2;I4"  # 229 in June 2025, 232 by late November
    data.__dict__["connectivity"] = conn[conn["source_id"] != "peoplejp_2025_12_01_cer120000"]
    assert claims.CHECKS["c039"](data).verdict == "consistent"  # without the later count it held
    changed = conn.copy()
    changed.loc[changed["row_id"] == "cn-047", "value"] = 230
    data.__dict__["connectivity"] = changed
    assert claims.CHECKS["c039"](data).verdict == "inconsistent"  # the June 2025 count now disagrees


def test_rows_resting_on_the_starting_article_confirm_nothing(data):
    result = claims.CHECKS["c073"](data)
    assert (result.verdict, result.rule_clause) == ("unverifiable", "V5;I1")
    links = data.links.copy()
    links.loc["l_ningxia_samarkand", "source_ids"] = "shizuishan_gov_2024_10_28"  # an independent, earlier source
    data.__dict__["links"] = links
    assert claims.CHECKS["c073"](data).verdict == "partly consistent"  # one tie confirmed, the other not found
    assert claims.CHECKS["c054"](data).rule_clause == "V5;I1"  # a signing reported by the article alone
    outcomes = data.outcomes.copy()
    outcomes.loc["o_astana_coal2gas", "source_ids"] = "qazinform_2025_06_17_coal_chem"
    data.__dict__["outcomes"] = outcomes
    assert claims.CHECKS["c054"](data).verdict == "consistent"  # were it reported elsewhere by then, it would hold


@pytest.mark.parametrize(
    ("table", "row_id", "source_ids", "claim_id", "expected"),
    [
        # evidence dated after the claim does not confirm it: the source is of 2025, the claim of 2024
        ("links", "l_shizuishan_nurabad", "trend_2025_11_24_cku", "c074", "V5;D2"),
        # a relay confirms only a producer's figure, and the starting article nothing
        ("events", "forum_11", "cr_express_2025_12_03_mirror;seed_srcenter_forum_2024", "c071", "V5;I1;I2"),
    ],
)
def test_a_rows_sources_decide_by_date_and_independence(data, table, row_id, source_ids, claim_id, expected):
    frame = getattr(data, table).copy()
    frame.loc[row_id, "source_ids"] = source_ids
    data.__dict__[table] = frame
    result = claims.CHECKS[claim_id](data)
    assert (result.verdict, result.rule_clause) == ("unverifiable", expected)


def test_event_fields_dates_and_roles_follow_the_rows(data):
    events = data.events.copy()
    events.loc["summit_2025_astana", "country_iso3"] = "UZB"
    events.loc["forum_11", "co_organisers"] = events.loc["forum_11", "co_organisers"] + "; a third body"
    events.loc["forum_11", "end_date"] = pd.Timestamp("2024-10-27")
    data.__dict__["events"] = events
    assert claims.CHECKS["c024"](data).verdict == "inconsistent"
    assert claims.CHECKS["c061"](data).verdict == "inconsistent"  # the stated 25-28 October no longer matches
    assert claims.CHECKS["c071"](data).verdict == "inconsistent"  # two co-organisers stated, three recorded
    milestones = data.milestones.copy()
    milestones.loc["cku_09", "date"] = "2023-12-27"
    data.__dict__["milestones"] = milestones
    assert claims.CHECKS["c059"](data).verdict == "inconsistent"  # 'last year' no longer
    projects = data.projects.copy()
    projects.loc[projects["project_id"] == "kz-kaskelen-solar", list(claims.CN_ROLES)] = None
    data.__dict__["projects"] = projects
    assert claims.CHECKS["c029"](data).verdict == "inconsistent"  # one of the three examples has no Chinese role


def test_stored_counts_and_capacities_stand_only_on_independent_earlier_sources(data):
    assert claims.CHECKS["c057"](data).verdict == "consistent"
    events = data.events.copy()
    events.loc["summit_2025_astana", "signed_count_source_ids"] = "seed_globaltimes_astana_2025"
    events.loc["forum_11", "signed_count"] = 28
    data.__dict__["events"] = events
    result = claims.CHECKS["c057"](data)
    assert (result.verdict, result.rule_clause) == ("unverifiable", "V5;I1")  # the count rests on the article
    assert claims.CHECKS["c076"](data).verdict == "inconsistent"  # 28 is not more than 30
    outcomes = data.outcomes.copy()
    outcomes.loc["o_astana_ceec_turkistan", "source_ids"] = "trend_2026_01_26_ceec_kz"  # January 2026 only
    data.__dict__["outcomes"] = outcomes
    result = claims.CHECKS["c050"](data)
    assert (result.verdict, result.rule_clause) == ("unverifiable", "V5;D2")


def test_a_company_account_relayed_by_the_press_confirms_no_signing(data):
    # c050, c051: the summit signings are told only by the article and by Seetao, which relays Energy China's account
    for cid in ("c050", "c051"):
        result = claims.CHECKS[cid](data)
        assert (result.verdict, result.rule_clause) == ("unverifiable", "V5;I1;I2"), cid
    sources = data.sources.copy()
    sources.loc["seetao_2025_06_24_ceec", "tier"] = "press"  # were Seetao reporting on its own, it would decide
    data.__dict__["sources"] = sources
    assert claims.CHECKS["c051"](data).verdict == "consistent"


def test_row_sourced_lists_computed_claims_whose_rows_carry_a_list_of_sources(ledger):
    found = set(claims.row_sourced(ledger, ROOT))
    assert {"c024", "c029", "c073"} <= found  # forum events, the project registry, twinning ties
    assert not found & {"c038", "c039", "c008"}  # one source per row (connectivity, Aral events)
    assert not found & set(ledger.loc[ledger["check"].isna(), "claim_id"])  # typed verdicts are not checks
