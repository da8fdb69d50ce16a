"""The site in a real browser: Debian's headless Chromium (driven by playwright) against a
running `seedfeed serve` with the shipped sample and the public corpus. Clicking through,
subscribing, the script of a Simplified article, axe-core's accessibility rules, a 360 px
phone, and the README's screenshots (docs/screenshots/, written by this run)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import feedparser
import pytest

from .conftest import CORPUS, ROOT
from .test_serve_e2e import Server, wait_for

pytestmark = pytest.mark.slow

SAMPLE_TITLE = ("“新思想 聽吾說”理論直播間——讓黨的創新理論飛入尋常百姓家 第五期 新產業 新科技 "
                "新平臺 共同譜寫中國式現代化常州答卷")
AXE_VERSION = "4.14.1"
SHOTS = ROOT / "docs" / "screenshots"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("browser")
    srv = Server(root, title="武進新聞")
    try:
        for path in [*(ROOT / "seeds").iterdir(), *CORPUS.iterdir()]:
            if path.is_file() and path.name not in ("README.md", "expected.json", ".gitkeep"):
                shutil.copy2(path, srv.seeds / path.name)  # mtimes kept: undated seeds keep their day
        wait_for(lambda: SAMPLE_TITLE in srv.get("/").text and srv.get("/subscribe").ok, 60,
                 "the sample and the corpus published")
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def axe_js(request: pytest.FixtureRequest) -> Path:
    """axe-core from npm, installed once into pytest's cache folder."""
    folder = Path(request.config.cache.mkdir("axe-core"))  # type: ignore[union-attr]
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        assert npm, "npm is needed to install axe-core for the accessibility test"
        subprocess.run([npm, "install", "--prefix", str(folder), "--no-save", "--no-audit",
                        "--no-fund", f"axe-core@{AXE_VERSION}"], check=True, capture_output=True,
                       timeout=300)
    return script


def new_page(browser: Any, size: str = "desktop", **options: Any) -> Any:
    width, height = SIZES.get(size, (360, 740))
    return browser.new_context(viewport={"width": width, "height": height}, **options).new_page()


def test_the_index_lists_the_sample_and_clicking_through_comes_back(site: Server, browser: Any) -> None:
    page = new_page(browser, java_script_enabled=False)  # the site needs no script
    page.goto(site.url + "/")
    link = page.get_by_role("link", name=SAMPLE_TITLE)
    link.click()
    page.wait_for_url(site.url + "/articles/*")
    assert page.locator("h1").inner_text() == SAMPLE_TITLE
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    assert "來源" in page.locator("article header").inner_text()
    page.get_by_role("link", name="← 返回首頁").click()
    page.wait_for_url(site.url + "/")
    assert page.get_by_role("link", name=SAMPLE_TITLE).is_visible()
    page.get_by_role("link", name=SAMPLE_TITLE).click()
    page.go_back()
    assert page.url == site.url + "/"
    page.context.close()


def _feed_checks(site: Server, url: str, body: bytes) -> None:
    """What a feed reader gets at `url` is the published file, whatever the client sends."""
    rel = url.removeprefix(site.url + "/feeds/")
    published = (site.root / "feeds" / unquote(rel)).read_bytes()
    assert body == published
    for accept in ("text/html,application/xhtml+xml,*/*;q=0.8", "application/atom+xml",
                   "application/rss+xml, application/xml;q=0.9", "*/*"):
        assert site.get("/feeds/" + rel, Accept=accept).content == published
    if rel.endswith(".json"):
        assert json.loads(body)["items"]
    else:
        parsed = feedparser.parse(body)
        assert not parsed.bozo and parsed.entries


def test_each_subscribe_link_leads_to_a_readable_preview_page(site: Server, browser: Any) -> None:
    page = new_page(browser, java_script_enabled=False)
    for name, anchor in (("Atom", "atom"), ("RSS", "rss"), ("JSON Feed", "json")):
        page.goto(site.url + "/")
        block = page.locator("aside.subscribe")
        block.get_by_role("link", name=name, exact=True).click()
        page.wait_for_url(f"{site.url}/subscribe#{anchor}")
        assert page.locator("h1").inner_text() == "訂閱「武進新聞」"
        section = page.locator(f"section#{anchor}")
        assert section.evaluate("s => s.matches(':target')")
        address = section.get_by_label("訂閱網址")
        url = address.input_value()
        assert address.get_attribute("readonly") is not None
        assert url == site.url + "/feeds/" + {"atom": "atom.xml", "rss": "rss.xml",
                                              "json": "feed.json"}[anchor]
        assert page.get_by_role("heading", name="最新文章").is_visible()
        assert page.locator("ol.entries li").count() == 10
        _feed_checks(site, url, site.get(url.removeprefix(site.url)).content)
        # the autodiscovery links still name the real feeds
        alternates = page.locator('link[rel="alternate"]').evaluate_all("ls => ls.map(l => l.href)")
        assert url in alternates
    page.context.close()


def test_a_topic_subscribe_link_leads_to_the_topic_preview(site: Server, browser: Any) -> None:
    page = new_page(browser, java_script_enabled=False)
    page.goto(site.url + "/topics")
    page.locator("section.topics a.feed").first.click()
    page.wait_for_url(site.url + "/subscribe/**")
    url = page.locator("#atom-address").input_value()
    assert "/feeds/" in url and url.endswith("/atom.xml") and url.count("/") > 5
    _feed_checks(site, url, site.get(url.removeprefix(site.url)).content)
    page.context.close()


def simplified_article(site: Server, browser: Any) -> str:
    page = new_page(browser)
    page.goto(site.url + "/")
    href = page.locator('ol.entries li[lang="zh-Hans"] h2 a').first.get_attribute("href")
    page.context.close()
    assert href
    return href


def test_a_simplified_article_page_is_zh_hans_with_simplified_labels(site: Server, browser: Any) -> None:
    page = new_page(browser)
    page.goto(simplified_article(site, browser))
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    header = page.locator("article header").inner_text()
    assert "发布" in header and "發布" not in header
    assert page.get_by_role("link", name="← 返回首页").is_visible()
    nav = page.get_by_role("navigation", name="网站导览").inner_text()
    assert "首页" in nav and "订阅" in nav
    assert page.locator("aside.subscribe h2").inner_text().startswith("订阅")
    page.context.close()


def pages_to_check(site: Server, browser: Any) -> dict[str, str]:
    topic = re.search(r'<a href="([^"]+/topics/tag/[^"]+)">', site.get("/topics").text)
    assert topic
    return {"index": site.url + "/", "article": simplified_article(site, browser),
            "subscribe": site.url + "/subscribe", "topics": site.url + "/topics",
            "topic": topic.group(1), "not-found": site.url + "/404",
            "status": site.url + "/status.html"}


def test_axe_finds_no_serious_or_critical_violations(site: Server, browser: Any, axe_js: Path) -> None:
    found: dict[str, list[str]] = {}
    for name, url in pages_to_check(site, browser).items():
        for size in SIZES:
            # the site's CSP forbids scripts, axe's too: the test context lifts it
            page = new_page(browser, size, bypass_csp=True)
            response = page.goto(url)
            assert response is not None and response.ok, url
            page.add_script_tag(path=str(axe_js))
            result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
            bad = [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
                   for v in result["violations"] if v["impact"] in ("serious", "critical")]
            if bad:
                found[f"{name} {size}"] = bad
            page.context.close()
    assert not found, found


def test_pages_fit_a_360_px_phone(site: Server, browser: Any) -> None:
    for name, url in pages_to_check(site, browser).items():
        page = new_page(browser, "small")
        page.goto(url)
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= 360, (name, width)
        page.context.close()


def test_screenshots_for_the_readme(site: Server, browser: Any) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    targets = {"index": site.url + "/", "article": site.url + "/articles/" + _sample_slug(site),
               "subscribe": site.url + "/subscribe", "status": site.url + "/status.html"}
    for name, url in targets.items():
        for size in SIZES:
            page = new_page(browser, size)
            page.goto(url)
            path = SHOTS / f"{name}-{size}.png"
            page.screenshot(path=str(path))
            assert path.stat().st_size > 10_000
            page.context.close()


def _sample_slug(site: Server) -> str:
    items = json.loads(site.get("/feeds/feed.json").content)["items"]
    [url] = [i["url"] for i in items if i["title"] == SAMPLE_TITLE]
    return str(url).rsplit("/", 1)[1]
