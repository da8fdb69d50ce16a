"""Freshness benchmark: seconds from a seed landing in `seeds/` to its entry in feed.json,
through a running `seedfeed serve` with the default config (file-system events on).

Two ways a seed lands: renamed in from another folder of the same file system, and written
in place (open, write, close). With `--seeds N` seeds present (generated like bench/run.py's),
`--drops` of each. Prints and appends the figures to bench/fresh/RESULTS.md. Loopback only;
stops by itself.

    python bench/fresh.py [--seeds 10000] [--drops 50]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).parent))
from run import ROOT, generated, machine, write_seeds  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed_text(title: str) -> str:
    return f"常州日報\n\n{title}\n\n時間:2031-02-01 08:00:00  來源:常州日報  作者:記者 林小文\n\n正文。\n"


def wait_for_title(url: str, title: str, limit: float = 60) -> float:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        try:
            if title in requests.get(url, timeout=5).text:
                return time.monotonic() - start
        except requests.RequestException:
            pass
        time.sleep(0.02)
    raise TimeoutError(title)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def run(n_seeds: int, drops: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_seeds(root / "seeds", generated(n_seeds))
        (root / "incoming").mkdir()
        (root / "config.toml").write_text('[paths]\nstate = "state"\n', "utf-8")
        port = free_port()
        url = f"http://127.0.0.1:{port}/feeds/feed.json"
        proc = subprocess.Popen([sys.executable, "-m", "seedfeed", "serve", "--config",
                                 str(root / "config.toml"), "--port", str(port)], cwd=root,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            t0 = time.monotonic()
            while time.monotonic() - t0 < 1800:  # the first (cold) build
                try:
                    if requests.get(f"http://127.0.0.1:{port}/status", timeout=5).json().get("published"):
                        break
                except (requests.RequestException, ValueError):
                    pass
                time.sleep(1)
            cold = time.monotonic() - t0
            renamed, written = [], []
            for i in range(drops):
                title = f"改名搬入的新聞第{i}號"
                src = root / "incoming" / f"r{i}.txt"
                src.write_text(seed_text(title), "utf-8")
                t = time.monotonic()
                src.rename(root / "seeds" / f"fresh-r{i}.txt")
                wait_for_title(url, title)
                renamed.append(time.monotonic() - t)
                title = f"原地寫入的新聞第{i}號"
                t = time.monotonic()
                with (root / "seeds" / f"fresh-w{i}.txt").open("w", encoding="utf-8") as fh:
                    fh.write(seed_text(title))
                wait_for_title(url, title)
                written.append(time.monotonic() - t)
                time.sleep(0.2)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    return {"seeds": n_seeds, "drops": drops, "first_build_s": round(cold, 1),
            "renamed_median_s": statistics.median(renamed), "renamed_p95_s": p95(renamed),
            "written_median_s": statistics.median(written), "written_p95_s": p95(written)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10_000)
    ap.add_argument("--drops", type=int, default=50)
    args = ap.parse_args()
    r = run(args.seeds, args.drops)
    line = (f"| {datetime.now(UTC):%Y-%m-%d %H:%M} UTC | {r['seeds']:,} | {r['drops']} | "
            f"{r['renamed_median_s']:.2f} s / {r['renamed_p95_s']:.2f} s | "
            f"{r['written_median_s']:.2f} s / {r['written_p95_s']:.2f} s | {r['first_build_s']} s |")
    out = ROOT / "bench" / "fresh" / "RESULTS.md"
    out.parent.mkdir(exist_ok=True)
    if not out.exists():
        out.write_text(
            "# Freshness: seed landed → entry in feed.json, through `seedfeed serve`\n\n"
            f"- Command: `python bench/fresh.py --seeds N --drops D` (also run by `make bench`)\n"
            f"- Machine: {machine()}\n- Default config: file-system events on, settle 1 s, "
            "interval 5 s. Targets: 10,000 seeds median ≤ 1 s, p95 ≤ 2 s; 100,000 median ≤ 2 s.\n\n"
            "| date | seeds present | drops | renamed in: median / p95 | written in place: "
            "median / p95 | first build |\n| --- | --- | --- | --- | --- | --- |\n", "utf-8")
    with out.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    print(line)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
