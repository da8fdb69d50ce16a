"""WebSub, publisher side: hubs in every feed and in the Link header, and one publish ping per
changed feed per build to a real hub on loopback, without ever holding up a build."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import feedparser
import pytest

from seedfeed.config import Config
from seedfeed.errors import ConfigError
from seedfeed.pipeline import build
from seedfeed.scheduler import Worker
from seedfeed.web import create_app
from seedfeed.websub import MAX_DELAY, Pinger, backoff_delay, changed_feed_urls

from .conftest import make_config, write_seed
from .feedcheck import assert_valid_atom, assert_valid_json_feed, parse_xml_feed
from .hub import Hub, dead_hub

FORMATS = ("atom.xml", "rss.xml", "feed.json")


@pytest.fixture
def hub() -> Iterator[Hub]:
    h = Hub()
    yield h
    h.close()


def site(root: Path, hubs: list[str], **websub: float) -> Config:
    """Five seeds, two to an archive page: heads, a full archive page and an open one."""
    cfg = make_config(root, feeds={"max_entries": 2, "archive_entries": 2},
                      websub={"hubs": hubs, "backoff": 0.05, **websub})
    for i in range(5):
        write_seed(cfg.paths.seeds, f"s{i}.txt", f"第{i}條推送測試新聞", f"正文{i}。",
                   meta=f"時間:2024-05-0{i + 1} 08:00:00  來源:推送日報  作者:記者{i}")
    return cfg


def snapshot(cfg: Config) -> dict[str, bytes]:
    return {str(p.relative_to(cfg.paths.feeds)): p.read_bytes()
            for p in cfg.paths.feeds.rglob("*") if p.name in FORMATS}


def announced(cfg: Config, before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """The URLs a hub must hear of, from the files on disk: every feed document whose bytes
    changed, a page still filling up under its final URL, full archive pages left out."""
    changed = [p for p, data in after.items() if before.get(p) != data]
    kept = [p for p in changed if "archive/" not in p or "/open/" in p]
    return sorted(f"{cfg.base_url}/feeds/{quote(p.replace('/open/', '/'))}" for p in kept)


def run(worker: Worker) -> None:
    worker.run_once()
    assert worker.pinger is not None
    assert worker.pinger.wait(10)


def test_config_validates_hubs(tmp_path: Path) -> None:
    assert make_config(tmp_path, websub={"hubs": ["https://hub.example/"]}).websub.hubs == (
        "https://hub.example/",)
    for bad in (["/hub"], ["ftp://hub.example/"], "https://hub.example/", [1],
                ["https://hub.example/a\r\nX-Evil: 1"], ["https://hub.example/<x>"],
                ["https://a.example/", "https://a.example/"]):
        with pytest.raises(ConfigError) as e:
            make_config(tmp_path, websub={"hubs": bad})
        assert e.value.key == "websub.hubs"
    with pytest.raises(ConfigError) as e:
        make_config(tmp_path, websub={"retries": -1})
    assert e.value.key == "websub.retries"


def test_changed_feed_urls_from_what_publish_wrote() -> None:
    written = ["feeds/atom.xml", "feeds/feeds.opml", "feeds/tag/新聞-1a2b/rss.xml",
               "feeds/archive/3/open/feed.json", "feeds/archive/2/atom.xml",
               "feeds/.seedfeed-journal", "site/index.html"]
    assert changed_feed_urls("https://n.example", written) == [
        "https://n.example/feeds/archive/3/feed.json", "https://n.example/feeds/atom.xml",
        f"https://n.example/feeds/tag/{quote('新聞')}-1a2b/rss.xml"]


def test_every_feed_carries_the_hubs_and_validates(tmp_path: Path) -> None:
    hubs = ["http://127.0.0.1:1/a", "http://127.0.0.1:1/b?x=1&y=2"]
    cfg = site(tmp_path, hubs)
    build(cfg)
    files = snapshot(cfg)
    assert any("/open/" in p for p in files) and any("archive/0/" in p for p in files)
    assert any(p.startswith("source/") for p in files)
    for path, data in files.items():
        if path.endswith("feed.json"):
            doc = assert_valid_json_feed(data)
            assert doc["hubs"] == [{"type": "WebSub", "url": h} for h in hubs], path
            continue
        if path.endswith("atom.xml"):
            assert_valid_atom(data)
        parsed = parse_xml_feed(data)
        found = [link.href for link in parsed.feed.links if link.rel == "hub"]
        assert found == hubs, path
        assert [link.rel for link in parsed.feed.links].count("self") == 1, path


def test_hubs_added_or_removed_re_render_every_feed(tmp_path: Path) -> None:
    plain = site(tmp_path / "plain", [])
    build(plain)
    before = snapshot(plain)
    assert not any(b"hub" in data for data in before.values())
    with_hubs = site(tmp_path / "plain", ["http://127.0.0.1:1/hub"])
    build(with_hubs, force=False)  # no seed changed: the new hubs alone re-render
    assert all(b"127.0.0.1:1/hub" in data for data in snapshot(with_hubs).values())
    build(plain, force=False)
    assert snapshot(plain) == before  # and without them the bytes are the old ones


def test_one_ping_per_changed_feed_per_build(tmp_path: Path, hub: Hub) -> None:
    cfg = site(tmp_path, [hub.url])
    worker = Worker(cfg)
    try:
        run(worker)
        first = announced(cfg, {}, files := snapshot(cfg))
        assert f"{cfg.base_url}/feeds/atom.xml" in first
        assert f"{cfg.base_url}/feeds/archive/1/atom.xml" in first  # the open page
        assert f"{cfg.base_url}/feeds/archive/0/atom.xml" not in first  # full: never changes
        assert sorted(hub.urls()) == first  # each exactly once
        assert set(hub.types) == {"application/x-www-form-urlencoded"}

        run(worker)  # nothing changed: no ping
        time.sleep(0.2)
        assert len(hub.pings) == len(first)

        write_seed(cfg.paths.seeds, "s2.txt", "第2條推送測試新聞(更正)", "正文2。",
                   meta="時間:2024-05-03 08:00:00  來源:推送日報  作者:記者2")
        run(worker)
        second = announced(cfg, files, snapshot(cfg))
        assert 0 < len(second) < len(first)
        assert sorted(hub.urls()[len(first):]) == second
        status = json.loads((cfg.paths.state / "status.json").read_text("utf-8"))
        run(worker)  # the status written after a build shows the pings of the one before
        status = json.loads((cfg.paths.state / "status.json").read_text("utf-8"))
        assert status["websub"][hub.url]["sent"] == len(first) + len(second)
        assert status["websub"][hub.url]["failing"] is False
    finally:
        worker.close()


def _timed_run(cfg: Config) -> float:
    worker = Worker(cfg)
    try:
        started = time.perf_counter()
        worker.run_once()
        return time.perf_counter() - started
    finally:
        worker.close()


def test_a_dead_or_slow_hub_delays_no_build(tmp_path: Path) -> None:
    slow = Hub(delay=3.0)
    try:
        _timed_run(site(tmp_path / "warm", []))  # imports and caches: neither run pays them
        alone = _timed_run(site(tmp_path / "none", []))
        with_hubs = _timed_run(site(tmp_path / "hubs", [dead_hub(), slow.url]))
        assert with_hubs < 2 * alone + 0.5, (with_hubs, alone)
        assert with_hubs < slow.delay
    finally:
        slow.close()


def test_a_failing_hub_is_retried_with_backoff_then_succeeds(tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    flaky = Hub(fail_first=3)
    try:
        cfg = make_config(tmp_path, websub={"hubs": [flaky.url], "backoff": 0.1, "retries": 5})
        pinger = Pinger(cfg.websub)
        with caplog.at_level(logging.INFO, logger="seedfeed.websub"):
            pinger.submit(["http://127.0.0.1:8000/feeds/atom.xml"])
            assert pinger.wait(10)
            pinger.stop()
        assert flaky.answers == [503, 503, 503, 204]
        assert flaky.urls() == ["http://127.0.0.1:8000/feeds/atom.xml"] * 4
        gaps = [b - a for a, b in zip(flaky.times, flaky.times[1:], strict=False)]
        for gap, want in zip(gaps, (0.1, 0.2, 0.4), strict=True):  # exponential backoff
            assert want * 0.9 <= gap < want + 1.0, gaps
        state = pinger.state()[flaky.url]
        assert (state["sent"], state["failed"], state["failing"]) == (1, 3, False)
        lines = [r.getMessage() for r in caplog.records]
        assert len([m for m in lines if "failed" in m]) == 1, lines  # one line per burst
        assert len([m for m in lines if "again" in m]) == 1, lines
    finally:
        flaky.close()


def test_retries_are_bounded(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, websub={"hubs": [dead_hub()], "backoff": 0.01, "retries": 2})
    pinger = Pinger(cfg.websub)
    pinger.submit(["http://127.0.0.1:8000/feeds/atom.xml", "http://127.0.0.1:8000/feeds/rss.xml"])
    assert pinger.wait(10)
    pinger.stop()
    state = next(iter(pinger.state().values()))
    assert (state["sent"], state["failed"], state["dropped"]) == (0, 6, 2)
    assert "refused" in str(state["last_error"]).lower()
    slow = make_config(tmp_path, websub={"backoff": 3, "retries": 100}).websub
    assert [backoff_delay(slow, n) for n in (1, 2, 3)] == [3, 6, 12]
    assert backoff_delay(slow, 100) == MAX_DELAY  # however many retries, an hour at most


def seedfeed_build(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "seedfeed", "build", "--config", str(config)],
                          capture_output=True, text=True, timeout=60, check=True)


def test_build_command_pings_before_it_exits(tmp_path: Path, hub: Hub) -> None:
    cfg = site(tmp_path, [hub.url])
    done = seedfeed_build(_config_file(tmp_path, [hub.url], 5))
    assert sorted(hub.urls()) == announced(cfg, {}, snapshot(cfg))  # already there: no wait
    assert f"1 of 1 hubs told of {len(hub.pings)} changed feeds" in done.stderr
    done = seedfeed_build(_config_file(tmp_path, [hub.url], 5))
    assert len(hub.pings) == len(announced(cfg, {}, snapshot(cfg)))  # nothing changed
    assert "no feed changed, no hub pinged" in done.stderr


def test_build_command_gives_up_on_a_dead_hub_in_bounded_time(tmp_path: Path) -> None:
    site(tmp_path, [])
    started = time.monotonic()
    done = seedfeed_build(_config_file(tmp_path, [dead_hub()], 1))
    assert time.monotonic() - started < 15  # the build itself, then at most 1 s for the hub
    assert "gave up waiting after 1s" in done.stderr and done.stderr.count("failed") == 1
    status = json.loads((tmp_path / "state" / "status.json").read_text("utf-8"))
    (state,) = status["websub"].values()
    assert state["failing"] is True and state["sent"] == 0 and state["failed"] >= 2


def _config_file(root: Path, hubs: list[str], wait: float) -> Path:
    path = root / "config.toml"
    path.write_text(
        '[paths]\nseeds = "seeds"\nfeeds = "feeds"\nsite = "site"\nstate = "state"\n'
        "[ingest]\nsettle_seconds = 0\n[feeds]\nmax_entries = 2\narchive_entries = 2\n"
        f"[websub]\nhubs = {json.dumps(hubs)}\nbackoff = 0.05\nbuild_wait = {wait}\n",
        encoding="utf-8")
    return path


def test_link_header_on_200_304_and_head(tmp_path: Path) -> None:
    hubs = ["http://127.0.0.1:1/hub"]
    cfg = site(tmp_path, hubs)
    build(cfg)
    client = create_app(cfg).test_client()
    topic = next(p for p in snapshot(cfg) if p.startswith("source/") and p.count("/") == 2)
    for url in ("/feeds/atom.xml", "/feeds/rss.xml", "/feeds/feed.json",
                f"/feeds/{quote(topic)}", "/feeds/archive/1/atom.xml", "/feeds/archive/0/rss.xml"):
        first = client.get(url)
        assert first.status_code == 200, url
        own = _self_link(first.data, url)
        want = f'<{hubs[0]}>; rel="hub", <{own}>; rel="self"'
        assert own == cfg.base_url + url
        assert first.headers["Link"] == want, url
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.headers["Link"] == want
        head = client.head(url)
        assert head.status_code == 200 and head.headers["Link"] == want and not head.data
        gz = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert gz.headers["Link"] == want
    for url in ("/", "/feeds/feeds.opml", "/status"):
        assert "Link" not in client.get(url).headers, url
    plain = make_config(tmp_path)  # the same folders, no hubs: no header
    assert "Link" not in create_app(plain).test_client().get("/feeds/atom.xml").headers


def _self_link(data: bytes, url: str) -> str:
    if url.endswith(".json"):
        return str(json.loads(data)["feed_url"])
    parsed = feedparser.parse(data)
    return str(next(link.href for link in parsed.feed.links if link.rel == "self"))


@pytest.mark.slow
def test_a_running_serve_pings_and_a_second_serve_does_not(tmp_path: Path, hub: Hub) -> None:
    from .test_serve_e2e import Server, free_port, wait_for

    first = Server(tmp_path, extra={"websub": {"hubs": [hub.url], "backoff": 0.1}})
    log = (tmp_path / "second.log").open("w")
    second = None
    try:
        wait_for(lambda: first.get("/healthz").status_code == 200, 20, "first serve healthy")
        atom = f"{first.url}/feeds/atom.xml"
        assert hub.wait_for(3).count(atom) == 1  # the first build publishes the empty heads
        port = free_port()
        second = subprocess.Popen(
            [sys.executable, "-m", "seedfeed", "serve", "--config", str(tmp_path / "config.toml"),
             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
        wait_for(lambda: first.get("/healthz").ok and "serving only, not scheduling"
                 in (tmp_path / "second.log").read_text(), 20, "second serve up")
        before = len(hub.pings)
        write_seed(first.seeds, "live.txt", "推送到集線器的新聞", "正文。")
        wait_for(lambda: atom in hub.urls()[before:], 10, "the new seed announced")
        time.sleep(2.5)  # more than two scan intervals: a second pinger would show by now
        new = hub.urls()[before:]
        assert len(new) == len(set(new)), new  # once per feed, from one process
        assert {atom, atom.replace("atom.xml", "rss.xml"), atom.replace("atom.xml", "feed.json")
                } <= set(new)
    finally:
        if second is not None:
            second.terminate()
            second.wait(timeout=10)
        log.close()
        first.stop()


def test_a_script_variant_links_and_pings_its_own_feeds(tmp_path: Path, hub: Hub) -> None:
    cfg = make_config(tmp_path, site={"variants": ["zh-Hans"]}, websub={"hubs": [hub.url]})
    write_seed(cfg.paths.seeds, "v.txt", "兩種字體的推送測試", "正文。")
    worker = Worker(cfg)
    try:
        run(worker)
        expected = announced(cfg, {}, snapshot(cfg))
        assert f"{cfg.base_url}/feeds/zh-Hans/atom.xml" in expected
        assert f"{cfg.base_url}/feeds/atom.xml" in expected
        assert sorted(hub.urls()) == expected
    finally:
        worker.close()
    data = (cfg.paths.feeds / "zh-Hans" / "atom.xml").read_bytes()
    assert_valid_atom(data)
    assert f'<link href="{hub.url}" rel="hub"/>' in data.decode()
    client = create_app(cfg).test_client()
    link = client.get("/feeds/zh-Hans/rss.xml").headers["Link"]
    assert link == f'<{hub.url}>; rel="hub", <{cfg.base_url}/feeds/zh-Hans/rss.xml>; rel="self"'
