"""`seedfeed check`: parse seed files and report what publishing would make of them.

Publishes nothing and touches no state: the same parse and resolve steps as a build, on the
given files and folders only, with an empty index.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from .config import Config
from .model import SeedFile, SeedRecord
from .pipeline import parse_record
from .resolve import resolve
from .scan import Scanned, is_ignored, sha256_file, walk


def _files(paths: list[Path]) -> Iterator[tuple[str, Path, str, os.stat_result | None]]:
    """(shown path, real path, name for format detection and ignore rules, stat)."""
    for p in paths:
        if p.is_dir():
            for name, st in walk(p, ignored=True):
                yield str(p / name), p / name, name, st
        else:
            try:
                found: os.stat_result | None = p.stat()
            except OSError:
                found = None
            yield str(p), p, p.name, found


def _read(cfg: Config, path: Path, st: os.stat_result, shown: str) -> Scanned:
    data = path.read_bytes() if st.st_size <= cfg.ingest.max_bytes else None
    digest = sha256_file(path) if data is None else hashlib.sha256(data).hexdigest()
    return Scanned(SeedFile(shown, st.st_size, st.st_mtime_ns, digest), data, True)


def _row(shown: str, status: str, error: str | None = None) -> dict[str, Any]:
    keys = ("id", "title", "published", "updated", "source", "author", "editor", "language",
            "summary", "content_text", "duplicate_of")
    row: dict[str, Any] = {"path": shown, "status": status, "error": error}
    row.update(dict.fromkeys(keys))
    row["tags"] = []
    return row


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def check_paths(cfg: Config, paths: list[Path]) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    records: list[SeedRecord] = []
    for shown, path, name, st in _files(paths):
        if is_ignored(name):
            rows[shown] = _row(shown, "ignored")
        elif st is None or not path.is_file():
            rows[shown] = _row(shown, "rejected", f"{shown}: no such file")
        else:
            record = parse_record(cfg, _read(cfg, path, st, shown), name)
            records.append(record)
            if record.reason:
                rows[shown] = _row(shown, "rejected", f"{shown}: {record.reason}")
    res = resolve(records, {}, {}, datetime.now(cfg.site.zone))
    ids = {e.seed: e.id for e in res.entries}
    keys = {r.file.name: r.key for r in res.records}
    for r in records:
        if r.article is None:
            continue
        a, row = r.article, _row(r.file.name, "ok")
        row.update(
            title=a.title, published=_iso(a.published), updated=_iso(a.updated),
            source=a.source, author=a.author, editor=a.editor,
            language=a.language or cfg.site.language, tags=list(a.tags), summary=a.summary,
            content_text=a.content_text, duplicate_of=res.duplicate_of.get(r.file.name),
            revision_of=res.revision_of.get(r.file.name),
            replaced_by=res.replaced_by.get(r.file.name),
            warnings=[f"{r.file.name}: {w}" for w in a.warnings],
        )
        row["id"] = ids.get(r.file.name) or _id_of(keys.get(r.file.name), res, r.file.name)
        rows[r.file.name] = row
    return list(rows.values())


def _id_of(key: str | None, res: Any, name: str) -> str | None:
    """The ID a duplicate or an older revision would share with the entry that stands for it."""
    from .ids import entry_id

    if key:
        return entry_id(key)
    original = res.duplicate_of.get(name)
    return next((e.id for e in res.entries if e.seed == original), None) if original else None


def check_row_text(row: dict[str, Any]) -> str:
    """One human line per file."""
    if row["status"] == "ok":
        extra = f" (duplicate of {row['duplicate_of']})" if row.get("duplicate_of") else ""
        extra += f" (replaces {row['revision_of']})" if row.get("revision_of") else ""
        extra += f" (replaced by {row['replaced_by']})" if row.get("replaced_by") else ""
        when = row["published"] or "no date"
        return f"ok        {row['path']}: {row['title']} [{when}]{extra}"
    if row["status"] == "ignored":
        return f"ignored   {row['path']}"
    return f"rejected  {row['error']}"
