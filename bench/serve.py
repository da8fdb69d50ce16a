"""Serving benchmark: feed polls per second, as ratios to Debian's nginx measured in the same run.

Publishes a 50-entry Atom feed (~325 KB) with the real pipeline, then runs `wrk -t2 -c16
-d5s` against each server in interleaved rounds (every server once per round, so a noisy
neighbour hits all of them alike) for two requests: a conditional GET answered 304
(`If-None-Match` with the server's own ETag) and a GET with `Accept-Encoding: gzip`
answered 200 from the precompressed sibling. Medians over the rounds, and each server's
ratio to the reference nginx (`worker_processes auto`, `gzip_static on`).

Writes bench/serve/RESULTS.md with the command, the machine and the date. Everything runs
on 127.0.0.1 and stops by itself.

    python bench/serve.py [--rounds 3] [--duration 5] [--only NAME,NAME]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import requests
from run import machine  # bench/ is on the path when this runs as a script

from seedfeed.config import from_dict
from seedfeed.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
VENV_BIN = Path(sys.executable).parent
URL_PATH = "/feeds/atom.xml"
ENTRIES = 50
BODY_PARAS = 15
HANZI = (
    "的一是在不了有和人這中大為上個國我以要他時來用們生到作地於出就分對成會可主發年動"
    "同工也能下過子說產種面而方後多定行學法所民得經十三之進著等部度家電力裡如水化高自"
    "二理起小物現實加量都兩體制機當使點從業本去把性好應開它合還因由其些然前外天政四日"
    "那社義事平形相全表間樣與關各重新線內數正心反你明看原又麼利比或但質氣第向道命此變"
    "條只沒結解問意建月公無系軍很情者最立代想已通並提直題黨程展五果料象員革位入常文總"
    "次品式活設及管特件長求老頭基資邊流路級少圖山統接知較將組見計別她手角期根論運農指"
    "幾九區強放決西被幹做必戰先回則任取據處府研質"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed_text(i: int, rng: random.Random) -> str:
    """A scraped-page seed with its own title and ~2,000 characters of body: text that
    compresses like news prose (about 2.5×), not like fifty copies of one article."""
    def sentence() -> str:
        return "".join(rng.choice(HANZI) for _ in range(rng.randint(12, 40))) + "。"
    paras = ["".join(sentence() for _ in range(rng.randint(3, 6))) for _ in range(BODY_PARAS)]
    return (f"測試日報\n\n第{i}號{sentence()[:20]}\n\n"
            f"時間:2024-05-{1 + i % 28:02d} 08:{i % 60:02d}:00  來源:測試日報  作者:記者 林小文\n\n"
            + "\n".join(paras) + "\n")


def publish_site(root: Path) -> None:
    """seeds/ with ENTRIES distinct articles, built once into feeds/ and site/."""
    rng = random.Random(9)
    (root / "seeds").mkdir(parents=True)
    for i in range(ENTRIES):
        (root / "seeds" / f"article-{i:03d}.txt").write_text(seed_text(i, rng), "utf-8")
    (root / "config.toml").write_text(
        '[site]\nbase_url = "http://127.0.0.1:8000"\n[ingest]\nsettle_seconds = 0\n'
        f"[feeds]\nmax_entries = {ENTRIES}\n", encoding="utf-8")
    build(from_dict({"ingest": {"settle_seconds": 0}, "feeds": {"max_entries": ENTRIES}}, root))


def nginx_conf(prefix: Path, port: int, server_block: str) -> Path:
    (prefix / "logs").mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(
        "daemon off;\nuser root;\nworker_processes auto;\npid nginx.pid;\n"
        "error_log logs/error.log;\nevents { worker_connections 1024; }\n"
        "http {\n include /etc/nginx/mime.types;\n access_log off;\n sendfile on;\n"
        f" client_body_temp_path {prefix}/tmp; proxy_temp_path {prefix}/tmp;\n"
        f" fastcgi_temp_path {prefix}/tmp; uwsgi_temp_path {prefix}/tmp;"
        f" scgi_temp_path {prefix}/tmp;\n{server_block}\n}}\n", encoding="utf-8")
    return conf


@dataclass
class Target:
    name: str
    start: Callable[[Path, int], subprocess.Popen[bytes]]
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    results: dict[str, list[float]] = field(default_factory=lambda: {"304": [], "gzip": []})

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{URL_PATH}"


def _popen(args: list[str], root: Path, log: str, env: dict[str, str] | None = None
           ) -> subprocess.Popen[bytes]:
    out = (root / f"{log}.log").open("wb")
    return subprocess.Popen(args, cwd=root, stdout=out, stderr=subprocess.STDOUT,
                            env={**os.environ, **(env or {})}, start_new_session=True)


def start_reference(root: Path, port: int) -> subprocess.Popen[bytes]:
    block = (f"server {{\n listen 127.0.0.1:{port};\n root {root};\n etag on;\n"
             " gzip_static on;\n}\n")
    conf = nginx_conf(root / "nginx-ref", port, block)
    return _popen([NGINX, "-p", str(conf.parent), "-c", str(conf)], root, "nginx")


def start_deploy(root: Path, port: int) -> subprocess.Popen[bytes]:
    block = ((ROOT / "deploy" / "nginx.conf").read_text("utf-8")
             .replace("/srv/seedfeed", str(root))
             .replace("listen 80;", f"listen 127.0.0.1:{port};"))
    conf = nginx_conf(root / "nginx-deploy", port, block)
    return _popen([NGINX, "-p", str(conf.parent), "-c", str(conf)], root, "deploy")


def start_serve(root: Path, port: int) -> subprocess.Popen[bytes]:
    return _popen([str(VENV_BIN / "seedfeed"), "serve", "--config", str(root / "config.toml"),
                   "--port", str(port)], root, "serve")


def start_gunicorn(root: Path, port: int) -> subprocess.Popen[bytes]:
    return _popen([str(VENV_BIN / "gunicorn"), "-w", "2", "-k", "gthread", "--threads", "4",
                   "-b", f"127.0.0.1:{port}", "--log-level", "warning",
                   "seedfeed.web:create_app()"], root, "gunicorn",
                  {"SEEDFEED_CONFIG": str(root / "config.toml")})


def start_waitress(root: Path, port: int) -> subprocess.Popen[bytes]:
    return _popen([str(VENV_BIN / "waitress-serve"), f"--listen=127.0.0.1:{port}",
                   "--threads=8", "--call", "seedfeed.web:create_app"], root, "waitress",
                  {"SEEDFEED_CONFIG": str(root / "config.toml")})


TARGETS = {
    "nginx": ("Debian nginx, `worker_processes auto`, `gzip_static on` (reference)",
              start_reference),
    "deploy": ("`deploy/nginx.conf` (nginx, `worker_processes auto`)", start_deploy),
    "serve": ("`seedfeed serve` (granian, one worker per CPU, fast path)", start_serve),
    "gunicorn": ("`create_app()` under gunicorn gthread, 2 workers × 4 threads", start_gunicorn),
    "waitress": ("`create_app()` under waitress, 8 threads (the old embedded server)",
                 start_waitress),
}


def wait_up(target: Target, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(target.url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{target.name} did not come up on {target.url}")


def probe(target: Target) -> dict[str, str]:
    """The wrk headers for each request kind, after checking the server answers them right."""
    gz = requests.get(target.url, headers={"Accept-Encoding": "gzip"}, timeout=5)
    assert gz.headers.get("Content-Encoding") == "gzip", (target.name, gz.headers)
    etag = gz.headers["ETag"]
    again = requests.get(target.url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag},
                         timeout=5)
    assert again.status_code == 304, (target.name, again.status_code)
    return {"304": etag, "gzip": ""}


def wrk(url: str, headers: list[str], duration: int) -> float:
    args = ["wrk", "-t2", "-c16", f"-d{duration}s", "--latency"]
    for h in headers:
        args += ["-H", h]
    out = subprocess.run([*args, url], capture_output=True, text=True, timeout=duration + 30,
                         check=True).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad:
        raise SystemExit(f"{url}: {bad.group(1)} error responses under load\n{out}")
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert m, out
    return float(m.group(1))


def stop(target: Target) -> None:
    if target.proc is None:
        return
    try:
        os.killpg(target.proc.pid, signal.SIGTERM)
        target.proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(target.proc.pid, signal.SIGKILL)


def paired(t: Target, ref: Target, kind: str) -> float:
    """Median of the per-round ratios: each round's figure over nginx's in the same round,
    which cancels most of what a noisy neighbour does to both."""
    return statistics.median(a / b for a, b in zip(t.results[kind], ref.results[kind], strict=True))


def measure(targets: list[Target], root: Path, rounds: int, duration: int) -> None:
    """Start every target on the site in `root`, poll each in interleaved rounds (the order
    reversed every other round) into `Target.results`, and stop them all."""
    try:
        for t in targets:
            t.port = free_port()
            t.proc = t.start(root, t.port)
            wait_up(t)
        time.sleep(1)
        headers = {t.name: probe(t) for t in targets}
        for rnd in range(rounds):
            order = targets if rnd % 2 == 0 else targets[::-1]
            for kind in ("304", "gzip"):
                for t in order:
                    extra = ["Accept-Encoding: gzip"]
                    if kind == "304":
                        extra.append(f"If-None-Match: {headers[t.name]['304']}")
                    rps = wrk(t.url, extra, duration)
                    t.results[kind].append(rps)
                    print(f"round {rnd + 1} {kind:>4} {t.name:<9} {rps:>10,.0f} req/s", flush=True)
    finally:
        for t in targets:
            stop(t)


def report(targets: list[Target], args: argparse.Namespace, size: int, gz_size: int,
           log_lines: dict[str, int]) -> str:
    ref = next(t for t in targets if t.name == "nginx")
    rows = []
    for t in targets:
        m = {k: statistics.median(v) for k, v in t.results.items()}
        rows.append(f"| {TARGETS[t.name][0]} | {m['304']:,.0f} | {paired(t, ref, '304'):.2f}× "
                    f"| {m['gzip']:,.0f} | {paired(t, ref, 'gzip'):.2f}× | {log_lines[t.name]} |")
    raw = [f"| {t.name} | {kind} | " + ", ".join(f"{x:,.0f}" for x in t.results[kind]) + " |"
           for t in targets for kind in ("304", "gzip")]
    return "\n".join([
        "# Serving benchmark", "",
        f"- command: `python bench/serve.py --rounds {args.rounds} --duration {args.duration}`"
        f" (`wrk -t2 -c16 -d{args.duration}s`, {args.rounds} interleaved rounds, medians)",
        f"- machine: {machine()}",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- document: `{URL_PATH}`, {ENTRIES} entries, {size:,} bytes ({gz_size:,} gzip)",
        "- 304: `If-None-Match` with the server's own ETag (and `Accept-Encoding: gzip`);"
        " gzip 200: `Accept-Encoding: gzip`, the precompressed sibling", "",
        "req/s: median of the rounds; × nginx: median of the per-round ratios to the reference;"
        " log: lines the server wrote to its output during the whole run.", "",
        "| server | 304 req/s | × nginx | gzip 200 req/s | × nginx | log |",
        "|---|---|---|---|---|---|", *rows, "",
        "Targets: `seedfeed serve` ≥ 0.70× (304) and ≥ 0.90× (gzip 200); `deploy/nginx.conf` ≥ 0.95×.",
        "", "Every round (req/s, in round order):", "",
        "| server | request | rounds |", "|---|---|---|", *raw, "",
    ])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--duration", type=int, default=5)
    p.add_argument("--only", default=",".join(TARGETS), help="comma-separated servers")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "serve" / "RESULTS.md")
    args = p.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    names = ["nginx", *(n for n in args.only.split(",") if n != "nginx")]
    with tempfile.TemporaryDirectory(prefix="seedfeed-bench-serve-") as tmp:
        root = Path(tmp)
        publish_site(root)
        size = (root / "feeds" / "atom.xml").stat().st_size
        gz_size = (root / "feeds" / "atom.xml.gz").stat().st_size
        targets = [Target(n, TARGETS[n][1]) for n in names]
        measure(targets, root, args.rounds, args.duration)
        log_lines = {t.name: len((root / f"{t.name}.log").read_bytes().splitlines())
                     for t in targets}
    md = report(targets, args, size, gz_size, log_lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(md, encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
