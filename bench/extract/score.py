"""Score article extraction on the development set of real pages.

    python bench/extract/score.py PAGES_DIR [--extractor NAME ...] [--show] [--json]

PAGES_DIR (or $SEEDFEED_DEVSET) holds the saved pages named in manifest.json; nothing is
fetched. The pages are other people's text and stay out of the repository: the manifest says
where each comes from (repository, commit, path) and what a person reading it found there.

Per page, by field:
- title: equal after blanks are removed;
- date: the same instant, to the precision the page shows (a day, a minute or a second);
  a page without a visible date expects none;
- author: the same names, in any order, whatever joins them (a page without a byline
  expects none);
- body: "complete and clean" when character recall and precision are both >= 0.95. The
  reference body is the page's visible text from `body_start` up to the end of `body_end`
  (the first and last words of the article, read off the page by hand), minus the
  `body_skip` snippets (captions, ads, meta lines inside that span). Both texts lose
  blanks and punctuation; recall and precision are over character bigrams (multisets), so
  order inside a paragraph matters little and a missing or extra paragraph shows at once;
- kind: a non-article must be rejected (SeedError); an article must not be.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html

HERE = Path(__file__).resolve().parent
ZONE = ZoneInfo("Asia/Shanghai")


@dataclass
class Result:
    rejected: str | None = None  # the reason, when the page was rejected
    title: str = ""
    date: datetime | None = None
    author: str | None = None
    body: str = ""
    warnings: tuple[str, ...] = ()


# --- extractors ----------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    """The page as text, as seedfeed reads it; pages it cannot read are read leniently."""
    from seedfeed.errors import SeedError
    from seedfeed.ingest.clean import clean_text
    from seedfeed.ingest.decode import decode

    try:
        return clean_text(decode(data))
    except SeedError:
        for encoding in ("utf-8", "gb18030", "big5"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        return data.decode("gb18030", errors="replace")


def run_seedfeed(data: bytes, name: str) -> Result:
    from seedfeed.errors import SeedError
    from seedfeed.ingest import parse_seed

    try:
        a = parse_seed(data, name, ZONE)
    except SeedError as e:
        return Result(rejected=str(e))
    return Result(title=a.title, date=a.published, author=a.author, body=a.content_text,
                  warnings=a.warnings)


def run_seedfeed_html5(data: bytes, name: str) -> Result:
    """seedfeed with the page parsed by html5lib (the WHATWG tree builder browsers follow) in
    place of libxml2's parser, to see what broken markup costs."""
    import html5lib
    from lxml import etree

    from seedfeed.errors import SeedError
    from seedfeed.ingest import htmlpage

    def parse(text: str):
        try:
            with warnings.catch_warnings():  # html5lib's DataLossWarning for odd attribute names
                warnings.simplefilter("ignore")
                tree = html5lib.parse(text, treebuilder="lxml",
                                      namespaceHTMLElements=False)
        except Exception as e:  # html5lib recovers from everything; this is a guard
            raise SeedError(f"the HTML page cannot be parsed ({e})") from e
        # re-read the browser-shaped tree as lxml.html elements (same API, no comments)
        markup = etree.tostring(tree.getroot(), encoding="unicode", method="html")
        parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
        return lxml.html.document_fromstring(markup, parser=parser)

    saved = htmlpage._parse_document
    htmlpage._parse_document = parse  # type: ignore[assignment]
    try:
        return run_seedfeed(data, name)
    finally:
        htmlpage._parse_document = saved  # type: ignore[assignment]


def run_trafilatura(data: bytes, name: str) -> Result:
    import trafilatura

    text = _decode(data)
    doc = trafilatura.bare_extraction(text, with_metadata=True, favor_precision=False,
                                      include_comments=False, date_extraction_params={
                                          "extensive_search": True, "original_date": True})
    if doc is None:
        return Result(rejected="trafilatura found no text")
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    date = None
    if d.get("date"):
        try:
            date = datetime.fromisoformat(d["date"]).replace(tzinfo=ZONE)
        except ValueError:
            date = None
    return Result(title=d.get("title") or "", date=date, author=d.get("author"),
                  body=d.get("text") or "")


def run_readability(data: bytes, name: str) -> Result:
    from readability import Document

    text = _decode(data)
    try:
        doc = Document(text)
        summary = doc.summary(html_partial=True)
        title = doc.short_title()
    except Exception as e:  # readability raises bare exceptions on odd pages
        return Result(rejected=f"readability failed: {e}")
    body = lxml.html.fragment_fromstring(summary, create_parent="div").text_content()
    return Result(title=title, body=body)


def run_htmldate(data: bytes, name: str) -> Result:
    """Only a date: htmldate alone, to compare date finding."""
    from htmldate import find_date

    found = find_date(_decode(data), extensive_search=True, original_date=True,
                      outputformat="%Y-%m-%dT%H:%M:%S")
    date = datetime.fromisoformat(found).replace(tzinfo=ZONE) if found else None
    return Result(date=date)


EXTRACTORS: dict[str, Callable[[bytes, str], Result]] = {
    "seedfeed": run_seedfeed, "seedfeed-html5": run_seedfeed_html5, "trafilatura": run_trafilatura,
    "readability": run_readability, "htmldate": run_htmldate,
}
FIELDS = {"seedfeed": "title date author body kind",
          "seedfeed-html5": "title date author body kind", "trafilatura": "title date author body kind",
          "readability": "title body kind", "htmldate": "date"}


# --- reference values ----------------------------------------------------------------------

_DROP = re.compile(r"[\W_]+", re.UNICODE)


def squash(text: str) -> str:
    return _DROP.sub("", text).casefold()


def page_text(data: bytes, name: str) -> str:
    """The visible text of a saved page or text dump, blanks and punctuation removed."""
    text = _decode(data)
    if not name.endswith((".html", ".htm")):
        return squash(text)
    doc = lxml.html.document_fromstring(text.encode("utf-8"),
                                        parser=lxml.html.HTMLParser(encoding="utf-8"))
    for el in doc.xpath("//script | //style | //noscript | //head | //template"):
        el.drop_tree()
    return squash(doc.text_content())


def reference_body(entry: dict, text: str) -> str | None:
    start, end = squash(entry["body_start"]), squash(entry["body_end"])
    i = text.find(start)
    j = text.find(end, i + 1) if i >= 0 else -1
    if i < 0 or j < 0:
        return None
    body = text[i: j + len(end)]
    for skip in entry.get("body_skip", []):
        body = body.replace(squash(skip), "")
    return body


def _bigrams(text: str) -> Counter[str]:
    return Counter(text[i: i + 2] for i in range(len(text) - 1))


def recall_precision(ref: str, got: str) -> tuple[float, float]:
    r, g = _bigrams(ref), _bigrams(squash(got))
    common = sum((r & g).values())
    return common / max(1, sum(r.values())), common / max(1, sum(g.values()))


def same_moment(want: datetime | None, got: datetime | None) -> bool:
    """The same instant, to the precision the page shows: a page giving only a day or only
    minutes is matched on the day (in its own zone) or the minute."""
    if want is None or got is None:
        return want is got
    got = got.astimezone(want.tzinfo)
    if (want.hour, want.minute, want.second) == (0, 0, 0):
        return got.date() == want.date()
    if want.second == 0:
        return got.replace(second=0, microsecond=0) == want
    return got.replace(microsecond=0) == want


def same_people(want: str | None, got: str | None) -> bool:
    split = re.compile(r"[、,，;；/\s]+")
    names = [set(filter(None, split.split(x or ""))) for x in (want, got)]
    return names[0] == names[1]


# --- scoring -------------------------------------------------------------------------------

def score_page(entry: dict, data: bytes, result: Result, text: str) -> dict[str, bool | None]:
    """True/False per field; None when the field does not apply to the page."""
    article = entry["kind"] == "article"
    out: dict[str, bool | None] = {"kind": (result.rejected is None) == article}
    if not article:
        return out | {"title": None, "date": None, "author": None, "body": None}
    if result.rejected is not None:
        return out | {"title": False, "date": False, "author": False, "body": False}
    want_date = datetime.fromisoformat(entry["date"]) if entry.get("date") else None
    out["title"] = squash(result.title) == squash(entry["title"])
    out["date"] = same_moment(want_date, result.date)
    out["author"] = same_people(entry.get("author"), result.author)
    ref = reference_body(entry, text)
    if ref is None:
        raise SystemExit(f"{entry['file']}: body markers not found on the page")
    rec, prec = recall_precision(ref, result.body)
    out["body"] = rec >= 0.95 and prec >= 0.95
    out["recall"], out["precision"] = rec, prec  # type: ignore[assignment]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pages", nargs="?", default=os.environ.get("SEEDFEED_DEVSET"))
    ap.add_argument("--manifest", default=str(HERE / "manifest.json"))
    ap.add_argument("--extractor", action="append", choices=sorted(EXTRACTORS))
    ap.add_argument("--show", action="store_true", help="print every failed field")
    ap.add_argument("--only", help="score only files whose name contains this")
    args = ap.parse_args(argv)
    if not args.pages:
        ap.error("give the folder of saved pages (or set SEEDFEED_DEVSET)")
    entries = json.loads(Path(args.manifest).read_text(encoding="utf-8"))["pages"]
    if args.only:
        entries = [e for e in entries if args.only in e["file"]]
    pages = Path(args.pages)
    blobs = {e["file"]: (pages / e["file"]).read_bytes() for e in entries}
    texts = {e["file"]: page_text(blobs[e["file"]], e["file"]) for e in entries}
    for name in args.extractor or ["seedfeed"]:
        run = EXTRACTORS[name]
        tally: dict[str, list[bool]] = {}
        started = time.perf_counter()
        results = {e["file"]: run(blobs[e["file"]], e["file"]) for e in entries}
        seconds = time.perf_counter() - started
        for e in entries:
            marks = score_page(e, blobs[e["file"]], results[e["file"]], texts[e["file"]])
            for field in FIELDS[name].split():
                if marks.get(field) is not None:
                    tally.setdefault(field, []).append(bool(marks[field]))
                    if args.show and not marks[field]:
                        _explain(e, field, results[e["file"]], marks)
        kinds = [e["kind"] for e in entries]
        print(f"## {name}: {len(entries)} pages ({kinds.count('article')} articles), "
              f"{len(entries) / seconds:.0f} pages/s")
        for field in FIELDS[name].split():
            ok, n = sum(tally.get(field, [])), len(tally.get(field, []))
            print(f"  {field:7} {ok:3}/{n:3}  {100 * ok / max(1, n):5.1f}%")
        wrongly = sum(1 for e in entries if e["kind"] == "article" and results[e["file"]].rejected)
        print(f"  articles wrongly rejected: {wrongly}")
    return 0


def _explain(e: dict, field: str, r: Result, marks: dict) -> None:
    want = {"title": e.get("title"), "date": e.get("date"), "author": e.get("author"),
            "kind": e["kind"]}.get(field)
    got = {"title": r.title, "date": r.date and r.date.isoformat(), "author": r.author,
           "kind": f"rejected: {r.rejected}" if r.rejected else "article"}.get(field)
    if field == "body":
        want, got = "", f"recall {marks.get('recall', 0):.2f} precision {marks.get('precision', 0):.2f}"
    print(f"    {e['file']} {field}: want {want!r} got {got!r}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
