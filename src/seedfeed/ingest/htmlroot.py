"""Where the article is on an HTML page: its headline (``<h1>``, title-classed elements, the
line over the text) and the element holding its body (``articleBody``, ``<article>``,
``<main>``, else the parent of most paragraph text, limited to the story under the headline).

Finds elements; the only change it makes to the tree is joining a body split by an ad slot
and dropping the headline from the body. It reads no metadata and sanitises nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html

from . import textrules as rules
from .clean import clean_line
from .dates import DATE_PATTERN
from .htmlfurniture import (
    FURNITURE,
    PAGE,
    PROSE,
    class_words,
    in_chrome,
    is_chrome,
    is_widget_heading,
    leaf_blocks,
    link_share,
    squashed,
    text_len,
)
from .htmllines import loose_text
from .htmlmeta import _meta_fields
from .sanitize import _BLOCKS, _squash
from .titles import TITLE_SEPS as _TITLE_SEPS
from .titles import norm as _norm


def content_root(doc: lxml.html.HtmlElement, headline=None,
                  leaves: list[lxml.html.HtmlElement] | None = None) -> lxml.html.HtmlElement:
    """articleBody, the wordiest <article>, <main>; else the parent of most paragraph text.
    Only the story under the headline counts: a second article after it (infinite scroll,
    'next article') or a sidebar before it is not the article. A summary block right
    before that element moves in as its first paragraph."""
    root = _find_root(doc, headline, leaves)
    _take_lead(root)
    return root


# class/id words of an article's summary block ('art_summary', 'lead', 'article-abstract')
_LEAD_WORDS = {"summary", "lead", "abstract", "standfirst", "dek", "excerpt", "digest"}


def _take_lead(root: lxml.html.HtmlElement) -> None:
    """The summary typed over the text (核心提示：…, a standfirst) opens the article."""
    lead = root.getprevious()
    while lead is not None and not (isinstance(lead.tag, str) and text_len(lead)):
        lead = lead.getprevious()  # past empty blocks and comments
    if (lead is None or not _LEAD_WORDS & class_words(lead) or in_chrome(lead)
            or not PROSE.search(squashed(lead)) or _meta_fields(squashed(lead))
            or any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in lead.iterdescendants())
            or (lead.tail or "").strip()):
        return
    lead.tag = "p"  # a <div> of text, now the first paragraph
    lead.tail, root.text = root.text, None  # the text the element opened with follows it
    root.insert(0, lead)
    PAGE.tree_changed()


def _find_root(doc: lxml.html.HtmlElement, headline,
               leaves: list[lxml.html.HtmlElement] | None) -> lxml.html.HtmlElement:
    story = _story_filter(doc, headline)
    for query in ("//*[@itemprop='articleBody']", "//article", "//main | //*[@role='main']"):
        if found := story([el for el in doc.xpath(query) if not in_chrome(el)]):
            return max(found, key=lambda el: sum(map(text_len, el.iter("p"))) or text_len(el))
    scores: dict[lxml.html.HtmlElement, int] = {}
    for leaf in text_leaves(doc) if leaves is None else leaves:
        if (parent := leaf.getparent()) is not None:
            scores[parent] = scores.get(parent, 0) + text_len(leaf)
    if best := story([el for el, n in scores.items() if n]):
        return _join_continuation(max(best, key=scores.__getitem__), scores)
    body = doc.find("body")
    return doc if body is None else body


def text_leaves(doc: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """Paragraphs, and blocks of text laid out without <p> (a <div> or table cell holding
    only text, or text beside empty blocks such as an ad slot), that read as article text:
    not page furniture, not a meta, legal or counter line, not links."""
    for el in doc.iter("p", "div", "td", "section"):  # WeChat-style bodies type text into <section>s
        if el.tag != "p" and any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el) and not (
                PROSE.search(loose_text(el)) and not any(
                    isinstance(c.tag, str) and c.tag in _BLOCKS and squashed(c) for c in el)):
            continue  # blocks inside, unless they are empty (an ad slot) beside prose of its own
        text = squashed(el)
        if el.tag != "p" and not PROSE.search(text):
            continue  # a headline, a label, a name: text outside <p> counts only as sentences
        if (not text or in_chrome(el) or _meta_fields(text) or rules.LEGAL.search(text)
                or FURNITURE.match(text) or link_share(el, text) > 0.5):
            continue
        yield el


def _story_filter(doc: lxml.html.HtmlElement, headline):
    """Drop candidates that belong to another story: after a later, different <h1> (infinite
    scroll, 'next article'), or opening with one. Subheads inside the body do not count."""
    if headline is None:
        return lambda found: found
    order = {el: i for i, el in enumerate(doc.iter())}
    start, want = order.get(headline, 0), _norm(headline.text_content())
    # a blog's page of posts: the next post opens with a title marked up like this one's
    # (not its date or an icon beside it in a cell of the same class)
    tag, cls = headline.tag, headline.get("class")
    later = [h for h in doc.iter("h1", tag) if order.get(h, 0) > start and not in_chrome(h)
             and (h.tag == "h1" or cls and h.get("class") == cls and _norm(h.text_content())
                  and not _meta_fields(squashed(h)))
             and _norm(h.text_content()) != want]  # a sticky header may repeat the headline

    first_later = min((order[h] for h in later), default=len(order))
    around = set(headline.iterancestors())
    holders = {h: set(h.iterancestors()) for h in later}

    def other_story(el: lxml.html.HtmlElement) -> bool:
        at = order.get(el, 0)
        if el in around or at < start:
            return False
        if at > first_later:
            return True
        inside = [h for h in later if el in holders[h]]
        if not inside:
            return False
        # the element opens with that headline (no text before it): it is that story
        return not any(text_len(c) for c in el.iterdescendants()
                       if order.get(c, 0) < order[inside[0]] and c not in holders[inside[0]])

    def keep(found: list) -> list:
        return [el for el in found if not other_story(el)] or found
    return keep


def _join_continuation(root: lxml.html.HtmlElement,
                       scores: dict[lxml.html.HtmlElement, int]) -> lxml.html.HtmlElement:
    """Blocks like the root (same tag and class) beside it: right next to it they are the
    article's other paragraphs, or the other items of a list, so the parent is the article
    element; past an ad slot they are the rest of a split body and move into the root."""
    def like(el: lxml.html.HtmlElement | None) -> bool:
        return (el is not None and el.tag == root.tag and el.get("class") == root.get("class")
                and bool(text_len(el)))
    if not root.get("class"):
        # unnamed <div>s beside each other are any page's layout, unless they too hold
        # paragraphs: then each holds a piece of the body (one <div> per paragraph)
        prose = [el for el in (root.getprevious(), root.getnext()) if el is not None
                 and el.tag == root.tag and not el.get("class") and scores.get(el, 0) >= 30]
        parent = root.getparent()
        return parent if prose and parent is not None and parent.tag != "body" else root
    parent = root.getparent()
    if parent is not None and (like(root.getnext()) or like(root.getprevious())):
        return parent
    sibling, between = root.getnext(), 0
    while sibling is not None:
        following = sibling.getnext()
        if like(sibling) and between:
            for child in list(sibling):
                root.append(child)
            sibling.getparent().remove(sibling)
            PAGE.tree_changed()
        elif isinstance(sibling.tag, str) and text_len(sibling) > 30:
            break
        between += 1
        sibling = following
    return root


def title_element(doc: lxml.html.HtmlElement, title: str) -> lxml.html.HtmlElement | None:
    """The visible headline: the first non-chrome element whose text is the title."""
    want = _norm(title)
    for el in doc.iter("h1", "h2", "h3", "div", "p", "td", "span", "strong", "b", "font"):
        # the cheap test on the opening text first (the element's own, else its first
        # child's: <strong><fltitle>…): text_content() of every element would be quadratic
        opening = el.text or (el[0].text if len(el) and not (el.text or "").strip() else "")
        if (_norm(opening or "")[:4] == want[:4] and _norm(el.text_content()) == want
                and not in_chrome(el)):
            return el
    return None


def headline_before(root: lxml.html.HtmlElement) -> str:
    """The short line just before the article's first paragraph that reads as a headline
    (no sentence, no date, no label, not furniture): table-layout pages whose <title> and
    metadata give only the site's name."""
    first = next((el for el in leaf_blocks(root) if text_len(el) > 40), root)
    seen = 0
    for node in [first, *first.iterancestors()]:
        for sib in node.itersiblings(preceding=True):
            blocks = [el for el in sib.iter() if isinstance(el.tag, str)
                      and el.tag in _LINE_TAGS and not in_chrome(el) and not any(
                          isinstance(c.tag, str) and c.tag in _BLOCKS for c in el.iterdescendants())]
            for el in reversed(blocks):
                text = clean_line(el.text_content())
                if not _norm(text):
                    continue
                if _reads_as_headline(el, text):
                    return text
                seen += 1
                if seen > 12:
                    return ""
    return ""


# a view counter beside the headline: '237 點擊數', '阅读 1024'
_COUNTER = re.compile(r"\d+\s*(?:[点點][击擊]|[浏瀏][览覽]|[阅閱][读讀]|人[气氣]|次)|"
                      r"(?:[点點][击擊]|[浏瀏][览覽]|[阅閱][读讀])[数數量]?\s*[:：]?\s*\d+|\bviews?\b",
                      re.IGNORECASE)


_LINE_TAGS = _BLOCKS | {"h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "span", "font", "strong", "b"}


def _reads_as_headline(el: lxml.html.HtmlElement, text: str) -> bool:
    size, words = len(_norm(text)), len(re.findall(r"[\u4e00-\u9fff]|[A-Za-z]+", text))
    return (6 <= size <= 60 and words >= 5 and not re.search(r"[。！？；]", text)
            and not _COUNTER.search(text) and not _meta_fields(text)
            and not DATE_PATTERN.search(text) and not FURNITURE.match(_squash(text))
            and not is_widget_heading(text) and link_share(el, _squash(text)) < 0.5)


def meta_scope(root: lxml.html.HtmlElement, headline) -> lxml.html.HtmlElement:
    """The article plus its headline block: the nearest ancestor shared by both."""
    if headline is None:
        return root
    around_root = {root, *root.iterancestors()}
    return next((el for el in [headline, *headline.iterancestors()] if el in around_root), root)


# elements classed or named as a title ('title', 'news-title', 'art_title') or a headline:
# a cheap XPath narrows (translate/concat over every element cost ~10 ms a page), Python checks
_TITLE_CLASS = "//*[contains(@class, 'itle') or contains(@id, 'itle') or contains(@class, 'headline')]"


def _title_classed(doc: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return [el for el in doc.xpath(_TITLE_CLASS)
            if "title" in class_words(el) or "headline" in (el.get("class") or "")]


def headings(doc: lxml.html.HtmlElement, page_title: str) -> list[str]:
    """Texts of the page's <h1>s, else of elements classed as a title (table-layout CMSes):
    those the <title> repeats first; never a widget's heading (評論(0), 友情鏈接)."""
    found = [_heading_text(h) for h in doc.iter("h1") if not in_chrome(h)]
    found = [h for h in found if h and not is_widget_heading(h)]
    if found:
        return found
    titled = [_heading_text(el) for el in _title_classed(doc)
              if 4 <= text_len(el) <= 120 and not in_chrome(el)]
    titled = [t for t in titled if t and not is_widget_heading(t)]
    page = _norm(page_title)
    # a <title> longer than a site name is the better guess than a box's heading
    longest = max((_norm(p) for p in _TITLE_SEPS.split(page_title)), key=len, default="")
    headline_like = len(longest) > 12 and re.search(r"[\u4e00-\u9fff]", longest)
    return [t for t in titled if _norm(t) in page] or ([] if headline_like else titled)


def _heading_text(el: lxml.html.HtmlElement) -> str:
    """The headline without what its container also holds: a date, a meta line, a share bar."""
    if not len(el):
        return clean_line(el.text_content())
    parts = [el.text or ""]
    for child in el:
        text = _squash(child.text_content()) if isinstance(child.tag, str) else ""
        if not (text and (_meta_fields(text) or FURNITURE.match(text) or is_chrome(child)
                          or child.tag in _BLOCKS and DATE_PATTERN.search(text))):
            parts.append(child.text_content() if isinstance(child.tag, str) else "")
        parts.append(child.tail or "")
    return clean_line("".join(parts))


def drop_headline(root: lxml.html.HtmlElement, headline, title: str) -> None:
    """The headline is the title, not body text."""
    want = _norm(title)
    doomed = [h for h in root.iter("h1") if (text := _norm(h.text_content())) in want
              or want in text]  # '标题（图）' vs og:title '标题'; empty headings go too
    if headline is not None and headline is not root and root in headline.iterancestors():
        doomed.append(headline)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()

