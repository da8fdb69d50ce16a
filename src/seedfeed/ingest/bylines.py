"""Bylines of HTML pages: which names are people, and the reporters a body names.

Templates fill `<meta name=author>` with the outlet ('网易', '新华社'), a user id
('sina_mobile', 'L_104485'), the CMS's credits ('Discuz! Team') or the page's editor; the
reporters are often named only in the body: '北京商报讯（记者 岳品瑜 董晗萱）…',
'（信报记者 蔡雪婧）' closing it, or a line '新华社记者邹多为、唐诗凝、丁乐'. Pure string
functions; nothing here knows a site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from . import textrules as rules
from .dates import DATE_PATTERN
from .people import normalise_people

_CJK_NAME = re.compile(r"^[\u3400-\u9fff]{2,4}$|^[\u3400-\u9fff]{1,6}·[\u3400-\u9fff·]{1,12}$")
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z.'-]*(?: [A-Z][A-Za-z.'-]*){0,3}$")
_NOT_A_NAME = re.compile(r"未知|佚名|匿名|不详|unknown|admin|team|编辑部|编辑组|小编|网友|网络版|[@_\d./:]"
                         r"|评论员|評論員|通讯员|通訊員|记者|記者|主持人",
                         re.IGNORECASE)
# An outlet glued before a name: '青网新闻张毅', '中青网记者魏其濛'.
_OUTLET_PREFIX = re.compile(r"^[\u3400-\u9fff·]{1,10}?(?:新闻|网|报|台|社)(?:记者)?(?=[\u3400-\u9fff]{2,3}$)")
_ROLE = r"(?:[\u3400-\u9fff·]{0,10}?(?:记者|記者|通讯员|通訊員)|作者)"
# '（记者 王明）' or '（信报记者 蔡雪婧）' anywhere in the opening or closing paragraph
_BRACKETED = re.compile(r"[（(【\[]\s*" + _ROLE + r"\s*([^（）()【】\[\]，。：:]{2,30}?)\s*[）)】\]]")
# a line of its own: '新华社记者邹多为、唐诗凝、丁乐', '中青报·中青网记者 魏其濛 来源：中国青年报',
# '整合 某报·某某点记者 王明' (a credit word first), '某某网某某频道  记者  王明  李华'
_LINE = re.compile(r"^(?:[\u4e00-\u9fff]{1,4}\s+(?=\S*(?:记者|記者)))?"
                   r"(?:[\u3400-\u9fff·]{0,12}?\s*(?:记者|記者|通讯员|通訊員)|作者)"
                   r"\s*([^，。！？!?]{2,30}?)\s*"
                   r"(?:(?:来源|來源|编辑|編輯|责任编辑)\s*[:：].*)?$")
# The bare sign-off closing the last paragraph: '……。（钟才文）', '（常书香 马丹阳）', '（姚峰 上海报道）'.
_SIGN_OFF = re.compile(r"[。！？”」][（(]\s*"
                       r"(?:[\u4e00-\u9fff]{2,6}?(?:新闻|新聞|日报|日報|晚报|晚報|社|台|网|網))?"  # 民視新聞
                       r"((?:[\u4e00-\u9fff]{2,3}[\s、]*){1,3}?)"
                       r"(?:[\u4e00-\u9fff]{2}(?:报道|報道|报导|報導))?\s*[）)]$")
# '… 金名/高雄報導', '記者王大明／台北報導': names, a slash, the place of filing
_FILED = re.compile(r"(?:^|[\s\d]|记者|記者)((?:[\u4e00-\u9fff]{2,3}[、\s]*){1,3}?)\s*[/／╱]\s*"
                    r"[\u4e00-\u9fff]{2,4}(?:报道|報道|报导|報導)$")
# The commonest surnames (Simplified and Traditional): a bare line of two or three
# characters opening a column is its writer only when it starts with one.
_SURNAMES = set("王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧"
                "曹彭曾肖萧蕭田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈"
                "夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閻段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔"
                "向汤湯常温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷詹申欧歐耿关關兰蘭焦"
                "俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童凌毕畢单單季裴霍涂成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑"
                "华華喻祁蒲房滕屈饶饒解牟艾尤阳陽时時穆农農司卓古吉缪繆简簡车車项項连連芦蘆麦麥褚娄婁窦竇戚岑"
                "景党黨宫宮费費卜冷晏席卫衛米柏宗瞿桂全佟应應臧闵閔苟邬鄔边邊卞姬师師和仇栾欒隋商刁沙荣榮巫寇"
                "桑郎甄丛叢仲虞敖巩鞏明佘池查麻苑迟遲邝鄺官封谈談匡鞠惠荆荊乐樂冀郁胥南班储儲原栗燕楚鄢劳勞谌諶")
_NOT_A_WRITER = {"编者按", "編者按", "导读", "導讀", "摘要", "前言", "引言", "按语", "按語", "正文"}


def bare_name(line: str) -> str | None:
    """A column's writer on a line of its own just before the text: '李武忠', then the body.
    Three characters and a common surname: two-character lines are too often words."""
    name = line.strip()
    if (len(name) == 3 and re.fullmatch(r"[\u4e00-\u9fff]+", name) and name[0] in _SURNAMES
            and name not in _NOT_A_WRITER):
        return name
    return None


# A byline that gives the writer's post before the name, closing a bracket the label opened:
# '（作者：某某中心研究部部长、研究员徐占忱）返回首页' -> '徐占忱'
_POST_THEN_NAME = re.compile(r"(?:研究员|研究員|教授|主任|部长|部長|院长|院長|所长|所長|博士|讲师|講師|"
                             r"分析师|分析師|经济学家|經濟學家|主编|主編|理事长|理事長)"
                             r"([\u4e00-\u9fff]{2,3})$")


def name_after_post(value: str) -> str | None:
    """The name at the end of a byline that first gives the writer's post and affiliation."""
    value = re.split(r"[）)]", value, maxsplit=1)[0].strip()
    m = _POST_THEN_NAME.search(value)
    return m.group(1) if m and len(value) > 8 else None


def person_as_source(source: str | None) -> str | None:
    """A 'source' that is a person ('来源: 尹娟'): two or three characters, a common surname
    first, nothing an outlet is called."""
    name = (source or "").strip()
    if (re.fullmatch(r"[\u4e00-\u9fff]{2,3}", name) and name[0] in _SURNAMES
            and not rules.OUTLET.fullmatch(name) and not _NOT_A_NAME.search(name)):
        return name
    return None


_NOT_SIGNED = re.compile(r"报道|報道|报导|電|电|讯|訊|摄|攝|图|圖|完|供稿|整理|编译|編譯")
_EDITOR = re.compile(r"(?:责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：]\s*"
                     r"([\u3400-\u9fff]{2,4})(?![\u3400-\u9fff])")


def plausible(names: str | None, sites: Iterable[str] = (), strict: bool = True) -> str | None:
    """The names that look like people's ('sina_mobile', 'Discuz! Team', '新华社' do not).
    Not strict (a visible byline): any handle that is no outlet, id or site name."""
    if not names:
        return None
    site_set = set(sites)
    if not strict and (len(names) > 30 or re.search(r"[“”\"（）()，。？！?!：:]", names)):
        return None  # a sentence or a caption caught by a label, not a byline
    kept = []
    for name in names.split("、"):
        name = _OUTLET_PREFIX.sub("", name)
        if (name in site_set or _NOT_A_NAME.search(name)
                or any(site.startswith(name) for site in site_set)  # '网易' of '网易新闻'
                or len(name) > 2 and rules.OUTLET.fullmatch(name)
                or strict and not (_CJK_NAME.match(name) or _LATIN_NAME.match(name))
                or not strict and (len(name) > 16 or re.search(r"[，。？！?!：:]", name))):
            continue
        kept.append(name)
    return "、".join(dict.fromkeys(kept)) or None


_BULLETS = re.compile(r"^[□■◆◇▲△○●◎☆★•]+\s*")


def body_byline(paragraphs: Sequence[str]) -> str | None:
    """Reporters named in the first two or the last three paragraphs of the body."""
    for text in [*paragraphs[:2], *reversed(paragraphs[-3:])]:
        text = _BULLETS.sub("", text)  # '□ 本报记者 王明'
        short = len(text) <= 40
        m = (_LINE.match(text) or _FILED.search(text) if short else None) or _BRACKETED.search(
            text if short else f"{text[:60]}…{text[-40:]}")
        if m and (names := plausible(normalise_people(m.group(1)))):
            return names
    if paragraphs and (m := _SIGN_OFF.search(paragraphs[-1])) and not _NOT_SIGNED.search(m[1]):
        return plausible(normalise_people(m.group(1)))
    return None


_TEXT_BY = re.compile(r"^文\s*[/／丨|｜]\s*([\u4e00-\u9fff]{2,4}(?:[、\s][\u4e00-\u9fff]{2,4}){0,3})$")
_CLOSING = re.compile(r"[。！？”][（(]\s*" + _ROLE + r"\s*([^（）()，。：:]{2,20}?)\s*[）)]$")


def byline_in_lines(lines: Sequence[str]) -> str | None:
    """A byline anywhere among a text dump's lines, for bodies that run on into the page's
    furniture: a line of its own ('记者 刘涛', '文/栗思'), or a bracket closing a paragraph
    ('……。（总台记者 张倩）')."""
    for line in lines:
        short = len(line) <= 40
        m = (_LINE.match(line) or _TEXT_BY.match(line) if short else None) or _CLOSING.search(line)
        if m and (names := plausible(normalise_people(m.group(1)))):
            return names
    return None


def page_editors(text: str) -> set[str]:
    """Names the page labels as its editors ('责任编辑：刘峻凌', '[ 责编：张倩 ]')."""
    return set(_EDITOR.findall(text))


# A forum post's own signature: '本贴由大卫于2005年8月12日16:12:21在〖某论坛〗发表'
_POSTED_BY = re.compile(r"(?:本[贴帖貼]|此[贴帖貼])由\s*([^\s于於]{1,20}?)\s*[于於]\s*("
                        + DATE_PATTERN.pattern + r")\s*(?:在.{0,40}?)?(?:发表|發表)")


def signs_post(line: str) -> bool:
    """The line is a forum post's closing signature (`本贴由X于…发表`): the post ends above it."""
    return bool(_POSTED_BY.match(line))


# A blog post's footer: '由某某张贴 @ 2005-06-14 03:25:55'
_PINNED_BY = re.compile(r"由\s*([^\s@于於]{1,20}?)\s*(?:张贴|張貼)\s*[@于於]\s*("
                        + DATE_PATTERN.pattern + ")")


def posted_by(text: str) -> tuple[str, str] | None:
    """(the poster, the date) a forum or blog post signs itself with, anywhere in the page's
    text."""
    if m := _POSTED_BY.search(text) or _PINNED_BY.search(text):
        return m.group(1), m.group(2)
    return None


# A blog entry's footer: 'posted @ 2024-05-09 14:45 某某 阅读(430) 评论(2)'; the name is one
# word, and a dump may put each part on a line of its own.
# (DATE_PATTERN ends by taking the blanks after the clock, possessively: hence \s* below.)
_POSTED_AT = re.compile(r"(?i:posted)\s*@\s*(" + DATE_PATTERN.pattern + r")\s*([^\s()（）]{1,30})")


def posted_at(text: str) -> tuple[str, str] | None:
    """(the writer, the date) of a blog entry's 'posted @ date name' footer."""
    if m := _POSTED_AT.search(text):
        return m.group(m.re.groups), m.group(1)
    return None
