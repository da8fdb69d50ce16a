"""Pipeline: one pass seeds -> scan -> parse -> index -> resolve -> render -> publish.

It orchestrates and records; it does not decide (resolve.py) or render (render/). A seed that
fails costs only itself: it is recorded as rejected with its reason and the rest publish.
A failure to publish leaves the previous files in place and is reported in the status.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass, replace
from datetime import datetime

from . import __version__
from .config import Config
from .errors import SeedError, SeedfeedError
from .ids import entry_slug
from .index import Index
from .ingest import parse_seed
from .model import BuildReport, Rejection, SeedRecord
from .publish import publish_tree, write_atomic
from .render.feeds import render_feeds
from .render.pages import article_path, render_pages
from .resolve import Resolution, resolve
from .scan import Scanned, scan, walk

log = logging.getLogger(__name__)


def _mb(n: float) -> str:
    return f"{n / 1_000_000:.1f} MB"


def parse_record(cfg: Config, item: Scanned, name: str) -> SeedRecord:
    """Parse one scanned seed into a record: an article, or a rejection with its reason."""
    if item.data is None:
        reason = (f"the file is {_mb(item.file.size)}, over the ingest.max_bytes limit of "
                  f"{_mb(cfg.ingest.max_bytes)}")
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


def _collect(cfg: Config, previous: dict[str, SeedRecord], now: float,
             listing: list[tuple[str, os.stat_result]]) -> Scan:
    known = {n: r.file for n, r in previous.items()}
    records, pending, changed, rejected = [], [], False, []
    settle_ns = cfg.ingest.settle_seconds * 1e9
    for item in scan(cfg.paths.seeds, known, cfg.ingest.max_bytes, listing):
        name, old = item.file.name, previous.get(item.file.name)
        if item.changed and now * 1e9 - item.file.mtime_ns < settle_ns:
            pending.append(name)  # still being written: keep what was there before
            if old is not None:
                records.append(old)
            continue
        if not item.changed and old is not None:
            records.append(replace(old, file=item.file))
            changed |= old.file != item.file
        else:
            record = parse_record(cfg, item, name)
            if record.reason:
                rejected.append(f"{name}: {record.reason}")
            elif record.article is not None:
                for warning in record.article.warnings:
                    log.warning("%s: %s", name, warning)
            records.append(record)
            changed = True
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
    """Site first, feeds last: a feed never links to a page that is not there yet."""
    pages = render_pages(cfg, res.entries, only=_stale_pages(cfg, res, force))
    written = publish_tree(cfg.paths.site, pages, brotli_quality=9)
    return written + publish_tree(cfg.paths.feeds, render_feeds(cfg, res.entries))


def build(cfg: Config, *, force: bool = True, clock: float | None = None,
          last: BuildReport | None = None) -> BuildReport:
    """Scan and, when anything changed (or `force`), render and publish. Returns what it did.

    Not forced and given the `last` report, a scan that finds every seed's size and mtime as
    the index has them stops there (the scheduler's idle path: a few stat calls).
    """
    started = time.perf_counter()
    wall = time.time() if clock is None else clock
    now = datetime.fromtimestamp(wall, cfg.site.zone)
    if not cfg.paths.seeds.is_dir():  # a wrong path must not read as "every seed deleted"
        raise SeedfeedError(f"the seeds folder {cfg.paths.seeds} does not exist "
                            "(paths.seeds in the config); the published feeds are kept")
    with Index(cfg.paths.state / "seedfeed.db") as index:
        listing = list(walk(cfg.paths.seeds))
        if not force and last is not None and not last.pending and index.files() == {
                name: (st.st_size, st.st_mtime_ns) for name, st in listing}:
            return replace(last, changed=False, seconds=time.perf_counter() - started,
                           finished_at=now)
        previous = index.seeds()
        scanned = _collect(cfg, previous, wall, listing)
        res = resolve(scanned.records, previous, index.entries(), now)
        written = _publish(cfg, res, force) if scanned.changed or force else 0
        gone = sorted(set(previous) - {r.file.name for r in res.records})
        fresh = [r for r in res.records if previous.get(r.file.name) != r]
        index.save(fresh, gone, res.states)
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
