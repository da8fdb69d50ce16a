"""Regression tests for ingest rules that generalise beyond the shared corpus.

Every page here is small and invented (other sites, other layouts and phrasings: government
notices, TV stations, wire copy, Taiwan/Hong Kong pages, bilingual sites); each test pins one
generic rule that an earlier version got wrong.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from seedfeed.ingest import parse_seed
from seedfeed.ingest.htmlpage import parse_html
from seedfeed.ingest.people import normalise_people

SHANGHAI = ZoneInfo("Asia/Shanghai")


def parse(text: str, name: str = "page.txt"):
    return parse_seed(text.encode("utf-8"), name, SHANGHAI)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


# ---------------------------------------------------------------- scraped text: meta lines
def test_bracketed_weekday_after_the_date_is_still_a_meta_line() -> None:
    art = parse("县融媒\n县城新增停车位800个\n2024年10月8日（星期二）　来源：县交通局\n"
                "国庆前夕，县城新增公共停车位800个。\n")
    assert art.title == "县城新增停车位800个"
    assert art.published == at(2024, 10, 8)
    assert art.source == "县交通局"


def test_unlabelled_outlet_beside_the_date_is_the_source() -> None:
    art = parse("县新闻网\n县举办农民丰收节\n2024-09-22 10:05　县融媒体中心\n"
                "9月22日，县首届农民丰收节开幕。\n")
    assert (art.title, art.published, art.source) == ("县举办农民丰收节", at(2024, 9, 22, 10, 5),
                                                      "县融媒体中心")
    above = parse("2024-06-15 14:22 新华网\n卫星发射成功\n卫星顺利进入预定轨道。\n")
    assert (above.title, above.source) == ("卫星发射成功", "新华网")


def test_a_labelled_source_wins_over_an_outlet_beside_the_date() -> None:
    art = parse("新华网　2024年06月15日 14:22【来源：新华社】\n卫星发射成功\n卫星顺利进入预定轨道。\n")
    assert (art.title, art.published, art.source) == ("卫星发射成功", at(2024, 6, 15, 14, 22),
                                                      "新华社")


def test_a_date_with_other_words_is_not_meta() -> None:
    art = parse("市政府网\n2024年12月2日 农历十月初二\n公园新增健身步道\n"
                "发布时间：2024-11-28 来源：市城管局\n近日，公园新增健身步道两公里。\n")
    assert art.title == "公园新增健身步道"
    assert art.published == at(2024, 11, 28)
    greeting = parse("2024年12月02日 星期一 欢迎访问市政府网\n首页 | 政务公开 | 互动交流\n"
                     "公园新增健身步道\n发布时间：2024-11-28 来源：市城管局\n"
                     "近日，公园新增健身步道两公里。\n")
    assert (greeting.title, greeting.published, greeting.source) == (
        "公园新增健身步道", at(2024, 11, 28), "市城管局")


def test_more_view_counter_labels_and_english_labels() -> None:
    views = parse("信息网\n阅读次数：1024  发布时间：2024-06-06 09:00\n端午假期接待游客120万人次\n"
                  "端午假期，全市共接待游客120万人次。\n")
    assert views.title == "端午假期接待游客120万人次"
    assert views.published == at(2024, 6, 6, 9)
    english = parse("Times 中文网\n中欧班列开行突破1.5万列\n"
                    "Published: 2024-11-28 17:30 Source: 中文网 Author: Li Wei\n"
                    "今年以来，中欧班列累计开行突破1.5万列。\n")
    assert english.title == "中欧班列开行突破1.5万列"
    assert (english.published, english.source, english.author) == (
        at(2024, 11, 28, 17, 30), "中文网", "Li Wei")
    assert not any("Published" in p for p in english.paragraphs)


def test_tv_crew_credits_and_issuing_unit() -> None:
    tv = parse("电视台\n智慧公交专用道启用\n2024年07月01日 19:20 来源：电视台 记者：陈刚 摄像：刘伟\n"
               "今天上午，市区首条智慧公交专用道正式启用。\n")
    assert tv.author == "陈刚"
    notice = parse("市政府全球資訊網\n老舊公寓增設電梯補助\n發布日期：2024-03-18 發布單位：都市發展局\n"
                   "臺北市政府今日宣布擴大補助計畫。\n")
    assert (notice.published, notice.source) == (at(2024, 3, 18), "都市發展局")


def test_colonless_text_and_photo_credit_is_not_part_of_the_source() -> None:
    art = parse("晚报\n银杏大道迎来观赏期\n发稿时间：2024-11-20 16:48　稿源：晚报　文/图 记者 何佳\n"
                "连日来，城东银杏大道上的银杏叶逐渐变黄。\n")
    assert (art.source, art.author) == ("晚报", "何佳")


def test_publish_time_label_then_a_notice_field_list() -> None:
    art = parse("区文化馆\n关于举办春节游园活动的公告\n发布时间：2025-01-20\n"
                "活动时间：2025年1月29日至2月2日\n活动地点：区文化广场\n欢迎广大市民踊跃参加。\n")
    assert art.published == at(2025, 1, 20)
    assert art.paragraphs[0] == "活动时间：2025年1月29日至2月2日"


def test_dateline_byline_in_the_first_paragraph_gives_the_author() -> None:
    paper = parse("都市报\n电网负荷创新高\n2024-08-06 来源：都市报\n"
                  "本报讯（记者 孙悦 通讯员 钱程）8月5日，全市电网最高负荷创历史新高。\n")
    assert paper.author == "孙悦、钱程"
    assert paper.paragraphs[0].startswith("本报讯（记者")  # the dateline stays body text
    wire = parse("卫星发射成功\n2024-06-15 来源：新华网\n"
                 "新华社酒泉6月15日电（记者 吴晨）我国成功发射一颗气象卫星。\n")
    assert wire.author == "吴晨"
    labelled = parse("卫星发射成功\n2024-06-15 作者：王五\n"
                     "新华社酒泉6月15日电（记者 吴晨）我国成功发射一颗气象卫星。\n")
    assert labelled.author == "王五"  # a labelled byline wins


def test_meta_line_after_a_long_menu_is_found() -> None:
    menu = "\n".join(f"栏目{i}" for i in range(45))
    art = parse(f"市政府门户网站\n{menu}\n首页 > 政务动态\n市召开优化营商环境大会\n"
                "发布时间：2024-02-19 09:00　来源：市政府办公室\n2月19日，市召开优化营商环境大会。\n")
    assert (art.title, art.published, art.source) == ("市召开优化营商环境大会",
                                                      at(2024, 2, 19, 9), "市政府办公室")


# ---------------------------------------------------------------- scraped text: furniture
def test_bare_control_word_rows_are_furniture() -> None:
    for row in ("打印  关闭", "列印　關閉", "【纠错】", "回上一頁", "【打印】"):
        art = parse(f"日报\n全市部署森林防火\n2024-09-20 来源：日报\n"
                    f"会议强调，要加强巡山护林，严禁野外用火。\n（责任编辑：周敏）\n{row}\n")
        assert art.paragraphs == ("会议强调，要加强巡山护林，严禁野外用火。",), row
        assert art.editor == "周敏", row


def test_attachment_download_list_is_furniture() -> None:
    art = parse("网站首页\n图书馆推出夜读服务\n时间：2024-12-02\n"
                "12月起，区图书馆每周五、周六开放至晚上9点。\n相关附件：\n夜读服务时间表.pdf\n")
    assert art.paragraphs == ("12月起，区图书馆每周五、周六开放至晚上9点。",)


def test_a_line_naming_a_qr_code_is_not_a_qr_prompt() -> None:
    art = parse("县新闻网\n县医院开通线上预约\n2024-02-20 来源：县卫健委\n"
                "即日起，县人民医院开通线上预约挂号服务。\n市民扫描医院二维码即可预约\n"
                "线上预约可提前7天挂号，每天0点放号。\n扫码关注我们\n微信扫一扫\n关注该公众号\n")
    assert art.paragraphs == ("即日起，县人民医院开通线上预约挂号服务。", "市民扫描医院二维码即可预约",
                              "线上预约可提前7天挂号，每天0点放号。")


def test_site_suffix_of_a_headerless_dump_leaves_the_title() -> None:
    art = parse("县防汛指挥部启动Ⅳ级应急响应 - 县人民政府网\n日期：2024-07-02　来源：县应急管理局\n"
                "受持续强降雨影响，县防汛指挥部决定启动Ⅳ级应急响应。\n")
    assert art.title == "县防汛指挥部启动Ⅳ级应急响应"
    kept = parse("北京 - 上海高铁加开夜间列车\n日期：2024-07-02\n铁路部门加开夜间列车。\n")
    assert kept.title == "北京 - 上海高铁加开夜间列车"


# ---------------------------------------------------------------- bylines in every format
def test_place_of_filing_is_not_a_name() -> None:
    assert normalise_people("記者 林怡君／高雄報導") == "林怡君"
    assert normalise_people("记者 王明 北京报道") == "王明"
    assert normalise_people("记者 王明／李华") == "王明、李华"


# ---------------------------------------------------------------- HTML
def test_h2_headline_with_a_dash_separated_site_suffix() -> None:
    art = parse_html(
        "<html><head><title>文化馆开放公益培训课程——区人民政府</title>"
        "<meta name='Author' content='区人民政府'></head><body><table>"
        "<tr><td class='nav'><a href='/'>网站首页</a> | <a href='/a'>政务公开</a></td></tr>"
        "<tr><td><h2>文化馆开放公益培训课程</h2></td></tr>"
        "<tr><td>日期：2024-03-05　来源：区文化馆　作者：马玲</td></tr>"
        "<tr><td><p>区文化馆春季公益培训课程即日起开始报名，共开设12个班次。</p>"
        "<p>所有课程免费，每班限额30人。</p></td></tr></table></body></html>", SHANGHAI)
    assert art.title == "文化馆开放公益培训课程"
    assert (art.source, art.author) == ("区文化馆", "马玲")
    assert art.published == at(2024, 3, 5)


def test_h2_section_name_never_replaces_the_page_title() -> None:
    art = parse_html("<html><head><title>文化馆开放公益培训课程——要闻动态——区政府</title></head>"
                     "<body><h2>要闻动态</h2><div><p>区文化馆春季公益培训课程即日起开始报名。</p>"
                     "</div></body></html>", SHANGHAI)
    assert art.title == "文化馆开放公益培训课程——要闻动态——区政府"


def test_a_home_page_canonical_is_not_the_article_url() -> None:
    from zoneinfo import ZoneInfo

    from seedfeed.ingest import parse_seed

    page = ('<html><head><title>区里召开会议 - 某区政府网</title>'
            '<link rel="canonical" href="https://gov.example.org/"></head><body><article>'
            '<h1>区里召开会议</h1><p>会议研究部署了下一阶段的重点工作，要求各部门抓好落实。</p>'
            '<img src="/img/a.jpg"></article></body></html>')
    art = parse_seed(page.encode(), "a.html", ZoneInfo("Asia/Shanghai"))
    assert art.url is None
    assert 'src="https://gov.example.org/img/a.jpg"' in art.content_html  # still the base


# ---------------------------------------------------------------- round 2: dates
def test_dates_with_a_weekday_dash_or_place_time_label_keep_their_clock() -> None:
    from seedfeed.ingest.dates import find_date

    assert find_date("2024年7月1日 星期一 - 08:15", SHANGHAI) == at(2024, 7, 1, 8, 15)
    assert find_date("2024年10月8日（星期二） 香港時間16時30分", SHANGHAI) == at(2024, 10, 8, 16, 30)


def test_minguo_and_english_dates_are_read() -> None:
    from seedfeed.ingest.dates import find_date

    assert find_date("113-04-15", SHANGHAI) == at(2024, 4, 15)
    assert find_date("民國113年4月15日", SHANGHAI) == at(2024, 4, 15)
    assert find_date("第113-04号", SHANGHAI) is None  # only a value that opens with it
    assert find_date("June 3, 2024", SHANGHAI) == at(2024, 6, 3)
    assert find_date("3 June 2024", SHANGHAI) == at(2024, 6, 3)
    assert find_date("Jun. 12, 2024, 2:15 PM", SHANGHAI) == at(2024, 6, 12, 14, 15)


# ---------------------------------------------------------------- round 2: Markdown
def test_draft_and_unpublished_markdown_is_rejected_with_a_reason() -> None:
    import pytest

    from seedfeed.errors import SeedError

    for flag in ("draft: true", "published: false"):
        with pytest.raises(SeedError, match="unfinished"):
            parse(f"---\ntitle: 河道清淤\ndate: 2024-06-01\n{flag}\n---\n正文。\n", "a.md")
    art = parse("---\ntitle: 河道清淤\ndate: 2024-06-01 09:30\ndraft: false\n---\n正文。\n", "a.md")
    assert art.published == at(2024, 6, 1, 9, 30)
    toml = parse('+++\ntitle = "河道清淤"\ndraft = false\n+++\n正文。\n', "a.md")
    assert toml.title == "河道清淤"


def test_front_matter_without_an_opening_fence_and_pandoc_title_blocks() -> None:
    hexo = parse("title: 马拉松报名开启\ndate: 2024/09/01 10:00:00\ntags:\n- 体育\n---\n"
                 "今日开放报名。\n", "a.md")
    assert (hexo.title, hexo.published, hexo.tags) == ("马拉松报名开启", at(2024, 9, 1, 10),
                                                       ("体育",))
    pandoc = parse("% 社区食堂推出助餐服务\n% 王芳; 刘洋\n% 2024-05-20\n\n助餐服务每天两个时段。\n",
                   "a.md")
    assert (pandoc.title, pandoc.author, pandoc.published) == (
        "社区食堂推出助餐服务", "王芳、刘洋", at(2024, 5, 20))
    from seedfeed.ingest.markdown import split_front_matter

    setext = "Note: 这不是元数据\n---\n\n正文一段。\n"  # no title key: a Markdown heading
    assert split_front_matter(setext) == ({}, setext)


def test_nested_params_extra_and_taxonomies_fields_are_read() -> None:
    hugo = parse("---\ntitle: 旧厂房变身文创园\nparams:\n  author: 孙悦\n  source: 城市日报\n---\n"
                 "正文。\n", "a.md")
    assert (hugo.author, hugo.source) == ("孙悦", "城市日报")
    zola = parse('+++\ntitle = "吞吐量增长"\nauthors = ["陈晨"]\n[taxonomies]\ntags = ["港口"]\n'
                 '[extra]\nsource = "港务集团"\n+++\n正文。\n', "a.md")
    assert (zola.author, zola.source, zola.tags) == ("陈晨", "港务集团", ("港口",))


# ---------------------------------------------------------------- round 2: scraped text
def test_a_clock_line_under_the_date_line_and_a_date_after_the_end_mark() -> None:
    top = parse("新聞公報\n政府公布空氣質素指標\n2024年10月8日（星期二）\n香港時間16時30分\n"
                "環境保護署今日公布第三季空氣質素數據，整體有所改善。\n")
    assert top.published == at(2024, 10, 8, 16, 30)
    assert top.paragraphs[0].startswith("環境保護署")
    end = parse("立法會十七題：公共圖書館服務\n以下是今日在立法會會議上議員的提問和局長的書面答覆：\n"
                "過去三年公共圖書館的總借閱量持續上升。\n完\n2024年10月9日（星期三）\n香港時間14時20分\n")
    assert end.title == "立法會十七題：公共圖書館服務"
    assert end.published == at(2024, 10, 9, 14, 20)
    assert end.paragraphs[-1] == "過去三年公共圖書館的總借閱量持續上升。"


def test_agency_datelines_and_reporter_brackets_name_the_author() -> None:
    wire = parse("通訊社\n蜂炮今晚登場\n2024/02/24 10:20（更新時間：2024/02/24 12:05）\n"
                 "（中央社記者林美華台南24日電）鹽水蜂炮今晚登場，警方實施交通管制。\n"
                 "預估湧入遊客10萬人次。（編輯：張志明）1130224\n")
    assert (wire.title, wire.author, wire.editor) == ("蜂炮今晚登場", "林美華", "張志明")
    assert (wire.published, wire.updated) == (at(2024, 2, 24, 10, 20), at(2024, 2, 24, 12, 5))
    assert wire.paragraphs[-1] == "預估湧入遊客10萬人次。"
    line = parse("新聞網\n花卉博覽會登場\n發佈時間：2024-03-01 09:15\n【記者陳冠宇／彰化報導】\n"
                 "花卉博覽會今日登場，展期一個月。\n")
    assert (line.author, line.paragraphs[0]) == ("陳冠宇", "花卉博覽會今日登場，展期一個月。")


def test_english_byline_relative_time_and_share_prompt() -> None:
    art = parse("Town Chronicle\nCouncil approves new cycle lanes\nBy Jane Doe\nPublished 3 hours ago\n"
                "The council approved plans on Tuesday for protected cycle lanes.\n"
                "Share this article\n")
    assert (art.title, art.author, art.published) == ("Council approves new cycle lanes",
                                                      "Jane Doe", None)
    assert art.paragraphs == ("The council approved plans on Tuesday for protected cycle lanes.",)


def test_disclosure_fields_are_meta_and_a_salutation_follows_the_headline() -> None:
    art = parse("市人民政府\n索引号：014123456/2024-00321\n发布机构：市教育局\n成文日期：2024-06-25\n"
                "发布日期：2024-06-28\n关于做好暑期学生安全工作的通知\n各区教育局：\n"
                "现就有关事项通知如下。\n市教育局\n2024年6月25日\n【纠错】　【责任编辑：韩明】\n")
    assert (art.title, art.published, art.source) == ("关于做好暑期学生安全工作的通知",
                                                      at(2024, 6, 28), "市教育局")
    assert art.paragraphs[0] == "各区教育局：" and art.paragraphs[-1] == "2024年6月25日"
    assert art.editor == "韩明"


# ---------------------------------------------------------------- round 2: HTML
def test_wordpress_entry_meta_vcard_time_and_comments() -> None:
    art = parse_html(
        "<html><head><title>Ferry resumes &#8211; Chronicle</title></head><body><main>"
        "<article class='post'><header><h1 class='entry-title'>Ferry resumes</h1>"
        "<div class='entry-meta'>Posted on <time class='entry-date published' "
        "datetime='2024-06-01T09:30:00+01:00'>June 1</time><time class='updated' "
        "datetime='2024-06-02T11:00:00+01:00'>June 2</time> by <span class='author vcard'>"
        "<a class='url fn n'>Jane Doe</a></span></div></header><div class='entry-content'>"
        "<p>The ferry will run again on Saturdays and Sundays from next week.</p></div>"
        "<footer class='entry-footer'>Tagged ferry</footer></article>"
        "<div id='comments'><article class='comment-body'><p>Finally! I have been waiting for "
        "this for months and months, the bus takes forever and the bridge is jammed.</p>"
        "</article></div></main></body></html>", SHANGHAI)
    assert (art.title, art.author) == ("Ferry resumes", "Jane Doe")
    assert (art.published, art.updated) == (at(2024, 6, 1, 16, 30), at(2024, 6, 2, 18))
    assert art.paragraphs == ("The ferry will run again on Saturdays and Sundays from next week.",)


def test_byline_block_by_line_and_relative_time_are_not_body() -> None:
    art = parse_html(
        "<html><head><title>Storm hits coast - News</title></head><body><article><h1>Storm hits coast"
        "</h1><div data-component='byline-block'><time datetime='2024-02-09T06:45:12.000Z'>"
        "Published 3 hours ago</time><div><span>By Jane Doe</span><span>News, Exeter</span></div>"
        "</div><div data-component='share-tools'><span>Save</span></div>"
        "<p>More than 20,000 homes were left without power on Friday.</p></article></body></html>",
        SHANGHAI)
    assert (art.author, art.published) == ("Jane Doe", at(2024, 2, 9, 14, 45, 12))
    assert art.paragraphs == ("More than 20,000 homes were left without power on Friday.",)
    assert normalise_people("John Smith and Mary Jones") == "John Smith、Mary Jones"


def test_br_laid_out_release_with_end_mark_and_date_after_it() -> None:
    art = parse_html(
        "<html><head><title>政府公布空氣質素數據</title></head><body><div id='top'><a>新聞公報</a>"
        "</div><div id='release'>＊＊＊＊＊＊＊＊<br><br>　　環境保護署今日公布第三季空氣質素數據，"
        "二氧化氮平均濃度較去年同期下降百分之五。<br><br>　　發言人表示，政府會繼續推行各項減排措施。"
        "<br><br>完<br><br>2024年10月8日（星期二）<br>香港時間16時30分</div></body></html>", SHANGHAI)
    assert art.published == at(2024, 10, 8, 16, 30)
    assert art.paragraphs[0].startswith("環境保護署") and len(art.paragraphs) == 2
    assert "完" not in art.content_html and "＊" not in art.content_html


def test_epaper_page_label_update_note_inline_editor_and_dateline_author() -> None:
    paper = parse_html(
        "<html><body><div class='article'><h1>夏粮收购进度过半</h1>"
        "<div class='info'>2024年06月28日 星期五　第A03版：要闻</div><div id='ozoom'>"
        "<p>本报讯（记者 韩雪 通讯员 何平）全市累计收购小麦32万吨，收购进度过半。</p>"
        "</div></div></body></html>", SHANGHAI)
    assert (paper.published, paper.author) == (at(2024, 6, 28), "韩雪、何平")
    wire = parse_html(
        "<html><body><article><h1>輕軌全線通車</h1><div class='timeBox'><span>2024/01/01 16:30"
        "</span>（2024/01/01 17:05 更新）</div><p>（中央社記者王小明高雄1日電）高雄環狀輕軌今天全線通車。"
        "</p><p>尖峰時段班距約為10分鐘。（編輯：李大同）1130101</p><div class='tags'>"
        "<a>交通</a></div></article></body></html>", SHANGHAI)
    assert (wire.published, wire.updated) == (at(2024, 1, 1, 16, 30), at(2024, 1, 1, 17, 5))
    assert (wire.author, wire.editor) == ("王小明", "李大同")
    assert wire.paragraphs[-1] == "尖峰時段班距約為10分鐘。"


def test_footnote_back_reference_is_dropped() -> None:
    art = parse_html("<html><body><article><h1>空气质量创新高</h1><p>优良天数比例达85.2%<sup>"
                     "<a href='#fn1'>[1]</a></sup>。</p><ol class='footnotes'><li id='fn1'>按新标准"
                     "计算。<a href='#ref1'>↩</a></li></ol></article></body></html>", SHANGHAI)
    assert art.paragraphs[-1] == "按新标准计算。"


# ---------------------------------------------------------------- scraped text: save-as-text dumps
def test_credits_disclaimer_and_comment_bar_under_the_body_are_not_body() -> None:
    """A platform page closes the article with 文/X, 编辑/Y, 责任编辑：Z and its own disclaimer;
    the comment bar and its counter follow."""
    art = parse("自媒体号\n河边步道夜间照明改造完成\n2024-03-02 08:10:00　来源：城市观察\n"
                "沿河步道新装路灯一百二十盏，夜跑的市民多了起来。\n"
                "街道表示，下一步将在步道两侧增设休息座椅。\n"
                "文/周岚\n编辑/孙立\n责任编辑：钱程\n"
                "特别声明：以上内容为自媒体平台用户上传并发布，本平台仅提供信息存储服务。\n"
                "网友跟帖\n跟帖12参与340\n关闭\n")
    assert art.paragraphs == ("沿河步道新装路灯一百二十盏，夜跑的市民多了起来。",
                              "街道表示，下一步将在步道两侧增设休息座椅。")
    assert (art.author, art.editor) == ("周岚", "钱程")


def test_loading_prompt_close_button_and_read_more_button_are_furniture() -> None:
    """A survey widget that never loaded leaves its close button and status lines above the
    body; a collapsed page's 'read the rest' button sits under it."""
    art = parse("晨报\n首页> 科技 > 正文\n社区科普站开放天文观测夜\n来源：晨报 2024-05-20 03:15\n"
                "X\n问卷加载中，请稍候。\n若长时间无响应，请刷新本页面\n"
                "市科普站周六晚开放天文观测，市民可预约参加。\n"
                "[ 责编：吴一 ]\n阅读剩余全文（）\n编辑推荐\n一场雨后的城市\n秋天的第一片落叶\n"
                "晨报版权所有\n")
    assert art.paragraphs == ("市科普站周六晚开放天文观测，市民可预约参加。",)
    assert art.editor == "吴一"
    assert art.published == at(2024, 5, 20, 3, 15)


def test_a_forum_post_ends_at_its_signature() -> None:
    """The board's rules and the reply list under a signed post are not the post."""
    art = parse("读书论坛\n关于旧书修补的几点心得\n"
                "旧书脱页时，先用宣纸条衬底，再以稀浆糊粘合，晾干后压平即可。\n"
                "书脊开裂的，可以换一条新的布脊，颜色尽量接近原书。\n"
                "本帖由书虫乙于2006年3月1日09:15:30在〖读书论坛〗发表.\n"
                "郑 重 声 明\n1. 任何言论纯属作者个人观点，与本站无关；\n2. 禁止发表违法言论；\n"
                "本帖跟从标题:\n谢谢分享 读者丙 10:02:11 3/1/06\n(无内容)\n")
    assert art.paragraphs == ("旧书脱页时，先用宣纸条衬底，再以稀浆糊粘合，晾干后压平即可。",
                              "书脊开裂的，可以换一条新的布脊，颜色尽量接近原书。")
    assert (art.author, art.published) == ("书虫乙", at(2006, 3, 1, 9, 15, 30))


def test_a_latest_news_list_naming_the_article_itself_is_not_body() -> None:
    """The headlines after the body include the page's own headline: a list, however plain."""
    art = parse("晚报\n要闻\n老城区供暖管网完成改造\n2024-01-05 18:20\n"
                "记者从市热力公司获悉，老城区十二公里供暖管网已完成改造，全部居民按时供暖。\n"
                "| 最新\n寒潮来袭 明起气温骤降\n老城区供暖管网完成改造\n地铁三号线试运行\n"
                "| 图片\n雪后的公园\n晚报版权所有\n")
    assert art.paragraphs == ("记者从市热力公司获悉，老城区十二公里供暖管网已完成改造，全部居民按时供暖。",)


def test_a_short_line_repeating_the_headline_inside_the_body_stays() -> None:
    """One repeat among paragraphs is no list: the run of headline-like lines is too short."""
    art = parse("晚报\n老城区供暖管网完成改造\n2024-01-05 18:20\n"
                "记者从市热力公司获悉，老城区十二公里供暖管网已完成改造。\n"
                "老城区供暖管网完成改造\n"
                "改造后，管网热损失下降三成，居民室温普遍提高两度。\n")
    assert art.paragraphs[-1] == "改造后，管网热损失下降三成，居民室温普遍提高两度。"
    assert len(art.paragraphs) == 3


def test_a_side_column_between_the_meta_line_and_the_body_is_not_body() -> None:
    """The date glued to a numbered outlet, a report button beside the headline, then a
    column (栏目关注：) of links and headlines before the first paragraph."""
    art = parse("健康频道\n首页 > 饮食 > 正文\n冬天喝汤的三个讲究\n举报/反馈\n"
                "2023-12-20 07:05:3312健康网\n栏目关注：\n养生常识\n中医调理\n"
                "吃盐多了怎么办\n哪些水果不宜空腹吃？\n"
                "天气转冷，很多家庭喜欢煲汤，但喝汤也有不少讲究，下面这几点要记好。\n"
                "汤不宜太烫，五十度左右最合适。\n")
    assert art.title == "冬天喝汤的三个讲究"
    assert art.published == at(2023, 12, 20, 7, 5, 33)
    assert art.source == "12健康网"
    assert art.paragraphs == ("天气转冷，很多家庭喜欢煲汤，但喝汤也有不少讲究，下面这几点要记好。",
                              "汤不宜太烫，五十度左右最合适。")


def test_a_column_heading_spelled_down_the_page_and_a_verb_after_the_clock() -> None:
    """今/日/推/荐 one character a line heads the column; '14:32更新' is the date line; a row
    of bulleted links above the headline is navigation, not part of the headline."""
    art = parse("娱乐频道\n·影院 ·剧照 ·论坛 ·幻灯\n老电影修复版重映 影迷排队购票\n"
                "2006-04-27 14:32更新 来源：影视周报\n发表评论\n今\n日\n推\n荐\n"
                "新片预告 暑期档提前开战\n两位导演合作新作开机\n音乐节门票售罄\n"
                "近日，一批经典老电影的修复版在全市影院重映，不少影迷一早就来排队购票，"
                "有的影院还加开了夜场。\n")
    assert art.title == "老电影修复版重映 影迷排队购票"
    assert (art.published, art.source) == (at(2006, 4, 27, 14, 32), "影视周报")
    assert art.paragraphs[0].startswith("近日，一批经典老电影")
    assert len(art.paragraphs) == 1


def test_a_numbered_agenda_under_a_heading_opens_the_body() -> None:
    """会议议程： and its numbered items are the notice's own text, not a side column."""
    art = parse("区政府网\n关于召开年度工作会议的通知\n发布时间：2024-01-08\n会议议程：\n"
                "一、总结年度工作\n二、表彰先进集体\n三、部署新年任务\n"
                "请各单位主要负责人准时参加，不得缺席，确有特殊情况的须提前请假。\n")
    assert art.paragraphs[:2] == ("会议议程：", "一、总结年度工作")


def test_a_summary_line_the_body_repeats_is_not_the_headline() -> None:
    """A blog prints its entry's summary under the headline, and the body opens with the same
    words; the footer's 'posted @ date name', a part a line, dates and signs the entry."""
    art = parse("博客\n首页\n订阅\n在树莓派上搭一台家用文件服务器\n"
                "记录一次用旧树莓派搭家用文件服务器的过程，包括系统安装和磁盘挂载\n"
                "摘要：记录一次用旧树莓派搭家用文件服务器的过程，包括系统安装和磁盘挂载。"
                "整个过程大约花了一个下午。\n"
                "先把系统写入存储卡，开机后更新软件源。\n"
                "posted @\n2023-11-04 21:08\n林间小屋\n阅读(88)\n评论(1)\n")
    assert art.title == "在树莓派上搭一台家用文件服务器"
    assert art.paragraphs[0].startswith("摘要：记录一次")
    assert (art.author, art.published) == ("林间小屋", at(2023, 11, 4, 21, 8))


def test_a_labelled_first_paragraph_repeating_the_headline_keeps_it() -> None:
    """A headline (no clause mark) the labelled first paragraph repeats is still the headline,
    even under a site name."""
    art = parse("区政府网\n区政府召开常务会议研究部署防汛工作\n"
                "导读：区政府召开常务会议研究部署防汛工作，要求各街道落实值班制度，做好物资储备。\n")
    assert art.title == "区政府召开常务会议研究部署防汛工作"


def test_a_read_the_rest_button_inside_the_article_is_only_a_button() -> None:
    """A dump holds the collapsed rest of the article under the button: the body goes on."""
    art = parse("周报\n旧厂房变身社区书店\n2024-04-02 10:00 来源：周报\n"
                "城东一座闲置多年的旧厂房，经过半年改造，变成了一家社区书店。\n展开全文\n"
                "书店保留了厂房的红砖墙和行车轨道，周末常有读书会。\n")
    assert art.paragraphs == ("城东一座闲置多年的旧厂房，经过半年改造，变成了一家社区书店。",
                              "书店保留了厂房的红砖墙和行车轨道，周末常有读书会。")


def test_the_dumps_title_line_keeps_a_link_line_out_of_the_headline() -> None:
    """The first line of a dump (the page's <title>) is the headline alone: the short line
    above it in the header is a link, not the headline's first half."""
    art = parse("春季花市开幕 百种花卉亮相(图)\n财经首页\n行情查询 使用说明\n"
                "春季花市开幕 百种花卉亮相(图)\n2006-03-01 09:30更新 来源：花卉周刊\n"
                "春季花市昨日开幕，来自各地的百余种花卉集中亮相，吸引了大批市民。\n")
    assert art.title == "春季花市开幕 百种花卉亮相(图)"


def test_a_headline_list_below_the_footer_does_not_reach_back_into_the_body() -> None:
    """The last short line of the body (a photo credit) stays when the list repeating the
    headline only starts below the footer's widgets."""
    art = parse("晚报\n果园里的无人机\n2024-05-15 08:58 来源：晚报\n"
                "眼下，植保无人机在果园上空忙碌，一架无人机一天能作业三百亩。\n"
                "晚报记者 摄\n1 2 3 下一页\n果园里的无人机\n春耕一线\n夏粮收购启动\n")
    assert art.paragraphs[-1] == "晚报记者 摄"
