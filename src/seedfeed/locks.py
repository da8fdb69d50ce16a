"""File locks (flock) on files in paths.state: one worker per site, one build at a time."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import SeedfeedError
from .health import diagnose


def acquire(path: Path, *, wait: bool) -> IO[str]:
    """Lock `path` (created if needed) and return the open handle that holds the lock.
    Without `wait`, raise BlockingIOError when another process holds it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+")
    except OSError as e:
        raise SeedfeedError(f"cannot open the lock {path}: {e.strerror or e}"
                            f"{diagnose(path.parent)}") from e
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BaseException:
        handle.close()
        raise
    handle.truncate(0)
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def holder(path: Path) -> str:
    """Who holds (or last held) the lock: the pid its holder wrote, if any."""
    try:
        pid = path.read_text("ascii").strip()
    except (OSError, ValueError):
        return "an unknown process"
    return f"pid {pid}" if pid.isdigit() else "an unknown process"


@contextmanager
def held(path: Path, timeout: float) -> Iterator[None]:
    """Hold `path`'s lock for the block, waiting up to `timeout` seconds for whoever holds
    it now; then a SeedfeedError names the holder (a hung build must not stall us unseen)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            handle = acquire(path, wait=False)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise SeedfeedError(
                    f"another build of this site ({holder(path)}) has held {path} for over "
                    f"{timeout:g}s; if it is hung, stop it (the lock goes with the process), "
                    "or raise scheduler.lock_wait") from None
            time.sleep(0.05)
    try:
        yield
    finally:
        handle.close()


class SiteLock:
    """The worker's lock, held for the life of `serve` or `worker`: one scheduler per site."""

    def __init__(self, state: Path) -> None:
        self.path = state / "worker.lock"
        self.handle: IO[str] | None = None

    def acquire(self) -> None:
        try:
            self.handle = acquire(self.path, wait=False)
        except BlockingIOError:
            raise SeedfeedError(
                f"another seedfeed worker already runs for this site (lock {self.path}); "
                "stop it first, or run `seedfeed serve`/`worker` only once per site"
            ) from None

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
