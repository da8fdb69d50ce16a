"""Logging for the commands: one line per record, whatever the record carries.

A seed's file name or text can hold a newline, a carriage return, an escape sequence or a
bidi control; written raw, it would forge log lines or reorder what an operator reads. The
formatter escapes those in the message (a traceback, logged on purpose, keeps its lines).
Expected noise is dropped: APScheduler's "skipped: maximum number of running instances"
for every file event during a build (the worker runs again by itself after such a build).
Only the CLI calls `configure`; modules just use `logging.getLogger(__name__)`.
"""

from __future__ import annotations

import logging
import re
import sys

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape(text: str) -> str:
    """`text` with control and bidi characters written as \\n, \\x1b, \\u202e …"""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class OneLine(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        record.message = escape(record.message)
        return super().formatMessage(record)


class _NoSkipNotices(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in str(record.msg)


def configure(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLine("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("apscheduler.scheduler").addFilter(_NoSkipNotices())
