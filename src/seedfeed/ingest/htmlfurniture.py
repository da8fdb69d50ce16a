"""Page furniture on a parsed HTML page: is an element (inside) navigation, a share bar, a
sidebar, a widget heading; and the element measures every HTML step shares (text length,
share of linked text, leaf blocks).

Answers questions about lxml elements and never changes the tree. The per-parse memo
(``PAGE``) must be reset for each page. No rule may name a site: only tags, class/id words
and generic Chinese/English widget labels.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import lxml.html

from .sanitize import _BLOCKS, _squash

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
FURNITURE = re.compile(
    r"^[\s【\[]*(?:分享[到至]?|打印(?:本[页頁]|此[页頁])?|字[体體号號]|上一篇|下一篇|版[权權]所有|"
    r"[扫掃]一[扫掃]|[关關][闭閉]窗口|相[关關](?:新[闻聞]|[阅閱][读讀]|[链鏈]接|推荐|推薦|文章|报道|報道)|"
    r"推[荐薦][阅閱][读讀]|延伸[阅閱][读讀]|返回[顶頂]部|[当當]前位置|您的位置|你的位置|"
    r"copyright|related|read more|share(?: this)?|[关關][键鍵][字词詞]|[标標][签籤]|tags?)"
    r"(?=$|[\s:：】\]|｜>»©])"
    r"|^(?:\d+\s*)+(?:下一[页頁]|尾[页頁]|末[页頁])$"  # pagination: 1234下一页
    # relative timestamps are the page's clock, not the article's: 'Published 3 hours ago'
    r"|^(?:published|updated|posted)?\s*\d+\s*(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)"
    r"\s+ago$|^\d+\s*(?:秒|分[钟鐘]|小[时時]|天)前$", re.IGNORECASE)


def class_words(el: lxml.html.HtmlElement) -> frozenset[str]:
    # data-component names page parts on React/Next sites as class names do elsewhere
    return _split_words(f"{el.get('class', '')} {el.get('id', '')} {el.get('data-component', '')}")


@lru_cache(maxsize=4096)  # every element is asked several times; pages repeat their classes
def _split_words(names: str) -> frozenset[str]:
    return frozenset(re.split(r"[\s_\-]+", names.lower()))


class _PageState(threading.local):
    """Per-parse memo: whether an element is (inside) furniture, the page's text size, and
    each element's visible text while the tree stands still (the finding steps ask for the
    same elements' texts many times; lxml rebuilds a text on every call)."""

    def __init__(self) -> None:
        self.reset(0)

    def reset(self, page_len: int) -> None:
        self.inside: dict[lxml.html.HtmlElement, bool] = {}
        self.own: dict[lxml.html.HtmlElement, bool] = {}
        self.page_len = page_len
        self.texts: dict[lxml.html.HtmlElement, str] | None = {}

    def tree_changed(self, for_good: bool = False) -> None:
        """Forget the texts: elements moved; for good once the cutting steps begin."""
        self.texts = None if for_good else {}


PAGE = _PageState()


def is_chrome(el: lxml.html.HtmlElement) -> bool:
    memo = PAGE.own
    if (known := memo.get(el)) is None:
        known = memo[el] = _chrome_now(el)
    return known


def _chrome_now(el: lxml.html.HtmlElement) -> bool:
    if el.tag in _CHROME_TAGS or el.get("role") in ("navigation", "complementary"):
        return True
    # A class word marks furniture ('share-box', 'nav'), unless the element holds most of the
    # page's text: a page-wide wrapper 'nav-open', WordPress's 'tag-…' classes on <article>,
    # an 'article_share_area' around the body.
    found = _CHROME_WORDS.intersection(class_words(el))
    if not found or PAGE.page_len and text_len(el) * 2 > PAGE.page_len:
        return False
    # a widget word that never holds prose ('share', 'toolbar') on an element that does
    # hold some: a template's wrapper around the body, not the widget
    return not (found <= _PROSE_FREE_WORDS and _holds_prose(el))


# furniture that never holds paragraphs of its own (comments and related boxes may)
_PROSE_FREE_WORDS = {"share", "sharing", "social", "toolbar", "print", "banner", "logo",
                     "breadcrumb", "breadcrumbs", "crumb", "crumbs", "subscribe", "newsletter"}


def _holds_prose(el: lxml.html.HtmlElement) -> bool:
    text = squashed(el)
    return (len(text) >= 150 and len(re.findall(r"[。！？]", text)) >= 3
            and link_share(el, text) < 0.3)


def in_chrome(el: lxml.html.HtmlElement) -> bool:
    memo = PAGE.inside
    chain = []  # iterative: hostile pages nest deeper than Python's stack
    node: lxml.html.HtmlElement | None = el
    while node is not None and node not in memo:
        chain.append(node)
        node = node.getparent()
    found = memo[node] if node is not None else False
    for node in reversed(chain):
        found = memo[node] = found or is_chrome(node)
    return found


def squashed(el: lxml.html.HtmlElement) -> str:
    """The element's text as a browser shows it (blanks squashed), memoised per parse."""
    texts = PAGE.texts
    if texts is None:
        return _squash(el.text_content())
    if (text := texts.get(el)) is None:
        text = texts[el] = _squash(el.text_content())
    return text


def text_len(el: lxml.html.HtmlElement) -> int:
    return len(squashed(el))


PROSE = re.compile(r"[。！？；，][^。！？；，]|[.!?;,]\s")


def link_share(el: lxml.html.HtmlElement, text: str) -> float:
    linked = sum(len(squashed(a)) for a in el.iter("a"))
    return linked / max(1, len(text))


def leaf_blocks(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Blocks holding no other block, in document order (one pass, not one per block)."""
    blocks = list(root.iter(*_BLOCKS))
    inner = {a for el in blocks for a in el.iterancestors()}
    return [el for el in blocks if el not in inner and text_len(el)]


# Headings of page widgets: a count in brackets, or a short box title (友情链接, APP推荐).
_WIDGET_HEADING = re.compile(
    r"[(（]\d*[)）]\s*$|^\S{0,8}(?:[链鏈]接|推荐|推薦|排行|下[载載]|[热熱]点|[热熱][门門]|[关關]注|"
    r"[评評]论|[评評]論|[专專]题|[导導][读讀]|[阅閱][读讀]|[视視][频頻]|[图圖]片|精选|精選)\s*[>»]*$")


def is_widget_heading(text: str) -> bool:
    return len(text) <= 12 and bool(_WIDGET_HEADING.search(text) or FURNITURE.match(text))

