"""Fast path: published documents answered before Flask routes a request.

WSGI middleware on `app.wsgi_app`. A GET or HEAD whose URL names a published file is
answered here from bytes cached per file version, read and hashed again only when its
(inode, size, mtime) changes, which is what publish's `os.replace` does. The `stat` that
tells is remembered until inotify reports a change (watch.py): a poll makes no path walk.
Everything else (`/status`, `/healthz`, 404s, other methods) goes on to Flask. The answer
is computed from the request's method, path and three header values (`FastPath.answer`),
prebuilt per (file version, coding) and sent as it is. It renders nothing and never
imports the pipeline.

URL rules (one general rule each, no per-prefix routes):
  /feeds/<path>   the file feeds/<path>; media type by its basename (atom.xml, rss.xml,
                  feed.json, feeds.opml); immutable when a folder of <path> is `archive`
                  (a full archive page); an archive page still filling up is the file in
                  its `open/` folder, served at the same URL with the short cache
  /               site/index.html
  /<path>         site/<path> itself when <path> ends in a known non-HTML suffix
                  (/sitemap.xml, /sitemaps/<n>.xml), else site/<path>.html
Dotfiles and the .gz/.br siblings are never documents of their own.
Every answer carries the security headers (headers.py), in the prebuilt lists; with WebSub
hubs configured, a feed document's also carry its `Link` header (hubs, self). A path
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
from dataclasses import dataclass, field, replace
from threading import Lock
from typing import Any

from .headers import SECURITY
from .negotiate import IDENTITY, codings, etag_matches, format_http_date, not_modified
from .published import FEEDS
from .watch import Stats, shared
from .websub import link_header, public_feed_url

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
    #: headers of this document alone, appended to its prebuilt lists (none so far)
    extra: tuple[tuple[str, str], ...] = ()
    #: the sibling's file per coding, joined once here rather than on every request
    siblings: dict[str, str] = field(init=False, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        names = {c: self.path + s for c, s in SUFFIXES.items()} if self.compressible else {}
        object.__setattr__(self, "siblings", names)


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


class Answer:
    """A whole response, built once and sent as it is by whichever front asks: the status
    (WSGI's line, RSGI's code), the header list and the body (RSGI's bytes, WSGI's list).
    Shared by every request that gets it, so nothing changes it after it is built."""

    __slots__ = ("status", "line", "headers", "body", "chunks")

    def __init__(self, line: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = int(line[:3])
        self.line, self.headers, self.body = line, headers, body
        self.chunks = [body] if body else []


@dataclass(frozen=True, slots=True)
class Representation:
    """One file version, ready to send: the bytes, their validators, its three answers."""

    stamp: tuple[int, int, int]
    body: bytes
    etag: str
    mtime: int
    ok: Answer  # 200 to a GET
    head: Answer  # 200 to a HEAD: the same headers, no body
    not_modified: Answer  # 304 to either


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
              ("Cache-Control", doc.cache_control), ("Vary", "Accept-Encoding"), *SECURITY,
              *doc.extra]
    full = [("Content-Type", doc.media_type), ("Content-Length", str(len(body))), *common]
    if coding:
        full.append(("Content-Encoding", coding))
    return Representation(_stamp(st), body, etag, mtime, Answer("200 OK", full, body),
                          Answer("200 OK", full, b""), Answer("304 Not Modified", common, b""))


class FileCache:
    """Representations by file path, each checked against one `stat` per request.
    Bounded by total bytes; the oldest entries go first when it is full."""

    def __init__(self, budget: int = 64 << 20, stats: Stats | None = None) -> None:
        self.stats = stats if stats is not None else shared()
        self._entries: dict[str, Representation] = {}
        self._size = 0
        self._budget = budget
        self._lock = Lock()

    def get(self, path: str, doc: Document, coding: str, st: os.stat_result | None = None
            ) -> Representation | None:
        """The file's current version; `st`: the caller's fresh `stat` of it, if it has one."""
        if st is None:
            st = self.stats.stat(path)
            if st is None:  # missing, not a folder, a name too long: no document
                return None
        hit = self._entries.get(path)
        if hit is not None and hit.stamp == (st.st_ino, st.st_size, st.st_mtime_ns):
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


_UNSEEN = Document("", "", "", False)  # a URL not located yet (None: located, no document)


class FastPath:
    """WSGI middleware: published documents from the cache, the rest to `app`."""

    def __init__(self, app: WSGIApp, feeds: str, site: str, interval: float,
                 clock: Callable[[], float] = time.time, hubs: tuple[str, ...] = (),
                 base_url: str = "") -> None:
        self.app = app
        self.feeds, self.site = feeds, site
        self.short_cache = cache_control(interval)
        self.stats = shared()
        self.cache = FileCache(stats=self.stats)
        self.clock = clock
        self.hubs, self.base_url = hubs, base_url
        self._located: dict[str, Document | None] = {}
        # (URL, Accept-Encoding) -> (representation, events seen, until): reused while
        # inotify reports nothing, so a warm poll is a dict lookup and one ioctl
        self._memo: dict[tuple[str, str | None], tuple[Representation, int, float]] = {}

    def _locate(self, url_path: str) -> Document | None:
        if not url_path.isascii():  # WSGI hands the path's UTF-8 bytes as latin-1
            try:
                fs_path = url_path.encode("latin-1").decode("utf-8")
            except UnicodeError:
                return None
        else:
            fs_path = url_path
        doc = locate(fs_path, self.feeds, self.site, self.short_cache)
        if self.hubs and doc is not None:
            doc = self._with_hubs(doc, fs_path)
        if len(self._located) > 10_000:  # URLs are the client's to choose: stay bounded
            self._located.clear()
        self._located[url_path] = doc
        return doc

    def _with_hubs(self, doc: Document, fs_path: str) -> Document:
        """A feed document with its WebSub Link header (hubs, then its own URL), prebuilt."""
        url = (public_feed_url(self.base_url, fs_path.removeprefix("/feeds/"))
               if fs_path.startswith("/feeds/") else None)
        if url is None:
            return doc
        extra = (("Link", link_header(self.hubs, url)),)
        fallback = doc.fallback and replace(doc.fallback, extra=extra)
        return replace(doc, extra=extra, fallback=fallback)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        get = environ.get
        answer = self.answer(environ["REQUEST_METHOD"], get("PATH_INFO", ""),
                             get("HTTP_ACCEPT_ENCODING"), get("HTTP_IF_NONE_MATCH"),
                             get("HTTP_IF_MODIFIED_SINCE"))
        if answer is None:
            return self.app(environ, start_response)
        start_response(answer.line, answer.headers)
        return answer.chunks

    def answer(self, method: str, url_path: str, accept_encoding: str | None,
               if_none_match: str | None, if_modified_since: str | None) -> Answer | None:
        """The fast path's answer to a request, or None when it is Flask's to answer.
        `url_path` as WSGI's PATH_INFO has it; the headers' values, None when absent."""
        if len(url_path) > MAX_URL_PATH:
            return TOO_LONG.answer(method)
        if method != "GET" and method != "HEAD":
            return None
        try:
            key = (url_path, accept_encoding)
            memo = self._memo.get(key)
            if memo is not None and self.stats.unchanged(memo[1], memo[2]):
                rep: Representation | None = memo[0]
            else:
                rep = self._representation(url_path, accept_encoding, key)
            if rep is None:
                return None
            if if_none_match is not None:
                # a reader sends back the tag it was given: the exact string before the parser
                if if_none_match == rep.etag or etag_matches(if_none_match, rep.etag):
                    return rep.not_modified
            elif if_modified_since is not None and not_modified(
                    None, if_modified_since, rep.etag, rep.mtime, self.clock()):
                return rep.not_modified
            return rep.ok if method == "GET" else rep.head
        except Exception as e:  # a bug of ours, not the client's: one short line per kind
            _report(e, url_path)
            return FAILED.answer(method)

    def _representation(self, url_path: str, accept_encoding: str | None,
                        key: tuple[str, str | None]) -> Representation | None:
        """What a request for `url_path` gets, remembered under `key` while the stats it
        came from are (a page still open has a missing file behind it: never remembered)."""
        seen = self.stats.events()  # before any stat: a change meanwhile voids the memo
        doc = self._located.get(url_path, _UNSEEN)
        if doc is _UNSEEN:
            doc = self._locate(url_path)
        if doc is None:
            return None
        rep = self._choose(doc, accept_encoding)
        if rep is not None and doc.fallback is None:
            until = self.stats.remembered_until(doc.path)
            if until:
                if len(self._memo) > 10_000:  # keys are the client's to choose: stay bounded
                    self._memo.clear()
                self._memo[key] = (rep, seen, until)
        return rep

    def _choose(self, doc: Document, accept_encoding: str | None) -> Representation | None:
        if doc.fallback is not None and self.stats.stat(doc.path) is None:
            doc = doc.fallback
        if doc.compressible and accept_encoding is not None:
            wanted = codings(accept_encoding)
            if wanted and wanted[0]:  # a coding comes first
                st = self.stats.stat(doc.path)
                if st is None:
                    return None  # no document (Flask answers the 404)
                return (self._sibling(doc, wanted, st.st_mtime_ns)
                        or self.cache.get(doc.path, doc, IDENTITY, st))
        return self.cache.get(doc.path, doc, IDENTITY)

    def _sibling(self, doc: Document, wanted: tuple[str, ...], version: int
                 ) -> Representation | None:
        """The first wanted coding whose sibling is of the document's version: publish gives
        a document and its siblings one mtime, so another one is a sibling of another version
        (a kill between renames), never sent."""
        for coding in wanted:
            if not coding:
                break
            rep = self.cache.get(doc.siblings[coding], doc, coding)
            if rep is not None and rep.stamp[2] == version:
                return rep
        return None


class ShortAnswer:
    """An error answered by the fast path itself: a short plain-text body, built once."""

    def __init__(self, line: str, text: str) -> None:
        body = text.encode()
        headers = [("Content-Type", TEXT_TYPE), ("Content-Length", str(len(body))),
                   ("Cache-Control", "no-store"), *SECURITY]
        self.get, self.head = Answer(line, headers, body), Answer(line, headers, b"")

    def answer(self, method: str) -> Answer:
        return self.head if method == "HEAD" else self.get


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
