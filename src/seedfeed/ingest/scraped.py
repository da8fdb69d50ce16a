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
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from ..errors import SeedError
from ..model import Article
from . import textrules as rules
from .bylines import body_byline, byline_in_lines, posted_at, posted_by, signs_post
from .dates import DATE_PATTERN, ImpossibleDate, find_date
from .decode import guess_script
from .people import normalise_people
from .textlines import (
    Fields,
    byline_fields,
    dateline_author,
    is_after_body_meta,
    is_furniture,
    is_list_heading,
    looks_like_paragraph,
    meta_fields,
    slash_credit,
    split_lines,
)


@dataclass
class _Meta:
    """What the meta lines said; the first value of a key wins, author values accumulate."""

    values: dict[str, str] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)

    def take(self, fields: Fields) -> None:
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
    lines = lines[_top_bars(lines):]
    meta = _Meta()
    span = _find_meta_block(lines)
    title_at = _find_title(lines, span)
    title = _clean_title(_headline_lines(lines, title_at, span), lines[:title_at])
    if span:
        for line in lines[span[0]:span[1]]:
            if rules.TIME_ONLY.match(line) and "published" in meta.values:
                meta.values["published"] += " " + line  # the date line's clock, one line down
            meta.take(meta_fields(line) or byline_fields(line) or ())
    body_start = span[1] if span and span[0] > title_at else title_at + 1
    site_names = {ln for ln in lines[:title_at] if not is_furniture(ln)}
    paragraphs = _body(lines[body_start:], {title, lines[title_at]}, site_names, meta)
    if not paragraphs:
        raise SeedError(f"only a title ({title[:30]!r}), no body text")
    if not meta.authors and (names := dateline_author(paragraphs[0]) or body_byline(paragraphs)
                             or byline_in_lines(lines[body_start:])):
        meta.take([("author", names)])  # 本报讯（记者 王明）…, a closing （信报记者 X）, 记者 刘涛
    # a forum post's signature (本贴由X于2005年8月12日…发表), a blog's 'posted @ date name'
    if posted := posted_by(text) or posted_at(text):
        meta.take([("published", posted[1])] + [("author", posted[0])] * (not meta.authors))
    return _article(title, paragraphs, meta, zone)


# ---------------------------------------------------------------- page structure
def _top_bars(lines: list[str]) -> int:
    """How many opening lines are a navigation bar or a ticker, not the article: a run of bare
    words, or a sentence-like line right above a headline that has its meta line under it."""
    n = 0
    while n < min(2, len(lines) - 2) and (rules.NAV_RUN.match(lines[n]) or (
            looks_like_paragraph(lines[n]) and _is_title_candidate(lines[n + 1])
            and meta_fields(lines[n + 2]) is not None)):
        n += 1
    return n


def _find_meta_block(lines: list[str]) -> tuple[int, int] | None:
    """[start, end) of the first run of meta lines in the header (furniture may sit between)."""
    start: int | None = None
    end = 0
    # A long menu can push the meta line past rules.META_SEARCH lines; it still precedes the
    # first paragraph, so the search reaches at least that far.
    first_para = next((i for i, ln in enumerate(lines) if looks_like_paragraph(ln)), 0)
    for i, line in enumerate(lines[:max(rules.META_SEARCH, first_para + 1)]):
        if meta_fields(line) is not None or byline_fields(line):
            start = i if start is None else start
            end = i + 1
        elif start is not None:
            if not is_furniture(line):
                break
        elif looks_like_paragraph(line):
            break  # the body began without any meta line
    if start is None:
        return None
    if end < len(lines) and rules.TIME_ONLY.match(lines[end]) and any(
            k == "published" for k, _ in meta_fields(lines[end - 1]) or ()):
        end += 1  # 2024年10月8日（星期二） / 香港時間16時30分: the clock under the date
    # "时间：5月1日" followed by "地点：…" is a notice's own field list, not page meta; a
    # 发布时间/发布日期 label is always the page's (a notice's 活动时间/活动地点 may follow it).
    keys = [k for k, _ in meta_fields(lines[start]) or ()]
    if end == start + 1 and keys == ["published"] and end < len(lines) \
            and rules.BARE_DATE_LABEL.match(lines[start]) and rules.LABEL_LINE.match(lines[end]):
        return None
    return start, end


def _is_title_candidate(line: str) -> bool:
    return (not is_furniture(line) and not looks_like_paragraph(line)
            and not line.endswith((":", "：")) and not line.startswith(("—", "本报讯", "本報訊")))


def _find_title(lines: list[str], span: tuple[int, int] | None) -> int:
    """The title is the last header line before the meta block (or before the first paragraph);
    what is above it is the site name and navigation."""
    if span is None:
        first_para = next((i for i, ln in enumerate(lines)
                           if looks_like_paragraph(ln) or rules.LEAD_IN.match(ln)), len(lines))
        head = [i for i in range(first_para) if _is_title_candidate(lines[i])]
        # A notice's own field list (时间：… 地点：…) comes after its headline.
        head = head[: next((k for k, i in enumerate(head) if k and i + 1 < len(lines)
                            and rules.LABEL_LINE.match(lines[i]) and rules.LABEL_LINE.match(lines[i + 1])),
                           len(head))]
        if not head:
            raise SeedError("no recognisable title: the text starts with a body paragraph"
                            if first_para == 0 else "no recognisable title, only page furniture")
        if (len(head) >= 2 and head[-2] + 1 == head[-1] == first_para - 1
                and first_para < len(lines) and _is_summary(lines[head[-1]], lines[first_para])):
            return head[-2]  # the line under the headline is a summary the body repeats
        return head[-1]  # with no sentence anywhere, the last line is a headline without body
    before = [i for i in range(span[0]) if _is_title_candidate(lines[i])]
    after = span[1]  # some pages print the meta line above the headline
    while after < len(lines) and is_furniture(lines[after]):
        after += 1
    # the headline under the meta block is followed by the body, or a notice's salutation
    headline_after = (after + 1 < len(lines) and _is_title_candidate(lines[after])
                      and (looks_like_paragraph(lines[after + 1])
                           or lines[after + 1].endswith(("：", ":"))))
    site_only = len(before) == 1 and len(lines[before[0]]) <= 12  # just a site name above
    if before and not (headline_after and site_only
                       and len(lines[after]) > len(lines[before[0]])):
        return before[-1]  # (a headline over two lines is joined by _headline_lines)
    if headline_after or (not before and after + 1 < len(lines)
                          and _is_title_candidate(lines[after])):
        return after
    raise SeedError("no recognisable title before the date/source line")


def _opens_with(paragraph: str, line: str) -> bool:
    """The paragraph starts with the (long) line, perhaps after a label: 前言：<line>…"""
    return len(line) >= 15 and rules.LEAD_LABEL.sub("", paragraph, count=1).startswith(line)


def _is_summary(line: str, paragraph: str) -> bool:
    """A summary line, not a headline the body happens to open with: a clause of a sentence,
    repeated after a label (前言：, 摘要：) by the paragraph under it."""
    return (bool(rules.LEAD_LABEL.match(paragraph)) and bool(rules.CLAUSE_MARK.search(line))
            and _opens_with(paragraph, line))


def _headline_lines(lines: list[str], at: int, span: tuple[int, int] | None) -> str:
    """A headline broken over two lines right above the meta line, under the site's own
    header line: both lines are the title ('小镇图书馆今起延长开放' / '周末开放到晚上九点') —
    unless a line higher up (a dump's <title> line) starts with the lower line: it is whole."""
    line = lines[at]
    if (span and at == span[0] - 1 and at >= 2 and _is_title_candidate(lines[at - 1])
            and min(len(line), len(lines[at - 1])) >= 6 and len(line) + len(lines[at - 1]) <= 60
            and not rules.OUTLET.fullmatch(lines[at - 1]) and not DATE_PATTERN.search(lines[at - 1])
            and not is_furniture(lines[at - 2])
            and not any(h.startswith(line) for h in lines[:at - 1])):
        return f"{lines[at - 1]} {line}"
    return line


def _clean_title(title: str, header: list[str]) -> str:
    title = rules.TITLE_LABEL.sub("", title)
    for name in header:  # "Headline - Site name", as <title> texts carry it
        stripped = re.sub(rf"\s*[-_|｜—－–]+\s*{re.escape(name)}$", "", title)
        if stripped != title and len(stripped) >= 4:
            return stripped
    # A page dumped without its header still carries the <title> suffix: "Headline - X网".
    stripped = rules.SITE_SUFFIX.sub("", title)
    return stripped if len(stripped) >= 4 else title


def _body(lines: list[str], titles: set[str], site_names: set[str], meta: _Meta) -> list[str]:
    lines = _drop_leading(lines, titles, meta)
    # a 'read the rest' button above more paragraphs is only a button; above none it ends the body
    lines = [ln for k, ln in enumerate(lines) if not (rules.EXPAND.match(ln) and k + 1 < len(lines)
                                                      and looks_like_paragraph(lines[k + 1]))]
    cut = _footer_start(lines)
    cut = _own_headline_list(lines[:cut], titles)  # a list the footer's widgets have not cut
    body, footer = lines[:cut], lines[cut:]
    if footer and body and _is_column_title(body[-1], footer[0]):
        body.pop()  # a "Site news" / "Videos" column title right above its more>> list
    body = _drop_trailing(body, site_names | set(meta.values.values()), meta)
    if footer and rules.END_MARK.match(footer[0]) and "published" not in meta.values:
        stamp = " ".join(footer[1:3])  # press releases close with 完, then the date and time
        if DATE_PATTERN.match(stamp):
            meta.values["published"] = stamp
    for line in footer:  # an editor line may follow the share bar
        fields = meta_fields(line)
        if is_after_body_meta(fields):
            meta.take(fields or ())
    if body and (m := rules.INLINE_EDITOR.search(body[-1])):  # "……。（编辑：王明）"
        meta.take([("editor", m.group(1).strip())])
        body[-1] = body[-1][: m.start()].rstrip()
        body = [p for p in body if p]
    return body


def _drop_leading(lines: list[str], titles: set[str], meta: _Meta) -> list[str]:
    """Share bars, widgets, credit lines, a repeated headline and a summary line the first
    paragraph repeats, before that paragraph."""
    i = 0
    while i < len(lines):
        fields = meta_fields(lines[i])
        byline = byline_fields(lines[i])
        if is_after_body_meta(fields) or byline:
            meta.take(fields or byline or ())
        elif not (is_furniture(lines[i]) or lines[i] in titles
                  or i + 1 < len(lines) and _opens_with(lines[i + 1], lines[i])):  # a summary
            break
        i += 1
    # Widgets the vocabulary does not know, among known ones before the first paragraph
    # ('[反馈]' beside '评论(3)'), are furniture too; otherwise they would end the article.
    first = next((k for k in range(i, len(lines)) if looks_like_paragraph(lines[k])), i)
    if any(map(is_furniture, lines[i:first])) and all(
            is_furniture(ln) or len(ln) <= 12 and not rules.SENTENCE_END.search(ln)
            for ln in lines[i:first]):
        i = first
    return lines[_teaser_list_end(lines, i):]


def _teaser_list_end(lines: list[str], i: int) -> int:
    """Past a side column between the meta line and the body: a heading (相关推荐, 栏目关注：,
    or one spelled down the page a character a line: 今/日/推/荐), at least three headlines,
    then a longer line that opens the body. `i` when there is no such column."""
    spelled = next((k for k in range(i, len(lines)) if len(lines[k]) > 1), len(lines)) - i
    cut = i + (spelled if spelled >= 2 else 1)
    heading = "".join(lines[i:cut])
    if not (is_list_heading(heading) or rules.BARE_HEADING.match(heading)):
        return i
    end = next((k for k in range(cut, len(lines)) if not _is_headline_like(lines[k])
                or rules.NUMBERED.match(lines[k])), len(lines))
    return end if end - cut >= 3 and end < len(lines) and not rules.NUMBERED.match(lines[end]) else i


def _footer_start(lines: list[str]) -> int:
    """Index of the first footer line: a widget (share, prev/next, copyright, QR, print…), a
    forum post's signature (the board's rules and replies follow), a 'read the rest' button,
    a list heading followed by a link list, or a closing run of dated programme entries."""
    for j in range(1, len(lines)):
        line = lines[j]
        if is_furniture(line) or signs_post(line) or rules.EXPAND.match(line):
            return j
        if is_list_heading(line) and _link_list_follows(lines[j + 1:]):
            return j
        if rules.PROGRAM_ITEM.match(line) and all(rules.PROGRAM_ITEM.match(x) or is_furniture(x)
                                             for x in lines[j:]):
            return j
    return len(lines)


def _own_headline_list(lines: list[str], titles: set[str]) -> int:
    """Where a list of headlines after the body starts when it names the article itself (a
    'latest news' column repeats the page's own headline among its neighbours)."""
    for j in range(1, len(lines)):
        if lines[j] not in titles:
            continue
        start, end = j, j + 1
        while start > 1 and _is_headline_like(lines[start - 1]):
            start -= 1
        while end < len(lines) and _is_headline_like(lines[end]):
            end += 1
        if end - start >= 3 and any(map(looks_like_paragraph, lines[:start])):
            return start
    return len(lines)


def _is_headline_like(line: str) -> bool:
    return len(line) <= 50 and not looks_like_paragraph(line) and not line.endswith("。")


def _link_list_follows(rest: list[str]) -> bool:
    items = [ln for ln in rest if not (is_furniture(ln) or is_list_heading(ln))]
    return bool(items) and all(len(ln) <= 50 and not rules.SENTENCE_END.search(ln) for ln in items)


def _is_column_title(line: str, next_line: str) -> bool:
    """A bare short name (no punctuation) directly above a more>> link or a list heading."""
    return (len(line) <= 12 and bool(rules.PLAIN_WORDS.match(line))
            and ("更多" in next_line and is_furniture(next_line) or is_list_heading(next_line)))


def _drop_trailing(body: list[str], names: set[str], meta: _Meta) -> list[str]:
    """Editor/source lines after the body, a repeat of the site name, leftover furniture."""
    while body:
        line = body[-1]
        fields = meta_fields(line) or byline_fields(line) or slash_credit(line)
        if is_after_body_meta(fields):
            meta.take(fields or ())
        elif not (line in names or is_furniture(line) or rules.PROGRAM_ITEM.match(line)):
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
        return find_date(rules.WEEKDAY.sub(" ", value), zone)  # 2024年3月5日 星期二 09:00
    except ImpossibleDate as e:  # a CMS typo costs the date, not the article
        warnings.append(f"impossible date left out: {e}")
        return None


def summarise(paragraphs: list[str]) -> str | None:
    """The first real paragraph, cut near rules.SUMMARY_LEN at a sentence (else clause) boundary."""
    text = next((p for p in paragraphs if len(p) >= 15), paragraphs[0] if paragraphs else "")
    if len(text) <= rules.SUMMARY_LEN:
        return text or None
    head = text[:rules.SUMMARY_LEN]
    cut = max(head.rfind(m) for m in "。！？!?；;")
    if cut >= rules.SUMMARY_LEN // 3:
        return head[: cut + 1] + "…"
    cut = max(head.rfind(m) for m in "，,、：:")
    return (head[:cut] if cut >= rules.SUMMARY_LEN // 3 else head.rstrip()) + "…"
