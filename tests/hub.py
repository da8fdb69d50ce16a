"""A WebSub hub for the tests: a real HTTP server on 127.0.0.1 that records every publish
ping, and can answer with errors first or take its time."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class Hub:
    """Records (content type, form fields) per POST; `fail_first` answers 503 that often
    first, `delay` sleeps before each answer."""

    def __init__(self, fail_first: int = 0, delay: float = 0.0) -> None:
        self.pings: list[dict[str, list[str]]] = []
        self.types: list[str] = []
        self.answers: list[int] = []
        self.times: list[float] = []  # time.monotonic() of each ping's arrival
        self.fail_first, self.delay = fail_first, delay
        self._lock = threading.Lock()
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                arrived = time.monotonic()
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if hub.delay:
                    time.sleep(hub.delay)
                with hub._lock:
                    hub.pings.append(parse_qs(body.decode("ascii"), strict_parsing=True))
                    hub.types.append(self.headers.get("Content-Type", ""))
                    hub.times.append(arrived)
                    code = 503 if len(hub.pings) <= hub.fail_first else 204
                    hub.answers.append(code)
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hub"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def urls(self) -> list[str]:
        """hub.url of every ping that was a well-formed publish notification, in order."""
        with self._lock:
            pings = list(self.pings)
        assert all(p["hub.mode"] == ["publish"] and len(p["hub.url"]) == 1 for p in pings), pings
        return [p["hub.url"][0] for p in pings]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while len(self.pings) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.urls()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def dead_hub() -> str:
    """The URL of a hub that is down: a loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/hub"
