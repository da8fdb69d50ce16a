"""Richer metadata in every format: several authors, the editor as contributor, the source as
a category with its own scheme, and RSS polling hints tied to the scan interval."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import feedparser

from seedfeed.pipeline import build

from .conftest import make_config, write_seed
from .feedcheck import assert_valid_atom, assert_valid_json_feed

ATOM = "{http://www.w3.org/2005/Atom}"


def test_people_source_and_polling_hints(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, scheduler={"interval": 120})
    write_seed(cfg.paths.seeds, "a.txt", "兩位記者合寫的新聞", "正文第一段。\n正文第二段。",
               meta="時間:2024-05-01 08:00:00  來源:武進日報  作者:王一、李二  責任編輯:張三")
    build(cfg)
    atom = (cfg.paths.feeds / "atom.xml").read_bytes()
    assert_valid_atom(atom)
    entry = ElementTree.fromstring(atom).find(f"{ATOM}entry")
    assert entry is not None
    assert [n.text for n in entry.iter(f"{ATOM}name")] == ["王一", "李二", "張三"]
    assert entry.find(f"{ATOM}contributor/{ATOM}name").text == "張三"  # type: ignore[union-attr]
    source = [c for c in entry.iter(f"{ATOM}category") if c.get("scheme")]
    assert [(c.get("term"), c.get("scheme")) for c in source] == [
        ("武進日報", f"{cfg.base_url}/topics#source")]
    rss = (cfg.paths.feeds / "rss.xml").read_bytes()
    parsed = feedparser.parse(rss)
    assert parsed.bozo == 0
    root = ElementTree.fromstring(rss)
    dc = "{http://purl.org/dc/elements/1.1/}"
    item = root.find("channel/item")
    assert item is not None
    assert [c.text for c in item.iter(f"{dc}creator")] == ["王一", "李二"]
    assert item.find(f"{dc}publisher").text == "武進日報"  # type: ignore[union-attr]
    assert item.find(f"{dc}contributor").text == "張三"  # type: ignore[union-attr]
    assert root.find("channel/ttl").text == "2"  # type: ignore[union-attr]
    sy = "{http://purl.org/rss/1.0/modules/syndication/}"
    assert root.find(f"channel/{sy}updateFrequency").text == "30"  # type: ignore[union-attr]
    doc = assert_valid_json_feed((cfg.paths.feeds / "feed.json").read_bytes())
    assert [a["name"] for a in doc["items"][0]["authors"]] == ["王一", "李二"]
