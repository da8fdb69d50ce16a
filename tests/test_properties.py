"""Properties: ingestion never crashes, and whatever it accepts renders into feeds that parse."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import feedparser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from seedfeed.config import from_dict
from seedfeed.errors import SeedError
from seedfeed.ids import entry_id, entry_slug
from seedfeed.ingest import parse_seed
from seedfeed.model import Article, Entry, Tombstone
from seedfeed.plan import FeedDocument
from seedfeed.render.feeds import render_document
from seedfeed.render.pages import render_article

from .feedcheck import assert_valid_atom, assert_valid_json_feed

ZONE = ZoneInfo("Asia/Shanghai")
CFG = from_dict({})
NAMES = st.sampled_from(["a.txt", "b.md", "c.html", "d"])

# Text that looks like a seed: a header, a title, a meta line, then arbitrary lines,
# with the characters that have broken parsers before (controls, markup, pinyin, blanks).
NASTY = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("<>&\"'()]]>:：\u3000\u00a0\x00\x07\x1b\ufeff\r\n\t#-+*`")),
        st.sampled_from(["(chuàng)", "---\n", "+++\n", "<script>", "時間:", "来源：", "作者:",
                         "\n\n", "<p onclick=x>", "&amp;", "&#1;", "]]>", "責任編輯:"]),
    ),
    max_size=120,
).map("".join)
SEEDLIKE = st.builds(
    lambda title, body: f"站名\n\n{title}\n\n時間:2024-01-02 03:04:05  來源:某報\n\n{body}\n",
    NASTY, NASTY,
)


def check(data: bytes, name: str) -> None:
    try:
        article = parse_seed(data, name, ZONE)
    except SeedError as e:
        assert e.reason.strip()
        return
    assert isinstance(article, Article) and article.title.strip() and article.paragraphs
    assert_renders(article)


def assert_renders(article: Article) -> None:
    when = article.published or datetime(2024, 1, 1, tzinfo=ZONE)
    entry = Entry(id=entry_id("seed:x"), slug=entry_slug("seed:x"), seed="x", article=article,
                  published=when, updated=max(when, article.updated or when))
    head = FeedDocument(None, None, 2, False, [entry], (Tombstone(entry_id("seed:y"), when),))
    archive = FeedDocument(None, 1, 3, True, [entry])
    for doc in (head, archive):
        files = render_document(CFG, doc)
        assert_valid_atom(files["atom.xml"])  # the RELAX NG schema, with the RFC 5005/6721 parts
        for name in ("atom.xml", "rss.xml"):
            etree.fromstring(files[name])  # well-formed XML
            parsed = feedparser.parse(files[name])
            assert parsed.bozo == 0, parsed.get("bozo_exception")
            assert len(parsed.entries) == 1
        assert assert_valid_json_feed(files["feed.json"])["items"][0]["id"] == entry.id
    render_article(CFG, entry)


SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.binary(max_size=2000), NAMES)
def test_arbitrary_bytes(data: bytes, name: str) -> None:
    check(data, name)


@SETTINGS
@given(NASTY, NAMES, st.sampled_from(["utf-8", "utf-16", "gb18030", "utf-8-sig"]))
def test_arbitrary_text(text: str, name: str, encoding: str) -> None:
    check(text.encode(encoding, "replace"), name)


@SETTINGS
@given(SEEDLIKE, NAMES)
def test_seedlike_text(text: str, name: str) -> None:
    check(text.encode("utf-8"), name)
