"""Visible meta lines inside an HTML article: short leaf blocks naming the date, source,
author or editor (``来源：… 作者：…``), bracketed bylines on a line of their own, and
author names marked up as such (rel=author, hCard, a byline block).

Collects the raw values and removes the lines it read from the tree; turning them into
dates and names is htmlmeta.py's job.
"""

from __future__ import annotations

import re

import lxml.html

from . import textrules as rules
from .htmlfurniture import class_words, in_chrome, is_chrome, text_len
from .htmlmeta import _meta_fields
from .sanitize import _BLOCKS, _squash
from .textlines import dateline_author

# Cheap XPath filters (no translate() over every element); Python checks the words.
_VCARD_XPATH = (".//*[contains(@rel, 'uthor') or contains(@rel, 'UTHOR') or contains(@class, 'fn')"
                " or contains(@id, 'fn') or contains(@data-component, 'fn')]")


_BYLINE_XPATH = (".//*[contains(@class, 'yline') or contains(@class, 'YLINE') or contains(@id, 'yline')"
                 " or contains(@data-component, 'yline')]")


def vcard_authors(scope: lxml.html.HtmlElement) -> list[str]:
    """Author names marked up as such: rel=author links, hCard 'author vcard … fn' (WordPress)."""
    # XPath narrows the walk to elements whose attributes mention the words (in C)
    found = [el for el in scope.xpath(_VCARD_XPATH) if (
        "author" in (el.get("rel") or "").split()
        or "fn" in class_words(el) and any("author" in class_words(a) for a in el.iterancestors()))
        and not in_chrome(el)]
    names = [_squash(el.text_content()) for el in found]
    for block in scope.xpath(_BYLINE_XPATH):  # a byline block whose first line is 'By Jane Doe'
        if "byline" in class_words(block) and not in_chrome(block):
            names += [m.group(1) for el in block.iter() if el.text and
                      (m := re.match(r"^\s*[Bb]y\s+([A-Z][\w .'-]{1,40}?)\s*$", el.text))]
    names += _named_authors(scope)
    return list(dict.fromkeys(n for n in names if 0 < len(n) <= 40))


_NAMED_XPATH = (".//*[contains(@class, 'uthor') or contains(@id, 'uthor') or contains(@class, 'ickname')"
                " or contains(@class, 'ickName') or contains(@href, 'author=')"
                " or contains(@href, '/author/')]")
# class/id words of the one element that holds an author's name: 'author-info__name',
# 'follow-nickName', 'author_baidu'; wrappers around name, date and place are longer
_NAME_WORDS = {"nickname", "authorname", "author", "username", "writer"}
_FOLLOW = re.compile(r"关注|關注|订阅|訂閱|粉丝|粉絲|follow|subscribe", re.IGNORECASE)  # buttons
_AUTHOR_LABEL = re.compile(r"^(?:作者|文|撰文|By)\s*[:：︰]?\s*", re.IGNORECASE)


def _named_authors(scope: lxml.html.HtmlElement) -> list[str]:
    """Short elements named as an author's (blogs, forums, portals' author boxes) and links
    to an author's archive ('?author=12', '/author/jane/')."""
    names = []
    for el in scope.xpath(_NAMED_XPATH):
        href = el.get("href") or "" if el.tag == "a" else ""
        words = class_words(el)
        named = _NAME_WORDS & words or re.search(r"[?&]author=|/author/", href)
        # a profile box names the account that posts (a WeChat or blog account), not a writer
        if not named or any(w.startswith("profile") for w in words) or in_chrome(el) or any(
                isinstance(d.tag, str) and d.tag in _BLOCKS for d in el.iterdescendants()):
            continue
        text = _AUTHOR_LABEL.sub("", _squash(el.text_content()))
        if 0 < len(text) <= 16 and not _meta_fields(text) and not _FOLLOW.search(text):
            names.append(text)
    return names


def take_meta_lines(scope: lxml.html.HtmlElement, root: lxml.html.HtmlElement
                     ) -> dict[str, list[str]]:
    """Collect and remove short meta lines (date/source/author/editor) inside the article.

    Only leaf blocks count, so a span is never cut out of a paragraph; a bare date
    counts only before the body text starts (later it is e.g. a notice's signature date).
    """
    found: dict[str, list[str]] = {}
    in_body, stack = False, [scope]
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str) or el.tag in ("h1", "h2"):
            continue
        if is_chrome(el) and not (el.tag == "footer" and root in el.iterancestors()):
            continue  # an article's own <footer> often holds '责任编辑：…'; a page's never
        leaf = el is not scope and not any(
            isinstance(d.tag, str) and d.tag in _BLOCKS for d in el.iterdescendants())
        fields = _meta_fields(el.text_content()) if leaf else None
        if leaf and not fields and text_len(el) <= 40 and (names := _byline_alone(el)):
            fields = {"author": names}  # a bracketed byline of its own: 【X報╱記者Y╱即時報導】
        if fields and not (in_body and fields.keys() == {"date"}):
            for key, value in fields.items():
                found.setdefault(key, []).append(value)
            el.drop_tree()
        elif not leaf:
            stack.extend(reversed(el))
        elif leaf and text_len(el) > 40:
            in_body = True
    return found


def _byline_alone(el: lxml.html.HtmlElement) -> str | None:
    text = _squash(el.text_content())
    m = rules.DATELINE_BYLINE.match(text)
    return dateline_author(text) if m and m.end() >= len(text) - 1 else None

