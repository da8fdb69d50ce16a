"""Health: the worker's heartbeat, written where the web can read it, and the verdict on it.

The worker writes a small record (its pid, host, start time, the time of this beat, whether
a build is under way and since when, the fault it meets, if any) every few seconds into
paths.state/health.json, rewriting a fixed-size file in place: that still works when the
disk is full. When even that fails (a read-only or
unmounted state folder) it writes the same record, with that fault, into the system's
temporary folder instead. The web reads both and judges the newest: no record, a dead
worker, a stale beat or a fault is unhealthy, with the cause in words.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import tempfile
import time
from pathlib import Path
from typing import Any

FILE = "health.json"
SIZE = 4096  # bytes: the record is padded to this, so a rewrite never needs a new block


def fallback_path(state: Path) -> Path:
    digest = hashlib.sha256(str(state.resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"seedfeed-health-{digest}.json"


def diagnose(folder: Path) -> str:
    """Why writing in `folder` may fail, in words ("" when nothing is visibly wrong): SQLite
    reports a full disk as "disk I/O error"."""
    try:
        fs = os.statvfs(folder)
    except OSError as e:
        return f" (the folder cannot be reached: {e.strerror or e})"
    if fs.f_flag & os.ST_RDONLY:
        return " (its file system is read-only)"
    if fs.f_bavail * fs.f_frsize < 1 << 20:
        return f" (its file system is full: {fs.f_bavail * fs.f_frsize // 1024} KiB free)"
    return ""


def stale_after(interval: float) -> float:
    """Seconds without a beat after which the worker counts as gone."""
    return 2 * min(interval, 5.0) + 5.0


def beat_interval(interval: float) -> float:
    return min(interval, 5.0) / 2


class Beacon:
    """The worker's side: `write(...)` as often as it likes; it never raises."""

    def __init__(self, state: Path) -> None:
        self.paths = [state / FILE, fallback_path(state)]
        self.started = time.time()

    def write(self, problem: str | None, building_since: float | None = None) -> None:
        record: dict[str, Any] = {
            "pid": os.getpid(), "host": socket.gethostname(), "started": self.started,
            "beat": time.time(), "problem": problem, "building_since": building_since,
        }
        for path in self.paths:
            try:
                _write(path, record)
                return
            except OSError as e:
                record["problem"] = problem or (f"cannot write {path.name} in the state folder: "
                                                f"{e.strerror or e}{diagnose(path.parent)}")


def _write(path: Path, record: dict[str, Any]) -> None:
    """Rewrite the fixed-size file in place (opened anew each time: a folder remounted
    read-only must show up as an error here, not be written through an old handle)."""
    data = json.dumps(record, ensure_ascii=False).encode()
    if len(data) >= SIZE:
        record["problem"] = str(record["problem"])[:SIZE // 8] + "…"
        data = json.dumps(record, ensure_ascii=False).encode()
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            os.posix_fallocate(fd, 0, SIZE)
        except OSError:
            os.close(fd)
            path.unlink(missing_ok=True)
            raise
    try:
        os.pwrite(fd, data + b" " * (SIZE - len(data)), 0)
    finally:
        os.close(fd)


def read(state: Path) -> dict[str, Any] | None:
    """The newest record of the two places, or None when there is none."""
    found = []
    for path in (state / FILE, fallback_path(state)):
        for _ in range(3):  # a read racing a rewrite: try again
            try:
                found.append(json.loads(path.read_bytes()))
                break
            except FileNotFoundError:
                break
            except (OSError, ValueError):
                time.sleep(0.005)
    found = [r for r in found if isinstance(r, dict) and isinstance(r.get("beat"), float)]
    return max(found, key=lambda r: r["beat"]) if found else None


def _alive(record: dict[str, Any]) -> bool:
    if record.get("host") != socket.gethostname():
        return True  # another machine: only the beat can tell
    try:
        os.kill(int(record["pid"]), 0)
    except ProcessLookupError:
        return False
    except (OSError, ValueError, TypeError):
        pass
    return True


def verdict(record: dict[str, Any] | None, interval: float, now: float | None = None) -> str | None:
    """What is wrong, in words, or None when the worker is healthy."""
    if record is None:
        return "the worker has not reported yet (is `seedfeed serve` or `seedfeed worker` running?)"
    if not _alive(record):
        return f"the worker (pid {record.get('pid')}) is not running"
    age = (time.time() if now is None else now) - float(record["beat"])
    if age > stale_after(interval):
        return f"no word from the worker for {age:.0f}s"
    problem = record.get("problem")
    return str(problem) if problem else None
