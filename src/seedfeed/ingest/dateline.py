"""Unlabelled datelines: the date a page prints next to its headline, with no label.

News templates put '2024-05-13 09:16:04 来源: X' or 'Saturday, September 10th, 2005 10:56 am'
just under (or just over) the headline, often in a bare <span> or <div> with no class worth
reading. This module finds such a date in the page's visible text around the headline.
Pure string functions; it knows no site.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo

from .dates import DATE_PATTERN, DateOnly, ImpossibleDate, find_date, parse_date_match

_AFTER = 260  # characters after the headline where the dateline sits on every template seen
_BEFORE = 120  # a dateline above the headline (blogs: 'Posted Saturday, …' then the title)
_SPACE = re.compile(r"\s+")
# 'Saturday, September 10th, 2005 10:56 am' · 'Dec 28 Sat 2013 00:28'
_ENGLISH_STAMP = re.compile(
    r"(?i:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?"
    r"(?:\s+(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*)?,?\s+(?:19|20)\d\d"
    r"(?:,?\s+(?:at\s+)?\d{1,2}:\d\d(?:\s*[ap]\.?m\.?)?)?)")
# Taiwan's calendar: 中華民國107年3月13日, 107年03月13日 14:05 (a three-digit year before 年
# is never a Gregorian one on a news page).
_MINGUO_STAMP = re.compile(r"(?<!\d)(?:中華民國|中华民国|民國|民国)?\s*(?P<y>1[0-4]\d)\s*年\s*(?P<m>\d{1,2})"
                           r"\s*月\s*(?P<d>\d{1,2})\s*日(?:\s*(?P<H>\d{1,2})\s*[:：時时]\s*(?P<M>\d{2}))?")
# Day and month before the year (11-22-2014, 22/11/2014): read only when one of the two
# numbers is over 12, so the order is not a guess.
_YEAR_LAST = re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d\d)"
                        r"(?![\d/.-])(?:\s+(?P<H>\d{1,2}):(?P<M>\d\d))?")
# Times that are not the article's: 'XX 于 2024-05-07 发布' of a recommended article, a
# comment's stamp, a page's own clock.
_NOT_OURS = re.compile(r"(?:最新推荐|推荐文章|评论|回复|更新于|最后更新|今天是|今日|复核|復核|审核|審核)"
                       r"[^。，]{0,8}$")  # … or a review time (审核时间)


def squash_spaces(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _stamps(text: str, zone: tzinfo) -> list[tuple[int, datetime]]:
    """(position, moment) of every readable date in `text`."""
    found: list[tuple[int, datetime]] = []
    for m in DATE_PATTERN.finditer(text):
        if _NOT_OURS.search(text[max(0, m.start() - 12): m.start()]):
            continue
        try:
            found.append((m.start(), parse_date_match(m, zone)))
        except ImpossibleDate:
            continue
    for m in _MINGUO_STAMP.finditer(text):
        try:
            kind = datetime if m["H"] else DateOnly
            found.append((m.start(), kind(int(m["y"]) + 1911, int(m["m"]), int(m["d"]),
                                          int(m["H"] or 0), int(m["M"] or 0), tzinfo=zone)))
        except ValueError:
            continue
    for m in _YEAR_LAST.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        if (a > 12) == (b > 12):
            continue  # 05/06/2014: May 6 or 5 June, the page does not say
        day, month = (a, b) if a > 12 else (b, a)
        try:
            found.append((m.start(), datetime(int(m["y"]), month, day, int(m["H"] or 0),
                                              int(m["M"] or 0), tzinfo=zone)))
        except ValueError:
            continue
    for m in _ENGLISH_STAMP.finditer(text):
        try:
            moment = find_date(re.sub(r"\s+(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b", "",
                                      m.group(), flags=re.IGNORECASE), zone)
        except ImpossibleDate:
            continue
        if moment is not None:
            found.append((m.start(), moment))
    return sorted(found, key=lambda pair: pair[0])


def dateline_near(page_text: str, title: str, zone: tzinfo) -> datetime | None:
    """The date printed next to the headline: the first one after it, else the nearest
    one before it; None when the headline is not in the text or has no date near it."""
    text, want = squash_spaces(page_text), squash_spaces(title)
    places = [m.start() for m in re.finditer(re.escape(want), text)][:3] if want else []
    # a sticky header or the <title>-like banner may repeat the headline: the dateline
    # follows one of its copies
    for at in places:
        if after := _stamps(text[at + len(want): at + len(want) + _AFTER], zone):
            return after[0][1]
        if before := _stamps(text[max(0, at - _BEFORE): at], zone):
            return before[-1][1]
    return None


def date_after(page_text: str, closing: str, zone: tzinfo) -> datetime | None:
    """A date printed right after the article's last words ('… 台北報導 (2014-12-12 12:00)'):
    the last resort for a page that shows no date by its headline."""
    text, tail = squash_spaces(page_text), squash_spaces(closing)[-24:]
    at = text.rfind(tail) if len(tail) >= 8 else -1
    if at < 0:
        return None
    after = _stamps(text[at + len(tail): at + len(tail) + _AFTER_BODY], zone)
    return after[0][1] if after else None


_AFTER_BODY = 60


def has_time(moment: datetime) -> bool:
    return (moment.hour, moment.minute, moment.second) != (0, 0, 0)


def prefer_visible(chosen: datetime | None, visible: datetime | None) -> datetime | None:
    """A date-only stamp (often a <meta>) gives way to a visible date-time of the same day;
    nothing chosen gives way to the visible date."""
    if chosen is None:
        return visible
    # A CMS that writes local time with a 'Z': the visible clock reads the same wall time.
    if (visible is not None and has_time(visible) and chosen != visible
            and chosen.astimezone(UTC).replace(tzinfo=None) == visible.replace(tzinfo=None)):
        return visible
    if (visible is not None and not has_time(chosen) and has_time(visible)
            and visible.astimezone(chosen.tzinfo).date() == chosen.date()):
        return visible
    return chosen
