"""Find and read the dates seeds carry, always returning zone-aware datetimes.

Pure functions: the zone for times that carry none is passed in.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo

# Whitespace runs are matched possessively (\s*+): five optional runs in a row would
# otherwise backtrack in O(n^5) over a page's long blank stretches.
# 2023-04-10 09:46:17 · 2024/1/2 · 2024.01.02 · 2024年1月2日 10:00 · 2024-05-18T09:00:00+08:00
DATE_PATTERN = re.compile(
    r"(?P<y>(?:19|20|21)\d\d)\s*+(?:[-/.]|年)\s*+(?P<m>\d{1,2})\s*+(?:[-/.]|月)\s*+(?P<d>\d{1,2})\s*+日?"
    # a weekday, a dash or a '<place>时间' label may sit between the day and the clock:
    # 2024年7月1日 星期一 - 08:15 · 2024年10月8日（星期二） 香港時間16時30分
    r"(?:(?:\s*+[（(]?\s*+(?:(?:星期|周|週|禮拜|礼拜)[一二三四五六日天])?\s*+[）)]?\s*+[-–—]?\s*+"
    r"(?:[\u4e00-\u9fff]{1,3}[时時][间間]|(?P<half>上午|下午|中午|晚上|凌晨))?\s*+|T)(?P<H>\d{1,2})\s*+[:：時时点點]\s*+(?P<M>\d{1,2})"
    r"(?:\s*+[:：分]\s*+(?P<S>\d{1,2})(?:\.\d+)?)?\s*+秒?"
    r"(?:\s*+(?P<ampm>[AaPp]\.?[Mm]\.?)(?![A-Za-z]))?"  # 2014.12.13 01:06 pm
    r"(?:\s*+(?P<z>Z|[+-]\d\d:?\d\d))?)?"
)


def _hour(m: re.Match[str]) -> int:
    """The hour on a 24-hour clock: '01:06 pm', '下午 1:06' are 13:06; '12:30 am' is 00:30."""
    hour = int(m["H"] or 0)
    later = (m["ampm"] or "")[:1].lower() == "p" or m["half"] in ("下午", "晚上")
    if later and hour < 12:
        return hour + 12
    if ((m["ampm"] or "")[:1].lower() == "a" or m["half"] == "凌晨") and hour == 12:
        return 0
    return hour


class DateOnly(datetime):
    """A date read without a clock (2024-05-01), held as midnight in the zone: the type
    tells the pages not to show an invented 00:00. Arithmetic and `replace` keep the type;
    ingest turns it into `Article.date_only` and a plain datetime."""


class ImpossibleDate(ValueError):
    """The text looks like a date but names no real day or time (2023-02-30)."""


def parse_date_match(m: re.Match[str], zone: tzinfo) -> datetime:
    """Turn a DATE_PATTERN match into an aware datetime; raise ImpossibleDate if it is not real."""
    try:
        day = date(int(m["y"]), int(m["m"]), int(m["d"]))
        clock = time(_hour(m), int(m["M"] or 0), int(m["S"] or 0))
    except ValueError as e:
        raise ImpossibleDate(f"{m.group(0).strip()!r} is not a real date ({e})") from e
    moment = (datetime if m["H"] else DateOnly).combine(day, clock)
    offset = m["z"]
    if offset:
        iso = "+00:00" if offset == "Z" else offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"
        return datetime.fromisoformat(moment.isoformat() + iso).astimezone(zone)
    return moment.replace(tzinfo=zone)


# Taiwan's Minguo calendar (year 1 = 1912): 113-04-15, 民國113年4月15日. Only read when the
# text opens with it (a labelled meta value), so '第113-04号' in a sentence is no date.
_MINGUO = re.compile(r"^\s*(?:中華民國|中华民国|民國|民国)?\s*(?P<y>1[0-4]\d)\s*(?:[-/.]|年)\s*"
                     r"(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?!\d)")
# English dates: June 3, 2024 · 3 June 2024 · Jun. 3, 2024 9:30 PM (no zone: the site's).
_MONTHS = {m[:3]: i for i, m in enumerate("january february march april may june july august "
                                          "september october november december".split(), 1)}
_MONTH = r"(?P<mon>(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?)"
_ENGLISH = re.compile(rf"\b(?:{_MONTH}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?|(?P<d2>\d{{1,2}})"
                      rf"(?:st|nd|rd|th)?\s+{_MONTH.replace('mon', 'mon2')},?)\s+(?P<y>(?:19|20)\d\d)\b"
                      r"(?:,?\s+(?:at\s+)?(?P<H>\d{1,2}):(?P<M>\d\d)\s*(?P<ampm>[ap]\.?m\.?)?)?",
                      re.IGNORECASE)


def _other_calendars(text: str, zone: tzinfo) -> datetime | None:
    if m := _MINGUO.match(text):
        day = _real(int(m["y"]) + 1911, int(m["m"]), int(m["d"]), 0, 0, m.group(), zone)
        return DateOnly.combine(day.date(), time(), zone)
    if (m := _ENGLISH.search(text)) and (mon := _MONTHS.get((m["mon"] or m["mon2"])[:3].lower())):
        hour = int(m["H"] or 0)
        if (m["ampm"] or "").lower().startswith("p") and hour < 12:
            hour += 12
        elif (m["ampm"] or "").lower().startswith("a") and hour == 12:
            hour = 0
        moment = _real(int(m["y"]), mon, int(m["d1"] or m["d2"]), hour, int(m["M"] or 0),
                       m.group(), zone)
        return moment if m["H"] else DateOnly.combine(moment.date(), time(), zone)
    return None


def _real(y: int, mo: int, d: int, h: int, mi: int, text: str, zone: tzinfo) -> datetime:
    try:
        return datetime(y, mo, d, h, mi, tzinfo=zone)
    except ValueError as e:
        raise ImpossibleDate(f"{text.strip()!r} is not a real date ({e})") from e


def find_date(text: str, zone: tzinfo) -> datetime | None:
    """The first date in `text`, or None when there is none. Raises ImpossibleDate."""
    m = DATE_PATTERN.search(text)
    return parse_date_match(m, zone) if m else _other_calendars(text, zone)


def to_zone(value: object, zone: tzinfo) -> datetime | None:
    """Read a date from front matter or HTML metadata: a datetime, date or string."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
    if isinstance(value, date):
        return DateOnly.combine(value, time(), zone)
    if isinstance(value, str):
        return find_date(value.strip(), zone)
    return None
