"""Structures of old layouts, blogs and forums found on the development set's remaining
misses, each reproduced by a minimal page or text written here: one behaviour per test, no
real page's text."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from seedfeed.ingest import parse_seed

ZONE = ZoneInfo("Asia/Shanghai")
BODY = ("<p>市图书馆今天起延长开放时间，周末也将开放到晚上九点，方便上班族借阅图书。</p>"
        "<p>馆长表示，延长开放时间是读者问卷中呼声最高的一项，后续还会增加自习座位。</p>")


def page(inner: str, head: str = "<title>图书馆延长开放时间</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{inner}</body></html>"


def parse(html: str):
    return parse_seed(html.encode("utf-8"), "page.html", ZONE)


def article(*parts: str, head: str = "<title>图书馆延长开放时间</title>"):
    """An article page: the headline, the given markup, then the body."""
    return parse(page("<h1>图书馆延长开放时间</h1>" + "".join(parts) + BODY, head))


# --- metadata ------------------------------------------------------------------------------

def test_a_sites_long_keyword_list_does_not_reject_the_article():
    # the whole site's SEO list, words joined by blanks: the seed limit on declared tags
    # must not throw the article away
    words = " ".join(f"关键词{i}" for i in range(90))
    art = parse(page(f"<h1>图书馆延长开放时间</h1>{BODY}",
                     f"<title>图书馆延长开放时间</title><meta name=keywords content='{words}'>"))
    assert art.title == "图书馆延长开放时间"
    assert 0 < len(art.tags) <= 20 and art.tags[0] == "关键词0"


def test_many_comma_separated_keywords_keep_the_first_ones():
    words = ", ".join(f"词{i}" for i in range(86)) + ", " + "长" * 120
    art = parse(page(f"<h1>图书馆延长开放时间</h1>{BODY}",
                     f"<title>图书馆延长开放时间</title><meta name=keywords content='{words}'>"))
    assert art.tags[:2] == ("词0", "词1") and len(art.tags) == 20


# --- bylines -------------------------------------------------------------------------------

def test_an_author_box_names_the_writer_not_its_follow_button():
    art = article("<div class='author-info'><a class='author-info__name' href='/u/1'>管小明</a>"
                  "<div class='author-info__attention'>关注</div></div>")
    assert art.author == "管小明"


def test_an_element_named_author_gives_the_reporter_beside_the_source():
    art = article("<div class='meta'><span>2023-06-15 08:10</span><span>来源：某某新闻网</span>"
                  "<span id='author_x'>王帆</span></div>")
    assert art.author == "王帆" and art.source == "某某新闻网"


def test_a_forum_handle_in_a_nickname_element_is_the_author_not_the_posting_account():
    # a profile box (WeChat's 'profileBt') names the account that posts, not the writer
    art = article("<span class='rich_media_meta_nickname' id='profileBt'><a href='#'>掌上某地</a>"
                  "</span><div class='bar'><a class='follow-nickName' href='/u/9'>A-小明-读书会</a></div>")
    assert art.author == "A-小明-读书会"


def test_a_desk_the_json_ld_declares_an_organisation_is_no_author():
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "author": '
          '{"@type": "Organization", "name": "某某電台-財經"}}</script>')
    art = article("<span class='author-byline'>某某電台-財經</span><a href='/author/wang-ming/'>王明</a>",
                  head="<title>图书馆延长开放时间</title>" + ld)
    assert art.author == "王明"



def test_a_byline_line_opened_by_a_bullet_is_the_author():
    art = article("", "<p>□ 本报记者 葛小丹</p>")
    assert art.author == "葛小丹"


def test_a_credit_word_before_the_outlet_and_reporter_line_is_read():
    # '整合 某报·某点记者 X' closing the text, a sources line after it
    art = parse(page("<h1>图书馆延长开放时间</h1>" + BODY + "<p>整合 某某日报·某某点记者 徐小翔</p>"
                     "<p>素材来源 各区党报及官方发布</p>"))
    assert art.author == "徐小翔"


def test_an_outlet_channel_and_reporters_spaced_out_over_the_text():
    art = article("<p>某某网某某频道&nbsp; 记者&nbsp; 伊小琳&nbsp; 李清芬</p>")
    assert art.author == "伊小琳、李清芬"


SIGNED_POST = ("<p>本贴由读书人甲于2005年8月12日16:12:21在〖读书论坛〗发表.</p>"
               "<p>郑重声明：任何言论纯属作者个人观点，与本站无关；</p>")


def test_a_forum_posts_signature_names_the_poster():
    art = parse(page("<h1>图书馆延长开放时间</h1>" + BODY + SIGNED_POST))
    assert art.author == "读书人甲"


def test_a_forum_posts_signature_in_a_text_dump_gives_poster_and_date():
    text = "图书馆延长开放时间\n[ 回复本贴 ] [ 关闭本窗口 ]\n" + "\n".join(
        p.replace("</p>", "") for p in (BODY + SIGNED_POST).split("<p>") if p)
    art = parse_seed(text.encode("utf-8"), "post.txt", ZONE)
    assert art.author == "读书人甲"
    assert art.published == datetime(2005, 8, 12, 16, 12, 21, tzinfo=ZONE)


def test_a_source_line_naming_a_person_gives_the_author():
    art = parse(page("<h1>图书馆延长开放时间</h1>" + BODY + "<p>来源: 尹小娟</p>"))
    assert art.author == "尹小娟" and art.source is None


def test_a_byline_giving_the_writers_post_first_yields_the_name():
    art = parse(page("<h1>图书馆延长开放时间</h1>" + BODY + "<p>（本文来源：某某日报 作者：某某交流"
                     "中心研究部部长，“城市阅读”课题组组长、研究员徐小忱）"
                     "<a href='/'>返回首页，查看更多</a></p>"))
    assert art.author == "徐小忱"


def test_an_old_portals_date_line_names_the_reporter_in_brackets():
    # the headline in a custom tag inside <strong>; the row under it: the site's domain,
    # the date, '[ name ]' and the source, separated by icon-font glyphs
    html = page("<table><tr><td><strong><fltitle>图书馆延长开放时间</fltitle></strong></td></tr>"
                "<tr><td><font>NEWS.EXAMPLE.COM</font>\u30002004年7月16日08:19\n[ 黄小宇 ]\ue5c2 来源："
                "[ <a href='/p'>某某金融报</a> ]\ue5c2</td></tr></table>"
                f"<table><tr><td>{BODY}</td></tr></table>")
    art = parse(html)
    assert (art.author, art.source) == ("黄小宇", "某某金融报")
    assert art.published == datetime(2004, 7, 16, 8, 19, tzinfo=ZONE)

# --- bodies --------------------------------------------------------------------------------

TEXT = ("市图书馆今天起延长开放时间，周末也将开放到晚上九点，方便上班族借阅图书。馆长表示，"
        "延长开放时间是读者问卷中呼声最高的一项，后续还会增加自习座位。")


def test_a_body_typed_into_a_table_cell_beside_an_empty_ad_slot_is_the_article():
    # an old table layout: the story is loose text in a <td> that also holds an (empty)
    # ad <div>; the page's menus and footer sit in other cells of the same table
    html = page("<table><tr><td><div>香港 國際 中國 經濟</div></td></tr>"
                "<tr><td class='headline'>图书馆延长开放时间 <span><br>2014-12-18 (13:44)</span></td></tr>"
                f"<tr><td class='bodytext'><div id='embed_banner'></div>{TEXT}</td></tr>"
                "<tr><td><div class='spacer'></div>| <a href='/a'>頭條日報</a> | "
                "<a href='/b'>新聞搜尋</a> | Copyright Some Paper Ltd. all rights reserved. "
                "General enquiries, contact us at info@example.com</td></tr></table>")
    art = parse(html)
    assert art.paragraphs == (TEXT,)


def test_photo_captions_are_not_article_text():
    # a <figcaption>, a line repeating the image's alt text, and a line right after an
    # image that closes on the photographer's credit
    art = article("<figure><img src='https://example.com/a.jpg' alt='馆长在新馆门前接受采访'>"
                  "<figcaption>馆长在新馆门前接受采访（某某提供）</figcaption></figure>",
                  "<img src='https://example.com/b.jpg' alt='读者在阅览室内借阅图书，座无虚席'>"
                  "<p>读者在阅览室内借阅图书，座无虚席</p>",
                  "<div><img src='https://example.com/c.jpg'>"
                  "<p>4月1日，读者在自习区学习。 新华社记者 王明 摄</p></div>")
    assert art.paragraphs == tuple(BODY.replace("<p>", "").split("</p>")[:2])


def test_promotion_links_typed_after_the_last_paragraph_are_cut():
    art = parse(page("<article><h1>图书馆延长开放时间</h1><div>" + BODY +
                     "<a href='/v'>＜＜即时新闻动起来＞＞<br><br>【动即时】：最新的影音频道</a><br><br>"
                     "<a href='/f'>【评论阵线】：最新评论每日总览</a><br><br>"
                     "有话要说 投稿「即时论坛」<br>opinions@example.com</div></article>"))
    assert art.paragraphs == tuple(BODY.replace("<p>", "").split("</p>")[:2])



# --- text dumps ----------------------------------------------------------------------------

DUMP_BODY = ("市图书馆今天起延长开放时间，周末也将开放到晚上九点，方便上班族借阅图书。\n"
             "馆长表示，延长开放时间是读者问卷中呼声最高的一项，后续还会增加自习座位。")
RELATED = "\n最新动态\n聚焦本月经济成绩单\n某区近9万居民有了家庭医生\n销量大增，新能源车持续火爆\n"


def dump_author(body_end: str) -> str | None:
    text = "图书馆延长开放时间\n2024-05-08 10:00\n" + DUMP_BODY + body_end + RELATED
    return parse_seed(text.encode("utf-8"), "dump.txt", ZONE).author


def test_a_dumps_reporter_line_before_the_pages_related_links_is_the_author():
    assert dump_author("\n记者 刘小涛") == "刘小涛"


def test_a_dumps_text_by_line_before_the_editor_is_the_author():
    assert dump_author("\n文/栗小思\n编辑/倪家宁\n特别声明：以上内容为用户上传并发布。") == "栗小思"
