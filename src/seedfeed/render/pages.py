"""Render the human site with Jinja: list pages (the index, its archive pages, topic pages),
article pages and the topic overview; and the machine lists: sitemap and OPML.

Pure: documents and the config in, bytes out. Autoescaping is on; only `content_html`,
already sanitised at ingest, is marked safe. List pages mirror the feed documents page for
page, so a new article changes the same few pages as it changes feeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from importlib.resources import files
from xml.sax.saxutils import escape, quoteattr

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ..config import Config
from ..model import Entry
from ..plan import FORMATS, KIND_LABELS, KINDS, FeedDocument, Topic, asset_path, topics_of
from .feeds import TYPES, article_url, feed_url, page_url, stream_title

_ENV = Environment(
    loader=PackageLoader("seedfeed", "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # templates ship with the package: no stat per page rendered
)
_NAMES = {"atom.xml": "Atom", "rss.xml": "RSS", "feed.json": "JSON Feed"}
# The stylesheet and the icon are files of their own (a Content-Security-Policy without
# 'unsafe-inline' forbids <style>), read once and named by their digest.
ASSETS = {asset_path(name, data): data for name, data in (
    (name, files("seedfeed").joinpath("templates", name).read_bytes())
    for name in ("site.css", "favicon.svg"))}
_ASSET_URLS = {path.partition("/")[2].partition(".")[0]: "/" + path for path in ASSETS}


def _local(cfg: Config, moment: datetime) -> str:
    return moment.astimezone(cfg.site.zone).strftime("%Y-%m-%d %H:%M")


def _feeds(cfg: Config, topic: Topic | None) -> list[dict[str, str]]:
    title = stream_title(cfg, topic)
    return [{"url": feed_url(cfg, topic, None, fmt), "type": TYPES[fmt], "name": _NAMES[fmt],
             "title": f"{title} ({_NAMES[fmt]})"} for fmt in FORMATS]


def _context(cfg: Config, topic: Topic | None = None) -> dict[str, object]:
    return {
        "site": cfg.site,
        "base_url": cfg.base_url,
        "css_url": cfg.base_url + _ASSET_URLS["site"],
        "icon_url": cfg.base_url + _ASSET_URLS["favicon"],
        "feeds": _feeds(cfg, topic),
        "local": lambda m: _local(cfg, m),
        "iso": lambda m: m.astimezone(cfg.site.zone).replace(microsecond=0).isoformat(),
    }


def render_list(cfg: Config, doc: FeedDocument) -> bytes:
    """A human page of one stream document: the head (the index, a topic's page) or one
    archive page, with links to the older and newer pages."""
    if doc.page is None:
        older = page_url(cfg, doc.topic, doc.pages - 1) if doc.pages else None
        newer = None
    else:
        older = page_url(cfg, doc.topic, doc.page - 1) if doc.page > 0 else None
        newer = page_url(cfg, doc.topic, doc.page + 1 if doc.page + 1 < doc.pages else None)
    heading = stream_title(cfg, doc.topic) if doc.topic else cfg.site.title
    if doc.page is not None:
        heading = f"{heading} · 第 {doc.page + 1} 頁"
    html = _ENV.get_template("index.html").render(
        **_context(cfg, doc.topic), entries=doc.entries, total=doc.total, heading=heading,
        is_head=doc.page is None, older=older, newer=newer,
        page_url=lambda e: f"{cfg.base_url}/articles/{e.slug}",
    )
    return html.encode("utf-8")


def render_article(cfg: Config, entry: Entry) -> bytes:
    topics = [{"url": page_url(cfg, t, None), "label": t.label} for t in topics_of(entry.article)]
    html = _ENV.get_template("article.html").render(
        **_context(cfg), entry=entry, article=entry.article, topics=topics,
        body=Markup(entry.article.content_html), canonical=article_url(cfg, entry),
    )
    return html.encode("utf-8")


def render_topics(cfg: Config, topics: Sequence[tuple[Topic, int]]) -> bytes:
    groups = []
    for kind in KINDS:
        items = [{"url": page_url(cfg, t, None), "name": t.name, "count": n}
                 for t, n in topics if t.kind == kind]
        if items:
            groups.append((kind, KIND_LABELS[kind], items))
    return _ENV.get_template("topics.html").render(**_context(cfg), groups=groups).encode("utf-8")


def render_opml(cfg: Config, topics: Sequence[tuple[Topic, int]]) -> bytes:
    """OPML 2.0 listing every feed the site publishes: the main feeds, then each topic's."""
    def outlines(topic: Topic | None, indent: str) -> list[str]:
        title = stream_title(cfg, topic)
        return [f'{indent}<outline type="rss" text={quoteattr(f"{title} ({_NAMES[fmt]})")} '
                f'title={quoteattr(title)} xmlUrl={quoteattr(feed_url(cfg, topic, None, fmt))} '
                f'htmlUrl={quoteattr(page_url(cfg, topic, None))}/>' for fmt in FORMATS]

    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<opml version="2.0">', "  <head>",
             f"    <title>{escape(cfg.site.title)}</title>", "  </head>", "  <body>"]
    lines += outlines(None, "    ")
    for kind in KINDS:
        members = [t for t, _ in topics if t.kind == kind]
        if members:
            lines.append(f"    <outline text={quoteattr(KIND_LABELS[kind])}>")
            for t in members:
                lines += outlines(t, "      ")
            lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines).encode("utf-8")


_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def render_sitemap(cfg: Config, rows: Sequence[tuple[str, str]]) -> bytes:
    """One sitemap file: (page URL, lastmod) per article."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{_SITEMAP_NS}">']
    lines += [f"  <url><loc>{escape(url)}</loc><lastmod>{escape(mod)}</lastmod></url>"
              for url, mod in rows]
    lines += ["</urlset>", ""]
    return "\n".join(lines).encode("utf-8")


def render_sitemap_index(cfg: Config, chunks: int) -> bytes:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<sitemapindex xmlns="{_SITEMAP_NS}">']
    lines += [f"  <sitemap><loc>{escape(cfg.base_url)}/sitemaps/{c}.xml</loc></sitemap>"
              for c in range(chunks)]
    lines += ["</sitemapindex>", ""]
    return "\n".join(lines).encode("utf-8")
