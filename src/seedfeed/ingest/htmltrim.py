"""Cutting page furniture out of the article element: widgets, link lists, leftover byline
blocks, separators, the short sentence-less lines at its edges, the lines after an end mark
(完 / END) and an inline editor's note.

Changes the article element in place and hands back the texts it cut that may still name
a reporter, an editor or a date; it decides nothing about metadata itself.
"""

from __future__ import annotations

import re

import lxml.html

from . import textrules as rules
from .clean import clean_line
from .htmlfurniture import FURNITURE, class_words, in_chrome, is_chrome, leaf_blocks, text_len
from .htmllines import loose_text, wrap_loose_runs
from .sanitize import _BLOCKS, _squash
from .titles import norm as _norm

# class/id words of a post's byline/date block (WordPress 'entry-meta', 'byline', 'posted-on'):
# read for meta lines first, then dropped when short, so 'Posted on … by …' is never body text.
_META_BLOCK_WORDS = {"byline", "dateline", "meta", "posted", "timestamp", "vcard", "updatetime",
                     "pubtime", "publish", "author"}


# The end of a release (完 / END), after which only its date and time line may follow.
_END_MARK = re.compile(r"^[（(【\[]?\s*(?:完|全文完|end|ends)\s*[）)】\]]?$", re.IGNORECASE)


_CONTAINERS = {"div", "section", "article", "main", "header", "footer", "body", "ul", "ol",
               "table", "tbody", "thead", "tr", "dl", "blockquote", "figure", "form", "center"}


def drop_chrome(root: lxml.html.HtmlElement) -> None:
    doomed = [el for el in root.iterdescendants() if isinstance(el.tag, str) and (
        is_chrome(el) or _is_link_list(el) or _is_leftover_meta(el) or _is_decoration(el)
        or ((el.tag not in _CONTAINERS or not any(
                isinstance(c.tag, str) and c.tag in _BLOCKS for c in el.iterdescendants()))
            and len(text := _squash(el.text_content())) < 80 and FURNITURE.match(text))
        or (el.tag == "p" and len(el.text_content()) < 100
            and rules.LEGAL.search(el.text_content()))  # '专稿，未经书面授权请勿转载。'
        # a footnote's back-reference (↩) is navigation, not text
        or (el.tag == "a" and (el.get("href") or "").startswith("#")
            and _squash(el.text_content()) in ("↩", "↩︎", "↑", "^", "⤴")))]
    doomed += _widgets(root)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _widgets(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """A media player's box (its controls, error message and duration around a <video>)
    and a form inside the article (comments, search, subscription: its fields are already
    gone, its labels stay) are no article text."""
    found = [form for form in root.iter("form") if text_len(form) * 2 < text_len(root)]
    for media in root.iter("video", "audio"):
        box = media
        for up in media.iterancestors():
            if up is root or any(len(t := _squash(el.text_content())) > 80 or _SENTENCE_END.search(t)
                                 for el in leaf_blocks(up)):
                break  # the box holds text of the article: the player ends below it
            box = up
        if box is not media:
            found.append(box)
    return found


_SENTENCE_END = re.compile(r"[。！？!?]")


def drop_captions(root: lxml.html.HtmlElement) -> None:
    """Photo captions are not article text: a <figcaption>, a block repeating an image's alt
    or title text (or that of the link around it), and a short line right after an image
    that closes on the photographer's credit ('…新华社记者 王明 摄')."""
    images = list(root.iter("img"))
    if not images:
        return  # every caption rule is about an image (a figure without one has no caption)
    labels = {_norm(v) for img in images for v in (
        img.get("alt"), img.get("title"), *(a.get("title") for a in img.iterancestors("a")))
        if v and len(_norm(v)) >= 8}
    doomed = list(root.iter("figcaption"))
    for el in leaf_blocks(root):
        text = _squash(el.text_content())
        if _norm(text) in labels or len(text) <= 160 and _SHOT_BY.search(text) and _after_image(el):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


_SHOT_BY = re.compile(r"[摄攝](?:影)?\s*$|[（(](?:[图圖]|照片|photo)\s*[:：︰/／]", re.IGNORECASE)


def _after_image(el: lxml.html.HtmlElement) -> bool:
    """The element follows an image (or a box holding only an image), no text between."""
    before = el.getprevious()
    return before is not None and not (before.tail or "").strip() and (before.tag == "img" or (
        not _squash(before.text_content()) and next(before.iter("img"), None) is not None))


def _is_leftover_meta(el: lxml.html.HtmlElement) -> bool:
    """A short byline/date block that meta-line reading left ('Posted on June 1 by Jane')."""
    return (bool(_META_BLOCK_WORDS.intersection(class_words(el))) and text_len(el) < 120
            and not re.search(r"[。！？]", el.text_content()))


def _is_decoration(el: lxml.html.HtmlElement) -> bool:
    """A separator block of stars or dashes (＊＊＊＊): no word, no image."""
    return (el.tag in ("p", "div", "center") and not re.search(r"\w", el.text_content())
            and next(el.iter("img", "table", "video", "audio"), None) is None)


def trim_edges(root: lxml.html.HtmlElement) -> tuple[list[str], list[str]]:
    """Drop the short lines without a sentence that open or close the article element
    (counters, font-size buttons, menus, 'read more', related links, footers sharing the
    body's element); return their texts (opening, closing), which may still name the
    reporters. Nothing is dropped when no line reads as a sentence."""
    for el in [el for el in root.iter("div", "td", "article", "section", "main") if _loose_inline(el)]:
        wrap_loose_runs(el)  # lines typed beside the paragraphs ('<a>…</a><br>') are lines too
    leaves = leaf_blocks(root)
    texts = [clean_line(el.text_content()) for el in leaves]
    real = [i for i, t in enumerate(texts) if not _edge_line(t)]
    if not real:
        return [], []
    for el in leaves[: real[0]] + leaves[real[-1] + 1:]:
        if el.getparent() is not None:
            el.drop_tree()
    return texts[: real[0]], texts[real[-1] + 1:]


def _loose_inline(root: lxml.html.HtmlElement) -> bool:
    """The element holds blocks and, beside them, text or inline elements of its own."""
    children = [c for c in root if isinstance(c.tag, str)]
    blocks = [c for c in children if c.tag in _BLOCKS]
    return bool(blocks) and (bool(loose_text(root).strip()) or any(
        c.tag not in _BLOCKS and c.tag != "br" and _squash(c.text_content()) for c in children))


_EDGE_LINE_MAX = 160  # characters; longer lines are text even without a full stop


# a '?' or '!' glued to a letter is a link's query string or a name ('/x.php?p=17'), no
# clause; words trailing off inside quotation marks are a line of dialogue ('“也谢谢你……”')
_CLAUSE = re.compile(r"[。！？，,；;]|[!?](?![A-Za-z0-9])|[A-Za-z0-9)”\"][.](?:\s|$)|[…—]+[”」』]")


# a post's view counter: '(已被阅读178次)', '阅读 1024', '浏览次数：56'
_VIEWS = re.compile(r"(?:[阅閱][读讀]|[浏瀏][览覽]|[点點][击擊]|[观觀]看)(?:量|[数數]|次[数數])?\s*[:：]?\s*"
                    r"\d+\s*次?\s*[)）]?\s*$")
_VIEWS_MAX = 60


# an opinion page's note on its contributors: '本文為網友投稿，言論不代表本報立場', '仅代表作者观点'
_DISCLAIMER = re.compile(r"(?:不代表|僅代表|仅代表).{0,12}(?:立[场場]|[观觀]点|[观觀]點|意[见見])")


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
    if len(squashed) <= rules.LEGAL_MAX and _DISCLAIMER.search(squashed):
        return True
    if len(squashed) < _VIEWS_MAX and _VIEWS.search(text):
        return True
    if len(squashed) < _EDGE_LINE_MAX and _PHOTO_CREDIT.search(text):
        return True
    return len(squashed) < _EDGE_LINE_MAX and not _CLAUSE.search(text)


def cut_after_end_mark(root: lxml.html.HtmlElement) -> list[str]:
    """Drop an end mark (完, END) and the short lines after it; return their text (a press
    release gives its date there: 完 / 2024年10月8日（星期二） / 香港時間16時30分)."""
    leaves = leaf_blocks(root)
    at = next((i for i, el in enumerate(leaves) if _END_MARK.match(_squash(el.text_content()))),
              None)
    if at is None or any(text_len(el) > 40 for el in leaves[at + 1:]):
        return []
    for el in leaves[at:]:
        if el.getparent() is not None:
            el.drop_tree()
    return [" ".join(_squash(el.text_content()) for el in leaves[at + 1:])]


def take_inline_editor(root: lxml.html.HtmlElement) -> list[str]:
    """'……。（编辑：王明）' closing the last paragraph: the editor, not body text."""
    leaves = [el for el in leaf_blocks(root) if not in_chrome(el)]  # not a tag list after it
    if not leaves:
        return []
    last = leaves[-1]
    owner, attr = (last[-1], "tail") if len(last) else (last, "text")
    text = getattr(owner, attr) or ""
    if m := rules.INLINE_EDITOR.search(text.rstrip()):
        setattr(owner, attr, text[: m.start()])
        return [m.group(1).strip()]
    return []


def _is_link_list(el: lxml.html.HtmlElement) -> bool:
    """A list whose every item is only a link: related/more-news lists, not article text."""
    items = el.findall("li") if el.tag in ("ul", "ol") else []
    return len(items) >= 2 and all(
        _squash(li.text_content()) == _squash("".join(a.text_content() for a in li.iter("a")))
        for li in items)

