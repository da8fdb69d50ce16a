"""Kill loop: builds SIGKILLed at random moments while seeds churn. After every kill, what a
client receives for any document, in any encoding, is complete, valid and the same content;
the build after the last kill publishes every seed and leaves no temporary file behind."""

from __future__ import annotations

import gzip
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path
from xml.etree import ElementTree

import brotli
import pytest

from seedfeed.config import Config
from seedfeed.pipeline import build
from seedfeed.publish import TEMP_PREFIX
from seedfeed.web import create_app

from .conftest import make_config, write_seed
from .feedcheck import assert_valid_atom, assert_valid_json_feed
from .test_history import walk_json, walk_xml

pytestmark = pytest.mark.slow

KILLS = 200
SEEDS = 120
SOURCES = ("甲報", "乙報", "丙報", "丁報")


def site(root: Path) -> Config:
    return make_config(root, feeds={"max_entries": 10, "archive_entries": 10})


def _child(root: str, force: bool) -> None:
    build(site(Path(root)), force=force)


def seed(cfg: Config, i: int, edit: int = 0) -> None:
    write_seed(cfg.paths.seeds, f"n{i:04d}.txt", f"第{i}號殺不死的新聞", f"第{i}號新聞的正文。" * (3 + edit),
               meta=f"時間:2024-{1 + i % 12:02d}-{1 + i % 28:02d} 08:{i % 60:02d}:00  "
                    f"來源:{SOURCES[i % 4]}  作者:記者 王{i % 5}")


def churn(cfg: Config, rng: random.Random, next_new: list[int]) -> None:
    names = sorted(p.name for p in cfg.paths.seeds.iterdir())
    seed(cfg, next_new[0])
    next_new[0] += 1
    victim = rng.choice(names)
    seed(cfg, int(victim[1:5]), edit=rng.randrange(1, 4))  # an edit (maybe of a rename)
    (cfg.paths.seeds / rng.choice(names)).unlink(missing_ok=True)
    old = cfg.paths.seeds / rng.choice(names)
    if old.exists():
        old.rename(old.with_name(f"n{next_new[0]:04d}.txt"))  # a rename to a fresh name
        next_new[0] += 1


def check_document(path: Path, data: bytes) -> None:
    if path.suffix == ".json":
        assert_valid_json_feed(data)
    elif path.name == "atom.xml":
        assert_valid_atom(data)
    elif path.suffix in (".xml", ".opml"):
        ElementTree.fromstring(data)
    elif path.suffix == ".html":
        assert data.rstrip().endswith(b"</html>"), path


def check_served(cfg: Config, client: object, everything: bool) -> int:
    """What a client gets for each published document, in every encoding, agrees; returns
    how many documents were looked at."""
    seen = 0
    for root, prefix in ((cfg.paths.feeds, "/feeds/"), (cfg.paths.site, "/")):
        for path in root.rglob("*"):
            if path.name.startswith(".") or path.suffix in (".gz", ".br") or not path.is_file():
                continue
            rel = path.relative_to(root).as_posix()
            heads = {"atom.xml", "rss.xml", "feed.json", "index.html"}
            if not everything and rel not in heads:
                continue
            url = prefix + (rel.removesuffix(".html") if rel != "index.html" else "")
            url = url.replace("/open/", "/")
            bodies = {}
            for coding, decode in (("identity", bytes), ("gzip", gzip.decompress),
                                   ("br", brotli.decompress)):
                r = client.get(url, headers={"Accept-Encoding": coding})  # type: ignore[attr-defined]
                assert r.status_code == 200, (url, r.status_code)
                sent = r.headers.get("Content-Encoding")
                bodies[coding] = decode(r.data) if sent == coding else r.data
                assert sent in (None, coding)
            assert bodies["identity"] == bodies["gzip"] == bodies["br"], url
            check_document(path, bodies["identity"])
            seen += 1
    return seen


def test_builds_killed_at_random_moments_leave_everything_whole(tmp_path: Path) -> None:
    cfg = site(tmp_path)
    for i in range(SEEDS):
        seed(cfg, i)
    build(cfg)
    client = create_app(cfg).test_client()
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["seedfeed.pipeline", "tests.test_killloop"])
    rng = random.Random(20261202)
    next_new, kills, looked = [SEEDS], 0, 0
    took: dict[bool, float] = {}  # forced or not -> how long the last such build took
    attempts = 0
    while kills < KILLS:
        attempts += 1
        assert attempts < KILLS * 4, "builds keep finishing before the kill"
        churn(cfg, rng, next_new)
        force = rng.random() < 0.15
        proc = ctx.Process(target=_child, args=(str(tmp_path), force))
        started = time.monotonic()
        proc.start()
        if force not in took or attempts % 10 == 1:  # runs to its end: how long builds take
            proc.join()
            took[force] = time.monotonic() - started
        else:  # the others die at a moment anywhere in such a build
            time.sleep(rng.uniform(0, 0.95 * took[force]))
            if proc.is_alive():
                os.kill(proc.pid, signal.SIGKILL)
                kills += 1
            proc.join()
        looked += check_served(cfg, client, everything=attempts % 25 == 0)
    report = build(cfg)  # the build after the last kill
    on_disk = sorted(p.name for p in cfg.paths.seeds.iterdir())
    assert report.rejected == () and report.seeds == len(on_disk)
    assert report.published == report.seeds - report.duplicates
    ids = walk_xml(cfg, f"{cfg.base_url}/feeds/atom.xml", "atom")  # head and every archive
    assert len(ids) == len(set(ids)) == report.published
    assert len(walk_json(cfg, f"{cfg.base_url}/feeds/feed.json")) == report.published
    total = check_served(cfg, client, everything=True)
    leftovers = [p for root in (cfg.paths.feeds, cfg.paths.site, cfg.paths.state)
                 for p in root.rglob(f"{TEMP_PREFIX}*")]
    assert leftovers == []
    print(f"\nkill loop: {kills} SIGKILLs in {attempts} builds (whole ones took "
          f"{took[False]:.2f}s, forced {took.get(True, 0):.2f}s), {looked} documents checked "
          f"in flight, {total} at the end, {report.published} entries published")
