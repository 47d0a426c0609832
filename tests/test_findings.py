"""The key findings: taken from the chapters (never computed twice), graded by the written rule, and shown on the
front page exactly as the registry defines them."""

from __future__ import annotations

import string

from greensilk import findings

from .conftest import ROOT


def test_the_front_page_table_is_generated_from_the_registry():
    text = (ROOT / "index.md").read_text(encoding="utf-8")
    assert findings.front_table() in text, "run `make data` to regenerate the key findings table in index.md"


def test_every_headline_reads_keys_its_chapter_glues():
    for h in findings.HEADLINES:
        glued = findings.glued(ROOT / "notebooks" / h.chapter)
        keys = {f for _, f, _, _ in string.Formatter().parse(h.value + h.year) if f}
        assert keys <= set(glued), f"{h.id}: {sorted(keys - set(glued))} not glued by {h.chapter}"


def test_the_conclusions_chapter_shows_what_the_chapters_computed():
    # 06 glues each headline's value, year and grade; they must equal what the chapters glue now
    shown = findings.glued(ROOT / "notebooks" / "06_conclusions.ipynb")
    table = findings.table(ROOT)
    for row in table.itertuples():
        assert shown[f"kf_{row.id}_value"] == row.Value, row.id
        assert shown[f"kf_{row.id}_year"] == row.Year, row.id
        assert shown[f"kf_{row.id}_grade"] == row.Grade, row.id


def test_grades_follow_the_weakest_input():
    table = findings.table(ROOT).set_index("id")
    assert table.loc["trade-imf", "Grade"] == "A"  # official statistics only
    assert table.loc["energy-uzb", "Grade"] == "C"  # the Chinese roles rest on press reports in the registry
    assert "press" in table.loc["energy-uzb", "Why"]
