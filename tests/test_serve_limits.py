"""Issue 10, points 2 and 8 against a running `seedfeed serve`: many idle or slow clients
do not block readers and are dropped after `server.header_timeout`; raw odd requests get a
short 4xx and leave no traceback in the log."""

from __future__ import annotations

import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from .clients import Slowloris, close, closed_by_peer, idle, keep_alive, raise_file_limit, still_open
from .conftest import CORPUS, SAMPLE
from .test_serve_e2e import Server, wait_for

pytestmark = pytest.mark.slow


def start(root: Path, extra: dict[str, dict[str, Any]] | None = None) -> Server:
    raise_file_limit(8192)
    srv = Server(root, extra=extra)
    shutil.copy(CORPUS / SAMPLE, srv.seeds / SAMPLE)
    try:
        wait_for(lambda: (r := srv.get("/feeds/feed.json")).ok and r.json()["items"], 20,
                 "sample published")
    except BaseException:
        srv.stop()
        raise
    return srv


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`seedfeed serve` with the default server settings."""
    srv = start(tmp_path_factory.mktemp("limits"))
    yield srv
    srv.stop()


def poll_times(srv: Server, n: int) -> list[float]:
    """Seconds each of `n` fresh-connection polls of the main feed took (all must be 200)."""
    times = []
    for _ in range(n):
        started = time.monotonic()
        r = requests.get(srv.url + "/feeds/atom.xml", timeout=5)
        times.append(time.monotonic() - started)
        assert r.status_code == 200 and r.content.endswith(b"</feed>\n")
        time.sleep(0.02)
    return times


def test_a_thousand_idle_connections_do_not_block_readers(served: Server) -> None:
    """granian's default connection cap (backlog / workers: 1,024 in all) let this many
    sockets that never send a byte stop every reader for up to 30 s."""
    held = idle(served.port, 1100)
    slow = Slowloris(served.port, 200, every=0.5)
    try:
        times = poll_times(served, 20)
        assert max(times) < 1, times
        assert still_open(held) == len(held)  # held, not refused: the readers got through beside them
    finally:
        slow.stop()
        close(held)


def test_idle_and_slow_connections_are_dropped_after_the_header_timeout(tmp_path: Path) -> None:
    """A connection that has not sent a whole request head within server.header_timeout
    of connecting or of its last answer is closed, however it dribbles."""
    srv = start(tmp_path, extra={"server": {"header_timeout": 3}})
    try:
        quiet = idle(srv.port, 50)
        kept = keep_alive(srv.port, 50)
        slow = Slowloris(srv.port, 50, every=0.5)
        try:
            took = closed_by_peer(quiet + kept + slow.socks, within=8)
            assert 2.5 < took < 8
        finally:
            slow.stop()
            close(quiet + kept)
    finally:
        srv.stop()


ODD_TARGETS = [b"/feeds/atom.xml/x", b"/%00", b"/feeds/%00atom.xml", b"/a%00b",
               b"/" + b"a" * 300, b"/articles/" + b"%C3%A9" * 200, b"/%ff%fe", b"/%c0%af",
               b"/status%00", b"/healthz/x", b"/..%2f..%2fetc/passwd", b"/%2e%2e/%2e%2e/etc/passwd",
               b"/a/" * 700, b"/feeds/archive/%00/atom.xml", b"/%E2%80%AE", b"/" + b"b" * 5000,
               b"*", b"/%", b"/%zz", b"//etc/passwd",
               b"/%0d%0aSet-Cookie:%20x=y"]


def raw_status(port: int, request: bytes) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


@pytest.mark.parametrize("method", [b"GET", b"HEAD", b"POST", b"OPTIONS", b"TRACE", b"BREW"])
def test_raw_odd_requests_are_short_4xx_and_log_nothing(served: Server, method: bytes) -> None:
    log_before = (served.root / "server.log").read_text("utf-8", "replace")
    for target in ODD_TARGETS:
        status, body = raw_status(served.port, method + b" " + target + b" HTTP/1.1\r\n"
                                  b"Host: 127.0.0.1\r\nConnection: close\r\n\r\n")
        if method == b"OPTIONS" and target.startswith((b"/status", b"/healthz", b"*")):
            assert status in (200, 400, 404)
        else:
            assert 400 <= status < 500, (method, target, status)
        assert len(body) < 40, (method, target, body)
    time.sleep(0.3)
    log = (served.root / "server.log").read_text("utf-8", "replace")[len(log_before):]
    assert "Traceback" not in log and "ERROR" not in log, log
