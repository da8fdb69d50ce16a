"""Issue 10, points 4 and 12 in a real browser: pages built from hostile seeds, served by a
running `seedfeed serve`, opened in Debian's headless Chromium (driven by playwright).

Every payload in the seeds tries to set `window.__pwned` (or the title, or open a dialog, or
navigate away); none may succeed. An inline script injected into a published file (a
sanitiser bug, simulated) must be blocked by the Content-Security-Policy, and remote images
must load without a Referer."""

from __future__ import annotations

import contextlib
import http.server
import os
import re
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .test_serve_e2e import Server, wait_for

pytestmark = pytest.mark.slow

SEEDS = Path(__file__).parent / "data" / "hostile"  # the three seeds; PORT = the image server
# before any page script: record CSP violations, and a marker the payloads would overwrite
WATCH = ("window.__violations = [];"
         "document.addEventListener('securitypolicyviolation', e =>"
         " window.__violations.push(e.effectiveDirective));")


def png() -> bytes:
    """A 1×1 opaque PNG, built here."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x80\x00")) + chunk(b"IEND", b""))


class Images(http.server.ThreadingHTTPServer):
    """A second loopback server, a stand-in for a remote image host: it records the
    headers of every request it gets."""

    def __init__(self) -> None:
        self.seen: list[dict[str, str]] = []
        image = png()
        seen = self.seen

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(image)))
                self.end_headers()
                self.wfile.write(image)

            def log_message(self, *_: Any) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.server_address[1])


@pytest.fixture(scope="module")
def images() -> Iterator[Images]:
    srv = Images()
    yield srv
    srv.shutdown()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, images: Images) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("browser"))
    for seed in SEEDS.iterdir():
        text = seed.read_text("utf-8").replace("PORT", str(images.port))
        (srv.seeds / seed.name).write_text(text, encoding="utf-8")
    try:
        wait_for(lambda: len(srv.get("/feeds/feed.json").json()["items"]) == 3, 30,
                 "the three hostile seeds published")
        yield srv
    finally:
        srv.stop()


def pages(site: Server) -> list[str]:
    """The index and every page it and the topics page link (articles, topics)."""
    found = {"/"}
    for start in ("/", "/topics"):
        html = site.get(start).text
        found.update(re.findall('href="' + re.escape(site.url) + '(/[^"]*)"', html))
    return sorted(u for u in found if not u.startswith("/feeds/"))


def visit(browser: Any, url: str) -> dict[str, Any]:
    """Open `url` in a fresh page; what ran, what was blocked, where it ended up."""
    page = browser.new_page()
    dialogs: list[str] = []
    console: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: console.append(m.text))
    page.add_init_script(WATCH)
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(600)  # a 0 s meta refresh, a late onerror, an ontoggle
        for link in page.query_selector_all("a[href^='javascript:' i]"):
            link.click(no_wait_after=True)
        page.wait_for_timeout(100)
        return {"pwned": page.evaluate("typeof window.__pwned === 'undefined' ? null"
                                       " : String(window.__pwned)"),
                "title": page.title(), "url": page.url, "dialogs": dialogs,
                "violations": page.evaluate("window.__violations"), "console": console,
                "scripts": page.evaluate("document.scripts.length")}
    finally:
        page.close()


def test_no_script_from_a_hostile_seed_runs(site: Server, browser: Any) -> None:
    urls = pages(site)
    assert len(urls) >= 4
    for url in urls:
        seen = visit(browser, site.url + url)
        assert seen["pwned"] is None, (url, seen)
        assert seen["dialogs"] == [] and "PWNED" not in seen["title"], (url, seen)
        assert seen["url"] == site.url + url, (url, seen["url"])  # no refresh, no base hijack
        # the sanitiser let no script element through (the policy would block it anyway)
        assert seen["scripts"] == 0, (url, seen)
        assert not [v for v in seen["violations"] if v.startswith("script-src")], (url, seen)


def inject(path: Path, html: str) -> None:
    """Put `html` right after <body> in a published page, the way publish replaces files."""
    text = path.read_text("utf-8")
    assert "<body>" in text
    tmp = path.with_name("." + path.name + ".inject")
    tmp.write_text(text.replace("<body>", "<body>" + html, 1), encoding="utf-8")
    os.replace(tmp, path)


def test_the_policy_blocks_a_script_injected_into_a_published_page(site: Server, browser: Any
                                                                   ) -> None:
    """A sanitiser bug simulated: an inline script and an event handler written straight
    into a published article. The browser must refuse both, and say why."""
    url = site.url + next(u for u in pages(site) if u.startswith("/articles/"))
    path = site.root / "site" / (url.removeprefix(site.url).lstrip("/") + ".html")
    original = path.read_bytes()
    inject(path, "<script>window.__pwned='injected';document.title='PWNED';alert(1)</script>"
                 "<img src=x onerror=\"window.__pwned='handler'\">"
                 "<a id=js href=\"javascript:window.__pwned='href'\">x</a>")
    try:
        wait_for(lambda: "window.__pwned='injected'" in site.get(url.removeprefix(site.url)).text,
                 5, "the injected file served")
        seen = visit(browser, url)
    finally:
        tmp = path.with_name("." + path.name + ".restore")
        tmp.write_bytes(original)
        os.replace(tmp, path)
    assert seen["pwned"] is None and seen["dialogs"] == [] and "PWNED" not in seen["title"], seen
    assert "script-src-elem" in seen["violations"], seen  # the inline <script>
    assert "script-src-attr" in seen["violations"], seen  # the onerror handler
    assert any("Content Security Policy" in line for line in seen["console"]), seen["console"]


def test_remote_images_load_without_a_referer(site: Server, browser: Any, images: Images) -> None:
    images.seen.clear()
    for url in pages(site):
        page = browser.new_page()
        try:
            page.goto(site.url + url, wait_until="load")
            remote = f"[...document.images].filter(i => i.src.includes(':{images.port}/'))"
            # lazy images load once near the viewport, and need not finish before `load`
            page.evaluate(f"{remote}.forEach(i => i.scrollIntoView())")
            # polled from here: wait_for_function evaluates its string inside the page, which
            # the pages' CSP (no 'unsafe-eval') refuses since Playwright 1.65
            sizes = f"{remote}.map(i => i.complete && i.naturalWidth)"
            with contextlib.suppress(AssertionError):  # the assertion below says which image
                wait_for(lambda p=page, js=sizes: all(p.evaluate(js)), 15, "remote images loaded")
            loaded = page.evaluate(sizes)
            assert all(loaded), (url, loaded)
            # the page asks for it too, not only the Referrer-Policy header (a copy of the
            # page served elsewhere keeps the attribute); and images load lazily
            asked = page.evaluate("[...document.querySelectorAll('article img')]"
                                  ".map(i => [i.referrerPolicy, i.loading])")
            assert all(a == ["no-referrer", "lazy"] for a in asked), (url, asked)
        finally:
            page.close()
    deadline = time.monotonic() + 5
    while len({r["path"] for r in images.seen}) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert {r["path"] for r in images.seen} >= {"/md.png", "/html.png"}, images.seen
    for request in images.seen:
        assert "referer" not in request, request
