"""Hostile and idle HTTP clients for the serving tests: sockets held open without a request,
after one request (keep-alive), or dribbling a request head one header at a time."""

from __future__ import annotations

import contextlib
import resource
import selectors
import socket
import threading
import time


def raise_file_limit(need: int) -> None:
    """Let this process (and the servers it starts) hold `need` descriptors."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (need if hard == resource.RLIM_INFINITY
                                                    else min(need, hard), hard))


def connect(port: int, first: bytes = b"") -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    if first:
        s.sendall(first)
    return s


def idle(port: int, n: int) -> list[socket.socket]:
    """Connections that never send a byte."""
    return [connect(port) for _ in range(n)]


def keep_alive(port: int, n: int, path: str = "/healthz") -> list[socket.socket]:
    """Connections that made one request, read its answer and stay open."""
    socks = []
    for _ in range(n):
        s = connect(port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(65536)
            assert chunk, "closed before answering"
            head += chunk
        socks.append(s)
    return socks


class Slowloris:
    """Connections that send a partial request head, then one more header line every
    `every` seconds, never finishing it; a thread does the dribbling until stop()."""

    def __init__(self, port: int, n: int, every: float = 1.0) -> None:
        self.socks = [connect(port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n") for _ in range(n)]
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._dribble, daemon=True)
        self._thread.start()

    def _dribble(self) -> None:
        n = 0
        while not self._stop.wait(self.every):
            n += 1
            for s in self.socks:
                with contextlib.suppress(OSError):  # the server closed it: as it should
                    s.sendall(f"X-Slow-{n}: {'a' * 8}\r\n".encode())

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        close(self.socks)


def closed_by_peer(socks: list[socket.socket], within: float) -> float:
    """Wait until the server has closed every socket; the time that took (seconds).
    Raises AssertionError when some are still open after `within`."""
    started = time.monotonic()
    with selectors.DefaultSelector() as sel:  # epoll: descriptors above 1024 too
        for s in socks:
            sel.register(s, selectors.EVENT_READ)
        open_ = len(socks)
        while open_:
            left = within - (time.monotonic() - started)
            assert left > 0, f"{open_} of {len(socks)} connections still open after {within}s"
            for key, _ in sel.select(min(left, 0.5)):
                try:
                    if key.fileobj.recv(65536):  # type: ignore[union-attr]
                        continue  # an answer (e.g. 408) before the close
                except OSError:
                    pass
                sel.unregister(key.fileobj)
                open_ -= 1
    return time.monotonic() - started


def still_open(socks: list[socket.socket]) -> int:
    """How many of `socks` the server has not closed (without blocking)."""
    count = 0
    for s in socks:
        s.setblocking(False)
        try:
            count += bool(s.recv(1, socket.MSG_PEEK))
        except BlockingIOError:
            count += 1
        except OSError:
            pass
        finally:
            s.setblocking(True)
    return count


def close(socks: list[socket.socket]) -> None:
    for s in socks:
        s.close()
