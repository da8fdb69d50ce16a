"""Fast path: published documents answered before Flask routes a request.

WSGI middleware on `app.wsgi_app`. A GET or HEAD whose URL names a published file is
answered here from bytes cached per file version: one `stat` per request, and the file is
read and hashed again only when its (inode, size, mtime) changes, which is what publish's
`os.replace` does. Everything else (`/status`, `/healthz`, 404s, other methods) goes on to
Flask. It renders nothing and never imports the pipeline.

URL rules (one general rule each, no per-prefix routes):
  /feeds/<path>   the file feeds/<path>; media type by its basename (atom.xml, rss.xml,
                  feed.json, feeds.opml); immutable when a folder of <path> is `archive`
                  (a full archive page); an archive page still filling up is the file in
                  its `open/` folder, served at the same URL with the short cache
  /               site/index.html
  /<path>         site/<path> itself when <path> ends in a known non-HTML suffix
                  (/sitemap.xml, /sitemaps/<n>.xml), else site/<path>.html
Dotfiles and the .gz/.br siblings are never documents of their own.
Every answer carries the security headers (headers.py), in the prebuilt lists. A path
longer than MAX_URL_PATH is a 414 before anything looks at it; an exception in this code
(a bug, never the client's doing) is a short 500, logged in one line once per kind.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from threading import Lock
from typing import Any

from .headers import SECURITY
from .negotiate import IDENTITY, codings, format_http_date, not_modified
from .published import FEEDS

log = logging.getLogger(__name__)

OPML_TYPE = "text/x-opml; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
SITE_TYPES = {
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",  # lead images published beside the pages
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
}
FEED_TYPES = {**FEEDS, "feeds.opml": OPML_TYPE}
IMMUTABLE = "public, max-age=31536000, immutable"
SUFFIXES = {"br": ".br", "gzip": ".gz"}
MAX_CACHED_FILE = 8 << 20  # larger files are read per request rather than held
# Longer paths are 414 before anything looks at them: no published name is this long, and
# the per-URL cache below then holds at most 10,000 short keys however many a client sends.
MAX_URL_PATH = 2048
TEXT_TYPE = "text/plain; charset=utf-8"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def cache_control(interval: float) -> str:
    """For every document that may change: fresh for one scan interval; a cache may serve
    it stale for a few more intervals while it revalidates in the background."""
    seconds = max(1, int(interval))
    return f"public, max-age={seconds}, stale-while-revalidate={6 * seconds}"


@dataclass(frozen=True, slots=True)
class Document:
    """Where a URL's document lives and how it is served."""

    path: str  # the file, absolute
    media_type: str
    cache_control: str
    compressible: bool  # may have .gz/.br siblings
    fallback: Document | None = None  # served when `path` does not exist (an open page)


def locate(url_path: str, feeds: str, site: str, short_cache: str) -> Document | None:
    """The document a URL names under the rules above, or None (not a document URL)."""
    if not url_path.startswith("/") or "\\" in url_path or "\x00" in url_path:
        return None
    parts = url_path[1:].split("/")
    if parts == [""]:
        return Document(os.path.join(site, "index.html"), HTML_TYPE, short_cache, True)
    if any(not p or p.startswith(".") for p in parts):
        return None  # empty segments, dotfiles, "..", and a trailing slash
    name = parts[-1]
    if name.endswith((".gz", ".br")):
        return None
    if parts[0] == "feeds" and len(parts) > 1:
        media = FEED_TYPES.get(name)
        if media is None:
            return None
        folders = parts[1:-1]
        path = os.path.join(feeds, *parts[1:])
        if "archive" in folders and folders[-1] != "open":
            still_open = Document(os.path.join(feeds, *folders, "open", name), media,
                                  short_cache, True)
            return Document(path, media, IMMUTABLE, True, still_open)
        return Document(path, media, short_cache, True)
    suffix = os.path.splitext(name)[1]
    if suffix == ".html":
        return None  # a page has one URL, without the suffix
    media = SITE_TYPES.get(suffix)
    if media is not None:  # assets are named by a digest of their bytes: they never change
        cache = IMMUTABLE if parts[0] == "assets" and len(parts) > 1 else short_cache
        return Document(os.path.join(site, *parts), media, cache, True)
    return Document(os.path.join(site, *parts) + ".html", HTML_TYPE, short_cache, True)


@dataclass(frozen=True, slots=True)
class Representation:
    """One file version, ready to send: the bytes, their validators, prebuilt headers."""

    stamp: tuple[int, int, int]
    body: bytes
    etag: str
    mtime: int
    headers_200: list[tuple[str, str]]
    headers_304: list[tuple[str, str]]


def _stamp(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def load(path: str, doc: Document, coding: str) -> Representation | None:
    """Read one file into a Representation; None when it is missing or not a file. The
    validators and the body come from the same open file, even while publish replaces it."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                return None
            body = fh.read()
    except (OSError, ValueError):  # gone since the stat, a folder, a name too long
        return None
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    mtime = int(st.st_mtime)
    common = [("ETag", etag), ("Last-Modified", format_http_date(mtime)),
              ("Cache-Control", doc.cache_control), ("Vary", "Accept-Encoding"), *SECURITY]
    full = [("Content-Type", doc.media_type), ("Content-Length", str(len(body))), *common]
    if coding:
        full.append(("Content-Encoding", coding))
    return Representation(_stamp(st), body, etag, mtime, full, common)


class FileCache:
    """Representations by file path, each checked against one `stat` per request.
    Bounded by total bytes; the oldest entries go first when it is full."""

    def __init__(self, budget: int = 64 << 20) -> None:
        self._entries: dict[str, Representation] = {}
        self._size = 0
        self._budget = budget
        self._lock = Lock()

    def get(self, path: str, doc: Document, coding: str) -> Representation | None:
        try:
            st = os.stat(path)
        except (OSError, ValueError):  # missing, not a folder, a name too long: no document
            return None
        hit = self._entries.get(path)
        if hit is not None and hit.stamp == _stamp(st):
            return hit
        rep = load(path, doc, coding)
        if rep is not None and len(rep.body) <= MAX_CACHED_FILE:
            self._store(path, rep)
        return rep

    def _store(self, path: str, rep: Representation) -> None:
        with self._lock:
            old = self._entries.pop(path, None)
            if old is not None:
                self._size -= len(old.body)
            while self._entries and self._size + len(rep.body) > self._budget:
                _, evicted = self._pop_oldest()
                self._size -= len(evicted.body)
            self._entries[path] = rep
            self._size += len(rep.body)

    def _pop_oldest(self) -> tuple[str, Representation]:
        key = next(iter(self._entries))
        return key, self._entries.pop(key)


class FastPath:
    """WSGI middleware: published documents from the cache, the rest to `app`."""

    def __init__(self, app: WSGIApp, feeds: str, site: str, interval: float,
                 clock: Callable[[], float] = time.time) -> None:
        self.app = app
        self.feeds, self.site = feeds, site
        self.short_cache = cache_control(interval)
        self.cache = FileCache()
        self.clock = clock
        self._located: dict[str, Document | None] = {}

    def _locate(self, url_path: str) -> Document | None:
        try:
            return self._located[url_path]
        except KeyError:
            pass
        if not url_path.isascii():  # WSGI hands the path's UTF-8 bytes as latin-1
            try:
                fs_path = url_path.encode("latin-1").decode("utf-8")
            except UnicodeError:
                return None
        else:
            fs_path = url_path
        doc = locate(fs_path, self.feeds, self.site, self.short_cache)
        if len(self._located) > 10_000:  # URLs are the client's to choose: stay bounded
            self._located.clear()
        self._located[url_path] = doc
        return doc

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        url_path = environ.get("PATH_INFO", "")
        method = environ["REQUEST_METHOD"]
        if len(url_path) > MAX_URL_PATH:
            return TOO_LONG(start_response, method)
        if method != "GET" and method != "HEAD":
            return self.app(environ, start_response)
        try:
            return self._serve(environ, start_response, method, url_path)
        except Exception as e:  # a bug of ours, not the client's: one short line per kind
            _report(e, url_path)
            return FAILED(start_response, method)

    def _serve(self, environ: dict[str, Any], start_response: Callable[..., Any], method: str,
               url_path: str) -> Iterable[bytes]:
        doc = self._locate(url_path)
        if doc is None:
            return self.app(environ, start_response)
        if doc.fallback is not None and not os.path.exists(doc.path):
            doc = doc.fallback
        rep = None
        wanted = codings(environ.get("HTTP_ACCEPT_ENCODING")) if doc.compressible else ()
        version = _version(doc.path) if wanted and wanted[0] else None  # a coding comes first
        if version is not None:
            for coding in wanted:
                if not coding:
                    break
                rep = self.cache.get(doc.path + SUFFIXES[coding], doc, coding)
                # publish gives a document and its siblings one mtime: another one is a
                # sibling of another version (a kill between renames), never sent
                if rep is not None and rep.stamp[2] == version:
                    break
                rep = None
        if rep is None:
            rep = self.cache.get(doc.path, doc, IDENTITY)
            if rep is None:
                return self.app(environ, start_response)  # Flask answers the 404
        inm = environ.get("HTTP_IF_NONE_MATCH")
        ims = environ.get("HTTP_IF_MODIFIED_SINCE")
        if (inm is not None or ims is not None) and not_modified(
                inm, ims, rep.etag, rep.mtime, self.clock()):
            start_response("304 Not Modified", rep.headers_304)
            return []
        start_response("200 OK", rep.headers_200)
        return [] if method == "HEAD" else [rep.body]


def _version(path: str) -> int | None:
    """The mtime that the document's siblings of the same version share; None if it is gone."""
    try:
        return os.stat(path).st_mtime_ns
    except (OSError, ValueError):
        return None


class ShortAnswer:
    """An error answered by the fast path itself: a short plain-text body, built once."""

    def __init__(self, status: str, text: str) -> None:
        self.status, self.body = status, text.encode()
        self.headers = [("Content-Type", TEXT_TYPE), ("Content-Length", str(len(self.body))),
                        ("Cache-Control", "no-store"), *SECURITY]

    def __call__(self, start_response: Callable[..., Any], method: str) -> list[bytes]:
        start_response(self.status, self.headers)
        return [] if method == "HEAD" else [self.body]


TOO_LONG = ShortAnswer("414 URI Too Long", "URI too long\n")
FAILED = ShortAnswer("500 Internal Server Error", "Internal server error\n")
_reported: set[str] = set()


def _report(error: Exception, url_path: str) -> None:
    """Log a failure once per exception type and place, without a traceback: a request that
    trips a bug must not be a way to flood the log."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb is not None else "?"
    key = f"{type(error).__name__} {where}"
    if key in _reported or len(_reported) > 100:
        return
    _reported.add(key)
    log.error("fast path failed on %.200r: %s at %s: %.200r (not logged again)", url_path,
              type(error).__name__, where, str(error))
