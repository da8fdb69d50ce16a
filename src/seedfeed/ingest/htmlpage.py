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

import json
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, tzinfo
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from ..errors import SeedError
from ..model import Article
from .clean import clean_line, strip_blanks
from .dates import DATE_PATTERN, ImpossibleDate, find_date, to_zone
from .people import normalise_people
from .sanitize import _BLOCKS, _inner_html, _neutralise, _squash, html_paragraphs, sanitise_html

# --- metadata in <head> --------------------------------------------------------------------

_LD_TYPES = {"article", "newsarticle", "blogposting", "reportagenews", "analysisnewsarticle"}
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
    return meta


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


# --- finding the article -------------------------------------------------------------------

# class/id words of page furniture, matched as whole words of "related-news", "share_box"…
_CHROME_WORDS = {
    "breadcrumb", "breadcrumbs", "crumb", "crumbs", "share", "sharing", "social", "related",
    "recommend", "recommended", "comment", "comments", "sidebar", "advert", "advertisement",
    "ad", "ads", "banner", "toolbar", "pagination", "pager", "copyright", "nav", "navbar", "menu",
    "subscribe", "newsletter", "sr", "popup", "modal", "cookie", "logo",
}  # not 'hidden' (Tailwind's overflow-hidden) nor 'print' (print-area holds the article)
_CHROME_TAGS = ("nav", "aside", "footer")
# Short blocks that are widgets or page furniture whatever their markup; the word must end
# there ('分享到：', 'Related stories'), so '打印机…' or 'shareholders…' stay body text.
_FURNITURE = re.compile(
    r"^[\s【\[]*(?:分享[到至]?|打印(?:本[页頁]|此[页頁])?|字[体體号號]|上一篇|下一篇|版[权權]所有|"
    r"[扫掃]一[扫掃]|[关關][闭閉]窗口|相[关關](?:新[闻聞]|[阅閱][读讀]|[链鏈]接|推荐|推薦|文章|报道|報道)|"
    r"推[荐薦][阅閱][读讀]|延伸[阅閱][读讀]|返回[顶頂]部|[当當]前位置|您的位置|你的位置|"
    r"copyright|related|read more|share(?: this)?)(?=$|[\s:：】\]|｜>»©])", re.IGNORECASE)
_CONTAINERS = {"div", "section", "article", "main", "header", "footer", "body", "ul", "ol",
               "table", "tbody", "thead", "tr", "dl", "blockquote", "figure", "form", "center"}


def _is_chrome(el: lxml.html.HtmlElement) -> bool:
    words = re.split(r"[\s_\-]+", f"{el.get('class', '')} {el.get('id', '')}".lower())
    return el.tag in _CHROME_TAGS or el.get("role") in ("navigation", "complementary") or bool(
        _CHROME_WORDS.intersection(words))


def _in_chrome(el: lxml.html.HtmlElement) -> bool:
    return _is_chrome(el) or any(map(_is_chrome, el.iterancestors()))


def _text_len(el: lxml.html.HtmlElement) -> int:
    return len(_squash(el.text_content()))


def _content_root(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """articleBody, the wordiest <article>, <main>; else the parent of most paragraph text."""
    for query in ("//*[@itemprop='articleBody']", "//article", "//main | //*[@role='main']"):
        if found := [el for el in doc.xpath(query) if not _in_chrome(el)]:
            return max(found, key=lambda el: sum(map(_text_len, el.iter("p"))) or _text_len(el))
    scores: dict[lxml.html.HtmlElement, int] = {}
    for p in doc.iter("p"):  # meta lines are short paragraphs too, but not the article
        if (parent := p.getparent()) is not None and not _meta_fields(p.text_content()):
            scores[parent] = scores.get(parent, 0) + _text_len(p) * (not _in_chrome(p))
    body = doc.find("body")
    return max(scores, key=scores.__getitem__) if scores else doc if body is None else body


def _title_element(doc: lxml.html.HtmlElement, title: str) -> lxml.html.HtmlElement | None:
    """The visible headline: the first non-chrome element whose text is the title."""
    want = _norm(title)
    for el in doc.iter("h1", "h2", "h3", "div", "p", "td", "span", "strong", "b", "font"):
        # the cheap test on el.text first: text_content() of every element would be quadratic
        if (_norm(el.text or "")[:4] == want[:4] and _norm(el.text_content()) == want
                and not _in_chrome(el)):
            return el
    return None


def _meta_scope(root: lxml.html.HtmlElement, headline) -> lxml.html.HtmlElement:
    """The article plus its headline block: the nearest ancestor shared by both."""
    if headline is None:
        return root
    around_root = {root, *root.iterancestors()}
    return next((el for el in [headline, *headline.iterancestors()] if el in around_root), root)


def _drop_chrome(root: lxml.html.HtmlElement) -> None:
    doomed = [el for el in root.iterdescendants() if isinstance(el.tag, str) and (
        _is_chrome(el) or _is_link_list(el)
        or (el.tag not in _CONTAINERS and len(el.text_content()) < 80
            and _FURNITURE.match(el.text_content())))]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _is_link_list(el: lxml.html.HtmlElement) -> bool:
    """A list whose every item is only a link: related/more-news lists, not article text."""
    items = el.findall("li") if el.tag in ("ul", "ol") else []
    return len(items) >= 2 and all(
        _squash(li.text_content()) == _squash("".join(a.text_content() for a in li.iter("a")))
        for li in items)


# --- visible meta lines ('2024-06-28 来源：X 作者：Y', '责任编辑：Z') -------------------------

_LABELS = {
    "source": "来源 來源 稿源 出处 出處 本文来源 本文來源 文章来源 文章來源 信息来源 信息來源 source",
    "author": "作者 记者 記者 通讯员 通訊員 撰稿 文 author",
    "editor": "责任编辑 責任編輯 责编 責編 编辑 編輯 值班编辑 editor",
    "date": "发布时间 發布時間 发布日期 發布日期 發佈時間 时间 時間 日期 published posted date",
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


def _meta_fields(text: str) -> dict[str, str] | None:
    """Fields of a meta line, or None when the text is body text."""
    text = _squash(text)
    if not text or len(text) > 160:
        return None
    stamp = DATE_PATTERN.match(text)  # '2025-04-01 09:00 本报记者 王强 通讯员 赵敏'
    byline = text[stamp.end():].strip(_SEPS) if stamp else text
    if _BYLINE_RE.match(byline) and not re.search(r"[，。！？；,.!?;]", byline):
        return {"author": byline} | ({"date": stamp.group()} if stamp else {})
    matches = list(_LABEL_RE.finditer(text))
    fields: dict[str, str] = {}
    for m, nxt in zip(matches, [*matches[1:], None], strict=False):
        field = _LABEL_FIELD[m["label"].lower()]
        value = text[m.end(): nxt.start() if nxt else len(text)].strip(_SEPS)
        fields[field] = f"{fields[field]} {value}".strip() if field in fields else value
    if not matches:
        return {"date": text} if _date_like(text) else None  # a bare timestamp line
    prefix = text[: matches[0].start()].strip(_SEPS)
    if prefix and not _date_like(prefix):
        return None  # text before the first label: a sentence, not a meta line
    if prefix:
        fields.setdefault("date", prefix)
    if fields.keys() - {"date", "ignore"}:
        return fields
    return {"date": fields["date"]} if _date_like(fields.get("date", "")) else None


def _date_like(text: str) -> bool:
    """The text is a date and little else."""
    try:
        found = find_date(text, UTC)
    except ImpossibleDate:
        found = None
    return found is not None and len(re.sub(r"[\d\s:：\-/.年月日时時分秒T+Z]", "", text)) <= 2


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
        if fields and not (in_body and fields.keys() == {"date"}):
            for key, value in fields.items():
                found.setdefault(key, []).append(value)
            el.drop_tree()
        elif not leaf:
            stack.extend(reversed(el))
        elif leaf and _text_len(el) > 40:
            in_body = True
    return found


# --- title ---------------------------------------------------------------------------------

_TITLE_SEPS = re.compile(r"\s+[-|–—]\s+|\s*[_｜|]\s*")


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def _strip_suffixes(title: str, sites: set[str]) -> str:
    """'Headline - Site_Section' -> 'Headline' when the trailing parts are known site names."""
    title = clean_line(title)
    while (seps := list(_TITLE_SEPS.finditer(title))) and _norm(title[seps[-1].end():]) in sites:
        title = title[: seps[-1].start()]
    return clean_line(title)


def _opens_or_closes(part: str, page_title: str) -> bool:
    """`part` is the page title up to (or from) a separator, also one _TITLE_SEPS lacks
    ('Headline——Site'): an <h2>/<h3> headline of a page without <h1>."""
    t, p = _norm(page_title), _norm(part)
    if len(p) < 4 or len(t) <= len(p):
        return False
    return (t.startswith(p) and t[len(p)] in _SEP_CHARS
            or t.endswith(p) and t[-len(p) - 1] in _SEP_CHARS)


_SEP_CHARS = "-_|｜—–－·:："


def _title(meta: Meta, h1s: list[str], page_title: str, subheads: Sequence[str] = ()) -> str:
    """og:title, else the article's <h1>, else JSON-LD headline, else <title>; never the
    site name. In '<title>' the headline is the longest part ('Headline_Section_Site',
    'Site - Headline'); the other parts and og:site_name are site names."""
    parts = [p for p in map(clean_line, _TITLE_SEPS.split(clean_line(page_title))) if p]
    head = max(parts, key=len, default="")
    sites = {_norm(s) for s in (_first(meta, "og:site_name", "application-name"), *parts)
             if s and s != head}
    h1s = [h for h in h1s if _norm(h) not in sites]  # a logo <h1> repeats the site name
    og = _strip_suffixes(_first(meta, "og:title") or "", sites)
    for h1 in h1s:  # og:title = the page's own headline + a suffix of an unknown site
        if _norm(og).startswith(_norm(h1)) and _TITLE_SEPS.match(og[len(h1):]):
            og = h1
    matching = [h for h in h1s if _norm(h) in _norm(head) or _norm(head) in _norm(h)]
    matching += [h for h in subheads if not h1s and _opens_or_closes(h, page_title)]
    candidates = (og, *matching, *h1s, _first(meta, "ld:headline", "twitter:title"), head)
    return next((c for c in map(clean_line, filter(None, candidates))
                 if c and _norm(c) not in sites), "")


# --- assembling ----------------------------------------------------------------------------

_PUBLISHED_KEYS = ("article:published_time", "og:article:published_time", "datepublished",
                   "ld:datepublished", "pubdate", "publishdate", "publish_date", "publish-date",
                   "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.created", "date",
                   "sailthru.date", "parsely-pub-date", "citation_publication_date")
_UPDATED_KEYS = ("article:modified_time", "og:updated_time", "datemodified", "ld:datemodified",
                 "lastmod", "last-modified", "dc.date.modified", "dcterms.modified")
_TITLE_CLASS = ("//body//*[contains(concat(' ', translate(@class, '-_', '  '), ' ', "
                "translate(@id, '-_', '  '), ' '), ' title ') or contains(@class, 'headline')]")
_AUTHOR_KEYS = ("author", "ld:author", "article:author", "dc.creator", "byl")


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


def _tags(meta: Meta) -> tuple[str, ...]:
    raw = meta.get("article:tag") or re.split(r"[,，、;；]", _first(meta, "keywords") or "")
    return tuple(dict.fromkeys(t for t in map(clean_line, raw) if t))


def _language(doc: lxml.html.HtmlElement, meta: Meta) -> str | None:
    lang = (doc.get("lang") or doc.get("xml:lang")
            or _first(meta, "content-language", "ld:inlanguage", "og:locale") or "")
    return lang.strip().replace("_", "-") or None


def _headings(doc: lxml.html.HtmlElement) -> list[str]:
    """Texts of the page's <h1>s, else of elements classed as a title (table-layout CMSes)."""
    found = [clean_line(h.text_content()) for h in doc.iter("h1") if not _in_chrome(h)]
    found += [clean_line(el.text_content()) for el in doc.xpath(_TITLE_CLASS) if not found
              and 4 <= _text_len(el) <= 120 and not _in_chrome(el)]
    return [h for h in found if h]


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


def _metadata(doc, meta: Meta, lines: dict[str, list[str]], times: list[str],
              zone: tzinfo) -> dict:
    """Article fields other than title and body: <head> metadata first for dates (it is
    machine-written), the visible meta lines first for people (templates often put the
    site's name into <meta name=author>)."""
    warnings: list[str] = []
    published = _date([*(_first(meta, k) for k in _PUBLISHED_KEYS), *lines.get("date", []),
                       *times], zone, warnings)
    if published is None:
        warnings.append("no publication date found")
    updated = _date([_first(meta, k) for k in _UPDATED_KEYS], zone, warnings)
    source = next(iter(lines.get("source", [])), None) or _first(meta, "source", "contentsource")
    return {
        "published": published,
        "updated": updated,
        "source": clean_line(source or "") or None,
        "author": _people(" ".join(lines.get("author", [])),
                          *(_first(meta, k) for k in _AUTHOR_KEYS)),
        "editor": _people(" ".join(lines.get("editor", [])), _first(meta, "editor")),
        "language": _language(doc, meta),
        "tags": _tags(meta),
        "summary": clean_line(_first(meta, "description", "og:description") or "") or None,
        "warnings": tuple(warnings),
    }


def parse_html(text: str, zone: tzinfo) -> Article:
    """Parse one HTML page. Raises SeedError when it has no title or no article text."""
    doc = _parse_document(text)
    meta = _head_meta(doc)  # before _neutralise, which removes <head> and JSON-LD scripts
    url, base = _links(doc, meta)
    page_title = doc.findtext(".//title") or ""
    _neutralise(doc)
    subheads = [clean_line(h.text_content()) for h in doc.iter("h2", "h3") if not _in_chrome(h)]
    title = _title(meta, _headings(doc), page_title, subheads)
    if not title:
        raise SeedError("no title: the page has no og:title, <h1> or <title>")
    root = _content_root(doc)
    headline = _title_element(doc, title)
    scope = _meta_scope(root, headline)
    times = [t.get("datetime") for t in scope.iter("time")]
    lines = _take_meta_lines(scope, root)
    _drop_chrome(root)
    _drop_headline(root, headline, title)
    content_html = sanitise_html(_inner_html(root), base)
    paragraphs = html_paragraphs(content_html)
    if not paragraphs:
        raise SeedError(f"the page has a title ({title!r}) but no article text")
    return Article(title=title, paragraphs=paragraphs, content_html=content_html, url=url,
                   **_metadata(doc, meta, lines, times, zone))
