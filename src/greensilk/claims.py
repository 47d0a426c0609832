"""The claims ledger's computed verdicts: claims that the book's own data cover are checked here, in code, so the
ledger stays true when the data change (tests/test_claims.py compares these verdicts with the stored ones).

Each check takes a :class:`Data` (datasets loaded on demand) and returns a :class:`~greensilk.analysis.ClaimCheck`
that names the clauses of the ledger's written rule set (:mod:`greensilk.verdicts`) that decided it. Tolerances are
stated per check: numbers within :data:`REL_TOL` of the evidence are consistent, within twice that partly
consistent (see :func:`greensilk.analysis.check_close`). Checks that read a dataset row judge it on the row's own
sources under the rule set (:func:`_dated_sources`, :func:`_judge`, :func:`_gate`): the starting articles and relays
do not count, and the newest independent sources dated on or before the claim decide.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

import pandas as pd

from greensilk import aral, energy, trade
from greensilk.analysis import ClaimCheck, check_at_least, check_close
from greensilk.citations import ids_in
from greensilk.data import load
from greensilk.style import FOCUS_COUNTRIES
from greensilk.verdicts import VERDICT_CLAUSE, is_after

REL_TOL = 0.05
"""Relative tolerance for "about X" claims checked against a number in the data."""


def _dataset(name: str, key: str | None = None) -> cached_property:
    """A :class:`Data` attribute: the dataset ``name``, indexed by ``key``, loaded on first use."""

    def get(self: Data) -> pd.DataFrame:
        frame = self._load(name)
        return frame.set_index(key) if key else frame

    return cached_property(get)


class Data:
    """The datasets the checks use, each loaded (and validated) once, on first use."""

    def __init__(self, root=None):
        self.root = root

    def _load(self, name):
        return load(name, root=self.root)

    @cached_property
    def aral(self):
        return aral.seed_claims(
            self._load("aral_series"), self._load("aral_observations"), self._load("aral_facts"), self._load("sources")
        )

    @cached_property
    def seed_figures(self):
        sources = self._load("sources")
        seeds = list(sources.loc[sources["kind"] == "seed", "source_id"])
        return energy.seed_figure_checks(self._load("energy_project_figures"), seeds).set_index(["project_id", "field"])

    @cached_property
    def projects(self):
        return energy.clean_projects(self._load("energy_projects"))

    @cached_property
    def trade(self):
        return trade.to_usd(self._load("trade"), self._load("fx_cny_usd"))

    @cached_property
    def official(self):
        return trade.official(self._load("trade_imf_dots"), self._load("trade_national_stats"))

    @cached_property
    def turnover(self):
        return trade.turnover(self.official)

    @cached_property
    def gacc(self):
        return trade.gacc_quoted(self.trade)

    context = _dataset("trade_context")
    events = _dataset("forum_events", "event_id")
    outcomes = _dataset("forum_outcomes", "outcome_id")
    links = _dataset("forum_links", "link_id")
    connectivity = _dataset("connectivity")
    milestones = _dataset("milestones", "milestone_id")
    aral_events = _dataset("aral_events", "event_id")
    sources = _dataset("sources", "source_id")
    ledger = _dataset("claims", "claim_id")

    def claim_date(self, claim_id: str) -> str:
        """The date of the article that makes the claim (clause D1: the claim is judged as of this date)."""
        return str(self.sources.loc[self.ledger.loc[claim_id, "article_source_id"], "date"])


# --- evidence from dataset rows under the written rule set (greensilk.verdicts.CLAUSES) -----------------------------


def _date_text(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]  # a year read as a float
    return None if text in ("", "n.d.", "nan", "NaT") else text


def _dated_sources(d: Data, claim_id: str, source_ids, producer: bool = False, fallback=None) -> dict:
    """Sort a dataset row's sources by the rule set: ``before`` (independent, dated on or before the claim: D1),
    ``later`` (independent, dated after it: D2) and ``excluded`` (the claiming article or another seed article: I1;
    a relay or mirror: I2, unless the claim is a named producer's figure, I4, where a faithful copy of the producer's
    release is what is checked). An undated source takes the row's own date (``fallback``: dated by content), if any.
    Items are (date, source id)."""
    article = d.ledger.loc[claim_id, "article_source_id"]
    claim_date = d.claim_date(claim_id)
    out: dict = {"before": [], "later": [], "excluded": {}, "claim_date": claim_date}
    if isinstance(source_ids, str):
        source_ids = ids_in(source_ids)
    elif source_ids is None or (not isinstance(source_ids, list | tuple) and pd.isna(source_ids)):
        source_ids = []  # a row without sources confirms nothing
    for sid in source_ids:
        src = d.sources.loc[sid]
        if sid == article or src["kind"] == "seed":
            out["excluded"][sid] = "I1"
            continue
        if src["tier"] == "relay" and not producer:
            out["excluded"][sid] = "I2"
            continue
        date = _date_text(src["date"]) or _date_text(fallback)
        if date is None:
            out["excluded"][sid] = "D1"  # undated, and nothing in the row dates it
            continue
        out["later" if is_after(date, claim_date) else "before"].append((date, sid))
    return out


def _newest(items: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """The items with the newest date (dates compared at the precision both have)."""
    newest = [i for i in items if not any(is_after(j[0], i[0]) for j in items)]
    return sorted(newest, key=lambda i: str(i[1]))


def _judge(claim: str, before: list, later: list, excluded: dict, what: str, producer: bool = False) -> ClaimCheck:
    """A verdict from dated evidence items ``(date, source id, agrees, observed text)`` about the claim's own fact.

    The newest independent items dated on or before the claim decide (V1 if they agree, V3 if not); if the newest
    later items disagree with a claim that held, it is outdated (V4, D2). Without evidence from before the claim,
    later items that disagree make it outdated and later items that agree leave it unverifiable (D2, as in
    :func:`greensilk.verdicts.derive`); with no independent item at all it is unverifiable (V5), naming why the
    row's other sources do not count (I1 the claiming article, I2 a relay, D1 undated)."""
    i4 = ("I4",) if producer else ()

    def listing(items):
        by_observed: dict[str, list[str]] = {}
        for date, sid, _, obs in items:
            by_observed.setdefault(obs, []).append(f"{sid} ({date})")
        return "; ".join(f"{obs} [{', '.join(sids)}]" for obs, sids in by_observed.items())

    if before:
        newest = _newest([(i[0], i) for i in before])
        items = [i for _, i in newest]
        # named with every earlier source that records the same value: a row lists its sources for the whole row,
        # so the newest of them need not be the one that states this field
        shown = [i for i in before if i[3] in {n[3] for n in items}]
        if not all(i[2] for i in items):
            return ClaimCheck(claim, "inconsistent", None, f"{what} as of the claim's date: {listing(shown)}", i4)
        reason = f"{what} as of the claim's date: {listing(shown)}"
        later_items = [i for _, i in _newest([(i[0], i) for i in later])] if later else []
        if later_items and not all(i[2] for i in later_items):
            return ClaimCheck(claim, "outdated", None, f"{reason}; since then: {listing(later_items)}", ("D2", *i4))
        return ClaimCheck(claim, "consistent", None, reason, i4)
    if later:
        items = [i for _, i in _newest([(i[0], i) for i in later])]
        if not all(i[2] for i in items):
            return ClaimCheck(claim, "outdated", None, f"{what} only after the claim: {listing(items)}", ("D2", *i4))
        return ClaimCheck(claim, "unverifiable", None, f"{what} only after the claim: {listing(items)}", ("D2", *i4))
    why = sorted(set(excluded.values()))
    words = {"I1": "the claiming article or another starting article", "I2": "a relay", "D1": "undated"}
    reason = f"no independent source for {what}" + (
        f" (the row rests on {', '.join(words[w] for w in why)}: {', '.join(sorted(excluded))})" if excluded else ""
    )
    return ClaimCheck(claim, "unverifiable", None, reason, tuple(w for w in why if w != "D1"))


def _compound(claim: str, parts: list[ClaimCheck]) -> ClaimCheck:
    """One verdict for a claim made of several parts (V2: some parts confirmed and the others not found is partly
    consistent; a contradicted part makes it inconsistent; an overtaken part, outdated)."""
    verdicts = {p.verdict for p in parts}
    if "inconsistent" in verdicts:
        verdict = "inconsistent"
    elif "outdated" in verdicts:
        verdict = "outdated"
    elif verdicts == {"consistent"}:
        verdict = "consistent"
    elif verdicts == {"unverifiable"}:
        verdict = "unverifiable"
    else:
        verdict = "partly consistent"
    clauses = tuple(dict.fromkeys(c for p in parts for c in p.clauses))
    observed = parts[0].observed if len(parts) == 1 else None
    return ClaimCheck(claim, verdict, observed, "; ".join(p.reason for p in parts), clauses)


def _seed_figure(project: str, field: str, claim: str) -> Callable[[Data], ClaimCheck]:
    def check(d: Data) -> ClaimCheck:
        row = d.seed_figures.loc[(project, field)]
        observed = None if pd.isna(row["closest_independent"]) else float(row["closest_independent"])
        reason = (
            f"closest other source: {observed:,.6g}; all others: {row['independent_values']}"
            if observed is not None
            else "no source other than the article states this figure"
        )
        alone = observed is None and row["verdict"] == "unverifiable"  # only the starting article states it (I1)
        return ClaimCheck(claim, row["verdict"], observed, reason, ("I1",) if alone else ())

    return check


def _china_total(d: Data, partner: str, year: int) -> float | None:
    """China's customs total for a country (or C5) and year, in US$ bn: IMF DOTS (China's side) up to 2020, China's
    customs as quoted from 2021 (the official series that covers the year)."""
    if year <= 2020:
        t = d.turnover
        if partner == "C5":
            s = trade.region_total(t).set_index("year")["usd_m"]
        else:
            s = t[(t["country_iso3"] == partner) & (t["side"] == "china")].set_index("year")["usd_m"]
    else:
        g = d.gacc
        s = g[(g["country_iso3"] == partner) & (g["direction"] == "total")].set_index("year")["usd_m"]
    return float(s.loc[year]) / 1000 if year in s.index else None


def _partner_note(d: Data, partner: str, year: int) -> str:
    """What the partner's own official statistics record for the same year (no verdict rests on it)."""
    t = d.turnover
    codes = list(FOCUS_COUNTRIES) if partner == "C5" else [partner]
    rows = t[t["country_iso3"].isin(codes) & (t["side"] == "partner") & (t["year"] == year) & ~t["flagged"]]
    rows = rows.sort_values("basis", ascending=False).drop_duplicates("country_iso3")  # national office first
    if partner == "C5":
        have = sorted(rows["country_iso3"])
        return f"; partner statistics for {year} exist for {', '.join(have) or 'none'} of the five, so no partner total"
    if rows.empty:
        return f"; no partner-side official figure for {year}"
    r = rows.iloc[0]
    return f"; the partner's {trade.BASIS_NAMES[r['basis']]} records {r['usd_m'] / 1000:,.2f}bn for {year}"


def _trade_close(partner: str, year: int, stated_bn: float, claim: str):
    def check(d: Data) -> ClaimCheck:
        r = check_close(claim, _china_total(d, partner, year), stated_bn, REL_TOL)
        return ClaimCheck(r.claim, r.verdict, r.observed, r.reason + _partner_note(d, partner, year))

    return check


def _trade_more_than(partner: str, year: int, stated_bn: float, claim: str, forecast: bool = False):
    """A 'more than' trade total; ``forecast`` marks a claim about a year not yet over when it was written, judged
    against the outcome (clause D3)."""

    def check(d: Data) -> ClaimCheck:
        r = check_at_least(claim, _china_total(d, partner, year), stated_bn, tolerance=stated_bn * REL_TOL)
        clauses = ("D3",) if forecast else ()
        return ClaimCheck(r.claim, r.verdict, r.observed, r.reason + _partner_note(d, partner, year), clauses)

    return check


def _part_year(partner: str, year: int, period: str, stated_bn: float, claim: str):
    """A part-year figure against China's customs figure for the same months, if the data hold one."""

    def check(d: Data) -> ClaimCheck:
        t = d.trade
        rows = t[(t["partner_iso3"] == partner) & (t["year"] == year) & (t["period"] == period)]
        rows = rows[(rows["reporter"] == "china") & (rows["flow"] == "total") & rows["usd_m"].notna()]
        if rows.empty:
            return ClaimCheck(claim, "unverifiable", None, f"no China-reported {period} {year} figure in the data")
        return check_close(claim, float(trade.pick(rows)["usd_m"]) / 1000, stated_bn, REL_TOL)

    return check


def _growth_2023(d: Data) -> ClaimCheck:
    observed = (_china_total(d, "C5", 2023) / _china_total(d, "C5", 2022) - 1) * 100
    return check_close("China–Central Asia trade grew 27 % in 2023", observed, 27.0, REL_TOL)


def _kaz_oil_share(d: Data) -> ClaimCheck:
    rows = d.context[d.context["topic"] == "KAZ oil and gas share of total exports"]
    return check_close("oil is about 60 % of Kazakhstan's exports", float(rows["value"].iloc[0]), 60.0, 0.10)


def _kaz_clean_capacity(d: Data) -> ClaimCheck:
    """'Chinese-backed' read as a Chinese owner or lender (EPC work and equipment sales do not back a plant):
    operating clean capacity in Kazakhstan in the registry, reported by 2025 (the claim's year)."""
    p = d.projects
    kaz = p[(p["country_iso3"] == "KAZ") & (p["status"] == "operating") & (p["status_year"] <= 2025)]
    backed = kaz["cn_equity_owner"].notna() | kaz["cn_lender"].notna()
    mw = float(kaz.loc[backed, "capacity_mw"].sum())
    any_role = float(kaz["capacity_mw"].sum())
    stated = kaz["cn_equity_pct"].notna()
    equity = float((kaz.loc[stated, "capacity_mw"] * kaz.loc[stated, "cn_equity_pct"] / 100).sum())
    result = check_at_least("Chinese-backed clean capacity in Kazakhstan > 1,000 MW", mw, 1000.0, tolerance=100.0)
    reason = (
        f"{result.reason} (operating plants with a Chinese owner or lender in the registry; {any_role:,.4g} MW with "
        f"any Chinese role; {equity:,.4g} MW weighted by the stakes sources state)"
    )
    return ClaimCheck(result.claim, result.verdict, mw, reason)


def _role_holder(
    claim_id: str,
    project_ids: str | tuple[str, ...],
    company: str | None,
    roles: tuple[str, ...],
    claim: str,
    technologies: tuple[str, ...] | None = None,
):
    """A claim that a named company (``company``), or any Chinese company (None), holds one of ``roles`` (registry
    role fields) in each of ``project_ids``, optionally of the given technologies. Each project is judged on the
    registry row's independent sources dated on or before the claim (:func:`_judge`); several projects are parts of
    one claim (:func:`_compound`)."""
    ids = (project_ids,) if isinstance(project_ids, str) else tuple(project_ids)

    def part(d: Data, project_id: str) -> ClaimCheck:
        row = d.projects.set_index("project_id").loc[project_id]
        names = {f: row[f] for f in roles if isinstance(row[f], str)}
        found = [f for f, name in names.items() if company is None or company.lower() in name.lower()]
        tech_ok = technologies is None or row["technology"] in technologies
        who = company or "a Chinese company"
        if found and tech_ok:
            observed = f"{row['technology']}, {who} as {', '.join(found)}"
        else:
            observed = f"{row['technology']}, roles {names or 'none recorded'}"
        dated = _dated_sources(d, claim_id, row["source_ids"], fallback=row["status_year"])
        agrees = bool(found) and tech_ok
        items = {k: [(date, sid, agrees, observed) for date, sid in dated[k]] for k in ("before", "later")}
        return _judge(claim, items["before"], items["later"], dated["excluded"], f"the registry's {project_id}")

    def check(d: Data) -> ClaimCheck:
        return _compound(claim, [part(d, p) for p in ids])

    return check


def _value_agrees(stated: float, stated_qualifier: str | None, value: float, qualifier) -> bool:
    """Does a dataset value (with its qualifier) bear out a stated one? Exact claims need the same exact number;
    'more than X' is borne out by a larger exact number or by 'more than' at least X; 'about X' by a value within
    :data:`REL_TOL`."""
    q = None if qualifier is None or (not isinstance(qualifier, str) and pd.isna(qualifier)) else qualifier
    if stated_qualifier is None:
        return q is None and float(value) == float(stated)
    if stated_qualifier == "more_than":
        return (q is None and value > stated) or (q == "more_than" and value >= stated)
    if stated_qualifier == "about":
        return q in (None, "about") and abs(value - stated) <= REL_TOL * abs(value)
    raise ValueError(f"qualifier {stated_qualifier!r} not handled")


def _indicators(claim_id: str, parts: tuple[tuple[str, float, str | None], ...], claim: str):
    """A figure that the article attributes to its producer (the railway operator's network counts, a trade city's
    turnover: clause I4) against the connectivity dataset: for each part
    (indicator, stated value, qualifier), the rows of that indicator from sources other than the starting articles,
    the newest dated on or before the claim deciding and later rows showing whether it has been overtaken."""

    def part(d: Data, indicator: str, stated: float, qualifier: str | None) -> ClaimCheck:
        rows = d.connectivity[d.connectivity["indicator"] == indicator]
        if rows.empty:
            raise KeyError(f"no connectivity rows for indicator {indicator!r}")
        items: dict = {"before": [], "later": []}
        excluded: dict = {}
        for _, row in rows.iterrows():
            dated = _dated_sources(d, claim_id, [row["source_id"]], producer=True, fallback=row["year"])
            excluded |= dated["excluded"]
            word = QUALIFIER_WORDS.get(row["qualifier"], "") if isinstance(row["qualifier"], str) else ""
            observed = f"{word} {row['value']:,.0f} {row['unit']}".strip()
            agrees = _value_agrees(stated, qualifier, row["value"], row["qualifier"])
            for k in items:
                items[k] += [(date, sid, agrees, observed) for date, sid in dated[k]]
        return _judge(claim, items["before"], items["later"], excluded, indicator, producer=True)

    def check(d: Data) -> ClaimCheck:
        return _compound(claim, [part(d, *p) for p in parts])

    return check


ROW_DATE = {"events": "start_date", "links": "established_year"}
"""The field that dates a row by its content, for sources without a date (D1)."""


def _row_facts(
    claim_id: str,
    table: str,
    row_ids: str | tuple[str, ...],
    expected: dict[str, tuple[str, ...]],
    claim: str,
    counts: dict[str, int] | None = None,
):
    """Facts recorded in rows of the forums data (``table``: 'events', 'outcomes' or 'links'): a forum's dates,
    city, country, theme or co-organisers, the parties to a signed agreement, the kind of a twinning tie. In each row,
    each field of ``expected`` must contain every one of its terms (case-insensitive; dates as YYYY-MM-DD) and each
    field of ``counts`` list that many ';'-separated items; a row is judged on its own sources, independent and dated
    on or before the claim (:func:`_judge`); several rows are parts of one claim (:func:`_compound`). A row that rests
    only on the starting articles confirms nothing (I1)."""
    ids = (row_ids,) if isinstance(row_ids, str) else tuple(row_ids)

    def part(d: Data, row_id: str) -> ClaimCheck:
        row = getattr(d, table).loc[row_id]
        texts = {f: _date_text(row[f]) or "" for f in [*expected, *(counts or {})]}
        agrees = all(t.lower() in texts[f].lower() for f, terms in expected.items() for t in terms)
        for f, n in (counts or {}).items():
            agrees = agrees and len([x for x in texts[f].split(";") if x.strip()]) == n
        fallback = row[ROW_DATE[table]] if table in ROW_DATE else None
        dated = _dated_sources(d, claim_id, row["source_ids"], fallback=fallback)
        observed = ", ".join(f"{f} '{t}'" for f, t in texts.items())
        items = {k: [(date, sid, agrees, observed) for date, sid in dated[k]] for k in ("before", "later")}
        return _judge(claim, items["before"], items["later"], dated["excluded"], row_id)

    def check(d: Data) -> ClaimCheck:
        return _compound(claim, [part(d, r) for r in ids])

    return check


def _years_since(claim_id: str, table: str, row_id: str, stated: int, claim: str, how: str = "whole years"):
    """'Launched last year' (``how='calendar years'``: the event's year is ``stated`` years before the claim's year)
    or 'running for two years' (``how='whole years'``: ``stated`` whole years elapsed from the event to the claim's
    date, counted in months, so both dates must give the month): the dated event is a row of ``table``
    ('milestones' or 'aral_events')."""

    def check(d: Data) -> ClaimCheck:
        row = getattr(d, table).loc[row_id]
        event = _date_text(row["date"])
        claim_date = d.claim_date(claim_id)
        e, c = [int(x) for x in event.split("-")], [int(x) for x in claim_date.split("-")]
        if how == "calendar years":
            elapsed = c[0] - e[0]
        elif how == "whole years" and len(e) >= 2 and len(c) >= 2:
            months = (c[0] - e[0]) * 12 + (c[1] - e[1]) - (1 if len(e) == 3 == len(c) and c[2] < e[2] else 0)
            elapsed = months // 12
        else:
            raise ValueError(f"{table} {row_id}: cannot count {how} from {event} to {claim_date}")
        agrees = elapsed == stated
        source_ids = row["source_ids"] if "source_ids" in row.index else row["source_id"]
        dated = _dated_sources(d, claim_id, source_ids, fallback=event)
        unit = how[:-1] if elapsed == 1 else how
        observed = f"dated {event}, {elapsed} {unit} before the claim ({claim_date})"
        items = {k: [(date, sid, agrees, observed) for date, sid in dated[k]] for k in ("before", "later")}
        return _judge(claim, items["before"], items["later"], dated["excluded"], f"{table} {row_id}")

    return check


def _gate(d: Data, claim_id: str, source_ids, result: ClaimCheck, fallback=None) -> ClaimCheck:
    """A value comparison (``result``) stands only on independent sources dated on or before the claim (I1, I2,
    D1); with later sources only, a disagreeing value makes the claim outdated and an agreeing one leaves it
    unverifiable (D2); with none, it is unverifiable."""
    dated = _dated_sources(d, claim_id, source_ids, fallback=fallback)
    if dated["before"]:
        return result
    if dated["later"]:
        if result.verdict == "inconsistent":
            return ClaimCheck(result.claim, "outdated", result.observed, result.reason + " (later sources)", ("D2",))
        reason = result.reason + " (only sources dated after the claim)"
        return ClaimCheck(result.claim, "unverifiable", result.observed, reason, ("D2",))
    why = tuple(sorted({w for w in dated["excluded"].values() if w != "D1"}))
    return ClaimCheck(result.claim, "unverifiable", None, "no independent source for the stored value", why)


def _deal_capacity(claim_id: str, outcome_id: str, stated: float, claim: str):
    """A deal's capacity against the forums dataset's outcome row, on the row's sources (:func:`_gate`)."""

    def check(d: Data) -> ClaimCheck:
        o = d.outcomes.loc[outcome_id]
        return _gate(d, claim_id, o["source_ids"], check_close(claim, float(o["capacity_mw"]), stated, REL_TOL))

    return check


def _event_count(claim_id: str, event_id: str, field: str, stated: float, claim: str, exact: bool = False):
    """A count stored for a forum or summit (``field``: 'participants' or 'signed_count', with its '_qualifier'
    and, where the dataset has them, '_what' and '_source_ids' columns): exactly ``stated`` (``exact``: the
    stored count must be exact too) or more than ``stated``; judged on the count's own sources (:func:`_gate`)."""

    def check(d: Data) -> ClaimCheck:
        e = d.events.loc[event_id]
        sources = e[f"{field}_source_ids"] if f"{field}_source_ids" in e.index else e["source_ids"]
        if pd.isna(e[field]):
            return ClaimCheck(claim, "unverifiable", None, f"no {field} stored for the event")
        n, q = float(e[field]), e[f"{field}_qualifier"]
        what = f"{e[f'{field}_what']}, " if f"{field}_what" in e.index and isinstance(e[f"{field}_what"], str) else ""
        detail = f"stored {field.replace('_', ' ')}: {n:,.0f} ({what}{q})"
        if exact:
            same = n == stated and q == "exact"
            result = ClaimCheck(claim, "consistent" if same else "inconsistent", n, detail)
        elif q == "more_than" and n >= stated:
            result = ClaimCheck(claim, "consistent", n, f"{detail}, which satisfies more than {stated:,.0f}")
        else:
            r = check_at_least(claim, n, stated)
            result = ClaimCheck(claim, r.verdict, n, f"{detail}; {r.reason}")
        return _gate(d, claim_id, sources, result, fallback=e["start_date"])

    return check


CN_ROLES = ("cn_equity_owner", "cn_epc", "cn_equipment", "cn_lender")
"""The registry's fields that name a Chinese company's role in a project."""

CHECKS: dict[str, Callable[[Data], ClaimCheck]] = {
    "c003": lambda d: d.aral["rank"],
    "c004": lambda d: d.aral["area_loss"],
    "c005": lambda d: d.aral["desert"],
    "c013": _seed_figure("uz-buka-solar", "annual_gwh", "Buka plant > 570 GWh a year"),
    "c014": _seed_figure("uz-buka-solar", "co2_avoided_t", "Buka plant avoids 440,000 t CO2 a year"),
    "c016": _seed_figure("kz-turgusun-1-hydro", "annual_gwh", "Turgusun generates 79.8 GWh a year"),
    "c017": _seed_figure("kz-turgusun-1-hydro", "co2_avoided_t", "Turgusun avoids 72,000 t CO2 a year"),
    "c025": _kaz_oil_share,
    "c036": _trade_close("C5", 2024, 94.8, "China–Central Asia trade $94.8bn in 2024"),
    "c037": _trade_more_than("C5", 2025, 100.0, "China–Central Asia trade moving toward $100bn in 2025", forecast=True),
    "c042": _role_holder(
        "c042",
        "kz-shelek-wind",
        "POWERCHINA",
        CN_ROLES,
        "the Shelek wind farm is linked to PowerChina",
    ),
    "c044": _role_holder(
        "c044", "kz-akmola-wind-cluster", "SPIC", ("cn_equity_owner",), "the Akmola cluster belongs to a SPIC company"
    ),
    "c045": _seed_figure("kz-akmola-wind-cluster", "annual_gwh", "Akmola cluster supplies 843 GWh a year"),
    "c047": _seed_figure("kz-akmola-wind-cluster", "co2_avoided_t", "Akmola cluster avoids 686,600 t CO2 a year"),
    "c049": _kaz_clean_capacity,
    "c050": _deal_capacity(
        "c050", "o_astana_ceec_turkistan", 300.0, "300 MW solar-plus-storage deal in Turkistan Region"
    ),
    "c051": _deal_capacity(
        "c051", "o_astana_ceec_karaganda", 500.0, "500 MW wind-plus-storage deal in Karaganda Region"
    ),
    "c057": _event_count(
        "c057",
        "summit_2025_astana",
        "signed_count",
        12,
        "12 cooperation documents signed at the Astana summit",
        exact=True,
    ),
    "c061": _row_facts(
        "c061",
        "events",
        "forum_11",
        {"city": ("Yinchuan",), "start_date": ("2024-10-25",), "end_date": ("2024-10-28",)},
        "11th forum held 25–28 October 2024 in Yinchuan",
    ),
    "c067": _trade_more_than("C5", 2023, 89.0, "China–Central Asia trade over $89bn in 2023"),
    "c069": _part_year("C5", 2024, "jan-sep", 69.0, "China–Central Asia trade $69bn in January–September 2024"),
    "c070": _part_year("KAZ", 2024, "jan-sep", 33.0, "China–Kazakhstan trade $33bn in January–September 2024"),
    "c068": _trade_close("KAZ", 2023, 41.0, "Kazakhstan's trade with China $41bn in 2023"),
    "c072": _event_count("c072", "forum_11", "participants", 300, "over 300 participants at the 11th forum"),
    "c076": _event_count("c076", "forum_11", "signed_count", 30, "more than 30 agreements signed at the 11th forum"),
    "c075": _trade_more_than("KAZ", 2023, 89.0, "China–Kazakhstan trade over $89bn in 2023"),
    "c067g": _growth_2023,
    "c008": _years_since(
        "c008", "aral_events", "aral-ev-036", 2, "a Chinese photovoltaic demonstration for the Aral, running two years"
    ),
    "c024": _row_facts(
        "c024",
        "events",
        "summit_2025_astana",
        {"country_iso3": ("KAZ",)},
        "the 2025 China–Central Asia summit was in Kazakhstan",
    ),
    "c029": _role_holder(
        "c029",
        ("kz-zhanatas-wind", "kz-turgusun-1-hydro", "kz-kaskelen-solar"),
        None,
        CN_ROLES,
        "Zhanatas wind, Turgusun hydro and Kaskelen solar are China–Central Asia renewable projects",
        technologies=("wind", "solar", "hydro"),
    ),
    "c038": _indicators("c038", (("cer_cities_china", 128, None),), "128 Chinese cities on the China–Europe trains"),
    "c039": _indicators(
        "c039",
        (("cer_cities_europe", 229, None), ("cer_countries_europe", 26, None)),
        "the trains reach 229 cities in 26 European countries",
    ),
    "c040": _indicators(
        "c040",
        (("cer_cities_asia", 100, "more_than"), ("cer_countries_asia", 11, None)),
        "the trains reach more than 100 cities in 11 Asian countries",
    ),
    "c041": _indicators(
        "c041",
        (("cer_goods_categories", 53, None), ("cer_goods_varieties", 50000, "more_than")),
        "goods in 53 categories and more than 50,000 varieties",
    ),
    "c059": _years_since(
        "c059", "milestones", "cku_09", 1, "the CKU railway project was launched last year", how="calendar years"
    ),
    "c062": _row_facts(
        "c062",
        "events",
        "forum_11",
        {"theme": ("promoting green development", "building a common home")},
        "the 11th forum's theme: promoting green development, building a common home",
    ),
    "c071": _row_facts(
        "c071",
        "events",
        "forum_11",
        {"co_organisers": ("good-neighbourliness", "ningxia")},
        "the SCO good-neighbourliness commission and Ningxia's government co-organised the 11th forum",
        counts={"co_organisers": 2},
    ),
    "c073": _row_facts(
        "c073",
        "links",
        ("l_ningxia_samarkand", "l_ningxia_khorezm"),
        {"kind": ("sister_region",)},
        "Ningxia signed sister-region ties with Samarkand and Khorezm",
    ),
    "c074": _row_facts(
        "c074",
        "links",
        "l_shizuishan_nurabad",
        {"kind": ("sister_city",)},
        "Shizuishan became a sister city of Nurabad district",
    ),
    "c054": _row_facts(
        "c054",
        "outcomes",
        "o_astana_coal2gas",
        {
            "parties": ("China National Chemical Engineering", "East China Engineering", "QazaqGaz Scientific"),
            "title": ("first coal-to-gas",),
        },
        "two Chinese chemical-engineering firms signed with QazaqGaz's technical centre on the first coal-to-gas plant",
    ),
    "c035": _indicators(
        "c035",
        (("horgos_yiwu_ecommerce_turnover", 100_000_000, "more_than"),),
        "the Khorgos live-streaming base had more than 100 million yuan of transactions by the end of 2024",
    ),
    "c052": _row_facts(
        "c052",
        "outcomes",
        "o_astana_ceec_h2",
        {"title": ("hydrogen",), "type": ("mou",), "parties": ("China Energy Engineering",)},
        "Energy China signed a memorandum on hydrogen research in Central Asia at the 2025 Astana summit",
    ),
    "c056": _row_facts(
        "c056",
        "outcomes",
        "o_energy25_powerchina",
        {"parties": ("PowerChina", "Ministry of Energy of Kazakhstan"), "event_id": ("energy_forum_2025_astana",)},
        "PowerChina signed a strategic cooperation deal with Kazakhstan's energy ministry at the 2025 energy forum",
    ),
}
"""Claim id → check. 'c067g' tests the growth rate stated in the same sentence as c067; the ledger row carries it
as a second check of c067 (both must hold for a consistent verdict)."""


def compute(root=None) -> pd.DataFrame:
    """Run every check; one row per claim id with the verdict, the observed value and the reason."""
    data = Data(root)
    rows = []
    for claim_id, check in CHECKS.items():
        result = check(data)
        rows.append(
            {
                "check_id": claim_id,
                "verdict": result.verdict,
                "rule_clause": result.rule_clause,
                "observed": result.observed,
                "reason": result.reason,
            }
        )
    out = pd.DataFrame(rows)
    out["claim_id"] = out["check_id"].str[:4]
    return out


def row_sourced(ledger: pd.DataFrame, root=None) -> list[str]:
    """Computed claims whose datasets (``evidence_datasets``) list sources for a whole row (a ``source_ids`` field)
    rather than one per value: their checks cannot tell which of a row's sources gave the value they read."""
    from greensilk.data import load_package, resource_descriptor, schema_of

    package = load_package(root)
    per_row = {
        r["name"]
        for r in package["resources"]
        if any(f["name"] == "source_ids" for f in schema_of(resource_descriptor(r["name"], package))["fields"])
    }
    out = []
    for _, row in ledger[ledger["check"] == "computed"].iterrows():
        names = {n.strip() for n in str(row["evidence_datasets"]).split(";") if n.strip()}
        if names & per_row:
            out.append(row["claim_id"])
    return out


def combined(results: pd.DataFrame) -> pd.DataFrame:
    """One verdict per claim: the worst of its checks (consistent < partly consistent < inconsistent;
    unverifiable only if every check is), with the rule clause of the check that decided it."""
    rank = {"consistent": 0, "partly consistent": 1, "outdated": 2, "inconsistent": 3, "unverifiable": -1}
    rows = []
    for claim_id, group in results.groupby("claim_id", sort=True):
        ranked = group.assign(r=group["verdict"].map(rank)).sort_values("r")
        worst = ranked.iloc[-1]
        clause = worst["rule_clause"] if "rule_clause" in group else VERDICT_CLAUSE[worst["verdict"]]
        rows.append(
            {
                "claim_id": claim_id,
                "computed_verdict": worst["verdict"],
                "computed_clause": clause,
                "computed_reason": "; ".join(group["reason"]),
            }
        )
    return pd.DataFrame(rows)


VERDICT_COLOURS = {
    "consistent": "#009E73",
    "partly consistent": "#E6AB02",
    "outdated": "#CC79A7",
    "inconsistent": "#D55E00",
    "unverifiable": "#BDBDBD",
}
ARTICLE_NAMES = {
    "seed_feature_2025": "Xinhua feature (Jun 2025)",
    "seed_cgtn_green_policies_2025": "CGTN opinion (2025)",
    "seed_cgtn_tech_growth_2025": "CGTN report (13 Jun 2025)",
    "seed_globaltimes_astana_2025": "Global Times (Jun 2025)",
    "seed_srcenter_forum_2024": "SR-Center (2024)",
}


def verdict_figure(ledger: pd.DataFrame):
    """Two panels of stacked bars: verdict counts per article and per theme."""
    import matplotlib.pyplot as plt
    import numpy as np

    fig, axes = plt.subplots(1, 2, figsize=(7.5, 3.6), gridspec_kw={"width_ratios": [1.1, 1]})
    for ax, (column, names) in zip(axes, [("article_source_id", ARTICLE_NAMES), ("theme", {})], strict=True):
        counts = ledger.groupby([column, "verdict"]).size().unstack(fill_value=0)
        counts = counts.reindex(columns=[v for v in VERDICT_COLOURS if v in counts.columns])
        counts = counts.loc[counts.sum(axis=1).sort_values().index]
        left = np.zeros(len(counts))
        labels = [names.get(i, str(i).capitalize()) for i in counts.index]
        for verdict in counts.columns:
            ax.barh(labels, counts[verdict], left=left, color=VERDICT_COLOURS[verdict], edgecolor="white")
            left += counts[verdict].to_numpy()
        ax.set_xlabel("Claims")
        ax.tick_params(labelsize=8)
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=c, label=v.capitalize()) for v, c in VERDICT_COLOURS.items()]
    fig.legend(handles=handles, loc="lower center", ncol=5, fontsize=8)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


QUALIFIER_WORDS = {"more_than": "more than", "less_than": "less than", "at_least": "at least", "up_to": "up to"}


def _plain(text) -> str:
    """Text safe inside MyST Markdown: '$' would start maths, '*' emphasis; theme tags are dropped."""
    import re

    text = re.sub(r"\s*\[[a-z]+ theme\]", "", str(text))
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("*", "\\*")


def detail_markdown(ledger: pd.DataFrame) -> str:
    """Per-claim detail as MyST Markdown: the claim, stated and independent values, verdict with the rule clauses
    that decided it (and whether it is computed), reason, sources."""
    parts = []
    for _, row in ledger.iterrows():
        qualifier = QUALIFIER_WORDS.get(row["stated_qualifier"], row["stated_qualifier"])
        stated = " ".join(_plain(v) for v in (qualifier, row["stated_value"], row["stated_unit"]) if pd.notna(v))
        found = " ".join(_plain(v) for v in (row["independent_value"], row["independent_unit"]) if pd.notna(v))
        cites = [
            f"{{cite:t}}`{s.strip()}`"
            for s in str(row["evidence_source_ids"]).split(";")
            if pd.notna(row["evidence_source_ids"]) and s.strip()
        ]
        rule = row.get("rule_clause")
        rule = f" (rule {_plain(rule).replace(';', ', ')})" if isinstance(rule, str) and rule else ""
        how = " · computed" if str(row.get("check")) == "computed" else ""
        lines = [
            f"**{row['claim_id']}** · {ARTICLE_NAMES[row['article_source_id']]} ({row['seed_locator']}) · "
            f"*{row['verdict']}*{rule}{how}",
            "",
            f": {_plain(row['claim'])}",
        ]
        detail = []
        if stated:
            detail.append(f"stated: {stated}")
        if found:
            detail.append(f"found: {found}")
        if pd.notna(row["evidence_datasets"]):
            detail.append(f"computed from: {row['evidence_datasets']}")
        text = (" · ".join(detail) + ". ") if detail else ""
        text += _plain(row["reason"])
        if cites:
            text += " Sources: " + ", ".join(cites) + "."
        lines += [f": {text}", ""]
        parts.append("\n".join(lines))
    return "\n".join(parts)
