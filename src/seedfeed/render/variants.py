"""Script variants: the site in the other Chinese script, made with OpenCC from the original.

Pure (OpenCC's tables are read once per process). A variant is a *view* of the site: the
same documents, with the text converted, under its own URL prefix (`/zh-Hans/…` for pages,
`/feeds/zh-Hans/…` for feeds), in its own language and with its own entry IDs — a reader
subscribed to both scripts must not merge them. The variant's entry ID is a name-based
UUID of the original ID and the variant's tag, so it is as permanent as the original.

Topic slugs (and so every URL) come from the original names: a converted tag links to the
same topic as its original. Text in attributes of the body's HTML (links, image sources)
is left as it is; only the text between tags is converted.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from functools import lru_cache
from typing import Any

from ..config import Config, Variant, script_tag
from ..model import Article, Entry, Tombstone
from ..plan import FeedDocument, Topic

# OpenCC's table for (the site's script, the variant's tag): regional tables carry the
# regional vocabulary as well (軟體 → 软件 from Taiwan text, 软件 → 軟體 for Taiwan readers).
_TABLES = {
    ("hant", "zh-Hans"): "t2s", ("hans", "zh-Hant"): "s2t",
    ("hans", "zh-Hant-TW"): "s2twp", ("hans", "zh-Hant-HK"): "s2hk",
}
_REGIONAL_SOURCES = {"tw": "tw2sp", "hk": "hk2s"}  # a Traditional site of one region
# seedfeed's namespace for variant IDs; changing it would change every variant's IDs.
VARIANT_NAMESPACE = uuid.UUID("0b6f7f3e-8a1d-5c92-b4e3-6d2a9c1f5e70")
_TAG = re.compile(r"(<[^>]*>)")


def table(site_language: str, variant: str) -> str:
    """The OpenCC configuration that converts a `site_language` site into `variant`."""
    source = script_tag(site_language) or "hant"
    if source == "hant" and variant == "zh-Hans":
        region = site_language.lower().rsplit("-", 1)[-1]
        return _REGIONAL_SOURCES.get(region, "t2s")
    return _TABLES[source, variant]


@lru_cache(maxsize=8)
def _converter(name: str) -> Any:
    import opencc  # only a site with a variant needs it: no import cost for the others

    return opencc.OpenCC(name)


def convert(name: str, text: str) -> str:
    return str(_converter(name).convert(text)) if text else text


# Names, tags and titles recur in every document of a build; bodies are converted once per
# entry (_entry's cache), so only short strings are kept here.
convert_name = lru_cache(maxsize=1 << 14)(convert)


def convert_html(name: str, markup: str) -> str:
    """The text between the tags converted; tags and their attributes as they are."""
    parts = _TAG.split(markup)
    return "".join(p if i % 2 else convert(name, p) for i, p in enumerate(parts) if p)


def views(cfg: Config) -> list[Config]:
    """The site's original config first, then one per configured variant."""
    return [cfg, *(variant_config(cfg, tag) for tag in cfg.site.variants)]


@lru_cache(maxsize=16)
def variant_config(cfg: Config, tag: str) -> Config:
    """The config a variant is rendered with: its language, its prefix, converted names."""
    name = table(cfg.site.language, tag)
    site = replace(cfg.site, title=convert_name(name, cfg.site.title),
                   description=convert_name(name, cfg.site.description),
                   author=convert_name(name, cfg.site.author),
                   rights=convert_name(name, cfg.site.rights),
                   language=tag)
    return replace(cfg, site=site, variant=Variant(tag, cfg.site.language))


def _table(cfg: Config) -> str:
    assert cfg.variant is not None
    return table(cfg.variant.origin, cfg.variant.tag)


def variant_id(original: str, tag: str) -> str:
    """An entry's ID in a variant: permanent, and never equal to the original's."""
    return uuid.uuid5(VARIANT_NAMESPACE, f"{original} {tag}").urn


def _language(cfg: Config, language: str | None) -> str | None:
    """An entry's declared language in the variant: the variant's tag when it is in the
    original's script, else unchanged (an English article stays English)."""
    own = script_tag(cfg.site.language)
    if language and script_tag(language) not in (None, own):
        return cfg.site.language
    return language


def convert_article(cfg: Config, article: Article) -> Article:
    """An article's text in the variant's script; its canonical URL is the variant's own
    page (the seed's URL shows the other script)."""
    name = _table(cfg)

    def c(text: str | None) -> str | None:
        return convert_name(name, text) if text else text

    return replace(
        article, title=convert_name(name, article.title),
        paragraphs=tuple(convert(name, p) for p in article.paragraphs),
        content_html=convert_html(name, article.content_html),
        summary=article.summary and convert(name, article.summary),
        source=c(article.source), author=c(article.author), editor=c(article.editor),
        tags=tuple(convert_name(name, t) for t in article.tags),
        language=_language(cfg, article.language), url=None)


@lru_cache(maxsize=4096)  # an entry is met in its page, the head, archives and topic feeds
def _entry(cfg: Config, entry: Entry) -> Entry:
    assert cfg.variant is not None
    return replace(entry, id=variant_id(entry.id, cfg.variant.tag),
                   article=convert_article(cfg, entry.article))


def entry_in(cfg: Config, entry: Entry) -> Entry:
    """`entry` as the view `cfg` shows it (itself in the original)."""
    return entry if cfg.variant is None else _entry(cfg, entry)


def topic_in(cfg: Config, topic: Topic) -> Topic:
    """A topic with its name converted and its slug (its URLs) kept."""
    if cfg.variant is None:
        return topic
    return Topic(topic.kind, convert_name(_table(cfg), topic.name), topic.slug)


def document_in(cfg: Config, doc: FeedDocument) -> FeedDocument:
    """A stream document as the view `cfg` shows it."""
    if cfg.variant is None:
        return doc
    tag = cfg.variant.tag
    return replace(doc, topic=doc.topic and topic_in(cfg, doc.topic),
                   entries=[entry_in(cfg, e) for e in doc.entries],
                   tombstones=[Tombstone(variant_id(t.id, tag), t.when) for t in doc.tombstones])


def prefixed(cfg: Config, rel: str) -> str:
    """A published file's path (`feeds/…`, `site/…`) in the view `cfg`."""
    if cfg.variant is None:
        return rel
    if rel == "site/index.html":  # the front page is /zh-Hans, a page like any other
        return f"site/{cfg.variant.tag}.html"
    top, _, rest = rel.partition("/")
    return f"{top}/{cfg.variant.tag}/{rest}"
