"""Scheduled publishing: a seed dated ahead is in no published document until its time, then
in all of them; the index, not the process, remembers it; a date beyond the horizon is a
mistake, published at once and dated by first sight."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest

from seedfeed import journal
from seedfeed.check import check_paths
from seedfeed.config import Config
from seedfeed.pipeline import build

from .conftest import make_config, write_seed
from .feedcheck import assert_valid_atom, assert_valid_json_feed
from .test_serve_e2e import Server, wait_for

ZONE = ZoneInfo("Asia/Shanghai")
T0 = datetime(2024, 5, 2, 8, 0, tzinfo=ZONE).timestamp()  # the build clock at the start
BODY = "這是一段足夠長的新聞正文，用來測試定時發佈的功能是否按時出現在每一個訂閱源裏。" * 3
FUTURE_TITLE = "定時發佈的未來新聞標題"
FUTURE_SOURCE = "未來日報"  # its own topic: the topic feed and the OPML must not show it early


def _stamp(ts: float) -> str:
    return datetime.fromtimestamp(ts, ZONE).strftime("%Y-%m-%d %H:%M:%S")


def _site(root: Path, ahead: float = 3600) -> Config:
    cfg = make_config(root)
    write_seed(cfg.paths.seeds, "now.txt", "今天已經發佈的新聞標題", BODY,
               meta="時間:2024-05-01 08:00:00  來源:測試日報  作者:記者 林小文")
    write_seed(cfg.paths.seeds, "later.txt", FUTURE_TITLE, BODY + "未來。",
               meta=f"時間:{_stamp(T0 + ahead)}  來源:{FUTURE_SOURCE}  作者:記者 陳未來")
    return cfg


def _public(cfg: Config) -> str:
    """The text of every published document (feeds, archives, topic feeds, pages, sitemap,
    OPML), compressed siblings aside."""
    parts = []
    for root in (cfg.paths.feeds, cfg.paths.site):
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix not in (".gz", ".br") and path.name != journal.NAME:
                parts.append(path.read_text("utf-8", errors="replace"))
    return "\n".join(parts)


def _shows_future(cfg: Config) -> bool:
    text = _public(cfg)
    found = {FUTURE_TITLE in text, FUTURE_SOURCE in text}
    assert len(found) == 1, "the title and the topic must come together"
    return found.pop()


def _feed_dates(cfg: Config) -> list[datetime]:
    """Every feed-level date of the main feeds."""
    atom = (cfg.paths.feeds / "atom.xml").read_bytes()
    assert_valid_atom(atom)
    rss = feedparser.parse((cfg.paths.feeds / "rss.xml").read_bytes())
    doc = assert_valid_json_feed((cfg.paths.feeds / "feed.json").read_bytes())
    dates = [datetime.fromisoformat(feedparser.parse(atom).feed.updated),
             datetime(*rss.feed.updated_parsed[:6], tzinfo=ZoneInfo("UTC"))]
    dates += [datetime.fromisoformat(i["date_published"]) for i in doc["items"]]
    return dates


def test_a_seed_dated_ahead_is_held_back_until_its_time(tmp_path: Path) -> None:
    cfg = _site(tmp_path)
    report = build(cfg, clock=T0)
    assert report.published == 1 and not _shows_future(cfg)
    assert report.scheduled == (("later.txt", datetime.fromtimestamp(T0 + 3600, ZONE)),)
    status = build(cfg, clock=T0 + 1800, force=False, last=report)
    assert status.published == 1 and not _shows_future(cfg)
    # the idle path (nothing on disk changed) must not stay idle past the due time
    due = build(cfg, clock=T0 + 3600, force=False, last=status)
    assert due.published == 2 and due.scheduled == () and _shows_future(cfg)
    atom = feedparser.parse((cfg.paths.feeds / "atom.xml").read_bytes())
    assert atom.entries[0].title == FUTURE_TITLE


def test_no_feed_level_date_is_later_than_the_build(tmp_path: Path) -> None:
    cfg = _site(tmp_path)
    for clock in (T0, T0 + 3599, T0 + 3600, T0 + 7200):
        build(cfg, clock=clock)
        built = datetime.fromtimestamp(clock, ZONE)
        assert all(d <= built for d in _feed_dates(cfg)), clock


def test_a_date_beyond_the_horizon_is_published_at_once_with_a_warning(tmp_path: Path) -> None:
    cfg = _site(tmp_path, ahead=timedelta(days=31).total_seconds())
    report = build(cfg, clock=T0)
    assert report.published == 2 and report.scheduled == () and _shows_future(cfg)
    warned = [w.reason for w in report.warnings if w.seed == "later.txt"]
    assert len(warned) == 1 and "30 days ahead" in warned[0]
    doc = json.loads((cfg.paths.feeds / "feed.json").read_bytes())
    item = next(i for i in doc["items"] if i["title"] == FUTURE_TITLE)
    assert datetime.fromisoformat(item["date_published"]) == datetime.fromtimestamp(T0, ZONE)
    # later, the date is within the horizon of the clock but not of the first sight: the
    # entry stays as published (a reader never sees it vanish and come back)
    before = (cfg.paths.feeds / "feed.json").read_bytes()
    build(cfg, clock=T0 + timedelta(days=5).total_seconds())
    assert (cfg.paths.feeds / "feed.json").read_bytes() == before


def test_check_reports_scheduled_seeds_and_far_dates_as_given(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    soon, far = time.time() + 86400, time.time() + 400 * 86400
    write_seed(cfg.paths.seeds, "soon.txt", "明天發佈的新聞標題", BODY,
               meta=f"時間:{_stamp(soon)}  來源:測試日報")
    write_seed(cfg.paths.seeds, "far.txt", "日期寫錯的新聞標題", BODY + "錯。",
               meta=f"時間:{_stamp(far)}  來源:測試日報")
    rows = {Path(r["path"]).name: r for r in check_paths(cfg, [cfg.paths.seeds])}
    assert rows["soon.txt"]["scheduled"] == datetime.fromtimestamp(int(soon), ZONE).isoformat()
    assert rows["far.txt"]["scheduled"] is None
    assert rows["far.txt"]["published"] == datetime.fromtimestamp(int(far), ZONE).isoformat()
    assert any("days ahead" in w for w in rows["far.txt"]["warnings"])
    assert not rows["soon.txt"]["warnings"]


def test_a_fresh_process_finds_what_is_scheduled_in_the_index(tmp_path: Path) -> None:
    cfg = _site(tmp_path)
    build(cfg, clock=T0)
    assert not _shows_future(cfg)
    # a restarted worker's first build: forced, no last report, the seed unchanged on disk
    first = build(cfg, clock=T0 + 3600)
    assert first.published == 2 and _shows_future(cfg)


@pytest.mark.parametrize("lose", ["state", "journal", "both"])
def test_a_lost_state_or_journal_keeps_it_scheduled(tmp_path: Path, lose: str) -> None:
    cfg = _site(tmp_path)
    build(cfg, clock=T0)
    if lose in ("state", "both"):
        shutil.rmtree(cfg.paths.state)
    if lose in ("journal", "both"):
        (cfg.paths.feeds / journal.NAME).unlink()
    report = build(cfg, clock=T0 + 1800)
    assert report.published == 1 and [s for s, _ in report.scheduled] == ["later.txt"]
    assert not _shows_future(cfg)
    assert build(cfg, clock=T0 + 3600).published == 2 and _shows_future(cfg)


def test_a_version_4_database_is_upgraded_in_place(tmp_path: Path) -> None:
    cfg = _site(tmp_path)
    build(cfg, clock=T0)
    db = cfg.paths.state / "seedfeed.db"
    with sqlite3.connect(db) as con:  # the version 4 layout: nothing scheduled
        con.execute("DROP TABLE scheduled")
        con.execute("PRAGMA user_version=4")
        con.execute("UPDATE meta SET v = 'before scheduling' WHERE k = 'parse'")
        numbers = con.execute("SELECT key, number FROM entries").fetchall()
    assert not _shows_future(cfg)
    assert [s for s, _ in build(cfg, clock=T0 + 60).scheduled] == ["later.txt"]
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 5
        assert con.execute("SELECT key, number FROM entries").fetchall() == numbers
    assert build(cfg, clock=T0 + 3600).published == 2


def _status(srv: Server) -> dict[str, object]:
    data: dict[str, object] = srv.get("/status").json()
    return data


def _atom_titles(srv: Server) -> list[str]:
    return [e.title for e in feedparser.parse(srv.get("/feeds/atom.xml").content).entries]


@pytest.mark.slow
def test_a_running_server_publishes_a_seed_at_its_time_across_a_restart(tmp_path: Path) -> None:
    # an interval far longer than the wait: only the planned run can publish it in time
    srv = Server(tmp_path, interval=30)
    try:
        wait_for(lambda: srv.get("/healthz").status_code == 200, 20, "server healthy")
        # room for a stop and a start on a loaded machine (both run before the due time)
        due = int(time.time()) + 12
        write_seed(srv.seeds, "later.txt", FUTURE_TITLE, BODY,
                   meta=f"時間:{_stamp(due)}  來源:{FUTURE_SOURCE}")
        wait_for(lambda: _status(srv).get("scheduled"), 5, "the seed scheduled")
        assert _status(srv)["scheduled"] == [
            {"seed": "later.txt", "at": datetime.fromtimestamp(due, ZONE).isoformat()}]
        assert FUTURE_TITLE not in _atom_titles(srv)
    finally:
        srv.stop()
    srv = Server(tmp_path, interval=30)  # restarted before the due time
    try:
        wait_for(lambda: srv.get("/healthz").status_code == 200, 20, "server healthy")
        while time.time() < due - 0.3:
            assert FUTURE_TITLE not in _atom_titles(srv), "published before its time"
            time.sleep(0.2)
        wait_for(lambda: FUTURE_TITLE in _atom_titles(srv), due + 3 - time.time(),
                 "the seed published within 3 s of its time")
        wait_for(lambda: FUTURE_SOURCE in srv.get("/feeds/feeds.opml").text, 2,
                 "its topic feed listed in the OPML (the same batch)")
        wait_for(lambda: _status(srv)["scheduled"] == [], 2, "nothing scheduled any more")
    finally:
        srv.stop()


def test_a_stale_schedule_row_is_dropped_not_kept_due(tmp_path: Path) -> None:
    cfg = _site(tmp_path)
    build(cfg, clock=T0)
    with sqlite3.connect(cfg.paths.state / "seedfeed.db") as con:  # a key nothing resolves to
        con.execute("INSERT INTO scheduled VALUES ('gone', 'now.txt', '2024-05-01T00:00:00+00:00')")
    report = build(cfg, clock=T0 + 60)
    assert [s for s, _ in report.scheduled] == ["later.txt"]  # and the worker does not loop


def test_a_live_seed_redated_ahead_waits_for_its_new_time(tmp_path: Path) -> None:
    cfg = _site(tmp_path, ahead=-3600)  # both published at once
    assert build(cfg, clock=T0).published == 2
    write_seed(cfg.paths.seeds, "later.txt", FUTURE_TITLE, BODY + "未來。",
               meta=f"時間:{_stamp(T0 + 7200)}  來源:{FUTURE_SOURCE}  作者:記者 陳未來")
    held = build(cfg, clock=T0 + 60)  # withdrawn (its emptied topic stays, as on a deletion)
    assert held.published == 1 and FUTURE_TITLE not in _public(cfg)
    assert build(cfg, clock=T0 + 7200).published == 2 and _shows_future(cfg)


def test_status_lists_scheduled_seeds_with_their_time(tmp_path: Path) -> None:
    from seedfeed.health import Beacon
    from seedfeed.pipeline import write_status
    from seedfeed.web import create_app

    cfg = _site(tmp_path)
    report = build(cfg, clock=T0)
    write_status(cfg, report, None, report.finished_at)
    Beacon(cfg.paths.state).write(None)
    client = create_app(cfg).test_client()
    due = datetime.fromtimestamp(T0 + 3600, ZONE)
    assert client.get("/status").get_json()["scheduled"] == [
        {"seed": "later.txt", "at": due.isoformat()}]
    html = client.get("/status.html").get_data(as_text=True)
    assert "定時發布的種子" in html and "<code>later.txt</code>" in html
    assert "2024-05-02 09:00" in html
