"""Structures found on the Taiwan and Hong Kong pages of the development set (and more
mainland ones), each reproduced by a minimal page written here: one behaviour per test,
no real page's text."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

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
