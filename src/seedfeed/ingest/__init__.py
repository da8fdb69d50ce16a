"""Ingest: turn one seed file's bytes into an Article, or raise SeedError with the reason.

Pure: takes bytes, the file name (only to pick a format) and the zone for times without one.
It never touches the disk; scan.py finds files and the pipeline reads them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import PurePosixPath

from ..errors import SeedError
from ..model import Article
from .clean import clean_text
from .dates import DateOnly
from .decode import decode, guess_script
from .htmlpage import parse_html
from .images import absolute_image, first_image, safe_url
from .markdown import parse_markdown
from .scraped import parse_text

_MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_TEXT_SUFFIXES = {".txt", ".text", ""}
SEED_SUFFIXES = _TEXT_SUFFIXES | _MARKDOWN_SUFFIXES | _HTML_SUFFIXES


def detect_format(name: str, text: str) -> str:
    """'markdown', 'html' or 'text', from the suffix first and the content second."""
    suffix = PurePosixPath(name).suffix.lower()
    head = text.lstrip()[:200].lower()
    if suffix in _MARKDOWN_SUFFIXES or head.startswith(("---\n", "+++\n")):
        return "markdown"
    if suffix in _HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")):
        return "html"
    return "text"


# Embedding, override and isolate controls: U+202E turns "gpj.exe" into what reads "exe.jpg";
# they come back from entities and front-matter escapes, so they go after parsing.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_LIMITS = {"title": 500, "source": 200, "author": 500, "editor": 200, "summary": 5000}
_MOST_TAGS, _TAG_LENGTH = 50, 100


def _without_bidi_controls(a: Article) -> Article:
    def strip(value: str | None) -> str | None:
        return _BIDI.sub("", value) if value else value

    return replace(a, title=_BIDI.sub("", a.title), source=strip(a.source), author=strip(a.author),
                   editor=strip(a.editor), summary=strip(a.summary),
                   tags=tuple(_BIDI.sub("", t) for t in a.tags),
                   paragraphs=tuple(_BIDI.sub("", p) for p in a.paragraphs),
                   content_html=_BIDI.sub("", a.content_html))


def _safe_url(a: Article) -> Article:
    """The canonical URL made safe in any attribute (`"><script>` in a front-matter url)."""
    return replace(a, url=safe_url(a.url)) if a.url else a


def _lead_image(a: Article) -> Article:
    """The image the seed declares (made absolute by its parser), else the body's first."""
    image = absolute_image(a.image) or first_image(a.content_html)
    return replace(a, image=image, image_type=a.image_type if image == a.image else None)


_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_CHINESE = {"zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-my": "zh-Hans", "zh-tw": "zh-Hant",
            "zh-hk": "zh-Hant", "zh-mo": "zh-Hant", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}


def _language(a: Article) -> Article:
    """A declared language as a BCP 47 tag (zh_CN and zh-cn are zh-Hans); one that is not a
    language tag at all is dropped with a warning (the script is guessed instead)."""
    if a.language is None:
        return a
    tag = a.language.strip().replace("_", "-")
    if not _LANGUAGE.fullmatch(tag):
        return replace(a, language=None,
                       warnings=(*a.warnings, f"ignored the language {a.language[:40]!r}: not a "
                                              "language tag such as zh-Hant or zh-Hans"))
    return replace(a, language=_CHINESE.get(tag.lower(), tag))


def _bounded(a: Article) -> Article:
    """Fields no longer than a real article's: a seed that blows one up is rejected."""
    for field, most in _LIMITS.items():
        value = getattr(a, field) or ""
        if len(value) > most:
            raise SeedError(f"its {field} is {len(value):,} characters long (at most {most:,})")
    if len(a.tags) > _MOST_TAGS or any(len(t) > _TAG_LENGTH for t in a.tags):
        raise SeedError(f"it has {len(a.tags)} tags or a tag over {_TAG_LENGTH} characters "
                        f"(at most {_MOST_TAGS} tags)")
    return a


def _parse(data: bytes, name: str, zone: tzinfo) -> Article:
    suffix = PurePosixPath(name).suffix.lower()
    # Only a real extension (".jpg", ".docx") says the file is something else; "v1.2 notes" has none.
    if re.fullmatch(r"\.[a-z][a-z0-9]{0,7}", suffix) and suffix not in SEED_SUFFIXES:
        known = ", ".join(sorted(s for s in SEED_SUFFIXES if s))
        raise SeedError(f"{suffix} is not a seed format; seeds are {known} or no suffix")
    if not data:
        raise SeedError("the file is empty")
    text = clean_text(decode(data))
    if not text.strip(" \t\n\u3000\u00a0\ufeff"):
        raise SeedError("the file holds only blank space")
    fmt = detect_format(name, text)
    parser = {"markdown": parse_markdown, "html": parse_html, "text": parse_text}[fmt]
    article = _bounded(_language(_safe_url(_without_bidi_controls(parser(text, zone)))))
    article = _lead_image(article)
    # Feeds carry whole seconds (newsboat drops the zone of a date with a fraction); a date
    # read without a clock is flagged, so that pages show no invented 00:00.
    article = replace(article, date_only=isinstance(article.published, DateOnly),
                      published=_plain(article.published), updated=_plain(article.updated))
    if article.language is None:  # undeclared: say which script it is when that is clear
        sample = article.title + "".join(article.paragraphs[:5])
        article = replace(article, language=guess_script(sample))
    return article


def _plain(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return datetime.combine(moment.date(), moment.timetz()).replace(microsecond=0)


def parse_seed(data: bytes, name: str, zone: tzinfo) -> Article:
    """Parse one seed. Raises SeedError (never anything else) when it cannot be published."""
    try:
        return _parse(data, name, zone)
    except SeedError:
        raise
    except Exception as e:  # a bug on odd input must cost one seed, not the batch
        raise SeedError(f"could not be parsed ({type(e).__name__}: {e})") from e
