"""Render the human site with Jinja: list pages (the index, its archive pages, topic pages),
article pages, the feed preview pages (/subscribe…), the topic overview and the 404 page;
and the stylesheet and icon they link.

Pure: documents and the config in, bytes out. Autoescaping is on; only `content_html`,
already sanitised at ingest (its images made lazy and referrer-free here), is marked safe.
No page carries a script or an inline style (the site's Content-Security-Policy allows
neither). List pages mirror the feed documents page for page, so a new article changes the
same few pages as it changes feeds. Words come from labels.py, in the script of the page:
the site's language, or an article's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files
from typing import Any, NamedTuple
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ..config import Config
from ..ids import entry_slug
from ..ingest.images import in_body
from ..ingest.sanitize import for_pages
from ..model import Entry
from ..plan import (
    FORMATS,
    KINDS,
    FeedDocument,
    Topic,
    asset_path,
    preview_url_path,
    site_url_path,
    topics_of,
)
from .feeds import TYPES, article_url, feed_url, page_url, stream_title, summary_of
from .labels import article_language, labels_for, machine_date, script_name, script_of, shown_date
from .lists import FORMAT_NAMES

_ENV = Environment(
    loader=PackageLoader("seedfeed", "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # templates ship with the package: no stat per page rendered
)
_ENV.filters["urlquote"] = lambda text: quote(str(text), safe="")
_FORMAT_IDS = {"atom.xml": "atom", "rss.xml": "rss", "feed.json": "json"}
PREVIEW_ENTRIES = 10  # latest entries a feed preview page shows
# The stylesheet and the icon are files of their own (a Content-Security-Policy without
# 'unsafe-inline' forbids <style>), read once and named by their digest.
ASSETS = {asset_path(name, data): data for name, data in (
    (name, files("seedfeed").joinpath("templates", name).read_bytes())
    for name in ("site.css", "favicon.svg"))}
_ASSET_URLS = {path.partition("/")[2].partition(".")[0]: "/" + path for path in ASSETS}
_LOCALES = {"hant": "zh_TW", "hans": "zh_CN"}


def _feeds(cfg: Config, topic: Topic | None) -> list[dict[str, str]]:
    """A stream's three head feeds: the real URL (autodiscovery, copying) and the preview
    page section a person is sent to."""
    title = stream_title(cfg, topic)
    preview = cfg.site_url + preview_url_path(topic)
    return [{"url": feed_url(cfg, topic, None, fmt), "type": TYPES[fmt], "name": FORMAT_NAMES[fmt],
             "title": f"{title} ({FORMAT_NAMES[fmt]})", "id": _FORMAT_IDS[fmt],
             "preview": f"{preview}#{_FORMAT_IDS[fmt]}"} for fmt in FORMATS]


def _topic_name(t: dict[str, str], topic: Topic) -> str:
    return f"{t[topic.kind]}：{topic.name}"


def _subscribe(cfg: Config, t: dict[str, str], topic: Topic | None) -> dict[str, Any]:
    """The subscribe block every page ends with: the stream's feeds."""
    return {"name": _topic_name(t, topic) if topic else cfg.site.title, "topic": topic,
            "feeds": _feeds(cfg, topic), "rss": feed_url(cfg, topic, None, "rss.xml"),
            "site_preview": cfg.site_url + preview_url_path(None)}


class Chrome(NamedTuple):
    """The parts every page of one language and stream shares, rendered once."""

    head: Markup  # autodiscovery, OPML, stylesheet and icon links
    header: Markup
    subscribe: Markup
    footer: Markup


@lru_cache(maxsize=256)
def _base(cfg: Config, lang: str, topic: Topic | None) -> dict[str, Any]:
    t = labels_for(lang, cfg.site.language)
    ctx = {
        "site": cfg.site, "base_url": cfg.site_url, "home_url": page_url(cfg, None, None),
        "lang": lang, "t": t,
        "site_lang": cfg.site.language,
        "css_url": cfg.base_url + _ASSET_URLS["site"],
        "icon_url": cfg.base_url + _ASSET_URLS["favicon"],
        "opml_url": cfg.feeds_url + "/feeds.opml",
        "feeds": _feeds(cfg, topic), "preview": cfg.site_url + preview_url_path(topic),
        "sub": _subscribe(cfg, t, topic),
    }
    parts = (Markup(_ENV.get_template(f"{name}.html").render(**ctx))
             for name in ("head_links", "header", "subscribe_block", "footer"))
    return {**ctx, "chrome": Chrome(*parts)}


def _context(cfg: Config, lang: str, topic: Topic | None = None,
             here: str | None = None) -> dict[str, Any]:
    """A page's values; `here` is its path below its view's root ("" for the front page),
    for the links to the same page in the site's other scripts."""
    return {**_base(cfg, lang, topic), "scripts": _scripts(cfg, here)}


def _scripts(cfg: Config, here: str | None) -> list[dict[str, Any]]:
    """The same page in each script of the site (the switch, and hreflang links); empty
    when the site has no variant."""
    if here is None or not cfg.site.variants:
        return []
    origin = cfg.variant.origin if cfg.variant else cfg.site.language
    out = []
    for tag, prefix in [(origin, ""), *((v, f"/{v}") for v in cfg.site.variants)]:
        url = cfg.base_url + prefix + (here or ("" if prefix else "/"))
        out.append({"lang": tag, "name": script_name(tag), "url": url,
                    "current": tag == cfg.site.language})
    return out


def _date_only(entry: Entry) -> bool:
    return entry.article.date_only and entry.published == entry.article.published


class Item(NamedTuple):
    """One entry of a list, as the list templates show it."""

    url: str
    title: str
    lang: str
    when: str
    machine: str
    source: str | None
    author: str | None
    summary: str


def _item(cfg: Config, e: Entry) -> Item:
    zone, only = cfg.site.zone, _date_only(e)
    return Item(f"{cfg.site_url}/articles/{e.slug}", e.article.title,
                article_language(e.article, cfg.site.language), shown_date(e.published, zone, only),
                machine_date(e.published, zone, only), e.article.source, e.article.author,
                summary_of(cfg, e))


def _render(template: str, **values: Any) -> bytes:
    return _ENV.get_template(template).render(**values).encode("utf-8")


def render_list(cfg: Config, doc: FeedDocument) -> bytes:
    """A human page of one stream document: the head (the index, a topic's page) or one
    archive page, with links to the older and newer pages."""
    if doc.page is None:
        older = page_url(cfg, doc.topic, doc.pages - 1) if doc.pages else None
        newer = None
    else:
        older = page_url(cfg, doc.topic, doc.page - 1) if doc.page > 0 else None
        newer = page_url(cfg, doc.topic, doc.page + 1 if doc.page + 1 < doc.pages else None)
    ctx = _context(cfg, cfg.site.language, doc.topic, _here(doc.topic, doc.page))
    t = ctx["t"]
    heading = _topic_name(t, doc.topic) if doc.topic else t["latest"]
    page_label = t["page_n"].format(n=doc.page + 1) if doc.page is not None else None
    return _render(
        "index.html", **ctx, items=[_item(cfg, e) for e in doc.entries], heading=heading,
        entry_heading="h2",
        page_label=page_label, is_head=doc.page is None, older=older, newer=newer,
        newest=page_url(cfg, doc.topic, None), canonical=page_url(cfg, doc.topic, doc.page),
        topic=doc.topic,
        # an archive page shows no total: it would go stale, and a full page never changes
        total=t["total"].format(n=doc.total) if doc.page is None else None,
    )


def render_preview(cfg: Config, doc: FeedDocument) -> bytes:
    """The page a person reaches from a subscribe link: what a feed is, the stream's three
    feed URLs to copy, how to subscribe in common readers, its latest entries."""
    ctx = _context(cfg, cfg.site.language, doc.topic, preview_url_path(doc.topic))
    t = ctx["t"]
    texts = {"atom": t["atom_text"], "rss": t["rss_text"], "json": t["json_text"]}
    feeds = [{**f, "text": texts[f["id"]]} for f in ctx["feeds"]]
    return _render(
        "subscribe.html", **ctx, stream_feeds=feeds, entry_heading="h3", name=ctx["sub"]["name"],
        items=[_item(cfg, e) for e in doc.entries[:PREVIEW_ENTRIES]],
        stream_page=page_url(cfg, doc.topic, None), canonical=ctx["preview"], show_sub=False,
        rss=feed_url(cfg, doc.topic, None, "rss.xml"),
    )


def _here(topic: Topic | None, page: int | None) -> str:
    """A stream page's path below its view's root ("" for the front page)."""
    return "" if topic is None and page is None else site_url_path(topic, page)


def _neighbour(cfg: Config, key: str | None) -> str | None:
    return f"{cfg.site_url}/articles/{entry_slug(key)}" if key else None


def _article_topics(cfg: Config, topics: Sequence[Topic]) -> dict[str, Any]:
    links = {kind: [{"name": x.name, "url": page_url(cfg, x, None)} for x in topics if x.kind == kind]
             for kind in KINDS}
    return {"topics": topics, "links": links}


def render_article(cfg: Config, entry: Entry,
                   links: tuple[str | None, str | None] = (None, None),
                   topics_: Sequence[Topic] | None = None) -> bytes:
    """An article page in the article's own language and script: metadata, body, topic
    links, the older and newer articles, Open Graph and Twitter card tags. `topics_` are
    the article's topics when its names were converted (a variant: the slugs stay)."""
    a, zone, only = entry.article, cfg.site.zone, _date_only(entry)
    lang = article_language(a, cfg.site.language)
    ctx = _context(cfg, lang, None, f"/articles/{entry.slug}")
    t = ctx["t"]
    topics = _article_topics(cfg, topics_of(a) if topics_ is None else topics_)
    related = [{"name": _topic_name(t, x), "url": cfg.site_url + preview_url_path(x)}
               for x in topics["topics"]]
    updated = entry.updated if entry.updated > entry.published and a.updated else None
    return _render(
        "article.html", **ctx, entry=entry, a=a, links=topics["links"], related=related,
        body=Markup(for_pages(a.content_html)), canonical=article_url(cfg, entry),
        lead=a.image if a.image and not in_body(a.image, a.content_html) else None,
        summary=summary_of(cfg, entry), locale=_LOCALES[script_of(lang) or "hant"],
        when=shown_date(entry.published, zone, only), machine=machine_date(entry.published, zone, only),
        updated=shown_date(updated, zone) if updated else None,
        modified=machine_date(entry.updated, zone) if entry.updated > entry.published else None,
        older=_neighbour(cfg, links[0]), newer=_neighbour(cfg, links[1]),
    )


def render_topics(cfg: Config, topics: Sequence[tuple[Topic, int]]) -> bytes:
    ctx = _context(cfg, cfg.site.language, None, "/topics")
    t = ctx["t"]
    groups = []
    for kind in KINDS:
        items = [{"url": page_url(cfg, x, None), "name": x.name, "count": t["articles_count"].format(n=n),
                  "preview": cfg.site_url + preview_url_path(x)}
                 for x, n in topics if x.kind == kind]
        if items:
            groups.append({"kind": kind, "label": t[kind], "entries": items})
    return _render("topics.html", **ctx, groups=groups, canonical=f"{cfg.site_url}/topics")


def render_not_found(cfg: Config) -> bytes:
    """site/404.html: what a server sends for a URL that names nothing."""
    return _render("404.html", **_context(cfg, cfg.site.language), canonical=None)
