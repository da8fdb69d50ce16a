"""Unit tests of decode() and the scraped-page text parser on small inline pages.

The pages are invented (other sites, other layouts and phrasings than the shared corpus) so that
the parser is tested for its generic rules, not for the corpus files.
"""

from __future__ import annotations

import codecs
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seedfeed.errors import SeedError
from seedfeed.ingest import parse_seed
from seedfeed.ingest.decode import decode, guess_script
from seedfeed.ingest.scraped import parse_text, summarise

SHANGHAI = ZoneInfo("Asia/Shanghai")


def parse(text: str, zone: ZoneInfo = SHANGHAI):
    """Through the whole ingest path, as the pipeline calls it (decode + clean + parse)."""
    return parse_seed(text.encode("utf-8"), "page.txt", zone)


# ---------------------------------------------------------------- decode
SIMPLIFIED = "南湖区举办首届龙舟邀请赛\n来自周边地区的十六支队伍参加了比赛，现场观众近万人。\n"
TRADITIONAL = "颱風逼近花蓮 全縣停班停課\n縣政府表示，請民眾做好防颱準備，避免前往海邊及山區。\n"


@pytest.mark.parametrize(("data", "want"), [
    (SIMPLIFIED.encode("utf-8"), SIMPLIFIED),
    (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), SIMPLIFIED),
    (codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), SIMPLIFIED),
    (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), SIMPLIFIED),
    (SIMPLIFIED.encode("utf-16-le"), SIMPLIFIED),  # no BOM: told by where the NULs sit
    (SIMPLIFIED.encode("gb18030"), SIMPLIFIED),
    (TRADITIONAL.encode("gb18030"), TRADITIONAL),  # Traditional text saved as GB18030
    (TRADITIONAL.encode("big5"), TRADITIONAL),  # Big5 bytes also "decode" as GB18030
    ("新闻".encode("gb18030"), "新闻"),
    ("新聞".encode("big5"), "新聞"),
    (b"", ""),
])
def test_decode_encodings(data: bytes, want: str) -> None:
    assert decode(data) == want


def test_decode_gb18030_outside_gbk() -> None:
    text = "居民张㐧领取了补贴。"  # U+3427 is in GB18030 but not in GBK
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    assert decode(text.encode("gb18030")) == text


def test_decode_partial_write_drops_only_the_cut_character() -> None:
    data = "公交线路调整".encode()
    assert decode(data[:-1]) == "公交线路调"


def test_decode_keeps_a_stray_nul_for_the_cleaner() -> None:
    assert decode("社区\x00服务站".encode()) == "社区\x00服务站"


@pytest.mark.parametrize(("data", "words"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "PNG image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
    (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
    (bytes(range(256)) * 8, "binary content"),
])
def test_decode_refuses_binary(data: bytes, words: str) -> None:
    with pytest.raises(SeedError) as info:
        decode(data)
    assert words in info.value.reason and "not text" in info.value.reason


def test_decode_refuses_damaged_utf8_instead_of_mojibake() -> None:
    good = ("供水管网改造工程近日全部完工，惠及居民一万六千户。" * 3).encode()
    with pytest.raises(SeedError) as info:
        decode(good[:20] + b"\xff" + good[20:])
    assert "UTF-8" in info.value.reason


def test_decode_refuses_an_encoding_it_cannot_tell() -> None:
    with pytest.raises(SeedError) as info:
        decode("東京都の天気は晴れです。ひらがなとカタカナ。".encode("shift_jis"))
    assert "encoding" in info.value.reason


def test_guess_script() -> None:
    assert guess_script(TRADITIONAL) == "zh-Hant"
    assert guess_script(SIMPLIFIED) == "zh-Hans"
    assert guess_script("Hello world, plain ASCII text.") is None


# ---------------------------------------------------------------- meta, title, furniture
PIPE_PAGE = """南湖新闻网
网站首页 | 新闻中心 | 政务公开 | 便民服务
当前位置：首页 > 新闻中心 > 正文
南湖区举办首届龙舟邀请赛 - 南湖新闻网
发布时间：2024-06-10 09:30 | 来源：南湖日报 | 作者：本报记者 李明 | 浏览次数：1024
　　6月10日，南湖区首届龙舟邀请赛在月湖公园开赛，来自周边地区的16支队伍参加比赛。
　　比赛设200米直道竞速和500米环绕赛两个项目。东湖街道代表队夺得直道竞速冠军。
\t据了解，本次赛事吸引了近万名市民现场观赛。\u00a0
【责任编辑：王芳】
热点推荐
南湖区召开防汛工作会议
月湖公园夜间开放时间延长
Copyright © 2024 南湖新闻网 All Rights Reserved
"""


def test_pipe_separated_meta_and_generic_furniture() -> None:
    art = parse(PIPE_PAGE)
    assert art.title == "南湖区举办首届龙舟邀请赛"  # site suffix gone
    assert art.published == datetime(2024, 6, 10, 9, 30, tzinfo=SHANGHAI)
    assert (art.source, art.author, art.editor) == ("南湖日报", "李明", "王芳")
    assert art.paragraphs == (
        "6月10日，南湖区首届龙舟邀请赛在月湖公园开赛，来自周边地区的16支队伍参加比赛。",
        "比赛设200米直道竞速和500米环绕赛两个项目。东湖街道代表队夺得直道竞速冠军。",
        "据了解，本次赛事吸引了近万名市民现场观赛。",
    )
    assert art.language == "zh-Hans"


TAIWAN_PAGE = """颱風凱米逼近 花蓮宣布停班停課
記者陳大文／花蓮報導
發佈時間: 2024/07/24 18:05
來源: 東部時報
強烈颱風凱米持續逼近，花蓮縣政府今天傍晚宣布，明天全縣停止上班上課。
縣府表示，請民眾做好防颱準備，避免前往海邊及山區。
（完）
延伸閱讀
颱風假怎麼放？一次看懂
凱米颱風最新路徑
"""


def test_traditional_meta_on_separate_lines_with_half_width_colons() -> None:
    art = parse(TAIWAN_PAGE)
    assert art.title == "颱風凱米逼近 花蓮宣布停班停課"
    assert art.published == datetime(2024, 7, 24, 18, 5, tzinfo=SHANGHAI)
    assert (art.source, art.author, art.editor) == ("東部時報", "陳大文", None)
    assert art.paragraphs[-1] == "縣府表示，請民眾做好防颱準備，避免前往海邊及山區。"
    assert len(art.paragraphs) == 2  # （完）and the related-reading list are gone
    assert art.language == "zh-Hant"


def test_date_first_meta_with_weekday_inline_byline_and_inline_editor() -> None:
    art = parse("北湖晚报\n北湖新区公交线网优化方案公布\n"
                "2024年3月5日 星期二 09:00　来源：北湖晚报　记者 赵强 钱丽\n"
                "北湖新区公交线网优化方案今天公布，新方案调整线路12条。（编辑：孙悦）\n"
                "分享到：微信 微博\n点赞(12) 在看(3)\n晚间新闻20240305\n晚间新闻20240304\n")
    assert art.published == datetime(2024, 3, 5, 9, 0, tzinfo=SHANGHAI)
    assert (art.source, art.author, art.editor) == ("北湖晚报", "赵强、钱丽", "孙悦")
    assert art.paragraphs == ("北湖新区公交线网优化方案今天公布，新方案调整线路12条。",)


def test_meta_line_above_the_headline() -> None:
    art = parse("城西街道办事处\n2024-05-20 来源：城西街道\n城西街道开展垃圾分类宣传周活动\n"
                "5月20日起，城西街道在12个社区同步开展垃圾分类宣传，志愿者入户发放手册。\n")
    assert art.title == "城西街道开展垃圾分类宣传周活动"
    assert art.published == datetime(2024, 5, 20, tzinfo=SHANGHAI)
    assert art.source == "城西街道"


def test_byline_line_without_labels_and_slash_credits() -> None:
    art = parse("城南晚报\n城南区首条有轨电车试运行\n文/张华 图/李强\n2024.08.01 16:20\n"
                "8月1日，城南区首条有轨电车开始试运行。\n")
    assert art.author == "张华、李强"
    assert art.published == datetime(2024, 8, 1, 16, 20, tzinfo=SHANGHAI)


def test_byline_with_roles_gives_every_name() -> None:
    art = parse("西山区运动会开幕\n本报记者 周文 吴雪 特约通讯员 郑乐\n时间：2024-10-01\n"
                "西山区第五届全民运动会今天开幕，共设田径、游泳等12个大项。\n")
    assert art.author == "周文、吴雪、郑乐"


def test_title_label_updated_time_and_original_title_line() -> None:
    art = parse("标题：东坡公园荷花进入最佳观赏期\n"
                "更新时间：2024-07-02 08:00 发布时间：2024-07-01 10:00 来源：园林局\n"
                "连日来，东坡公园的荷花竞相开放，吸引众多市民前来观赏。\n原标题：东坡公园荷花盛开\n")
    assert art.title == "东坡公园荷花进入最佳观赏期"
    assert art.published == datetime(2024, 7, 1, 10, 0, tzinfo=SHANGHAI)
    assert art.updated == datetime(2024, 7, 2, 8, 0, tzinfo=SHANGHAI)
    assert art.paragraphs == ("连日来，东坡公园的荷花竞相开放，吸引众多市民前来观赏。",)


def test_editor_after_the_share_bar_is_metadata() -> None:
    art = parse("东湖镇开通夜间公交\n日期：2024/9/1\n东湖镇今起开通两条夜间公交线路。\n"
                "分享到：\n责任编辑：冯晓\n")
    assert art.editor == "冯晓"
    assert art.published == datetime(2024, 9, 1, tzinfo=SHANGHAI)
    assert art.paragraphs == ("东湖镇今起开通两条夜间公交线路。",)


def test_source_value_with_a_date_and_no_date_label() -> None:
    art = parse("来源：东城网 2024-01-05\n东城区举办新春游园会\n"
                "游园会将持续三天，设有猜灯谜活动。\n")
    assert (art.title, art.source) == ("东城区举办新春游园会", "东城网")
    assert art.published == datetime(2024, 1, 5, tzinfo=SHANGHAI)


def test_notice_without_meta_keeps_its_own_fields_and_signature() -> None:
    art = parse("关于暂停办理部分业务的公告\n各位市民：\n"
                "因系统升级，5月25日暂停办理登记业务，5月27日起恢复正常。\n特此公告。\n"
                "市不动产登记中心\n2024年5月22日\n")
    assert art.title == "关于暂停办理部分业务的公告"
    assert art.published is None
    assert art.paragraphs[0] == "各位市民："
    assert art.paragraphs[-2:] == ("市不动产登记中心", "2024年5月22日")


def test_event_field_list_is_body_not_meta() -> None:
    art = parse("市图书馆举办少儿阅读分享会\n时间：2024年6月1日上午9:00\n地点：市图书馆少儿阅览室\n"
                "欢迎广大市民报名参加。\n")
    assert art.title == "市图书馆举办少儿阅读分享会"
    assert art.published is None
    assert art.paragraphs[:2] == ("时间：2024年6月1日上午9:00", "地点：市图书馆少儿阅览室")


def test_widget_words_inside_sentences_stay_body() -> None:
    art = parse("东城日报\n东城区启动老旧小区改造\n"
                "时间：2024-04-01 来源：东城日报 【字体：大 中 小】【打印】\n"
                "东城区今年将对12个老旧小区进行综合改造，惠及居民5000余户。\n"
                "市民可扫码查看改造清单。\n"
                "该公司未经授权使用他人设计一事，已被依法查处。\n"
                "相关新闻\n"
                "此前，东城区已完成30个小区的改造任务，居民满意度达到95%以上，受到广泛好评。\n")
    assert art.source == "东城日报"
    assert "市民可扫码查看改造清单。" in art.paragraphs
    assert "该公司未经授权使用他人设计一事，已被依法查处。" in art.paragraphs
    assert art.paragraphs[-1].startswith("此前，东城区")  # a heading without a link list


def test_trailing_site_name_and_column_list_go() -> None:
    art = parse("青山发布\n青山区新增三所幼儿园\n时间:2024-08-30 10:00  来源:青山发布\n"
                "秋季学期起，青山区新增三所公办幼儿园，提供学位900个。\n青山发布\n更多>>\n"
                "青山新闻20240829\n青山新闻20240828\n视频推荐\n青山区召开教育工作\n")
    assert art.paragraphs == ("秋季学期起，青山区新增三所公办幼儿园，提供学位900个。",)


def test_pagination_links_and_original_url_are_furniture() -> None:
    art = parse("河东区图书馆延长开放时间\n发布日期：2024-07-15\n"
                "即日起，河东区图书馆每周五开放至晚上九点。\n"
                "原文链接：https://news.example.cn/a/123.html\n"
                "https://news.example.cn/a/123.html\n1 2 3 下一页\n共 3 页\n")
    assert art.paragraphs == ("即日起，河东区图书馆每周五开放至晚上九点。",)


# ---------------------------------------------------------------- body shapes
def test_whitespace_is_normalised_and_paragraphs_never_joined() -> None:
    art = parse("西河镇图书室开放\n时间：2024-02-01\n\u3000\u3000第一段，\u3000有全角空格。\n"
                "\u3000\n\u00a0\u00a0\u00a0第二段\t\t有制表符。\u00a0\n\t第三段。  \n")
    assert art.paragraphs == ("第一段， 有全角空格。", "第二段 有制表符。", "第三段。")


def test_run_together_body_is_split_at_surviving_indents() -> None:
    paragraph = "第{}段讲述了社区服务的一个方面，内容较长，需要占用一些篇幅。"
    body = "\u3000\u3000".join(paragraph.format(i) for i in range(6))
    art = parse(f"社区服务周报\n时间：2024-03-01\n{body}\n")
    assert len(art.paragraphs) == 6
    assert art.paragraphs[5] == "第5段讲述了社区服务的一个方面，内容较长，需要占用一些篇幅。"


def test_very_long_line_without_indents_is_split_at_sentence_ends() -> None:
    sentence = "第{}句讲述了环境治理的一个方面，内容较长，需要占用一些篇幅。"
    sentences = [sentence.format(i) for i in range(40)]
    art = parse("环境报告\n时间：2024-02-02\n" + "".join(sentences) + "\n")
    assert len(art.paragraphs) > 1
    assert "".join(art.paragraphs) == "".join(sentences)  # nothing lost, only split
    assert all(p.endswith("。") for p in art.paragraphs)


def test_literal_markup_characters_stay_literal() -> None:
    art = parse("代码课堂：<b> & ]]> 的含义\n时间：2024-05-05\n"
                "表达式 a < b && c > d 中的 &amp; 不是实体，]]> 也只是文字。\n")
    assert art.title == "代码课堂：<b> & ]]> 的含义"
    assert art.paragraphs == ("表达式 a < b && c > d 中的 &amp; 不是实体，]]> 也只是文字。",)
    assert art.content_html == ("<p>表达式 a &lt; b &amp;&amp; c &gt; d 中的 &amp;amp; 不是实体，"
                                "]]&gt; 也只是文字。</p>")


def test_pinyin_artefacts_go_genuine_parentheses_stay() -> None:
    art = parse("新(xīn)區(qū)發布\n"
                "創(chuàng)新園區(qū)年報(2023)發布\n時間:2024-01-08 來源:新區(qū)發布\n"
                "園區(qū)與foresight(foresight)團隊合作(記者 王明)，產(chǎn)值增長(GDP)。\n")
    assert art.title == "創新園區年報(2023)發布"
    assert art.source == "新區發布"
    assert art.paragraphs == ("園區與foresight(foresight)團隊合作(記者 王明)，產值增長(GDP)。",)


# ---------------------------------------------------------------- dates
def test_date_only_is_midnight_in_the_given_zone() -> None:
    taipei = ZoneInfo("Asia/Taipei")
    art = parse("鎮公所公告\n日期：2024/1/2\n本週六停水一天。\n", zone=taipei)
    assert art.published == datetime(2024, 1, 2, 0, 0, tzinfo=taipei)


def test_impossible_date_is_a_warning_not_a_reject() -> None:
    art = parse("植树活动启动\n发布时间：2023-02-30 09:00 来源：林业局\n"
                "今年计划新增造林面积一万亩。\n")
    assert art.published is None
    assert art.source == "林业局"
    assert any("2023-02-30" in w for w in art.warnings)


def test_future_date_is_kept() -> None:
    art = parse("音乐节开票\n发布时间：2035年5月1日 20:15\n音乐节门票今日开售。\n")
    assert art.published == datetime(2035, 5, 1, 20, 15, tzinfo=SHANGHAI)


# ---------------------------------------------------------------- summary
def test_summary_is_cut_at_a_sentence_boundary() -> None:
    first = ("第一句话交代了事件的时间和地点，" * 4 + "这是第一句的结尾。"
             + "第二句继续补充细节，" * 6 + "完。")
    summary = summarise([first, "第二段。"])
    assert summary is not None and summary.endswith("。…") and len(summary) <= 122
    assert first.startswith(summary[:-1])
    assert summarise(["短的第一段也完整保留下来。"]) == "短的第一段也完整保留下来。"


# ---------------------------------------------------------------- rejects
@pytest.mark.parametrize(("text", "words"), [
    ("某某新闻网\n市区新增两座口袋公园\n分享到：\n版权所有 © 某某新闻网\n", "no body"),
    ("今年以来，全市新增城镇就业人数达到5.2万人，同比增长8%，完成全年目标任务的六成以上，就业形势稳定。\n"
     "第二段。\n", "no recognisable title"),
    ("分享到：\n版权所有 © 2024\n", "no recognisable title"),
    ("市区新增两座口袋公园\n", "no body"),
    ("南湖新闻\n市区新增两座口袋公园\n", "no body"),  # a site name and a headline, nothing under
])
def test_rejects_with_a_reason(text: str, words: str) -> None:
    with pytest.raises(SeedError) as info:
        parse(text)
    assert words in info.value.reason


@pytest.mark.parametrize("data", [b"", b" \n\t\n\xe3\x80\x80\n\xc2\xa0\n"])
def test_empty_and_blank_files_are_rejected(data: bytes) -> None:
    with pytest.raises(SeedError):
        parse_seed(data, "blank.txt", SHANGHAI)


# ---------------------------------------------------------------- properties
_PIECES = ["时间：", "来源：", "作者：", "记者 ", "编辑：", "2024-02-30", "2024年1月2日 ", "10:00",
           "分享到", "更多>>", "相关阅读", "版权所有 ©", "首页 > 新闻", "【字体：大 中 小】",
           "。", "，",
           "\n", "\n\n", "\u3000\u3000", "\u00a0", " | ", "创(chuàng)新", "(2023)", "<", "&",
           "常州", "新闻", "王明", "今天", "举行", "活动", "Hello.", "（完）", "……", "\x00", "\r\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_parse_text_raises_only_seed_error(text: str) -> None:
    try:
        art = parse_text(text, SHANGHAI)
    except SeedError as e:
        assert e.reason.strip()
    else:
        assert art.title and art.paragraphs and all(art.paragraphs)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_decode_raises_only_seed_error(data: bytes) -> None:
    try:
        decode(data)
    except SeedError as e:
        assert e.reason.strip()


@pytest.mark.parametrize(("name", "text", "date_only"), [
    ("a.txt", "日報\n\n一則只有日期的新聞標題\n\n時間:2024-05-01  來源:日報\n\n正文內容。\n", True),
    ("b.txt", "日報\n\n一則只有日期的新聞標題\n\n時間:2024年5月1日 09:30  來源:日報\n\n正文內容。\n", False),
    ("c.txt", "日報\n\n一則只有日期的新聞標題\n\n時間:2024-05-01 00:00:00  來源:日報\n\n正文內容。\n", False),
    ("d.md", "---\ntitle: 一則只有日期的新聞標題\ndate: 2024-05-01\n---\n\n正文內容。\n", True),
    ("e.md", "---\ntitle: 一則只有日期的新聞標題\ndate: 2024-05-01T08:00:00+08:00\n---\n\n正文。\n", False),
    ("f.md", "---\ntitle: 一則只有日期的新聞標題\ndate: 民國113年5月1日\n---\n\n正文內容。\n", True),
    ("g.md", "---\ntitle: 一則只有日期的新聞標題\ndate: May 1, 2024\n---\n\n正文內容。\n", True),
])
def test_a_date_without_a_clock_is_flagged(name: str, text: str, date_only: bool) -> None:
    """Pages show no invented 00:00 for a date read without a clock (an explicit 00:00 is
    a clock); the instant stays midnight in the zone, a plain datetime."""
    from seedfeed.resolve import content_hash

    zone = ZoneInfo("Asia/Shanghai")
    article = parse_seed(text.encode(), name, zone)
    assert article.date_only is date_only
    assert article.published is not None and type(article.published) is datetime
    if date_only:
        assert (article.published.hour, article.published.minute) == (0, 0)
        from dataclasses import replace

        # the flag alone is no content change: an entry's `updated` does not move for it
        assert content_hash(article) == content_hash(replace(article, date_only=False))
