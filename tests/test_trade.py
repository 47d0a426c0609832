"""The trade chapter's calculations (greensilk.trade) and checks of the trade datasets."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from greensilk import load, trade  # noqa: E402

from .conftest import ROOT  # noqa: E402


def _rows(rows):
    cols = [
        "year",
        "period",
        "partner_iso3",
        "flow",
        "value",
        "qualifier",
        "currency",
        "reporter",
        "basis",
        "source_id",
    ]
    frame = pd.DataFrame(rows, columns=cols)
    frame["qualifier"] = frame["qualifier"].astype("string")
    return frame


FX = pd.DataFrame({"year": [2013], "cny_per_usd": [6.25]})


def test_yuan_is_converted_only_with_that_years_rate():
    t = trade.to_usd(
        _rows(
            [
                (2013, "year", "C5", "total", 312.5, None, "CNY", "china", "reported", "a"),
                (2024, "year", "C5", "total", 674.0, None, "CNY", "china", "reported", "a"),
            ]
        ),
        FX,
    )
    assert t.loc[0, "usd_m"] == pytest.approx(50.0) and bool(t.loc[0, "converted"])
    assert pd.isna(t.loc[1, "usd_m"]) and not bool(t.loc[1, "converted"])


def test_pick_prefers_exact_first_hand_and_precise_values():
    t = trade.to_usd(
        _rows(
            [
                (2024, "year", "C5", "total", 95000.0, "more_than", "USD", "china", "reported", "a"),
                (2024, "year", "C5", "total", 94800.0, None, "USD", "china", "reported", "b"),
                (2024, "year", "C5", "total", 94820.0, None, "USD", "china", "reported", "c"),
                (2024, "year", "C5", "total", 94823.0, None, "USD", "china", "derived_by_source", "d"),
            ]
        ),
        FX,
    )
    assert trade.pick(t)["source_id"] == "c"


def test_growth_only_between_consecutive_years():
    g = trade.growth(pd.DataFrame({"year": [2012, 2013, 2020, 2021], "usd_m": [40.0, 50.0, 38.0, 49.4]}))
    assert g["growth_pct"].isna().tolist() == [True, False, True, False]
    assert g.loc[3, "growth_pct"] == pytest.approx(30.0)


def test_mirror_ratio_pairs_the_same_country_and_year():
    t = trade.to_usd(
        _rows(
            [
                (2024, "year", "KGZ", "total", 22710.0, None, "USD", "china", "reported", "a"),
                (2024, "year", "KGZ", "total", 5300.0, None, "USD", "partner", "reported", "b"),
                (2023, "year", "KGZ", "total", 19800.0, None, "USD", "china", "reported", "a"),
            ]
        ),
        FX,
    )
    m = trade.mirror(t)
    assert len(m) == 1 and m.loc[0, "ratio"] == pytest.approx(22710 / 5300)


def test_currency_and_units_come_from_the_allowed_set():
    t = load("trade", root=ROOT)
    assert set(t["currency"]) <= {"USD", "CNY"} and set(t["unit"]) == {"million"}


def test_country_totals_add_up_to_the_regional_total():
    t = trade.to_usd(load("trade", root=ROOT), load("fx_cny_usd", root=ROOT))
    check = trade.sum_check(t)
    assert len(check) >= 2, "expected several years with all five countries and the total reported"
    assert check["within_tolerance"].all(), check


def test_part_year_values_never_exceed_the_full_year():
    t = load("trade", root=ROOT)
    key = ["year", "partner_iso3", "flow", "reporter", "currency"]
    full = t[t["period"] == "year"].groupby(key)["value"].max()
    part = t[t["period"] != "year"].groupby(key)["value"].max()
    both = pd.concat([full.rename("full"), part.rename("part")], axis=1).dropna()
    assert (both["part"] <= both["full"] * 1.001).all(), both[both["part"] > both["full"]]


# --- Khorgos clearance times ------------------------------------------------------------------------------------

_CLEAR_COLS = [
    "row_id", "indicator", "year", "value", "value_high", "unit", "qualifier", "source_id", "measure", "stage"
]  # fmt: skip
_CLEAR_SOURCES = pd.DataFrame({"source_id": ["a", "b"], "date": ["2025-01-04", "n.d."], "tier": ["press", "relay"]})


def _clear(rows):
    frame = pd.DataFrame(rows, columns=_CLEAR_COLS)
    for col in ("qualifier", "measure", "stage"):
        frame[col] = frame[col].astype("string")
    frame["year"] = frame["year"].astype("Int64")
    return frame


def test_clearance_rows_must_say_what_is_timed():
    conn = _clear([["cn-1", "khorgos_clearance_hours", 2024, 12, None, "hours", None, "a", None, "before"]])
    with pytest.raises(ValueError, match="cn-1.*measure"):
        trade.khorgos_clearance(conn, _CLEAR_SOURCES, labels={})


def test_clearance_text_keeps_measures_apart_and_reports_a_disagreement():
    conn = _clear(
        [
            ["cn-1", "khorgos_clearance_hours", 2024, 12, None, "hours", None, "a", "rail_freight_train", "before"],
            ["cn-2", "khorgos_clearance_hours", 2024, 6, 8, "hours", "range", "a", "rail_freight_train", "after"],
            [
                "cn-3",
                "khorgos_clearance_hours",
                2025,
                10,
                None,
                "hours",
                "less_than",
                "b",
                "rail_freight_train",
                "after",
            ],
            ["cn-4", "khorgos_clearance_hours", 2025, 48, 72, "hours", "range", "b", "rail_import_goods", "before"],
        ]
    )
    table = trade.khorgos_clearance(conn, _CLEAR_SOURCES, labels={"a": "Agency (2025)", "b": "Mirror (n.d.)"})
    assert table["figure"].tolist() == ["12 hours", "6–8 hours", "under 10 hours", "2–3 days"]
    assert trade.clearance_conflicts(table).empty  # 6–8 h and under 10 h can both hold
    text = trade.clearance_text(table)
    assert "12 hours before a reform and 6–8 hours after it (figure for 2024; Agency, 4 January 2025; press)" in text
    assert "(figure for 2025; Mirror, undated; relay or mirror copy)" in text
    assert "disagree" not in text
    conn.loc[conn["row_id"] == "cn-3", "value"] = 5  # under 5 h cannot be 6–8 h
    table = trade.khorgos_clearance(conn, _CLEAR_SOURCES, labels={})
    conflicts = trade.clearance_conflicts(table)
    assert conflicts[["row_a", "row_b"]].values.tolist() == [["cn-2", "cn-3"]]
    assert "These sources disagree (1 pair" in trade.clearance_text(table)


def test_every_khorgos_clearance_statement_comes_from_the_helper():
    """The chapter glues the helper's text and cites exactly the helper's sources; no page or notebook types a
    clearance time by hand (the three versions of issue 17 came from such typed figures)."""
    import json
    import re

    conn, sources = load("connectivity"), load("sources")
    table = trade.khorgos_clearance(conn, sources)
    nb = json.loads((ROOT / "notebooks" / "03_trade.ipynb").read_text())
    glued = None
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook", {})
            if meta.get("name") == "khorgos_clearance_text":
                glued = out["data"]["application/papermill.record/text/plain"].strip("'\"")
    assert glued == trade.clearance_text(table), "03_trade's glued clearance text is stale: re-execute the notebook"
    markdown = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    cited = re.search(r"\{glue:text\}`khorgos_clearance_text` Sources: \{cite:t\}`([^`]*)`", markdown)
    assert cited, "03_trade must cite the clearance sources right after the glued text"
    assert set(cited.group(1).split(",")) == set(table["source_id"])
    typed = re.compile(
        r"(clear|waiting|processing|passage)[^.]{0,120}?\d+\s*(hours?|h|days)\b"
        r"|\d+\s*(hours?|days)\b[^.]{0,60}(clear|waiting|processing|passage)",
        re.I,
    )
    roles = re.compile(r"\{[a-z:]+\}`[^`]*`")  # citation and glue roles hold keys, not typed figures
    pages = {p.name: p for p in (ROOT / "notebooks").glob("*.ipynb")}
    for name, page in pages.items():
        for cell in json.loads(page.read_text())["cells"]:
            if cell["cell_type"] == "markdown":
                match = typed.search(roles.sub("", "".join(cell["source"])))
                assert not match, f"{name}: a clearance time typed in prose: {match.group(0)!r}"
    for page in [ROOT / "index.md", *(ROOT / "book").glob("*.md")]:
        if page.name in ("data-catalogue.md", "data-changes.md", "changelog.md"):
            continue
        match = typed.search(roles.sub("", page.read_text()))
        assert not match, f"{page.name}: a clearance time typed in prose: {match.group(0)!r}"
