"""Remembered `stat` results for the fast path, forgotten as soon as the file may have changed.

A feed poll would otherwise cost a `stat` (a path walk, the dearest step left on a 304) of
the document and one of its sibling. Here a result is reused while Linux inotify has said
nothing about the file's folder, checked with one `FIONREAD` ioctl per call: the kernel
queues a change's event before the `rename`, write or `utime` returns, so the first call
after it sees it, in this process and in every other one (each has its own inotify
instance, a forked child too). A result is also never older than MAX_AGE, which bounds what
inotify cannot see (another machine's writes on a network file system, a parent folder
renamed). Where inotify is missing (not Linux) or a folder cannot be watched, every call is
a plain `stat`, as before.

It only answers `stat`: it never reads a file and knows nothing of documents or HTTP.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import struct
import termios
import time
import weakref
from threading import Lock

MAX_AGE = 1.0  # seconds a remembered result may stand without any event
_EVENTS = (0x002 | 0x004 | 0x008 | 0x040 | 0x080 | 0x100 | 0x200  # modify, attrib, close
           | 0x400 | 0x800)  # (write), moved from/to, create, delete; the folder's own delete/move
_ONLYDIR = 0x01000000
_FORGET_ALL = 0x4000 | 0x8000 | 0x400 | 0x800 | 0x40000000  # overflow, ignored, self, a folder
_HEADER = struct.Struct("iIII")  # struct inotify_event: wd, mask, cookie, len (then the name)
_QUIET = b"\0\0\0\0"
_instances: weakref.WeakSet[Stats] = weakref.WeakSet()


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.inotify_init1, libc.inotify_add_watch  # noqa: B018 (missing off Linux)
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _libc()


class Stats:
    """`stat` with memory, safe for the threads of one process and across a fork."""

    def __init__(self, max_age: float = MAX_AGE) -> None:
        self.max_age = max_age
        self._lock = Lock()
        self._draining = False
        self._fd: int | None = None
        self._open()
        _instances.add(self)

    def _open(self) -> None:
        self._known: dict[str, tuple[float, os.stat_result]] = {}  # path -> (until, result)
        self._folders: dict[str, int] = {}  # folder -> watch (-1: cannot be watched)
        self._names: dict[int, str] = {}  # watch -> folder
        self._fd = None
        if _LIBC is not None:
            fd = _LIBC.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
            self._fd = fd if fd >= 0 else None  # out of instances: plain stats
        if self._fd is not None:
            self._closer = weakref.finalize(self, os.close, self._fd)
        self._ready = bytearray(4)
        self._drains = 0  # event reads so far

    def _after_fork(self) -> None:
        """A child shares its parent's inotify instance, whose events only one of them would
        read: it gets its own, and trusts nothing it inherited."""
        if self._fd is not None:
            self._closer()
        drains = self._drains
        self._lock = Lock()
        self._draining = False
        self._open()
        self._drains = drains + 1  # whatever the parent learnt is void here

    def stat(self, path: str) -> os.stat_result | None:
        """The file's `os.stat`, or None when it is missing or cannot be looked at."""
        fd = self._fd
        if fd is None:
            return _stat(path)
        fcntl.ioctl(fd, termios.FIONREAD, self._ready, True)
        if self._ready != _QUIET or self._draining:
            self._drain(fd)
        known = self._known.get(path)
        if known is not None and time.monotonic() < known[0]:
            return known[1]
        # The watch comes before the stat and the result is kept only if no event was read
        # meanwhile: a change between the two is then never hidden behind the old result.
        watched = self._watched(os.path.dirname(path))
        seen = self._drains
        st = _stat(path)
        if st is not None and watched:
            with self._lock:
                if seen == self._drains:
                    if len(self._known) > 100_000:  # bounded whatever paths are asked for
                        self._known.clear()
                    self._known[path] = (time.monotonic() + self.max_age, st)
        return st

    def events(self) -> int:
        """A count that moves whenever events are read (or the process forked): what was
        learnt while it stays the same is still true."""
        return self._drains

    def remembered_until(self, path: str) -> float:
        """Until when the remembered result for `path` stands; 0 when there is none."""
        known = self._known.get(path)
        return known[0] if known is not None else 0.0

    def unchanged(self, seen: int, until: float) -> bool:
        """Whether nothing was reported since `events()` was `seen`, before `until`."""
        fd = self._fd
        if fd is None:
            return False
        fcntl.ioctl(fd, termios.FIONREAD, self._ready, True)
        if self._ready != _QUIET or self._draining:
            self._drain(fd)
        return seen == self._drains and time.monotonic() < until

    def _watched(self, folder: str) -> bool:
        wd = self._folders.get(folder)
        if wd is None:
            if len(self._folders) > 4096:  # bounded whatever paths are asked for
                return False
            assert _LIBC is not None and self._fd is not None
            wd = _LIBC.inotify_add_watch(self._fd, os.fsencode(folder), _EVENTS | _ONLYDIR)
            if wd < 0 and ctypes.get_errno() == errno.ENOENT:
                return False  # not there yet (an archive folder still to come): ask again
            with self._lock:
                self._folders[folder] = wd
                if wd >= 0:
                    self._names[wd] = folder
        return wd >= 0

    def _drain(self, fd: int) -> None:
        """Forget what the queued events name. Another thread that finds the queue empty
        while this one has read but not yet forgotten waits on the lock (`_draining`)."""
        with self._lock:
            self._draining = True
            try:
                while True:
                    try:
                        data = os.read(fd, 65536)
                    except BlockingIOError:
                        return
                    self._drains += 1
                    self._forget(data)
            finally:
                self._draining = False

    def _forget(self, data: bytes) -> None:
        pos = 0
        while pos < len(data):
            wd, mask, _, size = _HEADER.unpack_from(data, pos)
            name = data[pos + _HEADER.size:pos + _HEADER.size + size].rstrip(b"\0")
            pos += _HEADER.size + size
            folder = self._names.get(wd)
            if mask & _FORGET_ALL or folder is None:
                self._known.clear()
                if mask & 0x8000 and folder is not None:  # the watch is gone: watch anew
                    del self._names[wd]
                    self._folders.pop(folder, None)
                continue
            self._known.pop(os.path.join(folder, os.fsdecode(name)), None)


_shared: Stats | None = None
_shared_lock = Lock()


def shared() -> Stats:
    """The process's own Stats, for every fast path in it: inotify instances are few (128
    per user by default, for every program of that user), so a process needs only one."""
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = Stats()
    return _shared


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except (OSError, ValueError):  # missing, not a folder, a name too long
        return None


def _reset_after_fork() -> None:
    for stats in list(_instances):
        stats._after_fork()


os.register_at_fork(after_in_child=_reset_after_fork)
