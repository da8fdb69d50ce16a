"""The whole shared corpus through `seedfeed check` and `build`: every expectation, every file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from seedfeed.check import check_paths
from seedfeed.config import Config
from seedfeed.pipeline import build

from .conftest import CORPUS, make_config
from .feedcheck import assert_valid_atom, assert_valid_json_feed, parse_xml_feed

NOT_SEEDS = {"README.md", "expected.json"}  # the corpus's own documentation
STATUS = {"ok": "ok", "reject": "rejected", "ignore": "ignored"}


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Config:
    cfg = make_config(tmp_path_factory.mktemp("corpus"))
    for p in CORPUS.iterdir():
        if p.name not in NOT_SEEDS:
            shutil.copy2(p, cfg.paths.seeds / p.name)
    return cfg


@pytest.fixture(scope="module")
def rows(corpus_site: Config) -> dict[str, dict[str, Any]]:
    return {Path(r["path"]).name: r for r in check_paths(corpus_site, [corpus_site.paths.seeds])}


def test_every_file_is_reported(rows: dict[str, dict[str, Any]],
                                expected: dict[str, dict[str, Any]]) -> None:
    assert set(rows) == set(expected)


@pytest.mark.parametrize("name", sorted(json.loads((CORPUS / "expected.json").read_text("utf-8"))))
def test_file_matches_expected(name: str, rows: dict[str, dict[str, Any]],
                               expected: dict[str, dict[str, Any]]) -> None:
    want, row = expected[name], rows[name]
    assert row["status"] == STATUS[want["expect"]], row["error"]
    if want["expect"] == "reject":
        assert row["error"] and name in row["error"]
        return
    if want["expect"] == "ignore":
        return
    for key in ("title", "published", "source", "author", "editor"):
        assert row[key] == want[key], key
    paragraphs = row["content_text"].split("\n\n")
    assert paragraphs[0].strip().startswith(want["first_paragraph_starts"])
    assert paragraphs[-1].strip().endswith(want["last_paragraph_ends"])
    for s in want["must_contain"]:
        assert s in row["content_text"], s
    for s in want["must_not_contain"]:
        assert s not in row["content_text"] and s not in row["title"], s
    for key in ("duplicate_of", "revision_of"):
        got = row.get(key)
        assert (Path(got).name if got else None) == want.get(key), key
    if "tags" in want:
        assert row["tags"] == want["tags"]
    if "updated" in want:
        assert row["updated"] == want["updated"]


def test_corpus_builds_into_valid_feeds(corpus_site: Config,
                                        expected: dict[str, dict[str, Any]]) -> None:
    cfg = make_config(corpus_site.paths.seeds.parent, feeds={"max_entries": 100})
    report = build(cfg)
    ok = [n for n, e in expected.items() if e["expect"] == "ok"]
    merged = [n for n in ok if expected[n].get("duplicate_of")]  # published once, as the original
    merged += [e["revision_of"] for e in expected.values() if e.get("revision_of")]  # replaced
    assert report.published == len(ok) - len(merged)
    assert {r.seed for r in report.rejected} == {
        n for n, e in expected.items() if e["expect"] == "reject"}
    feeds = cfg.paths.feeds
    assert_valid_atom((feeds / "atom.xml").read_bytes())
    doc = assert_valid_json_feed((feeds / "feed.json").read_bytes())
    titles = [i["title"] for i in doc["items"]]
    for name in ok:
        if name not in merged:
            assert titles.count(expected[name]["title"]) == 1, name
    assert expected["031_bus_route_change.md"]["title"] not in titles  # replaced by v2
    for fmt in ("atom.xml", "rss.xml"):
        parsed = parse_xml_feed((feeds / fmt).read_bytes())
        assert len(parsed.entries) == report.published
        text = (feeds / fmt).read_text("utf-8")
        for bad in ("<script", "onerror", "javascript:", "\x00", "\x1b"):
            assert bad not in text
