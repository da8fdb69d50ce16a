"""Identity across builds: duplicates, revisions, renames, re-encodings, half-written seeds."""

from __future__ import annotations

import json
import os
from pathlib import Path

from seedfeed.config import Config
from seedfeed.pipeline import build

from .conftest import make_config, write_seed

BODY = "第一段正文內容。\n第二段正文內容。"


def items(cfg: Config) -> list[dict]:
    return json.loads((cfg.paths.feeds / "feed.json").read_bytes())["items"]


def scraped(title: str) -> str:
    return f"測試日報\n\n{title}\n\n时间：2024-03-01 10:00  来源：测试日报\n\n{BODY}\n"


def test_same_text_in_another_encoding_is_published_once(config: Config) -> None:
    seeds = config.paths.seeds
    (seeds / "a.txt").write_bytes(scraped("同一篇新闻的标题").encode("utf-8"))
    (seeds / "b.txt").write_bytes(scraped("同一篇新闻的标题").replace("\n", "\r\n")
                                  .encode("gb18030"))
    report = build(config)
    assert (report.published, report.duplicates) == (1, 1)
    [item] = items(config)
    (seeds / "a.txt").unlink()  # the original goes: the copy takes its place under the same ID
    build(config)
    assert [i["id"] for i in items(config)] == [item["id"]]


def test_versions_declaring_one_id_are_one_entry_newest_wins(config: Config) -> None:
    seeds = config.paths.seeds
    front = "---\nid: notice-7\ntitle: {t}\ndate: 2024-08-15T16:00:00+08:00\n{u}---\n\n正文。\n"
    (seeds / "v1.md").write_text(front.format(t="初版标题", u=""), "utf-8")
    build(config)
    [first] = items(config)
    (seeds / "v2.md").write_text(
        front.format(t="更正后的标题", u="updated: 2024-08-15T18:30:00+08:00\n"), "utf-8")
    build(config)
    [second] = items(config)
    assert second["id"] == first["id"]
    assert second["title"] == "更正后的标题"
    assert second["date_modified"] > first["date_modified"]


def test_seed_still_being_written_waits_for_the_settle_time(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, ingest={"settle_seconds": 2})
    path = write_seed(cfg.paths.seeds, "new.txt", "正在写入的新闻标题", BODY)
    written = path.stat().st_mtime
    report = build(cfg, clock=written + 0.5)
    assert report.pending == ("new.txt",) and report.published == 0
    assert items(cfg) == []
    report = build(cfg, clock=written + 2.5)
    assert report.pending == () and report.published == 1


def test_a_seed_being_rewritten_keeps_its_published_version(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, ingest={"settle_seconds": 2})
    path = write_seed(cfg.paths.seeds, "a.txt", "已经发布的标题", BODY)
    os.utime(path, (path.stat().st_mtime - 10,) * 2)
    build(cfg)
    path.write_text("測試日報\n\n已经发布的标", "utf-8")  # half a rewrite
    report = build(cfg, clock=path.stat().st_mtime + 0.2)
    assert report.pending == ("a.txt",)
    assert [i["title"] for i in items(cfg)] == ["已经发布的标题"]


def test_oversized_seed_is_rejected_with_the_limit(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, ingest={"max_bytes": 1000})
    write_seed(cfg.paths.seeds, "big.txt", "很长的新闻标题", "长" * 2000)
    write_seed(cfg.paths.seeds, "ok.txt", "正常的新闻标题", BODY)
    report = build(cfg)
    [rejected] = report.rejected
    assert rejected.seed == "big.txt" and "ingest.max_bytes" in rejected.reason
    assert report.published == 1


def test_same_stem_in_two_formats_is_two_articles(config: Config) -> None:
    seeds = config.paths.seeds
    write_seed(seeds, "notice.txt", "文本格式的通知标题", BODY)
    (seeds / "notice.md").write_text("---\ntitle: 另一篇Markdown报道\n---\n\n不同的正文。\n",
                                     "utf-8")
    report = build(config)
    assert report.published == 2
    assert len({i["id"] for i in items(config)}) == 2
