"""Text laid out without paragraphs (lines split by ``<br>``, prose in a ``<pre>``) becomes one
``<p>`` per line, so that later steps see meta lines and paragraphs as elements.

Only restructures the tree; it drops no text and judges none.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from .htmlfurniture import PROSE
from .sanitize import _BLOCKS


def split_br_runs(doc: lxml.html.HtmlElement) -> None:
    """Text laid out with <br> (press releases, old CMSes) or with line breaks in a <pre>
    becomes one <p> per line, so that paragraphs, meta lines and an end mark are elements
    like everywhere else."""
    for pre in list(doc.iter("pre")):
        text = pre.text_content()
        if len(pre) == 0 and len(re.findall(r"[。！？]", text)) >= 2:  # prose, not code
            pre.text, pre.tag = None, "div"
            for line in filter(None, map(str.strip, text.splitlines())):
                etree.SubElement(pre, "p").text = line
    for el in list(doc.iter("div", "td", "p", "span", "font")):
        if sum(1 for c in el if c.tag == "br") < 2:
            continue
        if any(isinstance(d.tag, str) and d.tag in _BLOCKS for d in el.iterdescendants()):
            if el.tag in ("div", "td") and PROSE.search(loose_text(el)):
                wrap_loose_runs(el)
            continue
        wrap_loose_runs(el)  # no blocks inside: every line becomes a <p>
        if el.tag in ("p", "span", "font"):
            el.tag = "div"  # a paragraph (or inline element) cannot hold paragraphs


def loose_text(el: lxml.html.HtmlElement) -> str:
    """The text an element holds outside its children (its own text and their tails)."""
    return (el.text or "") + "".join(c.tail or "" for c in el)


def wrap_loose_runs(el: lxml.html.HtmlElement) -> None:
    """A body typed straight into a layout <div> beside its other blocks (an image box, a
    font-size bar), lines split by <br>: each line becomes a <p>; the blocks stay."""
    items: list[str | lxml.html.HtmlElement] = [el.text or ""]
    for child in list(el):
        tail, child.tail = child.tail or "", None
        el.remove(child)
        items += [child, tail]
    el.text = None
    line: list[str | lxml.html.HtmlElement] = []
    for item in [*items, None]:
        is_block = isinstance(item, etree._Element) and isinstance(item.tag, str) and (
            item.tag in _BLOCKS or item.tag == "br")
        if item is not None and not is_block:
            line.append(item)
            continue
        if any(x.strip() if isinstance(x, str) else True for x in line):
            el.append(_paragraph(line))
        line = []
        if is_block and isinstance(item, etree._Element) and item.tag != "br":
            el.append(item)


def _paragraph(parts: list[str | lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    para = lxml.html.Element("p")
    last = None
    for part in parts:
        if isinstance(part, str):
            if last is None:
                para.text = (para.text or "") + part
            else:
                last.tail = (last.tail or "") + part
        else:
            para.append(part)
            last = part
    return para

