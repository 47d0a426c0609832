"""The versioned site (`make site`): every recorded release and latest/ in one static site, served locally; the
version switcher's JSON loads from the site itself, the switcher lists every version with working links, older
versions carry a banner pointing to the latest, and no page makes a request outside the site."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from .conftest import ROOT, _QuietHandler
from .test_offline_book import problems

SITE = ROOT / "_build" / "site"
RELEASES = json.loads((ROOT / "book" / "releases.json").read_text(encoding="utf-8"))
PREFIX = urlparse(yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["html"]["baseurl"]).path or "/"
PREFIX = PREFIX if PREFIX.endswith("/") else PREFIX + "/"
FOLDERS = ["latest"] + [f"v{r['version']}" for r in reversed(RELEASES)]  # as the switcher lists them
PAGES = ["index.html", "book/how-to-cite.html", "notebooks/02_energy.html"]
SWITCHER_STATE = """JSON.stringify({
  items: [...(document.querySelector('.version-switcher__menu') || document.body).querySelectorAll('a.dropdown-item')]
    .map(a => [a.dataset.version, a.getAttribute('href')]),
  button: ((document.querySelector('.version-switcher__button') || {}).dataset || {}).activeVersion || '',
  banner: (document.querySelector('.bd-header-announcement') || {}).innerText || '',
  bannerLinks: [...document.querySelectorAll('.bd-header-announcement a')].map(a => a.getAttribute('href')),
})"""


class _PrefixHandler(_QuietHandler):
    """Serves _build/site under the path of the site's base URL, as the published site would be."""

    def translate_path(self, path):
        if not path.startswith(PREFIX):
            return str(SITE / "__outside_the_site__")
        return super().translate_path("/" + path[len(PREFIX) :])


@pytest.fixture(scope="module")
def site_server():
    assert (SITE / "switcher.json").is_file(), "build the site first (make site)"
    handler = functools.partial(_PrefixHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_site_has_latest_and_every_release():
    assert len(FOLDERS) >= 2
    for folder in FOLDERS:
        assert (SITE / folder / "index.html").is_file(), f"{folder} was not built"


def test_switcher_json_lists_every_version_once_with_one_preferred():
    entries = json.loads((SITE / "switcher.json").read_text(encoding="utf-8"))
    assert [e["url"] for e in entries] == [f"{PREFIX}{f}/" for f in FOLDERS]
    assert [e["version"] for e in entries] == ["latest"] + [r["version"] for r in RELEASES][::-1]
    assert [e["version"] for e in entries if e.get("preferred")] == [RELEASES[-1]["version"]]


def _state(events):
    values = [e["params"].get("value") for e in events if e["method"] == "x.evaluate"]
    assert values and values[0], "the page did not answer the switcher query"
    return json.loads(values[0])


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("folder", FOLDERS)
def test_page_loads_offline_and_the_switcher_works(folder, page, browser, site_server):
    if not (SITE / folder / page).is_file():
        pytest.fail(f"{folder}/{page} is missing from the site")
    url = f"{site_server}{PREFIX}{folder}/{page}"
    events = browser.visit(url, expression=SWITCHER_STATE)
    found = problems(events, site_server)
    assert not found, "\n".join(found)
    json_requests = [
        e
        for e in events
        if e["method"] == "Network.responseReceived" and e["params"]["response"]["url"].endswith("/switcher.json")
    ]
    assert json_requests, "the switcher's JSON was never requested"
    assert json_requests[0]["params"]["response"]["url"] == f"{site_server}{PREFIX}switcher.json"
    assert json_requests[0]["params"]["response"]["status"] == 200
    state = _state(events)
    versions = [v for v, _ in state["items"]]
    assert versions == ["latest"] + [r["version"] for r in RELEASES][::-1], state
    for _, href in state["items"]:
        assert href.startswith(PREFIX) and href.endswith(page), href
        target = SITE / href[len(PREFIX) :]
        assert target.is_file() or target.parent.joinpath("index.html").is_file(), f"switcher link {href} is broken"
    this = "latest" if folder == "latest" else folder[1:]
    assert state["button"] == this, f"the switcher shows {state['button']!r} on {folder}"


@pytest.mark.parametrize("folder", [f for f in FOLDERS if f != "latest"])
def test_older_versions_say_so_and_point_to_the_latest(folder, browser, site_server):
    state = _state(browser.visit(f"{site_server}{PREFIX}{folder}/index.html", expression=SWITCHER_STATE))
    assert f"version {folder[1:]}" in state["banner"], state["banner"]
    assert f"{PREFIX}latest/index.html" in state["bannerLinks"]


def test_latest_says_it_is_unreleased(browser, site_server):
    state = _state(browser.visit(f"{site_server}{PREFIX}latest/index.html", expression=SWITCHER_STATE))
    assert "not yet released" in state["banner"], state["banner"]


def test_canonical_links_name_the_page_in_latest():
    base = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["html"]["baseurl"].rstrip("/") + "/"
    text = (SITE / "latest" / "book" / "how-to-cite.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{base}latest/book/how-to-cite.html"' in text


def test_site_pages_name_their_version():
    for release in RELEASES:
        text = (SITE / f"v{release['version']}" / "index.html").read_text(encoding="utf-8")
        assert f"Version <strong>{release['version']}</strong>" in text
        assert release["commit"][:10] in text
    assert Path(SITE / "latest" / "index.html").is_file()
