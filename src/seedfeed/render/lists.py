"""Render the machine lists of the site: OPML (every feed) and the sitemaps (every article
page).

Pure: the config and rows in, bytes out.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from ..config import Config
from ..plan import FORMATS, KINDS, Topic
from .feeds import feed_url, page_url, stream_title
from .labels import labels_for

FORMAT_NAMES = {"atom.xml": "Atom", "rss.xml": "RSS", "feed.json": "JSON Feed"}


def render_opml(cfg: Config, topics: Sequence[tuple[Topic, int]],
                variants: Sequence[Config] = ()) -> bytes:
    """OPML 2.0 listing every feed of a view: the main feeds, then each topic's; the
    original's also lists each script variant's main feeds, in a group of its own (a
    variant's own OPML lists all of its feeds)."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<opml version="2.0">', "  <head>",
             f"    <title>{escape(cfg.site.title)}</title>", "  </head>", "  <body>"]
    lines += _outlines(cfg, None, "    ")
    for kind in KINDS:
        members = [t for t, _ in topics if t.kind == kind]
        if members:
            lines.append(f"    <outline text={quoteattr(_kind_label(cfg, kind))}>")
            for t in members:
                lines += _outlines(cfg, t, "      ")
            lines.append("    </outline>")
    for variant in variants:
        lines.append(f"    <outline text={quoteattr(variant.site.title)} "
                     f"language={quoteattr(variant.site.language)}>")
        lines += _outlines(variant, None, "      ")
        lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines).encode("utf-8")


def _outlines(cfg: Config, topic: Topic | None, indent: str) -> list[str]:
    title = stream_title(cfg, topic)
    return [f'{indent}<outline type="rss" text={quoteattr(f"{title} ({FORMAT_NAMES[fmt]})")} '
            f'title={quoteattr(title)} xmlUrl={quoteattr(feed_url(cfg, topic, None, fmt))} '
            f'htmlUrl={quoteattr(page_url(cfg, topic, None))}/>' for fmt in FORMATS]


def _kind_label(cfg: Config, kind: str) -> str:
    return labels_for(cfg.site.language, cfg.site.language)[kind]


_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def render_sitemap(cfg: Config, rows: Sequence[tuple[str, str]]) -> bytes:
    """One sitemap file: (page URL, lastmod) per article."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{_SITEMAP_NS}">']
    lines += [f"  <url><loc>{escape(url)}</loc><lastmod>{escape(mod)}</lastmod></url>"
              for url, mod in rows]
    lines += ["</urlset>", ""]
    return "\n".join(lines).encode("utf-8")


def render_sitemap_index(views: Sequence[Config], chunks: int) -> bytes:
    """The sitemap index: each view's sitemap chunks."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<sitemapindex xmlns="{_SITEMAP_NS}">']
    lines += [f"  <sitemap><loc>{escape(cfg.site_url)}/sitemaps/{c}.xml</loc></sitemap>"
              for cfg in views for c in range(chunks)]
    lines += ["</sitemapindex>", ""]
    return "\n".join(lines).encode("utf-8")
