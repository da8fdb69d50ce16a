"""Sanitised HTML shared by every format: one safety rule for content_html and paragraphs.

`sanitise_html` passes markup through nh3 (no script, no event handlers, no javascript:
URLs, relative links made absolute); `for_pages` adds what only the HTML pages want;
`html_paragraphs` reads the plain text of each block.
Pure functions; nothing here knows a site or a seed format.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import nh3
from lxml import etree

from .clean import strip_blanks
from .urls import http_uri

_ALLOWED_TAGS = {
    "p", "br", "hr", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt",
    "dd", "blockquote", "pre", "code", "em", "strong", "b", "i", "u", "s", "del", "ins", "sub",
    "sup", "mark", "small", "abbr", "q", "cite", "a", "img", "figure", "figcaption", "table",
    "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}
_ALLOWED_ATTRS = {
    "a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}, "ol": {"start"},
    "abbr": {"title"},
}
# Elements whose *content* is never article text (code, embeds, form controls).
# Not <form>: ASP.NET pages wrap the whole page in one.
_INERT = ("script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
          "embed", "applet", "svg", "math", "canvas", "button", "input", "select", "textarea",
          "link", "meta", "title", "head")
_LINK_SCHEMES = ("http", "https", "mailto", "tel")
_RULES: dict[str, Any] = {"tags": _ALLOWED_TAGS, "attributes": _ALLOWED_ATTRS,
                          "url_schemes": set(_LINK_SCHEMES)}
_CLEANER = nh3.Cleaner(**_RULES, clean_content_tags=set(_INERT) - {"head", "link", "meta"})
# Structural containers nh3 would unwrap, gluing neighbouring texts together: keep them as div.
_TO_DIV = {"article", "section", "main", "header", "footer", "aside", "nav", "center",
           "address", "details", "summary", "body", "html"}
_BLOCKS = _ALLOWED_TAGS - {"br", "em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup",
                           "mark", "small", "abbr", "q", "cite", "a", "img", "code"} | _TO_DIV
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r\n]*\n[ \t\r\n]*(?=[{_CJK}])")
_WS = re.compile(r"[ \t\r\n\f]+")
_URL_NOISE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(33)))


def _parse_fragment(markup: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(markup or "", create_parent="div")


def _neutralise(root: lxml.html.HtmlElement) -> None:
    """Remove code/embeds and anything a browser would not show (display:none, hidden);
    read URLs as browsers do, before any serialisation can percent-encode them."""
    clean_urls(root)
    drop_unseen(root)


def clean_urls(root: lxml.html.HtmlElement) -> None:
    """URLs as browsers read them; needed before `root` is serialised, not before."""
    for el in root.xpath("descendant-or-self::*[@href or @src]"):
        for attr in ("href", "src"):
            # 'java&#9;script:' is 'javascript:' to a browser, but once lxml writes the
            # tab as %09 nh3 would take it for a harmless relative URL.
            value = el.get(attr)
            if value is not None and (clean := _URL_NOISE.sub("", value).strip(
                    _C0_AND_SPACE)) != value:
                el.set(attr, clean)


def drop_unseen(root: lxml.html.HtmlElement) -> None:
    """Remove code/embeds and anything a browser would not show (display:none, hidden)."""
    doomed = [el for el in root.iter(*_INERT)]
    # XPath picks the few candidates in C; Python looks only at those
    doomed += [el for el in root.xpath(
        "descendant-or-self::*[@hidden or @aria-hidden='true' or @style]")
        if el.get("hidden") is not None or el.get("aria-hidden") == "true"
        or _HIDDEN_STYLE.search(el.get("style") or "")]
    for el in doomed:
        if el is not root and el.getparent() is not None:
            el.drop_tree()  # keeps the tail text, which belongs to the parent


def _prepare(root: lxml.html.HtmlElement, base_url: str | None) -> None:
    """Lazy images get their real source, containers become divs, links become absolute."""
    for img in root.iter("img"):
        lazy = img.get("data-src") or img.get("data-original")
        if lazy and (not img.get("src") or img.get("src", "").startswith("data:")):
            img.set("src", lazy)
    for el in root.iter(*_TO_DIV):
        el.tag = "div"
    if base_url:
        root.make_links_absolute(base_url, resolve_base_href=False, handle_failures="discard")
    _drop_useless_urls(root)
    _trim_indents(root)



def _absolute(url: str | None, schemes: tuple[str, ...]) -> bool:
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    return scheme in schemes and (bool(parts.netloc) or scheme in ("mailto", "tel"))


def _drop_useless_urls(root: lxml.html.HtmlElement) -> None:
    """A feed reader resolves nothing: an image without an absolute source shows as a broken
    icon, a link without an absolute target goes nowhere (the W3C validator's ContainsRelRef).
    Such images go; such links keep their text and lose the <a>.
    Web addresses are written as URIs (an IRI's host IDNA-encoded): libxml2 would
    percent-encode a Chinese host, which no resolver knows."""
    for img in list(root.iter("img")):
        if (src := http_uri(img.get("src"))) is not None:
            img.set("src", src)
        elif img is not root:
            img.drop_tree()
    for a in list(root.iter("a")):
        if (href := http_uri(a.get("href"))) is not None:
            a.set("href", href)
        elif not _absolute(a.get("href"), _LINK_SCHEMES) and a is not root:
            a.drop_tag()


_INDENT = "\u00a0\u3000\u2002\u2003 \t\r\n"


def _trim_indents(root: lxml.html.HtmlElement) -> None:
    """&nbsp;&nbsp; or full-width spaces indenting a paragraph are layout, not text."""
    for el in root.iter(*_BLOCKS):
        if el.text:
            el.text = el.text.lstrip(_INDENT) or None
    for br in root.iter("br"):  # each line of a <br>-laid-out block is indented too
        if br.tail:
            br.tail = br.tail.lstrip(_INDENT) or None


def _inner_html(root: lxml.html.HtmlElement) -> str:
    parts = [html.escape(root.text or "", quote=False)]
    parts += [lxml.html.tostring(child, encoding="unicode") for child in root]
    return "".join(parts)


def sanitise_html(markup: str, base_url: str | None = None) -> str:
    """Safe HTML for the feed: nh3 allow-list after dropping hidden/inert elements.

    `base_url` (absolute http/https) makes relative links and image sources absolute.
    """
    if not markup.strip():
        return ""
    root = _parse_fragment(markup)
    _neutralise(root)
    _prepare(root, base_url)
    return _CLEANER.clean(_inner_html(root)).strip()


# Page-only attributes: a remote image learns nothing of the reader (no Referer, on top of
# the site's Referrer-Policy) and loads only when scrolled near. Feeds do not need them.
_PAGE_CLEANER = nh3.Cleaner(
    **_RULES, set_tag_attribute_values={"img": {"loading": "lazy", "referrerpolicy": "no-referrer"}})


def for_pages(content_html: str) -> str:
    """Sanitised HTML as the site's pages show it: every image lazy and without a referrer.
    A second nh3 pass rather than text surgery, so that the result is safe by construction."""
    return _PAGE_CLEANER.clean(content_html) if "<img" in content_html else content_html


@lru_cache(maxsize=4096)  # the same texts come back: an element's and its only child's
def _squash(text: str) -> str:
    """Browser-like whitespace: a line break between CJK characters is not a space."""
    if "\n" in text:  # most texts have no line break: skip the costlier pattern
        text = _CJK_BREAK.sub("", text)
    return strip_blanks(_WS.sub(" ", text))


def html_paragraphs(markup: str) -> tuple[str, ...]:
    """Plain text of each block (p, heading, list item, cell, caption…); <br> splits blocks.

    Text comes from the parsed tree, so entities are decoded exactly once.
    """
    if not markup.strip():
        return ()
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = _squash("".join(buf))
        buf.clear()
        if text:
            out.append(text)

    # iterwalk instead of recursion: hostile pages can nest deeper than Python's stack.
    for event, el in etree.iterwalk(_parse_fragment(markup), events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCKS or tag == "br":
                flush()
            if tag and el.text:
                buf.append(el.text)
        else:
            if tag in _BLOCKS:
                flush()
            if el.tail:
                buf.append(el.tail)
    flush()
    return tuple(out)
