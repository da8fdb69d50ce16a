"""Bounded work and clean text per seed: a time budget, field sizes, bidi controls, and log
lines a seed cannot forge."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from seedfeed.pipeline import build

from .conftest import make_config, write_seed

BODY = "限制測試新聞的正文，有足夠的長度可以發表。"


def items(feeds: Path) -> dict[str, dict[str, object]]:
    return {i["title"]: i for i in json.loads((feeds / "feed.json").read_bytes())["items"]}


def test_a_seed_over_its_time_budget_is_rejected_and_the_rest_published(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, ingest={"max_seconds": 0.1, "max_bytes": 50_000_000})
    write_seed(cfg.paths.seeds, "ok.txt", "時間限制內的新聞", BODY)
    body = "\n\n".join(f"第{i}段的正文內容，這裡有一些文字讓段落看起來像真的新聞。" * 3
                       for i in range(60000))  # 15 MB: 0.9-3 s to parse on the machines seen
    # (a fifth of that parsed in 0.18 s on a fast one, too close to the budget's 0.1 s tick)
    write_seed(cfg.paths.seeds, "slow.txt", "解析很慢的新聞", body)
    report = build(cfg)
    assert report.published == 1
    [rejected] = report.rejected
    assert rejected.seed == "slow.txt" and "ingest.max_seconds" in rejected.reason
    assert list(items(cfg.paths.feeds)) == ["時間限制內的新聞"]


def test_bidi_controls_never_reach_a_feed(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    write_seed(cfg.paths.seeds, "a.txt", "反轉\u202e字元的標題\u2066", BODY + "\u202d")
    (cfg.paths.seeds / "b.html").write_text(
        "<html><head><title>x</title></head><body><article><h1>實體&#x202E;反轉的標題</h1>"
        f"<p>{BODY}&#8238;</p><p>{BODY}</p></article></body></html>", encoding="utf-8")
    (cfg.paths.seeds / "c.md").write_text(
        f'---\ntitle: "前言\\u202e反轉的標題"\nauthor: "記者\\u2067王"\n---\n\n{BODY}\n',
        encoding="utf-8")
    build(cfg)
    found = items(cfg.paths.feeds)
    assert set(found) == {"反轉字元的標題", "實體反轉的標題", "前言反轉的標題"}
    for root in (cfg.paths.feeds, cfg.paths.site):
        for path in root.rglob("*"):
            if path.is_file() and path.suffix in (".xml", ".json", ".html"):
                text = path.read_text("utf-8")
                assert not re.search("[\u202a-\u202e\u2066-\u2069]", text), path


def test_a_blown_up_field_is_rejected_with_a_reason(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    (cfg.paths.seeds / "big.md").write_text(f"---\ntitle: \"{'長' * 600}\"\n---\n\n{BODY}\n",
                                            encoding="utf-8")
    tags = ", ".join(f"t{i}" for i in range(80))
    (cfg.paths.seeds / "tags.md").write_text(f"---\ntitle: 標籤太多\ntags: [{tags}]\n---\n\n{BODY}\n",
                                             encoding="utf-8")
    reasons = {r.seed: r.reason for r in build(cfg).rejected}
    assert "title is 600 characters" in reasons["big.md"]
    assert "80 tags" in reasons["tags.md"]


def test_a_seed_name_cannot_forge_a_log_line(tmp_path: Path) -> None:
    cfg_file = tmp_path / "config.toml"
    cfg_file.write_text('[paths]\nseeds = "seeds"\n', encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    forged = "2026-01-01 00:00:00,000 ERROR seedfeed: the admin password is hunter2"
    (seeds / f"x\n{forged}\r.txt").write_bytes(b"")  # rejected: its name is logged
    (seeds / "bidi\u202etxt.exe.txt").write_bytes(b"")
    proc = subprocess.run([sys.executable, "-m", "seedfeed", "build", "--config", str(cfg_file)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    lines = proc.stderr.splitlines()
    assert any("\\n2026-01-01" in line for line in lines), proc.stderr
    assert not any(line.startswith("2026-01-01 00:00:00,000") for line in lines)
    assert not any("\u202e" in line or "\r" in line for line in lines)
    assert any("\\u202e" in line for line in lines)


def test_a_canonical_url_cannot_break_out_of_its_attribute(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    (cfg.paths.seeds / "a.md").write_text(
        '---\ntitle: 連結測試\nurl: "https://x.example/新聞/a\\"><script>alert(1)</script>"\n---\n\n'
        f"{BODY}\n", encoding="utf-8")
    build(cfg)
    [item] = items(cfg.paths.feeds).values()
    assert item["url"] == "https://x.example/新聞/a%22%3E%3Cscript%3Ealert(1)%3C/script%3E"
    for path in [*cfg.paths.feeds.rglob("*.xml"), *cfg.paths.site.rglob("*.html")]:
        assert "<script" not in path.read_text("utf-8"), path
