"""Does a saved HTML page hold one article? The last word before an HTML seed is published.

A home page, a section's list of teasers or a page whose extracted text is a sliver of its
prose must not reach subscribers as an article: such pages are rejected with a reason that
says so, and a body the extractor is unsure of is published with a warning. Pure functions
over numbers and lxml elements that htmlpage.py hands in; nothing here knows a site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import lxml.html

from ..errors import SeedError
from .sanitize import _squash

# A linked headline: a block whose text is mostly one link (a teaser's headline, a list item).
_TEASER_TAGS = ("h2", "h3", "h4", "h5", "li", "dt", "dd", "p", "div", "td")
_TEASER_MIN_CHARS = 8
_TEASERS_FOR_A_LIST = 5
# An article has a stretch of prose this long (characters) between linked headlines; a list
# of teasers has only their one-line summaries.
_PROSE_STRETCH = 150
_OPENING = 50
# Below this share of the page's prose the body may be a fragment (a caption, a sidebar).
# Not a reason to reject: a short story on a busy portal page is a real article.
_BODY_SHARE_UNSURE = 0.25
_PROSE_WORTH_CHECKING = 1500  # characters; a short page is what it is


def _linked(el: lxml.html.HtmlElement) -> tuple[int, int]:
    text = len(_squash(el.text_content()))
    links = sum(len(_squash(a.text_content())) for a in el.iter("a") if a.get("href"))
    return text, links


def _blocks(root: lxml.html.HtmlElement) -> list[tuple[lxml.html.HtmlElement, int, bool]]:
    """Innermost blocks of the article element in order: (block, characters, is a teaser)."""
    out = []
    for el in root.iter(*_TEASER_TAGS):
        if any(isinstance(c.tag, str) and c.tag in _TEASER_TAGS for c in el):
            continue
        text, links = _linked(el)
        if text:
            out.append((el, text, text >= _TEASER_MIN_CHARS and links >= 0.5 * text))
    return out


def check_kind(root: lxml.html.HtmlElement) -> None:
    """Raise SeedError when the article element is a list of teasers (a home or section
    page: no stretch of prose between its linked headlines); otherwise drop the runs of
    linked headlines before and after the article's prose ('more news', old portals' menus)."""
    blocks = _blocks(root)
    teasers = sum(t for _, _, t in blocks)
    if not teasers:
        return
    start, end, longest = _longest_prose(blocks)
    first = next(i for i, (_, _, t) in enumerate(blocks) if t)
    opening = sum(n for _, n, _ in blocks[:first])  # a short story's text, then 'more news'
    if teasers >= _TEASERS_FOR_A_LIST and longest < _PROSE_STRETCH and opening < _OPENING:
        raise SeedError(f"not an article: the page is a list of {teasers} linked headlines "
                        "(a home or section page)")
    wordiest = max(blocks[start:end], key=lambda b: b[1], default=(None, 0, False))[0]
    for run in (blocks[:start], blocks[end:]):
        linked = [n for _, n, t in run if t]
        if len(linked) >= 3 and sum(linked) >= 0.6 * sum(n for _, n, _ in run):
            for el, _, teaser in run:
                # a paragraph of the article on the far side of a box of links floated
                # into the text (an old portal's ad box) is text, not a teaser's summary
                if el.getparent() is not None and (teaser or not _like_paragraph(el, wordiest)):
                    el.drop_tree()


def _like_paragraph(el: lxml.html.HtmlElement, paragraph: lxml.html.HtmlElement | None) -> bool:
    """A block marked up as the article's paragraphs are (same tag and class) that holds a
    sentence of its own."""
    return (paragraph is not None and el.tag == paragraph.tag and el.get("class") is not None
            and el.get("class") == paragraph.get("class")
            and bool(re.search(r"[。！？!?]|\.(?:\s|$)", el.text_content())))


def _longest_prose(blocks: list[tuple[lxml.html.HtmlElement, int, bool]]) -> tuple[int, int, int]:
    """[start, end) and size of the longest run of blocks that are not linked headlines."""
    best = (0, 0, 0)
    start = size = 0
    for i, (_, n, teaser) in enumerate(blocks):
        if teaser:
            start, size = i + 1, 0
            continue
        size += n
        if size > best[2]:
            best = (start, i + 1, size)
    return best


# Sentences: a full stop, or a long clause. A table of contents, an index or a data sheet
# ('导演: X', '主演: Y') has none.
_SENTENCE = re.compile(r"[。！？!?]|\.(?:\s|$)|[^，,]{0,60}[，,].{20,}")
# Error pages a CMS serves with status 200.
_ERROR_PAGE = re.compile(r"错误信息|出错了|发生错误|页面不存在|[页頁]面未找到|404\s*(?:not found|错误|錯誤)|"
                         r"page not found|已被删除|无权访问|没有权限访问|無權訪問", re.IGNORECASE)


def check_text(title: str, paragraphs: tuple[str, ...]) -> None:
    """Raise SeedError when the text found is no article: no sentence at all, or the page
    of an error."""
    body = "".join(paragraphs[:6])
    if _ERROR_PAGE.search(title) or len(body) < 300 and _ERROR_PAGE.search(body):
        raise SeedError("not an article: the page reports an error")
    if len(paragraphs) >= 5 and not any(_SENTENCE.search(p) for p in paragraphs):
        raise SeedError(f"not an article: none of the {len(paragraphs)} lines found is a "
                        "sentence (a table of contents, an index or a data sheet)")


# A page of teasers whose extractor settled on one of them: the text found is short and either
# stands under no headline of the page, is cut off ('…', '..') or is no sentence at all (a
# label, a date, a button), among many linked headlines.
_TEASER_BODY = 300  # characters; a teaser's summary is shorter, almost every article longer
_HEADLESS_BODY = 200
_TEASERS_ON_A_PAGE = 20
_CUT_OFF = re.compile(r"(?:\.\.+|…+)\s*(?:[(（\[【]?\s*(?:[详詳]?全文|更多|[阅閱][读讀]全文|看更多|more)"
                      r"\s*[)）\]】]?)?\s*$", re.IGNORECASE)  # '…掏空1....(詳全文)'
# Linked headlines of the whole page, counted in C before anything is dropped.
LINKED_HEADLINES = "count(//a[@href][string-length(normalize-space()) >= 8])"  # not //body//a: 25x slower
_SCRAP = 30  # characters: less than this without a sentence is a label, a date or a button


def check_teaser_page(paragraphs: tuple[str, ...], has_headline: bool, teasers: int) -> None:
    """Raise SeedError when the text found is a scrap or one teaser of a home or section
    page; `teasers` is the page's count of linked headlines (LINKED_HEADLINES)."""
    chars = sum(len(_squash(p)) for p in paragraphs)
    if chars >= _TEASER_BODY:
        return
    scrap = chars < _SCRAP and not any(_SENTENCE.search(p) for p in paragraphs)
    cut = bool(paragraphs and _CUT_OFF.search(paragraphs[-1]))
    if not (scrap or cut or not has_headline and chars < _HEADLESS_BODY):
        return
    if teasers >= _TEASERS_ON_A_PAGE:
        what = ("no sentence" if scrap else "a cut-off summary" if cut
                else "under no headline of the page")
        raise SeedError(f"not an article: the only text found ({chars} characters) is {what}, "
                        f"among {teasers} linked headlines (a home or section page)")


def body_warnings(body_chars: int, page_prose: int) -> list[str]:
    """A body that is a small share of the page's prose may be a caption or a fragment."""
    share = body_chars / page_prose if page_prose else 1.0
    if page_prose >= _PROSE_WORTH_CHECKING and share < _BODY_SHARE_UNSURE:
        return [f"unsure body: the article text is only {share:.0%} of the page's prose; "
                "check that it is the whole article"]
    return []


def prose_chars(leaves: Iterable[lxml.html.HtmlElement]) -> int:
    return sum(len(_squash(el.text_content())) for el in leaves)
