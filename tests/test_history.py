"""The whole history: RFC 5005 archives, topic feeds, RFC 6721 deleted entries, OPML, the
sitemap, the paged site, and builds that re-render only what a change touches."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest

from seedfeed.config import Config
from seedfeed.pipeline import build
from seedfeed.plan import Paging, slug, touched

from .conftest import make_config, write_seed
from .feedcheck import assert_valid_atom, assert_valid_json_feed, parse_xml_feed

ATOM = "{http://www.w3.org/2005/Atom}"
SOURCES = ["常州日報", "武進新聞網", "溧陽時報"]


def seed_day(seeds: Path, i: int, day: datetime, source: str | None = None) -> Path:
    src = source or SOURCES[i % len(SOURCES)]
    return write_seed(seeds, f"n{i:04d}.txt", f"第{i}號新聞的標題文字", f"第{i}號新聞的正文內容。",
                      meta=f"時間:{day:%Y-%m-%d %H:%M:%S}  來源:{src}  作者:記者 林小文")


def seed_many(cfg: Config, start: int, count: int, back: int = 0) -> None:
    base = datetime(2024, 1, 1, 8, 0)
    for i in range(start, start + count):
        when = base + timedelta(hours=i) - timedelta(days=back if i % 7 == 0 else 0)
        seed_day(cfg.paths.seeds, i, when)


@pytest.fixture
def small(tmp_path: Path) -> Config:
    return make_config(tmp_path, feeds={"max_entries": 10, "archive_entries": 10})


def feed_file(cfg: Config, url: str) -> Path:
    """The file a server sends for a feed URL: the full page, else the open one."""
    rel = unquote(url.removeprefix(cfg.base_url + "/feeds/"))
    path = cfg.paths.feeds / rel
    if not path.exists():
        path = path.parent / "open" / path.name
    return path


def walk_xml(cfg: Config, url: str, kind: str) -> list[str]:
    """Every entry ID met following prev-archive from `url` (Atom or RSS)."""
    ids: list[str] = []
    seen: set[str] = set()
    while url:
        assert url not in seen, "archive chain loops"
        seen.add(url)
        data = feed_file(cfg, url).read_bytes()
        parsed = parse_xml_feed(data)
        ids += [e.id for e in parsed.entries]
        root = ElementTree.fromstring(data)
        links = root.iter(f"{ATOM}link")
        url = next((ln.get("href") for ln in links if ln.get("rel") == "prev-archive"), "")
        if kind == "atom":
            assert_valid_atom(data)
    return ids


def walk_json(cfg: Config, url: str) -> list[str]:
    ids: list[str] = []
    while url:
        doc = assert_valid_json_feed(feed_file(cfg, url).read_bytes())
        ids += [i["id"] for i in doc["items"]]
        url = doc.get("next_url", "")
    return ids


def published_ids(cfg: Config) -> set[str]:
    from seedfeed.index import Index

    with Index(cfg.paths.state / "seedfeed.db") as index:
        rows = index.db.execute("SELECT key FROM entries WHERE deleted_at IS NULL").fetchall()
    from seedfeed.ids import entry_id

    return {entry_id(k) for (k,) in rows}


def test_paging_is_pure_arithmetic() -> None:
    p = Paging(next_number=35, head_size=10, size=10)
    assert (p.boundary, p.pages) == (25, 3)
    assert [p.is_full(k) for k in range(3)] == [True, True, False]
    assert p.span(None) == (25, 35) and p.span(2) == (20, 25) and p.page_of(24) == 2
    assert p.page_of(25) is None
    grown = Paging(36, 10, 10)
    assert touched(p, grown, [35]) == {None, 2}  # the head, and the open page it spills into
    assert touched(p, p, [3]) == {0}


@pytest.mark.parametrize("kind", ["atom", "rss", "json"])
def test_archive_chain_reaches_every_article_exactly_once(small: Config, kind: str) -> None:
    seed_many(small, 0, 57, back=30)
    report = build(small)
    assert report.published == 57
    fmt = {"atom": "atom.xml", "rss": "rss.xml", "json": "feed.json"}[kind]
    head = f"{small.base_url}/feeds/{fmt}"
    ids = walk_json(small, head) if kind == "json" else walk_xml(small, head, kind)
    assert len(ids) == len(set(ids)) == 57
    assert set(ids) == published_ids(small)
    # the topic feed of one source, with its own archives
    [topic_dir] = [p for p in (small.paths.feeds / "source").iterdir() if "常州日報" in p.name]
    url = f"{small.base_url}/feeds/source/{topic_dir.name}/{fmt}"
    topic_ids = walk_json(small, url) if kind == "json" else walk_xml(small, url, kind)
    assert len(topic_ids) == len(set(topic_ids)) == 19  # every third seed
    assert (topic_dir / "archive").is_dir()


def test_main_feed_holds_max_entries_newest_first(small: Config) -> None:
    seed_many(small, 0, 57)
    build(small)
    items = json.loads((small.paths.feeds / "feed.json").read_bytes())["items"]
    assert len(items) == 10
    dates = [i["date_published"] for i in items]
    assert dates == sorted(dates, reverse=True)
    atom = (small.paths.feeds / "atom.xml").read_text("utf-8")
    assert "<fh:archive/>" not in atom and 'rel="prev-archive"' in atom
    page = (small.paths.feeds / "archive" / "0" / "atom.xml").read_text("utf-8")
    assert "<fh:archive/>" in page and 'rel="current"' in page and 'rel="next-archive"' in page


def full_pages(cfg: Config) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in cfg.paths.feeds.rglob("archive/*/*")
            if p.is_file() and p.parent.name != "open"}


def test_appending_leaves_every_full_archive_page_byte_identical(small: Config) -> None:
    seed_many(small, 0, 60)
    report = build(small)
    before = full_pages(small)
    assert len(before) >= 12  # main and topic archives, three formats each
    seed_many(small, 60, 200, back=400)  # one in seven is dated more than a year back
    report = build(small, force=False, last=report)
    assert report.published == 260
    after = full_pages(small)
    for path, data in before.items():
        assert after.get(path) == data, path
    assert len(after) > len(before)


def test_a_deleted_seed_is_a_tombstone_in_the_main_atom_feed_and_in_no_archive(small: Config) -> None:
    seed_many(small, 0, 40)
    report = build(small, clock=1_800_000_000)
    gone = small.paths.seeds / "n0003.txt"
    [entry_page] = [p for p in (small.paths.feeds / "archive").rglob("atom.xml")
                    if "第3號新聞的標題文字" in p.read_text("utf-8")]
    gone.unlink()
    report = build(small, force=False, last=report, clock=1_800_000_100)
    atom = (small.paths.feeds / "atom.xml").read_bytes()
    assert_valid_atom(atom)
    deleted = ElementTree.fromstring(atom).findall("{http://purl.org/atompub/tombstones/1.0}deleted-entry")
    assert len(deleted) == 1
    ref = deleted[0].get("ref")
    assert ref and ref.startswith("urn:uuid:") and deleted[0].get("when", "").endswith("+08:00")
    for page in small.paths.feeds.rglob("*.xml"):
        text = page.read_text("utf-8")
        assert "第3號新聞的標題文字" not in text, page
        if page.name != "atom.xml" or page.parent != small.paths.feeds:
            assert ref not in text, page
    assert "第3號新聞的標題文字" not in entry_page.read_text("utf-8")  # it left its page
    assert report.published == 39
    # after feeds.tombstone_days (30) the tombstone leaves the feed too
    build(small, force=False, last=report, clock=1_800_000_100 + 31 * 86400)
    assert ref not in (small.paths.feeds / "atom.xml").read_text("utf-8")


def test_every_document_validates_and_opml_and_sitemap_list_everything(small: Config) -> None:
    seed_many(small, 0, 45)
    (small.paths.seeds / "tags.md").write_text(
        "---\ntitle: 有標籤的文章\ndate: 2024-03-01T08:00:00+08:00\ntags: [交通, 地鐵]\n---\n\n正文。\n",
        "utf-8")
    build(small)
    counts = {"atom.xml": 0, "rss.xml": 0, "feed.json": 0}
    for path in small.paths.feeds.rglob("*"):
        if path.name == "atom.xml":
            assert_valid_atom(path.read_bytes())
            parse_xml_feed(path.read_bytes())
        elif path.name == "rss.xml":
            parse_xml_feed(path.read_bytes())
        elif path.name == "feed.json":
            assert_valid_json_feed(path.read_bytes())
        else:
            continue
        counts[path.name] += 1
    assert counts["atom.xml"] == counts["rss.xml"] == counts["feed.json"] > 10
    opml = ElementTree.parse(small.paths.feeds / "feeds.opml").getroot()
    listed = {o.get("xmlUrl") for o in opml.iter("outline") if o.get("xmlUrl")}
    heads = {f"{small.base_url}/feeds/{p.relative_to(small.paths.feeds).as_posix()}"
             for p in small.paths.feeds.rglob("*") if p.name in counts and "archive" not in p.parts}
    assert {unquote(u) for u in listed} == heads
    assert any("交通" in unquote(u) for u in listed)
    sm = ElementTree.parse(small.paths.site / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = set()
    for loc in sm.iter(f"{ns}loc"):
        part = small.paths.site / loc.text.removeprefix(small.base_url + "/")  # type: ignore[union-attr]
        urls |= {u.text for u in ElementTree.parse(part).getroot().iter(f"{ns}loc")}
    pages = {f"{small.base_url}/articles/{p.stem}" for p in (small.paths.site / "articles").glob("*.html")}
    assert urls == pages and len(pages) == 46


def test_the_site_pages_through_every_article(small: Config) -> None:
    seed_many(small, 0, 35)
    build(small)
    seen: set[str] = set()
    page = small.paths.site / "index.html"
    while True:
        html = page.read_text("utf-8")
        seen |= set(re.findall(r'href="[^"]*/articles/([0-9a-f-]+)"', html))
        older = re.search(r'href="([^"]+)" rel="prev"', html)
        if not older:
            break
        page = small.paths.site / (older.group(1).removeprefix(small.base_url + "/") + ".html")
    assert len(seen) == 35
    assert 'type="text/x-opml"' in (small.paths.site / "index.html").read_text("utf-8")
    topic_pages = list((small.paths.site / "topics" / "source").glob("*.html"))
    assert len(topic_pages) == 3
    assert all("/feeds/source/" in p.read_text("utf-8") for p in topic_pages)


def test_topic_urls_are_stable_across_a_lost_state_folder(small: Config) -> None:
    import shutil

    seed_many(small, 0, 12)
    build(small)
    first = sorted(p.relative_to(small.paths.feeds) for p in small.paths.feeds.rglob("*.xml"))
    shutil.rmtree(small.paths.state)
    build(small)
    assert sorted(p.relative_to(small.paths.feeds) for p in small.paths.feeds.rglob("*.xml")) == first
    assert slug("source", "常州日報") != slug("author", "常州日報")  # kinds do not collide
    assert slug("tag", "A B") != slug("tag", "A-B")


@pytest.mark.parametrize("archive", [60, 300])
def test_one_new_seed_renders_a_bounded_number_of_documents(tmp_path: Path, archive: int) -> None:
    cfg = make_config(tmp_path, feeds={"max_entries": 10, "archive_entries": 10})
    seed_many(cfg, 0, archive)
    report = build(cfg)
    seed_day(cfg.paths.seeds, 9000, datetime(2025, 1, 1, 8, 0))
    report = build(cfg, force=False, last=report)
    assert report.published == archive + 1
    # main: head + open page, and one topic (source) and one author topic: head + open page
    # each, in 3 feed formats + 1 HTML page, and a feed preview page per head; the article
    # page and the one before it (its newer link); OPML, topics page, sitemaps
    assert report.rendered <= 3 * 2 * 4 + 3 + 2 + 4, report.rendered
    edit = cfg.paths.seeds / "n0005.txt"
    edit.write_text(edit.read_text("utf-8").replace("正文內容", "更正後的正文內容"), "utf-8")
    report = build(cfg, force=False, last=report)
    # an edit: the same documents, the article's two neighbours instead of one
    assert report.rendered <= 3 * 2 * 4 + 3 + 3 + 4, report.rendered


def test_full_archive_pages_are_served_immutable_and_open_ones_are_not(small: Config) -> None:
    from seedfeed.web import create_app

    seed_many(small, 0, 35)  # head 25..34, full pages 0 and 1, open page 2 (20..24)
    build(small)
    client = create_app(small).test_client()
    full = client.get("/feeds/archive/1/atom.xml")
    assert full.status_code == 200 and "immutable" in full.headers["Cache-Control"]
    assert full.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert full.data == (small.paths.feeds / "archive/1/atom.xml").read_bytes()
    open_ = client.get("/feeds/archive/2/feed.json")
    assert open_.status_code == 200 and "immutable" not in open_.headers["Cache-Control"]
    assert open_.data == (small.paths.feeds / "archive/2/open/feed.json").read_bytes()
    head = client.get("/feeds/atom.xml")
    assert "immutable" not in head.headers["Cache-Control"]
    assert client.get("/feeds/atom.xml.gz").status_code == 404
    assert client.get("/pages/1").status_code == 200
    assert client.get("/feeds/feeds.opml").headers["Content-Type"].startswith("text/x-opml")
