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
    article = parser(text, zone)
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
