"""Pipeline: one pass seeds -> scan -> parse -> index -> resolve -> plan -> render -> publish.

It orchestrates and records; it does not decide (resolve.py, plan.py) or render (render/).
Work grows with the change, not the archive: only new and changed seeds are read and
parsed, only the seeds related to them (same text, same entry key) are resolved again, and
only the documents holding a changed entry are rendered. A seed that fails costs only
itself; a failure to publish leaves the previous files in place and is retried.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from . import __version__, journal
from .config import Config
from .documents import Renderer
from .errors import SeedfeedError
from .health import diagnose
from .ids import declared_key, seed_key
from .index import Index, set_aside
from .locks import held
from .model import Article, BuildReport, Rejection, SeedFile, SeedRecord
from .parsing import candidates, parse_chunks
from .plan import topics_of
from .publish import Batch, sweep_temp_files, write_atomic
from .resolve import fingerprint, resolve
from .scan import Listed, describe, walk

log = logging.getLogger(__name__)

@dataclass
class Changes:
    """What this build changed, for the plan: entry numbers per stream, article pages."""

    numbers: set[int] = field(default_factory=set)  # main-stream numbers changed or removed
    members: dict[int, set[int]] = field(default_factory=dict)  # topic id -> seqs changed
    articles: set[str] = field(default_factory=set)  # keys whose article page is rendered
    removed_articles: set[str] = field(default_factory=set)  # keys whose page goes
    tombstones: bool = False
    rejected: list[str] = field(default_factory=list)  # newly rejected, for the log
    warned: list[str] = field(default_factory=list)  # warnings of newly parsed seeds

    def topic(self, topic: int, seqs: set[int]) -> None:
        self.members.setdefault(topic, set()).update(seqs)


def _related(index: Index, records: list[SeedRecord],
             old: dict[str, SeedRecord]) -> dict[str, SeedRecord]:
    """The stored seeds that share a text fingerprint or an entry key with these records
    (closed under both relations): what must be resolved again with them."""
    fps = {fingerprint(r.article) for r in [*records, *old.values()] if r.article}
    keys = {declared_key(r.article) for r in records if r.article} | {r.key for r in old.values()}
    found: dict[str, SeedRecord] = {}
    while True:
        more = index.related(fps, {k for k in keys if k}) - set(found) - set(old)
        if not more:
            return found
        extra = index.records(more)
        found.update(extra)
        fps |= {fingerprint(r.article) for r in extra.values() if r.article}
        keys |= {r.key for r in extra.values() if r.key}


def _apply(cfg: Config, index: Index, changed: list[SeedRecord], gone: list[str],
           now: datetime, hints: dict[str, str], changes: Changes) -> None:
    """Resolve the changed seeds with the seeds related to them, and store the outcome."""
    names = {r.file.name for r in changed} | set(gone)
    old = index.records(names)
    related = {n: r for n, r in _related(index, changed, old).items() if n not in names}
    previous = {**related, **old}
    current = changed + [related[n] for n in sorted(related)]
    keys = {r.key for r in previous.values() if r.key}
    keys |= {declared_key(r.article) or "" for r in changed if r.article}
    keys |= {hints.get(r.file.name) or seed_key(r.file.name) for r in changed}
    res = resolve(current, previous, index.states(keys), now, hints,
                  timedelta(days=cfg.ingest.max_future_days))
    index.put_records(res.records, {r.file.name: fingerprint(r.article) for r in res.records
                                    if r.article})
    index.drop_records(gone)
    live = {e.key: e for e in res.entries}
    index.put_scheduled(keys | set(live) | set(res.scheduled), res.scheduled)
    rows = index.entry_rows(keys | set(live))
    states = {s.key: s for s in res.states}
    for key, e in live.items():
        row = rows.get(key)
        state = states.get(key) or index.states([key])[key]
        facts = (e.seed, e.published.isoformat(), e.updated.isoformat(), state.content_hash, None)
        if row is not None and row[1:] == facts:
            continue  # the same seed, dates and content: nothing any document shows moved
        index.put_entry(state, e.seed, e.published, e.updated)
        if row is not None and row.number is not None:
            changes.numbers.add(row.number)
        changes.articles.add(key)
        changes.tombstones |= row is not None and row.deleted_at is not None  # it came back
        _join_topics(index, key, e.article, changes)
    for key in keys - set(live):
        row = rows.get(key)
        if row is not None and row.deleted_at is None:  # was live: now deleted
            index.delete_entry(key, now)
            if row.number is not None:
                changes.numbers.add(row.number)
            changes.removed_articles.add(key)
            changes.tombstones = True
            for topic, seq in index.set_members(key, set()):
                changes.topic(topic, {seq})


def _join_topics(index: Index, key: str, article: Article, changes: Changes) -> None:
    """Make the entry a member of exactly its article's topics; the pages of the topics it
    stays in or leaves change (those it joins get numbers, and pages, when numbered)."""
    ids = set(index.topic_ids(topics_of(article)).values())
    stays = index.memberships([key]).get(key, {})
    for topic, seq in stays.items():
        if topic in ids and seq is not None:
            changes.topic(topic, {seq})
    for topic, seq in index.set_members(key, ids):
        changes.topic(topic, {seq})


@cache  # one per folder, once per process: not read again on every build
def _code_digest(folder: str) -> str:
    h = hashlib.sha256(__version__.encode())
    for path in sorted((Path(__file__).parent / folder).rglob("*")):
        if path.suffix in (".py", ".html", ".css", ".svg"):  # templates/ holds the assets too
            h.update(path.read_bytes())
    return h.hexdigest()


def parse_signature(cfg: Config) -> str:
    """What a stored parse depends on besides the seed's bytes (and the horizon, which
    decides what is held back: a new one, or an index from before scheduling, resolves
    every seed again)."""
    return (f"{_code_digest('ingest')[:16]} {cfg.site.timezone} {cfg.ingest.max_bytes} "
            f"{cfg.ingest.max_seconds} {cfg.ingest.max_future_days:g}")


def render_signature(cfg: Config) -> str:
    """What every published document depends on besides the entries: a change re-renders all."""
    code = hashlib.sha256((_code_digest("render") + _code_digest("templates")).encode()).hexdigest()
    # the hubs only when there are any: a site without them keeps the signature it had
    hubs = f" {cfg.websub.hubs}" if cfg.websub.hubs else ""
    return hashlib.sha256(
        f"{code} {cfg.site} {cfg.feeds} {cfg.scheduler.interval}{hubs}".encode()).hexdigest()


def _restore(cfg: Config, index: Index, now: datetime) -> dict[str, str]:
    """An index without seeds: fill it from the journal when it has no entries either (the
    state database was lost or set aside). Returns seed name -> key, for resolve."""
    if index.entry_count() == 0:
        found = journal.read(cfg.paths.feeds)
        if not found.entries:
            return journal.legacy_keys(cfg.paths.feeds)
        index.restore(found.entries.values(), found.topics.values(), found.next_number, now)
        index.put_meta({"journal_lines": str(found.lines)})
        index.commit()
        log.warning("restored %d entries from the journal %s", len(found.entries),
                    journal.NAME)
    return index.seed_keys()


def _flush_journal(cfg: Config, index: Index) -> None:
    """Write what this build changed to the journal (all of it, compacted, when the journal
    is missing or has grown past twice what it describes)."""
    lines = int(index.meta("journal_lines") or 0)
    whole = (not (cfg.paths.feeds / journal.NAME).exists()
             or lines > 2 * index.entry_count() + 100)
    records = index.journal_records(everything=whole)
    if whole:
        lines = journal.rewrite(cfg.paths.feeds, records, index.next_number())
    else:
        lines += journal.append(cfg.paths.feeds, records, index.next_number())
    index.clear_dirty()
    index.put_meta({"journal_lines": str(lines)})


def _idle(cfg: Config, index: Index, listing: list[Listed], known: dict[str, SeedFile],
          now: datetime) -> bool:
    """Nothing to do: every seed's size and mtime as the index has them, nothing unreadable,
    no tombstone expired, nothing scheduled has come due, and the feed heads still there."""
    if len(known) != len(listing) or index.due_seeds(now):
        return False
    for item in listing:
        old = known.get(item.name)
        if item.retry or old is None or (old.size, old.mtime_ns) != (item.size, item.mtime_ns):
            return False  # an unreadable seed is retried on every scan until it can be read
    if index.has_expired_tombstones(now - timedelta(days=cfg.feeds.tombstone_days)):
        return False
    return Renderer.heads_exist(cfg)


def build(cfg: Config, *, force: bool = True, clock: float | None = None,
          last: BuildReport | None = None, complete: Mapping[str, float] | None = None,
          only: Collection[str] | None = None) -> BuildReport:
    """Scan and publish what changed. Returns what it did.

    One build at a time per site (a lock in paths.state, shared by the worker and the CLI).
    Not forced and given the `last` report, a scan that finds every seed as the index has it
    stops there (the scheduler's idle path: a few stat calls). Forced, it also checks that
    every published document is still on disk. `complete` names seeds the file system
    reported closed after writing or moved in (with when): they need not settle. `only`
    (with `last`, not forced) names the seeds the file system reported changed since the
    last scan: only they are looked at, instead of walking the whole folder.
    """
    if not cfg.paths.seeds.is_dir():  # a wrong path must not read as "every seed deleted"
        raise SeedfeedError(f"the seeds folder {cfg.paths.seeds} does not exist "
                            "(paths.seeds in the config); the published feeds are kept")
    db = cfg.paths.state / "seedfeed.db"
    with held(cfg.paths.state / "build.lock", cfg.scheduler.lock_wait):
        try:
            return _locked_build(cfg, db, force, clock, last, complete, only)
        except sqlite3.OperationalError as e:  # full, read-only, locked: not damage
            raise SeedfeedError(f"cannot use the state database {db}: {e}"
                                f"{diagnose(cfg.paths.state)}") from e
        except sqlite3.DatabaseError as e:  # damage the open-time check did not see
            set_aside(db, e)
            return _locked_build(cfg, db, True, clock, None, complete, None)


def _locked_build(cfg: Config, db: Path, force: bool, clock: float | None,
                  last: BuildReport | None, complete: Mapping[str, float] | None,
                  only: Collection[str] | None) -> BuildReport:
    with Index(db, check=force) as index:
        started = time.perf_counter()
        wall = time.time() if clock is None else clock
        now = datetime.fromtimestamp(wall, cfg.site.zone).replace(microsecond=0)
        listing, known = None, None
        if only is not None and not force and last is not None and (
                index.meta("parse") == parse_signature(cfg)):
            names = {*only, *last.pending}
            listing, walk_needed = describe(cfg.paths.seeds, names)
            known = index.seed_files(names)
            if walk_needed:
                listing = known = None
            elif not names and _idle(cfg, index, [], {}, now):
                return _nothing_new(last, started, now)
        if listing is None or known is None:
            listing, known = walk(cfg.paths.seeds), index.seed_files()
            if not force and last is not None and not last.pending and _idle(
                    cfg, index, listing, known, now):
                return _nothing_new(last, started, now)
        return _build(cfg, index, listing, known, wall, now, force, started, complete or {})


def _nothing_new(last: BuildReport, started: float, now: datetime) -> BuildReport:
    return replace(last, changed=False, rendered=0, seconds=time.perf_counter() - started,
                   finished_at=now, written_feeds=())


def _build(cfg: Config, index: Index, listing: list[Listed], known: dict[str, SeedFile],
           wall: float, now: datetime, force: bool, started: float,
           complete: Mapping[str, float]) -> BuildReport:
    signature, rsig = parse_signature(cfg), render_signature(cfg)
    reparse = index.meta("parse") != signature
    full = reparse or index.meta("render") != rsig or index.meta("render_pending") == "1"
    if force:
        for root in (cfg.paths.feeds, cfg.paths.site):
            if root.exists():
                sweep_temp_files(root)
    hints = _restore(cfg, index, now) if index.is_empty() else {}
    todo = candidates(listing, known, wall, cfg.ingest.settle_seconds, reparse, complete)
    renderer = Renderer(cfg, index)
    index.put_meta({"render_pending": "1"})
    index.commit()  # a build killed from here on renders everything next time
    changes = Changes()
    # A seed that went may come back under a new name (a rename): seeds that could be its
    # heir are resolved together with the gone ones, in the last step.
    gone = index.records(todo.gone)
    heirs_of = {r.file.sha256 for r in gone.values()} | {
        fingerprint(r.article) for r in gone.values() if r.article}
    deferred: list[SeedRecord] = []
    for chunk in parse_chunks(cfg, todo.changed, known, reparse):
        records = [record if changed else _unchanged(index, record) for record, changed in chunk]
        _note_rejects(index, records, changes)
        if heirs_of:
            heirs = [r for r in records if r.file.sha256 in heirs_of
                     or (r.article is not None and fingerprint(r.article) in heirs_of)]
            deferred += heirs
            records = [r for r in records if r not in heirs]
        _apply(cfg, index, records, [], now, hints, changes)
        index.commit()  # progress survives a kill: the next build goes on from here
    if deferred or gone:
        _apply(cfg, index, deferred, list(gone), now, hints, changes)
    if due := index.due_seeds(now):  # scheduled seeds whose time has come: stored, not re-read
        _apply(cfg, index, list(index.records(due).values()), [], now, hints, changes)
        index.drop_due(now)  # resolve never schedules a time past: what is left is stale
    if index.expire_tombstones(now - timedelta(days=cfg.feeds.tombstone_days)):
        changes.tombstones = True
    verify = force or not Renderer.heads_exist(cfg)  # a cleanup or a sync removed them
    batch = renderer.publish(changes, full=full, verify=verify, now=now)
    _flush_journal(cfg, index)
    index.put_docs(batch.digests)
    index.put_meta({"parse": signature, "render": rsig, "render_pending": "0"})
    index.commit()
    _log_collapsed(changes.rejected, "rejected ", "rejected seeds")
    _log_collapsed(changes.warned, "", "warnings")
    return _report(index, todo.pending, known, batch, started, now)


def _unchanged(index: Index, fresh: SeedRecord) -> SeedRecord:
    """A seed whose bytes did not change (only its mtime): the stored parse, new file facts."""
    record = index.records([fresh.file.name])[fresh.file.name]
    return replace(record, file=fresh.file)


def _note_rejects(index: Index, records: list[SeedRecord], changes: Changes) -> None:
    old = index.records([r.file.name for r in records if r.reason])
    for r in records:
        if r.reason and getattr(old.get(r.file.name), "reason", None) != r.reason:
            changes.rejected.append(f"{r.file.name}: {r.reason}")
        elif r.article is not None:
            changes.warned += [f"{r.file.name}: {w}" for w in r.article.warnings]


def _log_collapsed(lines: list[str], prefix: str, what: str, most: int = 10) -> None:
    """One log line per newly rejected seed (or warning), collapsed when there are many."""
    for line in lines[:most]:
        log.warning("%s%s", prefix, line)
    if len(lines) > most:
        log.warning("... and %d more %s (all listed in /status and by `seedfeed check`)",
                    len(lines) - most, what)


def _report(index: Index, pending: list[str], known: Mapping[str, SeedFile], batch: Batch,
            started: float, now: datetime) -> BuildReport:
    return BuildReport(
        seeds=index.seed_count() + sum(1 for n in pending if n not in known),
        published=index.live_count(),
        rejected=tuple(Rejection(n, r) for n, r in index.rejected()),
        warnings=tuple(Rejection(n, w) for n, w in index.warnings()),
        duplicates=index.duplicates(), pending=tuple(pending), changed=batch.written > 0,
        rendered=batch.rendered, seconds=time.perf_counter() - started, finished_at=now,
        scheduled=tuple(index.scheduled(now.tzinfo)),
        written_feeds=tuple(rel for rel, sha in batch.digests.items()
                            if sha is not None and rel.startswith("feeds/")),
    )


@cache
def versions() -> dict[str, str]:
    """The versions an operator asks for first."""
    import platform
    from importlib import metadata

    found = {"seedfeed": __version__, "Python": platform.python_version()}
    for name in ("flask", "granian", "apscheduler", "watchdog"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[name] = metadata.version(name)
    return found


def write_status(cfg: Config, report: BuildReport | None, error: str | None,
                 last_change: datetime | None, scheduler: dict[str, object] | None = None,
                 websub: dict[str, dict[str, object]] | None = None) -> None:
    """The worker's status for /status and /healthz (paths.state/status.json); `websub`:
    each hub's last ping result, when hubs are configured."""
    status = {
        "ok": error is None,
        "version": __version__,
        "error": error,
        "interval": cfg.scheduler.interval,
        "last_scan": datetime.now(cfg.site.zone).isoformat(),
        "last_change": last_change.isoformat() if last_change else None,
        "scheduler": scheduler or {"interval": cfg.scheduler.interval, "watching": False},
        "versions": versions(),
    }
    if websub is not None:
        status["websub"] = websub
    if report is not None:
        status.update({
            "seconds": round(report.seconds, 4),
            "seeds": report.seeds,
            "published": report.published,
            "duplicates": report.duplicates,
            "pending": list(report.pending),
            "scheduled": [{"seed": s, "at": t.isoformat()} for s, t in report.scheduled],
            "rejected": [{"seed": r.seed, "reason": r.reason} for r in report.rejected],
            "warnings": [{"seed": w.seed, "warning": w.reason} for w in report.warnings],
        })
    data = json.dumps(status, ensure_ascii=False, indent=2).encode("utf-8")
    write_atomic(cfg.paths.state / "status.json", data)


def summary_line(report: BuildReport) -> str:
    parts = [f"{report.published} published", f"{len(report.rejected)} rejected"]
    if report.duplicates:
        parts.append(f"{report.duplicates} duplicates")
    if report.warnings:
        parts.append(f"{len(report.warnings)} warnings (see /status)")
    if report.pending:
        parts.append(f"{len(report.pending)} still being written")
    if report.scheduled:
        parts.append(f"{len(report.scheduled)} scheduled (next {report.scheduled[0][1]:%Y-%m-%d %H:%M:%S})")
    what = "files updated" if report.changed else "nothing changed"
    seeds = f"{report.seeds} seed{'' if report.seeds == 1 else 's'}"
    return f"{seeds}: {', '.join(parts)}; {what} in {report.seconds:.2f}s"


