"""Web addresses as feed readers need them: absolute http(s) URIs.

An IRI (a Chinese host or path) is a fine address in a browser's bar, but a feed carries
URIs: the host IDNA-encoded, every other character a URI cannot hold percent-encoded as
UTF-8. Pure functions over strings.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")  # not an escape: the '%' itself, encoded
_URI_CHARS = "!#$%&'()*+,/:;=?@[]~"  # kept as they are; the rest of ASCII is unreserved


def http_uri(url: str | None, base: str | None = None) -> str | None:
    """`url` as an absolute http(s) URI (resolved against `base`), else None."""
    url = (url or "").strip()
    if not url:
        return None
    try:
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
        # lxml writes a non-ASCII host percent-encoded (libxml2 escapes URL attributes)
        host = unquote(parts.hostname or "", errors="strict")
        if not host.isascii() or host != parts.hostname:
            userinfo = parts.netloc.rpartition("@")[0]
            port = f":{parts.port}" if parts.port is not None else ""
            netloc = (f"{userinfo}@" if userinfo else "") + host.encode("idna").decode() + port
            parts = parts._replace(netloc=netloc)
    except (ValueError, UnicodeError):  # an invalid IPv6 host, an impossible domain name
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(_STRAY_PERCENT.sub("%25", urlunsplit(parts)), safe=_URI_CHARS)
