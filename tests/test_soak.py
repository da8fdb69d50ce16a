"""Soak (issue 10, point 5): a running `seedfeed serve` on loopback holds 1,100 connections
(idle, keep-alive and slowloris: more than granian's default cap) while pollers send
conditional GETs in every encoding and seeds churn. Every poll is answered within 1 s,
nothing is a 5xx, every 200 is complete and valid, and an ETag always names the same
content, whatever the encoding.

Prints its figures (connections held, requests served, errors, latencies)."""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import brotli
import pytest
import requests
from lxml import etree
from lxml import html as lxml_html

from .clients import Slowloris, close, idle, keep_alive, raise_file_limit, still_open
from .conftest import CORPUS, SAMPLE, write_seed
from .test_serve_e2e import Server, wait_for

pytestmark = pytest.mark.slow

POLL_SECONDS = 25
POLLERS = 8
IDLE, KEPT, SLOW = 700, 200, 200  # held connections, by kind
DECODE: dict[str, Callable[[bytes], bytes]] = {
    "": lambda b: b, "gzip": gzip.decompress, "br": brotli.decompress}


def valid(url: str, body: bytes) -> None:
    """The whole document, as its consumer reads it."""
    if url.endswith(".json"):
        assert isinstance(json.loads(body)["items"], list)
    elif url.endswith(".xml"):
        etree.fromstring(body)
    else:
        assert body.rstrip().endswith(b"</html>"), body[-80:]
        lxml_html.fromstring(body)


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    # (url, encoding, ETag) -> digest of the decoded body: an ETag names one content
    tagged: dict[tuple[str, str, str], str] = field(default_factory=dict)
    # url -> digests of every decoded body seen, per encoding
    seen: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def record(self, url: str, coding: str, r: requests.Response, took: float) -> None:
        raw = r.raw.read(decode_content=False) if r.status_code == 200 else b""
        with self.lock:
            self.statuses[r.status_code] += 1
            self.latencies.append(took)
        if r.status_code != 200:
            return
        sent = r.headers.get("Content-Encoding", "")
        # what was asked for, or identity for a document published without siblings
        assert sent in (coding, ""), (url, coding, sent)
        coding = sent
        assert int(r.headers["Content-Length"]) == len(raw), (url, coding)
        body = DECODE[coding](raw)
        valid(url, body)
        digest = hashlib.sha256(body).hexdigest()
        key = (url, coding, r.headers["ETag"])
        with self.lock:
            assert self.tagged.setdefault(key, digest) == digest, f"{key} names two contents"
            self.seen.setdefault((url, coding), set()).add(digest)


def poller(base: str, urls: list[str], tally: Tally, stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    session = requests.Session()
    last: dict[tuple[str, str], str] = {}
    while not stop.is_set():
        url, coding = rng.choice(urls), rng.choice(list(DECODE))
        headers = {"Accept-Encoding": coding or "identity"}
        if (url, coding) in last and rng.random() < 0.6:
            headers["If-None-Match"] = last[(url, coding)]
        started = time.monotonic()
        try:
            r = session.get(base + url, headers=headers, timeout=5, stream=True)
            tally.record(url, coding, r, time.monotonic() - started)
            if "ETag" in r.headers:
                last[(url, coding)] = r.headers["ETag"]
        except Exception as e:  # a timeout, a reset, a broken body: all count
            with tally.lock:
                tally.errors.append(f"{url} {coding}: {type(e).__name__}: {e}"[:300])


def published(root: Path, url: str) -> Path:
    """The plain file a URL of the soak's list serves."""
    if url.startswith("/feeds/"):
        return root / url.lstrip("/")
    if url == "/":
        return root / "site" / "index.html"
    return root / "site" / (url.lstrip("/") + ("" if url.endswith(".xml") else ".html"))


def versions(root: Path, urls: list[str], stop: threading.Event,
             out: dict[str, set[str]]) -> None:
    """Every version of each plain file publish puts in place (a build takes far longer
    than this loop's turn, so none is missed): what a compressed body must be one of."""
    stamps: dict[str, tuple[int, int, int]] = {}
    while not stop.is_set():
        for url in urls:
            try:
                st = published(root, url).stat()
                stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
                if stamps.get(url) != stamp:
                    out.setdefault(url, set()).add(
                        hashlib.sha256(published(root, url).read_bytes()).hexdigest())
                    stamps[url] = stamp
            except FileNotFoundError:
                pass
        time.sleep(0.002)


def churn(seeds: Path, stop: threading.Event, counts: Counter[str]) -> None:
    """New, edited and deleted seeds, one change every ~0.7 s."""
    rng = random.Random(7)
    live: list[str] = []
    n = 0
    while not stop.wait(0.7):
        action = rng.choice(["new", "new", "edit", "delete"]) if live else "new"
        if action == "new":
            n += 1
            live.append(f"churn-{n}.txt")
            write_seed(seeds, live[-1], f"輪換新聞第{n}號", f"第{n}篇正文。\n再一段。")
        elif action == "edit":
            name = rng.choice(live)
            write_seed(seeds, name, f"修改過的新聞{rng.randint(0, 10**6)}", "修改後的正文。")
        else:
            (seeds / live.pop(rng.randrange(len(live)))).unlink()
        counts[action] += 1


def test_soak(tmp_path: Path) -> None:
    raise_file_limit(8192)
    # held connections stay held for the whole run; dropping them after the header
    # timeout is tests/test_serve_limits.py's business
    srv = Server(tmp_path, extra={"server": {"header_timeout": 60}})
    shutil.copy(CORPUS / SAMPLE, srv.seeds / SAMPLE)
    try:
        wait_for(lambda: (r := srv.get("/feeds/feed.json")).ok and r.json()["items"], 20, "up")
        article = srv.get("/feeds/feed.json").json()["items"][0]["url"].removeprefix(srv.url)
        urls = ["/feeds/atom.xml", "/feeds/rss.xml", "/feeds/feed.json", "/", article,
                "/sitemap.xml"]
        held = idle(srv.port, IDLE) + keep_alive(srv.port, KEPT)
        slow = Slowloris(srv.port, SLOW, every=1.0)
        tally, stop, changes = Tally(), threading.Event(), Counter[str]()
        threads = [threading.Thread(target=poller, args=(srv.url, urls, tally, stop, i))
                   for i in range(POLLERS)]
        threads.append(threading.Thread(target=churn, args=(srv.seeds, stop, changes)))
        plain_versions: dict[str, set[str]] = {}
        threads.append(threading.Thread(target=versions,
                                        args=(srv.root, urls, stop, plain_versions)))
        started = time.monotonic()
        for t in threads:
            t.start()
        time.sleep(POLL_SECONDS)
        stop.set()
        for t in threads:
            t.join(timeout=30)
        elapsed = time.monotonic() - started
        still = still_open(held) + still_open(slow.socks)
        slow.stop()
        close(held)
        final = {u: srv.get(u).content for u in urls}
    finally:
        srv.stop()

    lat = sorted(tally.latencies)
    figures = {
        "connections held": f"{len(held) + len(slow.socks)} ({IDLE} idle, {KEPT} keep-alive, "
                            f"{SLOW} slowloris; {still} still open at the end)",
        "requests served": f"{len(lat)} in {elapsed:.1f}s ({len(lat) / elapsed:.0f}/s) by "
                           f"{POLLERS} pollers: {dict(sorted(tally.statuses.items()))}",
        "errors": len(tally.errors),
        "latency": f"max {lat[-1] * 1000:.0f} ms, p99 {lat[int(len(lat) * 0.99)] * 1000:.0f} ms, "
                   f"median {lat[len(lat) // 2] * 1000:.1f} ms",
        "seed changes": dict(changes),
    }
    print("\nsoak figures:", json.dumps(figures, ensure_ascii=False, indent=1))
    assert not tally.errors, tally.errors[:5]
    assert still == len(held) + len(slow.socks)  # held beside the readers, not refused
    assert all(s < 500 for s in tally.statuses), tally.statuses
    assert tally.statuses[200] > 100 and tally.statuses[304] > 100, tally.statuses
    assert lat[-1] < 1, figures["latency"]
    assert sum(changes.values()) > 20
    for url in urls:  # every compressed body is a version that was published plain
        plain = plain_versions.get(url, set()) | {hashlib.sha256(final[url]).hexdigest()}
        assert tally.seen.get((url, ""), set()) <= plain, url
        for coding in ("gzip", "br"):
            assert tally.seen.get((url, coding), set()) <= plain, (url, coding)
