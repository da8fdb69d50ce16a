"""`seedfeed check`: parse seed files and report what publishing would make of them.

Publishes nothing and writes no state: the same parse and resolve steps as a build, on the
given files and folders only. Files inside the seeds folder are named as a build names them,
and the index is read (never written) so that `id` is the ID the feeds carry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .config import Config
from .ids import entry_id
from .index import Index
from .model import SeedRecord
from .parsing import parse_record
from .resolve import Resolution, resolve
from .scan import Listed, is_ignored, read, walk

_FIELDS = ("id", "title", "published", "updated", "source", "author", "editor", "language",
           "summary", "content_text", "image", "duplicate_of")


def _real(path: Path) -> Path:
    """The resolved path; a link loop or an unreadable link resolves to itself."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _name(cfg: Config, path: Path) -> str:
    """The name a build gives the file (relative to the seeds folder), else the path itself."""
    try:
        return _real(path).relative_to(_real(cfg.paths.seeds)).as_posix()
    except ValueError:
        return str(path)


def _files(cfg: Config, paths: list[Path]) -> Iterator[tuple[str, str, Path, Listed | None]]:
    """(shown path, name, real path, listing or None when missing), each file once."""
    seen: set[Path] = set()
    for p in paths:
        found = ([(p / item.name, item) for item in walk(p, ignored=True)] if p.is_dir()
                 else [(p, _list_one(p))])
        for path, item in found:
            if _real(path) not in seen:
                seen.add(_real(path))
                yield str(path), _name(cfg, path), path, item


def _list_one(path: Path) -> Listed | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError as e:
        return Listed(path.name, -1, 0, f"cannot read: {e.strerror or e}")
    return Listed(path.name, st.st_size, st.st_mtime_ns) if path.is_file() else None


def _row(shown: str, status: str, error: str | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"path": shown, "status": status, "error": error}
    row.update(dict.fromkeys(_FIELDS))
    row["tags"] = []
    return row


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _previous(cfg: Config) -> dict[str, SeedRecord]:
    db = cfg.paths.state / "seedfeed.db"
    if not db.exists():
        return {}
    with Index(db, read_only=True) as index:
        return index.seeds()


def check_paths(cfg: Config, paths: list[Path],
                on_file: Callable[[int, int, str], None] | None = None) -> list[dict[str, Any]]:
    """One row per file. `on_file(done, total, shown path)` is told before each file is
    parsed (the CLI's progress bar): the files are listed first, so `total` is known."""
    rows: dict[str, dict[str, Any]] = {}
    shown_of: dict[str, str] = {}
    records: list[SeedRecord] = []
    files = list(_files(cfg, paths))
    for done, (shown, name, path, item) in enumerate(files):
        if on_file is not None:
            on_file(done, len(files), shown)
        if is_ignored(path.name if name == str(path) else name):
            rows[shown] = _row(shown, "ignored")
        elif item is None or (scanned := read(path, item._replace(name=name), None,
                                              cfg.ingest.max_bytes)) is None:
            rows[shown] = _row(shown, "rejected", f"{shown}: no such file")
        else:
            record = parse_record(cfg, scanned, path.name)
            records.append(record)
            shown_of[name] = shown
            rows[shown] = (_row(shown, "rejected", f"{shown}: {record.reason}") if record.reason
                           else _row(shown, "ok"))
    previous = _previous(cfg)
    res = resolve(records, previous, {}, datetime.now(cfg.site.zone),
                  horizon=timedelta(days=cfg.ingest.max_future_days))
    for r in res.records:
        if r.article is not None:
            rows[shown_of[r.file.name]].update(_fields(r, res, shown_of, cfg))
    return list(rows.values())


def _fields(r: SeedRecord, res: Resolution, shown_of: dict[str, str],
            cfg: Config) -> dict[str, Any]:
    a, name = r.article, r.file.name
    assert a is not None
    original = res.duplicate_of.get(name)
    key = r.key or next((x.key for x in res.records if x.file.name == original), None)
    due = res.scheduled.get(key or "")

    def shown(n: str | None) -> str | None:
        return shown_of.get(n, n) if n else None

    return {
        "id": entry_id(key) if key else None, "title": a.title,
        "published": _iso(a.published), "updated": _iso(a.updated), "source": a.source,
        "author": a.author, "editor": a.editor, "language": a.language or cfg.site.language,
        "tags": list(a.tags), "summary": a.summary, "content_text": a.content_text,
        "image": a.image,
        "duplicate_of": shown(original), "revision_of": shown(res.revision_of.get(name)),
        "replaced_by": shown(res.replaced_by.get(name)),
        "scheduled": _iso(due[1]) if due and due[0] == name else None,  # held back until then
        "warnings": [f"{shown(name)}: {w}" for w in a.warnings],
    }


def check_row_text(row: dict[str, Any]) -> str:
    """One human line per file."""
    if row["status"] == "ok":
        extra = f" (duplicate of {row['duplicate_of']})" if row.get("duplicate_of") else ""
        extra += f" (replaces {row['revision_of']})" if row.get("revision_of") else ""
        extra += f" (replaced by {row['replaced_by']})" if row.get("replaced_by") else ""
        extra += f" (scheduled for {row['scheduled']})" if row.get("scheduled") else ""
        when = row["published"] or "no date"
        return f"ok        {row['path']}: {row['title']} [{when}]{extra}"
    if row["status"] == "ignored":
        return f"ignored   {row['path']}"
    return f"rejected  {row['error']}"
