"""sources.csv and book/references.bib describe the same sources, and every source is usable as a citation."""

from __future__ import annotations

import re

from pybtex.database import parse_file

from greensilk import load

from .conftest import ROOT

SOURCES = load("sources", root=ROOT).set_index("source_id")
BIB = parse_file(str(ROOT / "book" / "references.bib")).entries


def _plain(text: str) -> str:
    # BibTeX needs braces for case and a backslash before &, % and $; the CSV holds the plain title
    return re.sub(r"\\([&%$_#])", r"\1", re.sub(r"[{}]", "", text)).strip()


def test_same_keys():
    assert set(SOURCES.index) == set(BIB), (
        f"only in sources.csv: {sorted(set(SOURCES.index) - set(BIB))}; "
        f"only in references.bib: {sorted(set(BIB) - set(SOURCES.index))}"
    )


def test_titles_years_and_urls_agree():
    for key, row in SOURCES.iterrows():
        entry = BIB[key]
        assert _plain(entry.fields["title"]) == row["title"], key
        year = row["date"][:4] if row["date"] != "n.d." else "n.d."
        # a letter after the year tells apart two sources of one author and year ("2025a", "2025b")
        assert re.fullmatch(re.escape(year) + "[a-z]?", entry.fields.get("year", "")), key
        url = row["url"] if isinstance(row["url"], str) else ""
        assert entry.fields.get("url", "") == url, key


def test_non_seed_sources_have_a_url_and_a_licence():
    for key, row in SOURCES.iterrows():
        if row["kind"] != "seed":
            assert isinstance(row["url"], str) and row["url"].startswith("http"), f"{key} has no URL"
        assert row["licence"], key


def test_every_seed_article_is_a_source():
    assert (SOURCES["kind"] == "seed").sum() == 5


def test_author_year_labels_are_unambiguous():
    from collections import Counter

    from greensilk.package_tools import _bib_author

    labels = Counter((_bib_author(e), e.fields.get("year")) for e in BIB.values())
    repeated = {k: n for k, n in labels.items() if n > 1}
    assert not repeated, f"several sources would be cited with the same author and year: {repeated}"


def _url_key(url: str) -> str:
    """A URL with what does not change the page dropped: scheme, 'www.', case of the host, a trailing slash."""
    url = re.sub(r"^https?://(www\.)?", "", url.strip())
    host, _, rest = url.partition("/")
    return (host.lower() + "/" + rest).rstrip("/")


def urls_under_several_keys(sources) -> dict[str, list[str]]:
    """URL -> its keys, for every URL that stands under more than one key in ``sources``."""
    keys: dict[str, list[str]] = {}
    for key, url in zip(sources["source_id"], sources["url"], strict=True):
        if isinstance(url, str) and url:
            keys.setdefault(_url_key(url), []).append(key)
    return {url: sorted(ks) for url, ks in keys.items() if len(ks) > 1}


def test_one_key_per_url():
    repeated = urls_under_several_keys(SOURCES.reset_index())
    assert not repeated, f"{len(repeated)} URLs stand under several keys (see merge_duplicate_sources.py): {repeated}"


def test_a_url_under_two_keys_is_found_whatever_its_spelling():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "source_id": ["a", "b", "c", "d", "e"],
            "url": [
                "https://www.example.org/news/1/",
                "http://example.org/news/1",
                "https://example.org/news/2",
                "https://EXAMPLE.org/news/3",
                None,
            ],
        }
    )
    assert urls_under_several_keys(frame) == {"example.org/news/1": ["a", "b"]}


def test_the_printed_reference_keeps_capitals_and_no_working_notes():
    # pybtex's styles lowercase a title outside braces ("Direction of trade statistics (dots)"): every title is
    # protected whole, as published; working notes sit in 'annote', which the style does not print
    from pybtex.backends.plaintext import Backend
    from pybtex.database import parse_string
    from pybtex.richtext import Text

    raw = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    keys = re.findall(r"(?m)^@\w+\{([^,]+),", raw)
    # parsed once, rendered with one backend: each pybtex plugin lookup scans every installed package (10 ms)
    entries, text = parse_string(raw, "bibtex").entries, Backend()
    assert list(entries.keys()) == keys
    for key, block in zip(keys, re.split(r"(?m)^@", raw)[1:], strict=True):
        title = re.search(r"(?m)^\s+title\s*=\s*(\{.*\}),?\s*$", block).group(1)
        assert title.startswith("{{") and title.endswith("}}"), f"{key}: title not protected: {title}"
        entry = entries[key]
        # rendered as the style renders it: nothing eaten by an unescaped % or shown as "\$"
        shown = Text.from_latex(entry.fields["title"]).render(text)
        assert shown == SOURCES.loc[key, "title"].replace("--", "–"), f"{key}: the reference shows {shown!r}"
        note = entry.fields.get("note", "")
        assert re.fullmatch(r"Accessed \d{4}-\d{2}-\d{2}", note), f"{key}: note {note!r}"
