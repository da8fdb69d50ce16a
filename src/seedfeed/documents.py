"""Documents: from what a build changed to the documents it publishes.

It asks the index which entries a document holds, the plan which documents a change
touches, render for the bytes, and hands them to a publish Batch in a safe order: article
pages first, then archive pages, topic feeds and the main feeds, then the lists (OPML,
sitemap); pages of deleted entries go last. Only the feed heads and the front page get
precompressed siblings: they are fetched over and over between changes, while an archive
page or an article is fetched a few times (nginx compresses those on the fly).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from . import workers
from .config import Config
from .ids import entry_slug
from .model import Entry, Tombstone
from .plan import (
    FORMATS,
    NOT_FOUND_PATH,
    SITEMAP_CHUNK,
    FeedDocument,
    Paging,
    Topic,
    article_site_path,
    feed_path,
    preview_path,
    site_path,
    sitemap_path,
    topics_of,
    touched,
)
from .publish import Batch, digest, intact, locate, remove_legacy
from .render.feeds import render_document
from .render.images import local_file
from .render.lists import render_opml, render_sitemap, render_sitemap_index
from .render.pages import (
    ASSETS,
    render_article,
    render_list,
    render_not_found,
    render_preview,
    render_topics,
)
from .render.variants import document_in, entry_in, prefixed, topic_in, views

if TYPE_CHECKING:
    from .index import Index
    from .pipeline import Changes


class Renderer:
    """Renders and publishes the documents of one build."""

    def __init__(self, cfg: Config, index: Index) -> None:
        self.cfg, self.index = cfg, index
        self.head, self.size = cfg.feeds.max_entries, cfg.feeds.archive_entries

    @staticmethod
    def heads_exist(cfg: Config) -> bool:
        rels = [f"feeds/{f}" for f in FORMATS] + ["site/index.html"]
        roots = {"feeds": cfg.paths.feeds, "site": cfg.paths.site}
        return all(locate(roots, prefixed(v, rel)).exists() for v in views(cfg) for rel in rels)

    def publish(self, changes: Changes, *, full: bool, verify: bool, now: datetime) -> Batch:
        """Number what is new, render what the changes touch (everything when `full`, or
        when `verify` finds a published document missing) and publish it."""
        index, self.now = self.index, now
        roots = {"feeds": self.cfg.paths.feeds, "site": self.cfg.paths.site}
        known = index.digests() if (full or verify) else None
        if verify and known is not None:
            full |= (any(not intact(locate(roots, rel)) for rel in known)
                     or not self.heads_exist(self.cfg))
        given = index.number_new_entries()
        main_after = Paging(index.next_number(), self.head, self.size)
        main_before = Paging(given[0] if given else main_after.next_number, self.head, self.size)
        numbers = changes.numbers | set(given)
        members = index.number_new_members()
        before_seq: dict[int, int] = {}
        for topic_id, seq in members:
            before_seq.setdefault(topic_id, seq)
            changes.topic(topic_id, {seq})
        self.batch = Batch(roots, known if known is not None else _Digests(index))
        self.rendered: set[str] = set()
        try:
            self._render(changes, full, main_before, main_after, numbers, before_seq)
        except BaseException:
            self.batch.abort()
            raise
        removed = [article_site_path(entry_slug(k)) for k in changes.removed_articles]
        self.batch.remove(prefixed(v, f"site/{p}") for v in views(self.cfg) for p in removed)
        if full and known is not None:
            self.batch.remove(sorted(set(known) - self.rendered))
        self.batch.commit()
        if full:
            for top, root in (("feeds", self.cfg.paths.feeds), ("site", self.cfg.paths.site)):
                keep = {r.partition("/")[2] for r in self.rendered if r.startswith(top + "/")}
                remove_legacy(root, {v for k in keep for v in (k, k + ".gz", k + ".br")})
        return self.batch

    def _render(self, changes: Changes, full: bool, main_before: Paging, main_after: Paging,
                numbers: set[int], before_seq: dict[int, int]) -> None:
        index, articles = self.index, changes.articles
        if full:
            self._all(main_after)
        else:
            self._articles(set(articles), set(changes.removed_articles))
            for topic_id, seqs in sorted(changes.members.items()):
                topic, next_seq = index.topic(topic_id)
                after = Paging(next_seq, self.head, self.size)
                before = Paging(before_seq.get(topic_id, next_seq), self.head, self.size)
                self._stream(topic_id, topic, after, touched(before, after, seqs))
            pages = touched(main_before, main_after, numbers)
            if changes.tombstones:
                pages.add(None)
            self._stream(None, None, main_after, pages)
            self._lists(main_after, {n // SITEMAP_CHUNK for n in numbers})

    # --- rendering ----------------------------------------------------------------------

    def _add(self, rel: str, data: bytes, compress: bool = False) -> None:
        self.rendered.add(rel)
        self.batch.add(rel, data, compress)

    def _put(self, files: list[Rendered]) -> None:
        for rel, data, compress, gone, sha in files:
            self.rendered.add(rel)
            self.batch.add(rel, data, compress, sha)
            if gone:  # an archive page that was open until now: its open file goes
                self.batch.remove([gone])

    def _articles(self, keys: set[str], removed: set[str]) -> None:
        """The pages of changed articles, and of the articles next to them and to removed
        ones, whose older / newer links may now point elsewhere (a new article: the one
        before it). The links carry no title, so an edit rewrites no neighbour's page."""
        near = self.index.neighbours(keys | removed)
        keys = (keys | {k for pair in near.values() for k in pair if k is not None}) - removed
        self._put(render_articles(self.cfg, *self._with_links(keys)))

    def _with_links(self, keys: Iterable[str]) -> tuple[list[Entry], Links]:
        entries = self.index.entries_by_keys(keys, self.cfg.site.zone)
        return entries, self.index.neighbours(e.key for e in entries)

    def _document(self, topic_id: int | None, topic: Topic | None, paging: Paging,
                  page: int | None, total: int) -> FeedDocument:
        """One page of a stream, with the entries the index has for it."""
        lo, hi = paging.span(page)
        zone = self.cfg.site.zone
        entries = (self.index.entries_between(lo, hi, zone) if topic_id is None
                   else self.index.topic_entries_between(topic_id, lo, hi, zone))
        full = page is not None and paging.is_full(page)
        tombstones: tuple[Tombstone, ...] = ()
        if topic is None and page is None:
            since = self.now - timedelta(days=self.cfg.feeds.tombstone_days)
            tombstones = tuple(self.index.tombstones(since))
        return FeedDocument(topic, page, paging.pages, full, entries, tombstones, total,
                            image_sizes(self.cfg, entries))

    def _documents(self, topic_id: int | None, topic: Topic | None, paging: Paging,
                   pages: Iterable[int | None]) -> Iterator[FeedDocument]:
        total = (self.index.live_count() if topic_id is None
                 else self.index.topic_live_count(topic_id))
        pages = set(pages)
        # archive pages before the head: the head links to them
        for page in sorted(p for p in pages if p is not None and p < paging.pages):
            yield self._document(topic_id, topic, paging, page, total)
        if None in pages:
            yield self._document(topic_id, topic, paging, None, total)

    def _stream(self, topic_id: int | None, topic: Topic | None, paging: Paging,
                pages: Iterable[int | None]) -> None:
        for doc in self._documents(topic_id, topic, paging, pages):
            self._put(render_stream_document(self.cfg, doc))

    def _lists(self, main: Paging, chunks: set[int]) -> None:
        """The OPML and topic overview of each view, the sitemap chunks that changed, and
        the sitemap index (one, listing every view's chunks)."""
        topics = [(t, n) for _, t, n in self.index.topic_counts()]
        every = views(self.cfg)
        count = (main.next_number + SITEMAP_CHUNK - 1) // SITEMAP_CHUNK
        rows = {c: self.index.sitemap_rows(c * SITEMAP_CHUNK, (c + 1) * SITEMAP_CHUNK)
                for c in sorted(c for c in chunks if c < count)}
        for view in every:
            shown = [(topic_in(view, t), n) for t, n in topics]
            others = every[1:] if view is self.cfg else []
            self._add(prefixed(view, "feeds/feeds.opml"), render_opml(view, shown, others))
            self._add(prefixed(view, "site/topics.html"), render_topics(view, shown))
            for chunk, found in rows.items():
                urls = [(f"{view.site_url}/articles/{entry_slug(k)}", u) for k, u, _ in found]
                self._add(prefixed(view, f"site/{sitemap_path(chunk)}"), render_sitemap(view, urls))
        self._add("site/sitemap.xml", render_sitemap_index(every, count))

    def _all(self, main: Paging) -> None:
        """Every document (a new layout, a crash mid-build, a file gone missing); rendered
        in worker processes when the site is large."""
        pool = workers.start() if self.index.live_count() >= PARALLEL_FROM else None
        try:
            articles = ((self.cfg, *self._with_links(keys)) for keys in self.index.key_batches(250))
            for files in workers.ordered(pool, render_articles, articles):
                self._put(files)
            for files in workers.ordered(pool, render_stream_document, self._every_document(main)):
                self._put(files)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        self._lists(main, set(range((main.next_number + SITEMAP_CHUNK - 1) // SITEMAP_CHUNK)))
        # these change only with the code, which makes the next build a full one
        for rel, data in ASSETS.items():
            self._add(f"site/{rel}", data)
        self._add(f"site/{NOT_FOUND_PATH}", render_not_found(self.cfg))

    def _every_document(self, main: Paging) -> Iterator[tuple[Config, FeedDocument]]:
        for topic_id in self.index.all_topic_ids():
            topic, next_seq = self.index.topic(topic_id)
            paging = Paging(next_seq, self.head, self.size)
            for doc in self._documents(topic_id, topic, paging, [*range(paging.pages), None]):
                yield self.cfg, doc
        for doc in self._documents(None, None, main, [*range(main.pages), None]):
            yield self.cfg, doc


def image_sizes(cfg: Config, entries: Iterable[Entry]) -> dict[str, int]:
    """Bytes of the lead images that are published files of this site (the enclosure
    length); a remote image, or one not there (yet), is left out."""
    sizes = {}
    for url in {e.article.image for e in entries if e.article.image}:
        path = local_file(cfg, url)
        try:
            if path is not None and path.is_file():
                sizes[url] = path.stat().st_size
        except OSError:  # unreadable, a name too long: not measured, never fatal
            continue
    return sizes


# (path, bytes, with siblings, a file it replaces, digest): digests are taken where the
# bytes are made, in the worker processes of a large build
Rendered = tuple[str, bytes, bool, str | None, str]
PARALLEL_FROM = 2000  # live entries from which a full render uses worker processes


Links = dict[str, tuple[str | None, str | None]]  # entry key -> (older key, newer key)


def render_articles(cfg: Config, entries: list[Entry], links: Links) -> list[Rendered]:
    """The article pages of these entries, in every script of the site (pure: runs in a
    worker process too)."""
    pages = []
    for view in views(cfg):
        for e in entries:
            shown = entry_in(view, e)
            topics = [topic_in(view, t) for t in topics_of(e.article)] if view.variant else None
            pages.append((prefixed(view, f"site/{article_site_path(e.slug)}"),
                          render_article(view, shown, links.get(e.key, (None, None)), topics)))
    return [(rel, data, False, None, digest(data)) for rel, data in pages]


def render_stream_document(cfg: Config, doc: FeedDocument) -> list[Rendered]:
    """A stream page in every script of the site (pure)."""
    return [rendered for view in views(cfg)
            for rendered in _render_view_document(view, document_in(view, doc))]


def _render_view_document(cfg: Config, doc: FeedDocument) -> list[Rendered]:
    """A stream page of one view in the three feed formats and as a human page, and for a
    head its feed preview page, at the view's paths."""
    out: list[Rendered] = []
    for fmt, data in render_document(cfg, doc).items():
        gone = f"feeds/{feed_path(doc.topic, doc.page, fmt, full=False)}" if doc.full else None
        out.append((prefixed(cfg, f"feeds/{feed_path(doc.topic, doc.page, fmt, doc.full)}"), data,
                    doc.page is None, prefixed(cfg, gone) if gone else None, digest(data)))
    page = render_list(cfg, doc)
    out.append((prefixed(cfg, f"site/{site_path(doc.topic, doc.page)}"), page,
                doc.topic is None and doc.page is None, None, digest(page)))
    if doc.page is None:  # the page people reach from the head's subscribe links
        preview = render_preview(cfg, doc)
        out.append((prefixed(cfg, f"site/{preview_path(doc.topic)}"), preview, False, None,
                    digest(preview)))
    return out


class _Digests(dict[str, str]):
    """The index's digests of published documents, looked up one at a time on demand."""

    def __init__(self, index: Index) -> None:
        super().__init__()
        self.index = index

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        found = self.index.digests([key])
        return found.get(key, default)
