"""Make text dumps from saved pages of the development set, as a browser's "save as text" would.

    python bench/extract/make_dumps.py PAGES_DIR

Each page named in manifest.json under `dumps` becomes `<file>.txt` beside it: the visible
text of <body>, one line per block, scripts and styles left out. The dumps are derived from
other people's pages and stay out of the repository like the pages; the manifest holds what a
person reading each dump finds there (a date that only the page's <head> carried is not in
the dump, so the dump expects none).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import lxml.html

HERE = Path(__file__).resolve().parent
_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
           "section", "article", "header", "footer", "dd", "dt", "blockquote", "center", "form"}


def dump(html: str) -> str:
    doc = lxml.html.document_fromstring(html.encode("utf-8"),
                                        parser=lxml.html.HTMLParser(encoding="utf-8"))
    for el in doc.xpath("//script | //style | //noscript | //head | //template"):
        el.drop_tree()
    out: list[str] = []

    def walk(el: lxml.html.HtmlElement) -> None:
        block = isinstance(el.tag, str) and el.tag in _BLOCKS
        if block:
            out.append("\n")
        if isinstance(el.tag, str) and el.text:
            out.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                out.append(child.tail)
        if block:
            out.append("\n")

    walk(doc)
    lines = (" ".join(line.split()) for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line) + "\n"


def main() -> int:
    sys.path.insert(0, str(HERE))
    from score import _decode  # the page as seedfeed reads it

    pages = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ["SEEDFEED_DEVSET"])
    manifest = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["pages"]:
        if source := entry.get("dump_of"):
            text = dump(_decode((pages / source).read_bytes()))
            (pages / entry["file"]).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
