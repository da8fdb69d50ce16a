"""HTML seeds: one saved news page -> Article.

The steps, in order: parse (lxml), read ``<head>`` metadata (htmlmeta.py), find the headline
and the article element (htmlroot.py), turn ``<br>`` runs into paragraphs (htmllines.py),
take visible meta lines (htmlmetalines.py), cut furniture (htmltrim.py), judge whether the
page is one article (pagekind.py) and sanitise the body (sanitize.py).

Nothing reaches ``content_html`` or ``paragraphs`` without passing nh3 (sanitize.py). It must
not know any particular site: every rule is about HTML structure, standard metadata or
generic Chinese/English meta labels.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import tzinfo

import lxml.html
from lxml import etree

from ..errors import SeedError
from ..model import Article
from .bylines import bare_name, body_byline, page_editors, posted_by
from .clean import clean_line
from .dateline import date_after, dateline_near
from .dates import DATE_PATTERN
from .htmlfurniture import PAGE, class_words, in_chrome, is_widget_heading
from .htmllines import split_br_runs
from .htmlmeta import _head_meta, _links, _metadata, declared_image
from .htmlmetalines import take_meta_lines, vcard_authors
from .htmlroot import (
    content_root,
    drop_headline,
    headings,
    headline_before,
    meta_scope,
    text_leaves,
    title_element,
)
from .htmltrim import cut_after_end_mark, drop_captions, drop_chrome, take_inline_editor, trim_edges
from .pagekind import LINKED_HEADLINES, body_warnings, check_kind, check_teaser_page, check_text, prose_chars
from .sanitize import _inner_html, _squash, clean_urls, drop_unseen, html_paragraphs, sanitise_html
from .textlines import dateline_author
from .titles import looks_like_site, page_title_parts, title_of


def _parser() -> lxml.html.HTMLParser:
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    # Every element is an HtmlElement, chosen in C: lxml.html's own lookup is a Python call
    # for each element object made (a tenth of the parse time), only to give forms and
    # inputs their own classes, which nothing here uses.
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
    return parser


def _parse_document(text: str) -> lxml.html.HtmlElement:
    # Bytes + explicit UTF-8: a stale <meta charset=gbk> or <?xml encoding?> must not re-decode.
    parser = _parser()
    try:
        doc = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise SeedError(f"the HTML page cannot be parsed ({e})") from e
    if doc is None:
        raise SeedError("the HTML page is empty")
    return doc


class _NoText(SeedError):
    """A title but no article text: perhaps the body waits for a script to show it."""


_SCRIPT_SHOWN = re.compile(r"visibility\s*:\s*hidden|opacity\s*:\s*0(?![.\d])", re.IGNORECASE)


def parse_html(text: str, zone: tzinfo) -> Article:
    """Parse one HTML page. Raises SeedError when it has no title or no article text."""
    try:
        return _parse_page(text, zone, reveal=False)
    except _NoText:
        # Some CMSes ship the article with visibility:hidden and let a script show it; a
        # browser without scripts shows nothing, but the text is the article.
        article = _parse_page(text, zone, reveal=True)
        note = "the article text is hidden on the page until a script shows it"
        return replace(article, warnings=(*article.warnings, note))


def _reveal(doc: lxml.html.HtmlElement) -> None:
    for el in doc.xpath("//*[@style]"):
        if _SCRIPT_SHOWN.search(el.get("style", "")) and not _HIDDEN_DISPLAY.search(el.get("style", "")):
            del el.attrib["style"]


_HIDDEN_DISPLAY = re.compile(r"display\s*:\s*none", re.IGNORECASE)


def _parse_page(text: str, zone: tzinfo, reveal: bool) -> Article:
    doc = _parse_document(text)
    meta = _head_meta(doc)  # before drop_unseen, which removes <head> and JSON-LD scripts
    url, base = _links(doc, meta)
    image = declared_image(doc, meta, base)  # before drop_unseen removes <link>
    page_title = doc.findtext(".//title") or ""
    if reveal:
        _reveal(doc)
    drop_unseen(doc)  # URLs are cleaned on the article only, before it is serialised
    body_el = doc.find("body")
    visible_text = (body_el if body_el is not None else doc).text_content()
    PAGE.reset(len(_squash(visible_text)))
    teasers = doc.xpath(LINKED_HEADLINES)
    subheads = [t for h in doc.iter("h2", "h3") if not in_chrome(h)
                and not is_widget_heading(t := clean_line(h.text_content()))]
    title = title_of(meta, headings(doc, page_title), page_title, subheads)
    split_br_runs(doc)
    PAGE.tree_changed()
    headline = title_element(doc, title) if title else None
    leaves = list(text_leaves(doc))
    page_prose = prose_chars(leaves)
    root = content_root(doc, headline, leaves)
    has_headline = headline is not None
    # the <title> and metadata name only the site: the headline is the line over the text
    if (headline is None and looks_like_site(title, meta, page_title)
            and (found := headline_before(root))):
        title, headline = found, title_element(doc, found)
    if not title:
        raise SeedError("no title: the page has no og:title, <h1> or <title>")
    dateline = dateline_near(visible_text, title, zone)
    scope = meta_scope(root, headline)
    times = [t for t in scope.iter("time") if t.get("datetime") and not in_chrome(t)]
    edited = [t for t in times if {"updated", "modified"} & class_words(t)]
    PAGE.tree_changed(for_good=True)  # from here on every step cuts
    tail_date = cut_after_end_mark(root)
    vcards = vcard_authors(scope)
    lines = take_meta_lines(scope, root)
    lines |= {"time": [t.get("datetime") for t in times if t not in edited], "vcard": vcards,
              "time_updated": [t.get("datetime") for t in edited], "tail_date": tail_date}
    lines.setdefault("editor", []).extend(take_inline_editor(root))
    drop_chrome(root)
    drop_captions(root)
    drop_headline(root, headline, title)
    check_kind(root)
    head_cut, tail_cut = trim_edges(root)
    clean_urls(root)
    content_html = sanitise_html(_inner_html(root), base)
    paragraphs = html_paragraphs(content_html)
    if not paragraphs:
        raise _NoText(f"the page has a title ({title!r}) but no article text")
    check_text(title, paragraphs)
    check_teaser_page(paragraphs, has_headline, int(teasers))
    unsure = body_warnings(sum(len(p) for p in paragraphs), page_prose)
    around = (*head_cut, *paragraphs, *tail_cut)  # bylines may sit in the lines cut off
    if not lines.get("author") and (names := next(filter(None, map(dateline_author, around[:3])),
                                                  None)):
        lines["author"] = [names]  # 本报讯（记者 王明）… opens the body
    lines["body_author"] = [n for n in [body_byline(paragraphs) or body_byline(around)
                                        or bare_name((head_cut or paragraphs)[-1 if head_cut else 0])]
                           if n]
    # a forum or blog post's signature (本贴由X于…发表, 由X张贴 @ …): a blog's <title> is
    # often its writer's handle, which must not disqualify the name as a site's
    lines["signed"] = [signed[0]] if (signed := posted_by(visible_text)) else []
    lines["page_editors"] = sorted(page_editors(visible_text))
    lines["sites"] = [p for p in page_title_parts(page_title) if p != title]
    dateline = dateline or date_after(visible_text, paragraphs[-1], zone)
    fields = _metadata(doc, meta, lines, zone, dateline)
    fields["warnings"] = (*_date_warnings(fields, visible_text), *unsure)
    return Article(title=title, paragraphs=paragraphs, content_html=content_html, url=url,
                   image=image, **fields)


def _date_warnings(fields: dict, visible_text: str) -> tuple[str, ...]:
    """A page that shows a date yet yields none for the article says so: it would otherwise
    be published under the day it was first seen without a word."""
    warnings = tuple(fields["warnings"])
    if fields["published"] is None and (m := DATE_PATTERN.search(visible_text)):
        shown = _squash(m.group())
        warnings = tuple(w for w in warnings if w != "no publication date found") + (
            f"the page shows a date ({shown}) but none could be tied to the article; "
            "it is dated when first seen",)
    return warnings

