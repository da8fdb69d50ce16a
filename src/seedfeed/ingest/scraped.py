"""Parse a plain-text dump of a scraped news page (Traditional or Simplified Chinese).

The page is read as a column of lines: header furniture (site name, breadcrumbs, widgets),
the title, the meta block (date / source / author / editor, on one line or several), the body,
then footer furniture (share bars, prev/next links, related-link lists, copyright). Furniture
is recognised by generic labels and shapes, never by naming a site or an article.

Pure: text in (already decoded and cleaned by `clean_text`), Article out, or SeedError. It
never unescapes or interprets markup: a `<` in a .txt is a literal `<`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import lru_cache

from ..errors import SeedError
from ..model import Article
from .clean import clean_line
from .dates import DATE_PATTERN, ImpossibleDate, find_date
from .decode import guess_script
from .people import normalise_people

_Fields = Sequence[tuple[str, str]]  # (key, value) pairs read from one meta line

# Patterns below are written in Simplified Chinese; this maps the characters they use to their
# Traditional forms so that every label and widget word is matched in both scripts.
_TO_TRAD = str.maketrans(
    "发时间来记讯员编辑责审对监终统筹划签复览阅读点击访问数资闻标题处摄图网气转载页关闭顶体号扫"
    "维码长识别机开链热门专视频导动态报欢赞论举后条设为当现权备证声联系于们办单术经请荐约见习实驻"
    "纠错结浏制",
    "發時間來記訊員編輯責審對監終統籌劃簽復覽閱讀點擊訪問數資聞標題處攝圖網氣轉載頁關閉頂體號掃"
    "維碼長識別機開鏈熱門專視頻導動態報歡讚論舉後條設為當現權備證聲聯繫於們辦單術經請薦約見習實駐"
    "糾錯結瀏製")


def _both(pattern: str) -> str:
    """A regex source matching the Simplified pattern or its Traditional twin."""
    trad = pattern.translate(_TO_TRAD)
    return pattern if trad == pattern else f"{pattern}|{trad}"


# ---------------------------------------------------------------- meta lines
# English labels are for bilingual sites (Published: … Source: …); labels match in any case.
_LABELS = {
    "published": "发布时间 發佈時間 发表时间 发布日期 發佈日期 发稿时间 时间 日期 Published Posted Date",
    "updated": "更新时间 修改时间 Updated",
    "source": "来源 稿源 出处 文章来源 本文来源 新闻来源 信息来源 资料来源 转载自 发布单位 发布机构 "
              "Source",
    "author": "作者 记者 通讯员 撰稿 撰文 撰稿人 供稿 文字 文 摄影 文/图 Author By Reporter",
    "editor": "责任编辑 责编 编辑 值班编辑 网编 Editor",
    # credits that are not the byline: a TV item's camera and cutting crew, reviewers
    "staff": "审核 审校 校对 编审 监制 终审 主编 统筹 策划 制作 签发 初审 复审 原标题 "
             "发布者 发布人 摄像 剪辑 后期 配音 美编",
    "views": "浏览次数 浏览量 浏览 阅读量 阅读数 阅读次数 阅读 点击数 点击量 点击次数 点击率 点击 "
             "访问量 访问次数 浏览人次 阅读人次 人气",
}
_LABEL_KEY = {w.lower(): key for key, words in _LABELS.items()
              for word in words.split() for w in {word, word.translate(_TO_TRAD)}}
_SEPS = r"\s|｜丨/，,;；"
_ROLES = _both("本报记者|本台记者|特约记者|见习记者|记者|特约通讯员|通讯员")
# A label opens a field only at the start of the line or after a separator (宣讲时间： is body
# text); inside a meta line a colon-less role word opens an author field: 来源：X 记者 王明.
# A colon-less 文/图 credit opens an author field too: 稿源：晚报 文/图 记者 何佳.
_FIELD = re.compile(rf"(?<![^{_SEPS}])({'|'.join(sorted(_LABEL_KEY, key=len, reverse=True))})"
                    rf"\s*[:：]\s*|(?<=\s)({_ROLES})\s+"
                    r"|(?<=\s)((?:文|图|圖|摄影|攝影)\s*[/／]\s*(?:(?:文|图|圖)(?=\s))?)\s*",
                    re.IGNORECASE)
_WEEKDAY = re.compile(r"(?:星期|周|週|禮拜|礼拜)[一二三四五六日天]")
# The weekday may be bracketed: 2024年10月8日（星期二） is a common dateline shape.
_DATE_REST = re.compile(rf"\s*(?:[（(]?(?:{_WEEKDAY.pattern})[）)]?)?\s*"
                        r"(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?[\s|｜丨/]*")
# An outlet's name: a few characters ending in what news outlets and offices are called
# (not a header greeting beside today's date: 2024年12月2日 欢迎访问市政府网).
_OUTLET = re.compile(_both(r"(?!.*(?:欢迎|访问|今天|今日|您))[^\d\s:：，。,.、；;！？!?（）()]{1,14}"
                           r"(?:网|报|台|社|中心|局|委|办|站|新闻|融媒|发布|客户端|频道)"))
# Widgets sharing a line with the meta fields: 【字体：大 中 小】【打印】【关闭】.
_META_NOISE = re.compile(_both(
    r"[【\[]?\s*字[体号]\s*[:：]?(?:\s*[【\[（(]?\s*[大中小默认]+\s*[】\]）)]?)+"
    r"|[【\[](?:打印|关闭|收藏|返回|分享)[^】\]]{0,6}[】\]]"))
_SQUARE_BRACKETS = str.maketrans("【】[]", "    ")
_META_MAX = 200
_AFTER_BODY_KEYS = {"editor", "staff", "views"}  # meta that may close a page's body
_STAFF_KEYS = _AFTER_BODY_KEYS | {"source", "author"}
_BYLINE = re.compile(_both(
    r"^(?:本[报台网刊]讯)?[（(]?(?:本[报台网刊]|特约|见习|实习|融媒体?|全媒体?|首席)?(?:记者|通讯员)"
    r"|^(?:文|图|文字|摄影)\s*[/／]"))
# Not names: "文/" and "图/" credits, a 本报讯 dateline, a "／台北报道" place of reporting.
_BYLINE_NOISE = re.compile(_both(r"(?:^|\s)(?:文|图|文字|摄影)\s*[/／]\s*|^本[报台网刊]讯|"
                                 r"\s*[/／]\s*\S{1,6}(?:报道|报导|电)\s*$"))
# A dateline that opens the body and names the reporters: 本报讯（记者 王明 通讯员 李华）…,
# 新华社北京6月1日电（记者 张三）…; the only byline many agency and newspaper pages carry.
_DATELINE_BYLINE = re.compile(_both(
    r"^(?:[^，。,（(]{0,24}?(?:讯|电|消息))?\s*[（(]\s*("
    r"(?:本[报台网刊]|特约|见习|实习|融媒体?|全媒体?|首席)?(?:记者|通讯员)[^（）()，。]{1,40})[）)]"))
_NAME = re.compile(r"^(?:[\u3400-\u9fff]{2,4}|[\u3400-\u9fff·]{3,12}|[A-Za-z][A-Za-z .'-]{1,30})$")

# ---------------------------------------------------------------- page furniture
# Widgets are only looked for on short lines that are not sentences: "市民可扫码预约。" is body.
_WIDGET = re.compile(_both(
    r"^分享(?:到|至|本文|此文)?\s*(?:[:：]|$|\s|微信|微博|QQ|朋友圈)"
    r"|^(?:上一?篇|下一?篇|上一[条页]|下一[条页]|前一篇|后一篇)"
    r"|打印本页|打印此页|打印文章|关闭窗口|关闭本页|【关闭】|返回顶部|回到顶部|返回首页|返回列表"
    # a line of bare control words, bracketed or not: 打印 关闭 · 【纠错】 · 列印 關閉 · 回上一頁
    r"|^(?:[【\[]?\s*(?:打印|列印|关闭|收藏|纠错|返回|回?上一?页|回首页|回顶端)\s*[】\]]?\s*)+$"
    r"|加入收藏|收藏本页|设为首页|阅读原文|我要评论|发表评论|网友评论|我要纠错"
    r"|^(?:联系我们|关于我们|网站地图|网站声明|主办单位|承办单位|主办[:：]|承办[:：]|技术支持[:：])"
    # QR prompts, not any short line naming a QR code (市民扫描医院二维码即可预约 is body text)
    r"|扫一扫|(?:^|[（(【\[])(?:微信)?(?:扫码|扫描(?:上方|下方|左侧|右侧|此|本页)?二维码)"
    r"|二维码\s*[）)】\]]?$|扫码(?:关注|阅读|下载|分享|观看)|长按(?:识别|二维码)"
    r"|关注(?:我们|本站|公众号|该公众号)|在手机[上中]?打开|手机(?:阅读|看|版)"
    r"|字[体号]\s*[:：]?\s*[【\[（(]?\s*[大中小默]|^[大中小](?:\s+[大中小]){2}$"
    r"|^(?:查看|点击查看)?更多\S{0,4}?\s*(?:>+|》+|»+|＞+|›+|…+|\.{3})?$"
    r"|^(?i:more)\s*(?:>+|»+)?$"
    r"|^[\s—\-–_=~·*#◆◇■□●○]*(?:END|End|end|完|全文完|结束|The End)[\s—\-–_=~·*#◆◇■□●○]*$"
    r"|^[（(【\[]\s*(?:完|全文完|END)\s*[）)】\]]$"
    r"|^(?:相关|延伸|推荐|热门|精彩)(?:链接|阅读|新闻|文章|报道|推荐|专题)\s*[:：]"
    r"|^(?:相关附件|附件下载)\s*[:：]?$"  # the page's download list: file names, not text
    r"|^(?:[【\[][^】\]]{1,6}[】\]]\s*){2,}$"  # a row of bracketed buttons: 【打印】【关闭】
    r"|^(?:(?:点赞|在看|转发|收藏|评论|分享|举报)[\s\d()（）|｜]*)+$"
    r"|^(?:\d+\s+)+(?:下一页|尾页|末页)$|^共\s*\d+\s*页"  # pagination
    r"|^(?:原文|本文|文章)(?:链接|地址)\s*[:：]"
))
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$")
_WIDGET_MAX = 60
# Legal lines are furniture even as sentences; "未经授权" alone is ordinary news vocabulary.
_LEGAL = re.compile(_both(
    r"(?i:版权所有|copyright|©|ICP备|ICP证|公网安备)|^[（(]?(?:免责声明|版权声明)"
    r"|(?:本文|本网|本站|本报|原创).{0,20}(?:未经授权|不得转载|禁止转载|转载请注明)"))
_LEGAL_MAX = 100
_CLOSED_SENTENCE = re.compile(r"[。！？!?][”’」』）)]*$")
_CRUMB_SEP = re.compile(r"\s*(?:>{1,2}|＞|»|›|→|〉)\s*")
_CRUMB_HOME = re.compile(_both(r"^(?:(?:当前位置|您的位置|您现在的位置|你的位置|所在位置)\s*[:：]|"
                               r"(?:首页|主页|网站首页|(?i:home))\s*(?:>|＞|»|›|→|〉))"))
_BAR_SEP = re.compile(r"\s*[|｜丨]\s*")
_PLAIN_WORDS = re.compile(r"^[\w\s·]+$")
_LIST_HEADING = re.compile(_both(
    r"^\S{0,6}(?:推荐|阅读|新闻|链接|文章|专题|排行|热点|图集|视频|导读|资讯|要闻|动态|报道|喜欢|榜)"
    r"\s*(?:>+|»|＞+|[:：])?$"))
# "Evening News20241218": a programme list entry, a name and a compact date.
_PROGRAM_ITEM = re.compile(r"^[^\d\s，。,.]{2,12}\s?(?:\d{8}|\d{4}([-./])\d{1,2}\1\d{1,2})$")

# ---------------------------------------------------------------- text shapes
_LINE_BREAK = re.compile(r"[\n\u2028\u2029]")
_WORD = re.compile(r"\w")
_SENTENCE_END = re.compile(r"[。！？!?…][”’」』）)\]】]*$")
_FULL_STOP_END = re.compile(r"。[”’」』）)\]】]*$")
# A body that lost its <p> breaks keeps the text-indent blanks after each sentence end.
_INDENT_BREAK = re.compile(r"(?<=[。！？!?…；;”’」』）)])(?:[ \t]*[\u3000\u00a0][\u3000\u00a0 \t]*"
                           r"|[ \t]{2,})(?=\S)")
_SENTENCE = re.compile(r".+?(?:[。！？!?]+[”’」』）)]*|$)")
_LONG_LINE = 100  # a line this long is never a title, and may hold several paragraphs
_RUN_TOGETHER = 900  # a line this long without indent breaks is split at sentence ends
_CHUNK = 300
_META_SEARCH = 40
_INLINE_EDITOR = re.compile(rf"[（(【\[]\s*(?:{_both('责任编辑|编辑|责编')})\s*[:：]\s*"
                            r"([^（）()【】\[\]]{1,24})[）)】\]]$")
_SITE_SUFFIX = re.compile(_both(r"(?:\s+[-—–|｜]+\s+|\s*(?:_|｜|——)\s*)"
                                r"[^\s\-_|｜—–]{1,16}(?:网|网站|门户|报|台|客户端|频道)$"))
_TITLE_LABEL = re.compile(_both(r"^(?:标题|题目)\s*[:：]\s*"))
_LABEL_LINE = re.compile(r"^[^\s:：，。]{1,6}[:：]")  # 地点：… — a notice's own field list
_BARE_DATE_LABEL = re.compile(_both(r"^(?:时间|日期)\s*[:：]"))
_SUMMARY_LEN = 120


@dataclass
class _Meta:
    """What the meta lines said; the first value of a key wins, author values accumulate."""

    values: dict[str, str] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)

    def take(self, fields: _Fields) -> None:
        for key, value in fields:
            if key != "published" and DATE_PATTERN.search(value):  # 来源：X网 2024-01-05
                self.values.setdefault("stray_date", value)
            if key == "author":
                self.authors.append(value)
            elif value and key not in self.values:
                self.values[key] = value


def parse_text(text: str, zone: tzinfo) -> Article:
    """Parse one scraped-page text dump. Raises SeedError when there is no title or no body."""
    lines = split_lines(text)
    if not lines:
        raise SeedError("the file holds no readable text")
    meta = _Meta()
    span = _find_meta_block(lines)
    title_at = _find_title(lines, span)
    title = _clean_title(lines[title_at], lines[:title_at])
    if span:
        for line in lines[span[0]:span[1]]:
            meta.take(meta_fields(line) or _byline_fields(line) or ())
    body_start = span[1] if span and span[0] > title_at else title_at + 1
    site_names = {ln for ln in lines[:title_at] if not is_furniture(ln)}
    paragraphs = _body(lines[body_start:], {title, lines[title_at]}, site_names, meta)
    if not paragraphs:
        raise SeedError(f"only a title ({title[:30]!r}), no body text")
    if not meta.authors and (m := _DATELINE_BYLINE.match(paragraphs[0])):
        meta.take(_byline_names(m.group(1)) or ())
    return _article(title, paragraphs, meta, zone)


# ---------------------------------------------------------------- lines and their kinds
def split_lines(text: str) -> list[str]:
    """Non-blank, whitespace-normalised lines; a run-together body is split into paragraphs."""
    out: list[str] = []
    for raw in _LINE_BREAK.split(text):
        for piece in _split_run_together(raw):
            line = clean_line(piece)
            if line and _WORD.search(line):  # lines of dashes or stars are decoration
                out.append(line)
    return out


def _split_run_together(raw: str) -> list[str]:
    """One long line holding several paragraphs: split at surviving indents, else (very long
    lines) into groups of sentences. Short lines (titles, meta) are never split."""
    if len(raw) <= _LONG_LINE:
        return [raw]
    pieces = _INDENT_BREAK.split(raw)
    if len(pieces) > 1 or len(raw.strip()) <= _RUN_TOGETHER:
        return pieces
    chunks, current = [], ""
    for sentence in _SENTENCE.findall(raw.strip()):
        current += sentence
        if len(current) >= _CHUNK:
            chunks.append(current)
            current = ""
    return chunks + [current] if current else chunks


@lru_cache(maxsize=2048)  # each line is classified several times while the page is read
def meta_fields(line: str) -> tuple[tuple[str, str], ...] | None:
    """((key, value), …) when the whole line is meta (`时间：… 来源：… 作者：…`, or a date
    followed by such fields), else None."""
    if len(line) > _META_MAX or not (":" in line or "：" in line or line[:1].isdigit()
                                     or line[-1:].isdigit()):
        return None  # cheap exit for body paragraphs
    core = _META_NOISE.sub(" ", line).translate(_SQUARE_BRACKETS).strip()
    if core[:1] in "（(" and core[-1:] in "）)":
        core = core[1:-1].strip()
    found = list(_FIELD.finditer(core))
    head = core[: found[0].start()] if found else core
    fields: list[tuple[str, str]] = []
    org: list[str] = []
    if head.strip(" |｜丨/"):  # only a date (and weekday, time) may precede the fields
        date = DATE_PATTERN.search(head)
        if not date:
            return None
        rest = _DATE_REST.match(head, date.end())
        # An unlabelled outlet beside the date ("2024-06-15 14:22 新华网", "新华网 2024-06-15")
        # is the source; anything else there (农历…, a sentence) means this is no meta line.
        tail = head[rest.end():] if rest else ""
        org = [p for p in (head[:date.start()].strip(" |｜丨/"), tail.strip(" |｜丨/")) if p]
        if len(org) > 1 or org and not _OUTLET.fullmatch(org[0]):
            return None
        fields.append(("published", head[date.start():]))
    ends = [m.start() for m in found[1:]] + [len(core)]  # one more than found when empty
    for m, end in zip(found, ends, strict=False):
        value = core[m.end(): end].strip(" |｜丨/，,;；")
        fields.append((_LABEL_KEY[m.group(1).lower()] if m.group(1) else "author", value))
    if org:  # after the labelled fields: a 来源： on the same line names the source better
        fields.append(("source", org[0]))
    return tuple(fields) or None


def _byline_fields(line: str) -> _Fields | None:
    """`记者 王磊 陈静 通讯员 刘洋`, `（本报记者 王明）`, `文/张三`: role words and names only."""
    if len(line) > 40 or not _BYLINE.match(line):
        return None
    return _byline_names(line)


def _byline_names(line: str) -> _Fields | None:
    names = normalise_people(_BYLINE_NOISE.sub(" ", line))
    if names and all(_NAME.match(n) for n in names.split("、")):
        return (("author", names),)
    return None


@lru_cache(maxsize=2048)
def is_furniture(line: str) -> bool:
    """Widgets, breadcrumbs, navigation bars and legal lines: never title, meta or body."""
    if len(line) <= _LEGAL_MAX and _LEGAL.search(line) or _URL_ONLY.match(line):
        return True
    if len(line) > _WIDGET_MAX or _CLOSED_SENTENCE.search(line):
        return False
    if _WIDGET.search(line) or _CRUMB_HOME.search(line):
        return True
    crumbs = _CRUMB_SEP.split(line)  # 首页 > 新闻中心 > 本地 (plain words, not "a < b > c")
    if len(crumbs) >= 3 and all(len(p) <= 10 and _PLAIN_WORDS.match(p) for p in crumbs):
        return True
    links = _BAR_SEP.split(line)  # 网站首页 | 新闻中心 | 政务公开
    return len(links) >= 3 and all(len(p) <= 12 for p in links) and meta_fields(line) is None


def _is_list_heading(line: str) -> bool:
    """A short heading such as 相关阅读 / 視頻推薦 / 热点新闻 (a link list may follow)."""
    return len(line) <= 10 and bool(_LIST_HEADING.match(line))


def _is_after_body_meta(fields: _Fields | None) -> bool:
    """Editor/credit lines that close an article; a lone date line there is body (a notice's
    signature date), so dates do not count."""
    keys = {k for k, _ in fields or ()}
    return bool(keys) and (bool(keys & _AFTER_BODY_KEYS) or keys <= _STAFF_KEYS)


def looks_like_paragraph(line: str) -> bool:
    """Body text rather than a headline: a full stop at the end, or simply too long."""
    if len(line) >= _LONG_LINE or _FULL_STOP_END.search(line):
        return True
    if len(line) >= 30 and line.endswith(".") and " " in line:  # a Latin-script sentence
        return True
    return len(line) >= 40 and "，" in line and bool(_SENTENCE_END.search(line))


# ---------------------------------------------------------------- page structure
def _find_meta_block(lines: list[str]) -> tuple[int, int] | None:
    """[start, end) of the first run of meta lines in the header (furniture may sit between)."""
    start: int | None = None
    end = 0
    # A long menu can push the meta line past _META_SEARCH lines; it still precedes the
    # first paragraph, so the search reaches at least that far.
    first_para = next((i for i, ln in enumerate(lines) if looks_like_paragraph(ln)), 0)
    for i, line in enumerate(lines[:max(_META_SEARCH, first_para + 1)]):
        if meta_fields(line) is not None or _byline_fields(line):
            start = i if start is None else start
            end = i + 1
        elif start is not None:
            if not is_furniture(line):
                break
        elif looks_like_paragraph(line):
            break  # the body began without any meta line
    if start is None:
        return None
    # "时间：5月1日" followed by "地点：…" is a notice's own field list, not page meta; a
    # 发布时间/发布日期 label is always the page's (a notice's 活动时间/活动地点 may follow it).
    keys = [k for k, _ in meta_fields(lines[start]) or ()]
    if end == start + 1 and keys == ["published"] and end < len(lines) \
            and _BARE_DATE_LABEL.match(lines[start]) and _LABEL_LINE.match(lines[end]):
        return None
    return start, end


def _is_title_candidate(line: str) -> bool:
    return (not is_furniture(line) and not looks_like_paragraph(line)
            and not line.endswith((":", "：")) and not line.startswith(("—", "本报讯", "本報訊")))


def _find_title(lines: list[str], span: tuple[int, int] | None) -> int:
    """The title is the last header line before the meta block (or before the first paragraph);
    what is above it is the site name and navigation."""
    if span is None:
        first_para = next((i for i, ln in enumerate(lines) if looks_like_paragraph(ln)), len(lines))
        head = [i for i in range(first_para) if _is_title_candidate(lines[i])]
        # A notice's own field list (时间：… 地点：…) comes after its headline.
        head = head[: next((k for k, i in enumerate(head) if k and i + 1 < len(lines)
                            and _LABEL_LINE.match(lines[i]) and _LABEL_LINE.match(lines[i + 1])),
                           len(head))]
        if not head:
            raise SeedError("no recognisable title: the text starts with a body paragraph"
                            if first_para == 0 else "no recognisable title, only page furniture")
        return head[-1]  # with no sentence anywhere, the last line is a headline without body
    before = [i for i in range(span[0]) if _is_title_candidate(lines[i])]
    after = span[1]  # some pages print the meta line above the headline
    while after < len(lines) and is_furniture(lines[after]):
        after += 1
    headline_after = (after + 1 < len(lines) and _is_title_candidate(lines[after])
                      and looks_like_paragraph(lines[after + 1]))
    site_only = len(before) == 1 and len(lines[before[0]]) <= 12  # just a site name above
    if before and not (headline_after and site_only
                       and len(lines[after]) > len(lines[before[0]])):
        return before[-1]
    if headline_after or (not before and after + 1 < len(lines)
                          and _is_title_candidate(lines[after])):
        return after
    raise SeedError("no recognisable title before the date/source line")


def _clean_title(title: str, header: list[str]) -> str:
    title = _TITLE_LABEL.sub("", title)
    for name in header:  # "Headline - Site name", as <title> texts carry it
        stripped = re.sub(rf"\s*[-_|｜—－–]+\s*{re.escape(name)}$", "", title)
        if stripped != title and len(stripped) >= 4:
            return stripped
    # A page dumped without its header still carries the <title> suffix: "Headline - X网".
    stripped = _SITE_SUFFIX.sub("", title)
    return stripped if len(stripped) >= 4 else title


def _body(lines: list[str], titles: set[str], site_names: set[str], meta: _Meta) -> list[str]:
    lines = _drop_leading(lines, titles, meta)
    cut = _footer_start(lines)
    body, footer = lines[:cut], lines[cut:]
    if footer and body and _is_column_title(body[-1], footer[0]):
        body.pop()  # a "Site news" / "Videos" column title right above its more>> list
    body = _drop_trailing(body, site_names | set(meta.values.values()), meta)
    for line in footer:  # an editor line may follow the share bar
        fields = meta_fields(line)
        if _is_after_body_meta(fields):
            meta.take(fields or ())
    if body and (m := _INLINE_EDITOR.search(body[-1])):  # "……。（编辑：王明）"
        meta.take([("editor", m.group(1).strip())])
        body[-1] = body[-1][: m.start()].rstrip()
        body = [p for p in body if p]
    return body


def _drop_leading(lines: list[str], titles: set[str], meta: _Meta) -> list[str]:
    """Share bars, widgets, credit lines and a repeated headline before the first paragraph."""
    i = 0
    while i < len(lines):
        fields = meta_fields(lines[i])
        byline = _byline_fields(lines[i])
        if _is_after_body_meta(fields) or byline:
            meta.take(fields or byline or ())
        elif not (is_furniture(lines[i]) or lines[i] in titles):
            break
        i += 1
    return lines[i:]


def _footer_start(lines: list[str]) -> int:
    """Index of the first footer line: a widget (share, prev/next, copyright, QR, print…), a
    list heading followed by a link list, or a closing run of dated programme entries."""
    for j in range(1, len(lines)):
        line = lines[j]
        if is_furniture(line):
            return j
        if _is_list_heading(line) and _link_list_follows(lines[j + 1:]):
            return j
        if _PROGRAM_ITEM.match(line) and all(_PROGRAM_ITEM.match(x) or is_furniture(x)
                                             for x in lines[j:]):
            return j
    return len(lines)


def _link_list_follows(rest: list[str]) -> bool:
    items = [ln for ln in rest if not (is_furniture(ln) or _is_list_heading(ln))]
    return bool(items) and all(len(ln) <= 50 and not _SENTENCE_END.search(ln) for ln in items)


def _is_column_title(line: str, next_line: str) -> bool:
    """A bare short name (no punctuation) directly above a more>> link or a list heading."""
    return (len(line) <= 12 and bool(_PLAIN_WORDS.match(line))
            and ("更多" in next_line and is_furniture(next_line) or _is_list_heading(next_line)))


def _drop_trailing(body: list[str], names: set[str], meta: _Meta) -> list[str]:
    """Editor/source lines after the body, a repeat of the site name, leftover furniture."""
    while body:
        line = body[-1]
        fields = meta_fields(line)
        if _is_after_body_meta(fields):
            meta.take(fields or ())
        elif not (line in names or is_furniture(line) or _PROGRAM_ITEM.match(line)):
            break
        body.pop()
    return body


# ---------------------------------------------------------------- the Article
def _article(title: str, paragraphs: list[str], meta: _Meta, zone: tzinfo) -> Article:
    warnings: list[str] = []
    values = meta.values
    published = _read_date(values.get("published") or values.get("stray_date"), zone, warnings)
    updated = _read_date(values.get("updated"), zone, warnings)
    source = values.get("source", "")
    if m := DATE_PATTERN.search(source):  # 来源：东城网 2024-01-05
        source = source[: m.start()]
    return Article(
        title=title,
        paragraphs=tuple(paragraphs),
        content_html="\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs),
        published=published,
        updated=updated if updated and published and updated > published else None,
        source=source.strip(" |｜丨/") or None,
        author=normalise_people(" ".join(meta.authors)),
        editor=normalise_people(values.get("editor")),
        language=guess_script(title + "".join(paragraphs[:5])),
        summary=summarise(paragraphs),
        warnings=tuple(warnings),
    )


def _read_date(value: str | None, zone: tzinfo, warnings: list[str]) -> datetime | None:
    if not value:
        return None
    try:
        return find_date(_WEEKDAY.sub(" ", value), zone)  # 2024年3月5日 星期二 09:00
    except ImpossibleDate as e:  # a CMS typo costs the date, not the article
        warnings.append(f"impossible date left out: {e}")
        return None


def summarise(paragraphs: list[str]) -> str | None:
    """The first real paragraph, cut near _SUMMARY_LEN at a sentence (else clause) boundary."""
    text = next((p for p in paragraphs if len(p) >= 15), paragraphs[0] if paragraphs else "")
    if len(text) <= _SUMMARY_LEN:
        return text or None
    head = text[:_SUMMARY_LEN]
    cut = max(head.rfind(m) for m in "。！？!?；;")
    if cut >= _SUMMARY_LEN // 3:
        return head[: cut + 1] + "…"
    cut = max(head.rfind(m) for m in "，,、：:")
    return (head[:cut] if cut >= _SUMMARY_LEN // 3 else head.rstrip()) + "…"
