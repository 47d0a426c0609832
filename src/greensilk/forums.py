"""Classification, tables and figures of the forums chapter (tested in tests/test_forums.py).

The chapter rests on two kinds of record: the summits' and ministerial meetings' own outcome documents, coded item
by item (forum_documents, forum_document_items), and counts of signings stored as counts (forum_events.signed_count).
Deals named in the press (forum_outcomes) are a list compiled by the report, never a population.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from greensilk.style import OKABE_ITO

GREEN_CLASSES = ("clean_energy", "fossil", "other_green", "not_green")
"""The four classes of the report's green rule (see :func:`green_class`)."""

GREEN_SECTORS = ("clean_energy", "environment", "water")
"""Sectors green by themselves: clean energy (renewables), environment and water. Agriculture and every other
sector count as green only where the item names an environmental practice (``green_practice``)."""

CLASS_NAMES = {
    "clean_energy": "Clean energy",
    "other_green": "Other green",
    "fossil": "Fossil energy",
    "not_green": "Not green",
}
CLASS_COLOURS = {
    "clean_energy": OKABE_ITO["bluish_green"],
    "other_green": "#8FD1B9",
    "fossil": "#4A4A4A",
    "not_green": "#C8C8C8",
}


def green_class(sector, green_practice=None) -> pd.Series:
    """The report's green rule, item by item.

    - sector ``clean_energy`` (renewables, named as such) -> ``clean_energy``;
    - sector ``fossil_energy`` (oil, gas, coal, refining, coal chemicals) -> ``fossil``;
    - sector ``environment`` or ``water`` -> ``other_green``;
    - any other sector where the item names an environmental purpose or practice (``green_practice`` true:
      "green" infrastructure or investment, water-saving farming) -> ``other_green``;
    - everything else -> ``not_green``: energy of unstated kind, nuclear energy, agriculture without such a
      practice (a customs "green channel" for farm produce is a fast lane, not an environmental measure),
      political texts.
    """
    sector = pd.Series(sector).reset_index(drop=True)
    practice = (
        pd.Series(False, index=sector.index)
        if green_practice is None
        else pd.Series(green_practice).reset_index(drop=True).fillna(False).astype(bool)
    )
    if len(practice) != len(sector):
        raise ValueError("sector and green_practice differ in length")
    out = pd.Series("not_green", index=sector.index, dtype="object")
    out[practice] = "other_green"
    out[sector.isin(("environment", "water"))] = "other_green"
    out[sector == "fossil_energy"] = "fossil"
    out[sector == "clean_energy"] = "clean_energy"
    return out


def is_green(sector, green_practice=None) -> np.ndarray:
    """True where an item is clean energy or other green under :func:`green_class`."""
    return green_class(sector, green_practice).isin(("clean_energy", "other_green")).to_numpy()


SECTOR_GROUPS = {
    "clean_energy": "Energy",
    "fossil_energy": "Energy",
    "energy_unspecified": "Energy",
    "nuclear_energy": "Energy",
    "environment": "Environment and water",
    "water": "Environment and water",
    "agriculture": "Agriculture",
    "general": "Political, institutional",
    "security": "Political, institutional",
    "trade": "Trade, customs, investment",
    "finance": "Trade, customs, investment",
    "industry": "Trade, customs, investment",
    "transport": "Transport",
    "digital": "Digital",
    "subnational": "Sister cities and regions",
}
GROUP_COLOURS = {
    "Political, institutional": OKABE_ITO["sky_blue"],
    "Trade, customs, investment": OKABE_ITO["orange"],
    "Transport": OKABE_ITO["vermillion"],
    "Digital": OKABE_ITO["reddish_purple"],
    "Energy": "#4A4A4A",
    "Agriculture": OKABE_ITO["yellow"],
    "Environment and water": OKABE_ITO["bluish_green"],
    "Sister cities and regions": "#9A9A9A",
    "Education, health, culture, other": "#D9D9D9",
}
INSTRUMENT_NAMES = {
    "agreement": "Agreement",
    "mou": "Memorandum",
    "mechanism": "Mechanism (meeting, body, platform)",
    "project": "Project",
    "statement_of_intent": "Statement of intent",
}
KIND_ORDER = ("summit", "foreign_ministers", "forum", "sector_forum", "other")
KIND_NAMES = {
    "summit": "Summits",
    "foreign_ministers": "Foreign ministers",
    "forum": "Cooperation Forum",
    "sector_forum": "Sector forums",
    "other": "Other forums",
}


def sector_group(sector: pd.Series) -> pd.Series:
    """Chart group of each sector; sectors not named in :data:`SECTOR_GROUPS` are "Education, health, culture,
    other"."""
    return sector.map(SECTOR_GROUPS).fillna("Education, health, culture, other")


def primary(events: pd.DataFrame) -> pd.DataFrame:
    """The report's main row per event (alternative reports dropped)."""
    return events[events["variant"] == "primary"]


def green_by_event(outcomes: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Per dated event: deals in the compiled list (forum_outcomes), green ones among them, and the green share.

    Kept for the conclusions chapter; the compiled list is not a population, so these counts describe the list.
    The forums chapter itself rests on the coded documents (:func:`green_shares`) and on the stored counts of
    signings."""
    dated = primary(events).dropna(subset=["start_date"])
    counts = (
        outcomes.assign(green=is_green(outcomes["sector"]))
        .groupby("event_id")
        .agg(n_outcomes=("outcome_id", "count"), n_green=("green", "sum"))
    )
    out = dated[["event_id", "kind", "start_date", "city"]].merge(counts, on="event_id", how="left")
    out[["n_outcomes", "n_green"]] = out[["n_outcomes", "n_green"]].fillna(0).astype(int)
    out["green_pct"] = (out["n_green"] / out["n_outcomes"] * 100).where(out["n_outcomes"] > 0)
    return out.sort_values("start_date").reset_index(drop=True)


def event_label(row) -> str:
    if row["kind"] == "forum" and pd.notna(row["edition"]):
        city = row["city"] if isinstance(row["city"], str) else "?"
        return f"{int(row['edition'])}. {city.split(' (')[0].split(';')[0]}"
    city = row["city"] if isinstance(row["city"], str) else "online"
    return city.split(" (")[0].split(";")[0]


KIND_SINGULAR = {
    "summit": "Summit",
    "foreign_ministers": "Foreign ministers",
    "forum": "Cooperation Forum",
    "sector_forum": "Sector forum",
    "other": "Forum",
}


def event_name(row) -> str:
    """A readable name for an event row: the series (or the sector forum's own name), the edition of the
    Cooperation Forum, the city and the year, e.g. "Cooperation Forum 11, Yinchuan 2024"."""
    label = row.get("edition_label")
    if isinstance(label, str) and "(" in label:
        series = label[label.index("(") + 1 : label.rindex(")")]
    else:
        series = KIND_SINGULAR[row["kind"]]
        if row["kind"] == "forum" and pd.notna(row.get("edition")):
            series += f" {int(row['edition'])}"
    city = row["city"].split(" (")[0].split(";")[0] if isinstance(row.get("city"), str) else "online"
    year = f" {row['start_date']:%Y}" if pd.notna(row.get("start_date")) else ""
    return f"{series}, {city}{year}"


def undated_note(events: pd.DataFrame) -> str:
    """The Cooperation Forum editions left without dates, by what is known of them ("" if none)."""
    forum = primary(events)
    forum = forum[(forum["kind"] == "forum") & forum["start_date"].isna()]
    if forum.empty:
        return ""
    parts = []
    for status, label in (("month_only", "only the month known"), ("unknown", "no date found")):
        editions = forum.loc[forum["date_status"] == status, "edition"].dropna().astype(int)
        if len(editions):
            parts.append(f"{', '.join(map(str, editions))} ({label})")
    return "Cooperation Forum editions not plotted: " + "; ".join(parts)


def timeline_figure(events: pd.DataFrame):
    """Every dated event by series, labelled with its city (forum editions with their number); editions that
    could not be found are listed under the chart."""
    main = primary(events)
    dated = main.dropna(subset=["start_date"]).copy()
    fig, ax = plt.subplots(figsize=(7.5, 3.9))
    rows = {k: i for i, k in enumerate(reversed(KIND_ORDER))}
    colours = {
        "summit": "#333333",
        "foreign_ministers": OKABE_ITO["blue"],
        "forum": OKABE_ITO["vermillion"],
        "sector_forum": OKABE_ITO["orange"],
        "other": "#9A9A9A",
    }
    for kind, group in dated.groupby("kind"):
        y = rows[kind]
        ax.scatter(group["start_date"], [y] * len(group), color=colours[kind], s=40, zorder=3)
        for i, (_, row) in enumerate(group.sort_values("start_date").iterrows()):
            offset = 9 if i % 2 == 0 else -13
            ax.annotate(
                event_label(row),
                (row["start_date"], y),
                xytext=(0, offset),
                textcoords="offset points",
                ha="center",
                fontsize=6.5,
                color="#444444",
            )
    ax.set_yticks(list(rows.values()), [KIND_NAMES[k] for k in rows])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlim(pd.Timestamp("2011-07-01"), pd.Timestamp("2026-06-30"))
    ax.grid(axis="y", visible=False)
    note = undated_note(main)
    if note:
        ax.text(
            0.0,
            -0.16,
            note,
            transform=ax.transAxes,
            fontsize=7.5,
            color="#B2182B",
        )
    fig.tight_layout()
    return fig


# ------------------------------------------------------------------------------------------ outcome documents
def with_green_class(items: pd.DataFrame) -> pd.DataFrame:
    """The items with ``green_class`` recomputed by :func:`green_class` (the stored column is checked against it
    by the tests)."""
    return items.assign(green_class=green_class(items["sector"], items["green_practice"]).to_numpy())


def coverage(documents: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Per document: items coded, the published item count where there is one, and the share of it coded."""
    coded = items.groupby("document_id").size().rename("items_coded")
    out = documents.set_index("document_id").join(coded)
    out["items_coded"] = out["items_coded"].fillna(0).astype(int)
    out["share_coded_pct"] = (out["items_coded"] / out["items_stated"] * 100).where(out["items_stated"].notna())
    return out.reset_index()


def composition(items: pd.DataFrame, by: str) -> pd.DataFrame:
    """Items per document and ``by`` (``sector_group`` or ``instrument``), documents as rows."""
    frame = items.assign(sector_group=sector_group(items["sector"]))
    return frame.pivot_table(index="document_id", columns=by, values="item_id", aggfunc="count", fill_value=0)


def green_shares(items: pd.DataFrame) -> pd.DataFrame:
    """Per document: items coded in each green class and the green (clean energy + other green) and fossil
    shares of the items coded, in per cent."""
    items = with_green_class(items)
    counts = items.pivot_table(index="document_id", columns="green_class", values="item_id", aggfunc="count")
    counts = counts.reindex(columns=list(GREEN_CLASSES)).fillna(0).astype(int)
    counts["n_items"] = counts[list(GREEN_CLASSES)].sum(axis=1)
    counts["green_pct"] = (counts["clean_energy"] + counts["other_green"]) / counts["n_items"] * 100
    counts["fossil_pct"] = counts["fossil"] / counts["n_items"] * 100
    return counts


def share_change(shares: pd.DataFrame, before: str, after: str, column: str = "green_pct") -> dict:
    """How a share changed from one document to another: both values, the difference in percentage points and
    a word for it ("rose", "fell", "did not change")."""
    a, b = float(shares.loc[before, column]), float(shares.loc[after, column])
    diff = b - a
    word = "rose" if diff > 0.05 else "fell" if diff < -0.05 else "did not change"
    return {"before": a, "after": b, "diff_pp": diff, "word": word}


FOLLOW_UP_DATASETS = {
    "energy_projects": "project_id",
    "milestones": "project",
    "connectivity": "indicator",
    "trade": "partner_iso3",
    "aral_events": "event_id",
}
"""Datasets an outcome item can point to with ``follow_up_keys`` (dataset:key), and the column the key matches."""

ADVANCED_STATUS = ("under_construction", "operating")


def _record_dates(name: str, frame: pd.DataFrame) -> pd.Series:
    """A comparable date for each record of a linked dataset (yearly records at the end of their year)."""
    if name == "energy_projects":
        return pd.to_datetime(frame["status_year"].astype("Int64").astype("string") + "-12-31", errors="coerce")
    if name in ("connectivity", "trade"):
        return pd.to_datetime(frame["year"].astype("Int64").astype("string") + "-12-31", errors="coerce")
    if name == "milestones":
        text = frame["date"].astype("string")
        full = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        year_end = pd.to_datetime(text.str[:4] + "-12-31", errors="coerce")
        return full.fillna(year_end)
    return pd.to_datetime(frame["date"], errors="coerce")


def follow_ups(rows: pd.DataFrame, id_column: str, dated: pd.Series, datasets: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Resolve ``follow_up_keys`` of ``rows`` against the report's other datasets.

    ``dated`` gives each row's date (the document's adoption or the event's date). One row per key: the dataset,
    the key, how many records the key matches, how many of them are dated after the row's date, and whether a
    follow-up is visible (for energy projects: the project is under construction or operating in or after the
    year of signing; elsewhere: at least one later record). A key that matches nothing raises ``ValueError``.
    """
    out = []
    for (_, row), when in zip(rows.iterrows(), dated, strict=True):
        keys = row.get("follow_up_keys")
        if pd.isna(keys) or not str(keys).strip():
            continue
        for key in str(keys).split(";"):
            name, _, value = key.strip().partition(":")
            if name not in FOLLOW_UP_DATASETS:
                raise ValueError(f"{row[id_column]}: unknown dataset {name!r} in follow_up_keys")
            frame = datasets[name]
            match = frame[frame[FOLLOW_UP_DATASETS[name]].astype("string") == value]
            if match.empty:
                raise ValueError(f"{row[id_column]}: {key!r} matches no record of {name}")
            dates = _record_dates(name, match)
            later = int((dates > pd.Timestamp(when)).sum())
            if name == "energy_projects":
                visible = bool(((match["status"].isin(ADVANCED_STATUS)) & (dates >= pd.Timestamp(when))).any())
                state = ", ".join(f"{s} ({int(y)})" for s, y in zip(match["status"], match["status_year"], strict=True))
            else:
                visible = later > 0
                state = f"{later} later record{'s' if later != 1 else ''}"
            out.append(
                {
                    id_column: row[id_column],
                    "dataset": name,
                    "key": value,
                    "records": len(match),
                    "later_records": later,
                    "state": state,
                    "visible": visible,
                }
            )
    return pd.DataFrame(out, columns=[id_column, "dataset", "key", "records", "later_records", "state", "visible"])


INSTRUMENT_COLOURS = {
    "agreement": "#3B1F5E",
    "mou": "#7B5EA7",
    "mechanism": "#B8A1D9",
    "project": OKABE_ITO["orange"],
    "statement_of_intent": "#D9D9D9",
}


def items_figure(items: pd.DataFrame, documents: pd.DataFrame):
    """Two stacked panels, one bar per document with coded items: items by sector group (top) and by instrument
    (bottom), each panel with its own legend underneath."""
    order = [d for d in documents["document_id"] if d in set(items["document_id"])]
    names = documents.set_index("document_id")["short_name"]
    sectors = composition(items, "sector_group").reindex(order)
    instruments = composition(items, "instrument").reindex(order)
    height = 0.3 * len(order) + 1.9
    fig, axes = plt.subplots(2, 1, figsize=(7.5, 2 * height), sharex=True)
    y = np.arange(len(order))[::-1]
    panels = (
        (axes[0], sectors, GROUP_COLOURS, {g: g for g in GROUP_COLOURS}, "Items coded, by sector"),
        (axes[1], instruments, INSTRUMENT_COLOURS, INSTRUMENT_NAMES, "Items coded, by instrument"),
    )
    for ax, counts, colours, labels, title in panels:
        left = np.zeros(len(order))
        for column in [c for c in colours if c in counts.columns]:
            ax.barh(
                y,
                counts[column],
                left=left,
                color=colours[column],
                edgecolor="white",
                linewidth=0.5,
                label=labels[column],
            )
            left += counts[column].to_numpy()
        ax.set_title(title, fontsize=9, loc="left")
        ax.set_yticks(y, [names[d] for d in order], fontsize=7.5)
        ax.grid(axis="y", visible=False)
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.3, -0.1), ncol=3, frameon=False)
        ax.tick_params(axis="x", labelbottom=True)
    fig.tight_layout()
    return fig, sectors.join(instruments, lsuffix="_sector", rsuffix="_instrument")


def green_figure(shares: pd.DataFrame, documents: pd.DataFrame):
    """Share of coded items in each green class, one 100 % bar per document (n items coded at the bar's end)."""
    order = [d for d in documents["document_id"] if d in shares.index]
    names = documents.set_index("document_id")["short_name"]
    pct = shares.loc[order, list(GREEN_CLASSES)].div(shares.loc[order, "n_items"], axis=0) * 100
    fig, ax = plt.subplots(figsize=(7.5, 0.4 * len(order) + 1.6))
    y = np.arange(len(order))[::-1]
    left = np.zeros(len(order))
    for cls in ("clean_energy", "other_green", "fossil", "not_green"):
        ax.barh(
            y, pct[cls], left=left, color=CLASS_COLOURS[cls], edgecolor="white", linewidth=0.5, label=CLASS_NAMES[cls]
        )
        left += pct[cls].to_numpy()
    for yi, d in zip(y, order, strict=True):
        ax.text(101, yi, f"n = {int(shares.loc[d, 'n_items'])}", va="center", fontsize=7)
    ax.set_yticks(y, [names[d] for d in order], fontsize=7.5)
    ax.set_xlim(0, 112)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("Share of the items coded (%)")
    ax.grid(axis="y", visible=False)
    ax.legend(fontsize=7, ncol=4, loc="upper center", bbox_to_anchor=(0.45, -0.2), frameon=False)
    fig.tight_layout()
    return fig, pct.round(1)


# ------------------------------------------------------------------------------------------ partners and links
def party_counts(parties: pd.DataFrame) -> pd.DataFrame:
    """Parties below the state level (provinces, regions, companies) by the number of reported deals they are
    party to, per side."""
    below = parties[parties["party_kind"] != "country"]
    return (
        below.groupby(["side", "party", "party_kind"], as_index=False)
        .agg(n_deals=("outcome_id", "nunique"))
        .sort_values(["side", "n_deals", "party"], ascending=[True, False, True])
        .reset_index(drop=True)
    )


def parties_figure(counts: pd.DataFrame):
    """Labelled horizontal bars: each party below the state level and the number of reported deals it signed,
    Chinese side above, Central Asian side below."""
    sides = [("china", "Chinese side"), ("central_asia", "Central Asian side")]
    sizes = [max(len(counts[counts["side"] == s]), 1) for s, _ in sides]
    fig, axes = plt.subplots(
        2, 1, figsize=(7.5, 0.24 * sum(sizes) + 1.6), gridspec_kw={"height_ratios": sizes}, sharex=True
    )
    kind_colours = {"company": OKABE_ITO["blue"], "province": OKABE_ITO["orange"], "region": OKABE_ITO["orange"]}
    for ax, (side, title) in zip(axes, sides, strict=True):
        part = counts[counts["side"] == side].iloc[::-1]
        ax.barh(part["party"], part["n_deals"], color=[kind_colours[k] for k in part["party_kind"]])
        ax.set_title(title, fontsize=9, loc="left")
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(axis="y", visible=False)
    axes[-1].set_xlabel("Reported deals the party signed")
    axes[-1].xaxis.get_major_locator().set_params(integer=True)
    from matplotlib.patches import Patch

    axes[0].legend(
        handles=[
            Patch(color=OKABE_ITO["blue"], label="Company"),
            Patch(color=OKABE_ITO["orange"], label="Province or region"),
        ],
        fontsize=7,
        loc="lower right",
        frameon=False,
    )
    fig.tight_layout()
    return fig


CONFIRMING_TIERS = ("government", "official_statistics")


def link_confirmation(links: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Whether an independent source confirms each sister-city or regional link.

    A link is confirmed when one of its sources is a government publication (a partner city, province or
    ministry), or when at least two of its sources come from different publishers, the seed articles not
    counted. Otherwise it rests on a single report (or on a seed article alone) and is shown separately.
    """
    catalogue = sources.set_index("source_id")
    status, basis = [], []
    for ids in links["source_ids"]:
        keys = [k.strip() for k in str(ids).split(";") if k.strip()]
        unknown = [k for k in keys if k not in catalogue.index]
        if unknown:
            raise ValueError(f"unknown source ids in forum_links: {unknown}")
        rows = catalogue.loc[keys]
        non_seed = rows[rows["kind"] != "seed"]
        if non_seed["tier"].isin(CONFIRMING_TIERS).any():
            status.append("confirmed")
            basis.append("government source")
        elif non_seed["author_or_publisher"].nunique() >= 2:
            status.append("confirmed")
            basis.append("two publishers")
        else:
            status.append("single source")
            basis.append("seed article only" if non_seed.empty else "one report")
    return links.assign(confirmation=status, confirmation_basis=basis)


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def _month_year(date) -> str:
    return f"{date:%B %Y}"


def mechanism_start(events: pd.DataFrame) -> dict:
    """When the China–Central Asia mechanism's two top formats began, from the events data: the first foreign
    ministers' meeting, the first meeting of the heads of state (whatever its form), the first numbered summit,
    and every numbered summit since (city and month). Only dated primary rows count."""
    main = primary(events).dropna(subset=["start_date"]).sort_values("start_date")
    fm = main[main["kind"] == "foreign_ministers"]
    summits = main[main["kind"] == "summit"]
    if fm.empty or summits.empty:
        raise ValueError("forums/events.csv: no dated foreign ministers' meeting or summit")
    numbered = summits[summits["edition"].notna()].sort_values("edition")
    first_heads = summits.iloc[0]
    label = first_heads.get("edition_label")
    occasion = label[label.index("(") + 1 : label.rindex(")")] if isinstance(label, str) and "(" in label else ""
    return {
        "fm_first": fm.iloc[0]["start_date"],
        "fm_first_online": pd.isna(fm.iloc[0]["city"]),
        "fm_count": len(fm),
        "fm_last": fm.iloc[-1]["start_date"],
        "heads_first": first_heads["start_date"],
        "heads_first_online": pd.isna(first_heads["city"]),
        "heads_first_numbered": pd.notna(first_heads["edition"]),
        "heads_first_occasion": occasion,
        "summits": [(int(r["edition"]), r["city"].split(" (")[0], r["start_date"]) for _, r in numbered.iterrows()],
    }


def mechanism_text(events: pd.DataFrame) -> str:
    """One sentence dating the mechanism from :func:`mechanism_start`, used wherever the book says since when the
    summits and ministers' meetings have been held (so that two pages cannot date them differently)."""
    m = mechanism_start(events)
    fm = (
        f"foreign ministers have met since {_month_year(m['fm_first'])}"
        + (" (the first meeting online)" if m["fm_first_online"] else "")
        + f", {m['fm_count']} times to {_month_year(m['fm_last'])}"
    )
    summits = m["summits"]
    series = ""
    if summits:
        first = f"the numbered China–Central Asia Summits began in {summits[0][1]} in {_month_year(summits[0][2])}"
        rest = [f"the {_ORDINALS[n - 1]} met in {city} in {_month_year(d)}" for n, city, d in summits[1:]]
        series = "; ".join([first, *rest])
    if m["heads_first_numbered"]:
        heads = series
    else:
        how = "online" if m["heads_first_online"] else "in person"
        occasion = f" to mark the {m['heads_first_occasion']}" if m["heads_first_occasion"] else ""
        heads = f"the heads of state first met {how} in {_month_year(m['heads_first'])}{occasion}"
        heads += f", and {series}" if series else ""
    return f"{fm[0].upper()}{fm[1:]}; {heads}."
