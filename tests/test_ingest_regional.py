"""Structures found on the Taiwan and Hong Kong pages of the development set (and more
mainland ones), each reproduced by a minimal page written here: one behaviour per test,
no real page's text."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

from seedfeed.errors import SeedError
from seedfeed.ingest.htmlpage import parse_html

ZONE = ZoneInfo("Asia/Taipei")
BODY = ("<p>市區的圖書館今天起延長開放時間，週末也將開放到晚上九點，方便上班族借閱圖書。</p>"
        "<p>館長表示，延長開放時間是讀者問卷中呼聲最高的一項，後續還會增加自習座位。</p>")


def page(inner: str, head: str = "<title>圖書館延長開放時間</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{inner}</body></html>"


# --- robustness ----------------------------------------------------------------------------

def test_a_date_before_a_long_blank_stretch_is_read_in_linear_time():
    # a page-top clock followed by template indentation: the date pattern's optional
    # blanks around the weekday and clock backtracked over every split of them (minutes)
    blanks = "\n            " * 12
    menu = "".join(f"<li><a href='/s{i}'>欄目{i}</a></li>" for i in range(60))
    started = time.process_time()
    art = parse_html(page(f"<div>2014年12月13日{blanks}現場直擊</div><ul>{menu}</ul>"
                          f"<h1>圖書館延長開放時間</h1><div>{BODY}</div>"), ZONE)
    assert time.process_time() - started < 1.0
    assert art.title == "圖書館延長開放時間"


# --- not articles --------------------------------------------------------------------------

def rejection(inner: str, head: str = "<title>某某新聞網</title>") -> str:
    try:
        parse_html(page(inner, head), ZONE)
    except SeedError as e:
        return str(e)
    raise AssertionError("the page was accepted as an article")


def teasers(n: int, summary: str = "") -> str:
    return "".join(f"<div class='item'><h3><a href='/n/{i}'>第{i}則新聞標題在這裡</a></h3>{summary}</div>"
                   for i in range(n))


def test_a_section_page_whose_one_summary_is_taken_for_the_text_is_no_article():
    summary = "<p>市議會今天審查明年度總預算，多名議員質詢交通建設的進度與經費…</p>"
    for cut in (summary, summary.replace("…</p>", "1....(詳全文)</p>")):
        reason = rejection(f"<div class='list'>{teasers(1, cut)}</div>{teasers(25)}")
        assert "not an article" in reason and "cut-off" in reason


def test_a_section_page_with_a_short_text_under_no_headline_is_no_article():
    lead = "<div><p>市議會今天審查明年度總預算，多名議員質詢交通建設的進度，局長允諾下月提出報告。</p></div>"
    reason = rejection(f"{lead}{teasers(25)}")
    assert "not an article" in reason and "no headline" in reason


def test_a_scrap_without_a_sentence_is_no_article():
    reason = rejection(f"<div><p>檢索: 帳戶 密碼</p></div>{teasers(25)}")
    assert "not an article" in reason


def test_a_short_article_under_its_headline_among_many_teasers_is_kept():
    body = "<p>市議會今天審查明年度總預算，多名議員質詢交通建設的進度，局長允諾下月提出報告。</p>"
    art = parse_html(page(f"<h1>議會審查總預算</h1><div>{body}</div>{teasers(25)}",
                          "<title>議會審查總預算 - 某某新聞網</title>"), ZONE)
    assert art.title == "議會審查總預算" and "總預算" in art.content_text


# --- titles --------------------------------------------------------------------------------

def title_of(inner: str, head: str) -> str:
    return parse_html(page(inner, head), ZONE).title


def test_a_long_latin_site_name_in_the_title_is_not_the_headline():
    head = ("<title>圖書館延長開放時間 | 地方新聞 | 某某社即時新聞 ABC NEWS</title>"
            "<meta property='og:title' content='圖書館延長開放時間 | 地方新聞 | 某某社即時新聞 ABC NEWS'>")
    assert title_of(f"<h1>圖書館延長開放時間</h1><div>{BODY}</div>", head) == "圖書館延長開放時間"


def test_a_box_drawing_bar_separates_the_site_name():
    head = "<meta property='og:title' content='圖書館延長開放時間│某某新聞網  ABC.COM'>"
    assert title_of(f"<h1>圖書館延長開放時間</h1><div>{BODY}</div>", head) == "圖書館延長開放時間"


def test_site_and_section_before_the_headline_are_cut():
    head = ("<title>某某新聞 - 地方 - 圖書館延長開放時間 - abc.com</title>"
            "<meta property='og:title' content='某某新聞 - 地方 - 圖書館延長開放時間'>")
    assert title_of(f"<h4>圖書館延長開放時間</h4><div>{BODY}</div>", head) == "圖書館延長開放時間"


def test_a_site_name_after_a_dash_without_a_space_is_cut():
    head = ("<title> - 某某日報網頁</title>"
            "<meta property='og:title' content='圖書館延長開放時間- 某某日報網頁'>")
    assert title_of(f"<div>{BODY}</div>", head) == "圖書館延長開放時間"


def test_a_column_name_shown_in_the_headline_stays():
    head = "<meta property='og:title' content='週末專欄丨圖書館延長開放時間'>"
    assert title_of(f"<h1>週末專欄丨圖書館延長開放時間</h1><div>{BODY}</div>",
                    head) == "週末專欄丨圖書館延長開放時間"


def test_the_line_over_the_text_is_the_headline_when_the_page_names_only_its_site():
    head = ("<title>某某電視台 新聞網</title><meta property='og:title' content='-某某新聞網'>"
            "<meta property='og:site_name' content='某某新聞網'>")
    inner = ("<table><tr><td>首頁 / 地方</td></tr><tr><td>圖書館延長開放時間 週末開到九點</td></tr>"
             f"</table><table><tr><td>{BODY}</td></tr></table>")
    assert title_of(inner, head) == "圖書館延長開放時間 週末開到九點"


def test_a_headline_that_is_no_h1_under_a_site_named_title():
    head = ("<title>某某傳媒　一個專注地方的新媒體</title>"
            "<meta property='og:title' content='某某傳媒　一個專注地方的新媒體'>"
            "<meta property='og:site_name' content='某某傳媒　一個專注地方的新媒體'>")
    inner = (f"<h3 class='bigTitle'>圖書館延長開放時間</h3><div>編譯中心 237 點擊數</div>"
             f"<div class='text'>{BODY}</div>")
    assert title_of(inner, head) == "圖書館延長開放時間"


# --- dates ---------------------------------------------------------------------------------

def test_a_twelve_hour_clock_with_pm_is_read():
    art = parse_html(page("<h1>圖書館延長開放時間</h1><div>【某某晚報╱即時報導】 2014.12.13 01:06 pm</div>"
                          f"<div>{BODY}</div>"), ZONE)
    assert art.published == datetime(2014, 12, 13, 13, 6, tzinfo=ZONE)


def test_a_day_month_year_dateline_is_read_when_the_order_is_plain():
    art = parse_html(page("<h1>圖書館延長開放時間</h1><div>- 編輯部 @ 11-22-2014 / 今日</div>"
                          f"<div>{BODY}</div>"), ZONE)
    assert art.published == datetime(2014, 11, 22, tzinfo=ZONE)
    art = parse_html(page("<h1>圖書館延長開放時間</h1><div>- 編輯部 @ 05-06-2014</div>"
                          f"<div>{BODY}</div>"), ZONE)
    assert art.published is None  # May 6 or 5 June: the page does not say


def test_a_date_right_after_the_last_words_of_the_text():
    inner = ("<table><tr><td>首頁 / 生活</td></tr><tr><td><h2>圖書館延長開放時間</h2></td></tr></table>"
             f"<table><tr><td>{BODY * 5}<p>記者王大明 台北報導</p></td></tr></table>"
             "<div>(2014-12-12 12:00) 午間新聞</div>")
    art = parse_html(page(inner), ZONE)
    assert art.published == datetime(2014, 12, 12, 12, 0, tzinfo=ZONE)


def test_a_review_time_after_the_text_is_not_the_publication_date():
    art = parse_html(page(f"<h1>圖書館延長開放時間</h1><div>{BODY}"
                          "<p>分類：生活 複查 審核時間：2019-09-24 17:08</p></div>"), ZONE)
    assert art.published is None


# --- bodies --------------------------------------------------------------------------------

def test_counters_buttons_and_footers_sharing_the_articles_element_are_cut():
    inner = ("<h1>圖書館延長開放時間</h1><div class='main'><div>用戶</div><div>密碼</div>"
             "<div>9168 點閱</div><div>小字型 中字型 大字型</div>"
             f"{BODY}<div>上一頁 下一頁</div><div>市議會審查總預算 2014-11-28 (18:28)</div>"
             "<div>| 某某日報 | 新聞搜尋 | 教育網 | 求職 | 電腦廣場 | 社論 | 評論 | 財經 | 地產 |</div>"
             "<div>【動新聞】週末去哪裡？ 十大景點...</div>"
             "<div>·歌手發新專輯 好友：拜託!快聽 (2005-04-27 18:03PM)</div>"
             "<div>Copyright Some Daily Ltd. All rights reserved.</div></div>")
    art = parse_html(page(inner), ZONE)
    assert [p[:6] for p in art.paragraphs] == ["市區的圖書館", "館長表示，延"]


def test_a_reporter_sign_off_among_the_lines_cut_is_still_the_author():
    inner = (f"<h1>圖書館延長開放時間</h1><div class='main'>{BODY}<div>記者王大明／台北報導</div>"
             "<div>人氣(3840) 轉寄 (0)</div></div>")
    art = parse_html(page(inner), ZONE)
    assert len(art.paragraphs) == 2 and art.author == "王大明"


LINES = ("市區的圖書館今天起延長開放時間，週末也將開放到晚上九點，方便上班族借閱圖書。",
         "館長表示，延長開放時間是讀者問卷中呼聲最高的一項，後續還會增加自習座位。",
         "市府也將在圖書館旁增設公車站牌，讓晚間離館的讀者更方便。")


def test_a_body_inside_a_wrapper_named_share_is_kept():
    inner = ("<h1>圖書館延長開放時間</h1><div class='newsdes'><div class='share'>"
             "<ul><li><a href='#'><img src='https://e.org/fb.png'></a></li></ul><br><p>"
             f"<span id='content'>{'<br><br>'.join(LINES * 2)}</span></p></div></div>"
             "<div class='footer-info'>關於我們 | 聯絡我們 | 徵才</div>"
             + f"<div class='comments'>{''.join(f'<p>網友：{t}</p>' for t in LINES)}</div>" * 3)
    art = parse_html(page(inner), ZONE)  # the wrapper holds under half of the page's text
    assert art.paragraphs == LINES * 2


def test_a_body_in_a_pre_is_paragraphs():
    inner = f"<h4>圖書館延長開放時間</h4><div id='c1'><pre>{chr(10).join(LINES)}\n</pre></div>"
    art = parse_html(page(inner), ZONE)
    assert art.paragraphs == LINES


def test_a_body_typed_between_a_layout_divs_blocks_is_read():
    inner = ("<div class='tt26'>圖書館延長開放時間</div><div class='article'>"
             "<div class='ft'>字級大小：<a href='#'>小</a> <a href='#'>大</a></div>"
             "<div class='im4'><img src='https://e.org/p.jpg'></div><span></span>"
             f"{'<br><br>'.join(LINES)}</div><div>本網站內容屬於某某公司所有，非經允許，不得轉載</div>")
    art = parse_html(page(inner, "<title>某某廣播公司全球資訊網</title>"), ZONE)
    assert art.title == "圖書館延長開放時間"
    assert art.paragraphs == LINES


# --- bylines -------------------------------------------------------------------------------

def author_of(inner: str) -> str | None:
    return parse_html(page(f"<h1>圖書館延長開放時間</h1>{inner}"), ZONE).author


def test_a_reporter_in_tortoise_shell_brackets_opening_the_body():
    assert author_of(f"<div><p>〔記者王大明／台北報導〕{LINES[0]}</p><p>{LINES[1]}</p></div>") == "王大明"


def test_a_bracketed_byline_with_the_outlet_and_slashes_on_its_own_line():
    inner = ("<table><tr><td><div id='story_author'>【某某晚報╱記者王大明╱即時報導】</div></td>"
             f"<td><div>2014.12.13 01:06 pm</div></td></tr></table><div>{BODY}</div>")
    assert author_of(inner) == "王大明"


def test_a_closing_sign_off_with_the_outlet_and_two_reporters():
    assert author_of(f"<div><p>{LINES[0]}</p><p>{LINES[1]}（某某新聞陳大文、林小華台北報導）</p></div>"
                     ) == "陳大文、林小華"


def test_a_name_slash_place_line_under_the_outlets_dateline():
    assert author_of(f"<div><p>某某網2014.10.24 金大名/高雄報導</p>{BODY}</div>") == "金大名"


def test_a_columnists_name_on_a_line_before_the_text():
    assert author_of(f"<div class='main'><div>李大同</div>{BODY}</div>") == "李大同"
    assert author_of(f"<div class='main'><div>關注</div>{BODY}</div>") is None  # a word
    assert author_of(f"<div class='main'><div>用戶名</div>{BODY}</div>") is None  # no surname


def test_text_by_with_a_bar_or_slash_names_the_writer():
    for credit in ("文丨某某特約評論員 韓大涵", "文/本報記者 韓大涵", "文｜韓大涵"):
        assert author_of(f"<div><p><strong>{credit}</strong></p>{BODY}</div>") == "韓大涵", credit


def test_a_text_dump_names_its_reporter_in_the_closing_sign_off():
    from seedfeed.ingest.scraped import parse_text
    text = ("首頁 > 地方\n圖書館延長開放時間\n2014-12-12 12:00 來源：某某晚報\n"
            f"{LINES[0]}\n{LINES[1]}（晚報記者 王大明）\n")
    assert parse_text(text, ZONE).author == "王大明"


def test_a_photo_caption_closing_the_article_on_its_credit_is_cut():
    inner = (f"<h1>圖書館延長開放時間</h1><div class='main'>{BODY}<div>廣告</div>"
             "<p>新館外觀，入口處增設了夜間照明與無障礙坡道。（圖︰某某公司提供）</p></div>")
    art = parse_html(page(inner), ZONE)
    assert [p[:6] for p in art.paragraphs] == ["市區的圖書館", "館長表示，延"]


def test_the_page_number_of_a_paged_thread_is_not_in_the_title():
    assert title_of(f"<div>{BODY}</div>", "<title>圖書館延長開放時間(页 1)</title>") == "圖書館延長開放時間"
    assert title_of(f"<h1>圖書館延長開放時間（第2頁）</h1><div>{BODY}</div>", "") == "圖書館延長開放時間"
