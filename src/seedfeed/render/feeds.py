"""Render the feeds: Atom 1.0 and RSS 2.0 with feedgen, JSON Feed 1.1 by hand (json module).

Pure: entries and the config in, bytes out. Given the same entries it returns the same bytes,
so an unchanged site rebuilds to byte-identical files (feed `updated` = newest entry's).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from feedgen.feed import FeedGenerator

from .. import __version__
from ..config import Config
from ..ingest.clean import remove_illegal_chars
from ..model import Entry
from ..published import FEEDS

_EPOCH = datetime(2000, 1, 1)


def feed_url(cfg: Config, name: str) -> str:
    return f"{cfg.base_url}/feeds/{name}"


def article_url(cfg: Config, entry: Entry) -> str:
    """Where an entry links: the seed's own canonical URL, else its article page."""
    return entry.article.url or f"{cfg.base_url}/articles/{entry.slug}"


def _x(text: str | None) -> str:
    """Defence in depth: nothing XML 1.0 forbids reaches the serialiser."""
    return remove_illegal_chars(text or "")


def feed_updated(cfg: Config, entries: Sequence[Entry]) -> datetime:
    """The newest entry's `updated`; a fixed date for an empty feed, so rebuilds stay identical."""
    if entries:
        return max(e.updated for e in entries)
    return _EPOCH.replace(tzinfo=cfg.site.zone)


def summary_of(cfg: Config, entry: Entry) -> str:
    a = entry.article
    text = a.summary or (a.paragraphs[0] if a.paragraphs else a.title)
    limit = cfg.feeds.summary_chars
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _generator(cfg: Config, entries: Sequence[Entry], self_name: str) -> FeedGenerator:
    zone = cfg.site.zone
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(f"{cfg.base_url}/")
    fg.title(_x(cfg.site.title))
    fg.subtitle(_x(cfg.site.description or cfg.site.title))
    fg.author(name=_x(cfg.site.author or cfg.site.title))
    fg.link(href=feed_url(cfg, self_name), rel="self", type=FEEDS[self_name].split(";")[0])
    # feedgen makes the last link the RSS <channel><link>: it must be the home page
    fg.link(href=f"{cfg.base_url}/", rel="alternate", type="text/html")
    fg.language(cfg.site.language)
    fg.generator("seedfeed", version=__version__)
    fg.updated(feed_updated(cfg, entries).astimezone(zone))
    for e in entries:
        _add_entry(cfg, fg, e)
    return fg


def _add_entry(cfg: Config, fg: FeedGenerator, e: Entry) -> None:
    a, zone = e.article, cfg.site.zone
    fe = fg.add_entry(order="append")
    fe.id(e.id)
    fe.guid(e.id, permalink=False)
    fe.title(_x(a.title))
    fe.link(href=article_url(cfg, e), rel="alternate", type="text/html")
    fe.published(e.published.astimezone(zone))
    fe.updated(e.updated.astimezone(zone))
    fe.summary(_x(summary_of(cfg, e)))
    fe.content(_x(a.content_html), type="html")
    if a.author:
        fe.author(name=_x(a.author))  # Atom <author>; feedgen drops a name-only RSS author
        fe.dc.dc_creator(_x(a.author))
    for tag in a.tags:
        fe.category(term=_x(tag))


def render_atom(cfg: Config, entries: Sequence[Entry]) -> bytes:
    return bytes(_generator(cfg, entries, "atom.xml").atom_str(pretty=True, encoding="UTF-8"))


def render_rss(cfg: Config, entries: Sequence[Entry]) -> bytes:
    return bytes(_generator(cfg, entries, "rss.xml").rss_str(pretty=True, encoding="UTF-8"))


def _json_item(cfg: Config, e: Entry) -> dict[str, object]:
    a, zone = e.article, cfg.site.zone
    item: dict[str, object] = {
        "id": e.id,
        "url": article_url(cfg, e),
        "title": _x(a.title),
        "content_html": _x(a.content_html),
        "summary": _x(summary_of(cfg, e)),
        "date_published": e.published.astimezone(zone).isoformat(),
        "date_modified": e.updated.astimezone(zone).isoformat(),
    }
    if a.author:
        item["authors"] = [{"name": _x(a.author)}]
    if a.tags:
        item["tags"] = [_x(t) for t in a.tags]
    if a.language:
        item["language"] = a.language
    return item


def render_json(cfg: Config, entries: Sequence[Entry]) -> bytes:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": _x(cfg.site.title),
        "home_page_url": f"{cfg.base_url}/",
        "feed_url": feed_url(cfg, "feed.json"),
        "description": _x(cfg.site.description or cfg.site.title),
        "language": cfg.site.language,
        "authors": [{"name": _x(cfg.site.author or cfg.site.title)}],
        "items": [_json_item(cfg, e) for e in entries],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_feeds(cfg: Config, entries: Sequence[Entry]) -> dict[str, bytes]:
    """Every feed file, by its name under feeds/. `entries` are newest first, all of them."""
    main = list(entries[: cfg.feeds.max_entries])
    return {
        "atom.xml": render_atom(cfg, main),
        "rss.xml": render_rss(cfg, main),
        "feed.json": render_json(cfg, main),
    }
