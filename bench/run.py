"""Benchmarks (`make bench`): ingest throughput, build time, new-seed latency.

Writes bench/RESULTS.md with the command, the machine and the date. Everything runs on
127.0.0.1 and stops by itself. Figures are also given as ratios to a baseline measured in
the same run (reading + UTF-8 decoding the same files), since machines are noisy.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from seedfeed.config import from_dict
from seedfeed.ingest import parse_seed
from seedfeed.pipeline import build
from seedfeed.scan import is_ignored

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
ZONE = ZoneInfo("Asia/Shanghai")
N_SEEDS = 10_000


def corpus_seeds() -> list[tuple[str, bytes]]:
    skip = {"README.md", "expected.json"}
    return [(p.name, p.read_bytes()) for p in sorted(CORPUS.iterdir())
            if p.is_file() and p.name not in skip and not is_ignored(p.name)]


def generated(n: int) -> list[tuple[str, bytes]]:
    """n distinct seeds: corpus files with a unique number appended to every copy's bytes."""
    base = corpus_seeds()
    out = []
    for i in range(n):
        name, data = base[i % len(base)]
        stem, dot, ext = name.rpartition(".")
        tail = f"\n\nNo. {i} 2024\n"  # ASCII: valid in UTF-8, GB18030 and Big5 alike
        if data.startswith(b"\xff\xfe"):
            data += tail.encode("utf-16-le")
        elif data.strip() and not data.startswith(b"\x89PNG"):
            data += tail.encode("ascii")
        out.append((f"{stem}-{i:05d}.{ext}", data))
    return out


def bench_ingest(seeds: list[tuple[str, bytes]]) -> dict[str, float]:
    t0 = time.perf_counter()
    for _, data in seeds:
        data.decode("utf-8", "replace").splitlines()
    baseline = time.perf_counter() - t0
    ok = rejected = 0
    t0 = time.perf_counter()
    for name, data in seeds:
        try:
            parse_seed(data, name, ZONE)
            ok += 1
        except Exception:  # SeedError; anything else would be a bug, counted the same here
            rejected += 1
    took = time.perf_counter() - t0
    return {"seeds": len(seeds), "ok": ok, "rejected": rejected, "seconds": took,
            "per_second": len(seeds) / took, "baseline_seconds": baseline,
            "ratio_to_baseline": took / baseline}


def bench_build(seeds: list[tuple[str, bytes]], runs: int) -> dict[str, float]:
    """Cold build (empty state); forced rebuild with nothing changed (`seedfeed build`);
    the scheduler's idle scan; the scheduler's scan after one seed was edited."""
    cold, warm, idle, one = [], [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "seeds").mkdir()
            for name, data in seeds:
                (root / "seeds" / name).write_bytes(data)
            cfg = from_dict({"ingest": {"settle_seconds": 0}}, root)
            t0 = time.perf_counter()
            report = build(cfg)
            cold.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            report = build(cfg)
            warm.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            report = build(cfg, force=False, last=report)
            idle.append(time.perf_counter() - t0)
            edited = root / "seeds" / seeds[0][0]
            edited.write_bytes(seeds[0][1] + b"\n\nEdited 2024\n")
            t0 = time.perf_counter()
            build(cfg, force=False, last=report)
            one.append(time.perf_counter() - t0)
    return {"seeds": len(seeds), "cold_median_s": statistics.median(cold),
            "warm_median_s": statistics.median(warm), "idle_median_s": statistics.median(idle),
            "one_edit_median_s": statistics.median(one), "runs": runs}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_latency(trials: int) -> dict[str, object]:
    """Seconds from writing a seed to seeing it in feed.json, default interval and settle."""
    import requests

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "seeds", root / "seeds")
        port = free_port()
        shutil.copy(ROOT / "config.toml", root / "config.toml")
        text = (root / "config.toml").read_text("utf-8").replace("port = 8000", f"port = {port}")
        (root / "config.toml").write_text(text, "utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "seedfeed", "serve", "--config",
                                 str(root / "config.toml")], cwd=root,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/feeds/feed.json"
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    if requests.get(url, timeout=2).status_code == 200:
                        break
                except requests.ConnectionError:
                    time.sleep(0.1)
            lat = []
            for i in range(trials):
                title = f"延遲測試新聞第{i}號標題"
                (root / "seeds" / f"lat{i}.txt").write_text(
                    f"測試\n\n{title}\n\n時間:2024-05-01 08:00:00  來源:測試\n\n正文。\n", "utf-8")
                t0 = time.monotonic()
                while time.monotonic() - t0 < 30:
                    if title in requests.get(url, timeout=2).text:
                        break
                    time.sleep(0.05)
                lat.append(time.monotonic() - t0)
                time.sleep(1.3)  # land at a different point of the scan cycle next time
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return {"trials": trials, "median_s": statistics.median(lat), "max_s": max(lat),
            "all_s": [round(x, 2) for x in lat]}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    shipped = [(p.name, p.read_bytes()) for p in sorted((ROOT / "seeds").iterdir())
               if p.is_file() and not is_ignored(p.name)]
    seeds = generated(N_SEEDS)
    results = {
        "ingest_10k": bench_ingest(seeds),
        "build_shipped": bench_build(shipped, runs=5),
        "build_10k": bench_build(seeds, runs=1),
        "new_seed_latency": bench_latency(trials=5),
    }
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    ing, bs, b10, lat = (results[k] for k in results)
    md = f"""# Benchmark results

- Command: `make bench` (`python bench/run.py`)
- Machine: {machine()}
- Date: {now}

| what | figure | target |
| --- | --- | --- |
| ingest throughput, {ing['seeds']:,} seeds generated from the corpus, one core | **{ing['per_second']:,.0f} seeds/s** ({ing['ok']:,} ok, {ing['rejected']:,} rejected; {ing['ratio_to_baseline']:.1f}× the time of only reading + UTF-8 decoding them) | ≥ 1,000 seeds/s |
| `seedfeed build`, shipped seeds ({bs['seeds']}), cold (empty state), median of {bs['runs']} | {bs['cold_median_s'] * 1000:.0f} ms | |
| same, again with nothing changed | {bs['warm_median_s'] * 1000:.1f} ms | |
| scheduler scan, shipped seeds, nothing changed | {bs['idle_median_s'] * 1000:.2f} ms | |
| `seedfeed build`, {b10['seeds']:,} seeds, cold | {b10['cold_median_s']:.1f} s | |
| same, again with nothing changed (renders all, writes nothing) | {b10['warm_median_s']:.2f} s | |
| scheduler scan, {b10['seeds']:,} seeds, nothing changed | {b10['idle_median_s'] * 1000:.0f} ms | < interval (5 s) |
| scheduler scan, {b10['seeds']:,} seeds, one seed edited | {b10['one_edit_median_s']:.2f} s | < interval (5 s) |
| new seed → in feed.json, default config (file-system events on, settle 1 s, interval 5 s), {lat['trials']} trials | median {lat['median_s']:.1f} s, max {lat['max_s']:.1f} s | ≤ settle + a scan |

Raw figures:

```json
{json.dumps(results, indent=2)}
```
"""
    (ROOT / "bench" / "RESULTS.md").write_text(md, encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
