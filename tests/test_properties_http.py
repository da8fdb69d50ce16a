"""Properties of the web app (fast path + Flask) under random requests, issue 10 point 6.

Random methods, paths (known names, `..`, NUL, %-escapes, invalid UTF-8, unicode, overlong)
and headers (Accept-Encoding, If-None-Match, If-Modified-Since, Range) against
`create_app()`: never a 5xx; the security headers on every answer; a 200 body is a
published file (in some encoding) or a known route, never anything else on the disk; a 304
only when a validator the client sent matches what would have been served.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formatdate, parsedate_to_datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seedfeed.pipeline import build, write_status
from seedfeed.web import create_app

from .conftest import CORPUS, SAMPLE, keep_beating, make_config
from .test_http_hardening import SECURITY

# Per-example time limit: a request is answered from memory, so 2 s only trips on a hang.
# 2,500 examples per test, 5,000 in all, in every run (CI included).
LIMIT = settings(max_examples=2500, deadline=timedelta(seconds=2), database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
METHODS = st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS",
                           "TRACE", "PATCH", "PROPFIND", "CONNECT", "get", "BREW"])
NAMES = ["feeds", "atom.xml", "rss.xml", "feed.json", "feeds.opml", "archive", "open", "1", "0",
         "articles", "topics", "tag", "source", "pages", "index", "index.html", "sitemap.xml",
         "sitemaps", "status", "healthz", "state", "status.json", "seedfeed.db", "config.toml",
         "seeds", SAMPLE, ".seedfeed-manifest.json", ".seedfeed-keys.json", "atom.xml.gz",
         "feed.json.br", "..", ".", "", "%2e%2e", "%2f", "..%2f", "%00", "\x00", "\\", "..\\..",
         "\r\n", "é", "\u202e", "新聞", "\ud800", "%ff", "\xff", "a" * 256, "b" * 3000]
SEGMENT = st.one_of(st.sampled_from(NAMES), st.text(max_size=12),
                    st.binary(max_size=8).map(lambda b: b.decode("latin-1")))
PATHS = st.one_of(
    st.lists(SEGMENT, max_size=7).map(lambda parts: "/" + "/".join(parts)),
    st.text(max_size=40),  # not even starting with a slash
)
DATES = st.one_of(st.datetimes().map(lambda d: formatdate(d.timestamp(), usegmt=True)
                                     if 1 < d.year < 9999 else "x"),
                  st.text(max_size=30), st.sampled_from(["", "0", "Thu, 01 Jan 1970 00:00:00 GMT"]))
CODINGS = st.one_of(st.sampled_from(["gzip", "br", "br, gzip", "identity;q=0", "*", "*;q=0",
                                     "gzip;q=0.5, br;q=0.9", "x-gzip", "deflate", "GZIP;Q=1"]),
                    st.text(max_size=30))


@dataclass(frozen=True)
class Site:
    client: FlaskClient
    published: set[bytes]  # every published file's bytes (plain and siblings)
    etags: list[str]
    last_modified: str

    def __repr__(self) -> str:  # what a failing example prints
        return f"Site({len(self.published)} files)"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # Hypothesis's printer
        p.text(repr(self))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("props")
    config = make_config(root)
    shutil.copy(CORPUS / SAMPLE, config.paths.seeds / SAMPLE)
    shutil.copy(CORPUS / "009_school_open_day.md", config.paths.seeds)
    report = build(config)
    write_status(config, report, None, report.finished_at)
    keep_beating(config)
    (root / "secret.txt").write_bytes(b"never served")
    published = {p.read_bytes() for folder in (config.paths.feeds, config.paths.site)
                 for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")}
    client = create_app(config).test_client()
    etags = [client.get(u, headers={"Accept-Encoding": c}).headers["ETag"]
             for u in ("/feeds/atom.xml", "/feeds/feed.json", "/") for c in ("", "gzip", "br")]
    return Site(client, published, etags, client.get("/feeds/atom.xml").headers["Last-Modified"])


def request(client: FlaskClient, method: str, path: str, headers: dict[str, str]) -> Any:
    """PATH_INFO as a WSGI server hands it: the path's UTF-8 bytes read as latin-1."""
    raw = path.encode("utf-8", "surrogatepass").decode("latin-1")
    return client.open("/", method=method, headers=headers,
                       environ_overrides={"PATH_INFO": raw})


def check_answer(site: Site, method: str, path: str, headers: dict[str, str],
                 r: Any) -> None:
    health = path == "/healthz" and r.status_code == 503  # the worker's health, not the request's
    assert r.status_code < 500 or health, (method, path, headers, r.status_code, r.data[:200])
    for name, value in SECURITY.items():
        assert r.headers.get(name) == value, (method, path, name)
    if r.status_code == 200 and r.data:
        known = path.split("?")[0] in ("/status", "/healthz") and r.is_json
        assert known or r.data in site.published, (method, path, r.data[:200])
    if r.status_code == 304:
        check_not_modified(headers, r)


def check_not_modified(headers: dict[str, str], r: Any) -> None:
    """A 304 is right only when a validator sent matches the representation's."""
    etag = r.headers["ETag"]
    inm = headers.get("If-None-Match")
    if inm is not None:
        tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
        assert inm.strip() == "*" or etag in tags, (inm, etag)
        return
    since = parsedate_to_datetime(headers["If-Modified-Since"])
    assert since >= parsedate_to_datetime(r.headers["Last-Modified"])


@LIMIT
@given(method=METHODS, path=PATHS)
def test_any_method_and_path(site: Site, method: str, path: str) -> None:
    r = request(site.client, method, path, {})
    check_answer(site, method, path, {}, r)


VALIDATED = ["/feeds/atom.xml", "/feeds/rss.xml", "/feeds/feed.json", "/", "/sitemap.xml",
             "/feeds/feeds.opml", "/feeds/archive/1/atom.xml", "/status", "/nope"]


@LIMIT
@given(method=st.sampled_from(["GET", "HEAD"]), path=st.one_of(st.sampled_from(VALIDATED), PATHS),
       data=st.data())
def test_any_headers(site: Site, method: str, path: str, data: st.DataObject) -> None:
    tags = st.sampled_from(site.etags)
    headers = data.draw(st.fixed_dictionaries({}, optional={
        "Accept-Encoding": CODINGS,
        "If-None-Match": st.one_of(tags, tags.map("W/{}".format), st.just("*"),
                                   st.lists(tags, max_size=3).map(", ".join), st.text(max_size=40)),
        "If-Modified-Since": st.one_of(st.just(site.last_modified), DATES),
        "Range": st.one_of(st.just("bytes=0-10"), st.text(max_size=20)),
    }))
    headers = {k: v for k, v in headers.items() if v.isprintable() and v.isascii()}
    r = request(site.client, method, path, headers)
    check_answer(site, method, path, headers, r)
    if method == "HEAD":
        assert r.data == b""
