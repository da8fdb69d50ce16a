"""The same answers as bare.py through granian's RSGI interface."""

from bare import COMMON, ETAG, GZ

HEADERS = [(k.lower(), v) for k, v in COMMON]
H200 = [*HEADERS, ("content-encoding", "gzip")]


async def app(scope, proto):  # type: ignore[no-untyped-def]
    if scope.headers.get("if-none-match") == ETAG:
        proto.response_empty(304, HEADERS)
        return
    proto.response_bytes(200, H200, GZ)
