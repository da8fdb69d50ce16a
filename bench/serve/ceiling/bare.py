"""A bare WSGI callable: the bytes and header set `seedfeed serve` sends for a feed poll
(304 for its ETag, else the gzip sibling), with no framework and no file check."""

import hashlib
import os
from pathlib import Path

GZ = (Path(os.environ["BARE_ROOT"]) / "feeds" / "atom.xml.gz").read_bytes()
ETAG = '"' + hashlib.sha1(GZ).hexdigest()[:16] + '-gz"'
COMMON = [("Content-Type", "application/atom+xml; charset=utf-8"), ("ETag", ETAG),
          ("Last-Modified", "Wed, 02 Dec 2026 04:00:00 GMT"),
          ("Cache-Control", "public, max-age=5, stale-while-revalidate=30"),
          ("Vary", "Accept-Encoding"), ("X-Content-Type-Options", "nosniff")]
H200 = [*COMMON, ("Content-Encoding", "gzip"), ("Content-Length", str(len(GZ)))]
BODY = [GZ]


def app(environ, start_response):  # type: ignore[no-untyped-def]
    if environ.get("HTTP_IF_NONE_MATCH") == ETAG:
        start_response("304 Not Modified", COMMON)
        return []
    start_response("200 OK", H200)
    return BODY
