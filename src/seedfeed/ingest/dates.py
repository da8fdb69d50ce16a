"""Find and read the dates seeds carry, always returning zone-aware datetimes.

Pure functions: the zone for times that carry none is passed in.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo

# 2023-04-10 09:46:17 · 2024/1/2 · 2024.01.02 · 2024年1月2日 10:00 · 2024-05-18T09:00:00+08:00
DATE_PATTERN = re.compile(
    r"(?P<y>(?:19|20|21)\d\d)\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?"
    r"(?:(?:\s*|T)(?P<H>\d{1,2})\s*[:：時时点點]\s*(?P<M>\d{1,2})"
    r"(?:\s*[:：分]\s*(?P<S>\d{1,2})(?:\.\d+)?)?\s*秒?"
    r"(?:\s*(?P<z>Z|[+-]\d\d:?\d\d))?)?"
)


class ImpossibleDate(ValueError):
    """The text looks like a date but names no real day or time (2023-02-30)."""


def parse_date_match(m: re.Match[str], zone: tzinfo) -> datetime:
    """Turn a DATE_PATTERN match into an aware datetime; raise ImpossibleDate if it is not real."""
    try:
        day = date(int(m["y"]), int(m["m"]), int(m["d"]))
        clock = time(int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0))
    except ValueError as e:
        raise ImpossibleDate(f"{m.group(0).strip()!r} is not a real date ({e})") from e
    moment = datetime.combine(day, clock)
    offset = m["z"]
    if offset:
        iso = "+00:00" if offset == "Z" else offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"
        return datetime.fromisoformat(moment.isoformat() + iso).astimezone(zone)
    return moment.replace(tzinfo=zone)


def find_date(text: str, zone: tzinfo) -> datetime | None:
    """The first date in `text`, or None when there is none. Raises ImpossibleDate."""
    m = DATE_PATTERN.search(text)
    return parse_date_match(m, zone) if m else None


def to_zone(value: object, zone: tzinfo) -> datetime | None:
    """Read a date from front matter or HTML metadata: a datetime, date or string."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
    if isinstance(value, date):
        return datetime.combine(value, time()).replace(tzinfo=zone)
    if isinstance(value, str):
        return find_date(value.strip(), zone)
    return None
