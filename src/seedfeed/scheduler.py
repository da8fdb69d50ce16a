"""Scheduler: APScheduler runs the pipeline every `scheduler.interval` seconds, sooner
when the file system reports a change in the seeds folder (watchdog; `scheduler.watch`), and
at the time the next scheduled (future-dated) seed is due, which each build reports.

One scheduler per site: a lock file in paths.state keeps a second worker (another `serve`,
a gunicorn worker, Flask's reloader) from running the same jobs. Runs never overlap
(max_instances=1) and overdue runs coalesce. A failed run is logged and reported in the
status; the scheduler survives and the previous published files stay served.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from .config import Config
from .errors import SeedfeedError
from .health import Beacon, beat_interval, diagnose
from .locks import SiteLock
from .model import BuildReport
from .pipeline import build, summary_line, write_status
from .websub import Pinger, changed_feed_urls

log = logging.getLogger(__name__)


VERIFY_SECONDS = 600.0  # how often the worker checks that every published file is still there
DUE_MARGIN = 0.05  # run this long after a due time: a build's clock reads whole seconds


class Worker:
    """The scan -> publish job: the first run, the one after a failure and one every
    VERIFY_SECONDS also check every published file (and restore what went missing); the
    others publish only what changed. A change reported while a run is under way makes
    that run go again at once, instead of waiting for the next interval."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.needs_full = True  # the first run, and every run after a failure, verifies all
        self.verified_at = 0.0
        self.last_change: datetime | None = None
        self.last_report: BuildReport | None = None
        self.complete: dict[str, float] = {}  # seed name -> when it was last closed or moved in
        self.dirty: set[str] = set()  # seed names the file system reported since the last scan
        self.watching = False  # events arrive: scans look at the reported names only
        self.walk_now = True  # a folder changed (or events are new): walk the whole folder
        self.walked_at = 0.0
        self.running = False
        self.again = False
        self._lock = threading.Lock()
        self.beacon = Beacon(cfg.paths.state)
        self.problem: str | None = "the first scan is under way"  # what /healthz reports
        self.building_since: float | None = None
        self.scheduler: BaseScheduler | None = None  # to bring the scan forward to a due time
        # WebSub pings go from here only: this process holds the site lock (a second serve
        # does not schedule, so it does not ping either)
        self.pinger = Pinger(cfg.websub) if cfg.websub.hubs else None

    def beat(self) -> None:
        """Tell the web how the worker is (health.py): every few seconds, and after a run."""
        self.beacon.write(self.problem, self.building_since)

    def start_heartbeat(self) -> threading.Thread:
        def loop() -> None:
            while True:
                self.beat()
                time.sleep(beat_interval(self.cfg.scheduler.interval))

        thread = threading.Thread(target=loop, name="seedfeed-heartbeat", daemon=True)
        thread.start()
        return thread

    def run_once(self) -> None:
        with self._lock:
            self.running = True
        try:
            while True:
                with self._lock:
                    self.again = False
                self._run()
                with self._lock:
                    if not self.again and not self._due_now():
                        return
        finally:
            with self._lock:
                self.running = False

    def _run(self) -> None:
        if time.monotonic() - self.verified_at > VERIFY_SECONDS:
            self.needs_full = True
        cutoff = time.time() - 60
        with self._lock:
            self.complete = {n: t for n, t in self.complete.items() if t > cutoff}
            complete = dict(self.complete)
            walk = (self.needs_full or not self.watching or self.walk_now
                    or time.monotonic() - self.walked_at > self.cfg.scheduler.full_scan)
            only, self.dirty = (None if walk else self.dirty), set()
            if walk:
                self.walk_now, self.walked_at = False, time.monotonic()
        self.building_since = time.time()
        try:
            if self.needs_full:
                self.verified_at = time.monotonic()
            report = build(self.cfg, force=self.needs_full, last=self.last_report,
                           complete=complete, only=only)
        except Exception as e:  # a job must survive anything; the status says what happened
            self.needs_full = True
            with self._lock:
                self.walk_now = True
            message = str(e) if isinstance(e, SeedfeedError) else f"{type(e).__name__}: {e}"
            if message != self.problem:  # one log line per new fault, not one per scan
                log.error("build failed; the previous feeds stay published: %s", message,
                          exc_info=not isinstance(e, SeedfeedError))
            self._status(self.last_report, message)
            return
        finally:
            self.building_since = None
        self.needs_full = False
        if report.changed:
            self.last_change = report.finished_at
            log.info("%s", summary_line(report))
        if self.pinger is not None:  # queued for the hubs' threads: the build is done
            self.pinger.submit(changed_feed_urls(self.cfg.base_url, report.written_feeds))
        if self.problem is not None and self.last_report is not None:
            log.info("the worker has recovered")
        self.last_report = report
        self._status(report, None)
        self._plan_due(report)

    def close(self) -> None:
        """Stop what the worker started besides the scheduler (the WebSub senders)."""
        if self.pinger is not None:
            self.pinger.stop()

    def _due_now(self) -> bool:
        """A scheduled seed came due while the run was under way (the scan job, still
        running, could not start again at that time)."""
        report = self.last_report
        return bool(report and report.scheduled
                    and report.scheduled[0][1].timestamp() + DUE_MARGIN <= time.time())

    def _plan_due(self, report: BuildReport) -> None:
        """Bring the next scan forward to when the soonest scheduled seed is due."""
        job = self.scheduler.get_job("scan") if self.scheduler and report.scheduled else None
        if job is None or job.next_run_time is None:
            return
        due = report.scheduled[0][1] + timedelta(seconds=DUE_MARGIN)
        if job.next_run_time > due:
            job.modify(next_run_time=due)

    def seed_event(self, name: str | None, complete: bool, folder: bool = False) -> bool:
        """A seed changed (`complete`: it was closed after writing, or moved in; `folder`:
        a folder was made, moved or removed). Returns whether a run is under way (it will
        go again by itself)."""
        with self._lock:
            if folder or name is None:
                self.walk_now = True
            else:
                self.dirty.add(name)
            if name is not None and complete:
                self.complete[name] = time.time()
            if self.running:
                self.again = True
            return self.running

    def _status(self, report: BuildReport | None, error: str | None) -> None:
        try:
            write_status(self.cfg, report, error, self.last_change, {
                "interval": self.cfg.scheduler.interval, "watching": self.watching,
                "full_scan": self.cfg.scheduler.full_scan,
                "started": datetime.fromtimestamp(self.beacon.started, self.cfg.site.zone).isoformat(),
            }, websub=self.pinger.state() if self.pinger is not None else None)
        except OSError as e:
            if error is None:
                error = (f"cannot write the status file in the state folder: {e.strerror or e}"
                         f"{diagnose(self.cfg.paths.state)}")
                if error != self.problem:
                    log.error("%s", error)
        self.problem = error
        self.beat()


def schedule(cfg: Config, scheduler: BaseScheduler) -> Worker:
    """Add the scan job to `scheduler`; its first run is immediate."""
    worker = Worker(cfg)
    scheduler.add_job(
        worker.run_once, "interval", seconds=cfg.scheduler.interval, id="scan",
        max_instances=1, coalesce=True, misfire_grace_time=None,
        next_run_time=datetime.now(cfg.site.zone),
    )
    worker.scheduler = scheduler
    return worker


class _SeedEvents(FileSystemEventHandler):
    """Pull the next scan forward when a seed changes: at once when the file was closed
    after writing or moved in (it is complete), else after the settle time (it may still
    be being written)."""

    def __init__(self, cfg: Config, scheduler: BaseScheduler, worker: Worker) -> None:
        self.cfg, self.scheduler, self.worker = cfg, scheduler, worker
        self.root = str(cfg.paths.seeds).rstrip("/") + "/"

    def _name(self, path: str | bytes) -> str | None:
        text = os.fsdecode(path)
        return text[len(self.root):] if text.startswith(self.root) else None

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reads, not changes
        if event.is_directory and event.event_type == "modified":
            return  # an entry inside changed: that entry has its own event
        complete = event.event_type in ("closed", "moved")
        if event.event_type == "moved" and not event.is_directory and event.src_path:
            self.worker.seed_event(self._name(event.src_path), False)  # the old name went
        path = getattr(event, "dest_path", "") if event.event_type == "moved" else event.src_path
        if self.worker.seed_event(self._name(path) if path else None, complete,
                                  folder=event.is_directory):
            return  # the run under way goes again when it ends
        wait = 0.05 if complete else self.cfg.ingest.settle_seconds + 0.05
        soon = datetime.now(self.cfg.site.zone) + timedelta(seconds=wait)
        job = self.scheduler.get_job("scan")
        if job is not None and job.next_run_time is not None and job.next_run_time > soon:
            job.modify(next_run_time=soon)


def watch(cfg: Config, scheduler: BaseScheduler, worker: Worker) -> BaseObserver | None:
    """Start watching the seeds folder; None when watching is off or not possible here
    (the interval scan still finds every change)."""
    if not cfg.scheduler.watch:
        return None
    try:
        observer = _observer()
        observer.schedule(_SeedEvents(cfg, scheduler, worker), str(cfg.paths.seeds), recursive=True)
        observer.daemon = True
        observer.start()
        worker.watching = True
    except OSError as e:  # no such folder yet, inotify limits: fall back to the interval
        log.warning("not watching %s (%s); scanning every %gs", cfg.paths.seeds, e,
                    cfg.scheduler.interval)
        return None
    return observer


def _observer() -> BaseObserver:
    """Linux: inotify with full events (a file renamed in from outside the folder is a move,
    not a creation); elsewhere watchdog's own choice. OSError when the system has no
    watches left (inotify instances are limited per user)."""
    try:
        from watchdog.observers.inotify import InotifyObserver
    except ImportError:
        return Observer()
    return InotifyObserver(generate_full_events=True)


def start_background(cfg: Config) -> tuple[BackgroundScheduler, SiteLock, Worker]:
    """For `serve`: the scheduler in a thread beside the web server (stop it, then close
    the worker, then release the lock)."""
    lock = SiteLock(cfg.paths.state)
    lock.acquire()
    scheduler = BackgroundScheduler(timezone=cfg.site.zone)
    worker = schedule(cfg, scheduler)
    worker.start_heartbeat()
    scheduler.start()
    watch(cfg, scheduler, worker)
    return scheduler, lock, worker


def run_blocking(cfg: Config) -> None:
    """For `worker`: the scheduler alone, in the foreground, until interrupted."""
    lock = SiteLock(cfg.paths.state)
    lock.acquire()
    scheduler = BlockingScheduler(timezone=cfg.site.zone)
    worker = schedule(cfg, scheduler)
    worker.start_heartbeat()
    watch(cfg, scheduler, worker)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        worker.close()
        lock.release()
