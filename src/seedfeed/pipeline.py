"""Pipeline: one pass seeds -> scan -> parse -> index -> resolve -> render -> publish.

It orchestrates and records; it does not decide (resolve.py) or render (render/). A seed that
fails costs only itself: it is recorded as rejected with its reason and the rest publish.
A failure to publish leaves the previous files in place and is reported in the status.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from . import __version__
from .config import Config
from .errors import SeedError, SeedfeedError
from .ids import entry_slug
from .index import Index
from .ingest import parse_seed
from .locks import held
from .model import BuildReport, Rejection, SeedRecord
from .publish import prune_tree, publish_tree, write_atomic, write_tree
from .published import FEEDS, KEY_JOURNAL
from .render.feeds import render_feeds
from .render.pages import article_path, render_pages
from .resolve import Resolution, journal, resolve
from .scan import Listed, Scanned, scan, walk

log = logging.getLogger(__name__)


def _size(n: float) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,.0f} bytes"


def parse_record(cfg: Config, item: Scanned, name: str) -> SeedRecord:
    """Parse one scanned seed into a record: an article, or a rejection with its reason."""
    if item.problem:
        return SeedRecord(item.file, None, item.problem)
    if item.data is None:
        reason = (f"the file is {_size(item.file.size)}, over the ingest.max_bytes limit of "
                  f"{_size(cfg.ingest.max_bytes)}")
        return SeedRecord(item.file, None, reason)
    try:
        return SeedRecord(item.file, parse_seed(item.data, name, cfg.site.zone), None)
    except SeedError as e:
        return SeedRecord(item.file, None, e.reason)


@dataclass(frozen=True)
class Scan:
    """The seeds as this pass sees them."""

    records: list[SeedRecord]  # settled seeds, parsed (or remembered)
    pending: list[str]  # seeds still being written (younger than the settle time)
    changed: bool  # whether any seed was added, changed or removed since the index


def _settling(item: Scanned, now: float, settle: float) -> bool:
    """A changed seed is still being written while its mtime is within the settle time of
    now. A mtime further in the future (another machine's clock, an archive) does not
    wait forever: only "close to now" counts."""
    return item.changed and abs(now - item.file.mtime_ns / 1e9) < settle


def _collect(cfg: Config, previous: dict[str, SeedRecord], now: float,
             listing: list[Listed], reparse: bool) -> Scan:
    known = {} if reparse else {n: r.file for n, r in previous.items()}
    records, pending, changed, rejected = [], [], False, []
    for item in scan(cfg.paths.seeds, known, cfg.ingest.max_bytes, listing):
        name, old = item.file.name, previous.get(item.file.name)
        if _settling(item, now, cfg.ingest.settle_seconds):
            pending.append(name)  # still being written: keep what was there before
            if old is not None:
                records.append(old)
            continue
        if not item.changed and old is not None:
            records.append(replace(old, file=item.file))  # same bytes: only the index learns
        else:
            record = parse_record(cfg, item, name)
            if record.reason and (old is None or old.reason != record.reason):
                rejected.append(f"{name}: {record.reason}")
            elif record.article is not None:
                for warning in record.article.warnings:
                    log.warning("%s: %s", name, warning)
            records.append(record)
            changed |= old is None or old.article != record.article or old.reason != record.reason
    _log_rejects(rejected)
    changed |= {r.file.name for r in records} != set(previous)
    return Scan(records, pending, changed)


def _log_rejects(lines: list[str], most: int = 10) -> None:
    """One warning per newly rejected seed, collapsed when a whole folder goes bad."""
    for line in lines[:most]:
        log.warning("rejected %s", line)
    if len(lines) > most:
        log.warning("... and %d more rejected seeds (all listed in /status and by "
                    "`seedfeed check`)", len(lines) - most)


def _report(res: Resolution, scanned: Scan, changed: bool, started: float,
            now: datetime) -> BuildReport:
    rejected = tuple(Rejection(r.file.name, r.reason or "") for r in res.records if r.reason)
    warnings = tuple(Rejection(r.file.name, w) for r in res.records if r.article
                     for w in r.article.warnings)
    return BuildReport(
        seeds=len(res.records), published=len(res.entries), rejected=rejected, warnings=warnings,
        duplicates=len(res.duplicate_of), pending=tuple(scanned.pending), changed=changed,
        seconds=time.perf_counter() - started, finished_at=now,
    )


def _stale_pages(cfg: Config, res: Resolution, force: bool) -> set[str] | None:
    """Slugs whose article page must be rendered: all (None) when forced, else the entries
    that are new or changed, and any whose page is missing on disk."""
    if force:
        return None
    changed = {entry_slug(s.key) for s in res.states}
    return changed | {e.slug for e in res.entries
                      if not (cfg.paths.site / article_path(e)).exists()}


def _publish(cfg: Config, res: Resolution, force: bool) -> int:
    """New pages first, then the feeds, then old pages go: a feed never links to a page
    that is not there (yet, or any more)."""
    pages = render_pages(cfg, res.entries, only=_stale_pages(cfg, res, force))
    written = write_tree(cfg.paths.site, pages, brotli_quality=9)
    written += publish_tree(cfg.paths.feeds, render_feeds(cfg, res.entries))
    return written + prune_tree(cfg.paths.site, pages)


def _idle(cfg: Config, index: Index, listing: list[Listed]) -> bool:
    """Nothing to do: every seed's size and mtime as the index has them, nothing unreadable,
    and the published files still there (a cleanup or a sync tool may have removed them)."""
    if any(item.problem for item in listing):
        return False  # retried on every scan until it can be read
    if index.files() != {item.name: (item.size, item.mtime_ns) for item in listing}:
        return False
    return _outputs_exist(cfg)


def _outputs_exist(cfg: Config) -> bool:
    outputs = [cfg.paths.feeds / name for name in FEEDS] + [cfg.paths.site / "index.html"]
    return all(path.exists() for path in outputs)


@lru_cache(maxsize=1)
def _ingest_code() -> str:
    """A digest of the parsers' source: a new parser re-parses every seed once."""
    h = hashlib.sha256(__version__.encode())
    for path in sorted((Path(__file__).parent / "ingest").glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def parse_signature(cfg: Config) -> str:
    """What a stored parse depends on besides the seed's bytes."""
    return f"{_ingest_code()[:16]} {cfg.site.timezone} {cfg.ingest.max_bytes}"


def _read_journal(cfg: Config) -> dict[str, str]:
    try:
        data = json.loads((cfg.paths.feeds / KEY_JOURNAL).read_text("utf-8"))
        return {str(k): str(v) for k, v in data.items()}
    except (FileNotFoundError, ValueError, AttributeError):
        return {}


def _write_journal(cfg: Config, res: Resolution) -> None:
    """Keys inherited through renames, kept beside the feeds so that they survive a lost
    state folder (everything else about an entry's identity derives from its seed)."""
    data = json.dumps(journal(res.records), ensure_ascii=False, sort_keys=True, indent=0)
    path = cfg.paths.feeds / KEY_JOURNAL
    if not path.exists() or path.read_text("utf-8") != data:
        write_atomic(path, data.encode("utf-8"))


def build(cfg: Config, *, force: bool = True, clock: float | None = None,
          last: BuildReport | None = None) -> BuildReport:
    """Scan and, when anything changed (or `force`), render and publish. Returns what it did.

    One build at a time per site (a lock in paths.state, shared by the worker and the CLI).
    Not forced and given the `last` report, a scan that finds every seed as the index has it
    stops there (the scheduler's idle path: a few stat calls).
    """
    if not cfg.paths.seeds.is_dir():  # a wrong path must not read as "every seed deleted"
        raise SeedfeedError(f"the seeds folder {cfg.paths.seeds} does not exist "
                            "(paths.seeds in the config); the published feeds are kept")
    with held(cfg.paths.state / "build.lock"), Index(cfg.paths.state / "seedfeed.db") as index:
        started = time.perf_counter()
        wall = time.time() if clock is None else clock
        now = datetime.fromtimestamp(wall, cfg.site.zone)
        listing = walk(cfg.paths.seeds)
        if not force and last is not None and not last.pending and _idle(cfg, index, listing):
            return replace(last, changed=False, seconds=time.perf_counter() - started,
                           finished_at=now)
        signature = parse_signature(cfg)
        reparse = index.meta("parse") != signature
        previous = index.seeds()
        scanned = _collect(cfg, previous, wall, listing, reparse)
        hints = {} if previous else _read_journal(cfg)
        res = resolve(scanned.records, previous, index.entries(), now, hints)
        due = scanned.changed or force or reparse or not _outputs_exist(cfg)
        written = _publish(cfg, res, force or reparse) if due else 0
        _write_journal(cfg, res)
        # While a new name is still settling, a seed that went may be its old name (a copy
        # and delete): keep its row, and its key, until the new one is parsed.
        gone = [] if scanned.pending else sorted(set(previous) - {r.file.name for r in res.records})
        fresh = [r for r in res.records if previous.get(r.file.name) != r]
        index.save(fresh, gone, res.states, meta={"parse": signature})
    return _report(res, scanned, written > 0, started, now)


def write_status(cfg: Config, report: BuildReport | None, error: str | None,
                 last_change: datetime | None) -> None:
    """The worker's status for /status and /healthz (paths.state/status.json)."""
    status = {
        "ok": error is None,
        "version": __version__,
        "error": error,
        "interval": cfg.scheduler.interval,
        "last_scan": datetime.now(cfg.site.zone).isoformat(),
        "last_change": last_change.isoformat() if last_change else None,
    }
    if report is not None:
        status.update({
            "seconds": round(report.seconds, 4),
            "seeds": report.seeds,
            "published": report.published,
            "duplicates": report.duplicates,
            "pending": list(report.pending),
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
    what = "files updated" if report.changed else "nothing changed"
    seeds = f"{report.seeds} seed{'' if report.seeds == 1 else 's'}"
    return f"{seeds}: {', '.join(parts)}; {what} in {report.seconds:.2f}s"
