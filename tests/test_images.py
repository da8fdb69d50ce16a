"""Issue 12 item 4: an article's lead image (front matter, og:image, the body's first) in every
feed format, measured when it is a published file; images on the pages lazy and without a
referrer; the feeds' icon, logo, rights and RSS people from the config; and an author for
every item."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import feedparser
import lxml.html

from seedfeed.ingest.sanitize import for_pages
from seedfeed.pipeline import build
from seedfeed.render.images import local_file
from seedfeed.resolve import content_hash

from .conftest import make_config, write_seed
from .feedcheck import assert_valid_atom, assert_valid_json_feed, parse_xml_feed

ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
BODY = "正文第一段，說明這篇報道的內容。\n\n正文第二段，補充更多的細節。"
PAGE = """<!doctype html><html lang="zh-Hant"><head><title>{title}</title>
<link rel="canonical" href="https://news.example.org/2024/05/page.html">
{head}</head><body><article><h1>{title}</h1>
<p>發布時間：2024-05-02 09:00 作者：記者 陳大文</p>
<p>這是一篇網頁新聞的正文，講述本市公園改造完工的經過，內容足夠長，可以當作正文。</p>
<p>第二段繼續說明改造之後的設施，以及市民的反應與評價，還有管理處的提醒。</p>
</article></body></html>"""


def md(path: Path, front: str, body: str = BODY) -> None:
    path.write_text(f"---\n{front}\n---\n{body}\n", encoding="utf-8")


def html(path: Path, title: str, head: str) -> None:
    path.write_text(PAGE.format(title=title, head=head), encoding="utf-8")


def check_json(*paths: Path) -> dict[str, dict[str, Any]]:
    proc = subprocess.run([sys.executable, "-m", "seedfeed", "check", "--json", *map(str, paths)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return {Path(r["path"]).name: r for r in map(json.loads, proc.stdout.splitlines())}


def test_check_reports_the_lead_image_of_each_kind_of_seed(tmp_path: Path) -> None:
    md(tmp_path / "front.md", "title: 前言圖\ndate: 2024-05-01 08:00\n"
       "url: https://news.example.com/a/b.html\nimage: ../img/lead.jpg")
    md(tmp_path / "hugo.md", "title: 圖片清單\nimages:\n  - https://cdn.example.com/h.png\n"
       "  - https://cdn.example.com/second.png")
    (tmp_path / "cover.md").write_text(
        '+++\ntitle = "封面表"\n[cover]\nimage = "https://cdn.example.com/c.webp"\n+++\n'
        + BODY + "\n", encoding="utf-8")
    md(tmp_path / "body.md", "title: 正文圖\nurl: https://news.example.com/x/y.html",
       '<img src="https://track.example.com/p.gif" width="1" height="1">' + BODY
       + "\n\n![現場](photos/scene.jpg)\n\n![其次](https://e.example.com/2.jpg)")
    md(tmp_path / "nobase.md", "title: 無從解析\nimage: /img/x.jpg")  # no canonical URL
    md(tmp_path / "script.md", "title: 腳本\nimage: javascript:alert(1)")
    html(tmp_path / "og.html", "開放圖譜的新聞標題", '<meta property="og:image" content="/pics/lead.png">')
    html(tmp_path / "src.html", "圖片連結的新聞標題", '<link rel="image_src" href="thumb.jpg">')
    rows = check_json(tmp_path)
    assert {name: row["image"] for name, row in rows.items()} == {
        "front.md": "https://news.example.com/img/lead.jpg",
        "hugo.md": "https://cdn.example.com/h.png",
        "cover.md": "https://cdn.example.com/c.webp",
        "body.md": "https://news.example.com/x/photos/scene.jpg",  # the pixel is no lead image
        "nobase.md": None,
        "script.md": None,
        "og.html": "https://news.example.org/pics/lead.png",
        "src.html": "https://news.example.org/2024/05/thumb.jpg",
    }


def _seeds_with_images(cfg: Any) -> None:
    seeds = cfg.paths.seeds
    md(seeds / "local.md", "title: 本站圖片\ndate: 2024-05-03 08:00\nauthor: 王小明\n"
       f"image: {cfg.base_url}/img/lead.jpg")
    html(seeds / "remote.html", "遠端圖片的新聞標題",
         '<meta property="og:image" content="/pics/lead.png">')
    md(seeds / "body.md", "title: 沒有副檔名\ndate: 2024-05-01 08:00",
       "![圖](https://cdn.example.com/photo?id=3)\n\n" + BODY)
    write_seed(seeds, "plain.txt", "沒有圖片的新聞", "正文第一段。\n正文第二段。")


def _by_title(entries: Any) -> dict[str, Any]:
    return {e.title: e for e in entries}


def test_feeds_carry_enclosures_thumbnails_and_images(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    (cfg.paths.site / "img").mkdir(parents=True)
    (cfg.paths.site / "img" / "lead.jpg").write_bytes(b"\xff\xd8" + b"x" * 1232)
    _seeds_with_images(cfg)
    build(cfg)
    atom = (cfg.paths.feeds / "atom.xml").read_bytes()
    assert_valid_atom(atom)
    entries = _by_title(parse_xml_feed(atom).entries)
    local, remote = entries["本站圖片"], entries["遠端圖片的新聞標題"]
    assert [(x.href, x.type, x.length) for x in local.enclosures] == [
        (f"{cfg.base_url}/img/lead.jpg", "image/jpeg", "1234")]
    assert local.media_thumbnail == [{"url": f"{cfg.base_url}/img/lead.jpg"}]
    assert [(x.href, x.type) for x in remote.enclosures] == [
        ("https://news.example.org/pics/lead.png", "image/png")]
    assert "length" not in remote.enclosures[0]  # unknown: left out (optional in Atom)
    # an image whose type cannot be told has a thumbnail but no enclosure
    assert entries["沒有副檔名"].enclosures == []
    assert entries["沒有副檔名"].media_thumbnail == [{"url": "https://cdn.example.com/photo?id=3"}]
    assert entries["沒有圖片的新聞"].enclosures == [] and "media_thumbnail" not in entries["沒有圖片的新聞"]

    rss = _by_title(parse_xml_feed((cfg.paths.feeds / "rss.xml").read_bytes()).entries)
    assert [(x.href, x.type, x.length) for x in rss["本站圖片"].enclosures] == [
        (f"{cfg.base_url}/img/lead.jpg", "image/jpeg", "1234")]
    assert [(x.href, x.length) for x in rss["遠端圖片的新聞標題"].enclosures] == [
        ("https://news.example.org/pics/lead.png", "0")]  # RSS requires a length: 0 = unknown
    assert rss["遠端圖片的新聞標題"].media_thumbnail == [{"url": "https://news.example.org/pics/lead.png"}]
    assert rss["沒有副檔名"].enclosures == [] and rss["沒有副檔名"].media_thumbnail

    doc = assert_valid_json_feed((cfg.paths.feeds / "feed.json").read_bytes())
    images = {i["title"]: i.get("image") for i in doc["items"]}
    assert images == {"本站圖片": f"{cfg.base_url}/img/lead.jpg",
                      "遠端圖片的新聞標題": "https://news.example.org/pics/lead.png",
                      "沒有副檔名": "https://cdn.example.com/photo?id=3", "沒有圖片的新聞": None}
    # the topic feeds and their pages carry the same, and stay valid
    topic = next((cfg.paths.feeds / "author").glob("*/atom.xml")).read_bytes()
    assert_valid_atom(topic)


def test_a_feed_without_images_declares_no_media_namespace(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    write_seed(cfg.paths.seeds, "plain.txt", "沒有圖片的新聞", "正文第一段。\n正文第二段。")
    build(cfg)
    for name in ("atom.xml", "rss.xml"):
        text = (cfg.paths.feeds / name).read_text("utf-8")
        assert "search.yahoo.com/mrss" not in text and "enclosure" not in text, name
    assert "image" not in json.loads((cfg.paths.feeds / "feed.json").read_bytes())["items"][0]


def test_changing_only_the_image_line_updates_the_feeds(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    seed = cfg.paths.seeds / "a.md"
    md(seed, "title: 換圖\ndate: 2024-05-01 08:00\nimage: https://cdn.example.com/one.jpg")
    build(cfg)
    md(seed, "title: 換圖\ndate: 2024-05-01 08:00\nimage: https://cdn.example.com/two.jpg")
    build(cfg)
    [entry] = parse_xml_feed((cfg.paths.feeds / "atom.xml").read_bytes()).entries
    assert [x.href for x in entry.enclosures] == ["https://cdn.example.com/two.jpg"]
    assert entry.updated != entry.published  # a change readers see


def test_a_lead_image_shown_in_the_body_does_not_change_the_content_hash(tmp_path: Path) -> None:
    """Upgrading must not move `updated` of every article with a picture: the image the body
    already shows is covered by the body; one the body lacks counts."""
    from seedfeed.ingest import parse_seed

    zone = make_config(tmp_path).site.zone
    shown = parse_seed(b"---\ntitle: T\n---\n![x](https://e.example.com/a.jpg)\n\nBody text.\n",
                       "a.md", zone)
    assert shown.image == "https://e.example.com/a.jpg"
    assert content_hash(shown) == content_hash(replace(shown, image=None))
    declared = replace(shown, image="https://e.example.com/other.jpg")
    assert content_hash(declared) != content_hash(shown)


def test_local_file_maps_only_urls_under_the_base_into_the_published_folders(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, site={"base_url": "https://example.com/news/"})
    assert local_file(cfg, "https://example.com/news/img/a.jpg") == cfg.paths.site / "img" / "a.jpg"
    assert local_file(cfg, "HTTPS://EXAMPLE.COM/news/feeds/i.png") == cfg.paths.feeds / "i.png"
    for url in ("https://example.com/img/a.jpg", "https://other.example/news/img/a.jpg",
                "http://example.com/news/img/a.jpg", "https://example.com/news/%2e%2e/secret.jpg",
                "https://example.com/news/img/../../x.jpg", "https://example.com/news/.state/x",
                "https://example.com/newsroom/a.jpg"):
        assert local_file(cfg, url) is None, url


def test_pages_show_images_lazily_and_without_a_referrer(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    seeds = cfg.paths.seeds
    md(seeds / "body.md", "title: 正文有圖\ndate: 2024-05-01 08:00",
       "![現場](https://cdn.example.com/a.jpg)\n\n" + BODY)
    md(seeds / "front.md", "title: 只有前言圖\ndate: 2024-05-02 08:00\n"
       "image: https://cdn.example.com/lead.png")
    build(cfg)
    pages = {p.name: lxml.html.fromstring(p.read_bytes()) for p in (cfg.paths.site / "articles").iterdir()}
    by_title = {page.findtext(".//h1"): page for page in pages.values()}
    for title, page in by_title.items():
        imgs = page.xpath("//article//img")
        assert imgs, title
        for img in imgs:
            assert (img.get("loading"), img.get("referrerpolicy")) == ("lazy", "no-referrer"), title
    body_page, front_page = by_title["正文有圖"], by_title["只有前言圖"]
    assert [i.get("src") for i in body_page.xpath("//article//img")] == ["https://cdn.example.com/a.jpg"]
    assert [i.get("src") for i in front_page.xpath("//article//img")] == [
        "https://cdn.example.com/lead.png"]  # shown above the text, which has none
    assert front_page.xpath("//meta[@property='og:image']/@content") == ["https://cdn.example.com/lead.png"]
    assert body_page.xpath("//meta[@name='twitter:card']/@content") == ["summary_large_image"]
    # the feeds carry the body as it is, without the page-only attributes
    for name in ("atom.xml", "rss.xml", "feed.json"):
        text = (cfg.paths.feeds / name).read_text("utf-8")
        assert "https://cdn.example.com/a.jpg" in text and "loading" not in text, name


def test_page_attributes_cannot_break_out_of_an_attribute() -> None:
    out = for_pages('<p><img src="https://a.example/b.png" alt="&lt;img onerror=alert(1) x="></p>')
    [img] = lxml.html.fragment_fromstring(out, create_parent="div").iter("img")
    assert dict(img.attrib) == {"src": "https://a.example/b.png", "alt": "<img onerror=alert(1) x=",
                                "loading": "lazy", "referrerpolicy": "no-referrer"}


def test_icon_logo_rights_and_rss_people_from_the_config(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, site={
        "icon": "/icon.png", "logo": "https://cdn.example.com/logo.svg", "rights": "© 2024 武進新聞",
        "managing_editor": "editor@example.com (王明)", "webmaster": "web@example.com (Web Desk)"})
    write_seed(cfg.paths.seeds, "a.txt", "一篇新聞", "正文第一段。\n正文第二段。")
    build(cfg)
    atom = (cfg.paths.feeds / "atom.xml").read_bytes()
    assert_valid_atom(atom)
    feed = parse_xml_feed(atom).feed
    assert (feed.icon, feed.logo, feed.rights) == (
        f"{cfg.base_url}/icon.png", "https://cdn.example.com/logo.svg", "© 2024 武進新聞")
    rss = (cfg.paths.feeds / "rss.xml").read_bytes()
    channel = parse_xml_feed(rss).feed
    assert channel.rights == "© 2024 武進新聞"
    root = ElementTree.fromstring(rss).find("channel")
    assert root is not None
    assert root.findtext("managingEditor") == "editor@example.com (王明)"
    assert root.findtext("webMaster") == "web@example.com (Web Desk)"
    # RSS takes GIF, JPEG or PNG only: the SVG logo gives way to the PNG icon; the image
    # repeats the channel's title and link
    assert channel.image.href == f"{cfg.base_url}/icon.png"
    assert (root.findtext("image/title"), root.findtext("image/link")) == (
        root.findtext("title"), root.findtext("link"))
    doc = assert_valid_json_feed((cfg.paths.feeds / "feed.json").read_bytes())
    assert (doc["icon"], doc["favicon"]) == (f"{cfg.base_url}/icon.png", f"{cfg.base_url}/icon.png")


def test_unset_icon_logo_rights_and_people_are_left_out(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    write_seed(cfg.paths.seeds, "a.txt", "一篇新聞", "正文第一段。\n正文第二段。")
    build(cfg)
    root = ElementTree.fromstring((cfg.paths.feeds / "atom.xml").read_bytes())
    assert [root.find(f"{ATOM}{tag}") for tag in ("icon", "logo", "rights")] == [None] * 3
    channel = ElementTree.fromstring((cfg.paths.feeds / "rss.xml").read_bytes()).find("channel")
    assert channel is not None
    assert [channel.find(t) for t in ("image", "copyright", "managingEditor", "webMaster")] == [None] * 4
    doc = json.loads((cfg.paths.feeds / "feed.json").read_bytes())
    assert "icon" not in doc and "favicon" not in doc


def test_an_item_without_a_byline_has_the_feeds_author_but_no_author_topic(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, site={"author": "武進新聞編輯部"})
    write_seed(cfg.paths.seeds, "a.txt", "沒有作者的新聞", "正文第一段。\n正文第二段。",
               meta="時間:2024-05-01 08:00:00  來源:測試日報")
    write_seed(cfg.paths.seeds, "b.txt", "有作者的新聞", "另一篇的正文。\n第二段。",
               meta="時間:2024-05-02 08:00:00  來源:測試日報  作者:記者 林小文")
    build(cfg)
    dc = "{http://purl.org/dc/elements/1.1/}"
    rss = ElementTree.fromstring((cfg.paths.feeds / "rss.xml").read_bytes())
    creators = {i.findtext("title"): [c.text for c in i.iter(f"{dc}creator")]
                for i in rss.iter("item")}
    assert creators == {"沒有作者的新聞": ["武進新聞編輯部"], "有作者的新聞": ["林小文"]}
    doc = assert_valid_json_feed((cfg.paths.feeds / "feed.json").read_bytes())
    assert {i["title"]: i["authors"] for i in doc["items"]} == {
        "沒有作者的新聞": [{"name": "武進新聞編輯部"}], "有作者的新聞": [{"name": "林小文"}]}
    # Atom would let entries inherit the feed's author (RFC 4287 §4.2.1), but feedparser
    # (and every reader built on it) shows an inherited author on no entry: it is written out
    atom = parse_xml_feed((cfg.paths.feeds / "atom.xml").read_bytes())
    assert atom.feed.author == "武進新聞編輯部"
    assert {e.title: e.get("author") for e in atom.entries} == {
        "沒有作者的新聞": "武進新聞編輯部", "有作者的新聞": "林小文"}
    authors = [p.parent.name for p in (cfg.paths.feeds / "author").glob("*/atom.xml")]
    assert len(authors) == 1 and "林小文" in feedparser.parse(
        (cfg.paths.feeds / "author" / authors[0] / "atom.xml").read_bytes()).feed.title


def test_an_iri_image_becomes_a_uri_and_is_not_shown_twice(tmp_path: Path) -> None:
    """Chinese sites name their files in Chinese: JSON Feed's `image` must be a URI, and the
    page must still see that the body shows the image (no second copy above the text)."""
    cfg = make_config(tmp_path)
    md(cfg.paths.seeds / "a.md", "title: 中文檔名\ndate: 2024-05-01 08:00",
       '<img src="https://圖片.例子.公司/上傳/新聞 1.jpg" alt="現場">\n\n' + BODY)
    build(cfg)
    doc = assert_valid_json_feed((cfg.paths.feeds / "feed.json").read_bytes())
    uri = "https://xn--ldss64d.xn--fsqu00a.xn--55qx5d/%E4%B8%8A%E5%82%B3/%E6%96%B0%E8%81%9E%201.jpg"
    assert doc["items"][0]["image"] == uri
    [page] = (cfg.paths.site / "articles").iterdir()
    assert len(lxml.html.fromstring(page.read_bytes()).xpath("//article//img")) == 1
