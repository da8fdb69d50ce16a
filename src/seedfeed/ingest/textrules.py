"""The vocabulary of scraped news pages: meta labels, widget words, furniture and text shapes.

Regular expressions and word lists only, used by scraped.py and textlines.py. Labels are
written once in Simplified Chinese; `both()` adds the Traditional twin. Nothing here names a
site or article.
"""

from __future__ import annotations

import re

# Patterns below are written in Simplified Chinese; this maps the characters they use to their
# Traditional forms so that every label and widget word is matched in both scripts.
TO_TRAD = str.maketrans(
    "发时间来记讯员编辑责审对监终统筹划签复览阅读点击访问数资闻标题处摄图网气转载页关闭顶体号扫"
    "维码长识别机开链热门专视频导动态报欢赞论举后条设为当现权备证声联系于们办单术经请荐约见习实驻"
    "纠错结浏制",
    "發時間來記訊員編輯責審對監終統籌劃簽復覽閱讀點擊訪問數資聞標題處攝圖網氣轉載頁關閉頂體號掃"
    "維碼長識別機開鏈熱門專視頻導動態報歡讚論舉後條設為當現權備證聲聯繫於們辦單術經請薦約見習實駐"
    "糾錯結瀏製")


def both(pattern: str) -> str:
    """A regex source matching the Simplified pattern or its Traditional twin."""
    trad = pattern.translate(TO_TRAD)
    return pattern if trad == pattern else f"{pattern}|{trad}"


# ---------------------------------------------------------------- meta lines
# English labels are for bilingual sites (Published: … Source: …); labels match in any case.
LABELS = {
    "published": "发布时间 發佈時間 发表时间 发布日期 發佈日期 发稿时间 时间 日期 Published Posted Date",
    "updated": "更新时间 修改时间 Updated",
    "source": "来源 稿源 出处 文章来源 本文来源 新闻来源 信息来源 资料来源 转载自 发布单位 发布机构 "
              "Source",
    "author": "作者 记者 通讯员 撰稿 撰文 撰稿人 供稿 文字 文 摄影 文/图 Author By Reporter",
    "editor": "责任编辑 责编 编辑 值班编辑 网编 Editor",
    # credits that are not the byline: a TV item's camera and cutting crew, reviewers
    "staff": "审核 审校 校对 编审 监制 终审 主编 统筹 策划 制作 签发 初审 复审 原标题 "
             "发布者 发布人 摄像 剪辑 后期 配音 美编",
    # a government disclosure page's document fields (政务公开 header table); 成文日期 is when
    # the document was signed, a fallback only: the page's 发布日期 says when it was published
    "docinfo": "索引号 文号 发文字号 发文机关 主题分类 主题词 体裁分类 组配分类 服务对象 成文日期 "
               "有效性 公开方式 公开范围 公开时限",
    "views": "浏览次数 浏览量 浏览 阅读量 阅读数 阅读次数 阅读 点击数 点击量 点击次数 点击率 点击 "
             "访问量 访问次数 浏览人次 阅读人次 人气",
}
LABEL_KEY = {w.lower(): key for key, words in LABELS.items()
              for word in words.split() for w in {word, word.translate(TO_TRAD)}}
SEPS = r"\s|｜丨/，,;；（("  # a label may open a bracket: 10:20（更新時間：…）
ROLES = both("本报记者|本台记者|特约记者|见习记者|记者|特约通讯员|通讯员")
# A label opens a field only at the start of the line or after a separator (宣讲时间： is body
# text); inside a meta line a colon-less role word opens an author field: 来源：X 记者 王明.
# A colon-less 文/图 credit opens an author field too: 稿源：晚报 文/图 记者 何佳.
FIELD = re.compile(rf"(?<![^{SEPS}])({'|'.join(sorted(LABEL_KEY, key=len, reverse=True))})"
                    rf"\s*[:：]\s*|(?<=\s)({ROLES})\s+"
                    r"|(?<=\s)((?:文|图|圖|摄影|攝影)\s*[/／]\s*(?:(?:文|图|圖)(?=\s))?)\s*",
                    re.IGNORECASE)
WEEKDAY = re.compile(r"(?:星期|周|週|禮拜|礼拜)[一二三四五六日天]")
# The weekday may be bracketed: 2024年10月8日（星期二） is a common dateline shape.
# A verb may follow the clock: 2005-04-27 14:32更新, 2024-05-13 09:16 发布.
DATE_REST = re.compile(rf"\s*(?:[（(]?(?:{WEEKDAY.pattern})[）)]?)?\s*"
                        r"(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?\s*"
                        + rf"(?:{both('发布|发表|更新')}(?![\u4e00-\u9fff]))?[\s|｜丨/]*")
# An outlet's name: a few characters ending in what news outlets and offices are called
# (not a header greeting beside today's date: 2024年12月2日 欢迎访问市政府网).
# Its name may open with a number, glued to the clock before it by a dump: 04:29:4439某网.
OUTLET = re.compile(both(r"(?!.*(?:欢迎|访问|今天|今日|您))\d{0,4}[^\d\s:：，。,.、；;！？!?（）()]{1,14}"
                           r"(?:网|报|台|社|中心|局|委|办|站|新闻|融媒|发布|客户端|频道)"))
# Widgets sharing a line with the meta fields: 【字体：大 中 小】【打印】【关闭】.
META_NOISE = re.compile(both(
    r"[【\[]?\s*字[体号]\s*[:：]?(?:\s*[【\[（(]?\s*[大中小默认]+\s*[】\]）)]?)+"
    r"|[【\[](?:打印|关闭|收藏|返回|分享|纠错)[^】\]]{0,6}[】\]]"))
# A label glued to the value before it (…12:11来源：X作者：Y): split off when the line opens
# with a date or a label, never inside body text (宣讲时间：… opens with no label).
GLUED_LABEL = re.compile("(" + "|".join(sorted(map(re.escape, LABEL_KEY), key=len, reverse=True))
                         + r")(?=\s*[:：])", re.IGNORECASE)
LONE_LABEL = re.compile(GLUED_LABEL.pattern[:-len(r"(?=\s*[:：])")] + r"\s*[:：]$", re.IGNORECASE)
# A navigation or ticker bar dumped as one line: many bare CJK words, no punctuation.
NAV_RUN = re.compile(r"^(?:[\u4e00-\u9fff·\d]{1,16}[\s|｜丨/]+){7,}[\u4e00-\u9fff·\d]{1,16}$")
SQUARE_BRACKETS = str.maketrans("【】[]", "    ")
META_MAX = 200
AFTER_BODY_KEYS = {"editor", "staff", "views"}  # meta that may close a page's body
STAFF_KEYS = AFTER_BODY_KEYS | {"source", "author"}
BYLINE = re.compile(both(
    r"^(?:本[报台网刊]讯)?[（(【\[]?(?:本[报台网刊]|特约|见习|实习|融媒体?|全媒体?|首席)?(?:记者|通讯员)"
    r"|^(?:文|图|文字|摄影)\s*[/／]") + r"|^[Bb]y\s+[A-Z]")  # English: By Jane Doe
# A staff credit written with a slash instead of a colon under the body: 编辑/王明, 责编／李华.
SLASH_CREDIT = re.compile(r"^(" + both("责任编辑|编辑|责编|审核|校对|监制|统筹|摄像")
                          + r")\s*[/／]\s*(\S.{0,20})$")
# Not names: "文/" and "图/" credits, a 本报讯 dateline, a "／台北报道" place of reporting.
BYLINE_NOISE = re.compile(both(r"(?:^|\s)(?:文|图|文字|摄影)\s*[/／]\s*|^本[报台网刊]讯|"
                                 r"\s*[/／╱]\s*[^\s】\]]{1,6}(?:报道|报导|电)[\s】\]）)〕]*$"))
# A dateline that opens the body and names the reporters: 本报讯（记者 王明 通讯员 李华）…,
# 新华社北京6月1日电（记者 张三）…; the only byline many agency and newspaper pages carry.
# Wire copy puts the agency first and glues the place and day on: （中央社記者王小明台北8日電）;
# a Taiwan paper writes 【記者黃建華／屏東報導】.
DATELINE_BYLINE = re.compile(both(
    r"^(?:[^，。,（(]{0,24}?(?:讯|电|消息))?\s*[（(【〔]\s*(?:[^（）()【】〔〕，。\s]{1,6}?社|"
    r"[^（）()【】〔〕，。\s]{1,8}?[╱/／])?("  # 【某某晚報╱記者X╱即時報導】
    r"(?:本[报台网刊]|特约|见习|实习|融媒体?|全媒体?|首席)?(?:记者|通讯员)[^（）()【】〔〕，。]{1,40})[）)】〕]"))
# '王小明台北8日電': the name and the place of filing run together. Chinese names are two or
# three characters (three far more often), place names two or three: split by length.
GLUED_PLACE = re.compile(r"(?:^|(?<=者)|(?<=员)|(?<=員)|(?<=、)|(?<=\s))"
                         r"([\u4e00-\u9fff]{4,6})\d{1,2}日[电電]$")
NAME = re.compile(r"^(?:[\u3400-\u9fff]{2,4}|[\u3400-\u9fff·]{3,12}|[A-Za-z][A-Za-z .'-]{1,30})$")

# ---------------------------------------------------------------- page furniture
# Widgets are only looked for on short lines that are not sentences: "市民可扫码预约。" is body.
WIDGET = re.compile(both(
    r"^分享(?:到|至|本文|此文)?\s*(?:[:：]|$|\s|微信|微博|QQ|朋友圈)"
    r"|^(?:上一?篇|下一?篇|上一[条页]|下一[条页]|前一篇|后一篇)"
    r"|打印本页|打印此页|打印文章|关闭窗口|关闭本页|【关闭】|返回顶部|回到顶部|返回首页|返回列表"
    # a line of bare control words, bracketed or not: 打印 关闭 · 【纠错】 · 列印 關閉 · 回上一頁
    r"|^(?:[【\[]?\s*(?:打印|列印|关闭|收藏|纠错|返回|回?上一?页|回首页|回顶端)\s*[】\]]?\s*)+$"
    r"|加入收藏|收藏本页|设为首页|阅读原文|我要评论|发表评论|网友评论|我要纠错"
    r"|^(?:联系我们|关于我们|网站地图|网站声明|主办单位|承办单位|主办[:：]|承办[:：]|技术支持[:：])"
    # QR prompts, not any short line naming a QR code (市民扫描医院二维码即可预约 is body text)
    r"|扫一扫|(?:^|[（(【\[])(?:微信)?(?:扫码|扫描(?:上方|下方|左侧|右侧|此|本页)?二维码)"
    r"|二维码\s*[）)】\]]?$|扫码(?:关注|阅读|下载|分享|观看)|长按(?:识别|二维码)"
    r"|关注(?:我们|本站|公众号|该公众号)|在手机[上中]?打开|手机(?:阅读|看|版)"
    r"|字[体号]\s*[:：]?\s*[【\[（(]?\s*[大中小默]|^[大中小](?:\s+[大中小]){2}$"
    r"|^(?:查看|点击查看)?更多\S{0,4}?\s*(?:>+|》+|»+|＞+|›+|…+|\.{3})?$"
    r"|^(?i:more)\s*(?:>+|»+)?$"
    r"|^[\s—\-–_=~·*#◆◇■□●○]*(?:END|End|end|完|全文完|结束|The End)[\s—\-–_=~·*#◆◇■□●○]*$"
    r"|^[（(【\[]\s*(?:完|全文完|END)\s*[）)】\]]$"
    r"|^(?:相关|延伸|推荐|热门|精彩)(?:链接|阅读|新闻|文章|报道|推荐|专题)\s*[:：]"
    r"|^(?:相关附件|附件下载)\s*[:：]?$"  # the page's download list: file names, not text
    r"|^(?:[【\[][^】\]]{1,8}[】\]]\s*){2,}$"  # a row of bracketed buttons: 【打印】【关闭】
    r"|^(?:(?:点赞|在看|转发|收藏|评论|分享|举报)[\s\d()（）|｜]*)+$"
    r"|^(?:\d+\s+)+(?:下一页|尾页|末页)$|^共\s*\d+\s*页"  # pagination
    r"|^(?:原文|本文|文章)(?:链接|地址)\s*[:：]"
    # English pages: share prompts and relative timestamps (Published 3 hours ago)
    r"|^(?i:share (?:this|on)\b)|^(?i:(?:published|updated|posted)?\s*\d+\s*"
    r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago)$"
    r"|^(?:发布于|更新于)?\s*\d+\s*(?:秒|分钟|小时|天)前$"
    # counters and buttons beside the meta line: 0条评论, [举报], A+ A-
    r"|^\d+\s*[条个]?(?:评论|回复|跟帖)$"
    r"|^[【\[（(]?\s*(?:举报|投诉|反馈|纠错)(?:\s*[/／|｜]\s*(?:举报|投诉|反馈|纠错))*\s*[】\]）)]?$"
    r"|^[Xx×✕✖]$"  # the lone close button of a pop-up
    r"|^(?:A\s*[+＋\-－]\s*){2,}$"
    r"|^(?:[·•]\s*[^\s·•]{1,8}\s+){2,}[·•]\s*[^\s·•]{1,8}$"  # a row of bulleted links: ·图片 ·视频 ·论坛
))
# A collapsed article's 'read the rest' button: the rest follows it in a dump, or nothing does.
EXPAND = re.compile(both(r"^(?:阅读|展开|查看)(?:剩余)?全文\s*[（(]?\s*[）)]?\s*(?:>+|»|∨|﹀)?$"))
URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$")
WIDGET_MAX = 60
# Legal lines are furniture even as sentences; "未经授权" alone is ordinary news vocabulary.
LEGAL = re.compile(both(
    r"(?i:版权所有|copyright|©|ICP备|ICP证|公网安备)|^[（(]?(?:免责声明|版权声明)"
    r"|(?:本文|本网|本站|本报|原创).{0,20}(?:未经授权|不得转载|禁止转载|转载请注明)"
    r"|未经.{0,12}(?:书面)?(?:授权|许可).{0,8}(?:不得|请勿|禁止)|不良信息举报|举报电话"))
LEGAL_MAX = 100
# Furniture even as closed sentences, like LEGAL (text dumps only): a hosting platform's
# disclaimer under the article, and the status line of a widget that never loaded.
NOTICE = re.compile(both(
    r"仅提供信息存储服务|不代表本(?:网|站|平台|报)的?(?:观点|立场)|仅代表作者(?:本人|个人)?的?观点"
    r"|^.{0,12}(?:加载中|正在加载|载入中)\s*[，,.。…]*\s*(?:请稍[候等])?[。.…!！]*$"
    r"|^(?:若|如)长时间(?:无响应|未加载)|请刷新(?:本|此)?页面[。.！!]*$"))
CLOSED_SENTENCE = re.compile(r"[。！？!?][”’」』）)]*$")
CRUMB_SEP = re.compile(r"\s*(?:>{1,2}|＞|»|›|→|〉)\s*")
CRUMB_HOME = re.compile(both(r"^(?:(?:当前位置|您的位置|您现在的位置|你的位置|所在位置)\s*[:：]|"
                               r"(?:首页|主页|网站首页|(?i:home))\s*(?:>|＞|»|›|→|〉))"))
BAR_SEP = re.compile(r"\s*[|｜丨]\s*")
PLAIN_WORDS = re.compile(r"^[\w\s·]+$")
LIST_HEADING = re.compile(both(
    r"^\S{0,6}(?:推荐|阅读|新闻|链接|文章|专题|排行|热点|图集|视频|导读|资讯|要闻|动态|报道|喜欢|榜)"
    r"\s*(?:>+|»|＞+|[:：])?$"))
BARE_HEADING = re.compile(r"^[^\s:：，。]{2,6}[:：]$")  # 栏目关注： with its list below
# An item of the article's own numbered list (一、… 2. … （三）…), never a teaser headline.
NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．]"
                      r"|[（(][一二三四五六七八九十\d]{1,3}[）)])")
# "Evening News20241218": a programme list entry, a name and a compact date.
PROGRAM_ITEM = re.compile(r"^[^\d\s，。,.]{2,12}\s?(?:\d{8}|\d{4}([-./])\d{1,2}\1\d{1,2})$")

# ---------------------------------------------------------------- text shapes
LINE_BREAK = re.compile(r"[\n\u2028\u2029]")
WORD = re.compile(r"\w")
SENTENCE_END = re.compile(r"[。！？!?…][”’」』）)\]】]*$")
FULL_STOP_END = re.compile(r"。[”’」』）)\]】]*$")
# A body that lost its <p> breaks keeps the text-indent blanks after each sentence end.
INDENT_BREAK = re.compile(r"(?<=[。！？!?…；;”’」』）)])(?:[ \t]*[\u3000\u00a0][\u3000\u00a0 \t]*"
                           r"|[ \t]{2,})(?=\S)")
SENTENCE = re.compile(r".+?(?:[。！？!?]+[”’」』）)]*|$)")
LONG_LINE = 100  # a line this long is never a title, and may hold several paragraphs
RUN_TOGETHER = 900  # a line this long without indent breaks is split at sentence ends
CHUNK = 300
META_SEARCH = 40
# A wire desk code may follow it: （編輯：李大同）1130101.
INLINE_EDITOR = re.compile(rf"[（(【\[]\s*(?:{both('责任编辑|编辑|责编')})\s*[:：]\s*"
                            r"([^（）()【】\[\]]{1,24})[）)】\]]\s*\d{0,10}$")
END_MARK = re.compile(r"^[（(【\[]?\s*(?:完|全文完|(?i:end))\s*[）)】\]]?$")
# A clock time on its own line under a date line: 香港時間16時30分, 北京时间 09:30.
TIME_ONLY = re.compile(r"^(?:[\u4e00-\u9fff]{1,3}[时時][间間])?\s*\d{1,2}\s*[:：时時点點]\s*\d{2}\s*分?$")
# A line that introduces what follows ('以下是…的答覆：') opens the body, never the header.
LEAD_IN = re.compile(r"^.{20,}[:：]$")
LEAD_LABEL = re.compile(r"^[^\s:：，。]{1,6}[:：]\s*")  # 前言： / 摘要： opening a paragraph
CLAUSE_MARK = re.compile(r"[，,、；;]")
SITE_SUFFIX = re.compile(both(r"(?:\s+[-—–|｜]+\s+|\s*(?:_|｜|——)\s*)"
                                r"[^\s\-_|｜—–]{1,16}(?:网|网站|门户|报|台|客户端|频道)$"))
# The name of a site after a headline and a space: '… 某某新闻网', '… 某某日报'.
SITE_NAME = re.compile(both(r"[^\s\d，。,.:：、]{1,10}"
                            r"(?:新闻网|網|网|日报|晚报|时报|周刊|电视台|客户端|门户网站)"))
TITLE_LABEL = re.compile(both(r"^(?:标题|题目)\s*[:：]\s*"))
LABEL_LINE = re.compile(r"^[^\s:：，。]{1,6}[:：]")  # 地点：… — a notice's own field list
BARE_DATE_LABEL = re.compile(both(r"^(?:时间|日期)\s*[:：]"))
SUMMARY_LEN = 120
