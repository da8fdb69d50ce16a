"""One `build` pass over real files: feeds validate, IDs and bytes are stable, rejects are local."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from seedfeed.config import Config
from seedfeed.pipeline import build

from .conftest import make_config, write_seed
from .feedcheck import assert_valid_atom, assert_valid_json_feed, parse_xml_feed

SAMPLE_TITLE = ("“新思想 聽吾說”理論直播間——讓黨的創新理論飛入尋常百姓家 第五期 新產業 新科技 "
                "新平臺 共同譜寫中國式現代化常州答卷")
FEEDS = ("atom.xml", "rss.xml", "feed.json")


def feed_bytes(cfg: Config) -> dict[str, bytes]:
    return {name: (cfg.paths.feeds / name).read_bytes() for name in FEEDS}


def json_items(cfg: Config) -> list[dict]:
    return json.loads((cfg.paths.feeds / "feed.json").read_bytes())["items"]


def test_sample_is_published_in_all_three_formats(config: Config, seeds_dir: Path) -> None:
    report = build(config)
    assert (report.seeds, report.published, report.rejected) == (1, 1, ())
    files = feed_bytes(config)
    assert_valid_atom(files["atom.xml"])
    doc = assert_valid_json_feed(files["feed.json"])
    atom, rss = parse_xml_feed(files["atom.xml"]), parse_xml_feed(files["rss.xml"])
    ids = set()
    for entry in (atom.entries[0], rss.entries[0]):
        assert entry.title == SAMPLE_TITLE
        assert entry.published == "2023-04-10T09:46:17+08:00" or entry.published.startswith(
            "Mon, 10 Apr 2023 09:46:17 +0800")
        assert entry.author == "陽湖網"
        assert "宣講人:潮頭觀瀾春潮涌" in entry.content[0].value
        ids.add(entry.id)
    item = doc["items"][0]
    assert item["date_published"] == "2023-04-10T09:46:17+08:00"
    assert item["authors"] == [{"name": "陽湖網"}]
    ids.add(item["id"])
    assert len(ids) == 1 and ids.pop().startswith("urn:uuid:")
    assert item["url"].startswith("http://127.0.0.1:8000/articles/")


def test_rss_uses_dc_creator_and_a_non_permalink_guid(config: Config, seeds_dir: Path) -> None:
    build(config)
    rss = (config.paths.feeds / "rss.xml").read_text("utf-8")
    assert "<dc:creator>陽湖網</dc:creator>" in rss
    assert 'isPermaLink="false"' in rss
    assert "<content:encoded>" in rss
    assert "<lastBuildDate>Mon, 10 Apr 2023 09:46:17 +0800</lastBuildDate>" in rss
    channel = parse_xml_feed(rss.encode()).feed
    assert channel.link == "http://127.0.0.1:8000/"  # the home page, not the feed itself


def test_rebuild_is_byte_identical(config: Config, seeds_dir: Path) -> None:
    build(config)
    first = feed_bytes(config)
    mtimes = {n: (config.paths.feeds / n).stat().st_mtime_ns for n in FEEDS}
    report = build(config)
    assert feed_bytes(config) == first
    assert not report.changed
    assert {n: (config.paths.feeds / n).stat().st_mtime_ns for n in FEEDS} == mtimes


def test_lost_state_gives_the_same_ids(config: Config, seeds_dir: Path) -> None:
    write_seed(seeds_dir, "b.txt", "第二篇測試新聞標題", "第二篇的正文內容在這裡。")
    build(config)
    before = {i["id"] for i in json_items(config)}
    shutil.rmtree(config.paths.state)
    build(config)
    assert {i["id"] for i in json_items(config)} == before
    assert len(before) == 2


def test_edit_keeps_the_id_and_moves_updated(config: Config) -> None:
    seeds = config.paths.seeds
    write_seed(seeds, "a.txt", "原來的標題文字", "正文第一段。")
    build(config, clock=1_800_000_000)
    [old] = json_items(config)
    write_seed(seeds, "a.txt", "改正後的標題文字", "正文第一段。")
    build(config, clock=1_800_000_600)
    [new] = json_items(config)
    assert new["id"] == old["id"]
    assert new["title"] == "改正後的標題文字"
    assert new["date_modified"] > old["date_modified"]
    assert new["date_published"] == old["date_published"]


def test_rename_keeps_the_id_and_delete_removes(config: Config) -> None:
    seeds = config.paths.seeds
    write_seed(seeds, "a.txt", "會被改名的新聞", "正文。")
    build(config)
    [old] = json_items(config)
    (seeds / "a.txt").rename(seeds / "renamed.txt")
    build(config)
    assert [i["id"] for i in json_items(config)] == [old["id"]]
    (seeds / "renamed.txt").unlink()
    build(config)
    assert json_items(config) == []
    assert_valid_atom((config.paths.feeds / "atom.xml").read_bytes())
    assert not list((config.paths.site / "articles").glob("*.html"))


def test_broken_seed_is_reported_and_the_rest_published(config: Config, seeds_dir: Path) -> None:
    (seeds_dir / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (seeds_dir / "empty.txt").write_bytes(b"")
    report = build(config)
    assert report.published == 1
    assert {r.seed for r in report.rejected} == {"broken.txt", "empty.txt"}
    assert all(r.reason for r in report.rejected)
    assert json_items(config)[0]["title"] == SAMPLE_TITLE


def test_newest_first_and_max_entries(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, feeds={"max_entries": 3})
    for day in range(1, 6):
        write_seed(cfg.paths.seeds, f"d{day}.txt", f"五月{day}日的新聞標題",
                   f"第{day}天的正文。", meta=f"時間:2024-05-0{day} 08:00:00  來源:測試日報")
    report = build(cfg)
    assert report.published == 5
    items = json_items(cfg)
    assert [i["date_published"][:10] for i in items] == ["2024-05-05", "2024-05-04", "2024-05-03"]
    atom = parse_xml_feed((cfg.paths.feeds / "atom.xml").read_bytes())
    assert atom.feed.updated == "2024-05-05T08:00:00+08:00"
    # every article keeps its page even when it left the main feed
    assert len(list((cfg.paths.site / "articles").glob("*.html"))) == 5


def test_seed_without_a_date_keeps_its_first_seen_time(config: Config) -> None:
    seeds = config.paths.seeds
    write_seed(seeds, "n.txt", "沒有日期的新聞標題", "正文一段。", meta="來源:測試日報")
    build(config, clock=1_800_000_000)
    [first] = json_items(config)
    build(config, clock=1_900_000_000)
    [again] = json_items(config)
    assert first["date_published"] == again["date_published"]
    assert first["date_published"].endswith("+08:00")


@pytest.mark.parametrize("name", FEEDS)
def test_published_files_have_compressed_siblings(config: Config, seeds_dir: Path,
                                                  name: str) -> None:
    import gzip

    import brotli

    build(config)
    raw = (config.paths.feeds / name).read_bytes()
    assert gzip.decompress((config.paths.feeds / f"{name}.gz").read_bytes()) == raw
    assert brotli.decompress((config.paths.feeds / f"{name}.br").read_bytes()) == raw


def test_an_edit_rewrites_only_what_it_shows(config: Config) -> None:
    seeds = config.paths.seeds
    for name in ("a", "b", "c"):
        write_seed(seeds, f"{name}.txt", f"{name}號新聞的標題文字", f"{name}號正文。")
    report = build(config)
    pages = sorted((config.paths.site / "articles").glob("*.html"))
    before = {p: p.stat().st_mtime_ns for p in pages}
    write_seed(seeds, "b.txt", "b號新聞的新標題文字", "b號正文。")
    report = build(config, force=False, last=report)
    assert report.changed
    touched = [p for p in pages if p.stat().st_mtime_ns != before[p]]
    assert len(touched) == 1 and "b號新聞的新標題文字" in touched[0].read_text("utf-8")
    idle = build(config, force=False, last=report)
    assert not idle.changed and idle.published == 3


def test_a_lost_page_comes_back_with_the_next_verifying_build(config: Config) -> None:
    """An incremental build only looks at what it renders (a stat per published file would
    make every build linear in the archive); a forced build (the CLI's, the worker's first
    and its periodic check) finds any published file that went missing and restores it."""
    seeds = config.paths.seeds
    write_seed(seeds, "a.txt", "會丟失頁面的新聞", "正文。", meta="時間:2024-05-01 08:00:00")
    report = build(config)
    [page] = (config.paths.site / "articles").glob("*.html")
    write_seed(seeds, "b.txt", "第二篇新聞的標題", "正文。", meta="時間:2024-05-02 08:00:00")
    report = build(config, force=False, last=report)
    before = page.read_bytes()  # it links to b now
    page.unlink()
    # c's page and its older neighbour b's are rendered; a's, two away, is not looked at
    write_seed(seeds, "c.txt", "另一篇新聞的標題", "正文。", meta="時間:2024-05-03 08:00:00")
    report = build(config, force=False, last=report)
    assert not page.exists() and report.published == 3
    build(config, force=True)
    assert page.read_bytes() == before


def test_missing_seeds_folder_is_an_error_and_keeps_the_feeds(config: Config,
                                                              seeds_dir: Path) -> None:
    from seedfeed.errors import SeedfeedError

    build(config)
    before = feed_bytes(config)
    shutil.rmtree(seeds_dir)
    with pytest.raises(SeedfeedError, match="seeds folder .* does not exist"):
        build(config)
    assert feed_bytes(config) == before


def test_damaged_state_database_is_set_aside_and_rebuilt(config: Config,
                                                         seeds_dir: Path) -> None:
    build(config)
    ids = [i["id"] for i in json_items(config)]
    (config.paths.state / "seedfeed.db").write_bytes(b"this is not a database" * 100)
    for extra in ("seedfeed.db-wal", "seedfeed.db-shm"):
        (config.paths.state / extra).unlink(missing_ok=True)
    report = build(config)
    assert report.published == 1 and [i["id"] for i in json_items(config)] == ids
    assert list(config.paths.state.glob("seedfeed.db.damaged-*"))


def test_undeclared_language_follows_the_script(config: Config) -> None:
    seeds = config.paths.seeds
    (seeds / "s.md").write_text("---\ntitle: 简体标题\n---\n\n这是一篇用简体中文写的报道，"
                                "记者从相关部门获悉，这项工作将于明年开始实施。\n", "utf-8")
    (seeds / "e.md").write_text("---\ntitle: 英文\nlang: en\n---\n\nAn English body.\n", "utf-8")
    build(config)
    langs = {i["title"]: i.get("language") for i in json_items(config)}
    assert langs == {"简体标题": "zh-Hans", "英文": "en"}


def test_a_scan_of_reported_names_looks_at_those_seeds_only(config: Config) -> None:
    """With file-system events, a scan stats the files they name, not the whole folder;
    the periodic full walk still finds what no event reported."""
    seeds = config.paths.seeds
    write_seed(seeds, "a.txt", "第一篇報道的標題", "正文。")
    write_seed(seeds, "b.txt", "第二篇報道的標題", "正文。")
    report = build(config)
    write_seed(seeds, "c.txt", "第三篇報道的標題", "正文。")
    write_seed(seeds, "b.txt", "沒有事件報告的修改", "正文。")  # no event names it
    report = build(config, force=False, last=report, only={"c.txt"})
    titles = {i["title"] for i in json_items(config)}
    assert titles == {"第一篇報道的標題", "第二篇報道的標題", "第三篇報道的標題"}
    (seeds / "a.txt").unlink()
    report = build(config, force=False, last=report, only={"a.txt"})
    assert {i["title"] for i in json_items(config)} == {"第二篇報道的標題", "第三篇報道的標題"}
    idle = build(config, force=False, last=report, only=set())
    assert not idle.changed and idle.seconds < 1
    build(config, force=False, last=report)  # the full walk
    assert {i["title"] for i in json_items(config)} == {"沒有事件報告的修改", "第三篇報道的標題"}
    (seeds / "sub").mkdir()
    write_seed(seeds / "sub", "d.txt", "資料夾裡的報道標題", "正文。")
    build(config, force=False, last=report, only={"sub"})  # a folder: walked
    assert "資料夾裡的報道標題" in {i["title"] for i in json_items(config)}
