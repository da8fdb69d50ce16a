"""HTML seeds: one saved news page -> Article.

It finds the article inside the page (``<article>``, ``[itemprop=articleBody]``, ``<main>``,
else the element holding most paragraph text), reads metadata from ``<head>`` (Open Graph,
``article:*``, JSON-LD, ``<html lang>``, canonical link) and from visible meta lines inside
the article (``来源：… 作者：… 责任编辑：…``), drops page furniture, and sanitises the body.

Nothing reaches ``content_html`` or ``paragraphs`` without passing nh3 (sanitize.py). It must
not know any particular site: every rule is about HTML structure, standard metadata or
generic Chinese/English meta labels.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import tzinfo
from functools import lru_cache

import lxml.html
from lxml import etree

from ..errors import SeedError
from ..model import Article
from . import textrules as rules
from .bylines import bare_name, body_byline, page_editors
from .clean import clean_line
from .dateline import date_after, dateline_near
from .dates import DATE_PATTERN
from .htmlmeta import _head_meta, _links, _meta_fields, _metadata, declared_image
from .pagekind import LINKED_HEADLINES, body_warnings, check_kind, check_teaser_page, check_text, prose_chars
from .sanitize import _BLOCKS, _inner_html, _squash, clean_urls, drop_unseen, html_paragraphs, sanitise_html
from .scraped import dateline_author
from .titles import TITLE_SEPS as _TITLE_SEPS
from .titles import looks_like_site, page_title_parts, title_of
from .titles import norm as _norm

# --- finding the article -------------------------------------------------------------------

# class/id words of page furniture, matched as whole words of "related-news", "share_box"…
_CHROME_WORDS = {
    "breadcrumb", "breadcrumbs", "crumb", "crumbs", "share", "sharing", "social", "related",
    "recommend", "recommended", "comment", "comments", "sidebar", "advert", "advertisement",
    "ad", "ads", "banner", "toolbar", "pagination", "pager", "copyright", "nav", "navbar", "menu",
    "subscribe", "newsletter", "sr", "popup", "modal", "cookie", "logo", "tags", "tag", "taxonomy",
}  # not 'hidden' (Tailwind's overflow-hidden) nor 'print' (print-area holds the article)
_CHROME_TAGS = ("nav", "aside", "footer")
# Short blocks that are widgets or page furniture whatever their markup; the word must end
# there ('分享到：', 'Related stories'), so '打印机…' or 'shareholders…' stay body text.
_FURNITURE = re.compile(
    r"^[\s【\[]*(?:分享[到至]?|打印(?:本[页頁]|此[页頁])?|字[体體号號]|上一篇|下一篇|版[权權]所有|"
    r"[扫掃]一[扫掃]|[关關][闭閉]窗口|相[关關](?:新[闻聞]|[阅閱][读讀]|[链鏈]接|推荐|推薦|文章|报道|報道)|"
    r"推[荐薦][阅閱][读讀]|延伸[阅閱][读讀]|返回[顶頂]部|[当當]前位置|您的位置|你的位置|"
    r"copyright|related|read more|share(?: this)?|[关關][键鍵][字词詞]|[标標][签籤]|tags?)"
    r"(?=$|[\s:：】\]|｜>»©])"
    r"|^(?:\d+\s*)+(?:下一[页頁]|尾[页頁]|末[页頁])$"  # pagination: 1234下一页
    # relative timestamps are the page's clock, not the article's: 'Published 3 hours ago'
    r"|^(?:published|updated|posted)?\s*\d+\s*(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)"
    r"\s+ago$|^\d+\s*(?:秒|分[钟鐘]|小[时時]|天)前$", re.IGNORECASE)
# class/id words of a post's byline/date block (WordPress 'entry-meta', 'byline', 'posted-on'):
# read for meta lines first, then dropped when short, so 'Posted on … by …' is never body text.
_META_BLOCK_WORDS = {"byline", "dateline", "meta", "posted", "timestamp", "vcard", "updatetime",
                     "pubtime", "publish", "author"}
# The end of a release (完 / END), after which only its date and time line may follow.
_END_MARK = re.compile(r"^[（(【\[]?\s*(?:完|全文完|end|ends)\s*[）)】\]]?$", re.IGNORECASE)
_CONTAINERS = {"div", "section", "article", "main", "header", "footer", "body", "ul", "ol",
               "table", "tbody", "thead", "tr", "dl", "blockquote", "figure", "form", "center"}


def _words(el: lxml.html.HtmlElement) -> frozenset[str]:
    # data-component names page parts on React/Next sites as class names do elsewhere
    return _split_words(f"{el.get('class', '')} {el.get('id', '')} {el.get('data-component', '')}")


@lru_cache(maxsize=4096)  # every element is asked several times; pages repeat their classes
def _split_words(names: str) -> frozenset[str]:
    return frozenset(re.split(r"[\s_\-]+", names.lower()))


class _PageState(threading.local):
    """Per-parse memo: whether an element is (inside) furniture, and the page's text size."""

    def __init__(self) -> None:
        self.reset(0)

    def reset(self, page_len: int) -> None:
        self.inside: dict[lxml.html.HtmlElement, bool] = {}
        self.own: dict[lxml.html.HtmlElement, bool] = {}
        self.page_len = page_len


_STATE = _PageState()


def _is_chrome(el: lxml.html.HtmlElement) -> bool:
    memo = _STATE.own
    if (known := memo.get(el)) is None:
        known = memo[el] = _chrome_now(el)
    return known


def _chrome_now(el: lxml.html.HtmlElement) -> bool:
    if el.tag in _CHROME_TAGS or el.get("role") in ("navigation", "complementary"):
        return True
    # A class word marks furniture ('share-box', 'nav'), unless the element holds most of the
    # page's text: a page-wide wrapper 'nav-open', WordPress's 'tag-…' classes on <article>,
    # an 'article_share_area' around the body.
    found = _CHROME_WORDS.intersection(_words(el))
    if not found or _STATE.page_len and _text_len(el) * 2 > _STATE.page_len:
        return False
    # a widget word that never holds prose ('share', 'toolbar') on an element that does
    # hold some: a template's wrapper around the body, not the widget
    return not (found <= _PROSE_FREE_WORDS and _holds_prose(el))


# furniture that never holds paragraphs of its own (comments and related boxes may)
_PROSE_FREE_WORDS = {"share", "sharing", "social", "toolbar", "print", "banner", "logo",
                     "breadcrumb", "breadcrumbs", "crumb", "crumbs", "subscribe", "newsletter"}


def _holds_prose(el: lxml.html.HtmlElement) -> bool:
    text = _squash(el.text_content())
    return (len(text) >= 150 and len(re.findall(r"[。！？]", text)) >= 3
            and _link_share(el, text) < 0.3)


def _in_chrome(el: lxml.html.HtmlElement) -> bool:
    memo = _STATE.inside
    chain = []  # iterative: hostile pages nest deeper than Python's stack
    node: lxml.html.HtmlElement | None = el
    while node is not None and node not in memo:
        chain.append(node)
        node = node.getparent()
    found = memo[node] if node is not None else False
    for node in reversed(chain):
        found = memo[node] = found or _is_chrome(node)
    return found


def _text_len(el: lxml.html.HtmlElement) -> int:
    return len(_squash(el.text_content()))


def _content_root(doc: lxml.html.HtmlElement, headline=None,
                  leaves: list[lxml.html.HtmlElement] | None = None) -> lxml.html.HtmlElement:
    """articleBody, the wordiest <article>, <main>; else the parent of most paragraph text.
    Only the story under the headline counts: a second article after it (infinite scroll,
    'next article') or a sidebar before it is not the article."""
    story = _story_filter(doc, headline)
    for query in ("//*[@itemprop='articleBody']", "//article", "//main | //*[@role='main']"):
        if found := story([el for el in doc.xpath(query) if not _in_chrome(el)]):
            return max(found, key=lambda el: sum(map(_text_len, el.iter("p"))) or _text_len(el))
    scores: dict[lxml.html.HtmlElement, int] = {}
    for leaf in _text_leaves(doc) if leaves is None else leaves:
        if (parent := leaf.getparent()) is not None:
            scores[parent] = scores.get(parent, 0) + _text_len(leaf)
    if best := story([el for el, n in scores.items() if n]):
        return _join_continuation(max(best, key=scores.__getitem__), scores)
    body = doc.find("body")
    return doc if body is None else body


def _text_leaves(doc: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """Paragraphs, and blocks of text laid out without <p> (a <div> holding only text), that
    read as article text: not page furniture, not a meta, legal or counter line, not links."""
    for el in doc.iter("p", "div", "td"):
        if el.tag != "p" and any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el):
            continue
        text = _squash(el.text_content())
        if el.tag != "p" and not _PROSE.search(text):
            continue  # a headline, a label, a name: text outside <p> counts only as sentences
        if (not text or _in_chrome(el) or _meta_fields(text) or rules.LEGAL.search(text)
                or _FURNITURE.match(text) or _link_share(el, text) > 0.5):
            continue
        yield el


_PROSE = re.compile(r"[。！？；，][^。！？；，]|[.!?;,]\s")


def _link_share(el: lxml.html.HtmlElement, text: str) -> float:
    linked = sum(len(_squash(a.text_content())) for a in el.iter("a"))
    return linked / max(1, len(text))


def _story_filter(doc: lxml.html.HtmlElement, headline):
    """Drop candidates that belong to another story: after a later, different <h1> (infinite
    scroll, 'next article'), or opening with one. Subheads inside the body do not count."""
    if headline is None:
        return lambda found: found
    order = {el: i for i, el in enumerate(doc.iter())}
    start, want = order.get(headline, 0), _norm(headline.text_content())
    later = [h for h in doc.iter("h1") if order.get(h, 0) > start and not _in_chrome(h)
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
        return not any(_text_len(c) for c in el.iterdescendants()
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
                and bool(_text_len(el)))
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
        elif isinstance(sibling.tag, str) and _text_len(sibling) > 30:
            break
        between += 1
        sibling = following
    return root


def _title_element(doc: lxml.html.HtmlElement, title: str) -> lxml.html.HtmlElement | None:
    """The visible headline: the first non-chrome element whose text is the title."""
    want = _norm(title)
    for el in doc.iter("h1", "h2", "h3", "div", "p", "td", "span", "strong", "b", "font"):
        # the cheap test on el.text first: text_content() of every element would be quadratic
        if (_norm(el.text or "")[:4] == want[:4] and _norm(el.text_content()) == want
                and not _in_chrome(el)):
            return el
    return None


def _headline_before(root: lxml.html.HtmlElement) -> str:
    """The short line just before the article's first paragraph that reads as a headline
    (no sentence, no date, no label, not furniture): table-layout pages whose <title> and
    metadata give only the site's name."""
    first = next((el for el in _leaves(root) if _text_len(el) > 40), root)
    seen = 0
    for node in [first, *first.iterancestors()]:
        for sib in node.itersiblings(preceding=True):
            blocks = [el for el in sib.iter() if isinstance(el.tag, str)
                      and el.tag in _LINE_TAGS and not _in_chrome(el) and not any(
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
            and not DATE_PATTERN.search(text) and not _FURNITURE.match(_squash(text))
            and not _is_widget_heading(text) and _link_share(el, _squash(text)) < 0.5)


def _meta_scope(root: lxml.html.HtmlElement, headline) -> lxml.html.HtmlElement:
    """The article plus its headline block: the nearest ancestor shared by both."""
    if headline is None:
        return root
    around_root = {root, *root.iterancestors()}
    return next((el for el in [headline, *headline.iterancestors()] if el in around_root), root)


def _drop_chrome(root: lxml.html.HtmlElement) -> None:
    doomed = [el for el in root.iterdescendants() if isinstance(el.tag, str) and (
        _is_chrome(el) or _is_link_list(el) or _is_leftover_meta(el) or _is_decoration(el)
        or ((el.tag not in _CONTAINERS or not any(
                isinstance(c.tag, str) and c.tag in _BLOCKS for c in el.iterdescendants()))
            and len(text := _squash(el.text_content())) < 80 and _FURNITURE.match(text))
        or (el.tag == "p" and len(el.text_content()) < 100
            and rules.LEGAL.search(el.text_content()))  # '专稿，未经书面授权请勿转载。'
        # a footnote's back-reference (↩) is navigation, not text
        or (el.tag == "a" and (el.get("href") or "").startswith("#")
            and _squash(el.text_content()) in ("↩", "↩︎", "↑", "^", "⤴")))]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _is_leftover_meta(el: lxml.html.HtmlElement) -> bool:
    """A short byline/date block that meta-line reading left ('Posted on June 1 by Jane')."""
    return (bool(_META_BLOCK_WORDS.intersection(_words(el))) and _text_len(el) < 120
            and not re.search(r"[。！？]", el.text_content()))


def _is_decoration(el: lxml.html.HtmlElement) -> bool:
    """A separator block of stars or dashes (＊＊＊＊): no word, no image."""
    return (el.tag in ("p", "div", "center") and not re.search(r"\w", el.text_content())
            and next(el.iter("img", "table", "video", "audio"), None) is None)


def _trim_edges(root: lxml.html.HtmlElement) -> tuple[list[str], list[str]]:
    """Drop the short lines without a sentence that open or close the article element
    (counters, font-size buttons, menus, 'read more', related links, footers sharing the
    body's element); return their texts (opening, closing), which may still name the
    reporters. Nothing is dropped when no line reads as a sentence."""
    leaves = _leaves(root)
    texts = [clean_line(el.text_content()) for el in leaves]
    real = [i for i, t in enumerate(texts) if not _edge_line(t)]
    if not real:
        return [], []
    for el in leaves[: real[0]] + leaves[real[-1] + 1:]:
        if el.getparent() is not None:
            el.drop_tree()
    return texts[: real[0]], texts[real[-1] + 1:]


_EDGE_LINE_MAX = 160  # characters; longer lines are text even without a full stop
_CLAUSE = re.compile(r"[。！？!?，,；;]|[A-Za-z0-9)”\"][.](?:\s|$)")
_TEASER_CUT = re.compile(r"(?:\.\.\.|…)\s*$")  # '明年經濟會怎樣？ IHS水晶球...'


# a linked headline with its date, as lists of related stories print them:
# '·蔡依林出新碟 (2005-04-27 18:03PM)', '廉署推廉潔選舉教育 2014-11-13 (17:13)'
_DATED_ITEM = re.compile(r"(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}\s*(?:[(（]?\d{1,2}:\d\d\s*(?:[AaPp][Mm])?"
                         r"[)）]?)?\s*[)）]?\s*$")
_DATED_ITEM_MAX = 80
# a photo caption closing on its credit: '…（圖︰某某提供）', '…(图/记者 王明 摄)'
_NOT_BRACKET = r"[^（()）﹝﹞〔〕\[\]]"
_PHOTO_CREDIT = re.compile(
    r"[（(﹝〔\[]\s*(?:[圖图]|照片|photo|[摄攝]影)\s*[:：︰/／]?" + _NOT_BRACKET + r"{0,16}[）)﹞〕\]]\s*$"
    r"|[（(﹝〔\[]" + _NOT_BRACKET + r"{1,16}(?:提供|[摄攝])[）)﹞〕\]]\s*$", re.IGNORECASE)


def _edge_line(text: str) -> bool:
    squashed = _squash(text)
    if len(squashed) <= rules.LEGAL_MAX and rules.LEGAL.search(squashed):
        return True
    if _TEASER_CUT.search(text) or len(squashed) < _DATED_ITEM_MAX and _DATED_ITEM.search(text):
        return True
    if len(squashed) < _EDGE_LINE_MAX and _PHOTO_CREDIT.search(text):
        return True
    return len(squashed) < _EDGE_LINE_MAX and not _CLAUSE.search(text)


def _split_br_runs(doc: lxml.html.HtmlElement) -> None:
    """Text laid out with <br> (press releases, old CMSes) or with line breaks in a <pre>
    becomes one <p> per line, so that paragraphs, meta lines and an end mark are elements
    like everywhere else."""
    for pre in list(doc.iter("pre")):
        text = pre.text_content()
        if len(pre) == 0 and len(re.findall(r"[。！？]", text)) >= 2:  # prose, not code
            pre.text, pre.tag = None, "div"
            for line in filter(None, map(str.strip, text.splitlines())):
                etree.SubElement(pre, "p").text = line
    for el in list(doc.iter("div", "td", "p", "span", "font")):
        if sum(1 for c in el if c.tag == "br") < 2:
            continue
        if any(isinstance(d.tag, str) and d.tag in _BLOCKS for d in el.iterdescendants()):
            if el.tag in ("div", "td") and _PROSE.search(_loose_text(el)):
                _wrap_loose_runs(el)
            continue
        _wrap_loose_runs(el)  # no blocks inside: every line becomes a <p>
        if el.tag in ("p", "span", "font"):
            el.tag = "div"  # a paragraph (or inline element) cannot hold paragraphs


def _loose_text(el: lxml.html.HtmlElement) -> str:
    """The text an element holds outside its children (its own text and their tails)."""
    return (el.text or "") + "".join(c.tail or "" for c in el)


def _wrap_loose_runs(el: lxml.html.HtmlElement) -> None:
    """A body typed straight into a layout <div> beside its other blocks (an image box, a
    font-size bar), lines split by <br>: each line becomes a <p>; the blocks stay."""
    items: list[str | lxml.html.HtmlElement] = [el.text or ""]
    for child in list(el):
        tail, child.tail = child.tail or "", None
        el.remove(child)
        items += [child, tail]
    el.text = None
    line: list[str | lxml.html.HtmlElement] = []
    for item in [*items, None]:
        is_block = isinstance(item, etree._Element) and isinstance(item.tag, str) and (
            item.tag in _BLOCKS or item.tag == "br")
        if item is not None and not is_block:
            line.append(item)
            continue
        if any(x.strip() if isinstance(x, str) else True for x in line):
            el.append(_paragraph(line))
        line = []
        if is_block and isinstance(item, etree._Element) and item.tag != "br":
            el.append(item)


def _paragraph(parts: list[str | lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    para = lxml.html.Element("p")
    last = None
    for part in parts:
        if isinstance(part, str):
            if last is None:
                para.text = (para.text or "") + part
            else:
                last.tail = (last.tail or "") + part
        else:
            para.append(part)
            last = part
    return para


def _leaves(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Blocks holding no other block, in document order (one pass, not one per block)."""
    blocks = list(root.iter(*_BLOCKS))
    inner = {a for el in blocks for a in el.iterancestors()}
    return [el for el in blocks if el not in inner and _text_len(el)]


def _cut_after_end_mark(root: lxml.html.HtmlElement) -> list[str]:
    """Drop an end mark (完, END) and the short lines after it; return their text (a press
    release gives its date there: 完 / 2024年10月8日（星期二） / 香港時間16時30分)."""
    leaves = _leaves(root)
    at = next((i for i, el in enumerate(leaves) if _END_MARK.match(_squash(el.text_content()))),
              None)
    if at is None or any(_text_len(el) > 40 for el in leaves[at + 1:]):
        return []
    for el in leaves[at:]:
        if el.getparent() is not None:
            el.drop_tree()
    return [" ".join(_squash(el.text_content()) for el in leaves[at + 1:])]


def _take_inline_editor(root: lxml.html.HtmlElement) -> list[str]:
    """'……。（编辑：王明）' closing the last paragraph: the editor, not body text."""
    leaves = [el for el in _leaves(root) if not _in_chrome(el)]  # not a tag list after it
    if not leaves:
        return []
    last = leaves[-1]
    owner, attr = (last[-1], "tail") if len(last) else (last, "text")
    text = getattr(owner, attr) or ""
    if m := rules.INLINE_EDITOR.search(text.rstrip()):
        setattr(owner, attr, text[: m.start()])
        return [m.group(1).strip()]
    return []


# Cheap XPath filters (no translate() over every element); Python checks the words.
_VCARD_XPATH = (".//*[contains(@rel, 'uthor') or contains(@rel, 'UTHOR') or contains(@class, 'fn')"
                " or contains(@id, 'fn') or contains(@data-component, 'fn')]")
_BYLINE_XPATH = (".//*[contains(@class, 'yline') or contains(@class, 'YLINE') or contains(@id, 'yline')"
                 " or contains(@data-component, 'yline')]")


def _vcard_authors(scope: lxml.html.HtmlElement) -> list[str]:
    """Author names marked up as such: rel=author links, hCard 'author vcard … fn' (WordPress)."""
    # XPath narrows the walk to elements whose attributes mention the words (in C)
    found = [el for el in scope.xpath(_VCARD_XPATH) if (
        "author" in (el.get("rel") or "").split()
        or "fn" in _words(el) and any("author" in _words(a) for a in el.iterancestors()))
        and not _in_chrome(el)]
    names = [_squash(el.text_content()) for el in found]
    for block in scope.xpath(_BYLINE_XPATH):  # a byline block whose first line is 'By Jane Doe'
        if "byline" in _words(block) and not _in_chrome(block):
            names += [m.group(1) for el in block.iter() if el.text and
                      (m := re.match(r"^\s*[Bb]y\s+([A-Z][\w .'-]{1,40}?)\s*$", el.text))]
    return list(dict.fromkeys(n for n in names if 0 < len(n) <= 40))


def _is_link_list(el: lxml.html.HtmlElement) -> bool:
    """A list whose every item is only a link: related/more-news lists, not article text."""
    items = el.findall("li") if el.tag in ("ul", "ol") else []
    return len(items) >= 2 and all(
        _squash(li.text_content()) == _squash("".join(a.text_content() for a in li.iter("a")))
        for li in items)


def _take_meta_lines(scope: lxml.html.HtmlElement, root: lxml.html.HtmlElement
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
        if _is_chrome(el) and not (el.tag == "footer" and root in el.iterancestors()):
            continue  # an article's own <footer> often holds '责任编辑：…'; a page's never
        leaf = el is not scope and not any(
            isinstance(d.tag, str) and d.tag in _BLOCKS for d in el.iterdescendants())
        fields = _meta_fields(el.text_content()) if leaf else None
        if leaf and not fields and _text_len(el) <= 40 and (names := _byline_alone(el)):
            fields = {"author": names}  # a bracketed byline of its own: 【X報╱記者Y╱即時報導】
        if fields and not (in_body and fields.keys() == {"date"}):
            for key, value in fields.items():
                found.setdefault(key, []).append(value)
            el.drop_tree()
        elif not leaf:
            stack.extend(reversed(el))
        elif leaf and _text_len(el) > 40:
            in_body = True
    return found


def _byline_alone(el: lxml.html.HtmlElement) -> str | None:
    text = _squash(el.text_content())
    m = rules.DATELINE_BYLINE.match(text)
    return dateline_author(text) if m and m.end() >= len(text) - 1 else None


# --- assembling ----------------------------------------------------------------------------

# elements classed or named as a title ('title', 'news-title', 'art_title') or a headline:
# a cheap XPath narrows (translate/concat over every element cost ~10 ms a page), Python checks
_TITLE_CLASS = "//*[contains(@class, 'itle') or contains(@id, 'itle') or contains(@class, 'headline')]"


def _title_classed(doc: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return [el for el in doc.xpath(_TITLE_CLASS)
            if "title" in _words(el) or "headline" in (el.get("class") or "")]


def _parse_document(text: str) -> lxml.html.HtmlElement:
    # Bytes + explicit UTF-8: a stale <meta charset=gbk> or <?xml encoding?> must not re-decode.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        doc = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise SeedError(f"the HTML page cannot be parsed ({e})") from e
    if doc is None:
        raise SeedError("the HTML page is empty")
    return doc


def _headings(doc: lxml.html.HtmlElement, page_title: str) -> list[str]:
    """Texts of the page's <h1>s, else of elements classed as a title (table-layout CMSes):
    those the <title> repeats first; never a widget's heading (評論(0), 友情鏈接)."""
    found = [_heading_text(h) for h in doc.iter("h1") if not _in_chrome(h)]
    found = [h for h in found if h and not _is_widget_heading(h)]
    if found:
        return found
    titled = [_heading_text(el) for el in _title_classed(doc)
              if 4 <= _text_len(el) <= 120 and not _in_chrome(el)]
    titled = [t for t in titled if t and not _is_widget_heading(t)]
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
        if not (text and (_meta_fields(text) or _FURNITURE.match(text) or _is_chrome(child)
                          or child.tag in _BLOCKS and DATE_PATTERN.search(text))):
            parts.append(child.text_content() if isinstance(child.tag, str) else "")
        parts.append(child.tail or "")
    return clean_line("".join(parts))


# Headings of page widgets: a count in brackets, or a short box title (友情链接, APP推荐).
_WIDGET_HEADING = re.compile(
    r"[(（]\d*[)）]\s*$|^\S{0,8}(?:[链鏈]接|推荐|推薦|排行|下[载載]|[热熱]点|[热熱][门門]|[关關]注|"
    r"[评評]论|[评評]論|[专專]题|[导導][读讀]|[阅閱][读讀]|[视視][频頻]|[图圖]片|精选|精選)\s*[>»]*$")


def _is_widget_heading(text: str) -> bool:
    return len(text) <= 12 and bool(_WIDGET_HEADING.search(text) or _FURNITURE.match(text))


def _drop_headline(root: lxml.html.HtmlElement, headline, title: str) -> None:
    """The headline is the title, not body text."""
    want = _norm(title)
    doomed = [h for h in root.iter("h1") if (text := _norm(h.text_content())) in want
              or want in text]  # '标题（图）' vs og:title '标题'; empty headings go too
    if headline is not None and headline is not root and root in headline.iterancestors():
        doomed.append(headline)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


class _NoText(SeedError):
    """A title but no article text: perhaps the body waits for a script to show it."""


_SCRIPT_SHOWN = re.compile(r"visibility\s*:\s*hidden|opacity\s*:\s*0(?![.\d])", re.IGNORECASE)


def parse_html(text: str, zone: tzinfo) -> Article:
    """Parse one HTML page. Raises SeedError when it has no title or no article text."""
    try:
        return _parse_page(text, zone, reveal=False)
    except _NoText:
        # Some CMSes ship the article with visibility:hidden and let a script show it; a
        # browser without scripts shows nothing, but the text is the article.
        article = _parse_page(text, zone, reveal=True)
        note = "the article text is hidden on the page until a script shows it"
        return replace(article, warnings=(*article.warnings, note))


def _reveal(doc: lxml.html.HtmlElement) -> None:
    for el in doc.xpath("//*[@style]"):
        if _SCRIPT_SHOWN.search(el.get("style", "")) and not _HIDDEN_DISPLAY.search(el.get("style", "")):
            del el.attrib["style"]


_HIDDEN_DISPLAY = re.compile(r"display\s*:\s*none", re.IGNORECASE)


def _parse_page(text: str, zone: tzinfo, reveal: bool) -> Article:
    doc = _parse_document(text)
    meta = _head_meta(doc)  # before drop_unseen, which removes <head> and JSON-LD scripts
    url, base = _links(doc, meta)
    image = declared_image(doc, meta, base)  # before drop_unseen removes <link>
    page_title = doc.findtext(".//title") or ""
    if reveal:
        _reveal(doc)
    drop_unseen(doc)  # URLs are cleaned on the article only, before it is serialised
    body_el = doc.find("body")
    visible_text = (body_el if body_el is not None else doc).text_content()
    _STATE.reset(len(_squash(visible_text)))
    teasers = doc.xpath(LINKED_HEADLINES)
    subheads = [t for h in doc.iter("h2", "h3") if not _in_chrome(h)
                and not _is_widget_heading(t := clean_line(h.text_content()))]
    title = title_of(meta, _headings(doc, page_title), page_title, subheads)
    _split_br_runs(doc)
    headline = _title_element(doc, title) if title else None
    leaves = list(_text_leaves(doc))
    page_prose = prose_chars(leaves)
    root = _content_root(doc, headline, leaves)
    has_headline = headline is not None
    # the <title> and metadata name only the site: the headline is the line over the text
    if (headline is None and looks_like_site(title, meta, page_title)
            and (found := _headline_before(root))):
        title, headline = found, _title_element(doc, found)
    if not title:
        raise SeedError("no title: the page has no og:title, <h1> or <title>")
    dateline = dateline_near(visible_text, title, zone)
    scope = _meta_scope(root, headline)
    times = [t for t in scope.iter("time") if t.get("datetime") and not _in_chrome(t)]
    edited = [t for t in times if {"updated", "modified"} & _words(t)]
    tail_date = _cut_after_end_mark(root)
    vcards = _vcard_authors(scope)
    lines = _take_meta_lines(scope, root)
    lines |= {"time": [t.get("datetime") for t in times if t not in edited], "vcard": vcards,
              "time_updated": [t.get("datetime") for t in edited], "tail_date": tail_date}
    lines.setdefault("editor", []).extend(_take_inline_editor(root))
    _drop_chrome(root)
    _drop_headline(root, headline, title)
    check_kind(root)
    head_cut, tail_cut = _trim_edges(root)
    clean_urls(root)
    content_html = sanitise_html(_inner_html(root), base)
    paragraphs = html_paragraphs(content_html)
    if not paragraphs:
        raise _NoText(f"the page has a title ({title!r}) but no article text")
    check_text(title, paragraphs)
    check_teaser_page(paragraphs, has_headline, int(teasers))
    unsure = body_warnings(sum(len(p) for p in paragraphs), page_prose)
    around = (*head_cut, *paragraphs, *tail_cut)  # bylines may sit in the lines cut off
    if not lines.get("author") and (names := next(filter(None, map(dateline_author, around[:3])),
                                                  None)):
        lines["author"] = [names]  # 本报讯（记者 王明）… opens the body
    lines["body_author"] = [n for n in [body_byline(paragraphs) or body_byline(around)
                                        or bare_name((head_cut or paragraphs)[-1 if head_cut else 0])]
                           if n]
    lines["page_editors"] = sorted(page_editors(visible_text))
    lines["sites"] = [p for p in page_title_parts(page_title) if p != title]
    dateline = dateline or date_after(visible_text, paragraphs[-1], zone)
    fields = _metadata(doc, meta, lines, zone, dateline)
    fields["warnings"] = (*_date_warnings(fields, visible_text), *unsure)
    return Article(title=title, paragraphs=paragraphs, content_html=content_html, url=url,
                   image=image, **fields)


def _date_warnings(fields: dict, visible_text: str) -> tuple[str, ...]:
    """A page that shows a date yet yields none for the article says so: it would otherwise
    be published under the day it was first seen without a word."""
    warnings = tuple(fields["warnings"])
    if fields["published"] is None and (m := DATE_PATTERN.search(visible_text)):
        shown = _squash(m.group())
        warnings = tuple(w for w in warnings if w != "no publication date found") + (
            f"the page shows a date ({shown}) but none could be tied to the article; "
            "it is dated when first seen",)
    return warnings

