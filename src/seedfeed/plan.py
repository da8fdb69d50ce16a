"""Plan: which documents the site publishes, where each lives, and which entries it holds.

Pure. Every published document is a (stream, page) pair: a stream is the main feed or one
topic (a source, an author, a tag); a page is the stream's head (the feed readers subscribe
to) or one of its archive pages (RFC 5005). Entries are numbered per stream in the order
they were first published; the head holds the newest `head_size` numbers, and archive page
k holds numbers [k*size, (k+1)*size). A page below the head's boundary is *full* and never
changes when entries are added (even back-dated ones); only the newest archive page is
*open* and fills up as entries leave the head.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from .model import Article, Entry, Tombstone

KINDS = ("source", "author", "tag")
FORMATS = ("atom.xml", "rss.xml", "feed.json")
SITEMAP_CHUNK = 2_000  # URLs per sitemap file (the protocol allows 50,000): a change re-renders one


@dataclass(frozen=True, order=True)
class Topic:
    kind: str  # one of KINDS
    name: str
    slug: str


@dataclass(frozen=True)
class Paging:
    """How one stream's numbers fall into its head and archive pages."""

    next_number: int  # numbers ever given in this stream (they are never reused)
    head_size: int
    size: int

    @property
    def boundary(self) -> int:
        """Numbers at or above this are in the head."""
        return max(0, self.next_number - self.head_size)

    @property
    def pages(self) -> int:
        """Archive pages that exist: the full ones and the open one (which may be empty)."""
        return self.boundary // self.size + 1 if self.boundary else 0

    def is_full(self, page: int) -> bool:
        return (page + 1) * self.size <= self.boundary

    def page_of(self, number: int) -> int | None:
        """The archive page holding `number`; None when it is in the head."""
        return None if number >= self.boundary else number // self.size

    def span(self, page: int | None) -> tuple[int, int]:
        """The numbers [lo, hi) a page (None: the head) holds."""
        if page is None:
            return self.boundary, self.next_number
        return page * self.size, min((page + 1) * self.size, self.boundary)


@dataclass(frozen=True)
class FeedDocument:
    """One page of one stream, with the entries it holds (newest first): what render needs."""

    topic: Topic | None  # None: the main stream
    page: int | None  # None: the head; else the archive page number
    pages: int  # archive pages the stream has (for the links between them)
    full: bool  # an archive page that will never change again
    entries: Sequence[Entry]
    tombstones: Sequence[Tombstone] = ()
    total: int = 0  # live entries of the whole stream (for the human pages)
    image_sizes: Mapping[str, int] = field(default_factory=dict)  # published lead images' bytes


def touched(before: Paging, after: Paging, numbers: Iterable[int]) -> set[int | None]:
    """The pages (None: the head) whose entries change when `numbers` change and the stream
    grows from `before` to `after`: the pages of those numbers, the head when its boundary
    moved, and the pages that the moved boundary reaches."""
    out: set[int | None] = {after.page_of(n) for n in numbers}
    if after.boundary != before.boundary:
        out.add(None)
        first = before.boundary // after.size
        out.update(range(first, after.pages))
    return out


def slug(kind: str, name: str) -> str:
    """A stable URL segment for a topic name: the readable part of the name (any script)
    and a short digest of the exact name, so the same name always gives the same URL."""
    text = unicodedata.normalize("NFKC", name).lower()
    readable = re.sub(r"[^\w]+", "-", text).strip("-_")[:40].strip("-_") or "t"
    digest = hashlib.sha256(f"{kind}\0{name}".encode()).hexdigest()[:8]
    return f"{readable}-{digest}"


def split_people(names: str | None) -> list[str]:
    return [n.strip() for n in re.split(r"[、,，;；/]", names or "") if n.strip()]


def topics_of(article: Article) -> list[Topic]:
    """The topic streams an article belongs to: its source, each author, each tag."""
    named = [("source", article.source)] if article.source else []
    named += [("author", n) for n in split_people(article.author)]
    named += [("tag", t) for t in article.tags]
    seen: dict[tuple[str, str], Topic] = {}
    for kind, name in named:
        name = name.strip()
        if name and len(name) <= 200 and (kind, name) not in seen:
            seen[kind, name] = Topic(kind, name, slug(kind, name))
    return sorted(seen.values())


# --- where documents live ---------------------------------------------------------------

def feed_dir(topic: Topic | None, page: int | None, full: bool = True) -> str:
    """The folder under feeds/ of a document (with a trailing slash, or empty). An open
    archive page lives in an `open/` subfolder so that servers can tell it from a full one
    by its file name alone: full pages are immutable, open ones are not."""
    base = f"{topic.kind}/{topic.slug}/" if topic else ""
    if page is None:
        return base
    return f"{base}archive/{page}/" + ("" if full else "open/")


def feed_path(topic: Topic | None, page: int | None, fmt: str, full: bool = True) -> str:
    return feed_dir(topic, page, full) + fmt


def site_path(topic: Topic | None, page: int | None) -> str:
    """The file under site/ of a human page."""
    base = f"topics/{topic.kind}/{topic.slug}" if topic else ""
    if page is None:
        return f"{base}.html" if topic else "index.html"
    return f"{base}/pages/{page}.html" if topic else f"pages/{page}.html"


def site_url_path(topic: Topic | None, page: int | None) -> str:
    if topic is None and page is None:
        return "/"
    return "/" + quote(site_path(topic, page).removesuffix(".html"))


def preview_path(topic: Topic | None) -> str:
    """The file under site/ of the page about a stream's feeds, for people (what a feed is,
    how to subscribe, the latest entries): /subscribe for the main stream,
    /subscribe/<kind>/<slug> for a topic. The feed URLs themselves serve only the feeds."""
    return f"subscribe/{topic.kind}/{topic.slug}.html" if topic else "subscribe.html"


def preview_url_path(topic: Topic | None) -> str:
    return "/" + quote(preview_path(topic).removesuffix(".html"))


NOT_FOUND_PATH = "404.html"  # the site's page for a URL that names nothing (site/404.html)


def article_site_path(slug_: str) -> str:
    return f"articles/{slug_}.html"


def sitemap_path(chunk: int) -> str:
    return f"sitemaps/{chunk}.xml"


def asset_path(name: str, data: bytes) -> str:
    """The file under site/ of a stylesheet or icon: named by a digest of its bytes, so a
    server may cache it forever (a new version is a new name, linked by the new pages)."""
    stem, _, ext = name.rpartition(".")
    return f"assets/{stem}.{hashlib.sha256(data).hexdigest()[:12]}.{ext}"
