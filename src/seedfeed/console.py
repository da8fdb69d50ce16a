"""What the CLI shows a person: progress on a terminal, colour, the end-of-build summary.

Progress goes to stderr and only moves (carriage returns, a spinner, a bar) when stderr is
a terminal; piped, it is a plain line. Colour only on a terminal, never under NO_COLOR or
TERM=dumb. Names from seeds are escaped (`logs.escape`) before they reach the screen.
Prints and formats; must not build, parse or configure logging.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from .logs import escape
from .model import BuildReport

_COLOURS = {"ok": "32", "rejected": "31", "warning": "33", "ignored": "2", "bold": "1"}
_SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
SHOWN_REJECTIONS = 10


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def wants_colour(stream: TextIO) -> bool:
    return (is_terminal(stream) and "NO_COLOR" not in os.environ
            and os.environ.get("TERM") != "dumb")


def paint(text: str, style: str, on: bool) -> str:
    return f"\x1b[{_COLOURS[style]}m{text}\x1b[0m" if on else text


def _width(stream: TextIO) -> int:
    try:
        return max(20, os.get_terminal_size(stream.fileno()).columns)
    except (OSError, ValueError, AttributeError):
        return 80


class Progress:
    """One status line on stderr: a spinner with the elapsed time, or a bar of done/total.

    On a terminal the line is redrawn in place (and cleared before each log line, so log
    records and the line do not mix); elsewhere `start` writes one plain line and nothing
    moves."""

    def __init__(self, label: str, stream: TextIO | None = None, *, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.live = enabled and is_terminal(self.stream)
        self.enabled = enabled
        self.label = label
        self.colour = wants_colour(self.stream)
        self.total = 0
        self.done = 0
        self.item = ""
        self._started = time.monotonic()
        self._drawn = False
        self._lock = threading.RLock()

    def line(self) -> str:
        elapsed = f"{time.monotonic() - self._started:.1f}s"
        if not self.total:
            frame = _SPINNER[int((time.monotonic() - self._started) * 10) % len(_SPINNER)]
            return f"{paint(frame, 'bold', self.colour)} {self.label} {elapsed}"
        slots = 24
        filled = slots * self.done // self.total
        bar = paint("█" * filled, "ok", self.colour and filled > 0) + "░" * (slots - filled)
        head = f"{self.label} {bar} {self.done}/{self.total} {elapsed} "
        room = _width(self.stream) - len(head) - 1
        item = escape(self.item)
        return head + (item if len(item) <= room else "…" + item[-max(room - 1, 0):])

    def draw(self) -> None:
        if self.live:
            with self._lock:
                self.stream.write("\r\x1b[2K" + self.line())
                self.stream.flush()
                self._drawn = True

    def clear(self) -> None:
        with self._lock:
            if self._drawn:
                self.stream.write("\r\x1b[2K")
                self.stream.flush()
                self._drawn = False

    def advance(self, done: int, total: int, item: str) -> None:
        self.done, self.total, self.item = done, total, item
        self.draw()

    def start(self, plain: str) -> None:
        if self.live:
            self.draw()
        elif self.enabled:
            print(plain, file=self.stream, flush=True)


class _ClearFirst:
    """A stream for the log handlers that clears the progress line before each record."""

    def __init__(self, progress: Progress, stream: TextIO) -> None:
        self.progress, self.stream = progress, stream

    def write(self, text: str) -> int:
        with self.progress._lock:
            self.progress.clear()
            return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


@contextmanager
def showing(progress: Progress, plain: str, *, spin: bool = False) -> Iterator[Progress]:
    """Show `progress` while the block runs (a spinner thread when `spin`); clear it after."""
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    if progress.live:
        for h in handlers:
            h.setStream(_ClearFirst(progress, h.stream))  # type: ignore[arg-type]
    stop = threading.Event()
    progress.start(plain)
    spinner = threading.Thread(target=_spin, args=(progress, stop), daemon=True)
    if spin and progress.live:
        spinner.start()
    try:
        yield progress
    finally:
        stop.set()
        if spinner.is_alive():
            spinner.join()
        progress.clear()
        for h in handlers:
            if isinstance(h.stream, _ClearFirst):
                h.setStream(h.stream.stream)  # type: ignore[arg-type]


def _spin(progress: Progress, stop: threading.Event) -> None:
    while not stop.wait(0.1):
        progress.draw()


def build_summary(report: BuildReport, colour: bool) -> list[str]:
    """The lines printed at the end of `seedfeed build`: counts, then the rejected seeds."""
    what = (f"files updated ({report.rendered} documents rendered)" if report.changed
            else "nothing changed, no file rewritten")
    seeds = f"{report.seeds} seed{'' if report.seeds == 1 else 's'}"
    lines = [paint(f"{seeds} built in {report.seconds:.2f}s: {what}", "bold", colour)]
    rows = [("published", report.published, "ok"), ("duplicates", report.duplicates, "ok"),
            ("rejected", len(report.rejected), "rejected"),
            ("warnings", len(report.warnings), "warning"),
            ("pending", len(report.pending), "warning")]
    for name, count, style in rows:
        figure = paint(f"{count:>6}", style, colour and count > 0 and style != "ok")
        lines.append(f"  {name:<11}{figure}{_note(name, count)}")
        if name == "rejected":
            lines += [f"    {paint(escape(r.seed), 'rejected', colour)}: {escape(r.reason)}"
                      for r in report.rejected[:SHOWN_REJECTIONS]]
            if count > SHOWN_REJECTIONS:
                lines.append(f"    … and {count - SHOWN_REJECTIONS} more")
    return lines


def _note(name: str, count: int) -> str:
    if not count:
        return ""
    return {"warnings": "  (see them with `seedfeed check` or at /status)",
            "pending": "  (still being written; the next build takes them)"}.get(name, "")


def check_summary(rows: list[dict[str, Any]]) -> str:
    """`N ok, N rejected, N ignored, N warnings` for `seedfeed check`."""
    count = {s: sum(1 for r in rows if r["status"] == s) for s in ("ok", "rejected", "ignored")}
    warnings = sum(len(r.get("warnings") or []) for r in rows)
    return (f"{count['ok']} ok, {count['rejected']} rejected, {count['ignored']} ignored, "
            f"{warnings} warning{'' if warnings == 1 else 's'}")
