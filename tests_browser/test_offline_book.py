"""The built HTML book works offline: every page loads without a request leaving the book, without a failed
request and without a console error; every figure has alt text and a link to its data."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from .conftest import HTML

PAGES = (
    sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html") if "_static" not in p.parts)
    if (HTML.is_dir())
    else []
)
LOCAL = ("data:", "blob:", "about:")


def problems(events, base):
    out = []
    for e in events:
        method, params = e["method"], e.get("params", {})
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(base) and not url.startswith(LOCAL):
                out.append(f"external request: {url}")
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            out.append(f"failed request: {params.get('errorText')} ({params.get('type')})")
        elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
            out.append(f"HTTP {params['response']['status']}: {params['response']['url']}")
        elif method == "Runtime.exceptionThrown":
            d = params["exceptionDetails"]
            detail = d.get("exception", {}).get("description", "")[:300]
            out.append(f"exception: {d.get('text')} {detail} at {d.get('url', '')}:{d.get('lineNumber')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            out.append("console error: " + " ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            out.append(f"log error: {params['entry']['text']} {params['entry'].get('url', '')}")
        elif method == "x.timeout":
            out.append("page did not finish loading")
    return out


def test_the_book_has_its_pages():
    assert "index.html" in PAGES and len(PAGES) >= 10, PAGES


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_offline_without_errors(page, browser, server):
    events = browser.visit(f"{server}/{page}")
    requests = [e for e in events if e["method"] == "Network.requestWillBeSent"]
    assert requests, "the browser saw no request at all; the check would be vacuous"
    found = problems(events, server)
    assert not found, "\n".join(found)


def _figures(page):
    soup = BeautifulSoup((HTML / page).read_text(encoding="utf-8"), "html.parser")
    return soup.select("figure")


@pytest.mark.parametrize("page", [p for p in PAGES if p.startswith("notebooks/")])
def test_every_figure_has_alt_text_source_and_data_link(page):
    import json

    figures = _figures(page)
    notebook = HTML.parent.parent / page.replace(".html", ".ipynb")
    declares_none = json.loads(notebook.read_text(encoding="utf-8"))["metadata"].get("greensilk_figures") is False
    assert bool(figures) != declares_none, f"{page}: {len(figures)} figures, but its notebook says otherwise"
    for fig in figures:
        img = fig.find("img")
        caption = fig.find("figcaption")
        label = fig.get("id", "?")
        assert img is not None and len(img.get("alt", "")) >= 40, f"{page} {label}: missing or short alt text"
        text = caption.get_text(" ", strip=True) if caption else ""
        assert re.search(r"\bFigure \d+\.\d+", text), f"{page} {label}: not numbered"
        assert "Source:" in text, f"{page} {label}: no 'Source:' line"
        links = [a.get("href", "") for a in caption.find_all("a")]
        assert any(h.endswith(".csv") for h in links), f"{page} {label}: no link to the figure's data (CSV)"
        assert any(h.endswith(".svg") for h in links), f"{page} {label}: no SVG download of the figure"
        assert any(h.endswith("%402x.png") or h.endswith("@2x.png") for h in links), f"{page} {label}: no 2x PNG"
        for href in links:
            if href.endswith((".csv", ".geojson", ".svg", ".png")):
                target = (HTML / page).parent.joinpath(href.replace("%40", "@")).resolve()
                assert target.is_file(), f"{page}: broken data link {href}"


def test_every_claim_of_the_ledger_has_its_own_anchor():
    import csv

    claims = [row["claim_id"] for row in csv.DictReader((HTML.parent.parent / "data/claims/claims.csv").open())]
    soup = BeautifulSoup((HTML / "notebooks/05_claims.html").read_text(encoding="utf-8"), "html.parser")
    anchored = {dt.get("id") for dt in soup.select("dt[id]")}
    assert claims and set(claims) <= anchored, sorted(set(claims) - anchored)[:5]
    assert soup.find(id="c017").find("strong").get_text() == "c017"


def test_svg_and_png_downloads_are_real_images():
    from PIL import Image

    svgs = sorted((HTML / "_downloads").rglob("*.svg"))
    pngs = sorted((HTML / "_downloads").rglob("*@2x.png"))
    assert svgs and len(svgs) == len(pngs), (len(svgs), len(pngs))
    for svg in svgs:
        assert svg.read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg")), svg
    for png in pngs:
        with Image.open(png) as image:
            assert image.format == "PNG" and image.width >= 1000, (png.name, image.size)
