"""watch.py: remembered stats are reused while nothing changed, and never after a change."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from seedfeed import watch
from seedfeed.watch import Stats


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths `Stats` really stats, in order."""
    seen: list[str] = []
    real = watch._stat

    def counting(path: str) -> os.stat_result | None:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(watch, "_stat", counting)
    return seen


def replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(".tmp-" + path.name)
    tmp.write_bytes(data)
    os.replace(tmp, path)  # how publish writes


def append(path: Path, data: bytes) -> None:
    with path.open("ab") as fh:
        fh.write(data)


def touch(path: Path, data: bytes) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


@pytest.mark.parametrize("change", [replace, append, touch])
def test_a_change_is_seen_by_the_next_call(tmp_path: Path, calls: list[str],
                                           change: Callable[[Path, bytes], None]) -> None:
    path = tmp_path / "atom.xml"
    path.write_bytes(b"one")
    stats = Stats()
    first = stats.stat(str(path))
    assert first is not None
    for _ in range(100):
        assert stats.stat(str(path)) == first
    assert len(calls) == 1  # one real stat for 101 answers
    change(path, b"two!")
    second = stats.stat(str(path))
    real = path.stat()
    assert second is not None and second != first
    assert (second.st_ino, second.st_size, second.st_mtime_ns) == (
        real.st_ino, real.st_size, real.st_mtime_ns)


def test_a_removed_file_is_gone_at_once_and_a_new_one_is_there_at_once(tmp_path: Path) -> None:
    stats = Stats()
    path = tmp_path / "archive" / "3" / "atom.xml"
    assert stats.stat(str(path)) is None  # its folder does not exist yet
    path.parent.mkdir(parents=True)
    path.write_bytes(b"x")
    assert stats.stat(str(path)) is not None
    path.unlink()
    assert stats.stat(str(path)) is None


def test_a_result_is_not_kept_longer_than_max_age(tmp_path: Path, calls: list[str]) -> None:
    path = tmp_path / "a"
    path.write_bytes(b"1")
    stats = Stats(max_age=0.05)
    stats.stat(str(path))
    stats.stat(str(path))
    time.sleep(0.1)
    stats.stat(str(path))
    assert len(calls) == 2


def test_a_forked_child_sees_a_change_its_parent_read_first(tmp_path: Path) -> None:
    """A child shares the parent's inotify queue unless it makes its own: the parent would
    read the event and the child keep the old result."""
    path = tmp_path / "a"
    path.write_bytes(b"1")
    stats = Stats()
    assert stats.stat(str(path)) is not None
    go, ready = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: remembers version 1, then looks after the parent's change
        code = 2
        try:
            st = stats.stat(str(path))
            assert st is not None and st.st_size == 1
            os.read(go, 1)
            st = stats.stat(str(path))
            code = 0 if st is not None and st.st_size == 2 else 1
        finally:
            os._exit(code)
    try:
        time.sleep(0.2)  # the child has remembered version 1
        replace(path, b"22")
        st = stats.stat(str(path))  # the parent reads its events
        assert st is not None and st.st_size == 2
        os.write(ready, b"x")
    finally:
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def _inotify_fds() -> int:
    return sum(os.readlink(f"/proc/self/fd/{fd}") == "anon_inode:inotify"
               for fd in os.listdir("/proc/self/fd") if os.path.exists(f"/proc/self/fd/{fd}"))


def test_every_fast_path_of_a_process_shares_one_inotify_instance(tmp_path: Path) -> None:
    """Instances are 128 per user for every program of that user: one app each (a test
    suite makes hundreds) would use them up for everyone."""
    from seedfeed.fastpath import FastPath

    before = _inotify_fds()
    paths = [FastPath(lambda environ, start_response: [], str(tmp_path / f"f{i}"),
                      str(tmp_path / f"s{i}"), 60) for i in range(200)]
    for i, fast in enumerate(paths):
        (tmp_path / f"s{i}").mkdir()
        (tmp_path / f"s{i}" / "index.html").write_bytes(b"<p>x</p>")
        assert fast.answer("GET", "/", None, None, None) is not None
    assert _inotify_fds() - before <= 1
