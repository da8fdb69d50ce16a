"""What goes wrong in real folders: renames, lost state, bad links, clocks, concurrent builds,
overlapping paths, files replaced while they are served."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from seedfeed.config import Config, from_dict
from seedfeed.errors import ConfigError
from seedfeed.locks import acquire
from seedfeed.pipeline import build
from seedfeed.publish import write_atomic
from seedfeed.web import create_app

from .conftest import make_config, write_seed

BODY = "第一段正文內容。\n第二段正文內容。"


def ids(cfg: Config) -> dict[str, str]:
    items = json.loads((cfg.paths.feeds / "feed.json").read_bytes())["items"]
    return {i["title"]: i["id"] for i in items}


def published_then_renamed(cfg: Config, title: str) -> dict[str, str]:
    """Publish a.txt, rename it to b.txt, publish again; the IDs from before the rename."""
    write_seed(cfg.paths.seeds, "a.txt", title, BODY)
    build(cfg)
    before = ids(cfg)
    (cfg.paths.seeds / "a.txt").rename(cfg.paths.seeds / "b.txt")
    build(cfg)
    return before


def test_rename_then_lost_state_keeps_the_id(config: Config) -> None:
    before = published_then_renamed(config, "改名後又丟了狀態的新聞")
    shutil.rmtree(config.paths.state)
    build(config)
    assert ids(config) == before


def test_a_seed_rejected_for_a_while_comes_back_with_its_id(config: Config) -> None:
    seeds = config.paths.seeds
    before = published_then_renamed(config, "暫時被清空的新聞")
    (seeds / "b.txt").write_bytes(b"")  # an editor saved it empty mid-edit
    assert build(config).rejected
    write_seed(seeds, "b.txt", "暫時被清空的新聞", BODY)
    build(config)
    assert ids(config) == before


def test_copy_and_delete_while_settling_keeps_the_id(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, ingest={"settle_seconds": 2})
    seeds = cfg.paths.seeds
    path = write_seed(seeds, "a.txt", "複製後刪除的新聞", BODY)
    os.utime(path, (time.time() - 60,) * 2)
    build(cfg)
    before = ids(cfg)
    shutil.copy(path, seeds / "b.txt")  # a fresh mtime: b.txt is still settling
    path.unlink()
    now = (seeds / "b.txt").stat().st_mtime
    assert build(cfg, clock=now + 0.5).pending == ("b.txt",)
    build(cfg, clock=now + 3)
    assert ids(cfg) == before


def test_a_future_mtime_does_not_wait_forever(config: Config) -> None:
    path = write_seed(config.paths.seeds, "f.txt", "時鐘超前的新聞", BODY)
    future = time.time() + 3600
    os.utime(path, (future, future))
    report = build(config)
    assert report.pending == () and report.published == 1


def test_bad_links_are_rejected_and_the_rest_published(config: Config, tmp_path: Path) -> None:
    seeds = config.paths.seeds
    write_seed(seeds, "ok.txt", "正常的新聞標題", BODY)
    (seeds / "loop.txt").symlink_to(seeds / "loop.txt")
    outside = tmp_path / "private.txt"
    write_seed(tmp_path, "private.txt", "不該發布的私人筆記", BODY)
    (seeds / "out.txt").symlink_to(outside)
    report = build(config)
    assert report.published == 1
    reasons = {r.seed: r.reason for r in report.rejected}
    assert set(reasons) == {"loop.txt", "out.txt"}
    assert "cannot read" in reasons["loop.txt"]
    assert "outside the seeds folder" in reasons["out.txt"]


def test_parser_or_zone_change_reparses_unchanged_seeds(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    write_seed(cfg.paths.seeds, "z.txt", "時區改變後的新聞", BODY)
    build(cfg)
    [item] = json.loads((cfg.paths.feeds / "feed.json").read_bytes())["items"]
    assert item["date_published"] == "2024-05-01T08:00:00+08:00"
    moved = make_config(tmp_path, site={"timezone": "Europe/London"})
    build(moved)
    [item] = json.loads((moved.paths.feeds / "feed.json").read_bytes())["items"]
    assert item["date_published"] == "2024-05-01T08:00:00+01:00"


def test_deleted_outputs_come_back_on_the_next_scan(config: Config) -> None:
    write_seed(config.paths.seeds, "a.txt", "輸出被刪掉的新聞", BODY)
    report = build(config)
    shutil.rmtree(config.paths.feeds)
    build(config, force=False, last=report)
    assert (config.paths.feeds / "atom.xml").is_file()


def test_builds_take_turns(config: Config) -> None:
    write_seed(config.paths.seeds, "a.txt", "排隊建置的新聞", BODY)
    holder = acquire(config.paths.state / "build.lock", wait=True)
    done = threading.Event()
    thread = threading.Thread(target=lambda: (build(config), done.set()))
    thread.start()
    assert not done.wait(0.5)  # waits for the lock
    holder.close()
    assert done.wait(10)
    thread.join()


@pytest.mark.parametrize(("paths", "key"), [
    ({"feeds": "public", "site": "public"}, "paths.feeds"),
    ({"seeds": "."}, "paths.seeds"),
    ({"state": "feeds/state"}, "paths.feeds"),
])
def test_overlapping_paths_are_refused(tmp_path: Path, paths: dict[str, str], key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        from_dict({"paths": paths}, tmp_path)


def test_infinite_interval_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="scheduler.interval"):
        from_dict({"scheduler": {"interval": float("inf")}}, tmp_path)


def test_etag_always_matches_the_body_while_publish_replaces_the_file(config: Config) -> None:
    write_seed(config.paths.seeds, "a.txt", "邊發布邊讀的新聞", BODY)
    build(config)
    client = create_app(config).test_client()
    target = config.paths.feeds / "atom.xml"
    versions = [target.read_bytes(), target.read_bytes().replace(b"</feed>", b"<!-- x --></feed>")]
    stop = threading.Event()

    def publish() -> None:
        i = 0
        while not stop.is_set():
            write_atomic(target, versions[i % 2])
            i += 1

    writer = threading.Thread(target=publish)
    writer.start()
    try:
        deadline = time.monotonic() + 1.5
        checked = 0
        while time.monotonic() < deadline:
            r = client.get("/feeds/atom.xml")
            assert r.status_code == 200
            assert r.headers["ETag"].strip('"') == hashlib.sha256(r.data).hexdigest()[:32]
            checked += 1
    finally:
        stop.set()
        writer.join()
    assert checked > 50


def test_a_failed_run_is_reported_and_the_next_one_recovers(tmp_path: Path) -> None:
    from seedfeed.scheduler import Worker

    cfg = make_config(tmp_path)
    write_seed(cfg.paths.seeds, "a.txt", "排程恢復的新聞", BODY)
    worker = Worker(cfg)
    worker.run_once()
    moved = tmp_path / "elsewhere"
    cfg.paths.seeds.rename(moved)  # the folder goes away (an unmounted share)
    worker.run_once()
    status = json.loads((cfg.paths.state / "status.json").read_text("utf-8"))
    assert status["ok"] is False and "seeds folder" in status["error"]
    assert status["published"] == 1  # the last good report, still served
    assert (cfg.paths.feeds / "atom.xml").is_file()
    moved.rename(cfg.paths.seeds)
    worker.run_once()
    status = json.loads((cfg.paths.state / "status.json").read_text("utf-8"))
    assert status["ok"] is True and status["published"] == 1


def test_a_hard_link_into_the_seeds_folder_is_refused(config: Config, tmp_path: Path) -> None:
    seeds = config.paths.seeds
    write_seed(seeds, "ok.txt", "正常的新聞標題", BODY)
    secret = write_seed(tmp_path, "secret.txt", "不該發布的私人檔案", BODY)  # readable, elsewhere
    os.link(secret, seeds / "x.txt")  # as `ln /etc/passwd seeds/x.txt` would
    report = build(config)
    assert report.published == 1
    [rejected] = report.rejected
    assert rejected.seed == "x.txt" and "hard link" in rejected.reason
    published = b"".join(p.read_bytes() for p in config.paths.feeds.rglob("*.json"))
    assert "不該發布的私人檔案".encode() not in published


def test_a_lasting_problem_does_not_keep_the_worker_busy(config: Config, tmp_path: Path) -> None:
    seeds = config.paths.seeds
    write_seed(seeds, "ok.txt", "正常的新聞標題", BODY)
    (seeds / "out.txt").symlink_to(write_seed(tmp_path, "o.txt", "資料夾外的新聞", BODY))
    first = build(config, force=False)
    again = build(config, force=False, last=first)  # the scheduler's idle path
    assert again.changed is False and again.rendered == 0 and len(again.rejected) == 1


def test_a_huge_file_is_rejected_without_being_read(config: Config) -> None:
    seeds = config.paths.seeds
    write_seed(seeds, "ok.txt", "正常的新聞標題", BODY)
    with (seeds / "huge.txt").open("wb") as fh:
        fh.truncate(8 << 30)  # 8 GB, sparse: reading it through would take half a minute
    started = time.monotonic()
    report = build(config)
    assert time.monotonic() - started < 10
    [rejected] = report.rejected
    assert rejected.seed == "huge.txt" and "max_bytes" in rejected.reason
    assert report.published == 1


def test_check_reports_a_link_loop_instead_of_crashing(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    write_seed(folder, "ok.txt", "正常的新聞標題", BODY)
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    for target in (folder, folder / "loop.txt"):
        proc = subprocess.run([sys.executable, "-m", "seedfeed", "check", "--json", str(target)],
                              capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert "Traceback" not in proc.stderr, proc.stderr
        rows = {Path(r["path"]).name: r for r in map(json.loads, proc.stdout.splitlines())}
        assert rows["loop.txt"]["status"] == "rejected" and proc.returncode == 1


def test_a_sibling_of_another_version_is_never_sent(config: Config, tmp_path: Path) -> None:
    import gzip

    write_seed(config.paths.seeds, "a.txt", "兄弟檔案測試", BODY)
    build(config)
    feed = config.paths.feeds / "atom.xml"
    client = create_app(config).test_client()
    assert client.get("/feeds/atom.xml", headers={"Accept-Encoding": "gzip"}).headers[
        "Content-Encoding"] == "gzip"
    # A kill between the renames of a publish: a new .gz beside the old document.
    stale = tmp_path / "new.gz"
    stale.write_bytes(gzip.compress(feed.read_bytes().replace("兄弟".encode(), "別的".encode())))
    os.replace(stale, feed.with_name("atom.xml.gz"))
    r = client.get("/feeds/atom.xml", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in r.headers and r.data == feed.read_bytes()
    build(config)  # the next build publishes the three again, as one
    r = client.get("/feeds/atom.xml", headers={"Accept-Encoding": "gzip"})
    assert r.headers["Content-Encoding"] == "gzip" and gzip.decompress(r.data) == feed.read_bytes()


WATCH_WITHOUT_DESCRIPTORS = """
import json, os, resource, sys
from apscheduler.schedulers.background import BackgroundScheduler
from seedfeed.config import load
from seedfeed.scheduler import Worker, watch

import watchdog.observers.inotify  # imported before every descriptor is taken

cfg = load(sys.argv[1])
worker = Worker(cfg)
cfg.site.zone  # (tzdata is read on first use)
scheduler = BackgroundScheduler()
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
filler = []
try:
    while True:  # every descriptor taken: inotify_init1 fails with EMFILE, as when the
        filler.append(os.open(os.devnull, os.O_RDONLY))  # user's instances are used up
except OSError:
    pass
observer = watch(cfg, scheduler, worker)
for fd in filler:
    os.close(fd)
worker.run_once()
print(json.dumps({"observer": observer is not None, "watching": worker.watching}))
"""


def test_no_inotify_to_spare_means_interval_scans_not_a_dead_worker(tmp_path: Path) -> None:
    import subprocess
    import sys

    cfg = make_config(tmp_path)
    (tmp_path / "config.toml").write_text(
        '[paths]\nseeds = "seeds"\nfeeds = "feeds"\nsite = "site"\nstate = "state"\n'
        "[ingest]\nsettle_seconds = 0\n", "utf-8")  # as make_config: a new seed is not pending
    write_seed(cfg.paths.seeds, "a.txt", "沒有檔案監看也照樣發布", BODY)
    proc = subprocess.run([sys.executable, "-c", WATCH_WITHOUT_DESCRIPTORS,
                           str(tmp_path / "config.toml")], capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[-1]) == {"observer": False, "watching": False}
    assert "not watching" in proc.stderr and "scanning every 5s" in proc.stderr
    assert "沒有檔案監看也照樣發布" in (cfg.paths.feeds / "atom.xml").read_text("utf-8")
