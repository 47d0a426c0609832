"""The claims ledger's written rule set, as code, and the audit of the hand-typed verdicts.

Every hand-typed verdict of ``data/claims/claims.csv`` is audited in ``data/claims/audit.csv``. An audit row records
the facts a verdict rests on (is the evidence independent? is it dated on or before the claim? does it measure the
same thing? how well does it match?) and the clause of :data:`CLAUSES` that decided it. :func:`derive` turns the
facts back into a verdict and its clause, so a test can prove that every audited verdict follows from the rule;
:func:`check_audit` lists everything in an audit that breaks the rule (see its docstring).

The clauses are the ledger's rules in words; ``book/methods.md`` carries the same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from greensilk.citations import ids_in

VERDICTS = ("consistent", "partly consistent", "inconsistent", "outdated", "unverifiable")
MATCHES = ("exact", "within tolerance", "partial", "contradicts", "none")
REL_TOL = 0.05
"""Match levels: 'exact'; 'within tolerance' = an 'about X' figure within 5 % of the evidence, or a 'more than X' /
'up to X' figure that the evidence satisfies; 'partial' = within twice the tolerance, within the tolerance on the
wrong side of a 'more than' bound, or only part of a compound claim confirmed; 'contradicts'; 'none' (the same
tolerance as :data:`greensilk.claims.REL_TOL` and :func:`greensilk.analysis.check_close`)."""


@dataclass(frozen=True)
class Clause:
    id: str
    topic: str
    text: str


CLAUSES: dict[str, Clause] = {
    c.id: c
    for c in [
        Clause(
            "I1",
            "independence",
            "Evidence is independent only if it does not come from the claim's originator: the seed article itself, "
            "the person, company or government body whose statement the seed reports, or a body speaking for the same "
            "side (a president repeating his deputy's figure). An official statistics producer (a statistics office, "
            "customs, an investment registry) reporting its own count is primary evidence even when it belongs to "
            "the same state.",
        ),
        Clause(
            "I2",
            "independence",
            "A relay or mirror copy of the originator's statement (a re-post, a syndicated copy on an unrelated site, "
            "another outlet quoting the same speaker) is the originator speaking again, not independent evidence; "
            "where a named original of a mirrored item is known, the original is cited instead of the mirror.",
        ),
        Clause(
            "I3",
            "independence",
            "State media that only repeat what the originator said (a company's or a ministry's announcement carried "
            "by a news agency) count as the originator; they are independent only where they report something "
            "observed or counted by someone else (a statistics office, customs, a regulator).",
        ),
        Clause(
            "I4",
            "independence",
            "Where the seed attributes a figure or a statement to a named producer ('according to the railway "
            "operator', 'a 2024 industry report says', 'Xinhua reported'), the claim checked is that this producer "
            "said it: the producer's own publication, or a faithful report of it by an outlet other than the seed, "
            "decides, and the reason says that the producer's figure, not the underlying fact, was confirmed.",
        ),
        Clause(
            "D1",
            "date",
            "A claim is judged against what was true when it was written: the evidence must be dated on or before "
            "the claim's date (the seed article's date, compared at the precision both dates have). Undated "
            "evidence is dated by its content.",
        ),
        Clause(
            "D2",
            "date",
            "Evidence dated after the claim cannot confirm it; if later evidence shows that what the claim said has "
            "since changed, the verdict is 'outdated'; if later evidence merely agrees, the claim stays unverified "
            "as of its date.",
        ),
        Clause(
            "D3",
            "date",
            "A forecast or target (a statement about the future) is judged against the outcome once it is known; "
            "only for such claims may the evidence post-date the claim.",
        ),
        Clause(
            "Q1",
            "quantity",
            "Compared quantities must measure the same thing: the same count, unit, period, place and basis (12 "
            "signed documents is not comparable with 'more than 100 outcomes'; a stock is not a flow).",
        ),
        Clause(
            "Q2",
            "quantity",
            "Evidence about a neighbouring fact (a different trip, project, agreement, year or body) does not bear "
            "on the claim, however similar.",
        ),
        Clause(
            "V1",
            "verdict",
            "Consistent: independent evidence (I1-I4), dated on or before the claim (D1) or the outcome of a "
            "forecast (D3), about the same quantity or fact (Q1-Q2), matches exactly or within tolerance.",
        ),
        Clause(
            "V2",
            "verdict",
            "Partly consistent: as for V1, but the match is partial: some parts of a compound claim are confirmed "
            "and the others are not found, or a number is off by more than the tolerance but less than twice it "
            "(for 'more than X': the evidence lies within the tolerance below X), and no part is contradicted. The "
            "confirmed part must include the claim's substance: a confirmed setting alone (the meeting took place, "
            "the article exists) leaves the claim unverifiable.",
        ),
        Clause(
            "V3",
            "verdict",
            "Inconsistent: independent evidence on the same quantity or fact, dated on or before the claim (or the "
            "outcome of a forecast), contradicts it.",
        ),
        Clause(
            "V4",
            "verdict",
            "Outdated: independent evidence on the same quantity or fact, dated after the claim, shows that what "
            "the claim said has changed since it was written (D2).",
        ),
        Clause(
            "V5",
            "verdict",
            "Unverifiable: no independent evidence on the same quantity or fact was found (only the originator or "
            "relays of it, only neighbouring facts, or only later evidence that agrees).",
        ),
    ]
}
"""The ledger's rule set: clause id -> clause."""

VERDICT_CLAUSE = {
    "consistent": "V1",
    "partly consistent": "V2",
    "inconsistent": "V3",
    "outdated": "V4",
    "unverifiable": "V5",
}

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _date_parts(value) -> tuple[int, ...] | None:
    """'2025', '2025-06' or '2025-06-13' -> a tuple of ints; empty or 'n.d.' -> None; anything else is an error."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    if text in ("", "n.d.", "nan", "NaT"):
        return None
    if not _DATE.match(text):
        raise ValueError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}")
    return tuple(int(p) for p in text.split("-"))


def is_after(evidence_date, claim_date) -> bool | None:
    """True if the evidence is dated after the claim, compared at the precision both dates have (D1);
    None if either date is missing."""
    e, c = _date_parts(evidence_date), _date_parts(claim_date)
    if e is None or c is None:
        return None
    n = min(len(e), len(c))
    return e[:n] > c[:n]


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return False
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no", ""):
        return False
    raise ValueError(f"not a boolean: {value!r}")


def clause_ids(rule_clause) -> list[str]:
    """The clause ids in a rule_clause cell ('V2' or 'V5;Q2'); unknown ids are an error."""
    ids = [s.strip() for s in str(rule_clause).split(";") if s.strip()]
    unknown = [i for i in ids if i not in CLAUSES]
    if unknown:
        raise ValueError(f"unknown rule clause(s) {unknown} in {rule_clause!r}")
    return ids


def derive(row) -> tuple[str, str]:
    """Re-derive (verdict, verdict clause id) from an audit row's facts.

    Uses ``evidence_independent``, ``same_quantity``, ``match``, ``evidence_date`` and ``claim_date``; a 'D3' among
    the row's ``rule_clause`` ids marks a forecast, whose outcome may post-date the claim.
    """
    match = str(row["match"]).strip()
    if match not in MATCHES:
        raise ValueError(f"claim {row.get('claim_id')}: match {match!r} not one of {MATCHES}")
    independent = _bool(row["evidence_independent"])
    same = _bool(row["same_quantity"])
    forecast = "D3" in clause_ids(row.get("rule_clause", ""))
    if match == "none" or not independent or not same:
        return "unverifiable", "V5"
    after = is_after(row.get("evidence_date"), row.get("claim_date"))
    if after is None:
        raise ValueError(f"claim {row.get('claim_id')}: evidence is used but evidence_date or claim_date is missing")
    if after and not forecast:
        return ("outdated", "V4") if match == "contradicts" else ("unverifiable", "V5")
    if match in ("exact", "within tolerance"):
        return "consistent", "V1"
    if match == "partial":
        return "partly consistent", "V2"
    return "inconsistent", "V3"


_STOP = set(
    "about after also among china chinese central asia asian between during first from have into more over that "
    "their there these this those under with were which while year years report reports reported said says news "
    "month region para seed kazakhstan uzbekistan kyrgyzstan tajikistan turkmenistan".split()
)


def _words(text) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", str(text).lower()) if w not in _STOP}


def named_originals(relay_id: str, sources: pd.DataFrame) -> list[str]:
    """Non-relay sources in ``sources`` that are the named original of a relay/mirror source: the same title
    (normalised), or the same date with at least half of the relay title's words in common (I2)."""
    src = sources.set_index("source_id")
    relay = src.loc[relay_id]
    title = _words(relay["title"])
    out = []
    for sid, row in src.iterrows():
        if sid == relay_id or row["tier"] == "relay" or row.get("kind") == "seed":
            continue
        same_title = _words(row["title"]) == title and title
        same_day = (
            str(row["date"]) == str(relay["date"])
            and _date_parts(relay["date"]) is not None
            and len(_date_parts(relay["date"])) == 3
            and title
            and len(_words(row["title"]) & title) >= max(2, len(title) / 2)
        )
        if same_title or same_day:
            out.append(sid)
    return out


NOT_FOUND = re.compile(r"not found|no source|no independent|was not retrieved|not retrieved|no record", re.I)
"""Phrases in a reason that say a figure could not be found."""

DATASET_FILES = {
    "connectivity": "trade/connectivity.csv",
    "forum_events": "forums/events.csv",
    "forum_outcomes": "forums/outcomes.csv",
    "forum_outcome_parties": "forums/outcome_parties.csv",
    "forum_links": "forums/links.csv",
    "energy_projects": "energy/projects.csv",
    "energy_project_figures": "energy/project_figures.csv",
    "aral_observations": "aral/observations.csv",
    "aral_facts": "aral/facts.csv",
    "aral_events": "aral/events.csv",
    "aral_afforestation": "aral/afforestation.csv",
}
"""The data-package tables searched for a claim's figure (electricity and carbon-intensity series hold no
single-project or single-event figures and are left out)."""


def load_datasets(root=None) -> dict[str, pd.DataFrame]:
    """The tables of :data:`DATASET_FILES`, read as text from ``root`` (default: the repository's data/)."""
    base = Path(root) if root is not None else Path(__file__).resolve().parents[2] / "data"
    return {name: pd.read_csv(base / path, dtype=str, keep_default_na=False) for name, path in DATASET_FILES.items()}


def _numbers(text) -> list[float]:
    out = []
    for m in re.findall(r"-?\d[\d,]*\.?\d*", str(text)):
        try:
            out.append(float(m.replace(",", "")))
        except ValueError:
            continue
    return out


def _row_id(name: str, df: pd.DataFrame, i) -> str:
    first = df.columns[0]
    return f"{name}:{df.loc[i, first]}"


def rows_holding(claim: pd.Series, datasets: dict[str, pd.DataFrame], seeds: set[str]) -> list[str]:
    """Dataset rows ('dataset:first-column-value') that hold the claim's stated figure: a cell equal to the stated
    value (within 0.5 %), two words of four letters or more in common with the claim, and a source that is not a
    seed article. Only plain numbers of 10 or more are searched (dates, ranges and small numbers match too much by
    chance)."""
    parts = [p.strip().replace(",", "") for p in str(claim.get("stated_value", "")).split(";") if p.strip()]
    if not parts or not all(re.fullmatch(r"\d+(\.\d+)?", p) for p in parts):
        return []  # dates, ranges and words are not searched
    values = [float(p) for p in parts if float(p) >= 10]
    if not values:
        return []
    words = _words(claim["claim"])
    out = []
    for name, df in datasets.items():
        src_cols = [c for c in df.columns if c in ("source_id", "source_ids")]
        for i in df.index:
            row = df.loc[i]
            cited = set()
            for c in src_cols:
                cited |= set(ids_in(row[c]))
            if cited and cited <= seeds:
                continue
            cells = [row[c] for c in df.columns if c not in src_cols]
            nums = [n for cell in cells for n in _numbers(cell)]
            if not any(abs(n - v) <= 0.005 * abs(v) for n in nums for v in values):
                continue
            if len(_words(" ".join(map(str, cells))) & words) < 2:
                continue
            out.append(_row_id(name, df, i))
    return out


def check_audit(audit: pd.DataFrame, claims: pd.DataFrame, sources: pd.DataFrame, datasets=None) -> list[str]:
    """Everything in ``audit`` that breaks the written rule, one line per problem (an empty list when none):

    - a verdict that does not follow from its facts and clause (:func:`derive`), or a ledger verdict that differs
      from the audited one;
    - a consistent verdict whose evidence is not independent (I1-I3);
    - claims with the same ``event_key`` that disagree or cite different evidence;
    - evidence dated after the claim used for a verdict other than 'outdated' (D1, D2), except for forecasts (D3);
    - a relay/mirror source cited where a named original of it is in ``sources`` (I2);
    - a reason saying a figure was not found when a data-package row holds it (``datasets``, default the
      committed tables; see :func:`rows_holding`) and the row is not listed in ``dataset_rows``.
    """
    problems: list[str] = []
    claims_by_id = claims.set_index("claim_id")
    src = sources.set_index("source_id")
    seeds = set(sources.loc[sources["kind"] == "seed", "source_id"])
    if datasets is None:
        datasets = load_datasets()
    for _, row in audit.iterrows():
        cid = row["claim_id"]
        where = f"claim {cid}"
        try:
            verdict, clause = derive(row)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        ids = clause_ids(row["rule_clause"])
        if row["audited_verdict"] != verdict:
            problems.append(f"{where}: verdict {row['audited_verdict']!r} does not follow from its facts ({verdict!r})")
        if VERDICT_CLAUSE.get(row["audited_verdict"]) not in ids or clause not in ids:
            problems.append(f"{where}: rule_clause {row['rule_clause']!r} does not name the deciding clause {clause}")
        if row["audited_verdict"] == "consistent" and not _bool(row["evidence_independent"]):
            problems.append(f"{where}: consistent, but the evidence is not independent")
        after = is_after(row.get("evidence_date"), row.get("claim_date"))
        if after and row["audited_verdict"] != "outdated" and "D3" not in ids and row["match"] != "none":
            if row["audited_verdict"] != "unverifiable":
                problems.append(
                    f"{where}: evidence dated {row['evidence_date']} after the claim "
                    f"({row['claim_date']}) used for {row['audited_verdict']!r}"
                )
        if cid in claims_by_id.index:
            stored = claims_by_id.loc[cid, "verdict"]
            if stored != row["audited_verdict"]:
                problems.append(f"{where}: the ledger says {stored!r}, the audit {row['audited_verdict']!r}")
        else:
            problems.append(f"{where}: not in the claims ledger")
            continue
        for sid in ids_in(row["evidence_source_ids"]):
            if sid not in src.index:
                problems.append(f"{where}: evidence source {sid} not in sources")
                continue
            if src.loc[sid, "tier"] == "relay":
                originals = named_originals(sid, sources)
                if originals:
                    problems.append(f"{where}: cites relay {sid} although a named original exists: {originals}")
            if sid == claims_by_id.loc[cid, "article_source_id"] and _bool(row["evidence_independent"]):
                problems.append(f"{where}: the seed article itself is cited as independent evidence")
        if NOT_FOUND.search(str(row["reason"])):
            listed = set(ids_in(row.get("dataset_rows")))
            for hit in rows_holding(claims_by_id.loc[cid], datasets, seeds):
                if hit not in listed:
                    problems.append(f"{where}: the reason says not found, but {hit} holds the stated figure")
    for key, group in audit.groupby("event_key"):
        if group["audited_verdict"].nunique() > 1:
            problems.append(
                f"event {key}: claims {list(group['claim_id'])} disagree ({sorted(group['audited_verdict'].unique())})"
            )
        evidence = {frozenset(ids_in(e)) for e in group["evidence_source_ids"]}
        if len(evidence) > 1:
            problems.append(f"event {key}: claims {list(group['claim_id'])} cite different evidence")
    return problems


def load_audit(root=None) -> pd.DataFrame:
    """data/claims/audit.csv through the validating loader."""
    from greensilk.data import load

    return load("claims_audit", root=root)


TOPIC_TITLES = {
    "independence": "Independence of the evidence",
    "date": "The claim's date bounds the evidence",
    "quantity": "Like with like",
    "verdict": "What each verdict requires",
}


def rules_markdown() -> str:
    """The rule set as a Markdown list grouped by topic, one bullet per clause with its id (for Methods)."""
    parts = []
    for topic, title in TOPIC_TITLES.items():
        parts.append(f"**{title}**\n")
        parts += [f"- **{c.id}.** {c.text}" for c in CLAUSES.values() if c.topic == topic]
        parts.append("")
    return "\n".join(parts)
