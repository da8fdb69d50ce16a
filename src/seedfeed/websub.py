"""WebSub, publisher side: which feed URLs a publish changed, and a sender that tells the
configured hubs about them (`hub.mode=publish`, one form-encoded POST per feed and hub).

The pure part (`changed_feed_urls`, `link_header`) takes what publish wrote and the config
and returns strings. The sender (`Pinger`) owns one thread and one queue per hub, retries a
failed ping with exponential backoff a bounded number of times and logs one line when a hub
starts failing and one when it answers again. It must never hold up or fail a build: the
build hands it URLs and goes on; nothing it does raises into the caller.
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from . import __version__
from .config import WebSubConfig
from .published import FEEDS

log = logging.getLogger(__name__)

USER_AGENT = f"seedfeed/{__version__} (WebSub publisher)"


# --- pure --------------------------------------------------------------------------------

def public_feed_url(base_url: str, path: str) -> str | None:
    """The public URL of the feed document at `path` under feeds/ (a page still filling up,
    in `archive/<n>/open/`, under its final URL); None for anything but a feed document."""
    parts = path.split("/")
    if parts[-1] not in FEEDS:
        return None
    if len(parts) > 2 and parts[-2] == "open" and "archive" in parts:
        parts = [*parts[:-2], parts[-1]]
    return f"{base_url}/feeds/{quote('/'.join(parts))}"


def changed_feed_urls(base_url: str, written: Iterable[str]) -> list[str]:
    """The public URLs of the feed documents among the written 'feeds/…' paths, sorted. A
    full archive page is not announced: it never changes once full and nobody subscribes
    to it, and a full re-render (new code, new hubs) would otherwise send thousands of pings."""
    urls = set()
    for rel in written:
        top, _, path = rel.partition("/")
        folders = path.split("/")[:-1]
        if top != "feeds" or ("archive" in folders and folders[-1] != "open"):
            continue
        if (url := public_feed_url(base_url, path)) is not None:
            urls.add(url)
    return sorted(urls)


def link_header(hubs: Iterable[str], self_url: str) -> str:
    """The HTTP `Link` value of a feed response: each hub, then the feed's own URL."""
    return ", ".join([*(f'<{hub}>; rel="hub"' for hub in hubs), f'<{self_url}>; rel="self"'])


MAX_DELAY = 3600.0  # the longest wait between two tries, however many retries are allowed


def backoff_delay(ws: WebSubConfig, failures: int) -> float:
    """Seconds before the next try of a ping that failed `failures` times (1, 2, …)."""
    return min(MAX_DELAY, ws.backoff * 2.0 ** min(failures - 1, 30))


# --- sending -----------------------------------------------------------------------------

def ping(hub: str, feed_url: str, timeout: float) -> str | None:
    """One publish notification; None when the hub accepted it (any 2xx), else why not."""
    body = urlencode({"hub.mode": "publish", "hub.url": feed_url}).encode("ascii")
    request = urllib.request.Request(hub, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only: config.py checks)
            response.read(65536)
            return None
    except urllib.error.HTTPError as e:
        return f"HTTP {e.code} {e.reason}"
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", None) or e
        return f"{type(reason).__name__}: {reason}" if not isinstance(reason, str) else reason


@dataclass
class HubState:
    """What /status shows of one hub."""

    sent: int = 0  # pings the hub accepted
    failed: int = 0  # tries that failed
    dropped: int = 0  # pings given up after the last retry
    last_ok: str | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    failing: bool = False

    def as_dict(self) -> dict[str, object]:
        return dict(vars(self))


Sender = Callable[[str, str, float], str | None]


class _HubQueue:
    """One hub's pings: a thread sending them in due order, a failed one again later."""

    def __init__(self, hub: str, ws: WebSubConfig, send: Sender) -> None:
        self.hub, self.ws, self.send = hub, ws, send
        self.state = HubState()
        self._due: list[tuple[float, int, str, int]] = []  # (when, order, feed URL, failures)
        self._queued: set[str] = set()
        self._busy = False
        self._order = 0
        self._stopping = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._loop, name=f"websub {hub}", daemon=True)
        self._thread.start()

    def put(self, urls: Iterable[str]) -> None:
        with self._cond:
            for url in urls:
                if url not in self._queued:  # not yet told: the hub fetches the newest anyway
                    self._push(time.monotonic(), url, 0)
            self._cond.notify()

    def _push(self, when: float, url: str, failures: int) -> None:
        self._order += 1
        self._queued.add(url)
        heapq.heappush(self._due, (when, self._order, url, failures))

    def idle(self) -> bool:
        with self._cond:
            return not self._due and not self._busy

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify()

    def join(self, timeout: float) -> None:
        self._thread.join(max(0.0, timeout))

    def _next(self) -> tuple[str, int] | None:
        """The next ping once it is due; None when stopping."""
        with self._cond:
            while not self._stopping:
                wait = self._due[0][0] - time.monotonic() if self._due else None
                if wait is not None and wait <= 0:
                    _, _, url, failures = heapq.heappop(self._due)
                    self._queued.discard(url)
                    self._busy = True
                    return url, failures
                self._cond.wait(wait)
            return None

    def _loop(self) -> None:
        while (job := self._next()) is not None:
            url, failures = job
            try:
                error = self.send(self.hub, url, self.ws.timeout)
            except Exception as e:  # a bug here must not end the thread: the next ping is tried
                error = f"{type(e).__name__}: {e}"
            with self._cond:
                self._busy = False
                self._record(url, failures, error)

    def _record(self, url: str, failures: int, error: str | None) -> None:
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        s = self.state
        if error is None:
            s.sent, s.last_ok = s.sent + 1, now
            if s.failing:
                log.info("hub %s accepts pings again", self.hub)
            s.failing = False
            return
        s.failed, s.last_error, s.last_error_at = s.failed + 1, error, now
        if not s.failing:  # one line per burst of failures, not one per try
            log.warning("hub %s failed (%s); retrying up to %d times with backoff",
                        self.hub, error, self.ws.retries)
        s.failing = True
        if failures < self.ws.retries:
            if url not in self._queued:  # a newer ping of the same feed is queued already
                self._push(time.monotonic() + backoff_delay(self.ws, failures + 1), url,
                           failures + 1)
        else:
            s.dropped += 1


class Pinger:
    """Tells every configured hub about changed feeds, in the background."""

    def __init__(self, ws: WebSubConfig, send: Sender = ping) -> None:
        self.hubs = [_HubQueue(hub, ws, send) for hub in ws.hubs]

    def submit(self, feed_urls: list[str]) -> None:
        """Queue one ping per URL and hub; returns at once."""
        if feed_urls:
            for hub in self.hubs:
                hub.put(feed_urls)

    def wait(self, seconds: float) -> bool:
        """Wait up to `seconds` for every queued ping (and its retries); whether all are done."""
        deadline = time.monotonic() + seconds
        while not all(h.idle() for h in self.hubs):
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
        return True

    def stop(self, timeout: float = 2.0) -> None:
        """Stop the threads: a ping under way may finish within `timeout`; queued ones go."""
        deadline = time.monotonic() + timeout
        for hub in self.hubs:
            hub.stop()
        for hub in self.hubs:
            hub.join(deadline - time.monotonic())

    def state(self) -> dict[str, dict[str, object]]:
        """Per hub: counts and the last result, for /status."""
        return {h.hub: h.state.as_dict() for h in self.hubs}
