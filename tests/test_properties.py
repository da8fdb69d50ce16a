"""Properties: ingestion never crashes, and whatever it accepts renders into feeds that parse."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import PurePosixPath
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
from seedfeed.plan import FeedDocument, feed_path, site_path, topics_of
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


SETTINGS = settings(max_examples=1000, deadline=timedelta(seconds=3),
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


# Front matter, as editors and hostile seeds write it: YAML (---) and TOML (+++), with the
# forms that break loaders (anchors, aliases, tags, flow collections, block scalars, deep
# nesting) in the values of the keys seedfeed reads.
KEYS = st.sampled_from(["title", "tags", "author", "date", "updated", "summary", "url", "id",
                        "source", "editor", "lang", "categories", "draft", "x"])
YAML_BITS = st.sampled_from(["&a [x, x]", "*a", "!!python/object:os.system", "{", "[", "? ",
                             "|-\n  塊", ">\n  折", "- ", "[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]",
                             "2024-05-01T08:00:00Z", "2024-13-45", "null", "~", "yes", "0x1F",
                             "'單引號'", '"雙\\u202e引號"', "{a: *a}", "<script>x</script>",
                             "javascript:alert(1)", "https://ex.example/a\"><b>", "../../etc"])
YAML_VALUE = st.one_of(NASTY, YAML_BITS, st.integers(), st.lists(NASTY, max_size=4).map(str))
YAML_FM = st.builds(
    lambda pairs, body: "---\n" + "".join(f"{k}: {v}\n" for k, v in pairs) + f"---\n\n{body}\n",
    st.lists(st.tuples(KEYS, YAML_VALUE), max_size=8), NASTY)
TOML_VALUE = st.one_of(
    NASTY.map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.sampled_from(["[1, 2", '["a", "b"]', "2024-05-01T08:00:00+08:00", "1979-05-27", "true",
                     "{ a = 1 }", '"""多\n行"""', "'''原樣'''", "inf", "nan", "0o777"]),
    NASTY)
TOML_FM = st.builds(
    lambda pairs, body: "+++\n" + "".join(f"{k} = {v}\n" for k, v in pairs) + f"+++\n\n{body}\n",
    st.lists(st.tuples(KEYS, TOML_VALUE), max_size=8), NASTY)
TAGS = st.sampled_from(["html", "head", "body", "article", "main", "div", "p", "h1", "h2",
                        "span", "time", "script", "style", "iframe", "a", "img", "br", "button",
                        "meta", "title", "nav", "footer", "svg", "table", "td", "template"])
ATTRS = st.sampled_from(["", ' class="content"', ' class="nav tag-x share_area"',
                         ' onclick="x()"', ' href="javascript:alert(1)"', ' src="x"',
                         ' property="og:title" content="標&quot;題"', ' name="author" content="未知"',
                         ' datetime="2024-05-01T08:00:00Z"', ' style="x:expression(1)"', "/"])
HTML = st.lists(st.one_of(
    st.builds(lambda t, a: f"<{t}{a}>", TAGS, ATTRS), TAGS.map(lambda t: f"</{t}>"), NASTY,
), max_size=60).map(lambda parts: "<!doctype html><html>" + "".join(parts))
# Per example, a parse must end in time (a hang is a failure, not a slow test).
BOUNDED = settings(max_examples=1500, deadline=timedelta(seconds=3),
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_topics(data: bytes, name: str) -> None:
    """What a seed names (tags, authors, sources) can never place a file outside its folder."""
    try:
        article = parse_seed(data, name, ZONE)
    except SeedError:
        return
    for topic in topics_of(article):
        for rel in (feed_path(topic, None, "atom.xml"), site_path(topic, None),
                    feed_path(topic, 3, "rss.xml", full=False)):
            parts = PurePosixPath(rel).parts
            assert not PurePosixPath(rel).is_absolute() and ".." not in parts and "" not in parts
            assert all(p.isprintable() and "\\" not in p for p in parts), rel


@BOUNDED
@given(YAML_FM, st.sampled_from(["a.md", "b.markdown", "c.txt"]))
def test_yaml_front_matter(text: str, name: str) -> None:
    check(text.encode("utf-8"), name)
    check_topics(text.encode("utf-8"), name)


@BOUNDED
@given(TOML_FM, st.sampled_from(["a.md", "c.txt"]))
def test_toml_front_matter(text: str, name: str) -> None:
    check(text.encode("utf-8"), name)
    check_topics(text.encode("utf-8"), name)


@BOUNDED
@given(HTML, st.sampled_from(["a.html", "b.htm", "c.txt"]))
def test_html_pages(text: str, name: str) -> None:
    check(text.encode("utf-8"), name)
    check_topics(text.encode("utf-8"), name)
