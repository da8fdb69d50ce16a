"""Every header rule of issue 9 against a running `seedfeed serve` and real nginx running
deploy/nginx.conf over the same published folders: same bodies, types, encodings, 304s.

One site for the module: the sample seed published by `serve`, plus the documents the
URL contract names that this site's pipeline may not publish (an archive page without
siblings, a topic feed with one, the OPML, sitemaps, a topic page), written beside them.
"""

from __future__ import annotations

import gzip
import os
import shutil
import time
from collections.abc import Iterator
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

import brotli
import pytest
import requests

from .conftest import CORPUS, SAMPLE
from .test_nginx import start_nginx
from .test_serve_e2e import Server, wait_for

pytestmark = pytest.mark.slow

SHORT = "public, max-age=1, stale-while-revalidate=6"  # the test site scans every second
IMMUTABLE = "public, max-age=31536000, immutable"
DOCS: dict[str, tuple[str, str, str, bool | None]] = {
    # URL -> (file below the root, media type, Cache-Control, has .gz/.br siblings)
    "/feeds/atom.xml": ("feeds/atom.xml", "application/atom+xml; charset=utf-8", SHORT, True),
    "/feeds/rss.xml": ("feeds/rss.xml", "application/rss+xml; charset=utf-8", SHORT, True),
    "/feeds/feed.json": ("feeds/feed.json", "application/feed+json; charset=utf-8", SHORT, True),
    "/feeds/tag/test/atom.xml": ("feeds/tag/test/atom.xml", "application/atom+xml; charset=utf-8",
                                 SHORT, True),
    "/feeds/archive/1/atom.xml": ("feeds/archive/1/atom.xml",
                                  "application/atom+xml; charset=utf-8", IMMUTABLE, False),
    "/feeds/tag/test/archive/2/rss.xml": ("feeds/tag/test/archive/2/rss.xml",
                                          "application/rss+xml; charset=utf-8", IMMUTABLE, False),
    # an archive page still filling up: its open/ file at the page's final URL, short cache
    "/feeds/archive/3/feed.json": ("feeds/archive/3/open/feed.json",
                                   "application/feed+json; charset=utf-8", SHORT, False),
    "/feeds/tag/test/archive/0/rss.xml": ("feeds/tag/test/archive/0/open/rss.xml",
                                          "application/rss+xml; charset=utf-8", SHORT, False),
    "/feeds/feeds.opml": ("feeds/feeds.opml", "text/x-opml; charset=utf-8", SHORT, False),
    "/": ("site/index.html", "text/html; charset=utf-8", SHORT, None),  # siblings: publish's call
    "/topics/tag/test": ("site/topics/tag/test.html", "text/html; charset=utf-8", SHORT, False),
    "/sitemap.xml": ("site/sitemap.xml", "application/xml; charset=utf-8", SHORT, False),
    "/sitemaps/1.xml": ("site/sitemaps/1.xml", "application/xml; charset=utf-8", SHORT, False),
    # the script variant (site.variants), as published by the build
    "/feeds/zh-Hans/atom.xml": ("feeds/zh-Hans/atom.xml", "application/atom+xml; charset=utf-8",
                                SHORT, True),
    "/feeds/zh-Hans/feed.json": ("feeds/zh-Hans/feed.json",
                                 "application/feed+json; charset=utf-8", SHORT, True),
    "/feeds/zh-Hans/feeds.opml": ("feeds/zh-Hans/feeds.opml", "text/x-opml; charset=utf-8",
                                  SHORT, False),
    "/zh-Hans": ("site/zh-Hans.html", "text/html; charset=utf-8", SHORT, None),
    "/zh-Hans/topics": ("site/zh-Hans/topics.html", "text/html; charset=utf-8", SHORT, False),
}
NOT_DOCUMENTS = ["/feeds/atom.xml.gz", "/feeds/atom.xml.br", "/feeds/.seedfeed-manifest.json",
                 "/.seedfeed-manifest.json", "/index.html", "/topics/tag/test.html",
                 "/feeds/nope.xml", "/feeds/archive/1/", "/nope", "/feeds/../config.toml",
                 "/topics/tag/test.html.gz"]


def _extra_documents(root: Path) -> None:
    atom = (root / "feeds" / "atom.xml").read_bytes()
    rss = (root / "feeds" / "rss.xml").read_bytes()
    files = {
        "feeds/tag/test/atom.xml": atom, "feeds/archive/1/atom.xml": atom,
        "feeds/tag/test/archive/2/rss.xml": rss,
        "feeds/archive/3/open/feed.json": (root / "feeds" / "feed.json").read_bytes(),
        "feeds/tag/test/archive/0/open/rss.xml": rss,
        "feeds/feeds.opml": b'<?xml version="1.0"?><opml version="2.0"><body/></opml>\n',
        "site/topics/tag/test.html": b"<!doctype html><title>tag</title><p>\xe6\xb8\xac</p>\n",
        "site/sitemap.xml": b'<?xml version="1.0"?><sitemapindex/>\n',
        "site/sitemaps/1.xml": b'<?xml version="1.0"?><urlset/>\n',
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    hour_ago = time.time() - 3600  # an archive page written long ago
    os.utime(root / "feeds/archive/1/atom.xml", (hour_ago, hour_ago))
    (root / "feeds/tag/test/atom.xml.gz").write_bytes(gzip.compress(atom, mtime=0))
    (root / "feeds/tag/test/atom.xml.br").write_bytes(brotli.compress(atom))
    stamp = (root / "feeds/tag/test/atom.xml").stat().st_mtime_ns  # as publish does: one mtime
    for sibling in ("atom.xml.gz", "atom.xml.br"):
        os.utime(root / "feeds/tag/test" / sibling, ns=(stamp, stamp))


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    tmp = tmp_path_factory.mktemp("rules")
    app = Server(tmp / "site-root", extra={"site": {"variants": ["zh-Hans"]}})
    shutil.copy(CORPUS / SAMPLE, app.seeds / SAMPLE)
    try:
        wait_for(lambda: (r := app.get("/feeds/zh-Hans/feed.json")).ok and r.json()["items"], 20,
                 "sample published")
        _extra_documents(app.root)
        proc, nginx_url = start_nginx(app.root, app.port, tmp / "nginx")
    except BaseException:
        app.stop()
        raise
    try:
        yield {"serve": app.url, "nginx": nginx_url, "root": str(app.root)}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        app.stop()


@pytest.fixture(params=["serve", "nginx"])
def base(request: pytest.FixtureRequest, servers: dict[str, str]) -> str:
    return servers[request.param]


def get(url: str, method: str = "GET", **headers: str) -> requests.Response:
    headers.setdefault("Accept-Encoding", "identity")  # requests asks for gzip by default
    return requests.request(method, url, headers=headers, timeout=5, stream=True)


def raw(r: requests.Response) -> bytes:
    return bytes(r.raw.read(decode_content=False))


@pytest.mark.parametrize("url", DOCS)
def test_documents_types_bodies_and_headers(base: str, servers: dict[str, str], url: str) -> None:
    name, media, cache, _ = DOCS[url]
    r = get(base + url)
    assert r.status_code == 200
    body = raw(r)
    assert body == (Path(servers["root"]) / name).read_bytes()
    assert r.headers["Content-Type"] == media
    assert r.headers["Content-Length"] == str(len(body))
    etag = r.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')  # strong
    parsedate_to_datetime(r.headers["Last-Modified"])
    assert r.headers["Last-Modified"].endswith(" GMT")
    assert r.headers["Cache-Control"] == cache
    assert r.headers["Vary"] == "Accept-Encoding"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Encoding" not in r.headers


@pytest.mark.parametrize("url", NOT_DOCUMENTS)
def test_siblings_dotfiles_and_suffixed_urls_are_not_documents(base: str, url: str) -> None:
    assert get(base + url).status_code == 404


@pytest.mark.parametrize(("accept", "coding"), [
    ("gzip", "gzip"), ("gzip;q=1.0", "gzip"), ("GZIP", "gzip"), ("gzip;q=0", None),
    ("br;q=0.5, gzip;q=1", "gzip"), ("gzip, identity;q=0", "gzip"), ("identity;q=0", None),
    ("deflate", None), ("", None), ("identity", None), ("gzip;q=0.5, identity;q=0", "gzip"),
])
def test_accept_encoding_q_values(base: str, servers: dict[str, str], accept: str,
                                  coding: str | None) -> None:
    r = get(base + "/feeds/atom.xml", **{"Accept-Encoding": accept})
    assert r.status_code == 200
    assert r.headers.get("Content-Encoding") == coding
    suffix = {"gzip": ".gz", None: ""}[coding]
    assert raw(r) == (Path(servers["root"]) / f"feeds/atom.xml{suffix}").read_bytes()
    assert r.headers["Vary"] == "Accept-Encoding"


def test_brotli_from_seedfeed_and_gzip_from_nginx(servers: dict[str, str]) -> None:
    root = Path(servers["root"])
    r = get(servers["serve"] + "/feeds/atom.xml", **{"Accept-Encoding": "gzip, br"})
    assert r.headers["Content-Encoding"] == "br"
    assert raw(r) == (root / "feeds/atom.xml.br").read_bytes()
    assert get(servers["serve"] + "/feeds/atom.xml", **{"Accept-Encoding": "br;q=0.9, gzip"}
               ).headers["Content-Encoding"] == "gzip"
    # deploy/nginx.conf serves gzip only (see its header comment)
    assert get(servers["nginx"] + "/feeds/atom.xml", **{"Accept-Encoding": "gzip, br"}
               ).headers["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("url", [u for u, d in DOCS.items() if d[3] is False])
def test_documents_without_siblings_are_identity(base: str, url: str) -> None:
    r = get(base + url, **{"Accept-Encoding": "gzip, br"})
    assert r.status_code == 200 and "Content-Encoding" not in r.headers


def test_strong_etag_per_encoding(base: str) -> None:
    tags = {get(base + "/feeds/atom.xml", **{"Accept-Encoding": a}).headers["ETag"]
            for a in ("identity", "gzip")}
    assert len(tags) == 2
    plain = get(base + "/feeds/atom.xml").headers["ETag"]
    zipped = get(base + "/feeds/atom.xml", **{"Accept-Encoding": "gzip"}).headers["ETag"]
    # the gzip representation's tag does not validate the identity one, and back
    assert get(base + "/feeds/atom.xml", **{"If-None-Match": zipped}).status_code == 200
    assert get(base + "/feeds/atom.xml", **{"Accept-Encoding": "gzip", "If-None-Match": plain}
               ).status_code == 200
    assert get(base + "/feeds/atom.xml", **{"Accept-Encoding": "gzip", "If-None-Match": zipped}
               ).status_code == 304


def _validators(base: str, url: str) -> tuple[str, str]:
    r = get(base + url)
    return r.headers["ETag"], r.headers["Last-Modified"]


def _date(lm: str, shift: float) -> str:
    return formatdate(parsedate_to_datetime(lm).timestamp() + shift, usegmt=True)


CONDITIONS = {  # name -> (headers from (etag, last_modified), status)
    "etag": (lambda e, lm: {"If-None-Match": e}, 304),
    "etag in a list": (lambda e, lm: {"If-None-Match": f'"other", {e}, "more"'}, 304),
    "weak form of the etag": (lambda e, lm: {"If-None-Match": f"W/{e}"}, 304),
    "star": (lambda e, lm: {"If-None-Match": "*"}, 304),
    "other etag": (lambda e, lm: {"If-None-Match": '"other"'}, 200),
    "last-modified": (lambda e, lm: {"If-Modified-Since": lm}, 304),
    "an older date": (lambda e, lm: {"If-Modified-Since": _date(lm, -3600)}, 200),
    "a date in the future": (lambda e, lm: {"If-Modified-Since": _date(lm, 10 * 86400)}, 200),
    "not a date": (lambda e, lm: {"If-Modified-Since": "yesterday"}, 200),
    "other etag, date ignored": (lambda e, lm: {"If-None-Match": '"other"',
                                                "If-Modified-Since": lm}, 200),
}


@pytest.mark.parametrize("url", ["/feeds/atom.xml", "/feeds/archive/1/atom.xml", "/"])
@pytest.mark.parametrize("case", CONDITIONS)
def test_conditional_requests(base: str, url: str, case: str) -> None:
    make, status = CONDITIONS[case]
    etag, lm = _validators(base, url)
    for method in ("GET", "HEAD"):
        r = get(base + url, method, **make(etag, lm))
        assert r.status_code == status, (method, case)
        if status == 304:
            assert raw(r) == b""
            assert r.headers["ETag"] == etag and r.headers["Last-Modified"] == lm
            assert r.headers["Cache-Control"] == DOCS[url][2]
            assert r.headers["Vary"] == "Accept-Encoding"


def test_seedfeed_ignores_the_date_beside_a_matching_etag(servers: dict[str, str]) -> None:
    """RFC 9110 §13.1.3; nginx answers these with a full 200 (deploy/nginx.conf says why)."""
    etag, lm = _validators(servers["serve"], "/feeds/atom.xml")
    headers = {"If-None-Match": etag, "If-Modified-Since": _date(lm, -3600)}
    assert get(servers["serve"] + "/feeds/atom.xml", **headers).status_code == 304
    _, old = _validators(servers["serve"], "/feeds/archive/1/atom.xml")  # an hour old
    later = {"If-Modified-Since": _date(old, 60)}  # after Last-Modified, not in the future
    assert get(servers["serve"] + "/feeds/archive/1/atom.xml", **later).status_code == 304
    assert get(servers["nginx"] + "/feeds/archive/1/atom.xml", **later).status_code == 200
    n_etag, n_lm = _validators(servers["nginx"], "/feeds/atom.xml")
    assert get(servers["nginx"] + "/feeds/atom.xml", **{
        "If-None-Match": n_etag, "If-Modified-Since": _date(n_lm, -3600)}).status_code == 200


@pytest.mark.parametrize("accept", ["identity", "gzip", "br"])
@pytest.mark.parametrize("url", ["/feeds/atom.xml", "/feeds/feeds.opml", "/"])
def test_head_is_get_without_a_body(base: str, url: str, accept: str) -> None:
    got = get(base + url, **{"Accept-Encoding": accept})
    head = get(base + url, "HEAD", **{"Accept-Encoding": accept})
    assert head.status_code == got.status_code == 200
    assert raw(head) == b""
    skip = {"date", "connection", "keep-alive"}
    assert ({k.lower(): v for k, v in head.headers.items() if k.lower() not in skip}
            == {k.lower(): v for k, v in got.headers.items() if k.lower() not in skip})


@pytest.mark.parametrize("url", DOCS)
def test_nginx_and_seedfeed_send_the_same_documents(servers: dict[str, str], url: str) -> None:
    for accept in ("identity", "gzip"):
        a = get(servers["serve"] + url, **{"Accept-Encoding": accept})
        b = get(servers["nginx"] + url, **{"Accept-Encoding": accept})
        assert a.status_code == b.status_code == 200
        for header in ("Content-Type", "Content-Encoding", "Cache-Control", "Vary",
                       "X-Content-Type-Options", "Content-Length"):
            assert a.headers.get(header) == b.headers.get(header), (url, accept, header)
        assert raw(a) == raw(b)


def test_a_replaced_file_is_served_new_at_once(servers: dict[str, str]) -> None:
    """publish replaces files (os.replace): the cached bytes and validators follow."""
    path = Path(servers["root"]) / "site/sitemaps/1.xml"
    old_tag = get(servers["serve"] + "/sitemaps/1.xml").headers["ETag"]
    tmp = path.with_name(".1.xml.tmp")
    tmp.write_bytes(b'<?xml version="1.0"?><urlset><url/></urlset>\n')
    tmp.replace(path)
    for base in (servers["serve"], servers["nginx"]):
        r = get(base + "/sitemaps/1.xml")
        assert raw(r) == path.read_bytes()
    new = get(servers["serve"] + "/sitemaps/1.xml")
    assert new.headers["ETag"] != old_tag
    assert get(servers["serve"] + "/sitemaps/1.xml", **{"If-None-Match": old_tag}).status_code == 200


SECURITY = {  # issue 10 point 12: the same on every answer, from both servers
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' https: "
                               "http: data:; base-uri 'none'; form-action 'none'; "
                               "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


@pytest.mark.parametrize(("method", "url", "status"), [
    *(("GET", url, 200) for url in DOCS), ("GET", "/status", 200), ("GET", "/healthz", 200),
    *(("GET", url, 404) for url in NOT_DOCUMENTS), ("POST", "/feeds/atom.xml", None),
    ("DELETE", "/status", 405), ("GET", "/articles/" + "x" * 300, 404),
])
def test_security_headers_on_every_answer(base: str, method: str, url: str,
                                          status: int | None) -> None:
    r = get(base + url, method)
    assert status is None and 400 <= r.status_code < 500 or r.status_code == status
    for name, value in SECURITY.items():
        assert r.headers.get(name) == value, (url, name, r.headers.get(name))
    if url in ("/status", "/healthz") and method == "GET":
        assert r.headers["Cache-Control"] == "no-store"
    if url in DOCS and method == "GET":  # a 304 too (browsers keep the headers of what they revalidate)
        again = get(base + url, method, **{"If-None-Match": r.headers["ETag"]})
        assert again.status_code == 304
        for name, value in SECURITY.items():
            assert again.headers.get(name) == value, (url, name)
