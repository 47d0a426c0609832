"""The forums chapter's classification and helpers (greensilk.forums), and checks of the forums datasets."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from greensilk import forums, load  # noqa: E402

from .conftest import ROOT  # noqa: E402


def test_green_rule_classes_each_kind_of_item():
    sectors = [
        "clean_energy",
        "fossil_energy",
        "energy_unspecified",
        "nuclear_energy",
        "agriculture",
        "agriculture",
        "environment",
        "finance",
        "trade",
    ]
    practice = [False, False, False, False, False, True, False, True, False]
    assert forums.green_class(sectors, practice).tolist() == [
        "clean_energy",
        "fossil",
        "not_green",
        "not_green",
        "not_green",
        "other_green",
        "other_green",
        "other_green",
        "not_green",
    ]
    # without practice flags only the sector decides; the sector wins over the flag for energy items
    assert forums.green_class(["water", "agriculture"]).tolist() == ["other_green", "not_green"]
    assert forums.green_class(["fossil_energy"], [True]).tolist() == ["fossil"]
    assert forums.is_green(["clean_energy", "fossil_energy", "environment"]).tolist() == [True, False, True]


def test_green_rule_refuses_mismatched_inputs():
    with pytest.raises(ValueError, match="length"):
        forums.green_class(["water", "trade"], [True])


def test_stored_green_class_follows_the_rule():
    items = load("forum_document_items", root=ROOT)
    recomputed = forums.with_green_class(items)
    wrong = items.loc[recomputed["green_class"] != items["green_class"], "item_id"].tolist()
    assert not wrong, f"green_class differs from greensilk.forums.green_class for {wrong}"


def test_every_sector_in_the_schema_has_a_chart_group():
    from greensilk import load_package

    for name in ("forum_outcomes", "forum_document_items"):
        resource = next(r for r in load_package(ROOT)["resources"] if r["name"] == name)
        allowed = next(f for f in resource["schema"]["fields"] if f["name"] == "sector")["constraints"]["enum"]
        groups = forums.sector_group(pd.Series(allowed))
        assert set(groups) <= set(forums.GROUP_COLOURS), name
        assert set(forums.GREEN_SECTORS) <= set(allowed), name


def _items(rows):
    return pd.DataFrame(rows, columns=["item_id", "document_id", "sector", "green_practice", "instrument"])


def test_coverage_and_green_shares():
    documents = pd.DataFrame({"document_id": ["a", "b", "c"], "items_stated": [10, None, None]})
    items = _items(
        [
            ("a-1", "a", "clean_energy", False, "mou"),
            ("a-2", "a", "trade", False, "mou"),
            ("a-3", "a", "fossil_energy", False, "project"),
            ("a-4", "a", "agriculture", True, "statement_of_intent"),
            ("b-1", "b", "general", False, "mechanism"),
        ]
    )
    cov = forums.coverage(documents, items).set_index("document_id")
    assert cov.loc["a", "items_coded"] == 4 and cov.loc["a", "share_coded_pct"] == pytest.approx(40.0)
    assert cov.loc["c", "items_coded"] == 0 and pd.isna(cov.loc["b", "share_coded_pct"])
    shares = forums.green_shares(items)
    assert shares.loc["a", ["clean_energy", "other_green", "fossil", "not_green"]].tolist() == [1, 1, 1, 1]
    assert shares.loc["a", "green_pct"] == pytest.approx(50.0) and shares.loc["a", "fossil_pct"] == 25.0
    change = forums.share_change(shares, "b", "a")
    assert (change["before"], change["after"], change["word"]) == (0.0, 50.0, "rose")
    assert forums.share_change(shares, "a", "b")["word"] == "fell"
    assert forums.share_change(shares, "a", "a")["word"] == "did not change"
    counts = forums.composition(items, "instrument")
    assert counts.loc["a", "mou"] == 2 and counts.loc["b", "mechanism"] == 1


def test_follow_ups_resolve_keys_and_judge_what_came_later():
    rows = pd.DataFrame(
        {
            "item_id": ["x", "y", "z"],
            "follow_up_keys": ["energy_projects:p1;milestones:CKU", "energy_projects:p2", None],
        }
    )
    datasets = {
        "energy_projects": pd.DataFrame(
            {"project_id": ["p1", "p2"], "status": ["operating", "agreed"], "status_year": [2024, 2025]}
        ),
        "milestones": pd.DataFrame({"project": ["CKU", "CKU"], "date": ["2022", "2024-12-27"]}),
    }
    when = pd.to_datetime(pd.Series(["2023-05-19", "2023-05-19", "2023-05-19"]))
    out = forums.follow_ups(rows, "item_id", when, datasets).set_index(["item_id", "dataset"])
    assert bool(out.loc[("x", "energy_projects"), "visible"]) is True
    assert out.loc[("x", "milestones"), "later_records"] == 1  # the 2022 milestone precedes the summit
    assert bool(out.loc[("y", "energy_projects"), "visible"]) is False  # agreed only: no progress on record
    assert "z" not in out.index.get_level_values(0)
    with pytest.raises(ValueError, match="matches no record"):
        forums.follow_ups(rows.assign(follow_up_keys=["energy_projects:nope", None, None]), "item_id", when, datasets)
    with pytest.raises(ValueError, match="unknown dataset"):
        forums.follow_ups(rows.assign(follow_up_keys=["places:x", None, None]), "item_id", when, datasets)


def test_every_follow_up_key_in_the_data_resolves():
    datasets = {name: load(name, root=ROOT) for name in forums.FOLLOW_UP_DATASETS}
    documents = load("forum_documents", root=ROOT).set_index("document_id")
    items = load("forum_document_items", root=ROOT)
    found = forums.follow_ups(items, "item_id", items["document_id"].map(documents["adopted"]), datasets)
    assert len(found) == items["follow_up_keys"].dropna().str.count(";").add(1).sum()
    events = forums.primary(load("forum_events", root=ROOT)).set_index("event_id")
    outcomes = load("forum_outcomes", root=ROOT)
    forums.follow_ups(outcomes, "outcome_id", outcomes["event_id"].map(events["start_date"]), datasets)


def test_link_confirmation_needs_a_government_source_or_two_publishers():
    sources = pd.DataFrame(
        {
            "source_id": ["gov", "p1", "p2", "p1b", "seed"],
            "kind": ["web", "press", "press", "press", "seed"],
            "tier": ["government", "press", "press", "press", "press"],
            "author_or_publisher": ["City", "Paper A", "Paper B", "Paper A", "Seed"],
        }
    )
    links = pd.DataFrame({"source_ids": ["gov", "p1;p2", "p1;p1b", "seed;p1", "seed"]})
    out = forums.link_confirmation(links, sources)
    assert out["confirmation"].tolist() == ["confirmed", "confirmed", "single source", "single source", "single source"]
    assert out["confirmation_basis"].tolist()[-1] == "seed article only"
    with pytest.raises(ValueError, match="unknown source"):
        forums.link_confirmation(pd.DataFrame({"source_ids": ["missing"]}), sources)


def test_documents_and_items_agree_on_coverage_and_numbering():
    documents = load("forum_documents", root=ROOT).set_index("document_id")
    items = load("forum_document_items", root=ROOT)
    coded = set(items["document_id"])
    for doc, row in documents.iterrows():
        if row["coverage"] in ("not_found", "title_only"):
            assert doc not in coded, f"{doc} is marked {row['coverage']} but has coded items"
        else:
            assert doc in coded, f"{doc} is marked {row['coverage']} but has no coded items"
    numbered = items["numbering"] != "summary"
    assert items.loc[numbered, "item_no"].notna().all()
    assert items.loc[~numbered, "item_no"].isna().all()


def test_signings_are_counts_and_undated_events_are_flagged():
    events = load("forum_events", root=ROOT)
    counted = events.dropna(subset=["signed_count"])
    assert counted["signed_count_source_ids"].notna().all()
    outcomes = load("forum_outcomes", root=ROOT)
    # a package of signings is a count in forum_events, never one outcome row standing for many
    bundle = r"^(\d[\d,.]*|more than|several|package of)\b.*\b(agreements|projects|documents|deals)\b"
    bundles = outcomes[outcomes["title"].str.contains(bundle, case=False, regex=True)]
    assert bundles.empty, bundles["outcome_id"].tolist()
    undated = events["start_date"].isna()
    assert set(events.loc[undated, "date_status"]) <= {"month_only", "unknown"}
    assert events.loc[events["date_status"].isin(["month_only", "unknown"]), "start_date"].isna().all()


def test_event_names_tell_series_edition_city_and_year():
    rows = pd.DataFrame(
        {
            "kind": ["forum", "sector_forum", "summit"],
            "edition": [11, 2, None],
            "edition_label": [None, "2 (China-Central Asia Industrial and Investment Cooperation Forum)", None],
            "city": ["Yinchuan", "Astana", None],
            "start_date": pd.to_datetime(["2024-10-25", "2025-06-16", None]),
        }
    )
    assert [forums.event_name(r) for _, r in rows.iterrows()] == [
        "Cooperation Forum 11, Yinchuan 2024",
        "China-Central Asia Industrial and Investment Cooperation Forum, Astana 2025",
        "Summit, online",
    ]


def test_green_by_event_counts_and_keeps_events_without_deals():
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


def _mechanism_events(rows):
    frame = pd.DataFrame(rows, columns=["kind", "edition", "edition_label", "variant", "city", "start_date"])
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    return frame


def test_mechanism_is_dated_from_its_first_meetings():
    events = _mechanism_events(
        [
            ["foreign_ministers", 2, None, "primary", "Xi'an", "2021-05-12"],
            ["foreign_ministers", 1, None, "primary", None, "2020-07-16"],
            ["summit", None, "virtual (30th anniversary of diplomatic ties)", "primary", None, "2022-01-25"],
            ["summit", 1, None, "primary", "Xi'an", "2023-05-18"],
            ["summit", 1, None, "alternative", "Xi'an", "2023-05-19"],
            ["summit", 2, None, "primary", "Astana", "2025-06-17"],
            ["summit", 3, None, "primary", None, None],  # announced, not dated: not counted
        ]
    )
    assert forums.mechanism_text(events) == (
        "Foreign ministers have met since July 2020 (the first meeting online), 2 times to May 2021; the heads of "
        "state first met online in January 2022 to mark the 30th anniversary of diplomatic ties, and the numbered "
        "China–Central Asia Summits began in Xi'an in May 2023; the second met in Astana in June 2025."
    )
    # without the online meeting, the heads of state's start is the first numbered summit
    events = events[events["edition_label"].isna()]
    text = forums.mechanism_text(events)
    assert "the numbered China–Central Asia Summits began in Xi'an in May 2023" in text and "online in" not in text


def test_no_page_dates_the_summits_or_ministers_by_hand():
    """Since when the summits and ministers' meetings run is glued from forums.mechanism_text; a typed year next to
    them (issue 17 found "since 2023" and "since 2022–2023") fails here."""
    import json
    import re

    typed = re.compile(
        r"(summit|ministers?)\b[^.]{0,80}\b(since|from|began|started)\s+(in\s+)?(19|20)\d\d"
        r"|(since|from)\s+(19|20)\d\d[^.]{0,40}\b(summit|ministers?)\b",
        re.I,
    )
    texts = {}
    for page in (ROOT / "notebooks").glob("*.ipynb"):
        cells = json.loads(page.read_text())["cells"]
        texts[page.name] = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    for page in [ROOT / "index.md", *(ROOT / "book").glob("*.md")]:
        if page.name not in ("data-catalogue.md", "data-changes.md", "changelog.md"):
            texts[page.name] = page.read_text()
    for name, text in texts.items():
        for paragraph in text.split("\n\n"):
            if paragraph.lstrip().startswith(("```{glue:figure}", "```{figure}")):
                continue  # a figure's alt text describes the chart as drawn
            match = typed.search(paragraph.replace("\n", " "))
            assert not match, f"{name}: the mechanism dated by hand: {match.group(0)!r}"
    nb = json.loads((ROOT / "notebooks" / "04_forums.ipynb").read_text())
    glued = [
        out["data"]["application/papermill.record/text/plain"].strip("'\"")
        for c in nb["cells"]
        for out in c.get("outputs", [])
        if out.get("metadata", {}).get("scrapbook", {}).get("name") == "mechanism_text"
    ]
    assert glued == [forums.mechanism_text(load("forum_events"))], "04_forums is stale: re-execute it"
