"""Issue 10, points 8 and 12 through the WSGI app: whatever a client sends, a 4xx with a short
plain-text body; the security headers on every response, whoever answers it."""

from __future__ import annotations

import logging
import shutil

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from seedfeed.config import Config
from seedfeed.pipeline import build, write_status
from seedfeed.web import create_app

from .conftest import CORPUS, SAMPLE, keep_beating, make_config

# the brief's policy, spelled out here rather than imported: the test is the specification
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' https: http: data:; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
MAX_URL_PATH = 2048  # the longest path answered at all; longer is 414
SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def assert_secure(headers: object) -> None:
    for name, value in SECURITY.items():
        assert headers[name] == value, name  # type: ignore[index]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Config:
    config = make_config(tmp_path_factory.mktemp("site"))
    shutil.copy(CORPUS / SAMPLE, config.paths.seeds / SAMPLE)
    report = build(config)
    write_status(config, report, None, report.finished_at)
    keep_beating(config)
    return config


@pytest.fixture
def app(site: Config) -> Flask:
    return create_app(site)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.mark.parametrize(("method", "url", "status"), [
    ("GET", "/", 200), ("GET", "/feeds/atom.xml", 200), ("HEAD", "/feeds/feed.json", 200),
    ("GET", "/sitemap.xml", 200), ("GET", "/status", 200), ("GET", "/healthz", 200),
    ("HEAD", "/status", 200), ("OPTIONS", "/status", 200), ("GET", "/nope", 404),
    ("GET", "/feeds/atom.xml.gz", 404), ("POST", "/status", 405), ("DELETE", "/healthz", 405),
    ("PUT", "/feeds/atom.xml", 404), ("GET", "/" + "a" * (MAX_URL_PATH + 1), 414),
    ("HEAD", "/" + "a" * (MAX_URL_PATH + 1), 414), ("HEAD", "/nope", 404),
])
def test_every_answer_carries_the_security_headers(client: FlaskClient, method: str, url: str,
                                                   status: int) -> None:
    r = client.open(url, method=method)
    assert r.status_code == status
    assert_secure(r.headers)
    if status >= 400:
        assert r.headers["Content-Type"] == "text/plain; charset=utf-8" and len(r.data) < 40
    if method == "HEAD":
        assert r.data == b""


def test_304s_and_every_encoding_carry_them(client: FlaskClient) -> None:
    for coding in ("", "gzip", "br"):
        first = client.get("/feeds/rss.xml", headers={"Accept-Encoding": coding})
        again = client.get("/feeds/rss.xml", headers={"Accept-Encoding": coding,
                                                      "If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304
        assert_secure(first.headers)
        assert_secure(again.headers)


def test_a_405_keeps_its_allow_header(client: FlaskClient) -> None:
    r = client.post("/healthz")
    assert r.status_code == 405 and "GET" in r.headers["Allow"]


def test_a_bug_in_a_route_is_a_short_500_with_the_headers(app: Flask) -> None:
    def broken() -> str:
        raise RuntimeError("a bug")

    app.add_url_rule("/broken", "broken", broken)
    r = app.test_client().get("/broken")
    assert r.status_code == 500 and r.data == b"Internal Server Error\n"
    assert_secure(r.headers)


class BrokenCache:
    def get(self, *_: object) -> None:
        raise RuntimeError("a bug in the cache")


def test_a_bug_in_the_fast_path_is_logged_once_without_a_traceback(
        app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    app.extensions["seedfeed_fastpath"].cache = BrokenCache()
    client = app.test_client()
    with caplog.at_level(logging.ERROR, logger="seedfeed.fastpath"):
        answers = [client.get("/feeds/atom.xml\n") for _ in range(2)]
        answers += [client.get(f"/articles/{i}") for i in range(3)]
    assert {r.status_code for r in answers} == {500}
    assert {r.data for r in answers} == {b"Internal server error\n"}
    for r in answers:
        assert_secure(r.headers)
    [record] = caplog.records  # one line for five failures of one kind
    assert record.exc_info is None and "RuntimeError" in record.getMessage()
    assert "\n" not in record.getMessage()  # the client's newline is escaped


ODD = [b"/feeds/atom.xml/x", b"/feeds/atom.xml/", b"/feeds/\x00atom.xml", b"/a\x00b", b"/\x00",
       b"/" + b"a" * 300, b"/feeds/" + b"b" * 300 + b".xml", "/articles/é".encode() * 100,
       b"/feeds/archive/" + b"9" * 300 + b"/atom.xml", b"/\xff\xfe", b"/\xc0\xaf", b"/\xed\xb3\xbf",
       b"/..", b"/../etc/passwd", b"/feeds/../../etc/passwd", b"//etc/passwd", "/\u202e".encode(),
       b"/status/", b"/status\x00", b"/healthz/x", b"/feeds/atom.xml\x00.html", b"/a/" * 600,
       b"/" + b"a" * 100_000, b"/feeds/" + b"x/" * 300 + b"atom.xml", b"/\r\nSet-Cookie: x=y",
       b"", b"*", b"relative", b"/feeds\\atom.xml", b"/%2e%2e/%2e%2e/etc/passwd"]


def raw(client: FlaskClient, method: str, path: bytes) -> TestResponse:
    """A request whose PATH_INFO is the given bytes, as a WSGI server hands them (latin-1)."""
    return client.open("/", method=method, environ_overrides={"PATH_INFO": path.decode("latin-1")})


@pytest.mark.parametrize("path", ODD)
@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "OPTIONS", "TRACE", "PROPFIND", "BREW"])
def test_odd_requests_are_short_4xx(client: FlaskClient, path: bytes, method: str,
                                    caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        r = raw(client, method, path)
    if method == "OPTIONS" and r.status_code == 200:
        assert path.startswith((b"/status", b"/healthz"))
    else:
        assert 400 <= r.status_code < 500, (path, r.status_code)
        assert r.headers["Content-Type"] == "text/plain; charset=utf-8" and len(r.data) < 40
    assert_secure(r.headers)
    assert not caplog.records


def test_overlong_urls_are_414_and_never_cached(app: Flask, client: FlaskClient) -> None:
    fast = app.extensions["seedfeed_fastpath"]
    for i in range(50):
        assert client.get(f"/articles/{i}-" + "x" * 100_000).status_code == 414
    assert client.get("/" + "y" * (MAX_URL_PATH - 1)).status_code == 404  # the longest allowed
    assert sum(len(url) for url in fast._located) <= 2 * MAX_URL_PATH
