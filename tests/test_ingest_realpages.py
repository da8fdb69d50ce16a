"""Structures found on real saved pages (the development set in bench/extract/), each
reproduced by a minimal page written here: one behaviour per test, no real page's text."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from seedfeed.ingest.htmlpage import parse_html

ZONE = ZoneInfo("Asia/Shanghai")
BODY = ("<p>小镇的图书馆今天起延长开放时间，周末也将开放到晚上九点，方便上班族借阅图书。</p>"
        "<p>馆长表示，延长开放时间是读者问卷中呼声最高的一项，后续还会增加自习座位。</p>")


def page(inner: str, head: str = "<title>图书馆延长开放时间_某某新闻网</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{inner}</body></html>"


# --- dates ---------------------------------------------------------------------------------

def test_unlabelled_dateline_under_the_headline_is_read():
    art = parse_html(page("<div class='nav'>首页 新闻</div><h1>图书馆延长开放时间</h1>"
                          "<div><span>2024-05-13 09:16:04</span> <span>来源: 某某晚报</span></div>"
                          f"<div class='content'>{BODY}</div>"), ZONE)
    assert art.published == datetime(2024, 5, 13, 9, 16, 4, tzinfo=ZONE)


def test_visible_date_time_beats_a_date_only_meta():
    head = ("<title>图书馆延长开放时间</title>"
            "<meta name='publishdate' content='2024-05-10'>")
    art = parse_html(page("<h1>图书馆延长开放时间</h1><p class='x'>2024年05月10日06:58 | 某报</p>"
                          f"<div>{BODY}</div>", head), ZONE)
    assert art.published == datetime(2024, 5, 10, 6, 58, tzinfo=ZONE)


def test_english_dateline_above_the_headline_is_read():
    art = parse_html(page("<div>Saturday, September 10th, 2005 10:56 am</div>"
                          f"<h2>图书馆延长开放时间</h2><div>{BODY}</div>",
                          "<title>某某博客 » 图书馆延长开放时间</title>"), ZONE)
    assert art.published == datetime(2005, 9, 10, 10, 56, tzinfo=ZONE)


def test_a_recommended_articles_date_is_not_the_dateline():
    art = parse_html(page("<h1>图书馆延长开放时间</h1><div>最新推荐文章于 2024-05-07 22:12:13 发布</div>"
                          f"<div>作者 于 2024-05-06 15:47:53 发布</div><div>{BODY}</div>"), ZONE)
    assert art.published == datetime(2024, 5, 6, 15, 47, 53, tzinfo=ZONE)


# --- bylines -------------------------------------------------------------------------------

def test_outlet_and_id_in_meta_author_are_not_the_author():
    for junk in ("新华社", "sina_mobile", "L_104485", "Discuz! Team", "每日经济新闻", "未知"):
        head = f"<title>图书馆延长开放时间</title><meta name='author' content='{junk}'>"
        art = parse_html(page(f"<h1>图书馆延长开放时间</h1><div>{BODY}</div>", head), ZONE)
        assert art.author is None, junk


def test_meta_author_that_the_page_labels_editor_is_not_the_author():
    head = "<title>图书馆延长开放时间</title><meta name='author' content='青网新闻张毅'>"
    art = parse_html(page(f"<h1>图书馆延长开放时间</h1><div>{BODY}</div>"
                          "<div class='foot'>责任编辑：张毅</div>", head), ZONE)
    assert art.author is None


def test_reporters_named_in_the_opening_dateline_of_the_body():
    art = parse_html(page("<h1>图书馆延长开放时间</h1><div><p>晚报讯（记者 王小明 李华）"
                          "小镇的图书馆今天起延长开放时间，周末也开放到晚上九点。</p>"
                          f"{BODY}</div>"), ZONE)
    assert art.author == "王小明、李华"


def test_reporter_line_closing_the_body():
    art = parse_html(page(f"<h1>图书馆延长开放时间</h1><div>{BODY}"
                          "<p>某某报记者 赵晓 来源：某某报</p></div>"), ZONE)
    assert art.author == "赵晓"


def test_a_sentence_caught_by_a_label_is_no_byline():
    art = parse_html(page("<h1>图书馆延长开放时间</h1>"
                          "<div><p>作者：既然你是专家，想必对图书馆也非常熟悉了？</p>"
                          f"{BODY}</div>"), ZONE)
    assert art.author is None


def test_dates_carry_whole_seconds():
    from seedfeed.ingest import parse_seed

    seed = "---\ntitle: 图书馆延长开放时间\ndate: 2024-05-13T09:16:04.123456+08:00\n---\n\n正文第一段。\n"
    art = parse_seed(seed.encode(), "a.md", ZONE)
    assert art.published == datetime(2024, 5, 13, 9, 16, 4, tzinfo=ZONE)
    assert art.published.microsecond == 0


# --- Markdown ------------------------------------------------------------------------------

def md_seed(body: str):
    from seedfeed.ingest.markdown import parse_markdown

    return parse_markdown(f"---\ntitle: 图书馆延长开放时间\n---\n\n{body}\n", ZONE)


def test_bold_next_to_cjk_punctuation_is_bold():
    art = md_seed("这是**“重要”**的通知，**注意：**明天开始。`**code**` 与 \\*\\*星号\\*\\*。")
    assert "这是<strong>“重要”</strong>的通知，<strong>注意：</strong>明天开始。" in art.content_html
    assert "<code>**code**</code>" in art.content_html


def test_hugo_shortcodes_are_not_printed():
    art = md_seed('开头。\n\n{{< figure src="/a.jpg" caption="图" >}}\n\n'
                  "{{% notice info %}}请带好证件。{{% /notice %}}\n\n```\n{{< shown >}}\n```\n\n"
                  '结尾见{{<ref "x.md">}}。')
    assert "{{" not in art.content_html.replace("{{&lt; shown &gt;}}", "")
    assert art.paragraphs[:2] == ("开头。", "请带好证件。")
    assert "{{&lt; shown &gt;}}" in art.content_html  # code shows what was written


# --- sanitising ----------------------------------------------------------------------------

def test_useless_image_sources_and_links_without_target_go():
    art = parse_html(page(f"<h1>图书馆延长开放时间</h1><div>{BODY}"
                          "<p><img src='x'><img src='data:image/gif;base64,R0'>"
                          "<a>无链接</a> <a href='javascript:void(0)'>脚本</a> "
                          "<a href='more.html'>相对</a> <a href='https://e.org/a'>好</a></p></div>"),
                     ZONE)
    assert "<img" not in art.content_html
    assert art.content_html.count("<a ") == 1 and 'href="https://e.org/a"' in art.content_html
    assert "无链接 脚本 相对 好" in art.paragraphs[-1]


def test_nbsp_indentation_is_not_kept():
    art = parse_html(page("<h1>图书馆延长开放时间</h1><div><p>&nbsp;&nbsp;&nbsp;&nbsp;小镇的图书馆"
                          "今天起延长开放时间，周末也开放到晚上九点。</p><p>\u3000\u3000馆长表示，延长"
                          "开放时间是读者呼声最高的一项。<br>&nbsp;&nbsp;后续还会增加座位。</p></div>"), ZONE)
    assert "&nbsp;" not in art.content_html and "\u3000" not in art.content_html
    assert art.content_html.startswith("<p>小镇")
