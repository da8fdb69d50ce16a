"""Index: the SQLite state database (paths.state/seedfeed.db).

It remembers, per seed file, what it was (size, mtime, sha256) and what parsing made of it,
and per entry key, the first-seen time and the last content change. It stores and loads;
it decides nothing (that is resolve.py).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from typing import Self

from .errors import SeedfeedError
from .model import EntryState, SeedFile, SeedRecord, article_from_json, article_to_json

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS seeds (
    name TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    article TEXT,          -- JSON of the parsed Article, NULL when rejected
    reason TEXT,           -- why it was rejected, NULL when ok
    key TEXT               -- the entry key it was published under, if any
);
CREATE TABLE IF NOT EXISTS meta (
    k TEXT PRIMARY KEY,
    v TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    first_seen TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    changed_at TEXT
);
"""


class Index:
    """One connection to the state database; use as a context manager."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        if read_only:  # for `check`: look, never write (no schema, no journal files)
            self.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open(path)
        except sqlite3.OperationalError as e:  # locked, read-only, disk full: not damage
            raise SeedfeedError(f"cannot use the state database {path}: {e}") from e
        except sqlite3.DatabaseError as e:
            # Damaged ("file is not a database", "malformed"). Everything here can be rebuilt
            # from the seeds and the key journal: keep the file for a post-mortem, start afresh.
            stamp = int(time.time())
            for suffix in ("", "-wal", "-shm"):
                part = path.with_name(path.name + suffix)
                if part.exists():
                    part.rename(part.with_name(f"{part.name}.damaged-{stamp}"))
            log.warning("state database %s is damaged (%s); set aside as %s.damaged-%d, "
                        "rebuilding", path, e, path.name, stamp)
            self.db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def files(self) -> dict[str, tuple[int, int]]:
        """name -> (size, mtime_ns) of every seed the index knows: the cheap no-change test."""
        rows = self.db.execute("SELECT name, size, mtime_ns FROM seeds")
        return {name: (size, mtime_ns) for name, size, mtime_ns in rows}

    def seeds(self) -> dict[str, SeedRecord]:
        rows = self.db.execute("SELECT name, size, mtime_ns, sha256, article, reason, key FROM seeds")
        out = {}
        for name, size, mtime_ns, sha, article, reason, key in rows:
            file = SeedFile(name=name, size=size, mtime_ns=mtime_ns, sha256=sha)
            art = article_from_json(article) if article else None
            out[name] = SeedRecord(file, art, reason, key)
        return out

    def entries(self) -> dict[str, EntryState]:
        rows = self.db.execute("SELECT key, first_seen, content_hash, changed_at FROM entries")
        return {
            key: EntryState(key, datetime.fromisoformat(first), chash,
                            datetime.fromisoformat(changed) if changed else None)
            for key, first, chash, changed in rows
        }

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def save(self, records: list[SeedRecord], gone: list[str], entries: list[EntryState],
             meta: dict[str, str] | None = None) -> None:
        """Write one build's outcome (the records that changed, the names that went, the
        entry states that changed, facts about the build) in a single transaction."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                sorted((meta or {}).items()))
            self.db.executemany("DELETE FROM seeds WHERE name = ?", [(n,) for n in gone])
            self.db.executemany(
                "INSERT OR REPLACE INTO seeds VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (r.file.name, r.file.size, r.file.mtime_ns, r.file.sha256,
                     article_to_json(r.article) if r.article else None, r.reason, r.key)
                    for r in records
                ],
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                [
                    (e.key, e.first_seen.isoformat(), e.content_hash,
                     e.changed_at.isoformat() if e.changed_at else None)
                    for e in entries
                ],
            )
