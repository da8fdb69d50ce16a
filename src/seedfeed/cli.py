"""Command line: serve, build, check, worker. Errors become one clear line and an exit code.

Exit codes: 0 success; 1 `check` found a rejected seed (or `build` could not publish);
2 a configuration or usage problem.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import logging
import os
import signal
import socket
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from . import __version__, logs
from .config import Config, load, with_server
from .errors import ConfigError, SeedfeedError

log = logging.getLogger("seedfeed")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", type=Path, default=argparse.SUPPRESS,
                        help="config file (default: $SEEDFEED_CONFIG or ./config.toml)")
    p = argparse.ArgumentParser(prog="seedfeed", parents=[common],
                                description="Publish article files as Atom, RSS and JSON feeds.")
    p.add_argument("--version", action="version", version=f"seedfeed {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser("serve", parents=[common],
                           help="scheduler + web server in one process (production-fit)",
                           description="Scan the seeds folder every scheduler.interval seconds, "
                           "publish the feeds and pages, and serve them on server.host:server.port.")
    serve.add_argument("--host", help="listen on this address (default: $SEEDFEED_HOST or server.host)")
    serve.add_argument("--port", type=int,
                       help="listen on this port (default: $SEEDFEED_PORT or server.port)")
    serve.add_argument("--workers", type=int, metavar="N",
                       help="web worker processes (default: one per CPU, at most 8)")
    sub.add_parser("build", parents=[common], help="one pass scan -> publish, then exit",
                   description="Scan the seeds once, publish feeds and pages, print a summary.")
    check = sub.add_parser("check", parents=[common], help="parse seeds without publishing",
                           description="Parse seeds and report each one; publish nothing. "
                           "Exit 0 when every file is ok or ignored, 1 when any is rejected.")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="seed files or folders (default: the seeds folder)")
    check.add_argument("--json", action="store_true", help="one JSON object per line per file")
    sub.add_parser("worker", parents=[common], help="the scheduler alone (a WSGI server serves)",
                   description="Run the scan -> publish scheduler without a web server, for "
                   "deployments where gunicorn serves seedfeed.web:create_app().")
    return p


def _listen(cfg: Config) -> socket.socket:
    """Bind the server's socket before anything is built, so a taken port fails at once."""
    host, port = cfg.server.host, cfg.server.port
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(info[0], socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(info[4])
        sock.listen(1024)
    except OSError as e:
        why = "the address is already in use" if e.errno == errno.EADDRINUSE else e.strerror or str(e)
        raise ConfigError(f"cannot listen on {host}:{port}: {why}; choose another port in the "
                          "config file, with --port or with SEEDFEED_PORT", key="server.port") from e
    return sock


def _serve(cfg: Config, workers: int | None) -> int:
    from .scheduler import start_background

    sock = _listen(cfg)
    try:
        scheduler, lock = start_background(cfg)
    except SeedfeedError:  # the site lock is taken: another serve or worker schedules
        scheduler = lock = None
        log.warning("another seedfeed process schedules this site (lock %s): serving only, "
                    "not scheduling", cfg.paths.state / "worker.lock")
    host, port = cfg.server.host, cfg.server.port
    log.info("serving %s on http://%s:%d/ (feeds at /feeds/atom.xml, /feeds/rss.xml, "
             "/feeds/feed.json)", cfg.site.title, host, port)
    try:
        _run_http(cfg, sock, workers or _default_workers())
    finally:
        if scheduler is not None and lock is not None:
            scheduler.shutdown(wait=True)  # a build under way finishes before the lock is freed
            lock.release()
    return 0


def _default_workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), 8))


def _run_http(cfg: Config, sock: socket.socket, workers: int) -> None:
    """granian with `workers` processes serving `seedfeed.web:create_app()`, in the
    foreground until SIGTERM or SIGINT. Its main process supervises the workers
    (respawning one that dies) and stops them on the way out; the scheduler stays in
    this process, so it runs once whatever the number of workers."""
    import multiprocessing

    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels
    from granian.server import Server

    if cfg.source is not None:  # the workers load the same file (create_app() reads it)
        os.environ["SEEDFEED_CONFIG"] = str(cfg.source)
    # Workers start fresh interpreters: forking this process would copy the scheduler's
    # threads' locks (a build may be under way) into every worker.
    multiprocessing.set_start_method("spawn", force=True)
    # granian's backpressure is the number of connections a worker holds open, idle
    # keep-alive ones included (its default, backlog / workers, let ~1,000 idle sockets stop
    # every reader); the header timeout bounds how long an idle or dribbling one holds its place.
    http1 = HTTP1Settings(header_read_timeout=max(1, round(cfg.server.header_timeout * 1000)),
                          keep_alive=True)
    os.environ["SEEDFEED_SUPERVISOR"] = str(os.getpid())
    server = Server("seedfeed.cli:web_worker_app", address=cfg.server.host, port=cfg.server.port,
                    interface=Interfaces.WSGI, factory=True, workers=workers,
                    blocking_threads=cfg.server.threads, http=HTTPModes.http1,
                    backpressure=_fit_open_files(cfg.server.connections), http1_settings=http1,
                    websockets=False, backlog=1024, log_level=LogLevels.warning,
                    log_access=False, respawn_failed_workers=True)
    # granian binds its own listeners (SO_REUSEPORT, one per worker); the socket bound
    # before the build only proved the port free, and hands it over here.
    sock.close()
    server.serve()


def web_worker_app() -> object:
    """What each granian worker of `serve` loads: `create_app()`, in a process that dies
    with the `serve` that started it (PR_SET_PDEATHSIG): a killed `serve` must not leave
    workers answering on its port with nobody scheduling behind them."""
    import ctypes
    import signal

    from .web import create_app

    supervisor = int(os.environ.get("SEEDFEED_SUPERVISOR", "0"))
    with contextlib.suppress(OSError, AttributeError):  # not Linux: granian stops them
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    if supervisor and os.getppid() != supervisor:  # it died before the call above
        os.kill(os.getpid(), signal.SIGTERM)
    return create_app()


def _fit_open_files(connections: int) -> int:
    """Raise the open-file limit (the web workers inherit it) so that each can hold
    `connections` sockets plus its own files; the number of connections that fit."""
    import resource

    spare = 256  # published files being read, the listener, the runtime's own descriptors
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = connections + spare
    if soft != resource.RLIM_INFINITY and soft < want:
        soft = want if hard == resource.RLIM_INFINITY else min(want, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    if soft != resource.RLIM_INFINITY and soft - spare < connections:
        log.warning("server.connections = %d does not fit the open-file limit (%d): holding "
                    "%d per worker; raise the limit (LimitNOFILE= in systemd)", connections,
                    soft, max(1, soft - spare))
        return max(1, soft - spare)
    return connections


def _build(cfg: Config) -> int:
    from .pipeline import build, summary_line, write_status

    report = build(cfg, force=True)
    for _ in range(5):  # a one-off pass waits for seeds that are still being written
        if not report.pending:
            break
        time.sleep(cfg.ingest.settle_seconds)
        report = build(cfg, force=True)
    write_status(cfg, report, None, report.finished_at if report.changed else None)
    print(summary_line(report))
    return 0


def _worker(cfg: Config) -> int:
    from .scheduler import run_blocking

    log.info("worker scanning %s every %gs", cfg.paths.seeds, cfg.scheduler.interval)
    run_blocking(cfg)
    return 0


def _check(cfg: Config, paths: list[Path], as_json: bool) -> int:
    from .check import check_paths, check_row_text

    results = check_paths(cfg, paths or [cfg.paths.seeds])
    for row in results:
        line = json.dumps(row, ensure_ascii=False) if as_json else check_row_text(row)
        print(line, flush=False)
    return 1 if any(r["status"] == "rejected" for r in results) else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logs.configure()
    signal.signal(signal.SIGTERM, _terminate)
    try:
        cfg = load(getattr(args, "config", None))
        handlers: dict[str, Any] = {
            "serve": lambda: _serve(with_server(cfg, args.host, args.port), args.workers),
            "build": lambda: _build(cfg),
            "worker": lambda: _worker(cfg),
            "check": lambda: _check(cfg, args.paths, args.json),
        }
        return int(handlers[args.command]())
    except ConfigError as e:
        print(f"seedfeed: config error: {e}", file=sys.stderr)
        return 2
    except SeedfeedError as e:
        print(f"seedfeed: {e}", file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error) as e:  # a folder not writable, a disk full, a locked db
        print(f"seedfeed: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # stop granian and the scheduler the same way Ctrl-C does
