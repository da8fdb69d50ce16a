"""Article bodies on structures found on the development set's fourth-round misses (text
beside a floated box of links, interviews, comment forms, closing lines), each reproduced
by a minimal page written here: one behaviour per test, no real page's text."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from seedfeed.ingest import parse_seed

ZONE = ZoneInfo("Asia/Shanghai")
TITLE = "图书馆延长开放时间"
FIRST = "市图书馆今天起延长开放时间，周末也将开放到晚上九点。"
REST = ("<p class='text'>馆长表示，延长开放时间是读者问卷中呼声最高的一项，后续还会增加自习座位，"
        "并在每层设置还书机，读者不必再到一楼服务台排队，借还书的时间可以缩短一半以上。</p>"
        "<p class='text'>不少读者说，下班后终于有地方安静看书了，希望周边的社区图书室也能跟进，"
        "让更多居民在家门口就能借到新书，孩子放学后也有一个可以做功课的去处。</p>"
        "<p class='text'>据介绍，新的开放时间先试行三个月，图书馆将根据各时段的进馆人数调整值班安排，"
        "并在官方网站上公布每周的客流情况，方便读者错峰前往。</p>")


def parse(inner: str, head: str = f"<title>{TITLE}</title>"):
    html = f"<!DOCTYPE html><html><head>{head}</head><body>{inner}</body></html>"
    return parse_seed(html.encode("utf-8"), "page.html", ZONE)


def links(*texts: str) -> str:
    return "".join(f"<a href='/n/{i}.html'>{t}</a><br>" for i, t in enumerate(texts))


def test_the_paragraph_before_a_box_of_links_floated_into_the_text_is_kept():
    # an old portal's template: a box of recommended stories over the text, the first
    # paragraph, then an ad box (a table of links floated right) and the other paragraphs
    teasers = links("某地举办春季运动会吸引万人参加", "新款手机发布会今晚举行", "城市公园新增十条步道",
                    "高速公路服务区升级改造完成")
    ads = "".join(f"<tr><td><a href='http://ads.example/{i}'>{t}</a></td></tr>" for i, t in
                  enumerate(["专业护肤中心限时优惠活动", "名师辅导班暑期报名开始", "品牌家具工厂直销特价",
                             "健康体检套餐预约送礼"]))
    art = parse(f"<div id='main'><h1>{TITLE}</h1><table><tr><td>今日推荐</td><td>{teasers}</td>"
                f"</tr></table><p class='text'>{FIRST}</p><table align='right'>{ads}</table>"
                f"{REST}</div>")
    assert art.paragraphs[0] == FIRST
    assert len(art.paragraphs) == 4
    assert not any("优惠" in p or "运动会" in p for p in art.paragraphs)


def test_an_interviewers_questions_are_body_text_not_a_byline():
    question = "记者：您怎样看待读者提出的延长开放时间的建议？"
    short = "记者：延长以后人手够不够？"
    art = parse(f"<h1>{TITLE}</h1><p>{FIRST}</p><p>{question}</p>"
                "<p>馆长：这是读者问卷里呼声最高的一项，我们研究了很久，今年终于落实了。</p>"
                f"<p>{short}</p><p>馆长：我们招了二十名志愿者，周末由他们协助借还书。</p>")
    assert question in art.paragraphs and short in art.paragraphs
    assert art.author is None


def test_a_video_players_controls_and_messages_are_not_article_text():
    player = ("<div class='media-box'><div class='bar'><span>00:00</span><span>倍速</span></div>"
              "<video src='/v/1.mp4'></video><div class='msg'>很抱歉，当前视频加载失败</div>"
              "<div class='code'>错误代码：A.1001</div><div>时长：01:45</div><div>建议WIFI下观看</div></div>")
    art = parse(f"<h1>{TITLE}</h1><div class='content'>{player}<p>{FIRST}</p>{REST}</div>")
    assert art.paragraphs[0] == FIRST
    assert not any("视频" in p or "时长" in p for p in art.paragraphs)


def test_a_comment_form_and_a_posts_counter_after_the_text_are_cut():
    # a blog post: the text, its view counter and trackback line, then the comment form
    # (the form's fields go with every control; its labels must go too)
    form = ("<h3>发表评论</h3><form action='/post' method='post'>"
            "<p><input name='author'><label><small>昵称</small></label></p>"
            "<p><input name='email'><label><small>E-mail (不会公开显示)</small></label></p>"
            "<p><textarea name='comment'></textarea></p>"
            "<p><small>(评论中可使用以下标签: &lt;a href=&quot;&quot;&gt; &lt;b&gt;)</small></p></form>")
    art = parse(f"<h1>{TITLE}</h1><div class='post'><p>{FIRST}</p>{REST}"
                "<span>(本文发表于分类<a href='/c/7'>城市生活</a>, 已被阅读178次)</span>"
                "<div><span>本文引用通告链接: /trackback.php?p=1700</span></div>"
                f"{form}</div>")
    assert art.paragraphs[0] == FIRST and len(art.paragraphs) == 4
    assert not any("阅读" in p or "trackback" in p or "标签" in p for p in art.paragraphs)


def test_a_page_wide_form_around_the_article_is_not_a_widget():
    # ASP.NET pages wrap the whole page in one <form>
    art = parse(f"<form id='form1' method='post'><div class='nav'><a href='/'>首页</a></div>"
                f"<div><h1>{TITLE}</h1><div><p>{FIRST}</p>{REST}</div></div></form>")
    assert art.paragraphs[0] == FIRST and len(art.paragraphs) == 4


def test_a_contributors_disclaimer_closing_an_opinion_piece_is_cut():
    note = "●作者王明，某大学经济系教授。本文为读者投稿，言论不代表本网立场。欢迎投稿。"
    art = parse(f"<h1>{TITLE}</h1><div><p>{FIRST}</p>{REST}<p><strong>{note}</strong></p></div>")
    assert art.paragraphs[-1].startswith("据介绍") and len(art.paragraphs) == 4


def test_a_closing_line_of_dialogue_trailing_off_is_text():
    # a story ending on a short quoted line: '……' inside the quotes is no teaser's cut-off
    art = parse(f"<h1>{TITLE}</h1><div><p>{FIRST}</p>{REST}<p>“谢谢你……”</p></div>")
    assert art.paragraphs[-1] == "“谢谢你……”"


def test_text_typed_straight_into_sections_is_the_article():
    # an editor that types each paragraph into a <section> of its own, images between
    sections = "<section><img src='/i/1.jpg'></section>".join(
        f"<section>{t}</section>" for t in (FIRST, "馆长表示，延长开放时间是读者问卷中呼声最高的一项，"
                                            "后续还会增加自习座位，并在每层设置还书机。",
                                            "不少读者说，下班后终于有地方安静看书了，希望周边的社区图书室也能跟进。"))
    art = parse(f"<h1>{TITLE}</h1><div class='content'>{sections}"
                "<section><p><span>据介绍，新的开放时间先试行三个月。</span></p></section></div>")
    assert art.paragraphs[0] == FIRST and len(art.paragraphs) == 4


def test_a_summary_block_over_the_text_opens_the_article():
    lead = "核心提示：图书馆延长开放时间，今后周末也能去自习了。"
    art = parse(f"<h1>{TITLE}</h1><div class='art_summary'>{lead}</div>"
                f"<div class='art_content'><p>{FIRST}</p>{REST}</div>")
    assert art.paragraphs[:2] == (lead, FIRST) and len(art.paragraphs) == 5


def post(title: str, when: str, paragraphs: list[str]) -> str:
    """One post of an old blog's page of posts, its title, date and icon in cells of one class."""
    body = "<br><br>".join(paragraphs)
    return (f"<table><tr><td class='post-title'>{title}</td><td class='post-title'>{when}</td>"
            f"<td class='post-title'><img src='/up.gif'></td></tr></table>"
            f"<table><tr><td class='post-body'>{body}</td></tr>"
            f"<tr><td class='post-footer'>由海边人张贴 @ {when} (370)</td></tr></table>")


def test_a_blogs_page_of_posts_gives_the_first_post_not_the_longest():
    first = post(TITLE, "2005-06-14 03:25:55", [FIRST, "馆长表示，后续还会增加自习座位，并设置还书机。"])
    longer = post("夏夜的露天电影", "2005-06-10 05:53:20",
                  [f"小时候每到夏天，村里会放一场露天电影，大家搬着小凳子早早去占位置，第{i}排总是最挤。"
                   for i in range(1, 9)])
    art = parse(f"<div class='posts'>{first}{longer}</div>",
                head="<title>海边人 - 博客</title>")
    assert art.title == TITLE
    assert art.paragraphs[0] == FIRST and len(art.paragraphs) == 2
    assert art.author == "海边人"  # the footer's signature, though the blog bears the name
