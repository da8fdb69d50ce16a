"""Honest health: every fault the worker meets shows in /healthz and /status within a scan
interval, with its cause: a full or read-only state folder, a build lock held by a hung
process, a worker that died (its last status must not pass for health)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from seedfeed.config import load
from seedfeed.web import create_app

from .conftest import write_seed
from .test_serve_e2e import Server, wait_for

pytestmark = pytest.mark.slow

BODY = "健康檢查測試新聞的正文，長度足夠被當作一篇文章發表出來，沒有別的用處。"


def health(srv: Server) -> tuple[int, str | None]:
    r = srv.get("/healthz")
    return r.status_code, r.json()["problem"]


def failing_with(srv: Server, words: str, within: float) -> str:
    """Wait until /healthz is 503 with `words` in its cause; returns the cause."""
    def check() -> str | None:
        code, problem = health(srv)
        return problem if code == 503 and problem and words in problem else None
    problem: str = wait_for(check, within, f"/healthz failing with {words!r}")
    return problem


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[Path]:
    """A small tmpfs for the state folder: a real file system that fills up and can be
    made read-only (needs the mount privilege, which `make test` has as root)."""
    point = tmp_path / "state"
    point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); run the suite as root")
    try:
        yield point
    finally:
        while subprocess.run(["mountpoint", "-q", str(point)]).returncode == 0:
            subprocess.run(["umount", "-l", str(point)], check=True)  # each one stacked


def serve(root: Path, state: Path, **scheduler: float) -> Server:
    srv = Server(root, extra={"paths": {"state": str(state)},
                              "scheduler": {"interval": 1, **scheduler}})
    write_seed(srv.seeds, "a.txt", "健康檢查的第一篇新聞", BODY)
    wait_for(lambda: health(srv)[0] == 200, 20, "server healthy")
    return srv


def test_a_full_state_folder_is_reported_with_its_cause(tmp_path: Path, mount: Path) -> None:
    srv = serve(tmp_path / "site", mount)
    try:
        filler = mount / "filler"
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)
        write_seed(srv.seeds, "b.txt", "磁碟滿時來的新聞", BODY)
        started = time.monotonic()
        problem = failing_with(srv, "full", 5)
        assert time.monotonic() - started < 4  # within a scan interval or so, not 30 s
        assert str(mount) not in problem  # no server path goes out
        status = srv.get("/status").json()
        assert status["ok"] is False and "full" in status["error"]
        assert srv.get("/feeds/feed.json").status_code == 200  # the good feed stays served
        filler.unlink()
        wait_for(lambda: health(srv)[0] == 200, 10, "healthy again")
        wait_for(lambda: "磁碟滿時來的新聞" in srv.get("/feeds/feed.json").text, 10, "b published")
    finally:
        srv.stop()


def test_a_read_only_state_folder_is_reported_with_its_cause(tmp_path: Path,
                                                              mount: Path) -> None:
    srv = serve(tmp_path / "site", mount)
    try:
        # A read-only file system over the state folder (a remount is refused while the
        # worker has files open for writing; this is what it meets after one, or an NFS
        # export turned read-only).
        subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(mount)],
                       check=True)
        write_seed(srv.seeds, "b.txt", "唯讀時來的新聞", BODY)
        failing_with(srv, "read-only", 5)
        assert srv.get("/status").json()["ok"] is False
        subprocess.run(["umount", str(mount)], check=True)  # the writable one again
        wait_for(lambda: health(srv)[0] == 200, 10, "healthy again")
        wait_for(lambda: "唯讀時來的新聞" in srv.get("/feeds/feed.json").text, 10, "b published")
    finally:
        srv.stop()


HOLD = "import fcntl, sys, time; f = open(sys.argv[1], 'a+'); f.truncate(0); " \
       "f.write(str(__import__('os').getpid())); f.flush(); fcntl.flock(f, fcntl.LOCK_EX); " \
       "print('held', flush=True); time.sleep(600)"


def test_a_build_lock_held_by_a_hung_process_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "site"
    srv = serve(root, root / "state", lock_wait=1)
    hung = subprocess.Popen([sys.executable, "-c", HOLD, str(root / "state" / "build.lock")],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert hung.stdout is not None and hung.stdout.readline().strip() == "held"
        write_seed(srv.seeds, "b.txt", "鎖被卡住時來的新聞", BODY)
        problem = failing_with(srv, f"pid {hung.pid}", 6)
        assert "lock" in problem
        hung.kill()
        hung.wait()
        wait_for(lambda: "鎖被卡住時來的新聞" in srv.get("/feeds/feed.json").text, 10, "published")
        wait_for(lambda: health(srv)[0] == 200, 10, "healthy again")
    finally:
        hung.kill()
        srv.stop()


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_a_dead_worker_does_not_pass_for_healthy(tmp_path: Path) -> None:
    root = tmp_path / "site"
    srv = serve(root, root / "state")
    pid = srv.proc.pid
    os.kill(pid, signal.SIGKILL)  # no goodbye: its last status file says ok
    srv.proc.wait()
    # Its web workers go with it: nobody answers on the port for a dead server.
    wait_for(lambda: not listening(srv.port), 5, "the web workers gone with the server")
    client = create_app(load(root / "config.toml")).test_client()  # a web server restarted alone
    r = client.get("/healthz")
    assert r.status_code == 503
    assert f"pid {pid}" in r.get_json()["problem"] and "not running" in r.get_json()["problem"]
    assert client.get("/status").get_json()["ok"] is False
    srv.log.close()


def test_the_log_stays_quiet_under_load_and_events(tmp_path: Path) -> None:
    """Builds longer than the interval while file events pour in, and polls in between: the
    log says what was published, not a line per skipped run or per request."""
    import requests

    root = tmp_path / "site"
    srv = serve(root, root / "state")
    try:
        for i in range(1500):  # a build of these takes longer than the 1 s interval
            write_seed(srv.seeds, f"n{i:04d}.txt", f"第{i}號安靜的新聞", BODY)
            if i % 100 == 0:
                requests.get(srv.url + "/feeds/atom.xml", timeout=5)
        wait_for(lambda: srv.get("/status").json().get("published") == 1501, 120, "all published")
        for _ in range(300):
            assert requests.get(srv.url + "/feeds/atom.xml", timeout=5).status_code == 200
    finally:
        srv.stop()
    lines = (root / "server.log").read_text("utf-8").splitlines()
    assert not [line for line in lines if "skipped" in line or "running instances" in line]
    assert len(lines) < 40, "\n".join(lines)


def test_a_missing_seeds_folder_is_one_log_line_per_change(tmp_path: Path) -> None:
    root = tmp_path / "site"
    srv = serve(root, root / "state")
    try:
        srv.seeds.rename(root / "away")  # an unmounted share
        failing_with(srv, "seeds folder", 5)
        time.sleep(3.5)  # three more scans meet the same fault
        assert srv.get("/status").json()["ok"] is False
        (root / "away").rename(srv.seeds)
        wait_for(lambda: health(srv)[0] == 200, 10, "healthy again")
    finally:
        srv.stop()
    lines = (root / "server.log").read_text("utf-8").splitlines()
    about = [line for line in lines if "seeds folder" in line]
    assert len(about) == 1, lines
    assert "Traceback" not in "\n".join(lines)
    assert any("recovered" in line for line in lines)
