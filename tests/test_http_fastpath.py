"""fastpath.py: the URL rules and the per-version cache, without a server."""

from __future__ import annotations

import gzip
import os
import time
from pathlib import Path

import pytest

from seedfeed import watch
from seedfeed.fastpath import IMMUTABLE, FastPath, FileCache, locate

F, S, C = "/r/feeds", "/r/site", "short"


@pytest.mark.parametrize(("url", "path", "media", "cache"), [
    ("/feeds/atom.xml", "/r/feeds/atom.xml", "application/atom+xml; charset=utf-8", C),
    ("/feeds/rss.xml", "/r/feeds/rss.xml", "application/rss+xml; charset=utf-8", C),
    ("/feeds/feed.json", "/r/feeds/feed.json", "application/feed+json; charset=utf-8", C),
    ("/feeds/feeds.opml", "/r/feeds/feeds.opml", "text/x-opml; charset=utf-8", C),
    ("/feeds/tag/x/atom.xml", "/r/feeds/tag/x/atom.xml", "application/atom+xml; charset=utf-8", C),
    ("/feeds/archive/3/atom.xml", "/r/feeds/archive/3/atom.xml",
     "application/atom+xml; charset=utf-8", IMMUTABLE),
    ("/feeds/tag/x/archive/2/feed.json", "/r/feeds/tag/x/archive/2/feed.json",
     "application/feed+json; charset=utf-8", IMMUTABLE),
    ("/feeds/tag/archive/atom.xml", "/r/feeds/tag/archive/atom.xml",  # a topic named archive
     "application/atom+xml; charset=utf-8", IMMUTABLE),
    ("/", "/r/site/index.html", "text/html; charset=utf-8", C),
    ("/articles/abc", "/r/site/articles/abc.html", "text/html; charset=utf-8", C),
    ("/topics/tag/新聞/pages/2", "/r/site/topics/tag/新聞/pages/2.html", "text/html; charset=utf-8", C),
    ("/articles/a.b", "/r/site/articles/a.b.html", "text/html; charset=utf-8", C),
    ("/sitemap.xml", "/r/site/sitemap.xml", "application/xml; charset=utf-8", C),
    ("/sitemaps/2.xml", "/r/site/sitemaps/2.xml", "application/xml; charset=utf-8", C),
])
def test_document_urls(url: str, path: str, media: str, cache: str) -> None:
    doc = locate(url, F, S, C)
    assert doc is not None
    assert (doc.path, doc.media_type, doc.cache_control) == (path, media, cache)


@pytest.mark.parametrize("url", ["/feeds/atom.xml.gz", "/feeds/atom.xml.br", "/feeds/.x.json",
                                 "/.seedfeed-manifest.json", "/feeds/../site/index", "/a//b",
                                 "/articles/", "/index.html", "/feeds/other.xml", "/feeds/",
                                 "relative", "/a\\b", "/a\x00", "/page.html.gz"])
def test_not_document_urls(url: str) -> None:
    assert locate(url, F, S, C) is None


def test_one_read_per_file_version(tmp_path: Path) -> None:
    doc = locate("/feeds/atom.xml", str(tmp_path), S, C)
    assert doc is not None
    path = tmp_path / "atom.xml"
    path.write_bytes(b"one")
    cache = FileCache()
    first = cache.get(str(path), doc, "")
    assert first is not None and first.body == b"one"
    assert cache.get(str(path), doc, "") is first  # same version: the cached object
    tmp = tmp_path / ".atom.xml.tmp"
    tmp.write_bytes(b"two!")
    os.replace(tmp, path)  # how publish writes
    second = cache.get(str(path), doc, "")
    assert second is not None and second.body == b"two!" and second.etag != first.etag
    path.unlink()
    assert cache.get(str(path), doc, "") is None


def test_the_cache_stays_within_its_budget(tmp_path: Path) -> None:
    cache = FileCache(budget=10)
    doc = locate("/", S, str(tmp_path), C)
    assert doc is not None
    for i in range(5):
        (tmp_path / f"{i}.html").write_bytes(b"1234")
        assert cache.get(str(tmp_path / f"{i}.html"), doc, "") is not None
    assert cache._size <= 10 and len(cache._entries) == 2


@pytest.mark.parametrize("url", ["/" + "a" * 300, "/feeds/" + "b" * 300 + ".xml",
                                 "/articles/" + "c" * 400, "/feeds/archive/" + "9" * 300 + "/atom.xml",
                                 "/feeds/atom.xml/x", "/feeds/%00atom.xml"])
def test_odd_urls_are_404_not_500(tmp_path: Path, url: str) -> None:
    from seedfeed.web import create_app

    from .conftest import make_config

    client = create_app(make_config(tmp_path)).test_client()
    r = client.get(url)
    assert r.status_code == 404 and r.headers["X-Content-Type-Options"] == "nosniff"


def _publish(feeds: Path, data: bytes) -> None:
    """As publish does: the siblings first, the document last, all with one mtime."""
    stamp = time.time_ns()
    for name, body in (("atom.xml.gz", gzip.compress(data, mtime=0)), ("atom.xml", data)):
        tmp = feeds / f".tmp-{name}"
        tmp.write_bytes(body)
        os.utime(tmp, ns=(stamp, stamp))
        os.replace(tmp, feeds / name)


def test_a_warm_poll_stats_nothing_and_the_next_poll_after_a_publish_sees_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    feeds, site = tmp_path / "feeds", tmp_path / "site"
    feeds.mkdir()
    _publish(feeds, b"<feed>one</feed>")
    fast = FastPath(lambda environ, start_response: [], str(feeds), str(site), 60)
    answer = fast.answer("GET", "/feeds/atom.xml", "gzip", None, None)
    assert answer is not None and answer.status == 200
    etag = dict(answer.headers)["ETag"]
    stats: list[str] = []
    real = watch._stat
    monkeypatch.setattr(watch, "_stat", lambda path: stats.append(path) or real(path))
    for _ in range(100):
        poll = fast.answer("GET", "/feeds/atom.xml", "gzip", etag, None)
        assert poll is not None and poll.status == 304 and poll.body == b""
    assert stats == []  # neither the document nor its sibling: the kernel said nothing moved
    _publish(feeds, b"<feed>two</feed>")
    poll = fast.answer("GET", "/feeds/atom.xml", "gzip", etag, None)
    assert poll is not None and poll.status == 200
    assert gzip.decompress(poll.body) == b"<feed>two</feed>"
    assert dict(poll.headers)["Content-Encoding"] == "gzip"


def test_a_forked_worker_does_not_trust_what_its_parent_remembered(tmp_path: Path) -> None:
    """gunicorn --preload forks workers from a process that may have served already."""
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    _publish(feeds, b"<feed>one</feed>")
    fast = FastPath(lambda environ, start_response: [], str(feeds), str(tmp_path / "site"), 60)
    assert fast.answer("GET", "/feeds/atom.xml", "gzip", None, None) is not None
    go, ready = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: asks after the parent has published and polled
        code = 2
        try:
            os.read(go, 1)
            answer = fast.answer("GET", "/feeds/atom.xml", "gzip", None, None)
            code = 0 if answer is not None and b"two" in gzip.decompress(answer.body) else 1
        finally:
            os._exit(code)
    try:
        _publish(feeds, b"<feed>two</feed>")
        assert fast.answer("GET", "/feeds/atom.xml", "gzip", None, None) is not None
        os.write(ready, b"x")
    finally:
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
