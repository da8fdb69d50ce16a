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
                          "<a href='more.html'>相对</a> <a href='https://e.org/a'>好</a></p>"
                          "<p>馆长说，下个月起还会增加自习座位。</p></div>"),  # a closing row of
                     ZONE)                                           # links alone is furniture
    assert "<img" not in art.content_html
    assert art.content_html.count("<a ") == 1 and 'href="https://e.org/a"' in art.content_html
    assert "无链接 脚本 相对 好" in art.paragraphs[-2]


def test_nbsp_indentation_is_not_kept():
    art = parse_html(page("<h1>图书馆延长开放时间</h1><div><p>&nbsp;&nbsp;&nbsp;&nbsp;小镇的图书馆"
                          "今天起延长开放时间，周末也开放到晚上九点。</p><p>\u3000\u3000馆长表示，延长"
                          "开放时间是读者呼声最高的一项。<br>&nbsp;&nbsp;后续还会增加座位。</p></div>"), ZONE)
    assert "&nbsp;" not in art.content_html and "\u3000" not in art.content_html
    assert art.content_html.startswith("<p>小镇")


# --- text dumps ----------------------------------------------------------------------------

TEXT_BODY = ("小镇的图书馆今天起延长开放时间，周末也将开放到晚上九点，方便上班族借阅图书。\n"
             "馆长表示，延长开放时间是读者问卷中呼声最高的一项，后续还会增加自习座位。\n")


def dump(text: str):
    from seedfeed.ingest.scraped import parse_text

    return parse_text(text, ZONE)


def test_furniture_after_the_meta_line_is_not_the_end_of_the_article():
    for widgets in ("[举报]\n0条评论\nA+ A-", "[反馈]\n评论(3)\n字号：大 中 小"):
        art = dump(f"某某新闻网\n图书馆延长开放时间\n2024-05-13 12:11 来源：某某晚报\n{widgets}\n"
                   + TEXT_BODY)
        assert art.paragraphs == tuple(TEXT_BODY.split()), widgets


def test_a_long_navigation_or_ticker_line_above_the_headline():
    nav = " ".join(["首页", "新闻", "体育", "财经", "娱乐", "科技", "汽车", "房产", "教育"] * 3)
    art = dump(f"{nav}\n图书馆延长开放时间\n{TEXT_BODY}")
    assert art.title == "图书馆延长开放时间"
    ticker = ("快讯：市区今晚有雷阵雨，请市民注意出行安全。地铁三号线明起调整首班车时间。"
              "全市中小学下周一开学。高速公路节假日免费通行，请提前规划路线。")
    art = dump(f"{ticker}\n图书馆延长开放时间\n2024-05-13 12:11 来源：某某晚报\n{TEXT_BODY}")
    assert art.title == "图书馆延长开放时间" and art.source == "某某晚报"
    assert art.paragraphs[0].startswith("小镇")


def test_meta_fields_glued_together():
    art = dump(f"某某新闻网\n图书馆延长开放时间\n2024-05-13 12:11来源：某某晚报作者：王小明\n{TEXT_BODY}")
    assert (art.title, art.source, art.author) == ("图书馆延长开放时间", "某某晚报", "王小明")
    assert art.published == datetime(2024, 5, 13, 12, 11, tzinfo=ZONE)


def test_a_label_with_its_value_on_the_next_line():
    art = dump("某某新闻网\n图书馆延长开放时间\n发布时间：\n2024-05-13 12:11\n来源：\n某某晚报\n"
               f"作者：\n王小明\n{TEXT_BODY}")
    assert (art.source, art.author) == ("某某晚报", "王小明")
    assert art.published == datetime(2024, 5, 13, 12, 11, tzinfo=ZONE)
    assert art.paragraphs == tuple(TEXT_BODY.split())


def test_a_headline_over_two_lines():
    art = dump("某某新闻网\n小镇图书馆今起延长开放时间\n周末也开放到晚上九点\n"
               f"2024-05-13 12:11 来源：某某晚报\n{TEXT_BODY}")
    assert art.title == "小镇图书馆今起延长开放时间 周末也开放到晚上九点"


# --- finding the article -------------------------------------------------------------------

P1 = "<p>小镇的图书馆今天起延长开放时间，周末也将开放到晚上九点，方便上班族借阅图书。</p>"
P2 = "<p>馆长表示，延长开放时间是读者问卷中呼声最高的一项，后续还会增加自习座位。</p>"
OTHER = "<div class='box'><p>另一则短讯：公园新增健身步道。</p></div>"


def body_of(inner: str, head: str = "<title>图书馆延长开放时间_某某新闻网</title>") -> tuple[str, ...]:
    return parse_html(page(inner, head), ZONE).paragraphs


def test_furniture_words_in_a_page_wide_wrapper_or_article_class_do_not_drop_the_article():
    want = (P1[3:-4], P2[3:-4])
    assert body_of(f"<div class='page nav-fixed'><h1>图书馆延长开放时间</h1><div>{P1}{P2}</div>"
                   f"</div>{OTHER}") == want
    assert body_of("<article class='post tag-share tag-nav category-news'><h1>图书馆延长开放时间"
                   f"</h1><div class='entry-content'>{P1}{P2}</div></article>{OTHER}") == want
    assert body_of(f"<h1>图书馆延长开放时间</h1><div class='article_share_area'><div>{P1}{P2}"
                   f"</div><div class='bar'>分享到：微信</div></div>{OTHER}") == want


def test_body_in_divs_without_paragraphs_beats_the_footer():
    got = body_of("<h1>图书馆延长开放时间</h1><div class='text'><div>小镇的图书馆今天起延长开放时间，"
                  "周末也开放到晚上九点。</div><div>馆长表示，这是读者呼声最高的一项。</div></div>"
                  "<div class='foot'><p>京ICP备12345678号 某某新闻网版权所有</p></div>")
    assert got == ("小镇的图书馆今天起延长开放时间，周末也开放到晚上九点。",
                   "馆长表示，这是读者呼声最高的一项。")


def test_a_short_body_beats_a_view_counter_and_the_icp_footer():
    got = body_of("<h1>图书馆延长开放时间</h1><div class='text'><p>图书馆今起延长开放至晚上九点。</p>"
                  "</div><div class='x'><p>阅读 1234</p></div>"
                  "<div class='foot'><p>京ICP备12345678号 某某新闻网版权所有</p></div>")
    assert got == ("图书馆今起延长开放至晚上九点。",)


def test_a_body_split_by_an_ad_slot_is_joined():
    got = body_of(f"<h1>图书馆延长开放时间</h1><div class='text'>{P1}</div><div class='adv'>"
                  f"<img src='https://e.org/ad.jpg'></div><div class='text'>{P2}</div>{OTHER}")
    assert got == (P1[3:-4], P2[3:-4])


def test_a_second_article_after_the_real_one_is_not_taken():
    head = "<title>图书馆延长开放时间</title>"
    longer = P1.replace("小镇", "县城") * 3
    assert body_of(f"<article><h1>图书馆延长开放时间</h1>{P1}{P2}</article>"
                   f"<article><h1>公园新增健身步道</h1>{longer}</article>", head) == (P1[3:-4], P2[3:-4])
    assert body_of(f"<div class='a'><h1>图书馆延长开放时间</h1><div class='t'>{P1}{P2}</div></div>"
                   f"<div class='a'><h1>公园新增健身步道</h1><div class='t'>{longer}</div></div>",
                   head) == (P1[3:-4], P2[3:-4])


def test_subheads_in_h1_inside_the_body_do_not_split_it():
    got = body_of(f"<div><h1>图书馆延长开放时间</h1></div><div class='t'>{P1}<h1>读者怎么说</h1>{P2}</div>")
    assert got == (P1[3:-4], "读者怎么说", P2[3:-4])


# --- titles --------------------------------------------------------------------------------

def title_of(inner: str, head: str) -> str:
    return parse_html(page(inner, head), ZONE).title


def test_a_widget_heading_is_not_the_title():
    head = "<title>图书馆延长开放时间 - 某某新闻网</title>"
    inner = (f"<div class='box'><div class='title'>友情鏈接</div><a href='https://e.org'>某站</a></div>"
             f"<div class='headline'>图书馆延长开放时间</div><div>{P1}{P2}</div>"
             "<div class='title'>評論(0)</div><div class='title'>APP推薦</div>")
    assert title_of(inner, head) == "图书馆延长开放时间"
    assert title_of(inner.replace("class='headline'", ""), head) == "图书馆延长开放时间"


def test_the_title_leaves_out_its_containers_date_and_share_bar():
    inner = ("<div class='title'>图书馆延长开放时间<span class='time'>2024-05-13 09:16</span>"
             f"<span>分享到：</span></div><div>{P1}{P2}</div>")
    art = parse_html(page(inner, "<title>某某新闻网</title>"), ZONE)
    assert art.title == "图书馆延长开放时间"
    assert art.published == datetime(2024, 5, 13, 9, 16, tzinfo=ZONE)


def test_a_truncated_og_title_gives_way_to_the_full_h1():
    head = '<title>x</title><meta property="og:title" content="他说">'  # content="他说"开放"…"
    assert title_of(f"<h1>他说“开放”是为了读者</h1><div>{P1}{P2}</div>", head) == "他说“开放”是为了读者"


def test_a_site_name_after_a_space_is_cut():
    head = ("<title>图书馆延长开放时间 某某新闻网</title>"
            "<meta property='og:title' content='图书馆延长开放时间 某某新闻网'>")
    assert title_of(f"<div>{P1}{P2}</div>", head) == "图书馆延长开放时间"
    only_title = "<title>图书馆延长开放时间 某某日报</title>"
    assert title_of(f"<div>{P1}{P2}</div>", only_title) == "图书馆延长开放时间"


# --- dates, again --------------------------------------------------------------------------

def test_roc_calendar_dateline():
    art = parse_html(page(f"<h1>图书馆延长开放时间</h1><div>中華民國107年3月13日</div><div>{P1}{P2}</div>"),
                     ZONE)
    assert art.published == datetime(2018, 3, 13, tzinfo=ZONE)


def test_a_z_meta_stamp_that_is_local_time_gives_way_to_the_visible_clock():
    head = ("<title>图书馆延长开放时间</title>"
            "<meta property='article:published_time' content='2024-05-13T09:16:00Z'>")
    art = parse_html(page(f"<h1>图书馆延长开放时间</h1><div>2024-05-13 09:16</div><div>{P1}{P2}</div>",
                          head), ZONE)
    assert art.published == datetime(2024, 5, 13, 9, 16, tzinfo=ZONE)


# --- broken markup -------------------------------------------------------------------------

def test_a_self_closed_button_or_unclosed_tags_keep_the_rest_of_the_page():
    want = (P1[3:-4], P2[3:-4])
    assert body_of(f"<h1>图书馆延长开放时间</h1><div><button class='x'/>{P1}{P2}</div>") == want
    assert body_of(f"<h1>图书馆延长开放时间</h1><div><span class='share-icon'>{P1}{P2}</div>") == want
    assert body_of(f"<h1>图书馆延长开放时间</h1><div><b>{P1}<i>{P2}</div>{OTHER}")[:2] == want


# --- not articles, and warnings ------------------------------------------------------------

def rejected(inner: str, head: str = "<title>某某新闻网</title>") -> str:
    import pytest

    from seedfeed.errors import SeedError

    with pytest.raises(SeedError) as e:
        parse_html(page(inner, head), ZONE)
    return str(e.value)


def test_a_home_page_of_teasers_is_no_article_even_with_og_type_article():
    teasers = "".join(f"<div class='item'><h3><a href='https://e.org/{i}.html'>某地新闻标题第{i}条"
                      f"</a></h3><p>这是第{i}条新闻的摘要，讲述了后续进展……</p></div>" for i in range(8))
    reason = rejected(teasers, "<title>某某新闻网-首页</title><meta property='og:type' content='article'>")
    assert reason.startswith("not an article") and "linked headlines" in reason


def test_a_section_list_is_no_article():
    items = "".join(f"<li><a href='https://e.org/{i}.html'>某地新闻标题第{i}条报道</a>"
                    f"<span>2024-05-{i + 1:02d}</span></li>" for i in range(10))
    assert "linked headlines" in rejected(f"<h1>本地新闻</h1><ul>{items}</ul>")


def test_an_article_keeps_its_body_and_loses_a_closing_list_of_headlines():
    more = "".join(f"<p><a href='https://e.org/{i}.html'>某地新闻标题第{i}条报道</a></p>"
                   for i in range(6))
    art = parse_html(page(f"<h1>图书馆延长开放时间</h1><div class='text'>{P1}{P2}{more}</div>"), ZONE)
    assert art.paragraphs == (P1[3:-4], P2[3:-4])


def test_a_table_of_contents_or_a_data_sheet_is_no_article():
    lines = "".join(f"<p>第{i}篇论文的题目</p><p>作者{i}</p>" for i in range(5))
    assert "sentence" in rejected(f"<h1>学报2022年第4期</h1><div>{lines}</div>")


def test_an_error_page_is_no_article():
    reason = rejected("<h1>错误信息</h1><div><p>指定的主题不存在或已被删除，请返回。</p></div>")
    assert reason == "not an article: the page reports an error"


def test_a_visible_date_that_yields_none_is_a_warning():
    art = parse_html(page(f"<h1>图书馆延长开放时间</h1><div>{P1}{P2}</div>"
                          "<div class='foot'><p>京ICP备12345678号 更新于 2019-09-24 17:08</p></div>"), ZONE)
    assert art.published is None
    assert any("shows a date (2019-09-24 17:08)" in w for w in art.warnings)


def test_a_body_that_is_a_small_share_of_the_page_is_a_warning():
    other = "<p>另一篇很长的文章内容，讲述了完全不同的一件事情，篇幅很长很长。</p>"
    prose = f"<div class='x'>{other * 60}</div>"
    art = parse_html(page(f"<article><h1>图书馆延长开放时间</h1>{P1}</article>{prose}"), ZONE)
    assert art.paragraphs == (P1[3:-4],)
    assert any(w.startswith("unsure body") for w in art.warnings)


def test_an_empty_label_above_a_date_or_an_editor_stays_empty():
    art = dump(f"某某新闻网\n图书馆延长开放时间\n来源：某某晚报\n作者：\n2024-05-13 12:11\n{TEXT_BODY}")
    assert art.author is None and art.published == datetime(2024, 5, 13, 12, 11, tzinfo=ZONE)
    art = dump(f"某某新闻网\n图书馆延长开放时间\n2024-05-13 12:11\n作者：\n责任编辑：王明\n{TEXT_BODY}")
    assert (art.author, art.editor) == (None, "王明")


def test_a_row_of_spaced_bracketed_buttons_is_furniture():
    art = dump(f"[ 回复本贴 ] [ 跟从标题 ] [ 关闭本窗口 ] [ 刷新 ]\n图书馆延长开放时间\n{TEXT_BODY}")
    assert art.title == "图书馆延长开放时间"


# --- bylines, again ------------------------------------------------------------------------

def test_a_bare_sign_off_closing_the_body_is_the_author():
    for sign, want in (("（赵晓）", "赵晓"), ("（赵晓 钱明）", "赵晓、钱明"), ("（赵晓 上海报道）", "赵晓")):
        art = parse_html(page(f"<h1>图书馆延长开放时间</h1><div>{P1}<p>馆长表示，后续还会增加自习座位。"
                              f"{sign}</p></div>"), ZONE)
        assert art.author == want, sign
    for sign in ("（新华社）", "（上海报道）", "（完）", "（本报评论员）"):
        art = parse_html(page(f"<h1>图书馆延长开放时间</h1><div>{P1}<p>馆长表示，后续还会增加自习座位。"
                              f"{sign}</p></div>"), ZONE)
        assert art.author is None, sign


def test_the_start_of_the_site_name_is_no_author():
    head = ("<title>图书馆延长开放时间_某某新闻订阅</title><meta name='author' content='某某'>"
            "<meta property='og:site_name' content='某某新闻订阅'>")
    assert parse_html(page(f"<h1>图书馆延长开放时间</h1><div>{P1}{P2}</div>", head), ZONE).author is None


def test_a_short_body_beats_a_footer_of_legal_notices():
    foot = ("<div class='copy'><p>有意与本刊合作者，有关合作事宜请与本网联系。未经本网书面授权，请勿转载，"
            "否则即为侵权。</p><p>违法和不良信息举报电话：010-12345678，举报邮箱：a@b.org</p></div>")
    got = body_of(f"<h1>图书馆延长开放时间</h1><div class='text'><p>图书馆今起延长开放至晚上九点，"
                  f"周末照常开放。</p></div>{foot}")
    assert got == ("图书馆今起延长开放至晚上九点，周末照常开放。",)


def test_one_unnamed_div_per_paragraph_is_one_body():
    got = body_of(f"<h1>图书馆延长开放时间</h1><div class='main'><div>{P1}</div><div>{P2}</div>"
                  f"<div>{P1.replace('小镇', '县城')}</div></div>{OTHER}")
    assert got == (P1[3:-4], P2[3:-4], P1[3:-4].replace("小镇", "县城"))


def test_a_boxs_title_class_does_not_beat_a_headline_in_the_title_tag():
    inner = (f"<div class='box'><div class='title'>2月14日看点 某某再度出战</div></div><div>{P1}{P2}</div>")
    assert title_of(inner, "<title>著名导演某某去世 享年74岁</title>") == "著名导演某某去世 享年74岁"


def test_a_logo_h1_that_ends_the_title_tag_after_a_space_is_the_site():
    head = "<title>土豆不“土” 土豆无“土” 某江网</title>"
    inner = f"<h1 class='logo'>某江网</h1><h2>土豆不“土” 土豆无“土”</h2><div>{P1}{P2}</div>"
    assert title_of(inner, head) == "土豆不“土” 土豆无“土”"


def test_the_dateline_under_the_second_copy_of_a_repeated_headline():
    inner = ("<div class='top'><h1>图书馆延长开放时间</h1></div>" + "<p>导航条目</p>" * 80
             + "<div class='content'><h1>图书馆延长开放时间</h1>"
             f"<div>2024-05-13 13:48 某报 阅读量 3 万 分享给好友</div>{P1}{P2}</div>")
    head = "<title>图书馆延长开放时间</title><meta name='publishdate' content='2024-05-13'>"
    art = parse_html(page(inner, head), ZONE)
    assert art.published == datetime(2024, 5, 13, 13, 48, tzinfo=ZONE)


def test_keywords_pagination_and_a_reprint_notice_are_not_body_text():
    got = body_of(f"<h1>图书馆延长开放时间</h1><div class='text'>{P1}{P2}"
                  "<p>某某网专稿，未经书面授权请勿转载。</p>"
                  "<div class='kw'>关键字：\n      <a href='https://e.org/t'>图书馆</a></div>"
                  "<div><a href='https://e.org/1'>1</a><a href='https://e.org/2'>2</a>"
                  "<a href='https://e.org/2'>下一页</a></div></div>")
    assert got == (P1[3:-4], P2[3:-4])


def test_an_english_dateline_line_is_meta_not_body():
    art = parse_html(page("<h2>图书馆延长开放时间</h2><div class='post'><div>Saturday, September 10th, "
                          f"2005   10:56 am</div>{P1}{P2}</div>",
                          "<title>某某博客 » 图书馆延长开放时间</title>"), ZONE)
    assert art.paragraphs == (P1[3:-4], P2[3:-4])
    assert art.published == datetime(2005, 9, 10, 10, 56, tzinfo=ZONE)


def test_a_body_hidden_until_a_script_shows_it_is_published_with_a_warning():
    art = parse_html(page(f"<h1>图书馆延长开放时间</h1><div id='c' style='visibility: hidden;'>{P1}{P2}</div>"
                          "<div style='display:none'><p>隐藏的广告文字，不应出现在正文里。</p></div>"), ZONE)
    assert art.paragraphs == (P1[3:-4], P2[3:-4])
    assert any("hidden on the page until a script" in w for w in art.warnings)


def test_a_two_character_name_padded_to_three_is_one_name():
    from seedfeed.ingest.people import normalise_people

    assert normalise_people("记者 王乐文 方 敏") == "王乐文、方敏"
    assert normalise_people("方\u3000敏") == "方敏"


def test_a_reporter_named_after_the_source_in_a_meta_line():
    from seedfeed.ingest.htmlmeta import _meta_fields

    got = _meta_fields("2005年08月16日 来源：某某网 某某网本地频道 记者 伊琳 李清芬")
    assert got is not None and (got["source"], got["author"]) == ("某某网", "伊琳 李清芬")
    assert _meta_fields("来源：某某社 北京") == {"source": "某某社 北京"}  # a place, not a name
