"""Small, tested calculations that chapters share: changes against a baseline and checks of stated claims."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

VERDICTS = ("consistent", "partly consistent", "inconsistent", "outdated", "unverifiable")


def percent_change(value, baseline):
    """(value − baseline) / baseline × 100; works element-wise on Series. A zero or missing baseline is an error."""
    baseline_series = pd.Series(baseline) if not isinstance(baseline, pd.Series) else baseline
    if (baseline_series.fillna(0) == 0).any():
        raise ValueError("percent change needs a non-zero baseline")
    return (value - baseline) / baseline * 100


def loss_against_baseline(frame: pd.DataFrame, baseline: pd.Series, value: str = "value", key: str = "metric"):
    """Percent lost relative to a baseline per group: 100 × (baseline − value) / baseline.

    ``frame`` has one row per observation with a ``key`` column (e.g. the metric) and a ``value`` column;
    ``baseline`` maps each key to its baseline value. Rows whose key has no baseline are dropped, not guessed.
    """
    known = frame[frame[key].isin(baseline.index)].copy()
    base = known[key].map(baseline)
    known["baseline"] = base
    known["loss_pct"] = -percent_change(known[value], base)
    return known


@dataclass(frozen=True)
class ClaimCheck:
    """The outcome of testing a stated claim against independent values.

    ``clauses`` are the ids of the independence, date or quantity clauses of the ledger's written rule set
    (:data:`greensilk.verdicts.CLAUSES`) that shaped the verdict; the deciding verdict clause (V1-V5) follows from
    the verdict itself and leads :attr:`rule_clause`, in the same form as the audit's ``rule_clause`` column.
    """

    claim: str
    verdict: str
    observed: float | None
    reason: str
    clauses: tuple[str, ...] = ()

    def __post_init__(self):
        from greensilk.verdicts import CLAUSES

        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict {self.verdict!r} is not one of {VERDICTS}")
        bad = [c for c in self.clauses if c not in CLAUSES or CLAUSES[c].topic == "verdict"]
        if bad:
            raise ValueError(f"{bad} are not independence, date or quantity clauses (the verdict names its V-clause)")

    @property
    def rule_clause(self) -> str:
        """The deciding verdict clause, then the shaping clauses: 'V1', 'V4;D2;I4', ..."""
        from greensilk.verdicts import VERDICT_CLAUSE

        return ";".join(dict.fromkeys((VERDICT_CLAUSE[self.verdict], *self.clauses)))


def check_at_least(claim: str, observed: float | None, threshold: float, tolerance: float = 0.0) -> ClaimCheck:
    """Test a claim of the form "more than ``threshold``" against an observed value.

    consistent: observed > threshold; partly consistent: within ``tolerance`` (same units) below it;
    inconsistent: further below; unverifiable: no observed value.
    """
    if observed is None or pd.isna(observed):
        return ClaimCheck(claim, "unverifiable", None, "no independent value in the data")
    if observed > threshold:
        return ClaimCheck(claim, "consistent", float(observed), f"observed {observed:,.4g} exceeds {threshold:,.4g}")
    if observed >= threshold - tolerance:
        return ClaimCheck(
            claim, "partly consistent", float(observed), f"observed {observed:,.4g} is within the tolerance below"
        )
    return ClaimCheck(claim, "inconsistent", float(observed), f"observed {observed:,.4g} is below {threshold:,.4g}")


def whole_sea(observations: pd.DataFrame) -> pd.DataFrame:
    """Whole-sea values per (year, source, metric): reported ones, plus north + south sums where only parts exist.

    Only additive metrics (area, volume) are summed; a summed row is marked ``basis = 'derived'`` with a note.
    Levels and salinities differ between the basins and are never combined.
    """
    whole = observations[observations["water_body"] == "whole"].copy()
    parts = observations[
        observations["water_body"].isin(["north", "south"]) & observations["metric"].isin(["area", "volume"])
    ]
    keys = ["year", "source_id", "metric", "unit"]
    have = set(map(tuple, whole[keys].astype(str).itertuples(index=False, name=None)))
    summed = []
    for key, group in parts.groupby(keys):
        if tuple(map(str, key)) in have or set(group["water_body"]) != {"north", "south"}:
            continue
        if group["water_body"].duplicated().any():
            continue  # two values for one basin from one source and year: ambiguous, do not add
        summed.append(
            dict(zip(keys, key, strict=True))
            | {"water_body": "whole", "value": group["value"].sum(), "basis": "derived", "note": "north + south"}
        )
    out = pd.concat([whole, pd.DataFrame(summed)], ignore_index=True) if summed else whole
    return out.sort_values(["metric", "year", "source_id"]).reset_index(drop=True)


def continuous_runs(frame: pd.DataFrame, by: list[str], year: str = "year", min_points: int = 5) -> pd.Series:
    """True for rows that belong to an unbroken annual series of at least ``min_points`` years within ``by`` groups.

    Charts join only such rows with lines; everything else is drawn as separate points, so no line suggests values
    for years nobody reported.
    """
    flags = pd.Series(False, index=frame.index)
    for _, group in frame.groupby(by):
        years = group[year].astype(int).sort_values()
        run_id = (years.diff() != 1).cumsum()
        sizes = run_id.map(run_id.value_counts())
        flags.loc[years.index] = (sizes >= min_points).to_numpy()
    return flags


def check_close(claim: str, observed: float | None, stated: float, rel_tol: float) -> ClaimCheck:
    """Test a claim of the form "about ``stated``" against an observed value, with a relative tolerance.

    consistent: within ``rel_tol`` of the observed value; partly consistent: within twice that; inconsistent:
    further away; unverifiable: no observed value.
    """
    if observed is None or pd.isna(observed):
        return ClaimCheck(claim, "unverifiable", None, "no independent value in the data")
    if observed == 0:
        raise ValueError("check_close needs a non-zero observed value")
    gap = abs(stated - observed) / abs(observed)
    detail = f"stated {stated:,.4g} vs observed {observed:,.4g} ({gap:.1%} apart)"
    if gap <= rel_tol:
        return ClaimCheck(claim, "consistent", float(observed), f"{detail}, within {rel_tol:.0%}")
    if gap <= 2 * rel_tol:
        return ClaimCheck(claim, "partly consistent", float(observed), f"{detail}, within {2 * rel_tol:.0%}")
    return ClaimCheck(claim, "inconsistent", float(observed), f"{detail}, beyond {2 * rel_tol:.0%}")


def baseline_range(observations: pd.DataFrame, year: int, metric: str, water_body: str = "whole") -> pd.Series:
    """Lowest and highest value reported for one year, metric and water body, ignoring bounds and ranges.

    Used when sources disagree on a baseline (e.g. the Aral Sea's 1960 area): results are then given for both
    ends instead of an average. Raises ``ValueError`` if no source reports that value.
    """
    rows = observations[
        (observations["year"] == year)
        & (observations["metric"] == metric)
        & (observations["water_body"] == water_body)
        & observations["qualifier"].isna()
    ]
    if rows.empty:
        raise ValueError(f"no exact {water_body} {metric} value is reported for {year}")
    return pd.Series(
        {"low": rows["value"].min(), "high": rows["value"].max(), "n_sources": rows["source_id"].nunique()}
    )


def loss_range(values: pd.Series, baseline: pd.Series) -> pd.DataFrame:
    """Percent lost against the low and the high end of a :func:`baseline_range` (low end gives the smaller loss)."""
    return pd.DataFrame(
        {
            "loss_pct_low": -percent_change(values, baseline["low"]),
            "loss_pct_high": -percent_change(values, baseline["high"]),
        },
        index=values.index,
    )


def year_ranges(years) -> str:
    """Compact text for a set of years: [1961, 1962, 1963, 1970] -> '1961–1963, 1970'; empty -> 'none'."""
    ys = sorted({int(y) for y in years})
    if not ys:
        return "none"
    parts, start, prev = [], ys[0], ys[0]
    for y in ys[1:] + [None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if y is not None:
            start = prev = y
    return ", ".join(parts)
