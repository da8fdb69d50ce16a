"""End to end: `seedfeed serve` as a real process on a free loopback port, real files, real clients."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
import requests

from .conftest import write_seed
from .feedcheck import assert_valid_atom, assert_valid_json_feed, parse_xml_feed

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, root: Path, interval: float = 1, settle: float = 0.3,
                 extra: dict[str, dict[str, Any]] | None = None,
                 title: str = "E2E 測試") -> None:
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (root / "seeds").mkdir(parents=True, exist_ok=True)  # a restart reuses the root
        sections: dict[str, dict[str, Any]] = {
            "site": {"title": title, "base_url": self.url},
            "scheduler": {"interval": interval}, "ingest": {"settle_seconds": settle}}
        for name, values in (extra or {}).items():
            sections.setdefault(name, {}).update(values)
        (root / "config.toml").write_text("".join(
            f"[{name}]\n" + "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n"
                                    for k, v in values.items())
            for name, values in sections.items()), encoding="utf-8")
        self.log = (root / "server.log").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "seedfeed", "serve", "--config", str(root / "config.toml"),
             "--port", str(self.port)],  # the option, not the file: how a second instance runs
            stdout=self.log, stderr=subprocess.STDOUT, cwd=root,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    def get(self, path: str, **headers: str) -> requests.Response:
        return requests.get(self.url + path, headers=headers, timeout=5)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout}s: {what}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = Server(tmp_path)
    try:
        wait_for(lambda: srv.get("/healthz").status_code == 200, 20, "server healthy")
        yield srv
    finally:
        srv.stop()


def titles(srv: Server) -> dict[str, dict[str, str]]:
    """{format: {id: title}} as real parsers read the three feeds."""
    atom = parse_xml_feed(srv.get("/feeds/atom.xml").content)
    rss = parse_xml_feed(srv.get("/feeds/rss.xml").content)
    doc = assert_valid_json_feed(srv.get("/feeds/feed.json").content)
    return {
        "atom": {e.id: e.title for e in atom.entries},
        "rss": {e.id: e.title for e in rss.entries},
        "json": {i["id"]: i["title"] for i in doc["items"]},
    }


def test_seed_lifecycle_through_a_running_server(server: Server) -> None:
    assert titles(server) == {"atom": {}, "rss": {}, "json": {}}
    started = time.monotonic()
    write_seed(server.seeds, "live.txt", "剛剛寫入的新聞標題", "第一段正文。\n第二段正文。")
    seen = wait_for(lambda: all(titles(server).values()) and titles(server), 5,
                    "new seed in all three feeds")
    appeared = time.monotonic() - started
    [entry_id] = seen["atom"]
    assert seen == {fmt: {entry_id: "剛剛寫入的新聞標題"} for fmt in seen}
    assert appeared < 5
    first_updated = parse_xml_feed(server.get("/feeds/atom.xml").content).entries[0].updated

    write_seed(server.seeds, "live.txt", "修改後的新聞標題", "第一段正文。\n第二段正文。")
    edited = wait_for(lambda: titles(server)["json"].get(entry_id) == "修改後的新聞標題"
                      and titles(server), 5, "edited title")
    assert edited == {fmt: {entry_id: "修改後的新聞標題"} for fmt in edited}
    atom = server.get("/feeds/atom.xml")
    assert_valid_atom(atom.content)
    assert parse_xml_feed(atom.content).entries[0].updated > first_updated

    (server.seeds / "live.txt").unlink()
    wait_for(lambda: titles(server) == {"atom": {}, "rss": {}, "json": {}}, 5, "deleted seed gone")


def test_serve_with_the_default_config_starts_without_warnings(server: Server) -> None:
    """granian warns when a worker may spawn too many Python threads for the cores."""
    write_seed(server.seeds, "w.txt", "啟動不該有警告", "正文。")
    wait_for(lambda: titles(server)["atom"], 5, "seed published")
    for _ in range(20):
        assert server.get("/feeds/atom.xml", **{"Accept-Encoding": "gzip"}).status_code == 200
    time.sleep(0.5)
    log = (server.root / "server.log").read_text()
    assert "WARNING" not in log.upper(), log


def test_conditional_get_against_a_running_server(server: Server) -> None:
    write_seed(server.seeds, "a.txt", "條件請求測試標題", "正文。")
    wait_for(lambda: titles(server)["atom"], 5, "seed published")
    time.sleep(1.5)  # a few idle scans: nothing changed, nothing may be rewritten
    for name in ("atom.xml", "rss.xml", "feed.json"):
        first = server.get(f"/feeds/{name}")
        assert server.get(f"/feeds/{name}", **{"If-None-Match": first.headers["ETag"]}
                          ).status_code == 304
        assert server.get(f"/feeds/{name}", **{"If-Modified-Since": first.headers["Last-Modified"]}
                          ).status_code == 304
    # a real client that keeps validators: feedparser sends them back and gets 304
    url = f"{server.url}/feeds/atom.xml"
    first = feedparser.parse(url)
    assert first.status == 200 and first.entries
    again = feedparser.parse(url, etag=first.etag, modified=first.modified)
    assert again.status == 304


def test_json_feed_read_by_a_feed_reader_library(server: Server, tmp_path: Path) -> None:
    import shutil

    from reader import make_reader

    from .conftest import CORPUS, SAMPLE

    shutil.copy(CORPUS / SAMPLE, server.seeds / SAMPLE)
    wait_for(lambda: titles(server)["json"], 5, "sample published")
    rd = make_reader(str(tmp_path / "reader.sqlite"))
    feed_url = f"{server.url}/feeds/feed.json"
    rd.add_feed(feed_url)
    rd.update_feeds()
    [entry] = list(rd.get_entries(feed=feed_url))
    assert entry.title == ("“新思想 聽吾說”理論直播間——讓黨的創新理論飛入尋常百姓家 第五期 "
                           "新產業 新科技 新平臺 共同譜寫中國式現代化常州答卷")
    assert entry.published.isoformat() == "2023-04-10T01:46:17+00:00"  # 09:46:17+08:00
    assert entry.authors_str == "陽湖網"
    first = "宣講人:潮頭觀瀾春潮涌,風起“兩湖”匯龍城。這里正是常州的新地標——“兩湖”創新區規劃展示館。"
    assert f"<p>{first}</p>" in entry.content[0].value
    rd.close()


def newsboat_items(home: Path, feed_url: str) -> list[tuple[str, str, str]]:
    """Reload one feed with the real newsboat and return (guid, title, author) from its cache."""
    import shutil
    import sqlite3

    exe = shutil.which("newsboat")
    assert exe, "newsboat is not installed (.ci/run installs it)"
    (home / "urls").write_text(feed_url + "\n", encoding="utf-8")
    (home / "config").write_text("", encoding="utf-8")
    proc = subprocess.run(
        [exe, "-u", str(home / "urls"), "-c", str(home / "cache.db"), "-C", str(home / "config"),
         "-x", "reload"],
        env={**os.environ, "HOME": str(home)}, capture_output=True, text=True, timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(home / "cache.db") as db:
        rows = db.execute("SELECT guid, title, author FROM rss_item WHERE feedurl = ? "
                          "ORDER BY guid", (feed_url,)).fetchall()
    return [tuple(r) for r in rows]


@pytest.mark.parametrize("feed", ["atom.xml", "rss.xml"])
def test_newsboat_subscribes_and_sees_no_duplicate_after_an_edit(server: Server, tmp_path: Path,
                                                                 feed: str) -> None:
    home = tmp_path / f"newsboat-{feed}"
    home.mkdir()
    url = f"{server.url}/feeds/{feed}"
    write_seed(server.seeds, "nb.txt", "終端閱讀器測試標題", "正文。")
    wait_for(lambda: titles(server)["atom"], 5, "seed published")
    [(guid, title, author)] = newsboat_items(home, url)
    assert guid.startswith("urn:uuid:")
    assert (title, author) == ("終端閱讀器測試標題", "林小文")
    write_seed(server.seeds, "nb.txt", "終端閱讀器測試標題(更正)", "正文。")
    wait_for(lambda: "終端閱讀器測試標題(更正)" in titles(server)["atom"].values(), 5, "edit")
    assert newsboat_items(home, url) == [(guid, "終端閱讀器測試標題(更正)", "林小文")]


def test_a_second_worker_for_the_same_site_is_refused(server: Server) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "seedfeed", "worker", "--config", str(server.root / "config.toml")],
        capture_output=True, text=True, timeout=30, check=False)
    assert proc.returncode == 1
    assert "another seedfeed worker already runs for this site" in proc.stderr
    assert server.get("/healthz").status_code == 200


def test_a_second_serve_for_the_same_site_serves_but_does_not_schedule(server: Server) -> None:
    port = free_port()
    log = (server.root / "second.log").open("w")
    second = subprocess.Popen(
        [sys.executable, "-m", "seedfeed", "serve", "--config", str(server.root / "config.toml"),
         "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, cwd=server.root)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: requests.get(url + "/healthz", timeout=2).ok, 20, "second serve up")
        assert "serving only, not scheduling" in (server.root / "second.log").read_text()
        write_seed(server.seeds, "two.txt", "兩個服務同一站點", "正文。")
        wait_for(lambda: "兩個服務同一站點" in requests.get(url + "/feeds/atom.xml", timeout=2).text,
                 5, "published by the first, served by the second")
        assert second.poll() is None
    finally:
        second.terminate()
        second.wait(timeout=10)
        log.close()
    assert server.get("/healthz").status_code == 200  # the first one still schedules


def test_file_system_events_publish_before_the_next_interval(tmp_path: Path) -> None:
    srv = Server(tmp_path, interval=60)  # the interval alone would take a minute
    try:
        wait_for(lambda: srv.get("/healthz").status_code == 200, 20, "server healthy")
        time.sleep(0.5)  # the first (immediate) scan is over
        started = time.monotonic()
        write_seed(srv.seeds, "w.txt", "檔案事件觸發的新聞", "正文。")
        wait_for(lambda: titles(srv)["json"], 5, "seed published on the file-system event")
        assert time.monotonic() - started < 5
        (srv.seeds / "w.txt").unlink()
        wait_for(lambda: not titles(srv)["json"], 5, "deletion published on the event")
    finally:
        srv.stop()


def test_a_closed_or_moved_in_seed_does_not_wait_for_the_settle_time(tmp_path: Path) -> None:
    """The file system says when a seed is complete (closed after writing, or renamed in):
    only a file still open for writing waits `ingest.settle_seconds`."""
    srv = Server(tmp_path, interval=60, settle=8)
    try:
        wait_for(lambda: srv.get("/healthz").status_code == 200, 20, "server healthy")
        time.sleep(0.5)
        started = time.monotonic()
        write_seed(srv.seeds, "closed.txt", "寫完關閉的新聞標題", "正文。")  # write, then close
        wait_for(lambda: "寫完關閉的新聞標題" in srv.get("/feeds/feed.json").text, 4, "closed seed")
        assert time.monotonic() - started < 4
        outside = tmp_path / "incoming.txt"
        write_seed(tmp_path, "incoming.txt", "改名搬入的新聞標題", "正文。")
        started = time.monotonic()
        outside.rename(srv.seeds / "moved.txt")
        wait_for(lambda: "改名搬入的新聞標題" in srv.get("/feeds/feed.json").text, 4, "moved seed")
        assert time.monotonic() - started < 4
        with (srv.seeds / "open.txt").open("w", encoding="utf-8") as fh:  # still being written
            fh.write("測試日報\n\n還在寫的新聞標題\n\n時間:2024-05-01 08:00:00\n\n")
            fh.flush()
            time.sleep(3)
            assert "還在寫的新聞標題" not in srv.get("/feeds/feed.json").text
            fh.write("正文。\n")
        wait_for(lambda: "還在寫的新聞標題" in srv.get("/feeds/feed.json").text, 4, "closed at last")
    finally:
        srv.stop()


WSGI_SERVERS = {  # how deploy/ and the README run create_app() beside `seedfeed worker`
    "waitress": lambda port: [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}",
                              "--call", "seedfeed.web:create_app"],
    "granian": lambda port: [sys.executable, "-m", "granian", "--interface", "wsgi", "--factory",
                             "--workers", "2", "--http", "1", "--no-ws", "--port", str(port),
                             "--log-level", "warning", "seedfeed.web:create_app"],
}


@pytest.mark.parametrize("wsgi", WSGI_SERVERS)
def test_split_deployment_worker_plus_any_wsgi_server(tmp_path: Path, wsgi: str) -> None:
    """`seedfeed worker` publishes; a separate WSGI server serves `create_app()` (no scheduler)."""
    port = free_port()
    (tmp_path / "seeds").mkdir()
    config = tmp_path / "config.toml"
    config.write_text(f'[site]\nbase_url = "http://127.0.0.1:{port}"\n[scheduler]\ninterval = 1\n'
                      "[ingest]\nsettle_seconds = 0.3\n", encoding="utf-8")
    env = {**os.environ, "SEEDFEED_CONFIG": str(config)}
    log = (tmp_path / "procs.log").open("w")
    worker = subprocess.Popen([sys.executable, "-m", "seedfeed", "worker"], cwd=tmp_path, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    web = subprocess.Popen(WSGI_SERVERS[wsgi](port), cwd=tmp_path, env=env,
                           stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: requests.get(url + "/healthz", timeout=2).ok, 20, "worker + web up")
        write_seed(tmp_path / "seeds", "s.txt", "分開部署的新聞標題", "正文。")
        wait_for(lambda: "分開部署的新聞標題" in requests.get(url + "/feeds/atom.xml", timeout=2).text,
                 5, "published by the worker, served by the WSGI server")
        # the worker writes its status just after publishing: wait for it, don't race it
        wait_for(lambda: requests.get(url + "/status", timeout=2).json().get("published") == 1,
                 5, "the worker's status")
    finally:
        for proc in (web, worker):
            proc.terminate()
            proc.wait(timeout=10)
        log.close()
