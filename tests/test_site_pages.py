"""The human site as files: what every page links (stylesheet, icon, feed preview pages),
what it must not carry (scripts, inline styles), the article page's metadata and labels in
its own script, dates with their zone, and the documents one change re-renders."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from seedfeed.config import Config
from seedfeed.pipeline import build

from .conftest import make_config, write_seed


@pytest.fixture
def site(tmp_path: Path) -> Config:
    cfg = make_config(tmp_path, feeds={"max_entries": 3, "archive_entries": 3})
    for i in range(5):
        write_seed(cfg.paths.seeds, f"t{i}.txt", f"第{i}號新聞的標題文字", f"第{i}號新聞的正文內容。",
                   meta=f"時間:2024-05-0{i + 1} 09:30:00  來源:測試日報  作者:記者 林小文")
    build(cfg)
    return cfg


def pages(cfg: Config) -> list[Path]:
    return sorted(cfg.paths.site.rglob("*.html"))


def linked(html: str, rel: str) -> str:
    m = re.search(rf'<link rel="{rel}"[^>]* href="([^"]+)"', html)
    assert m, f"no rel={rel} link"
    return m.group(1)


def test_pages_carry_no_script_and_no_inline_style(site: Config) -> None:
    """The site's Content-Security-Policy allows no script and no inline style."""
    assert len(pages(site)) > 8
    for page in pages(site):
        html = page.read_text("utf-8")
        assert not re.search(r"<script|<style|\sstyle=|\son[a-z]+=", html, re.I), page


def test_stylesheet_and_icon_are_published_files_named_by_their_digest(site: Config) -> None:
    import hashlib

    index = (site.paths.site / "index.html").read_text("utf-8")
    for rel in ("stylesheet", "icon"):
        url = linked(index, rel)
        assert url.startswith(site.base_url + "/assets/")
        path = site.paths.site / url.removeprefix(site.base_url + "/")
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest()[:12] in path.name
        for page in pages(site):
            assert linked(page.read_text("utf-8"), rel) == url, page
    css = (site.paths.site / linked(index, "stylesheet").removeprefix(site.base_url + "/")).read_text()
    assert "font-family" in css


def test_served_stylesheet_and_icon_have_their_types(site: Config) -> None:
    from seedfeed.web import create_app

    client = create_app(site).test_client()
    index = client.get("/").data.decode()
    css = client.get(linked(index, "stylesheet").removeprefix(site.base_url))
    icon = client.get(linked(index, "icon").removeprefix(site.base_url))
    assert css.status_code == icon.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")
    assert icon.headers["Content-Type"] == "image/svg+xml"


SIMPLIFIED = """---
title: 常州地铁新线路开通运营 市民乘车更方便
date: 2024-05-06 10:15
source: 常州轨道交通
author: 冯涛、钱程
tags: [地铁, 交通]
---

5月6日上午，常州地铁新线路正式开通运营，这条线路连接了城市的东西两端。

开通当天，许多市民专门前来体验，车站里秩序井然，工作人员热情引导乘客。
"""
DATE_ONLY = """---
title: 圖書館延長開放時間的通知
date: 2024-05-07
source: 測試日報
---

市圖書館自本週起延長開放時間，讀者可以在晚間借閱圖書。
"""


@pytest.fixture
def mixed(site: Config) -> Config:
    """The site plus a Simplified article with tags and a date-only Traditional one."""
    (site.paths.seeds / "s.md").write_text(SIMPLIFIED, "utf-8")
    (site.paths.seeds / "d.md").write_text(DATE_ONLY, "utf-8")
    build(site)
    return site


def article_page(cfg: Config, title: str) -> str:
    found = [p.read_text("utf-8") for p in (cfg.paths.site / "articles").glob("*.html")
             if f"<h1>{title}</h1>" in p.read_text("utf-8")]
    assert len(found) == 1, title
    return found[0]


def meta(html: str, prop: str) -> list[str]:
    return re.findall(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)


def visible_text(html: str) -> str:
    html = re.sub(r"<head>.*?</head>", " ", html, flags=re.S)
    html = re.sub(r'<input[^>]*>', " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def test_a_simplified_article_page_speaks_simplified(mixed: Config) -> None:
    html = article_page(mixed, "常州地铁新线路开通运营 市民乘车更方便")
    assert '<html lang="zh-Hans">' in html
    text = visible_text(html)
    for label in ("来源", "发布", "返回首页", "订阅", "标签", "首页", "分类"):
        assert label in text, label
    for label in ("來源", "發布", "返回首頁", "訂閱", "標籤", "首頁", "分類"):
        assert label not in text, label
    # the site's own name keeps the site's language
    assert f'lang="zh-Hant">{mixed.site.title}</a>' in html
    trad = article_page(mixed, "第1號新聞的標題文字")
    assert '<html lang="zh-Hant">' in trad and "來源" in visible_text(trad)


def test_article_page_metadata_links_and_zone(mixed: Config) -> None:
    html = article_page(mixed, "常州地铁新线路开通运营 市民乘车更方便")
    [canonical] = re.findall(r'<link rel="canonical" href="([^"]+)">', html)
    assert canonical.startswith(mixed.base_url + "/articles/")
    assert meta(html, "og:url") == [canonical] and meta(html, "og:type") == ["article"]
    assert meta(html, "og:title") == ["常州地铁新线路开通运营 市民乘车更方便"]
    assert meta(html, "og:locale") == ["zh_CN"] and meta(html, "twitter:card") == ["summary"]
    assert meta(html, "article:published_time") == ["2024-05-06T10:15:00+08:00"]
    assert meta(html, "article:tag") == ["地铁", "交通"]
    assert "2024-05-06 10:15（UTC+8）" in visible_text(html)
    assert '<time datetime="2024-05-06T10:15:00+08:00">' in html
    # source, both authors and both tags link to their topic pages, which exist
    links = re.findall(r'<a href="([^"]+)"(?: rel="tag")?>(常州轨道交通|冯涛|钱程|地铁|交通)</a>', html)
    assert {name for _, name in links} == {"常州轨道交通", "冯涛", "钱程", "地铁", "交通"}
    for url, _ in links:
        assert (mixed.paths.site / (unquote(url.removeprefix(mixed.base_url + "/")) + ".html")).exists()
    assert f'<a href="{mixed.base_url}/">← 返回首页</a>' in html


def test_a_date_only_article_shows_no_invented_time(mixed: Config) -> None:
    html = article_page(mixed, "圖書館延長開放時間的通知")
    assert meta(html, "article:published_time") == ["2024-05-07"]
    assert '<time datetime="2024-05-07">2024-05-07</time>' in html
    assert "00:00" not in html
    index = (mixed.paths.site / "index.html").read_text("utf-8")
    assert '<time datetime="2024-05-07">2024-05-07</time>' in index
    # the feeds still carry a full date-time with its zone
    assert "<published>2024-05-07T00:00:00+08:00</published>" in (
        mixed.paths.feeds / "atom.xml").read_text("utf-8")


def test_older_and_newer_links_walk_every_article(mixed: Config) -> None:
    pages_ = {p.stem: p.read_text("utf-8") for p in (mixed.paths.site / "articles").glob("*.html")}
    assert len(pages_) == 7

    def follow(rel: str) -> dict[str, str]:
        out = {}
        for stem, html in pages_.items():
            m = re.search(rf'rel="{rel}" href="[^"]*/articles/([^"]+)"', html)
            if m:
                out[stem] = m.group(1)
        return out

    older, newer = follow("prev"), follow("next")
    assert len(older) == len(newer) == 6
    assert {v: k for k, v in older.items()} == newer  # each link has its way back
    [newest] = set(pages_) - set(newer)
    seen, at = [newest], newest
    while at in older:
        at = older[at]
        seen.append(at)
    assert sorted(seen) == sorted(pages_)


def test_a_new_article_rewrites_the_newer_link_of_the_one_before(site: Config) -> None:
    report = build(site)
    newest = article_page(site, "第4號新聞的標題文字")
    assert 'rel="next"' not in newest
    write_seed(site.paths.seeds, "t9.txt", "第9號新聞的標題文字", "第9號新聞的正文內容。",
               meta="時間:2024-05-09 09:30:00  來源:測試日報")
    build(site, force=False, last=report)
    now_second = article_page(site, "第4號新聞的標題文字")
    assert re.search(r'rel="next" href="[^"]*/articles/', now_second)
    assert 'rel="prev"' in article_page(site, "第9號新聞的標題文字")


def test_each_subscribe_link_leads_to_a_preview_page_and_feeds_stay_feeds(mixed: Config) -> None:
    base = mixed.base_url
    previews = 0
    for page in pages(mixed):
        html = page.read_text("utf-8")
        for url in re.findall(r'<link rel="alternate" type="[^"]+" title="[^"]*" href="([^"]+)">', html):
            assert re.fullmatch(re.escape(base) + r"/feeds/(?:[^/]+/[^/]+/)?(atom\.xml|rss\.xml|feed\.json)",
                                url), url
        for url in re.findall(r'<a class="button" href="([^"]+)">(?:Atom|RSS|JSON Feed)</a>', html):
            path, _, anchor = url.removeprefix(base + "/").partition("#")
            preview = (mixed.paths.site / (unquote(path) + ".html")).read_text("utf-8")
            assert path.startswith("subscribe") and f'id="{anchor}"' in preview, url
            previews += 1
    assert previews >= 3 * 8
    main = (mixed.paths.site / "subscribe.html").read_text("utf-8")
    addresses = re.findall(r'<input id="(\w+)-address" class="address" type="url" readonly value="([^"]+)">',
                           main)
    assert addresses == [("atom", f"{base}/feeds/atom.xml"), ("rss", f"{base}/feeds/rss.xml"),
                         ("json", f"{base}/feeds/feed.json")]
    assert "什麼是訂閱源" in main and "Feedly" in main and "第4號新聞的標題文字" in main
    topic = next((mixed.paths.site / "subscribe" / "tag").glob("*.html")).read_text("utf-8")
    assert re.search(rf'value="{re.escape(base)}/feeds/tag/[^"]+/rss\.xml"', topic)


def test_no_english_left_on_any_page(mixed: Config) -> None:
    names = r"Feedly|Inoreader|NetNewsWire|Thunderbird|Reeder|newsboat|Atom|RSS|JSON|Feed|OPML|UTC|feed"
    for page in pages(mixed):
        text = re.sub(names, " ", visible_text(page.read_text("utf-8")))
        assert not re.findall(r"[A-Za-z]{2,}", text), (page, re.findall(r"[A-Za-z]{2,}", text))


def test_the_404_page_is_published_in_the_site_language(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, site={"language": "zh-Hans"})
    write_seed(cfg.paths.seeds, "a.txt", "第一號新聞的標題文字", "正文內容。")
    build(cfg)
    html = (cfg.paths.site / "404.html").read_text("utf-8")
    assert '<html lang="zh-Hans">' in html and "找不到这个页面" in html
    index = (cfg.paths.site / "index.html").read_text("utf-8")
    assert "订阅" in visible_text(index) and "訂閱" not in visible_text(index)
