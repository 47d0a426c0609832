"""The PDF follows the HTML: chapter numbering, working data links, tables that fit, a condensed catalogue."""

from __future__ import annotations

import json

import pytest
import yaml

from greensilk import sphinxext
from greensilk.package_tools import catalogue_markdown

from .conftest import ROOT


def test_data_links_point_to_the_published_download():
    url = sphinxext.published_url("https://example.net/book/", "0123abcd/fig-x.csv")
    assert url == "https://example.net/book/_downloads/0123abcd/fig-x.csv"
    with pytest.raises(ValueError, match="absolute"):
        sphinxext.published_url("book/", "0123abcd/fig-x.csv")


def test_the_base_url_is_set_once_in_the_config():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["html"]["baseurl"].startswith("https://")
    assert "baseurl" not in json.dumps(config.get("sphinx", {}))  # no second copy under sphinx: config:


def test_column_widths_never_split_a_word():
    rows = [["Turkmenistan", "1,422.6"], ["China", "8.4"]]
    header = [["", "Electricity generated per person (kWh, 2023)"]]
    widths = sphinxext.column_widths(rows, header)
    assert widths[0] >= len("Turkmenistan")
    assert widths[1] >= len("Electricity")  # the longest header word
    assert widths[1] < len(header[0][1])  # a long header wraps rather than widening its column


def test_chapter_numbers_follow_the_toc():
    tex = "\\part{Themes}\\label{x}\n\\chapter{A}\n\\part{Appendix}\n\\chapter{B}\n"
    out = sphinxext.latex_part_numbering(tex, [("Themes", True), ("Appendix", False)])
    themes, appendix = out.split("\\part{Appendix}")
    assert "\\setcounter{secnumdepth}{-1}" in appendix and "{-1}" not in themes
    assert "\\setcounter{chapter}" not in out  # numbering runs on across numbered parts, as in the HTML
    with pytest.raises(ValueError, match="Synthesis"):
        sphinxext.latex_part_numbering(tex, [("Synthesis", True)])


def test_every_toc_part_has_a_caption_the_latex_patch_can_find():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    parts = sphinxext._toc_parts(ROOT)
    assert [c for c, _ in parts] == [p["caption"] for p in toc["parts"]]
    numbered = [c for c, n in parts if n]
    # numbered parts come first, so the PDF's chapter counter matches the HTML's
    assert [c for c, _ in parts][: len(numbered)] == numbered


def test_front_matter_stands_at_the_back():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    for page in ("book/how-to-cite", "book/changelog", "book/build-status"):
        assert files.index(page) > files.index("notebooks/06_conclusions"), page


def test_the_catalogue_has_one_condensed_table_for_the_pdf():
    text = catalogue_markdown(ROOT)
    latex = text.split("````{only} latex", 1)[1].split("````", 1)[0]
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert f"* - `{resource['name']}`" in latex, resource["name"]
    assert latex.count("```{list-table}") == 1
    assert "| Field |" not in latex  # no schemas in the PDF


def test_a_wide_table_is_narrowed_from_its_long_text_not_its_short_words():
    # the claims ledger's shape: short verdicts next to long paraphrases; proportional widths gave "unverifi-able"
    rows = [["c050", "unverifiable", "At the Astana summit China Energy's overseas arm signed a power purchase " * 2]]
    header = [["Id", "Verdict", "Claim (paraphrased)"]]
    widths = sphinxext.column_widths(rows, header, cap=70, line=60)
    assert widths[1] >= len("unverifiable") and widths[0] >= len("c050")  # no word split
    assert sum(widths) <= 60 - 3 * 3  # fits the line with each column's padding
    assert widths[2] < 70  # the long text gave the room and wraps
    assert sphinxext.column_widths(rows, header, cap=70, line=500)[2] == 70  # a table that fits is left alone
