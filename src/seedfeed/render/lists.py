"""Render the machine lists of the site: OPML (every feed) and the sitemaps (every article
page).

Pure: the config and rows in, bytes out.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from ..config import Config
from ..plan import FORMATS, KIND_LABELS, KINDS, Topic
from .feeds import feed_url, page_url, stream_title

FORMAT_NAMES = {"atom.xml": "Atom", "rss.xml": "RSS", "feed.json": "JSON Feed"}


def render_opml(cfg: Config, topics: Sequence[tuple[Topic, int]]) -> bytes:
    """OPML 2.0 listing every feed the site publishes: the main feeds, then each topic's."""
    def outlines(topic: Topic | None, indent: str) -> list[str]:
        title = stream_title(cfg, topic)
        return [f'{indent}<outline type="rss" text={quoteattr(f"{title} ({FORMAT_NAMES[fmt]})")} '
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
