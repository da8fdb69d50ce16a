"""HTML metadata: what a page says about itself, apart from its title and body.

Machine-written metadata in ``<head>`` (Open Graph, ``article:*``, Dublin Core, JSON-LD,
microdata, canonical link, ``<html lang>``) and the visible meta lines of the article
(``来源：… 作者：… 责任编辑：…``, ``By Jane Doe``), assembled into Article fields. Pure
functions over lxml trees and strings; nothing here knows a particular site.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import lxml.html

from .bylines import name_after_post, person_as_source, plausible
from .clean import clean_line, strip_blanks
from .dateline import prefer_visible
from .dates import DATE_PATTERN, ImpossibleDate, find_date, to_zone
from .images import absolute_image
from .people import normalise_people
from .sanitize import _squash

# --- metadata in <head> --------------------------------------------------------------------

_LD_TYPES = {"article", "newsarticle", "blogposting", "reportagenews", "analysisnewsarticle",
             "opinionnewsarticle", "socialmediaposting", "discussionforumposting", "techarticle"}
_LD_KEYS = ("headline", "datePublished", "dateModified", "author", "inLanguage")
Meta = dict[str, list[str]]


def _head_meta(doc: lxml.html.HtmlElement) -> Meta:
    """<meta name|property=… content=…>, microdata and JSON-LD values; keys lower-cased."""
    meta: Meta = {}
    for el in doc.xpath("//meta | //*[@itemprop]"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        value = strip_blanks(el.get("content") or el.get("datetime") or "")
        if key and value:
            meta.setdefault(key.strip().lower(), []).append(value)
    for script in doc.xpath("//script[@type='application/ld+json']"):
        try:
            nodes = list(_ld_nodes(json.loads(script.text or "")))
        except (ValueError, RecursionError):
            continue  # broken (or absurdly nested) JSON-LD is common and never fatal
        for node in nodes:
            kind = node.get("@type")
            kinds = {str(k).lower() for k in (kind if isinstance(kind, list) else [kind])}
            for key in _LD_KEYS if kinds & _LD_TYPES else ():
                if text := _ld_text(node.get(key)):
                    meta.setdefault("ld:" + key.lower(), []).append(text)
            if kinds & _LD_TYPES:
                meta.setdefault("ld:organisations", []).extend(_ld_organisations(node))
    return meta


def _ld_organisations(node: dict) -> list[str]:
    """Names the JSON-LD declares as organisations (an author or publisher of @type
    Organization): a desk or an agency, whatever element shows it as the byline."""
    found: list[str] = []
    for key in ("author", "publisher", "creator"):
        for item in (v if isinstance(v := node.get(key), list) else [v]):
            if isinstance(item, dict) and "organization" in str(item.get("@type", "")).lower():
                found += filter(None, [_ld_text(item.get("name"))])
    return found


def _ld_nodes(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _ld_nodes(item)
    elif isinstance(data, dict):
        yield data
        yield from _ld_nodes(data.get("@graph", []))


def _ld_text(value: object) -> str | None:
    """A JSON-LD value as text: {name: …} objects and lists of them become 'A、B'."""
    if isinstance(value, list):
        return "、".join(filter(None, map(_ld_text, value))) or None
    if isinstance(value, dict):
        return _ld_text(value.get("name"))
    return strip_blanks(str(value)) or None if isinstance(value, (str, int, float)) else None


def _first(meta: Meta, *keys: str) -> str | None:
    return next((meta[k][0] for k in keys if meta.get(k)), None)



# --- visible meta lines ('2024-06-28 来源：X 作者：Y', '责任编辑：Z') -------------------------

_LABELS = {
    "source": "来源 來源 稿源 出处 出處 本文来源 本文來源 文章来源 文章來源 信息来源 信息來源 source",
    "author": "作者 记者 記者 通讯员 通訊員 撰稿 文 author",
    "editor": "责任编辑 責任編輯 责编 責編 编辑 編輯 值班编辑 editor",
    "date": "发布时间 發布時間 发布日期 發布日期 發佈時間 發佈日期 发表时间 發表時間 时间 時間 日期 "
            "published posted date",
    "updated": "更新时间 更新時間 修改时间 修改時間 最后更新 最後更新 updated",
    # widgets that share the meta line; they end the value before them and are dropped
    "ignore": "字号 字號 字体 字體 浏览 瀏覽 浏览次数 瀏覽次數 点击 點擊 点击数 阅读 閱讀 阅读量 访问量 "
              "审核 審核 审校 審校 校对 校對 终审 終審 监制 監製 统筹 統籌 摄影 攝影 图片 圖片",
}
_LABEL_FIELD = {w: f for f, words in _LABELS.items() for w in words.split()}
_LABEL_RE = re.compile(
    r"(?P<label>" + "|".join(sorted(map(re.escape, _LABEL_FIELD), key=len, reverse=True))
    + r")\s*[:：]", re.IGNORECASE)
_BYLINE_RE = re.compile(r"^(?:本[报報台]|特[约約]|[见見]习|[实實]习|融媒[体體]|全媒[体體])?"
                        r"(?:记者|記者|通讯员|通訊員)\s|^(?i:by)\s+[A-Z]")
_SEPS = " \t\u3000\u00a0|｜丨/·•-—[]【】()（）"  # around meta values: '【责任编辑：X】'
# Not part of any field: a weekday (2024年06月28日 星期五) and an e-paper's page label
# (第A03版：要闻), which share the date line of newspaper pages.
_LINE_NOISE = re.compile(r"[（(]?(?:星期|周|週|禮拜|礼拜)[一二三四五六日天][）)]?"
                         r"|第\s*[A-Za-z0-9０-９]{1,4}\s*版(?:\s*[:：]\s*\S{1,8})?")
# '2024/01/01 16:30（2024/01/01 17:05 更新）': the page's update time in brackets.
_UPDATED_NOTE = re.compile(r"[（(]\s*(" + DATE_PATTERN.pattern + r")\s*(?:更新|updated)\s*[）)]",
                           re.IGNORECASE)


@lru_cache(maxsize=4096)  # the finding steps and the meta-line reader ask about the same lines
def _meta_fields(text: str) -> dict[str, str] | None:
    """Fields of a meta line, or None when the text is body text (shared: never mutate it)."""
    text = _squash(_PRIVATE_USE.sub(" ", text))
    if not text or len(text) > 160:
        return None
    if (note := _UPDATED_NOTE.search(text)) and (rest := _meta_fields(
            text[: note.start()] + text[note.end():]) or {}):
        return rest | {"updated": note.group(1)}
    if _LINE_NOISE.search(text):
        text = _squash(_LINE_NOISE.sub(" ", text))
    stamp = DATE_PATTERN.match(text)  # '2025-04-01 09:00 本报记者 王强 通讯员 赵敏'
    byline = text[stamp.end():].strip(_SEPS) if stamp else text
    if _BYLINE_RE.match(byline) and not re.search(r"[，。！？；,.!?;]", byline):
        return {"author": byline} | ({"date": stamp.group()} if stamp else {})
    if (credit := _WRITTEN_BY.match(byline)) and not re.search(r"[，。！？；,.!?;]", byline):
        return {"author": credit["names"]} | ({"date": stamp.group()} if stamp else {})
    matches = list(_LABEL_RE.finditer(text))
    fields: dict[str, str] = {}
    for m, nxt in zip(matches, [*matches[1:], None], strict=False):
        field = _LABEL_FIELD[m["label"].lower()]
        value = text[m.end(): nxt.start() if nxt else len(text)].strip(_SEPS)
        fields[field] = f"{fields[field]} {value}".strip() if field in fields else value
    if not matches:
        return {"date": text} if _date_like(text) else None  # a bare timestamp line
    before = _before_labels(text[: matches[0].start()].strip(_SEPS))
    if before is None:
        return None  # text before the first label: a sentence, not a meta line
    fields = before | fields
    if _SPOKEN.search(fields.get("author", "")):
        return None  # an interview's question: '记者：请问你怎样看待……？'
    if "source" in fields and "author" not in fields and (
            named := _SOURCE_THEN_NAME.match(fields["source"])):
        fields["source"], fields["author"] = named["source"], named["names"]  # X网 记者 王帆
    if fields.keys() - {"date", "ignore"}:
        return fields
    return {"date": fields["date"]} if _date_like(fields.get("date", "")) else None


# A sentence after an author label: the speaker's words in an interview, not a name
_SPOKEN = re.compile(r"[？?]|[，,；;].*[。！!]|[。！!].{8,}")


# unlabelled before the labels: a site's domain, the date, a bracketed name
# ('BUSINESS.EXAMPLE.COM 2004年7月16日08:19 [ 黄宇 ] 来源：[ 某某报 ]')
_DOMAIN_FIRST = re.compile(r"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\s+(?=\d)")
_BRACKETED_NAME = re.compile(r"[\[【]\s*([\u4e00-\u9fff]{2,4}(?:\s+[\u4e00-\u9fff]{2,4}){0,2})\s*[\]】]?$")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # icon-font glyphs between the fields


def _before_labels(prefix: str) -> dict[str, str] | None:
    """The fields of the text before a meta line's first label; None for a sentence."""
    found: dict[str, str] = {}
    if named := _BRACKETED_NAME.search(prefix):
        found["author"], prefix = named.group(1), prefix[: named.start()].strip(_SEPS)
    prefix = _DOMAIN_FIRST.sub("", prefix)
    if prefix and not _date_like(prefix):
        return None
    return found | ({"date": prefix} if prefix else {})


# 'Text by': 文丨某某特约评论员 韩涵 · 文/本报记者 王明 · 文｜李华 (the role words go)
_WRITTEN_BY = re.compile(r"^文\s*[丨|｜/／]\s*(?:[^\s]{0,12}?(?:评论员|評論員|记者|記者|作者|撰稿人))?\s*"
                         r"(?P<names>[\u4e00-\u9fff]{2,4}(?:[\s、，][\u4e00-\u9fff]{2,4}){0,3})$")
# A source value that goes on to name the reporter: '新华网 黑龙江频道 记者 伊琳 李清芬'.
_SOURCE_THEN_NAME = re.compile(
    r"^(?P<source>[^\s]{2,20}?(?:网|網|报|報|社|台|频道|頻道|中心))(?:\s+\S*?(?:网|網|频道|頻道))?\s+"
    r"(?:本报|本報|特约|特約)?(?:记者|記者|通讯员|通訊員)\s*"  # a bare word may be a place
    r"(?P<names>[\u4e00-\u9fff]{2,3}(?:\s+[\u4e00-\u9fff]{2,3}){0,3})$")


def _date_like(text: str) -> bool:
    """The text is a date and little else."""
    try:
        found = find_date(text, UTC)
    except ImpossibleDate:
        found = None
    rest = _ENGLISH_DATE_WORDS.sub("", text)  # 'Saturday, September 10th, 2005 10:56 am'
    return found is not None and len(re.sub(r"[\d\s:：\-/.,年月日时時分秒T+Z]", "", rest)) <= 2


_ENGLISH_DATE_WORDS = re.compile(
    r"\b(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|"
    r"dec)[a-z]*\.?|st|nd|rd|th|at|[ap]\.?m\.?)\b|(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)



# --- assembling ---------------------------------------------------------------------------

_PUBLISHED_KEYS = ("article:published_time", "og:article:published_time", "datepublished",
                   "ld:datepublished", "pubdate", "publishdate", "publish_date", "publish-date",
                   "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.created", "date",
                   "sailthru.date", "parsely-pub-date", "citation_publication_date")
_UPDATED_KEYS = ("article:modified_time", "og:updated_time", "datemodified", "ld:datemodified",
                 "lastmod", "last-modified", "dc.date.modified", "dcterms.modified")
_AUTHOR_KEYS = ("author", "ld:author", "article:author", "dc.creator", "byl")


def _absolute(url: str | None, base: str | None = None) -> str | None:
    url = urljoin(base, url.strip()) if url and base else (url or "").strip()
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _links(doc: lxml.html.HtmlElement, meta: Meta) -> tuple[str | None, str | None]:
    """(canonical URL, base URL for relative links); only absolute http(s) URLs count."""
    og_url = _absolute(_first(meta, "og:url"))
    canonical = next((_absolute(el.get("href"), og_url) for el in doc.iter("link")
                      if "canonical" in (el.get("rel") or "").lower().split()), None)
    url = canonical or og_url
    base_href = next((el.get("href") for el in doc.iter("base") if el.get("href")), None)
    base = _absolute(base_href, url) or url
    # Templates that point every page's canonical at the home page would merge all their
    # articles into one entry (the URL is an article's identity): a site root is no article.
    if url and urlsplit(url).path in ("", "/") and not urlsplit(url).query:
        url = None
    return url, base


_IMAGE_KEYS = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image",
               "twitter:image:src", "image", "thumbnailurl")


def declared_image(doc: lxml.html.HtmlElement, meta: Meta, base: str | None) -> str | None:
    """The page's own lead image: og:image, twitter:image, microdata `image`, then
    <link rel=image_src>; resolved against the page's base URL."""
    for value in (*(v for k in _IMAGE_KEYS for v in meta.get(k, ())),
                  *(el.get("href") for el in doc.iter("link")
                    if "image_src" in (el.get("rel") or "").lower().split())):
        if found := absolute_image(value, base):
            return found
    return None


def _date(values: list[str | None], zone: tzinfo, warnings: list[str]) -> datetime | None:
    """The first readable date; impossible ones (2023-02-30) are skipped with a warning."""
    for value in filter(None, values):
        try:
            if found := to_zone(value, zone):
                return found
        except ImpossibleDate as e:
            warnings.append(f"ignored an impossible date: {e}")
    return None


def _people(*values: str | None) -> str | None:
    for value in values:
        # article:author is often a profile URL, not a name
        if value and not _absolute(value) and (names := normalise_people(value)):
            return names
    return None


def _author(meta: Meta, lines: dict[str, list[str]]) -> str | None:
    """Visible bylines first, then the reporters the body names, then <head> metadata; never
    an outlet, an id, the site or a name the page labels as its editor."""
    sites = [_norm_site(s) for s in (*lines.get("sites", []), _first(meta, "og:site_name") or "",
                                     *meta.get("ld:organisations", []))]
    editors = set(lines.get("page_editors", []))
    visible = [_people(" ".join(lines.get("author", []))), _people("、".join(lines.get("vcard", []))),
               *lines.get("body_author", []), *map(name_after_post, lines.get("author", []))]
    for names in visible:
        if names := plausible(names, sites, strict=False):
            return names
    if names := plausible(next(iter(lines.get("signed", [])), None), strict=False):
        return names  # the poster a post signs with, even when the blog is named after them
    for key in _AUTHOR_KEYS:
        names = plausible(_people(_first(meta, key)), sites)
        if names and not set(names.split("、")) <= editors:
            return names
    return None


def _norm_site(text: str) -> str:
    return clean_line(text)


# A page's keywords are its own SEO list, often the whole site's (86 words, or one long run
# joined by blanks): the first few short ones are the article's tags, the rest is dropped
# rather than rejecting the article (a seed that declares too many tags is still rejected).
_PAGE_TAGS, _PAGE_TAG_CHARS = 20, 40


def _tags(meta: Meta) -> tuple[str, ...]:
    raw = meta.get("article:tag") or re.split(r"[,，、;；]", _first(meta, "keywords") or "")
    tags = [t for t in map(clean_line, raw) if t]
    if len(tags) == 1 and len(tags[0]) > _PAGE_TAG_CHARS:
        tags = tags[0].split()  # 'word word word …': blanks were its separators
    return tuple(dict.fromkeys(t for t in tags if len(t) <= _PAGE_TAG_CHARS))[:_PAGE_TAGS]


def _language(doc: lxml.html.HtmlElement, meta: Meta) -> str | None:
    lang = (doc.get("lang") or doc.get("xml:lang")
            or _first(meta, "content-language", "ld:inlanguage", "og:locale") or "")
    return lang.strip().replace("_", "-") or None



def _metadata(doc, meta: Meta, lines: dict[str, list[str]], zone: tzinfo,
              dateline: datetime | None = None) -> dict:
    """Article fields other than title and body: <head> metadata first for dates (it is
    machine-written, and so is <time datetime>), the visible meta lines first for people
    (templates often put the site's name into <meta name=author>).

    `lines` holds the visible meta lines by field, plus 'time'/'time_updated' (<time
    datetime> values), 'vcard' (microformat author names) and 'tail_date' (a date after
    the article's end mark). `dateline` is the unlabelled date printed by the headline.
    A date-only stamp gives way to a visible date-time of the same day."""
    warnings: list[str] = []
    published = _date([*(_first(meta, k) for k in _PUBLISHED_KEYS), *lines.get("time", []),
                       *lines.get("date", []), *lines.get("tail_date", [])], zone, warnings)
    visible = _date([*lines.get("date", []), *lines.get("tail_date", [])], zone, []) or dateline
    published = prefer_visible(published, visible)
    if published is None:
        warnings.append("no publication date found")
    updated = _date([*(_first(meta, k) for k in _UPDATED_KEYS), *lines.get("time_updated", []),
                     *lines.get("updated", [])], zone, warnings)
    source = next(iter(lines.get("source", [])), None) or _first(meta, "source", "contentsource")
    source, author = clean_line(source or ""), _author(meta, lines)
    if author and source.endswith(author) and len(source) > len(author):
        source = source[: -len(author)].rstrip()  # '来源：X网' and the name in the next span
    elif not author and (author := person_as_source(source)):
        source = ""  # '来源: 尹娟' names the writer, not an outlet
    return {
        "published": published,
        "updated": updated,
        "source": source or None,
        "author": author,
        "editor": _people(" ".join(lines.get("editor", [])), _first(meta, "editor")),
        "language": _language(doc, meta),
        "tags": _tags(meta),
        "summary": clean_line(_first(meta, "description", "og:description") or "") or None,
        "warnings": tuple(warnings),
    }
