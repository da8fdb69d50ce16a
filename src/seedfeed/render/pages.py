"""Render the human site: the index page and one page per article, with Jinja templates.

Pure: entries and the config in, {relative path: bytes} out. Autoescaping is on; only
`content_html`, already sanitised at ingest, is marked safe.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ..config import Config
from ..model import Entry
from ..published import FEEDS
from .feeds import article_url, feed_updated, feed_url

_ENV = Environment(
    loader=PackageLoader("seedfeed", "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _local(cfg: Config, moment: datetime) -> str:
    return moment.astimezone(cfg.site.zone).strftime("%Y-%m-%d %H:%M")


def _context(cfg: Config) -> dict[str, object]:
    return {
        "site": cfg.site,
        "base_url": cfg.base_url,
        "feeds": [
            {"url": feed_url(cfg, name), "type": mime.split(";")[0], "name": name}
            for name, mime in FEEDS.items()
        ],
        "local": lambda m: _local(cfg, m),
        "iso": lambda m: m.astimezone(cfg.site.zone).isoformat(),
    }


def render_index(cfg: Config, entries: Sequence[Entry]) -> bytes:
    shown = list(entries[: cfg.feeds.max_entries])
    html = _ENV.get_template("index.html").render(
        **_context(cfg), entries=shown, total=len(entries),
        updated=feed_updated(cfg, entries), page_url=lambda e: f"{cfg.base_url}/articles/{e.slug}",
    )
    return html.encode("utf-8")


def render_article(cfg: Config, entry: Entry) -> bytes:
    html = _ENV.get_template("article.html").render(
        **_context(cfg), entry=entry, article=entry.article,
        body=Markup(entry.article.content_html), canonical=article_url(cfg, entry),
    )
    return html.encode("utf-8")


def article_path(entry: Entry) -> str:
    return f"articles/{entry.slug}.html"


def render_pages(cfg: Config, entries: Sequence[Entry],
                 only: Collection[str] | None = None) -> dict[str, bytes | None]:
    """Every page, by its path under site/. With `only` (a set of slugs), article pages of
    other entries map to None: unchanged, not rendered again."""
    pages: dict[str, bytes | None] = {"index.html": render_index(cfg, entries)}
    for e in entries:
        fresh = only is None or e.slug in only
        pages[article_path(e)] = render_article(cfg, e) if fresh else None
    return pages
