"""Self-healing state: a damaged or lost state database is rebuilt from the seeds and the
journal with the same IDs, dates, numbers and topic pages, so readers see the same feeds."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from seedfeed import journal
from seedfeed.config import Config
from seedfeed.pipeline import build

from .conftest import make_config, write_seed

BODY = "這是一篇用來測試狀態修復的新聞正文，內容足夠長，可以被當作文章發表出來。"
T0 = datetime(2024, 6, 1, 9, 0).timestamp()


@pytest.fixture
def site(tmp_path: Path) -> Config:
    """A site with archives and topic pages: 3 entries per page, 14 seeds, some undated."""
    cfg = make_config(tmp_path, feeds={"max_entries": 3, "archive_entries": 3})
    for i in range(14):
        meta = (f"時間:2024-05-{i + 1:02d} 08:00:00  來源:{'甲乙'[i % 2]}報  作者:記者 王{i % 3}"
                if i % 4 else "來源:丙報")  # every fourth seed undated: dated by first sight
        path = write_seed(cfg.paths.seeds, f"s{i:02d}.txt", f"第{i}號狀態測試新聞標題", BODY * (i + 1),
                          meta=meta)
        os.utime(path, (T0 - 3600 + i,) * 2)
    build(cfg, clock=T0)
    return cfg


def published(cfg: Config) -> dict[str, bytes]:
    """Every published file (feeds, archives, topic feeds, pages) and its bytes."""
    out = {}
    for root in (cfg.paths.feeds, cfg.paths.site):
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                out[str(path.relative_to(cfg.paths.feeds.parent))] = path.read_bytes()
    return out


def history(cfg: Config, clock: float) -> None:
    """Things only the state knew: a rename, a copy to an earlier name, an edit of an
    undated seed (its `updated`), a touch of an undated seed (its first-seen time)."""
    seeds = cfg.paths.seeds
    (seeds / "s01.txt").rename(seeds / "r01.txt")
    shutil.copy(seeds / "s05.txt", seeds / "a05.txt")  # a duplicate that sorts first
    build(cfg, clock=clock)
    write_seed(seeds, "s00.txt", "第0號狀態測試新聞標題", BODY + "補充一句。", meta="來源:丙報")
    os.utime(seeds / "s04.txt", (clock + 500,) * 2)  # the same bytes, a later mtime
    build(cfg, clock=clock + 600)
    (seeds / "s02.txt").unlink()  # a tombstone
    build(cfg, clock=clock + 1200)


def test_a_lost_state_folder_republishes_the_same_documents(site: Config) -> None:
    history(site, T0 + 3600)
    before = published(site)
    shutil.rmtree(site.paths.state)
    build(site, clock=T0 + 7200)
    assert published(site) == before


def damage_a_page(db: Path) -> None:
    """Overwrite one page in the middle of the file, as a bad sector or a torn write would."""
    with sqlite3.connect(db) as con:
        page = con.execute("PRAGMA page_size").fetchone()[0]
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = db.stat().st_size // page
    assert pages > 4
    with db.open("r+b") as fh:
        fh.seek(page * (pages // 2))
        fh.write(b"\xa5" * page)


def test_a_damaged_page_in_the_database_is_detected_and_rebuilt(site: Config) -> None:
    history(site, T0 + 3600)
    before = published(site)
    db = site.paths.state / "seedfeed.db"
    damage_a_page(db)
    report = build(site, clock=T0 + 7200)  # no error: detected, set aside, restored
    assert report.published == 13
    assert published(site) == before
    assert list(site.paths.state.glob("seedfeed.db.damaged-*"))
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"


def entries(cfg: Config) -> dict[str, dict[str, str]]:
    items = json.loads((cfg.paths.feeds / "feed.json").read_text("utf-8"))["items"]
    return {i["title"]: i for i in items}


def test_dates_and_inherited_ids_survive_the_loss(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    seeds = cfg.paths.seeds
    for name in ("z.txt", "u.txt"):
        path = write_seed(seeds, name, f"沒有日期的新聞{name}", BODY, meta="來源:丙報")
        os.utime(path, (T0,) * 2)
    build(cfg, clock=T0 + 60)
    shutil.copy(seeds / "z.txt", seeds / "a.txt")  # a copy under a name that sorts first
    write_seed(seeds, "u.txt", "沒有日期的新聞u.txt", BODY + "更正。", meta="來源:丙報")
    os.utime(seeds / "u.txt", (T0 + 100,) * 2)
    build(cfg, clock=T0 + 3600)
    os.utime(seeds / "z.txt", (T0 + 7000,) * 2)  # touched: the same bytes
    build(cfg, clock=T0 + 7200)
    before = entries(cfg)
    assert before["沒有日期的新聞u.txt"]["date_modified"] > before["沒有日期的新聞u.txt"]["date_published"]
    shutil.rmtree(cfg.paths.state)
    build(cfg, clock=T0 + 9000)
    after = entries(cfg)
    for title, item in before.items():
        assert {k: after[title][k] for k in ("id", "url", "date_published", "date_modified")} == {
            k: item[k] for k in ("id", "url", "date_published", "date_modified")}, title


def test_the_journal_is_appended_per_build_and_compacted(site: Config) -> None:
    path = site.paths.feeds / journal.NAME
    size = path.stat().st_size
    build(site, clock=T0 + 10)  # nothing changed: nothing appended
    assert path.stat().st_size == size
    write_seed(site.paths.seeds, "n.txt", "新來的狀態測試新聞", BODY)
    build(site, clock=T0 + 20)
    grown = path.read_bytes()[size:].decode().splitlines()
    assert any(json.loads(line).get("s") == "n.txt" for line in grown)
    assert len(grown) < 10  # the new entry, its topics and the counters: not everything
    for i in range(40):  # many small edits: the journal is compacted, never unbounded
        write_seed(site.paths.seeds, "n.txt", "新來的狀態測試新聞", BODY + "改" * (i % 7 + 1))
        build(site, clock=T0 + 30 + i)
    lines = path.read_text("utf-8").splitlines()
    assert len(lines) <= 2 * 15 + 100 + 10
    assert len({json.loads(line).get("k") for line in lines}) >= 15


def test_a_torn_last_line_is_skipped(site: Config) -> None:
    before = published(site)
    with (site.paths.feeds / journal.NAME).open("ab") as fh:
        fh.write(b'{"k":"seed:s03.txt","n":')  # a kill mid-append
    shutil.rmtree(site.paths.state)
    build(site, clock=T0 + 100)
    assert published(site) == before


def test_an_older_database_is_upgraded_in_place(site: Config) -> None:
    db = site.paths.state / "seedfeed.db"
    with sqlite3.connect(db) as con:  # the version 3 layout: no journal flags
        con.execute("DROP INDEX entries_dirty")
        con.execute("ALTER TABLE entries DROP COLUMN dirty")
        con.execute("ALTER TABLE topics DROP COLUMN dirty")
        con.execute("PRAGMA user_version=3")
    (site.paths.feeds / journal.NAME).unlink()
    before = published(site)
    build(site, clock=T0 + timedelta(hours=1).total_seconds())
    assert published(site) == before
    assert journal.read(site.paths.feeds).entries  # written afresh, whole


def test_a_held_build_lock_is_waited_for_a_bounded_time(tmp_path: Path) -> None:
    from seedfeed.errors import SeedfeedError
    from seedfeed.locks import acquire

    cfg = make_config(tmp_path, scheduler={"lock_wait": 0.3})
    write_seed(cfg.paths.seeds, "a.txt", "等待鎖的新聞", BODY)
    hung = acquire(cfg.paths.state / "build.lock", wait=False)  # a build that never ends
    try:
        started = time.monotonic()
        with pytest.raises(SeedfeedError, match=rf"pid {os.getpid()}.*over 0.3s"):
            build(cfg)
        assert time.monotonic() - started < 3
    finally:
        hung.close()
    assert build(cfg).published == 1  # the lock went with its holder
