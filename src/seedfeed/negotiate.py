"""HTTP rules of RFC 9110 that the file server needs, as pure functions on header values.

Content coding by `Accept-Encoding` q-values (§12.5.3) and the conditional requests
`If-None-Match` / `If-Modified-Since` (§13.1.2, §13.1.3, §13.2.2). No I/O, no clock: the
caller passes `now`. Parsed header values are memoised, since readers send the same few
strings over and over.
"""

from __future__ import annotations

import re
from datetime import UTC
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache

#: codings the server can offer, in its own order of preference when q-values tie
OFFERED = ("br", "gzip")
IDENTITY = ""

_TAG = re.compile(r'\s*(?:W/)?("[\x21\x23-\x7e\x80-\xff]*")\s*(?:,|$)')


@lru_cache(maxsize=512)
def codings(accept_encoding: str | None) -> tuple[str, ...]:
    """The content codings to try, best first; `IDENTITY` ("") stands for no coding.

    No header: identity only (a client that did not ask gets no compression). An
    explicit `q=0` excludes a coding; `*` covers every coding not named. When even
    identity is excluded (`identity;q=0`, `*;q=0`) and no coding is acceptable, identity
    is still what the caller falls back to: RFC 9110 §12.5.3 allows disregarding the
    header rather than answering 406, which is what nginx does too.
    """
    if accept_encoding is None:
        return (IDENTITY,)
    named: dict[str, float] = {}
    star: float | None = None
    for item in accept_encoding.split(","):
        token, _, params = item.partition(";")
        token = token.strip().lower()
        if not token:
            continue
        q = _quality(params)
        if q is None:
            continue  # a malformed weight: the item is ignored
        if token == "x-gzip":
            token = "gzip"
        if token == "*":
            star = q
        else:
            named[token] = max(q, named.get(token, 0.0))
    ranked: list[tuple[float, int, str]] = []
    for rank, coding in enumerate((*OFFERED, IDENTITY)):
        q = named.get(coding or "identity")
        if q is None:
            # identity is acceptable by default, but only as the last choice: `br;q=0.5`
            # alone asks for brotli, not for whatever weighs more than 0.5
            q = star if star is not None else (1e-9 if coding == IDENTITY else 0.0)
        if q > 0:
            ranked.append((-q, rank, coding))
    return tuple(coding for _, _, coding in sorted(ranked))


def _quality(params: str) -> float | None:
    q = 1.0
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return None
            if not 0 <= q <= 1:
                return None
    return q


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison (§13.1.2): `*`, or any tag of the list equal to `etag` once a
    `W/` prefix is set aside. `etag` is the quoted strong tag of the representation."""
    value = if_none_match.strip()
    if value == etag or value == "*":
        return True
    return etag in _tags(value)


@lru_cache(maxsize=512)
def _tags(value: str) -> frozenset[str]:
    tags: set[str] = set()
    pos = 0
    while pos < len(value):
        m = _TAG.match(value, pos)
        if m is None:
            return frozenset(tags)  # a malformed list: what parsed so far is all it says
        tags.add(m.group(1))
        pos = m.end()
    return frozenset(tags)


@lru_cache(maxsize=512)
def http_date(value: str) -> float | None:
    """Seconds since the epoch of an HTTP-date (IMF-fixdate, RFC 850 or asctime); None
    when it is not one."""
    if value.count(",") > 1:
        return None  # more than one date (a list) is no date at all
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:  # asctime carries no zone: HTTP dates are GMT
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def format_http_date(seconds: float) -> str:
    return formatdate(int(seconds), usegmt=True)


def not_modified(if_none_match: str | None, if_modified_since: str | None, etag: str,
                 mtime: int, now: float) -> bool:
    """Whether a GET or HEAD is answered 304 (§13.2.2 steps 3 and 4).

    `If-Modified-Since` counts only when `If-None-Match` is absent, and is ignored when it
    is not a valid date or lies in the future. `mtime` is the Last-Modified second sent.
    """
    if if_none_match is not None:
        return etag_matches(if_none_match, etag)
    if if_modified_since is None:
        return False
    since = http_date(if_modified_since)
    return since is not None and since <= now and mtime <= since
