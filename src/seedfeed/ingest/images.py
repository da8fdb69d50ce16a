"""Lead images: the one picture that stands for an article (feed enclosures, thumbnails, the
JSON Feed `image`).

A seed may declare it (`image` in front matter, `og:image` of an HTML page); otherwise it is
the first real image of the sanitised body. Every lead image is an absolute http(s) URL, or
none: a relative one is resolved against the seed's own base URL, and what cannot be made
absolute is dropped (a feed reader resolves nothing). Pure functions over strings; nothing
here knows a site, a file or a feed format.
"""

from __future__ import annotations

import html
import re

import lxml.html

from .urls import http_uri

_URL_UNSAFE = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]')  # never literal in a URL (RFC 3986)
_MOST_CHARS = 2000  # longer is no image address but a data blob or a tracking monster
_SMALLEST = 16  # pixels: a declared width or height below this is a spacer, an icon or a pixel
_MIME = re.compile(r"image/[a-z0-9][a-z0-9.+-]{0,60}")
# An img source as nh3 writes it: attribute values are double-quoted, with '"' escaped.
_SOURCES = re.compile(r'<img\b[^>]*?\ssrc="([^"]*)"')


def absolute_image(url: str | None, base: str | None = None) -> str | None:
    """`url` as an absolute http(s) URI (resolved against `base`), else None: JSON Feed
    wants a URI, not an IRI (see `urls.http_uri`)."""
    url = (url or "").strip()
    if not url or len(url) > _MOST_CHARS or url.startswith("data:"):
        return None
    return http_uri(url, base)


def safe_url(url: str) -> str:
    """`url` with the ASCII characters a URL cannot hold percent-encoded (`"><script>`);
    other characters (an IRI's) stay as they are."""
    return _URL_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", url) if _URL_UNSAFE.search(url) else url


def _too_small(img: lxml.html.HtmlElement) -> bool:
    for attr in ("width", "height"):
        digits = re.match(r"\s*(\d+)", img.get(attr) or "")
        if digits and int(digits.group(1)) < _SMALLEST:
            return True
    return False


def first_image(content_html: str) -> str | None:
    """The first image of a sanitised body that is not a spacer or a tracking pixel."""
    if "<img" not in content_html:
        return None
    root = lxml.html.fragment_fromstring(content_html, create_parent="div")
    for img in root.iter("img"):
        if not _too_small(img) and (src := absolute_image(img.get("src"))):
            return src
    return None


def in_body(image: str, content_html: str) -> bool:
    """Whether the sanitised body already shows `image` (cheap: no parse of the body)."""
    if "<img" not in content_html:
        return False
    return any(absolute_image(html.unescape(src)) == image for src in _SOURCES.findall(content_html))


def image_type(value: str | None) -> str | None:
    """A declared MIME type of an image (`image/webp`), lower-cased; None if it is not one."""
    text = (value or "").strip().lower()
    return text if _MIME.fullmatch(text) else None
