"""What the human pages say, in both Chinese scripts: the label table, the language of an
article (from its own text's script), and dates in the site's zone with the zone named.

Pure. Every word a visitor reads comes from here or from the seeds; the templates hold
markup only. Format names (Atom, RSS, JSON Feed, OPML) and reader names are proper names.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import lru_cache

from ..config import script_tag
from ..ingest.decode import guess_script
from ..model import Article

# One row per label: (Traditional, Simplified). Placeholders are filled by the templates.
_ROWS: dict[str, tuple[str, str]] = {
    "home": ("首頁", "首页"),
    "back_home": ("返回首頁", "返回首页"),
    "skip": ("跳到正文", "跳到正文"),
    "site_nav": ("網站導覽", "网站导览"),
    "topics": ("分類", "分类"),
    "subscribe": ("訂閱", "订阅"),
    "source": ("來源", "来源"),
    "author": ("作者", "作者"),
    "tag": ("標籤", "标签"),
    "editor": ("責任編輯", "责任编辑"),
    "published": ("發布", "发布"),
    "updated": ("更新於", "更新于"),
    "older_article": ("上一篇", "上一篇"),
    "newer_article": ("下一篇", "下一篇"),
    "article_nav": ("上下篇", "上下篇"),
    "older_page": ("較舊的文章", "较旧的文章"),
    "newer_page": ("較新的文章", "较新的文章"),
    "newest_page": ("最新文章", "最新文章"),
    "pager": ("分頁", "分页"),
    "page_n": ("第 {n} 頁", "第 {n} 页"),
    "total": ("共 {n} 篇文章", "共 {n} 篇文章"),
    "no_entries": ("還沒有文章。", "还没有文章。"),
    "empty_page": ("此頁沒有文章。", "此页没有文章。"),
    "in_topics": ("訂閱相關分類", "订阅相关分类"),
    "subscribe_intro": ("用新聞閱讀器訂閱，新文章一發布就會出現在你的閱讀器裡，不必回來查看。",
                        "用新闻阅读器订阅，新文章一发布就会出现在你的阅读器里，不必回来查看。"),
    "choose_format": ("選一種格式，看看怎麼訂閱：", "选一种格式，看看怎么订阅："),
    "feed_address": ("訂閱網址", "订阅网址"),
    "copy_hint": ("選取網址並複製，貼到閱讀器的「新增訂閱」。", "选取网址并复制，粘贴到阅读器的“添加订阅”。"),
    "topic_feeds": ("每個來源、作者和標籤都有自己的訂閱：", "每个来源、作者和标签都有自己的订阅："),
    "all_topics": ("全部分類", "全部分类"),
    "opml": ("OPML 檔（一次匯入本站全部訂閱）", "OPML 文件（一次导入本站全部订阅）"),
    "site_feeds": ("全站訂閱", "全站订阅"),
    "subscribe_to": ("訂閱「{name}」", "订阅“{name}”"),
    "what_is": ("什麼是訂閱源？", "什么是订阅源？"),
    "what_is_text": ("訂閱源（feed）是給新聞閱讀器讀的網址。把它加進閱讀器，本站一有新文章，"
                     "閱讀器就會自動收到標題和全文；你不用留下電子郵件，也可以隨時取消。",
                     "订阅源（feed）是给新闻阅读器读的网址。把它加进阅读器，本站一有新文章，"
                     "阅读器就会自动收到标题和全文；你不用留下电子邮件，也可以随时取消。"),
    "formats": ("三種格式，內容相同", "三种格式，内容相同"),
    "atom_text": ("通用的標準格式，大多數閱讀器都支援。", "通用的标准格式，大多数阅读器都支持。"),
    "rss_text": ("最常見的格式，幾乎所有閱讀器都支援。", "最常见的格式，几乎所有阅读器都支持。"),
    "json_text": ("較新的格式，部分閱讀器支援。", "较新的格式，部分阅读器支持。"),
    "raw": ("原始內容（給閱讀器用）", "原始内容（给阅读器用）"),
    "in_readers": ("在常用閱讀器中訂閱", "在常用阅读器中订阅"),
    "one_click": ("點一下，在網頁閱讀器中訂閱：", "点一下，在网页阅读器中订阅："),
    "other_readers": ("其他閱讀器（NetNewsWire、Thunderbird、Reeder、newsboat 等）：複製上面的網址，"
                      "在閱讀器裡選「新增訂閱」後貼上。",
                      "其他阅读器（NetNewsWire、Thunderbird、Reeder、newsboat 等）：复制上面的网址，"
                      "在阅读器里选“添加订阅”后粘贴。"),
    "latest": ("最新文章", "最新文章"),
    "all_articles": ("查看全部文章", "查看全部文章"),
    "not_found": ("找不到這個頁面", "找不到这个页面"),
    "not_found_text": ("網址可能打錯了，或者這篇文章已經移除。", "网址可能打错了，或者这篇文章已经移除。"),
    "articles_count": ("{n} 篇", "{n} 篇"),
    "status_title": ("運作狀態", "运行状态"),
    "health": ("健康", "健康"),
    "healthy": ("正常", "正常"),
    "failing": ("異常", "异常"),
    "last_scan": ("最後一次掃描", "最后一次扫描"),
    "last_change": ("最後一次發布變更", "最后一次发布变更"),
    "build_seconds": ("上次掃描耗時", "上次扫描耗时"),
    "seconds_n": ("{n} 秒", "{n} 秒"),
    "counts": ("數量", "数量"),
    "seed_files": ("種子檔", "种子文件"),
    "published_n": ("已發布文章", "已发布文章"),
    "duplicates": ("重複的種子", "重复的种子"),
    "pending": ("還在寫入的種子", "还在写入的种子"),
    "scheduled": ("定時發布的種子", "定时发布的种子"),
    "due_at": ("發布時間", "发布时间"),
    "rejected": ("被拒絕的種子", "被拒绝的种子"),
    "reason": ("原因", "原因"),
    "warnings": ("警告", "警告"),
    "seed": ("種子", "种子"),
    "scheduler": ("排程", "调度"),
    "interval": ("掃描間隔", "扫描间隔"),
    "watching": ("監看檔案系統事件", "监视文件系统事件"),
    "yes": ("是", "是"),
    "no": ("否", "否"),
    "versions": ("版本", "版本"),
    "none": ("無", "无"),
    "more_n": ("另有 {n} 項（完整清單見 /status 與 seedfeed check）",
               "另有 {n} 项（完整清单见 /status 与 seedfeed check）"),
    "json_view": ("給程式讀的 JSON", "给程序读的 JSON"),
    "scripts": ("中文字體", "中文字体"),
}


class Labels(dict[str, str]):
    """One script's labels; templates read them as attributes (`t.home`), which Jinja
    finds without the failed attribute lookup a plain dict costs on every use."""

    def __getattr__(self, key: str) -> str:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None


LABELS: dict[str, Labels] = {
    script: Labels({key: row[i] for key, row in _ROWS.items()})
    for i, script in enumerate(("hant", "hans"))
}

def script_of(language: str | None) -> str | None:
    """'hant' or 'hans' for a Chinese language tag, Traditional when it names no script
    (a bare `zh`); None for another language."""
    script = script_tag(language)
    if script is None and (language or "").lower().replace("_", "-").split("-")[0] == "zh":
        return "hant"
    return script


# What a script switch calls each script, in that script.
_SCRIPT_NAMES = {"zh-Hant-TW": "臺灣正體", "zh-Hant-HK": "香港繁體"}


def script_name(tag: str) -> str:
    return _SCRIPT_NAMES.get(tag) or ("简体中文" if script_of(tag) == "hans" else "繁體中文")


def labels_for(language: str | None, site_language: str) -> Labels:
    """The labels of a page in `language`; another language gets the site's script."""
    return LABELS[script_of(language) or script_of(site_language) or "hant"]


@lru_cache(maxsize=4096)  # the same article is met on its page and on every list holding it
def _language(sample: str, declared: str | None) -> str | None:
    found = guess_script(sample)
    if found:
        return found
    script = script_of(declared)
    return {"hant": "zh-Hant", "hans": "zh-Hans"}[script] if script else declared


def article_language(article: Article, site_language: str) -> str:
    """The BCP 47 tag of an article: the script its own text is written in when that is
    clear (a seed's declared 'zh-CN' on Traditional text is wrong more often than the
    characters are), else what it declares (Chinese tags normalised to the script), else
    the site's."""
    sample = article.title + "".join(article.paragraphs[:5])
    return _language(sample[:1000], article.language) or site_language


def zone_name(moment: datetime) -> str:
    """UTC+8, UTC+5:30, UTC-3, UTC: the offset a reader can compare with their own."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if not minutes:
        return "UTC"
    sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
    return f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


def shown_date(moment: datetime, zone: tzinfo, date_only: bool = False) -> str:
    """A date as the pages show it: `2024-05-01 09:30（UTC+8）` in the site's zone, or the
    day alone for a date read without a clock."""
    local = moment.astimezone(zone)
    if date_only:
        return f"{local:%Y-%m-%d}"
    return f"{local:%Y-%m-%d %H:%M}（{zone_name(local)}）"


def machine_date(moment: datetime, zone: tzinfo, date_only: bool = False) -> str:
    """The same date for `<time datetime>` and `article:published_time`: RFC 3339 with the
    offset, or the day alone."""
    local = moment.astimezone(zone).replace(microsecond=0)
    return f"{local:%Y-%m-%d}" if date_only else local.isoformat()
