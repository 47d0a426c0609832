"""Fixtures for checks of the built HTML book: a loopback web server and a headless Chromium driven over the
DevTools protocol (Debian's `chromium`, installed by `.ci/run`; no browser is downloaded)."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import websocket

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def html_root() -> Path:
    assert (HTML / "index.html").is_file(), "build the book first (make book)"
    return HTML


@pytest.fixture(scope="session")
def server(html_root):
    handler = functools.partial(_QuietHandler, directory=str(html_root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture(scope="session")
def browser():
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    assert exe, "Chromium is needed for the browser checks: apt-get install chromium (see .ci/run)"
    profile = tempfile.mkdtemp(prefix="gs-chromium-")
    proc = subprocess.Popen(
        [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = None
    deadline = time.time() + 30
    while time.time() < deadline and url is None:
        line = proc.stderr.readline()
        if "DevTools listening on" in line:
            url = line.split("DevTools listening on", 1)[1].strip()
    assert url, "Chromium did not start its DevTools endpoint"
    cdp = CDP(url)
    yield cdp
    cdp.close()
    proc.terminate()
    proc.wait(timeout=10)
    shutil.rmtree(profile, ignore_errors=True)


class CDP:
    """A minimal synchronous client of the Chrome DevTools protocol (flattened sessions)."""

    def __init__(self, url: str):
        self.ws = websocket.create_connection(url, timeout=30)
        self.next_id = 0

    def close(self):
        self.ws.close()

    def send(self, method: str, params: dict | None = None, session: str | None = None, events: list | None = None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if events is not None and "method" in reply:
                events.append(reply)

    def collect(self, events: list, until: str, session: str, timeout: float = 20.0, settle: float = 0.8):
        """Read events until ``until`` arrives for the session, then for ``settle`` seconds more."""
        deadline = time.time() + timeout
        done_at = None
        while time.time() < deadline:
            if done_at and time.time() > done_at + settle:
                return True
            self.ws.settimeout(0.2)
            try:
                message = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                continue
            finally:
                self.ws.settimeout(30)
            if "method" in message:
                events.append(message)
                if message["method"] == until and message.get("sessionId") == session and done_at is None:
                    done_at = time.time()
        return done_at is not None

    def visit(self, url: str, expression: str | None = None) -> list[dict]:
        """Open ``url`` in a new tab and return every event of that tab until it has loaded and settled; with
        ``expression``, its JavaScript value once the page has settled is added as an ``x.evaluate`` event."""
        events: list[dict] = []
        target = self.send("Target.createTarget", {"url": "about:blank"}, events=events)["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, events=events)["sessionId"]
        for domain in ("Network", "Runtime", "Log", "Page"):
            self.send(f"{domain}.enable", session=session, events=events)
        # every visit fetches what it needs (a cached file would show no request, hiding what the page loads)
        self.send("Network.setCacheDisabled", {"cacheDisabled": True}, session=session, events=events)
        self.send("Page.navigate", {"url": url}, session=session, events=events)
        loaded = self.collect(events, "Page.loadEventFired", session)
        if expression is not None:
            result = self.send(
                "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session, events=events
            )
            events.append({"method": "x.evaluate", "sessionId": session, "params": result.get("result", {})})
        self.send("Target.closeTarget", {"targetId": target}, events=events)
        page_events = [e for e in events if e.get("sessionId") == session]
        if not loaded:
            page_events.append({"method": "x.timeout", "params": {}})
        return page_events
