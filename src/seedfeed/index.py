"""Index: the SQLite state database (paths.state/seedfeed.db).

It remembers, per seed file, what it was (size, mtime, sha256) and what parsing made of it;
per entry key, its number in the main stream, first-seen time, last content change and
settled dates; per topic, its members and their numbers; per published document, a digest
of its bytes. It answers the questions a build asks ("the seeds sharing this text", "the
entries of archive page k") with SQL, so a build never loads every article. It stores and
loads; it decides nothing (that is resolve.py and plan.py).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, Self

from .errors import SeedfeedError
from .health import diagnose
from .ids import entry_id, entry_slug
from .model import (
    Entry,
    EntryState,
    SeedFile,
    SeedRecord,
    Tombstone,
    article_from_json,
    article_to_json,
)
from .plan import Topic, slug

log = logging.getLogger(__name__)

VERSION = 5  # PRAGMA user_version; an older database is rebuilt from the seeds and the journal
_MIGRATIONS = {  # from version n to n + 1, in place (what it knows cannot all be derived again)
    3: ("ALTER TABLE entries ADD COLUMN dirty INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE topics ADD COLUMN dirty INTEGER NOT NULL DEFAULT 1"),
    4: ("CREATE TABLE IF NOT EXISTS scheduled (key TEXT PRIMARY KEY, seed TEXT NOT NULL, "
        "due TEXT NOT NULL)", "CREATE INDEX IF NOT EXISTS scheduled_due ON scheduled(due)"),
}
_checked: set[str] = set()  # databases this process has checked for damage

SCHEMA = """
CREATE TABLE IF NOT EXISTS seeds (
    name TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    fp TEXT,               -- fingerprint of the text (title + paragraphs), NULL when rejected
    ok INTEGER NOT NULL,   -- 1 when parsed into an article (in `articles`)
    reason TEXT,           -- why it was rejected, NULL when ok
    key TEXT,              -- the entry key it was published under, if any
    warnings TEXT          -- JSON list of the article's warnings, NULL when none
);
-- Parsed articles apart from the file facts: scans of `seeds` (every build's) stay small.
CREATE TABLE IF NOT EXISTS articles (
    name TEXT PRIMARY KEY,
    json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS seeds_fp ON seeds(fp);
CREATE INDEX IF NOT EXISTS seeds_key ON seeds(key);
CREATE TABLE IF NOT EXISTS meta (
    k TEXT PRIMARY KEY,
    v TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    number INTEGER UNIQUE,  -- order of first publication in the main stream; NULL until numbered
    first_seen TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    changed_at TEXT,
    seed TEXT,              -- the seed it is published from; NULL once deleted
    published TEXT,
    updated TEXT,
    deleted_at TEXT,        -- when its last seed went (RFC 6721 tombstone)
    purged INTEGER NOT NULL DEFAULT 0,  -- the tombstone has expired
    dirty INTEGER NOT NULL DEFAULT 1    -- changed since it was last written to the journal
);
CREATE INDEX IF NOT EXISTS entries_dirty ON entries(dirty) WHERE dirty = 1;
CREATE TABLE IF NOT EXISTS topics (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    next_seq INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 1,
    UNIQUE (kind, name)
);
CREATE TABLE IF NOT EXISTS members (
    topic INTEGER NOT NULL,
    key TEXT NOT NULL,
    seq INTEGER,            -- order of joining the topic; NULL until numbered
    PRIMARY KEY (topic, key)
);
CREATE INDEX IF NOT EXISTS members_seq ON members(topic, seq);
CREATE INDEX IF NOT EXISTS members_key ON members(key);
-- Entry keys held back until a date ahead (scheduled publishing): which seed, and when.
CREATE TABLE IF NOT EXISTS scheduled (
    key TEXT PRIMARY KEY,
    seed TEXT NOT NULL,
    due TEXT NOT NULL       -- UTC ISO time, so that text order is time order
);
CREATE INDEX IF NOT EXISTS scheduled_due ON scheduled(due);
CREATE TABLE IF NOT EXISTS docs (
    path TEXT PRIMARY KEY,  -- 'feeds/…' or 'site/…'
    digest TEXT NOT NULL
);
"""

_SEED_COLS = ("s.name, s.size, s.mtime_ns, s.sha256, a.json, s.reason, s.key FROM seeds s "
              "LEFT JOIN articles a ON a.name = s.name")
_CHUNK = 500  # names per IN (...) query


class EntryRow(NamedTuple):
    """What the index has of an entry (dates as stored: ISO strings)."""

    number: int | None
    seed: str | None
    published: str | None
    updated: str | None
    content_hash: str
    deleted_at: str | None


def _upgrade(db: sqlite3.Connection) -> None:
    """Bring an older layout to VERSION: in place when a migration exists, else dropped
    (rebuilt from the seeds and the journal)."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version == VERSION:
        return
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    while tables and version in _MIGRATIONS:
        for statement in _MIGRATIONS[version]:
            db.execute(statement)
        version += 1
    if version != VERSION:
        for table in tables:
            db.execute(f'DROP TABLE "{table}"')
    db.execute(f"PRAGMA user_version={VERSION}")
    db.commit()


def set_aside(path: Path, why: object) -> None:
    """Move a damaged database (and its WAL files) aside for a post-mortem."""
    stamp = int(time.time())
    for suffix in ("", "-wal", "-shm"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            part.rename(part.with_name(f"{part.name}.damaged-{stamp}"))
    _checked.discard(str(path))
    log.warning("state database %s is damaged (%s); set aside as %s.damaged-%d, rebuilding "
                "from the seeds and the journal", path, why, path.name, stamp)


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _record(row: tuple[Any, ...]) -> SeedRecord:
    name, size, mtime_ns, sha, article, reason, key = row
    file = SeedFile(name=name, size=size, mtime_ns=mtime_ns, sha256=sha)
    return SeedRecord(file, article_from_json(article) if article else None, reason, key)


class Index:
    """One connection to the state database; use as a context manager."""

    def __init__(self, path: Path, *, read_only: bool = False, check: bool = False) -> None:
        """Open (and create) the database. It is checked for damage the first time this
        process opens it, and whenever `check`; a damaged one is set aside and started
        afresh (the pipeline restores it from the journal)."""
        self._topic_ids: dict[Topic, int] = {}
        if read_only:  # for `check`: look, never write (no schema, no journal files)
            self.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open(path, check or str(path) not in _checked)
        except sqlite3.OperationalError as e:  # locked, read-only, disk full: not damage
            raise SeedfeedError(f"cannot use the state database {path}: {e}"
                                f"{diagnose(path.parent)}") from e
        except sqlite3.DatabaseError as e:
            # Damaged ("file is not a database", "malformed"): everything here is rebuilt
            # from the seeds and the journal (journal.py), with the same IDs and dates.
            set_aside(path, e)
            self.db = self._open(path, False)

    @staticmethod
    def _open(path: Path, check: bool) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            _upgrade(db)
            db.executescript(SCHEMA)
            if check:  # once per process, and on every verifying build: damage anywhere
                found = [str(r[0]) for r in db.execute("PRAGMA quick_check(3)")]
                if found != ["ok"]:
                    raise sqlite3.DatabaseError("; ".join(found))
                _checked.add(str(path))
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    # --- seeds --------------------------------------------------------------------------

    def seed_files(self, names: Iterable[str] | None = None) -> dict[str, SeedFile]:
        """The file facts of every seed, or of these names."""
        if names is None:
            return {r[0]: SeedFile(*r) for r in self.db.execute(
                "SELECT name, size, mtime_ns, sha256 FROM seeds")}
        out: dict[str, SeedFile] = {}
        for part in _chunks(sorted(set(names))):
            marks = ",".join("?" * len(part))
            out.update((r[0], SeedFile(*r)) for r in self.db.execute(
                f"SELECT name, size, mtime_ns, sha256 FROM seeds WHERE name IN ({marks})", part))
        return out

    def seed_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM seeds").fetchone()[0])

    def seeds(self) -> dict[str, SeedRecord]:
        """Every record (for `check`, which looks at a few files at a time)."""
        return {r.file.name: r for r in map(_record, self.db.execute(f"SELECT {_SEED_COLS}"))}

    def records(self, names: Iterable[str]) -> dict[str, SeedRecord]:
        out: dict[str, SeedRecord] = {}
        for part in _chunks(sorted(set(names))):
            marks = ",".join("?" * len(part))
            for row in self.db.execute(f"SELECT {_SEED_COLS} WHERE s.name IN ({marks})", part):
                out[row[0]] = _record(row)
        return out

    def related(self, fingerprints: Iterable[str], keys: Iterable[str]) -> set[str]:
        """Names of the seeds with one of these text fingerprints or entry keys."""
        out: set[str] = set()
        for column, values in (("fp", fingerprints), ("key", keys)):
            for part in _chunks(sorted({v for v in values if v})):
                marks = ",".join("?" * len(part))
                out.update(r[0] for r in self.db.execute(
                    f"SELECT name FROM seeds WHERE {column} IN ({marks})", part))
        return out

    def is_empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM seeds LIMIT 1").fetchone() is None

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    # --- entries ------------------------------------------------------------------------

    def states(self, keys: Iterable[str]) -> dict[str, EntryState]:
        out: dict[str, EntryState] = {}
        for part in _chunks(sorted(set(keys))):
            marks = ",".join("?" * len(part))
            rows = self.db.execute("SELECT key, first_seen, content_hash, changed_at FROM entries "
                                   f"WHERE key IN ({marks})", part)
            for key, first, chash, changed in rows:
                out[key] = EntryState(key, datetime.fromisoformat(first), chash,
                                      datetime.fromisoformat(changed) if changed else None)
        return out

    def entry_rows(self, keys: Iterable[str]) -> dict[str, EntryRow]:
        out: dict[str, EntryRow] = {}
        for part in _chunks(sorted(set(keys))):
            marks = ",".join("?" * len(part))
            for row in self.db.execute("SELECT key, number, seed, published, updated, content_hash, "
                                       f"deleted_at FROM entries WHERE key IN ({marks})", part):
                out[row[0]] = EntryRow(*row[1:])
        return out

    def next_number(self) -> int:
        row = self.db.execute("SELECT MAX(number) FROM entries").fetchone()
        stored = self.meta("next_number")
        return max(int(stored) if stored else 0, (row[0] + 1) if row[0] is not None else 0)

    def live_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM entries WHERE deleted_at IS NULL").fetchone()[0])

    def entries_between(self, lo: int, hi: int, zone: Any) -> list[Entry]:
        """The live entries numbered [lo, hi) in the main stream, newest first."""
        rows = self.db.execute(
            "SELECT e.key, e.seed, e.published, e.updated, s.json FROM entries e "
            "JOIN articles s ON s.name = e.seed WHERE e.deleted_at IS NULL AND e.number >= ? "
            "AND e.number < ?", (lo, hi))
        return _entries(rows, zone)

    def topic_entries_between(self, topic: int, lo: int, hi: int, zone: Any) -> list[Entry]:
        rows = self.db.execute(
            "SELECT e.key, e.seed, e.published, e.updated, s.json FROM members m "
            "JOIN entries e ON e.key = m.key JOIN articles s ON s.name = e.seed "
            "WHERE m.topic = ? AND m.seq >= ? AND m.seq < ? AND e.deleted_at IS NULL",
            (topic, lo, hi))
        return _entries(rows, zone)

    def entries_by_keys(self, keys: Iterable[str], zone: Any) -> list[Entry]:
        out: list[Entry] = []
        for part in _chunks(sorted(set(keys))):
            marks = ",".join("?" * len(part))
            out += _entries(self.db.execute(
                "SELECT e.key, e.seed, e.published, e.updated, s.json FROM entries e "
                f"JOIN articles s ON s.name = e.seed WHERE e.deleted_at IS NULL AND e.key IN ({marks})",
                part), zone)
        return out

    def neighbours(self, keys: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """The keys of the live entries numbered just before and just after each key in
        the main stream: an article page's older and newer links. A deleted key has
        neighbours too (their pages link past it once it is gone)."""
        out: dict[str, tuple[str | None, str | None]] = {}
        near = ("(SELECT o.key FROM entries o WHERE o.deleted_at IS NULL AND o.number {} e.number "
                "ORDER BY o.number {} LIMIT 1)")
        for part in _chunks(sorted(set(keys))):
            marks = ",".join("?" * len(part))
            rows = self.db.execute(
                f"SELECT e.key, {near.format('<', 'DESC')}, {near.format('>', 'ASC')} FROM entries e "
                f"WHERE e.number IS NOT NULL AND e.key IN ({marks})", part)
            out.update((key, (older, newer)) for key, older, newer in rows)
        return out

    def key_batches(self, size: int) -> Iterator[list[str]]:
        """The keys of every live entry, `size` at a time, in number order."""
        rows = self.db.execute("SELECT key FROM entries WHERE deleted_at IS NULL ORDER BY number")
        while batch := [r[0] for r in rows.fetchmany(size)]:
            yield batch

    def sitemap_rows(self, lo: int, hi: int) -> list[tuple[str, str, str | None]]:
        """(key, updated, canonical url or None) of the live entries numbered [lo, hi)."""
        rows = self.db.execute(
            "SELECT e.key, e.updated, json_extract(s.json, '$.url') FROM entries e "
            "JOIN articles s ON s.name = e.seed WHERE e.deleted_at IS NULL AND e.number >= ? "
            "AND e.number < ? ORDER BY e.number", (lo, hi))
        return [(k, u, url) for k, u, url in rows]

    def tombstones(self, since: datetime) -> list[Tombstone]:
        rows = self.db.execute(
            "SELECT key, deleted_at FROM entries WHERE deleted_at IS NOT NULL AND purged = 0 "
            "AND deleted_at >= ? ORDER BY deleted_at DESC, key", (since.isoformat(),))
        return [Tombstone(entry_id(k), datetime.fromisoformat(w)) for k, w in rows]

    def expire_tombstones(self, before: datetime) -> int:
        """Mark tombstones older than `before` as expired; how many there were."""
        with self.db:
            cur = self.db.execute("UPDATE entries SET purged = 1, dirty = 1 WHERE deleted_at IS NOT NULL "
                                  "AND purged = 0 AND deleted_at < ?", (before.isoformat(),))
        return cur.rowcount

    def has_expired_tombstones(self, before: datetime) -> bool:
        return self.db.execute("SELECT 1 FROM entries WHERE deleted_at IS NOT NULL AND purged = 0 "
                               "AND deleted_at < ? LIMIT 1", (before.isoformat(),)).fetchone() is not None

    # --- scheduled publishing -----------------------------------------------------------

    def put_scheduled(self, keys: Iterable[str], due: dict[str, tuple[str, datetime]]) -> None:
        """Make `due` (key -> (seed, when)) what is scheduled for these keys."""
        self.db.executemany("DELETE FROM scheduled WHERE key = ?", [(k,) for k in set(keys)])
        self.db.executemany("INSERT INTO scheduled VALUES (?, ?, ?)",
                            [(k, seed, when.astimezone(UTC).isoformat())
                             for k, (seed, when) in sorted(due.items())])

    def due_seeds(self, now: datetime) -> list[str]:
        """The seeds of the keys whose time has come."""
        return [r[0] for r in self.db.execute("SELECT DISTINCT seed FROM scheduled WHERE due <= ?",
                                              (now.astimezone(UTC).isoformat(),))]

    def drop_due(self, now: datetime) -> None:
        self.db.execute("DELETE FROM scheduled WHERE due <= ?", (now.astimezone(UTC).isoformat(),))

    def scheduled(self, zone: Any) -> list[tuple[str, datetime]]:
        """(seed, when) of everything scheduled, soonest first."""
        rows = self.db.execute("SELECT seed, due FROM scheduled ORDER BY due, seed")
        return [(s, datetime.fromisoformat(d).astimezone(zone)) for s, d in rows]

    # --- topics -------------------------------------------------------------------------

    def topic_ids(self, topics: Iterable[Topic]) -> dict[Topic, int]:
        """The row id of each topic, created when new (remembered: ids never change)."""
        out: dict[Topic, int] = {}
        for t in set(topics):
            if t not in self._topic_ids:
                self.db.execute("INSERT OR IGNORE INTO topics (kind, name, slug) VALUES (?, ?, ?)",
                                (t.kind, t.name, t.slug))
                self._topic_ids[t] = int(self.db.execute(
                    "SELECT id FROM topics WHERE kind = ? AND name = ?", (t.kind, t.name)).fetchone()[0])
            out[t] = self._topic_ids[t]
        return out

    def memberships(self, keys: Iterable[str]) -> dict[str, dict[int, int | None]]:
        """key -> {topic id: seq} for these keys."""
        out: dict[str, dict[int, int | None]] = {}
        for part in _chunks(sorted(set(keys))):
            marks = ",".join("?" * len(part))
            for topic, key, seq in self.db.execute(
                    f"SELECT topic, key, seq FROM members WHERE key IN ({marks})", part):
                out.setdefault(key, {})[topic] = seq
        return out

    def topic(self, topic_id: int) -> tuple[Topic, int]:
        kind, name, slug, next_seq = self.db.execute(
            "SELECT kind, name, slug, next_seq FROM topics WHERE id = ?", (topic_id,)).fetchone()
        return Topic(kind, name, slug), int(next_seq)

    def topic_counts(self) -> list[tuple[int, Topic, int]]:
        """(id, topic, live members) of every topic with at least one live member."""
        rows = self.db.execute(
            "SELECT t.id, t.kind, t.name, t.slug, COUNT(*) FROM topics t JOIN members m "
            "ON m.topic = t.id JOIN entries e ON e.key = m.key WHERE e.deleted_at IS NULL "
            "GROUP BY t.id ORDER BY t.kind, t.name")
        return [(i, Topic(k, n, s), c) for i, k, n, s, c in rows]

    def topic_live_count(self, topic: int) -> int:
        return int(self.db.execute(
            "SELECT COUNT(*) FROM members m JOIN entries e ON e.key = m.key WHERE m.topic = ? "
            "AND e.deleted_at IS NULL", (topic,)).fetchone()[0])

    def all_topic_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM topics ORDER BY id")]

    # --- published documents ------------------------------------------------------------

    def digests(self, paths: Iterable[str] | None = None) -> dict[str, str]:
        """path -> digest of these published documents, or of every one."""
        if paths is None:
            return dict(self.db.execute("SELECT path, digest FROM docs"))
        out: dict[str, str] = {}
        for part in _chunks(sorted(set(paths))):
            marks = ",".join("?" * len(part))
            out.update(self.db.execute(f"SELECT path, digest FROM docs WHERE path IN ({marks})", part))
        return out

    # --- writing ------------------------------------------------------------------------

    def put_records(self, records: Iterable[SeedRecord], fps: dict[str, str]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO seeds VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(r.file.name, r.file.size, r.file.mtime_ns, r.file.sha256, fps.get(r.file.name),
              int(r.article is not None), r.reason, r.key,
              json.dumps(list(r.article.warnings), ensure_ascii=False)
              if r.article and r.article.warnings else None)
             for r in records])
        self.db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?)",
                            [(r.file.name, article_to_json(r.article)) for r in records if r.article])
        self.db.executemany("DELETE FROM articles WHERE name = ?",
                            [(r.file.name,) for r in records if r.article is None])

    def rejected(self) -> list[tuple[str, str]]:
        return list(self.db.execute("SELECT name, reason FROM seeds WHERE reason IS NOT NULL ORDER BY name"))

    def warnings(self) -> list[tuple[str, str]]:
        rows = self.db.execute("SELECT name, warnings FROM seeds WHERE warnings IS NOT NULL ORDER BY name")
        return [(name, w) for name, ws in rows for w in json.loads(ws)]

    def duplicates(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM seeds WHERE ok = 1 AND key IS NULL").fetchone()[0])

    def drop_records(self, names: Iterable[str]) -> None:
        gone = [(n,) for n in names]
        self.db.executemany("DELETE FROM seeds WHERE name = ?", gone)
        self.db.executemany("DELETE FROM articles WHERE name = ?", gone)

    def put_meta(self, values: dict[str, str]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", sorted(values.items()))

    def put_docs(self, digests: dict[str, str | None]) -> None:
        """Record what was published (a digest) or removed (None)."""
        self.db.executemany("DELETE FROM docs WHERE path = ?",
                            [(p,) for p, d in digests.items() if d is None])
        self.db.executemany("INSERT OR REPLACE INTO docs VALUES (?, ?)",
                            [(p, d) for p, d in digests.items() if d is not None])


    def put_entry(self, state: EntryState, seed: str, published: datetime, updated: datetime) -> None:
        """Store an entry's state and settled dates; it keeps its number, and is live again."""
        self.db.execute(
            "INSERT INTO entries (key, first_seen, content_hash, changed_at, seed, published, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET first_seen = excluded.first_seen, "
            "content_hash = excluded.content_hash, changed_at = excluded.changed_at, seed = excluded.seed, "
            "published = excluded.published, updated = excluded.updated, deleted_at = NULL, purged = 0, "
            "dirty = 1",
            (state.key, state.first_seen.isoformat(), state.content_hash,
             state.changed_at.isoformat() if state.changed_at else None, seed,
             published.isoformat(), updated.isoformat()))

    def delete_entry(self, key: str, when: datetime) -> None:
        self.db.execute("UPDATE entries SET deleted_at = ?, purged = 0, dirty = 1 WHERE key = ? AND "
                        "deleted_at IS NULL", (when.isoformat(), key))

    def number_new_entries(self) -> list[int]:
        """Give the entries that have no number yet the next ones, oldest first (so a first
        import numbers the archive by date); returns the numbers given."""
        start = self.next_number()
        keys = [r[0] for r in self.db.execute(
            "SELECT key FROM entries WHERE number IS NULL ORDER BY published, key")]
        self.db.executemany("UPDATE entries SET number = ?, dirty = 1 WHERE key = ?",
                            [(start + i, k) for i, k in enumerate(keys)])
        self.put_meta({"next_number": str(start + len(keys))})
        return list(range(start, start + len(keys)))

    def set_members(self, key: str, topics: set[int]) -> list[tuple[int, int]]:
        """Make `key` a member of exactly `topics`; returns the (topic, seq) it left."""
        old = {t: s for t, s in self.db.execute("SELECT topic, seq FROM members WHERE key = ?", (key,))}
        gone = [(t, s) for t, s in old.items() if t not in topics]
        self.db.executemany("DELETE FROM members WHERE topic = ? AND key = ?", [(t, key) for t, _ in gone])
        self.db.executemany("INSERT OR IGNORE INTO members (topic, key) VALUES (?, ?)",
                            [(t, key) for t in topics - set(old)])
        if gone or topics - set(old):
            self.db.execute("UPDATE entries SET dirty = 1 WHERE key = ?", (key,))
        return [(t, s) for t, s in gone if s is not None]

    def number_new_members(self) -> list[tuple[int, int]]:
        """Number the new members of every topic after its last number, oldest first."""
        rows = self.db.execute(
            "SELECT m.topic, m.key FROM members m JOIN entries e ON e.key = m.key "
            "WHERE m.seq IS NULL ORDER BY m.topic, e.published, m.key").fetchall()
        given: list[tuple[int, int]] = []
        nexts: dict[int, int] = {}
        for topic, key in rows:
            if topic not in nexts:
                nexts[topic] = int(self.db.execute("SELECT next_seq FROM topics WHERE id = ?",
                                                   (topic,)).fetchone()[0])
            given.append((topic, nexts[topic]))
            self.db.execute("UPDATE members SET seq = ? WHERE topic = ? AND key = ?",
                            (nexts[topic], topic, key))
            self.db.execute("UPDATE entries SET dirty = 1 WHERE key = ?", (key,))
            nexts[topic] += 1
        self.db.executemany("UPDATE topics SET next_seq = ?, dirty = 1 WHERE id = ?",
                            [(n, t) for t, n in nexts.items()])
        return given

    # --- the journal (journal.py keeps it; these read and restore its records) -----------

    def journal_records(self, everything: bool = False) -> list[dict[str, Any]]:
        """The journal records of the topics and entries changed since the last flush (or
        of all of them): what cannot be derived from the seeds again."""
        names: dict[int, tuple[str, str]] = {}
        out: list[dict[str, Any]] = []
        for tid, kind, name, next_seq, dirty in self.db.execute(
                "SELECT id, kind, name, next_seq, dirty FROM topics ORDER BY id"):
            names[tid] = (kind, name)
            if everything or dirty:
                out.append({"topic": [kind, name, next_seq]})
        rows = self.db.execute(
            "SELECT key, number, first_seen, content_hash, changed_at, seed, published, updated, "
            f"deleted_at, purged FROM entries{'' if everything else ' WHERE dirty = 1'} "
            "ORDER BY number IS NULL, number, key").fetchall()
        for part in _chunks([r[0] for r in rows]):
            marks = ",".join("?" * len(part))
            members: dict[str, list[list[Any]]] = {}
            for tid, key, seq in self.db.execute(
                    f"SELECT topic, key, seq FROM members WHERE key IN ({marks}) "
                    "ORDER BY topic", part):
                members.setdefault(key, []).append([*names[tid], seq])
            out += [{"k": key, "t": members.get(key, [])} for key in part]
        fields = dict(zip((r[0] for r in rows), rows, strict=True))
        for rec in out:
            if "k" in rec:
                rec.update(zip("nfhcspudx", fields[rec["k"]][1:], strict=True))
        return out

    def clear_dirty(self) -> None:
        self.db.execute("UPDATE entries SET dirty = 0 WHERE dirty = 1")
        self.db.execute("UPDATE topics SET dirty = 0 WHERE dirty = 1")

    def entry_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def restore(self, entries: Iterable[dict[str, Any]], topics: Iterable[list[Any]],
                next_number: int, now: datetime) -> None:
        """Fill an empty index from the journal. Entries that were live are restored as
        deleted at `now`: the build that follows brings back every one whose seed is still
        there (with its number, dates and topics), and the others become tombstones."""
        for kind, name, next_seq in topics:
            self.db.execute("INSERT OR IGNORE INTO topics (kind, name, slug, next_seq, dirty) "
                            "VALUES (?, ?, ?, ?, 0)", (kind, name, slug(kind, name),
                                                       next_seq))
        ids = {(k, n): i for i, k, n in self.db.execute("SELECT id, kind, name FROM topics")}
        for e in entries:
            self.db.execute(
                "INSERT OR REPLACE INTO entries (key, number, first_seen, content_hash, changed_at, "
                "seed, published, updated, deleted_at, purged, dirty) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                (e["k"], e["n"], e["f"], e["h"], e["c"], e["s"], e["p"], e["u"],
                 e["d"] or now.isoformat(), e["x"]))
            for kind, name, seq in e["t"]:
                if (kind, name) not in ids:  # a topic the journal lost (a torn line)
                    self.db.execute("INSERT INTO topics (kind, name, slug) VALUES (?, ?, ?)",
                                    (kind, name, slug(kind, name)))
                    ids[kind, name] = self.db.execute("SELECT last_insert_rowid()").fetchone()[0]
                self.db.execute("INSERT OR REPLACE INTO members (topic, key, seq) VALUES (?, ?, ?)",
                                (ids[kind, name], e["k"], seq))
        self.put_meta({"next_number": str(max(next_number, self.next_number()))})

    def seed_keys(self) -> dict[str, str]:
        """seed name -> entry key of every entry the index knows a seed for (after a restore:
        the keys the seeds had, inherited ones included)."""
        return {s: k for s, k in self.db.execute("SELECT seed, key FROM entries WHERE seed IS NOT NULL")}

    def commit(self) -> None:
        self.db.commit()


def _entries(rows: Iterable[tuple[Any, ...]], zone: Any) -> list[Entry]:
    out = []
    for key, seed, published, updated, article in rows:
        out.append(Entry(id=entry_id(key), slug=entry_slug(key), seed=seed,
                         article=article_from_json(article),
                         published=datetime.fromisoformat(published).astimezone(zone),
                         updated=datetime.fromisoformat(updated).astimezone(zone), key=key))
    out.sort(key=lambda e: (e.published, e.id), reverse=True)
    return out
