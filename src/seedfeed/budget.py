"""Time budgets: stop a piece of pure work (parsing one seed) that runs past its limit.

One watchdog thread per process looks at the work under way in every thread and raises
`OverBudget` inside a thread whose work has run too long (CPython's asynchronous exception,
delivered at the next bytecode: a regular expression stuck in C gives way when it returns,
a Python loop at once). The caller turns it into a rejection; the rest of the batch goes
on. Cheap per call: a dict entry set and removed, no thread per call.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class OverBudget(BaseException):  # noqa: N818  (like KeyboardInterrupt: past `except Exception`)
    """The work ran past its time budget."""


_lock = threading.Lock()
_running: dict[int, float] = {}  # thread id -> deadline (monotonic)
_watchdog: threading.Thread | None = None
_TICK = 0.1


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exc) if exc else None)


def _watch() -> None:
    while True:
        time.sleep(_TICK)
        now = time.monotonic()
        with _lock:
            for tid, deadline in list(_running.items()):
                if now > deadline:
                    del _running[tid]  # raised once; the thread's `limit` cleans up
                    _raise_in(tid, OverBudget)


@contextmanager
def limit(seconds: float) -> Iterator[None]:
    """Run the block with a time budget; past it, OverBudget is raised inside the block
    (or as it ends). Not reentrant within one thread."""
    global _watchdog
    tid = threading.get_ident()
    with _lock:
        if _watchdog is None or not _watchdog.is_alive():
            _watchdog = threading.Thread(target=_watch, name="seedfeed-budget", daemon=True)
            _watchdog.start()
        _running[tid] = time.monotonic() + seconds
    try:
        yield
    finally:
        with _lock:
            if _running.pop(tid, None) is None:  # the watchdog fired: it may not have landed
                _raise_in(tid, None)  # cancel one still pending; a delivered one propagates
