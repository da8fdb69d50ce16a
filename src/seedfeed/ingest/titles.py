"""Titles of HTML pages: the headline among og:title, the <h1>s, JSON-LD and <title>.

Site and section names around a headline ('Headline | Section | Site', 'Site - Section -
Headline', 'Headline- Site', '-Site') are cut off. Pure string functions: htmlpage.py hands
in the page's metadata and heading texts. Nothing here may name a particular site.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import textrules as rules
from .clean import clean_line
from .htmlmeta import Meta, _first

# between a headline and site or section names: ' - ', ' | ', '_', '｜', '│', '丨', '--'
TITLE_SEPS = re.compile(r"\s+[-|–—»«]\s+|\s*(?:[_｜|│丨]|--+)\s*")
_LOOSE_SEP = re.compile(r"\s*[-–—]\s*")  # 'Headline- Site': only before a known site name
_EDGE = " \t-_|｜│丨–—»«:："  # a separator left at either end: '-Site', 'Headline-'
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SEP_CHARS = "-_|｜│丨—–－·:："


_BLANKS = re.compile(r"\s+")


def norm(text: str) -> str:
    return _BLANKS.sub("", text).casefold()


def page_title_parts(page_title: str) -> list[str]:
    parts = (clean_line(p).strip(_EDGE) for p in TITLE_SEPS.split(clean_line(page_title)))
    return [p for p in parts if p]


def _head_part(parts: list[str], og_title: str) -> str:
    """The headline among the <title>'s parts: the one og:title repeats, else the one with
    the most CJK characters (a Latin site name is long: 'CNA NEWS'), else the longest."""
    og = norm(og_title)
    return max(parts, key=lambda p: (norm(p) == og, len(_CJK.findall(p)), len(p)), default="")


def site_names(meta: Meta, page_title: str, h1s: Sequence[str]) -> tuple[str, set[str]]:
    """(the <title>'s headline part, the normalised site and section names around it). A
    <title> that opens with a separator (' - Site') has no headline part."""
    parts = page_title_parts(page_title)
    headless = clean_line(page_title)[:1] in _EDGE
    head = "" if headless else _head_part(parts, _first(meta, "og:title") or "")
    sites = {norm(s) for s in (_first(meta, "og:site_name", "application-name"), *parts)
             if s and s != head}
    sites |= {norm(h) for h in h1s if head.endswith(" " + h)}  # 'Headline SiteName'
    return head, sites


def looks_like_site(title: str, meta: Meta, page_title: str) -> bool:
    """The title found may be the site's name rather than a headline: it is a known site
    name, or it or the whole <title> reads as an outlet's name ('公共電視台 新聞網')."""
    _, sites = site_names(meta, page_title, ())
    return (not title or norm(title) in sites or bool(rules.SITE_NAME.fullmatch(norm(title)))
            or bool(rules.SITE_NAME.fullmatch(norm(page_title))))


def _strip_site_parts(title: str, sites: set[str]) -> str:
    """'Section - Headline - Site_Channel' -> 'Headline' when the parts cut off are known
    site names; a separator left at either end goes too."""
    title = clean_line(title).strip(_EDGE)
    while (seps := list(TITLE_SEPS.finditer(title))) and norm(title[seps[-1].end():]) in sites:
        title = title[: seps[-1].start()]
    while (sep := TITLE_SEPS.search(title)) and sep.start() and norm(title[: sep.start()]) in sites:
        title = title[sep.end():]
    if (loose := list(_LOOSE_SEP.finditer(title))) and norm(title[loose[-1].end():]) in sites:
        title = title[: loose[-1].start()]
    # 'Headline SiteName': only a space before a known site name or an outlet's name
    while (" " in title and (last := title.rsplit(" ", 1))
           and (norm(last[1]) in sites or rules.SITE_NAME.fullmatch(last[1]))
           and len(norm(last[0])) >= 4):
        title = last[0]
    return clean_line(title.strip(_EDGE))


def _opens_or_closes(part: str, page_title: str) -> bool:
    """`part` is the page title up to (or from) a separator, also one TITLE_SEPS lacks
    ('Headline——Site'): an <h2>/<h3> headline of a page without <h1>."""
    t, p = norm(page_title), norm(part)
    if len(p) < 4 or len(t) <= len(p):
        return False
    return (t.startswith(p) and t[len(p)] in _SEP_CHARS
            or t.endswith(p) and t[-len(p) - 1] in _SEP_CHARS)


def title_of(meta: Meta, h1s: list[str], page_title: str, subheads: Sequence[str] = ()) -> str:
    """og:title, else the article's <h1>, else JSON-LD headline, else <title>; never the
    site name. The other parts of '<title>' and og:site_name are site names."""
    head, sites = site_names(meta, page_title, h1s)
    h1s = [h for h in h1s if norm(h) not in sites]  # a logo <h1> repeats the site name
    og = _first(meta, "og:title") or ""
    if norm(og) not in {norm(h) for h in h1s}:  # the headline shown is the whole og:title
        og = _strip_site_parts(og, sites)
    for h1 in (*h1s, head):  # og:title = the page's own headline + a suffix of an unknown site
        if h1 and norm(og).startswith(norm(h1)) and TITLE_SEPS.match(og[len(h1):]):
            og = h1
    # og:title cut short by an unescaped quote in its content="…": the <h1> says it all
    og = next((h for h in map(clean_line, (*h1s, head)) if og and len(h) > len(og) + 1
               and h.startswith(og) and h[len(og)] in "\"“”'‘’「」『』"), og)
    matching = [h for h in h1s if head and (norm(h) in norm(head) or norm(head) in norm(h))]
    matching += [h for h in subheads if not h1s and _opens_or_closes(h, page_title)]
    candidates = (og, *matching, *h1s, _first(meta, "ld:headline", "twitter:title"),
                  _strip_site_parts(head, sites))
    found = next((c for c in map(clean_line, filter(None, candidates))
                  if c and norm(c) not in sites), "")
    return _PAGE_MARK.sub("", found) or found


# the page of a paged article or thread: 'Headline(页 1)', 'Headline（第2页）'
_PAGE_MARK = re.compile(r"\s*[(（]\s*(?:第\s*\d+\s*[页頁]|[页頁]\s*\d+)\s*[)）]\s*$")
