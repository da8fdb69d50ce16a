"""The lines of a scraped page's text dump and what each line is.

Splitting the text into lines (a run-together body into paragraphs), and telling a meta line
(`时间：… 来源：… 作者：…`), a byline, page furniture (widgets, breadcrumbs, link bars, legal
lines) and a body paragraph apart. Pure functions over single lines, used by scraped.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from . import textrules as rules
from .clean import clean_line
from .dates import DATE_PATTERN
from .people import normalise_people

Fields = Sequence[tuple[str, str]]  # (key, value) pairs read from one meta line


def split_lines(text: str) -> list[str]:
    """Non-blank, whitespace-normalised lines; a run-together body is split into paragraphs."""
    out: list[str] = []
    for raw in rules.LINE_BREAK.split(text):
        for piece in _split_run_together(raw):
            line = clean_line(piece)
            if line and rules.WORD.search(line):  # lines of dashes or stars are decoration
                out.append(line)
    return _join_lone_labels(out)


def _join_lone_labels(lines: list[str]) -> list[str]:
    """'来源：' with its value on the next line (a dump of a two-cell meta table) is one line."""
    out: list[str] = []
    for line in lines:
        label = rules.LONE_LABEL.match(out[-1]) if out and len(out[-1]) <= 8 else None
        # an empty '作者：' above a date line or '责任编辑：X' stays empty
        if (label and len(line) <= 40 and not rules.GLUED_LABEL.match(line)
                and (rules.LABEL_KEY[label.group(1).lower()] in ("published", "updated")
                     or meta_fields(line) is None)):
            out[-1] += line
        else:
            out.append(line)
    return out


def _split_run_together(raw: str) -> list[str]:
    """One long line holding several paragraphs: split at surviving indents, else (very long
    lines) into groups of sentences. Short lines (titles, meta) are never split."""
    if len(raw) <= rules.LONG_LINE:
        return [raw]
    pieces = rules.INDENT_BREAK.split(raw)
    if len(pieces) > 1 or len(raw.strip()) <= rules.RUN_TOGETHER:
        return pieces
    chunks, current = [], ""
    for sentence in rules.SENTENCE.findall(raw.strip()):
        current += sentence
        if len(current) >= rules.CHUNK:
            chunks.append(current)
            current = ""
    return chunks + [current] if current else chunks


@lru_cache(maxsize=2048)  # each line is classified several times while the page is read
def meta_fields(line: str) -> tuple[tuple[str, str], ...] | None:
    """((key, value), …) when the whole line is meta (`时间：… 来源：… 作者：…`, or a date
    followed by such fields), else None."""
    if len(line) > rules.META_MAX or not (":" in line or "：" in line or line[:1].isdigit()
                                     or line[-1:].isdigit()):
        return None  # cheap exit for body paragraphs
    core = rules.META_NOISE.sub(" ", line).translate(rules.SQUARE_BRACKETS).strip()
    if DATE_PATTERN.match(core) or rules.GLUED_LABEL.match(core):
        core = _unglue(core)
    if core[:1] in "（(" and core[-1:] in "）)":
        core = core[1:-1].strip()
    found = list(rules.FIELD.finditer(core))
    head = core[: found[0].start()] if found else core
    fields: list[tuple[str, str]] = []
    org: list[str] = []
    if head.strip(" |｜丨/"):  # only a date (and weekday, time) may precede the fields
        date = DATE_PATTERN.search(head)
        if not date:
            return None
        rest = rules.DATE_REST.match(head, date.end())
        # An unlabelled outlet beside the date ("2024-06-15 14:22 新华网", "新华网 2024-06-15")
        # is the source; anything else there (农历…, a sentence) means this is no meta line.
        tail = head[rest.end():] if rest else ""
        org = [p for p in (head[:date.start()].strip(" |｜丨/"), tail.strip(" |｜丨/（(【[")) if p]
        if len(org) > 1 or org and not rules.OUTLET.fullmatch(org[0]):
            return None
        fields.append(("published", head[date.start():]))
    ends = [m.start() for m in found[1:]] + [len(core)]  # one more than found when empty
    for m, end in zip(found, ends, strict=False):
        value = core[m.end(): end].strip(" |｜丨/，,;；")
        fields.append((rules.LABEL_KEY[m.group(1).lower()] if m.group(1) else "author", value))
    if org:  # after the labelled fields: a 来源： on the same line names the source better
        fields.append(("source", org[0]))
    return tuple(fields) or None


def _unglue(core: str) -> str:
    """'2024-05-13 12:11来源：X作者：Y' -> '… 12:11 来源：X 作者：Y'."""
    return rules.GLUED_LABEL.sub(
        lambda m: m.group(0) if m.start() == 0 or core[m.start() - 1] in " \t|｜丨/，,;；（(【["
        else " " + m.group(0), core)


def byline_fields(line: str) -> Fields | None:
    """`记者 王磊 陈静 通讯员 刘洋`, `（本报记者 王明）`, `文/张三`: role words and names only."""
    if len(line) > 40 or not rules.BYLINE.match(line):
        return None
    return _byline_names(line)


def slash_credit(line: str) -> Fields | None:
    """`编辑/王明` under the body: a staff credit with a slash for a colon."""
    if len(line) > 30 or not (m := rules.SLASH_CREDIT.match(line)):
        return None
    return ((rules.LABEL_KEY[m.group(1).lower()], m.group(2).strip()),)


def dateline_author(paragraph: str) -> str | None:
    """The reporters a body's opening dateline names: 本报讯（记者 王明）…, （中央社記者王小明台北8日電）…"""
    if not (m := rules.DATELINE_BYLINE.match(paragraph)):
        return None
    names = next(g for g in m.groups() if g)  # both() makes a Traditional twin group
    if glued := rules.GLUED_PLACE.search(names):  # '王小明台北8日電' (see GLUED_PLACE)
        run = glued.group(1)
        names = names[: glued.start()] + run[: 2 if len(run) == 4 else 3]
    found = _byline_names(names)
    return found[0][1] if found else None


def _byline_names(line: str) -> Fields | None:
    names = normalise_people(rules.BYLINE_NOISE.sub(" ", line))
    if names and all(rules.NAME.match(n) for n in names.split("、")):
        return (("author", names),)
    return None


@lru_cache(maxsize=2048)
def is_furniture(line: str) -> bool:
    """Widgets, breadcrumbs, navigation bars and legal lines: never title, meta or body."""
    if len(line) <= rules.LEGAL_MAX and (rules.LEGAL.search(line) or rules.NOTICE.search(line)) \
            or rules.URL_ONLY.match(line):
        return True
    if len(line) > rules.WIDGET_MAX or rules.CLOSED_SENTENCE.search(line):
        return False
    if rules.WIDGET.search(line) or rules.CRUMB_HOME.search(line):
        return True
    crumbs = rules.CRUMB_SEP.split(line)  # 首页 > 新闻中心 > 本地 (plain words, not "a < b > c")
    if len(crumbs) >= 3 and all(len(p) <= 10 and rules.PLAIN_WORDS.match(p) for p in crumbs):
        return True
    links = rules.BAR_SEP.split(line)  # 网站首页 | 新闻中心 | 政务公开
    return len(links) >= 3 and all(len(p) <= 12 for p in links) and meta_fields(line) is None


def is_list_heading(line: str) -> bool:
    """A short heading such as 相关阅读 / 視頻推薦 / 热点新闻 (a link list may follow)."""
    return len(line) <= 10 and bool(rules.LIST_HEADING.match(line))


def is_after_body_meta(fields: Fields | None) -> bool:
    """Editor/credit lines that close an article; a lone date line there is body (a notice's
    signature date), so dates do not count."""
    keys = {k for k, _ in fields or ()}
    return bool(keys) and (bool(keys & rules.AFTER_BODY_KEYS) or keys <= rules.STAFF_KEYS)


def looks_like_paragraph(line: str) -> bool:
    """Body text rather than a headline: a full stop at the end, or simply too long."""
    if len(line) >= rules.LONG_LINE or rules.FULL_STOP_END.search(line):
        return True
    if len(line) >= 30 and line.endswith(".") and " " in line:  # a Latin-script sentence
        return True
    return len(line) >= 40 and "，" in line and bool(rules.SENTENCE_END.search(line))
