"""Data named after the pipeline stage that produces it: SeedFile -> Article -> Entry ->
FeedDocument -> BuildReport.

Plain frozen dataclasses only: no I/O, no behaviour beyond small derived values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class SeedFile:
    """A file found in the seeds folder (scan stage)."""

    name: str  # path relative to the seeds folder, POSIX separators
    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True)
class Article:
    """A seed parsed into clean content (parse stage). Every string is plain, clean text
    except `content_html`, which is sanitised HTML."""

    title: str
    paragraphs: tuple[str, ...]  # plain-text body paragraphs, in order
    content_html: str  # safe HTML of the body
    published: datetime | None = None  # zone-aware; None when the seed gives no usable date
    updated: datetime | None = None  # zone-aware, only when the seed declares one
    source: str | None = None
    author: str | None = None  # several names joined with "、"
    editor: str | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()
    summary: str | None = None
    declared_id: str | None = None  # an id the seed declares (front matter)
    url: str | None = None  # canonical URL the seed names
    date_only: bool = False  # `published` was read without a clock (held as 00:00 local)
    image: str | None = None  # the lead image: an absolute http(s) URL
    image_type: str | None = None  # its MIME type, when the seed declares one
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def content_text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Entry:
    """An article as the feeds show it (index stage): permanent identity and settled dates."""

    id: str  # the permanent entry ID (a URN), same in every format
    slug: str  # the path segment of its article page, /articles/<slug>
    seed: str  # name of the seed file it currently comes from
    article: Article
    published: datetime  # the seed's date, or the stored first-seen time
    updated: datetime  # >= published; moves when the content changes
    key: str = ""  # the entry key the ID is made from


@dataclass(frozen=True)
class Tombstone:
    """An entry whose seed was deleted (RFC 6721 at:deleted-entry)."""

    id: str
    when: datetime


@dataclass(frozen=True)
class Rejection:
    """A seed that could not be published, with its one-line reason."""

    seed: str
    reason: str


@dataclass(frozen=True)
class BuildReport:
    """What one scan -> publish pass did (pipeline stage)."""

    seeds: int
    published: int
    rejected: tuple[Rejection, ...]
    warnings: tuple[Rejection, ...]  # published seeds with something to fix (seed, warning)
    duplicates: int
    pending: tuple[str, ...]
    changed: bool  # whether the feeds or pages were rewritten
    seconds: float
    finished_at: datetime
    rendered: int = 0  # documents rendered (each format and page counts once)
    scheduled: tuple[tuple[str, datetime], ...] = ()  # (seed, when) held back, soonest first
    written_feeds: tuple[str, ...] = ()  # what this pass wrote under feeds/ ('feeds/…' paths)


@dataclass(frozen=True)
class SeedRecord:
    """A seed file and what parsing made of it: an article, or a rejection reason."""

    file: SeedFile
    article: Article | None
    reason: str | None
    key: str | None = None


@dataclass(frozen=True)
class EntryState:
    """What the index keeps of an entry key across builds."""

    key: str
    first_seen: datetime
    content_hash: str
    changed_at: datetime | None


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))
_KNOWN = frozenset(_ARTICLE_FIELDS)


def article_to_json(article: Article) -> str:
    """Canonical JSON of an article (also what resolve hashes to see a change)."""
    # equal Articles may differ in warnings, and in a date's offset for the same instant
    stamps = tuple(d.isoformat() if d else None for d in (article.published, article.updated))
    return _to_json(article, article.warnings, stamps)


@lru_cache(maxsize=2048)  # asked by resolve (the content hash) and by the index (storing it)
def _to_json(article: Article, warnings: tuple[str, ...], stamps: tuple[str | None, ...]) -> str:
    data: dict[str, Any] = {name: getattr(article, name) for name in _ARTICLE_FIELDS}
    for name in ("published", "updated"):
        if data[name] is not None:
            data[name] = data[name].isoformat()
    for name in ("date_only", "image", "image_type"):
        if not data[name]:  # absent unless set: articles stored before the field hash the same
            del data[name]
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def article_from_json(text: str) -> Article:
    data: dict[str, Any] = json.loads(text)
    data = {k: v for k, v in data.items() if k in _KNOWN}
    for name in ("published", "updated"):
        if data.get(name):
            data[name] = datetime.fromisoformat(data[name])
    for name in ("paragraphs", "tags", "warnings"):
        data[name] = tuple(data.get(name) or ())
    return Article(**data)
