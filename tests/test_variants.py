"""Script variants (site.variants): the whole site in the other Chinese script, converted
with OpenCC, under its own prefix, language and IDs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from seedfeed.config import Config
from seedfeed.errors import ConfigError
from seedfeed.pipeline import build

from .conftest import CORPUS, SAMPLE, make_config, write_seed
from .feedcheck import assert_valid_atom, assert_valid_json_feed, parse_xml_feed

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def variant_site(root: Path, **feeds: Any) -> Config:
    cfg = make_config(root, site={"variants": ["zh-Hans"]}, feeds=feeds or {})
    shutil.copy(CORPUS / SAMPLE, cfg.paths.seeds / SAMPLE)
    return cfg


def published(cfg: Config, rel: str) -> bytes:
    top, _, rest = rel.partition("/")
    return (cfg.paths.feeds if top == "feeds" else cfg.paths.site).joinpath(rest).read_bytes()


def atom_ids(data: bytes) -> list[str]:
    return [e.findtext(f"{ATOM}id") or "" for e in etree.fromstring(data).iter(f"{ATOM}entry")]


def every_file(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and not p.name.startswith(".") and p.suffix not in (".gz", ".br")}


def test_the_sample_reads_simplified_in_every_format_and_validates(tmp_path: Path) -> None:
    cfg = variant_site(tmp_path)
    build(cfg)
    atom, rss, js = (published(cfg, f"feeds/zh-Hans/{f}") for f in ("atom.xml", "rss.xml", "feed.json"))
    original = published(cfg, "feeds/atom.xml").decode()
    assert "創新" in original and "创新" not in original
    for data in (atom, rss, js):
        text = data.decode()
        assert "创新" in text and "創新" not in text
        assert "(chuàng)" not in text  # the converter artefact stays cleaned
    assert_valid_atom(atom)
    root = etree.fromstring(atom)
    assert root.get(XML_LANG) == "zh-Hans"
    assert [e.get(XML_LANG) for e in root.iter(f"{ATOM}entry")] == ["zh-Hans"]
    assert root.findtext(f"{ATOM}title") == "武进新闻"
    parsed = parse_xml_feed(rss)
    assert parsed.feed.language == "zh-Hans"
    assert parsed.entries[0].title.startswith("“新思想 听吾说”理论直播间——让党的创新理论")
    assert parsed.entries[0].author == "阳湖网"
    doc = assert_valid_json_feed(js)
    assert doc["language"] == "zh-Hans" and doc["items"][0]["language"] == "zh-Hans"
    assert doc["feed_url"] == f"{cfg.base_url}/feeds/zh-Hans/feed.json"
    assert doc["items"][0]["url"].startswith(f"{cfg.base_url}/zh-Hans/articles/")


def test_variant_ids_differ_from_the_original_and_never_change(tmp_path: Path) -> None:
    cfg = variant_site(tmp_path)
    write_seed(cfg.paths.seeds, "b.txt", "第二篇測試文章", "正文第一段。")
    build(cfg)
    original = atom_ids(published(cfg, "feeds/atom.xml"))
    variant = atom_ids(published(cfg, "feeds/zh-Hans/atom.xml"))
    assert len(variant) == len(original) == 2
    assert not set(variant) & set(original)
    assert all(i.startswith("urn:uuid:") for i in variant)
    rss = parse_xml_feed(published(cfg, "feeds/zh-Hans/rss.xml"))
    js = json.loads(published(cfg, "feeds/zh-Hans/feed.json"))
    assert sorted(e.id for e in rss.entries) == sorted(i["id"] for i in js["items"]) == sorted(variant)
    build(cfg)  # a rebuild
    assert atom_ids(published(cfg, "feeds/zh-Hans/atom.xml")) == variant
    # the state folder and everything published lost: the same IDs come back
    for folder in (cfg.paths.state, cfg.paths.feeds, cfg.paths.site):
        shutil.rmtree(folder)
    build(cfg)
    assert sorted(atom_ids(published(cfg, "feeds/zh-Hans/atom.xml"))) == sorted(variant)
    assert sorted(atom_ids(published(cfg, "feeds/atom.xml"))) == sorted(original)


def test_every_document_has_its_variant_under_the_prefix(tmp_path: Path) -> None:
    cfg = variant_site(tmp_path, max_entries=2, archive_entries=2)
    for i in range(6):
        write_seed(cfg.paths.seeds, f"s{i}.txt", f"測試標題第{i}篇", "這是正文。",
                   meta=f"時間:2024-05-0{i + 1} 08:00:00  來源:測試日報  作者:記者 林小文")
    build(cfg)
    feeds = every_file(cfg.paths.feeds)
    originals = {f for f in feeds if not f.startswith("zh-Hans/")}
    assert {f for f in feeds if f.startswith("zh-Hans/")} == {f"zh-Hans/{f}" for f in originals}
    assert any("/archive/" in f for f in originals)  # archives and topic feeds are covered
    assert any(f.startswith("source/") for f in originals)
    site = every_file(cfg.paths.site)
    pages = {f for f in site if not f.startswith(("zh-Hans", "assets/", "404", "sitemap.xml"))}
    assert {f for f in site if f.startswith("zh-Hans/")} == {f"zh-Hans/{f}" for f in pages} - {
        "zh-Hans/index.html"}
    assert "zh-Hans.html" in site  # the variant's front page, /zh-Hans
    for rel in sorted(f for f in feeds if f.endswith("atom.xml")):
        data = (cfg.paths.feeds / rel).read_bytes()
        assert_valid_atom(data)
        if rel.startswith("zh-Hans/"):
            links = [link.get("href") for link in etree.fromstring(data).iter(f"{ATOM}link")]
            feed_links = [h for h in links if "/feeds/" in h]
            assert feed_links and all(h.startswith(f"{cfg.base_url}/feeds/zh-Hans/") for h in feed_links)
    for rel in sorted(f for f in feeds if f.endswith("feed.json")):
        assert_valid_json_feed((cfg.paths.feeds / rel).read_bytes())
    topic = json.loads(published(cfg, "feeds/zh-Hans/source/" + next(
        f.split("/")[1] for f in originals if f.startswith("source/測試日報-")) + "/feed.json"))
    assert topic["title"] == "武进新闻 · 来源：测试日报"


def test_pages_switch_script_and_every_link_is_served(tmp_path: Path) -> None:
    from seedfeed.web import create_app

    cfg = variant_site(tmp_path)
    write_seed(cfg.paths.seeds, "t.txt", "標籤與分類測試", "正文。")
    build(cfg)
    client = create_app(cfg).test_client()
    front = client.get("/zh-Hans")
    assert front.status_code == 200
    html = front.data.decode()
    assert '<html lang="zh-Hans">' in html and "武进新闻" in html and "首页" in html
    links = set(re.findall(r'href="(http://127\.0\.0\.1:8000[^"]*)"', html))
    articles = {u: client.get(u.removeprefix(cfg.base_url)).data.decode()
                for u in sorted(links) if "/zh-Hans/articles/" in u}
    assert len(articles) == 2
    article, page = next((u, p) for u, p in articles.items() if "理论直播间" in p)
    links |= set(re.findall(r'href="(http://127\.0\.0\.1:8000[^"#]*)', page))
    assert "创新" in page and "創新" not in re.sub(r"<[^>]+>", "", page)
    switch = re.search(r'<nav class="scripts"[^>]*>(.*?)</nav>', page)
    assert switch is not None
    back = re.search(r'href="([^"]+)" lang="zh-Hant"', switch.group(1))
    assert back is not None and back.group(1) == article.replace("/zh-Hans/", "/")
    assert f'hreflang="zh-Hant" href="{back.group(1)}"' in page
    original = client.get(back.group(1).removeprefix(cfg.base_url)).data.decode()
    assert f'href="{article}" lang="zh-Hans"' in original
    for url in sorted(links):
        path = url.removeprefix(cfg.base_url) or "/"
        assert client.get(path).status_code == 200, path


def test_opml_and_sitemaps_list_the_variant(tmp_path: Path) -> None:
    cfg = variant_site(tmp_path)
    build(cfg)
    opml = etree.fromstring(published(cfg, "feeds/feeds.opml"))
    urls = [o.get("xmlUrl") for o in opml.iter("outline") if o.get("xmlUrl")]
    assert f"{cfg.base_url}/feeds/zh-Hans/atom.xml" in urls and f"{cfg.base_url}/feeds/atom.xml" in urls
    own = etree.fromstring(published(cfg, "feeds/zh-Hans/feeds.opml"))
    mine = [o.get("xmlUrl") for o in own.iter("outline") if o.get("xmlUrl")]
    assert mine and all("/feeds/zh-Hans/" in u for u in mine)
    assert any(o.get("text") == "来源" for o in own.iter("outline"))
    index = published(cfg, "site/sitemap.xml").decode()
    assert f"{cfg.base_url}/zh-Hans/sitemaps/0.xml" in index and f"{cfg.base_url}/sitemaps/0.xml" in index
    assert "/zh-Hans/articles/" in published(cfg, "site/zh-Hans/sitemaps/0.xml").decode()


def test_a_new_and_a_deleted_seed_reach_the_variant(tmp_path: Path) -> None:
    cfg = variant_site(tmp_path)
    build(cfg)
    seed = write_seed(cfg.paths.seeds, "new.txt", "國際新聞報導", "正文。")
    build(cfg, force=False)
    titles = [i["title"] for i in json.loads(published(cfg, "feeds/zh-Hans/feed.json"))["items"]]
    assert "国际新闻报导" in titles
    pages = sorted((cfg.paths.site / "zh-Hans" / "articles").glob("*.html"))
    assert len(pages) == 2
    seed.unlink()
    build(cfg, force=False)
    titles = [i["title"] for i in json.loads(published(cfg, "feeds/zh-Hans/feed.json"))["items"]]
    assert "国际新闻报导" not in titles
    assert len(list((cfg.paths.site / "zh-Hans" / "articles").glob("*.html"))) == 1
    deleted = etree.fromstring(published(cfg, "feeds/zh-Hans/atom.xml")).findall(
        "{http://purl.org/atompub/tombstones/1.0}deleted-entry")
    assert len(deleted) == 1
    original = etree.fromstring(published(cfg, "feeds/atom.xml")).findall(
        "{http://purl.org/atompub/tombstones/1.0}deleted-entry")
    assert deleted[0].get("ref") != original[0].get("ref")


def test_no_variant_no_change(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    shutil.copy(CORPUS / SAMPLE, cfg.paths.seeds / SAMPLE)
    build(cfg)
    assert not (cfg.paths.feeds / "zh-Hans").exists() and not (cfg.paths.site / "zh-Hans.html").exists()
    assert 'class="scripts"' not in (cfg.paths.site / "index.html").read_text("utf-8")


@pytest.mark.parametrize(("site", "message"), [
    ({"variants": ["zh-Hant"]}, "site's own script"),
    ({"variants": ["zh-Hans", "zh-Hans"]}, "listed twice"),
    ({"variants": ["zh-CN"]}, "unknown variant 'zh-CN'"),
    ({"variants": ["zh-Hans"], "language": "en"}, "need a Chinese site language"),
    ({"variants": "zh-Hans"}, "must be a list of strings"),
])
def test_a_wrong_variant_is_a_config_error(tmp_path: Path, site: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)) as err:
        make_config(tmp_path, site=site)
    assert err.value.key == "site.variants"


def test_a_simplified_site_gets_a_taiwan_variant(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, site={"language": "zh-Hans", "title": "软件新闻",
                                      "variants": ["zh-Hant-TW"]})
    write_seed(cfg.paths.seeds, "s.txt", "软件与网络新闻", "新的软件和网络服务。",
               meta="时间:2024-05-01 08:00:00  来源:测试日报")
    build(cfg)
    doc = assert_valid_json_feed(published(cfg, "feeds/zh-Hant-TW/feed.json"))
    assert doc["language"] == "zh-Hant-TW"
    assert doc["items"][0]["title"] == "軟體與網路新聞"  # Taiwan vocabulary, not only characters
    assert doc["title"] == "軟體新聞"


@pytest.mark.slow
def test_real_readers_subscribe_to_the_variant_of_a_running_server(tmp_path: Path) -> None:
    from reader import make_reader

    from .test_serve_e2e import Server, newsboat_items, wait_for

    srv = Server(tmp_path / "srv", extra={"site": {"variants": ["zh-Hans"]}})
    try:
        wait_for(lambda: srv.get("/healthz").status_code == 200, 20, "server healthy")
        shutil.copy(CORPUS / SAMPLE, srv.seeds / SAMPLE)
        wait_for(lambda: "创新" in srv.get("/feeds/zh-Hans/feed.json").text, 10,
                 "the sample in the variant")
        for name, media in (("atom.xml", "application/atom+xml"), ("rss.xml", "application/rss+xml"),
                            ("feed.json", "application/feed+json")):
            first = srv.get(f"/feeds/zh-Hans/{name}", **{"Accept-Encoding": "gzip"})
            assert first.headers["Content-Type"] == f"{media}; charset=utf-8"
            assert first.headers["Content-Encoding"] == "gzip"
            again = srv.get(f"/feeds/zh-Hans/{name}", **{"If-None-Match": first.headers["ETag"],
                                                          "Accept-Encoding": "gzip"})
            assert again.status_code == 304
        rd = make_reader(str(tmp_path / "reader.sqlite"))
        url = f"{srv.url}/feeds/zh-Hans/feed.json"
        rd.add_feed(url)
        rd.update_feeds()
        [entry] = list(rd.get_entries(feed=url))
        assert entry.title.startswith("“新思想 听吾说”理论直播间——让党的创新理论")
        assert entry.authors_str == "阳湖网"
        rd.close()
        home = tmp_path / "nb"
        home.mkdir()
        [(variant_guid, title, author)] = newsboat_items(home, f"{srv.url}/feeds/zh-Hans/atom.xml")
        assert "创新" in title and author == "阳湖网"
        [(original_guid, original_title, _)] = newsboat_items(home, f"{srv.url}/feeds/atom.xml")
        assert "創新" in original_title and original_guid != variant_guid
    finally:
        srv.stop()


def test_the_variant_carries_the_lead_image_and_the_site_rights(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, site={"variants": ["zh-Hans"], "rights": "版權所有 武進新聞"})
    (cfg.paths.seeds / "pic.md").write_text(
        "---\ntitle: 圖片新聞\ndate: 2024-05-01T08:00:00+08:00\n"
        "image: https://img.example.org/photos/a.jpg\n---\n\n正文一段。\n", encoding="utf-8")
    build(cfg)
    atom = published(cfg, "feeds/zh-Hans/atom.xml")
    assert_valid_atom(atom)
    root = etree.fromstring(atom)
    [link] = [x for x in root.iter(f"{ATOM}link") if x.get("rel") == "enclosure"]
    assert (link.get("href"), link.get("type")) == ("https://img.example.org/photos/a.jpg", "image/jpeg")
    assert root.findtext(f"{ATOM}rights") == "版权所有 武进新闻"
    rss = parse_xml_feed(published(cfg, "feeds/zh-Hans/rss.xml"))
    assert rss.entries[0].enclosures[0].href == "https://img.example.org/photos/a.jpg"
    assert rss.entries[0].title == "图片新闻"
    doc = assert_valid_json_feed(published(cfg, "feeds/zh-Hans/feed.json"))
    assert doc["items"][0]["image"] == "https://img.example.org/photos/a.jpg"
