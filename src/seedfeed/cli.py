"""Command line: serve, build, check, worker. Errors become one clear line and an exit code.

What a person sees (progress, colour, the build summary) is drawn by `console`.

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

from . import __version__, console, logs
from .config import Config, load, with_server
from .errors import ConfigError, SeedfeedError

log = logging.getLogger("seedfeed")


_EXAMPLES = {
    "seedfeed": """examples:
  seedfeed build                      publish once from ./config.toml, print a summary
  seedfeed check seeds/new.txt        what publishing would make of one file
  seedfeed serve --port 8080          schedule and serve on port 8080
  seedfeed COMMAND --help             the options and examples of one command""",
    "serve": """examples:
  seedfeed serve                      on server.host:server.port from ./config.toml
  seedfeed serve --host 0.0.0.0 --port 8080 --workers 4
  SEEDFEED_PORT=9000 seedfeed serve   the port from the environment
  seedfeed serve -v                   log each scan and build (DEBUG)""",
    "build": """examples:
  seedfeed build                      publish once, then print what was published
  seedfeed build --config site.toml   another site's config file
  seedfeed build -q && echo done      print nothing unless something fails""",
    "check": """examples:
  seedfeed check                      every file in the seeds folder
  seedfeed check seeds/a.txt drafts/  some files and folders
  seedfeed check --json seeds | jq -r 'select(.status == "rejected") | .error'
  seedfeed check -q seeds             only the rejected files (exit 1 if any)""",
    "worker": """examples:
  seedfeed worker                     schedule only; gunicorn serves seedfeed.web:create_app()
  seedfeed worker --config /etc/seedfeed/config.toml -v""",
}


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", type=Path, default=argparse.SUPPRESS,
                        help="config file (default: $SEEDFEED_CONFIG or ./config.toml)")
    talk = common.add_mutually_exclusive_group()
    talk.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                      help="log debugging detail")
    talk.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                      help="print only errors; the exit code says the rest")
    form = argparse.RawDescriptionHelpFormatter
    p = argparse.ArgumentParser(prog="seedfeed", parents=[common], formatter_class=form,
                                description="Publish article files as Atom, RSS and JSON feeds.",
                                epilog=_EXAMPLES["seedfeed"])
    p.add_argument("--version", action="version", version=f"seedfeed {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str, description: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help, description=description,
                              epilog=_EXAMPLES[name], formatter_class=form)

    serve = command("serve", "scheduler + web server in one process (production-fit)",
                    "Scan the seeds folder every scheduler.interval seconds, publish the "
                    "feeds and pages, and serve them on server.host:server.port.")
    serve.add_argument("--host", help="listen on this address (default: $SEEDFEED_HOST or server.host)")
    serve.add_argument("--port", type=int,
                       help="listen on this port (default: $SEEDFEED_PORT or server.port)")
    serve.add_argument("--workers", type=int, metavar="N",
                       help="web worker processes (default: one per CPU, at most 8)")
    command("build", "one pass scan -> publish, then exit",
            "Scan the seeds once, publish feeds and pages, print a summary.")
    check = command("check", "parse seeds without publishing",
                    "Parse seeds and report each one; publish nothing. "
                    "Exit 0 when every file is ok or ignored, 1 when any is rejected.")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="seed files or folders (default: the seeds folder)")
    check.add_argument("--json", action="store_true", help="one JSON object per line per file")
    command("worker", "the scheduler alone (a WSGI server serves)",
            "Run the scan -> publish scheduler without a web server, for "
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
    background = None
    try:
        background = start_background(cfg)
    except SeedfeedError:  # the site lock is taken: another serve or worker schedules
        log.warning("another seedfeed process schedules this site (lock %s): serving only, "
                    "not scheduling", cfg.paths.state / "worker.lock")
    host, port = cfg.server.host, cfg.server.port
    log.info("serving %s on http://%s:%d/ (feeds at /feeds/atom.xml, /feeds/rss.xml, "
             "/feeds/feed.json)", cfg.site.title, host, port)
    try:
        _run_http(cfg, sock, workers or _default_workers())
    finally:
        if background is not None:
            scheduler, lock, worker = background
            scheduler.shutdown(wait=True)  # a build under way finishes before the lock is freed
            worker.close()  # the WebSub senders: queued pings are dropped
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


def _build(cfg: Config, quiet: bool) -> int:
    from .pipeline import build, write_status

    progress = console.Progress("building", enabled=not quiet)
    with console.showing(progress, f"building from {cfg.paths.seeds}", spin=True):
        report = build(cfg, force=True)
        for _ in range(5):  # a one-off pass waits for seeds that are still being written
            if not report.pending:
                break
            progress.label = f"waiting for {len(report.pending)} seeds still being written"
            time.sleep(cfg.ingest.settle_seconds)
            progress.label = "building"
            report = build(cfg, force=True)
    hubs = _ping_hubs(cfg, report.written_feeds)
    write_status(cfg, report, None, report.finished_at if report.changed else None, websub=hubs)
    if quiet:  # a rejected seed is something to fix, even when nothing else is said
        for r in report.rejected:
            print(f"seedfeed: rejected {logs.escape(r.seed)}: {logs.escape(r.reason)}",
                  file=sys.stderr)
    else:
        print("\n".join(console.build_summary(report, console.wants_colour(sys.stdout))))
    return 0


def _ping_hubs(cfg: Config, written: tuple[str, ...]) -> dict[str, dict[str, object]] | None:
    """`build` tells the hubs about the feeds it changed before it exits, waiting at most
    websub.build_wait seconds (retries included); what is not done by then is dropped."""
    from .websub import Pinger, changed_feed_urls

    urls = changed_feed_urls(cfg.base_url, written)
    if not cfg.websub.hubs:
        return None
    if not urls:
        log.info("websub: no feed changed, no hub pinged")
        return None
    pinger = Pinger(cfg.websub)
    pinger.submit(urls)
    done = pinger.wait(cfg.websub.build_wait)
    pinger.stop(timeout=0.5)
    state = pinger.state()
    told = sum(1 for s in state.values() if not s["failing"] and s["sent"] == len(urls))
    log.info("websub: %d of %d hubs told of %d changed feeds%s", told, len(state), len(urls),
             "" if done else f" (gave up waiting after {cfg.websub.build_wait:g}s)")
    return state


def _worker(cfg: Config) -> int:
    from .scheduler import run_blocking

    log.info("worker scanning %s every %gs", cfg.paths.seeds, cfg.scheduler.interval)
    run_blocking(cfg)
    return 0


def _check(cfg: Config, paths: list[Path], as_json: bool, quiet: bool) -> int:
    from .check import check_paths

    progress = console.Progress("checking", enabled=not quiet)
    shown = " ".join(map(str, paths or [cfg.paths.seeds]))
    with console.showing(progress, f"checking {shown}", spin=True):
        results = check_paths(cfg, paths or [cfg.paths.seeds], progress.advance)
    colour = console.wants_colour(sys.stdout)
    for row in results:
        if as_json:
            print(json.dumps(row, ensure_ascii=False), flush=False)
        elif not quiet or row["status"] == "rejected":
            print("\n".join(_check_lines(row, colour)), flush=False)
    if not quiet:
        print(console.check_summary(results), file=sys.stderr if as_json else sys.stdout)
    return 1 if any(r["status"] == "rejected" for r in results) else 0


def _check_lines(row: dict[str, Any], colour: bool) -> list[str]:
    """A file's line, then one indented line per warning."""
    from .check import check_row_text

    text = check_row_text(row)
    status = row["status"]
    lines = [console.paint(status, status, colour) + text[len(status):]]
    for warning in row.get("warnings") or []:
        what = warning.removeprefix(f"{row['path']}: ")
        lines.append(f"          {console.paint('warning', 'warning', colour)}: {logs.escape(what)}")
    return lines


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    quiet = getattr(args, "quiet", False)
    verbose = getattr(args, "verbose", False)
    logs.configure(logging.ERROR if quiet else logging.DEBUG if verbose else logging.INFO)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        cfg = load(getattr(args, "config", None))
        log.debug("config %s: seeds %s, feeds %s, state %s", cfg.source or "(defaults)",
                  cfg.paths.seeds, cfg.paths.feeds, cfg.paths.state)
        handlers: dict[str, Any] = {
            "serve": lambda: _serve(with_server(cfg, args.host, args.port), args.workers),
            "build": lambda: _build(cfg, quiet),
            "worker": lambda: _worker(cfg),
            "check": lambda: _check(cfg, args.paths, args.json, quiet),
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
