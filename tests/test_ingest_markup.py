"""Markdown and HTML seed parsers on small hand-written pages (not the shared corpus).

Each test states one behaviour: front matter variants, date zones, title and site-suffix
handling, meta lines, page furniture, hostile markup and the reasons given for rejects.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from seedfeed.errors import SeedError
from seedfeed.ingest.htmlpage import parse_html
from seedfeed.ingest.markdown import parse_markdown
from seedfeed.ingest.sanitize import html_paragraphs, sanitise_html

ZONE = ZoneInfo("Asia/Shanghai")
HOSTILE = ("<script", "alert(", "onerror", "onclick", "onload", "onmouseover", "javascript:",
           "vbscript:", "<iframe", "<object", "<embed", "<svg", "<style", "evil.example",
           "display:none", "hidden words", "<form")


def md(front: str, body: str = "正文第一段。", fence: str = "---") -> str:
    return f"{fence}\n{front.strip()}\n{fence}\n\n{body}\n"


def page(body: str, head: str = "<title>Harbour ferry timetable changes</title>",
         lang: str = "en") -> str:
    return f"<!DOCTYPE html><html lang='{lang}'><head>{head}</head><body>{body}</body></html>"


def assert_clean(art) -> None:
    text = art.title + "\n".join(art.paragraphs) + art.content_html
    for bad in HOSTILE:
        assert bad not in text.lower(), bad


# --- Markdown: front matter ----------------------------------------------------------------

def test_yaml_front_matter_fields() -> None:
    art = parse_markdown(md("""
title: '运河夜游航线5月开通'
date: 2025-04-30T08:15:00+08:00
author: 本报记者 周航
source: 运河文旅
id: canal-0430
tags: [夜游, 运河]
categories: [文旅]
summary: 夜游航线开通的摘要。
canonical: https://canal.example.net/2025/0430/night.html
lang: zh-CN
""", "航线全长6公里，共设4个停靠点。"), ZONE)
    assert art.title == "运河夜游航线5月开通"
    assert art.published == datetime(2025, 4, 30, 8, 15, tzinfo=ZONE)
    assert (art.author, art.source, art.declared_id) == ("周航", "运河文旅", "canal-0430")
    assert art.tags == ("夜游", "运河")  # categories are sections, not tags
    assert art.summary == "夜游航线开通的摘要。"
    assert art.url == "https://canal.example.net/2025/0430/night.html"
    assert art.language == "zh-CN"
    assert art.paragraphs == ("航线全长6公里，共设4个停靠点。",)
    assert "摘要" not in art.content_text and "title" not in art.content_html


@pytest.mark.parametrize(("raw", "want"), [
    ("2025-04-30 20:00:00", datetime(2025, 4, 30, 20, 0, tzinfo=ZONE)),  # no offset = zone
    ("2025-04-30T12:00:00Z", datetime(2025, 4, 30, 20, 0, tzinfo=ZONE)),
    ("2025-04-30T07:00:00-05:00", datetime(2025, 4, 30, 20, 0, tzinfo=ZONE)),
    ("'2025/4/30'", datetime(2025, 4, 30, 0, 0, tzinfo=ZONE)),  # date only = midnight
])
def test_yaml_dates_end_in_the_zone(raw: str, want: datetime) -> None:
    art = parse_markdown(md(f"title: t\ndate: {raw}"), ZONE)
    assert art.published == want
    assert art.published.utcoffset() == timedelta(hours=8)


def test_toml_front_matter_with_local_datetime_and_updated() -> None:
    art = parse_markdown(md("""
title = "Ferry route extended to the island"
date = 2025-03-01T09:30:00
lastmod = 2025-03-02T10:00:00+00:00
authors = ["Mia Chen", "Tom Ode"]
tags = "ferry, islands"
draft = false
""", "The new route runs twice a day.", fence="+++"), ZONE)
    assert art.title == "Ferry route extended to the island"
    assert art.published == datetime(2025, 3, 1, 9, 30, tzinfo=ZONE)
    assert art.updated == datetime(2025, 3, 2, 18, 0, tzinfo=ZONE)
    assert art.author == "Mia Chen、Tom Ode"
    assert art.tags == ("ferry", "islands")
    assert "draft" not in art.content_text


def test_yaml_scalars_stay_text() -> None:
    """YAML 1.1 would read 0815 as octal and `no` as False."""
    art = parse_markdown(md("title: no\nid: 0815\nsource: 2024"), ZONE)
    assert (art.title, art.declared_id, art.source) == ("no", "0815", "2024")


def test_impossible_date_is_dropped_with_a_warning() -> None:
    art = parse_markdown(md("title: t\ndate: 2025-02-29 10:00"), ZONE)
    assert art.published is None
    assert any("2025-02-29" in w for w in art.warnings)


# --- Markdown: body ------------------------------------------------------------------------

def test_leading_h1_repeating_the_title_is_dropped() -> None:
    art = parse_markdown(md("title: 老城厢改造启动", "# 老城厢 改造启动\n\n改造涉及居民320户。"), ZONE)
    assert art.paragraphs == ("改造涉及居民320户。",)
    assert "<h1>" not in art.content_html


def test_a_different_h1_is_kept_and_a_lone_h1_becomes_the_title() -> None:
    kept = parse_markdown(md("title: 夏令营报名", "# 报名须知\n\n请携带身份证。"), ZONE)
    assert kept.paragraphs == ("报名须知", "请携带身份证。")
    titled = parse_markdown("# Bridge works finish early\n\nTraffic resumes today.\n", ZONE)
    assert titled.title == "Bridge works finish early"
    assert titled.paragraphs == ("Traffic resumes today.",)


def test_paragraphs_are_plain_blocks() -> None:
    body = ("Intro with **bold** and [a link](https://x.example.org/).\n\n## Steps\n\n"
            "1. first *step*\n2. second step\n\n> quoted\n\nFish &amp; chips, `a<b`.")
    art = parse_markdown(md("title: t", body), ZONE)
    assert art.paragraphs == ("Intro with bold and a link.", "Steps", "first step",
                              "second step", "quoted", "Fish & chips, a<b.")
    assert "<strong>bold</strong>" in art.content_html


def test_cjk_soft_line_break_adds_no_space() -> None:
    art = parse_markdown(md("title: t", "第一行文字\n第二行文字"), ZONE)
    assert art.paragraphs == ("第一行文字第二行文字",)


def test_hostile_markdown_never_reaches_the_output() -> None:
    body = ("Safe text <script>alert(1)</script><img src=x onerror=alert(2)>\n\n"
            "[click](javascript:alert(3)) <a href=' JavaScript:alert(4)' onmouseover=alert(5)>"
            "hover</a> [v](vbscript:msgbox)\n\n"
            "<iframe src='https://evil.example/'></iframe>\n\n"
            "<div style='display:none'>hidden words</div>\n\n<style>p{}</style>\n\nEnd.")
    art = parse_markdown(md("title: t", body), ZONE)
    assert_clean(art)
    assert art.paragraphs[0].startswith("Safe text")
    assert "click" in art.paragraphs[1] and art.paragraphs[-1] == "End."


def test_markdown_relative_links_use_the_declared_url() -> None:
    art = parse_markdown(md("title: t\nurl: https://news.example.org/a/b/story.html",
                            "See [map](../map.html) ![p](img/p.jpg)"), ZONE)
    assert 'href="https://news.example.org/a/map.html"' in art.content_html
    assert 'src="https://news.example.org/a/b/img/p.jpg"' in art.content_html
    no_base = parse_markdown(md("title: t", "See [map](../map.html)"), ZONE)
    # no base: a relative link would go nowhere in a reader (ContainsRelRef); its text stays
    assert no_base.content_html == "<p>See map</p>"


# --- Markdown: rejects ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "words"), [
    ("---\ntitle: t\nsummary: [open\n---\nbody\n", ["YAML", "line 3"]),
    ("---\ntitle: a: b\n---\nbody\n", ["YAML", "line 2"]),
    ("+++\ntitle = \"t\"\ndate = 2025-13-01\n+++\nbody\n", ["TOML", "line 3"]),
    ("---\ntitle: t\nbody never closed\n", ["never closed"]),
    ("---\n- a\n- b\n---\nbody\n", ["key: value"]),
    ("---\ndate: 2025-01-01\n---\nBody without a heading.\n", ["no title"]),
    ("---\ntitle: 只有标题\n---\n\n![](x.png)\n", ["no body"]),
])
def test_markdown_rejects_say_why(text: str, words: list[str]) -> None:
    with pytest.raises(SeedError) as info:
        parse_markdown(text, ZONE)
    for word in words:
        assert word in info.value.reason


# --- HTML: title ---------------------------------------------------------------------------

@pytest.mark.parametrize("head", [
    ("<title>Harbour ferry timetable changes | Bay Courier</title>"
     "<meta property='og:site_name' content='Bay Courier'>"),
    "<title>x</title><meta property='og:title' content='Harbour ferry timetable changes'>",
    ("<title>Harbour ferry timetable changes - Bay Courier</title>"
     "<meta property='og:title' content='Harbour ferry timetable changes - Bay Courier'>"),
    "<title>Harbour ferry timetable changes_Local_Bay Courier</title>",
    "<title>Bay Courier - Harbour ferry timetable changes</title>",
])
def test_title_loses_the_site_name(head: str) -> None:
    art = parse_html(page("<p>Ferries leave every 20 minutes from May.</p>", head), ZONE)
    assert art.title == "Harbour ferry timetable changes"


def test_logo_h1_is_not_the_title() -> None:
    body = ("<div class='top'><h1>Bay Courier</h1></div><div class='news-title'>"
            "Harbour ferry timetable changes</div><div id='text'><p>Ferries run later.</p></div>")
    art = parse_html(page(body, "<title>Harbour ferry timetable changes_Bay Courier</title>"),
                     ZONE)
    assert art.title == "Harbour ferry timetable changes"
    assert art.paragraphs == ("Ferries run later.",)


# --- HTML: metadata ------------------------------------------------------------------------

def test_head_metadata() -> None:
    head = ("<title>t</title><meta property='og:title' content='Tram line opens'>"
            "<meta property='article:published_time' content='2025-05-01T10:00:00-04:00'>"
            "<meta property='article:modified_time' content='2025-05-01T15:00:00Z'>"
            "<meta name='author' content='Ana Ruiz'><meta name='description' content='Short.'>"
            "<meta property='article:tag' content='transport'>"
            "<link rel='canonical' href='https://metro.example.com/tram'>")
    art = parse_html(page("<article><p>The tram opened.</p></article>", head, "en-US"), ZONE)
    assert art.published == datetime(2025, 5, 1, 22, 0, tzinfo=ZONE)
    assert art.updated == datetime(2025, 5, 1, 23, 0, tzinfo=ZONE)
    assert (art.author, art.summary, art.tags) == ("Ana Ruiz", "Short.", ("transport",))
    assert (art.url, art.language) == ("https://metro.example.com/tram", "en-US")


def test_json_ld_metadata() -> None:
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
            '{"@type": "NewsArticle", "headline": "Tram line opens", "datePublished": '
            '"2025-05-01T02:00:00Z", "author": [{"name": "Ana Ruiz"}, {"name": "Bo Li"}]}]}'
            '</script>')
    art = parse_html(page("<main><p>The tram opened.</p></main>", head), ZONE)
    assert art.title == "Tram line opens"
    assert art.published == datetime(2025, 5, 1, 10, 0, tzinfo=ZONE)
    assert art.author == "Ana Ruiz、Bo Li"


def test_visible_meta_lines_are_metadata_not_body() -> None:
    body = ("<div class='detail'><h2>梅园赏花季开幕</h2>"
            "<div class='attr'>发布时间：2025年3月2日 14:20 | 稿源：梅园管理处 | 作者：记者 吴桐 "
            "通讯员 郑好 | 字号：大 中 小</div>"
            "<div class='txt'><p>梅园赏花季今天开幕，共有梅花品种120余个。</p>"
            "<p>游园时间为每天8:00至17:00。</p><p>责编：林溪</p></div></div>")
    art = parse_html(page(body, "<title>梅园赏花季开幕_城市频道_某某网</title>", "zh-CN"), ZONE)
    assert art.title == "梅园赏花季开幕"
    assert art.published == datetime(2025, 3, 2, 14, 20, tzinfo=ZONE)
    assert (art.source, art.author, art.editor) == ("梅园管理处", "吴桐、郑好", "林溪")
    assert art.paragraphs == ("梅园赏花季今天开幕，共有梅花品种120余个。", "游园时间为每天8:00至17:00。")


def test_unlabelled_byline_and_timestamp() -> None:
    body = ("<table><tr><td class='title'>夜市试点延长营业</td></tr>"
            "<tr><td>2025-06-01 09:00　本报记者 钱多多 通讯员 孙悟</td></tr>"
            "<tr><td>夜市试点将延长营业至24时。<br><br>首批试点共3处。</td></tr></table>")
    art = parse_html(page(body, ""), ZONE)
    assert art.title == "夜市试点延长营业"
    assert art.published == datetime(2025, 6, 1, 9, 0, tzinfo=ZONE)
    assert art.author == "钱多多、孙悟"
    assert art.paragraphs == ("夜市试点将延长营业至24时。", "首批试点共3处。")


def test_impossible_meta_date_falls_back_to_the_visible_one() -> None:
    head = "<meta property='article:published_time' content='2025-02-30T10:00:00+08:00'>"
    body = "<article><h1>T</h1><p class='time'>2025-03-01 08:00</p><p>Body text.</p></article>"
    art = parse_html(page(body, head), ZONE)
    assert art.published == datetime(2025, 3, 1, 8, 0, tzinfo=ZONE)
    assert any("2025-02-30" in w for w in art.warnings)


def test_no_date_at_all() -> None:
    art = parse_html(page("<article><h1>T</h1><p>Body text.</p></article>"), ZONE)
    assert art.published is None


# --- HTML: body ----------------------------------------------------------------------------

def test_page_furniture_stays_out_of_the_body() -> None:
    body = ("<header><a href='/'>Bay Courier</a><nav><a href='/'>Home</a></nav></header>"
            "<div class='crumbs'>Home &gt; Local</div>"
            "<article><h1>Harbour ferry timetable changes</h1><p>First paragraph here.</p>"
            "<div class='share-bar'>Share: Facebook</div><p>Last paragraph here.</p>"
            "<h3>Related stories</h3><ul><li><a href='/a'>Old story A</a></li>"
            "<li><a href='/b'>Old story B</a></li></ul><footer>Tags: ferry</footer></article>"
            "<aside>Most read</aside><footer>© Bay Courier</footer>")
    art = parse_html(page(body), ZONE)
    assert art.paragraphs == ("First paragraph here.", "Last paragraph here.")
    for word in ("Home", "Share", "Related", "Old story", "Most read", "©", "Tags"):
        assert word not in art.content_html


def test_div_layout_without_article_element() -> None:
    body = ("<div id='menu'><p>Menu entry</p></div><div id='content'>"
            "<p>Paragraph one of the story.</p><p>Paragraph two of the story.</p></div>"
            "<div class='foot'><p>Contact</p></div>")
    art = parse_html(page(body), ZONE)
    assert art.paragraphs == ("Paragraph one of the story.", "Paragraph two of the story.")


def test_hostile_html_never_reaches_the_output() -> None:
    body = ("<article><h1>T</h1><p onclick='steal()'>Para one.<img src='a.png' onerror='x()'>"
            "</p><script>alert('in body')</script><p>Para <a href='JaVaScRiPt:alert(1)'>two</a>"
            " <a href='java&#x09;script:alert(2)'>tab</a> <a href='vbscript:x'>vb</a></p>"
            "<iframe src='https://evil.example/'></iframe><object data='evil.example'></object>"
            "<svg onload='alert(3)'><text>svg</text></svg><style>p{}</style>"
            "<form action='https://evil.example/'><input value='hidden words'></form>"
            "<p style='display: none'>hidden words</p><p hidden>hidden words</p>"
            "<p>Para three.</p></article>")
    art = parse_html(page(body, "<title>T</title><script>alert(0)</script>") .replace(
        "<body>", "<body onload='alert(4)'>"), ZONE)
    assert_clean(art)
    assert art.paragraphs == ("Para one.", "Para two tab vb", "Para three.")


def test_relative_links_become_absolute() -> None:
    head = "<title>T</title><link rel='canonical' href='https://news.example.org/local/a.html'>"
    body = ("<article><h1>T</h1><p><a href='b.html'>next</a> <a href='/c'>root</a> "
            "<a href='#top'>top</a><img data-src='/img/lazy.jpg' src='data:image/gif;base64,R0'>"
            "</p></article>")
    art = parse_html(page(body, head), ZONE)
    assert 'href="https://news.example.org/local/b.html"' in art.content_html
    assert 'href="https://news.example.org/c"' in art.content_html
    assert 'href="https://news.example.org/local/a.html#top"' in art.content_html
    assert 'src="https://news.example.org/img/lazy.jpg"' in art.content_html
    based = parse_html(page(body, "<title>T</title><base href='https://cdn.example.org/x/'>"), ZONE)
    assert 'href="https://cdn.example.org/x/b.html"' in based.content_html
    assert based.url is None  # <base> is not a canonical URL


def test_links_to_a_chinese_host_stay_reachable() -> None:
    """libxml2 percent-encodes a non-ASCII host when it writes a URL attribute, which no
    resolver knows: hosts are IDNA-encoded, the rest of the IRI percent-encoded."""
    body = ("<p>見<a href='https://新聞.例子.台灣/本地/一.html?版=二'>原文</a>"
            "<img src='//圖片.例子.台灣/相片.jpg'><a href='/下一篇'>下一篇</a>"
            "<a href='mailto:編輯@example.org'>寫信</a></p>")
    out = sanitise_html(body, "https://新聞.例子.台灣/本地/")
    host = "新聞.例子.台灣".encode("idna").decode()
    assert (f'href="https://{host}/%E6%9C%AC%E5%9C%B0/%E4%B8%80.html?%E7%89%88=%E4%BA%8C"'
            in out), out
    assert f'src="https://{"圖片".encode("idna").decode()}.' in out, out
    assert f'href="https://{host}/%E4%B8%8B%E4%B8%80%E7%AF%87"' in out, out
    assert "%E4%BE%8B" not in out.split("mailto:")[0]  # no percent-encoded host anywhere
    assert 'href="mailto:' in out  # other schemes are left as they are


def test_entities_are_decoded_once() -> None:
    art = parse_html(page("<article><h1>A &amp;amp; B</h1><p>x &lt; y &amp;lt; z</p></article>",
                          "<title>A &amp;amp; B</title>"), ZONE)
    assert art.title == "A &amp; B"
    assert art.paragraphs == ("x < y &lt; z",)


def test_declared_charset_does_not_re_decode_text() -> None:
    text = ('<?xml version="1.0" encoding="gbk"?><html><head><meta charset="big5">'
            "<title>溧阳茶叶开采</title></head><body><p>今年春茶比去年早开采一周。</p></body></html>")
    art = parse_html(text, ZONE)
    assert art.title == "溧阳茶叶开采"
    assert art.paragraphs == ("今年春茶比去年早开采一周。",)


@pytest.mark.parametrize(("text", "word"), [
    ("<html><head><title></title></head><body><p>Text without any title.</p></body></html>",
     "no title"),
    ("<html><head><title>Only a title</title></head><body><nav>Home</nav></body></html>",
     "no article text"),
    (("<html><head><title>T</title></head><body><article><h1>T</h1><script>x()</script>"
      "</article></body></html>"), "no article text"),
])
def test_html_rejects_say_why(text: str, word: str) -> None:
    with pytest.raises(SeedError) as info:
        parse_html(text, ZONE)
    assert word in info.value.reason


# --- shared helpers ------------------------------------------------------------------------

def test_sanitise_html_keeps_structure_and_drops_attributes() -> None:
    out = sanitise_html("<section><h2 class='x'>Sub</h2><p id='p1' style='color:red'>T</p>"
                        "<table><tr><td colspan='2'>c</td></tr></table></section>")
    assert out == ('<div><h2>Sub</h2><p>T</p><table><tbody><tr><td colspan="2">c</td></tr>'
                   "</tbody></table></div>")


def test_html_paragraphs_split_blocks_and_breaks() -> None:
    assert html_paragraphs("<div>loose <b>text</b><p>para</p>tail<br>after break</div>") == (
        "loose text", "para", "tail", "after break")


def test_published_is_zone_aware_everywhere() -> None:
    utc_page = page("<article><h1>T</h1><p>x</p></article>",
                    "<meta name='pubdate' content='2025-01-01T00:00:00+00:00'>")
    art = parse_html(utc_page, ZONE)
    assert art.published == datetime(2025, 1, 1, 8, 0, tzinfo=ZONE)
    assert art.published.astimezone(UTC).hour == 0


def test_article_footer_editor_and_utility_classes() -> None:
    body = ("<div class='print-area overflow-hidden'><article><h1>T</h1>"
            "<p>打印机厂商表示，新品下月上市。</p><p>Shareholders approved the plan.</p>"
            "<footer><p>责任编辑：赵六</p><div>分享到：微信</div></footer></article></div>"
            "<footer>编辑：网站编辑部</footer>")
    art = parse_html(page(body), ZONE)
    assert art.editor == "赵六"
    assert art.paragraphs == ("打印机厂商表示，新品下月上市。", "Shareholders approved the plan.")


def test_a_yaml_alias_bomb_is_rejected_at_once() -> None:
    """417 bytes of anchors and aliases would expand to gigabytes: refused, not expanded."""
    import time

    levels = ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "---\n" + "\n".join(levels) + "\ntitle: *i\n---\n\n正文。\n"
    started = time.monotonic()
    with pytest.raises(SeedError, match="alias"):
        parse_markdown(text, ZONE)
    assert time.monotonic() - started < 1


def test_deeply_nested_yaml_is_rejected() -> None:
    text = "---\ntitle: 標題\nx: " + "[" * 50 + "]" * 50 + "\n---\n\n正文。\n"
    with pytest.raises(SeedError, match="nests deeper"):
        parse_markdown(text, ZONE)
