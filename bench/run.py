"""Benchmarks (`make bench`): ingest throughput; builds at 10,000 and 100,000 seeds (cold,
forced, idle, one new seed, memory, disk); new-seed latency through `seedfeed serve`.

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
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from seedfeed.config import load
from seedfeed.ingest import parse_seed
from seedfeed.pipeline import build
from seedfeed.scan import is_ignored

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
ZONE = ZoneInfo("Asia/Shanghai")
N_SEEDS = 10_000
N_LARGE = int(os.environ.get("SEEDFEED_BENCH_LARGE", "100000"))  # 0 skips the 100,000 run


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


class PeakRSS:
    """Samples the summed resident memory of a process and its children (worker processes
    included) every 0.1 s, for peak figures of a whole build."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        kids: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                kids.setdefault(int(fields[1]), []).append(int(stat.parent.name))
            except (OSError, IndexError, ValueError):
                continue
        out, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo += kids.get(pid, [])
        return out

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in self._tree():
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1]) * 1024
                except OSError:
                    continue
            self.peak = max(self.peak, total)
            self._stop.wait(0.1)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def write_seeds(folder: Path, seeds: list[tuple[str, bytes]]) -> None:
    """Seeds as a newsroom's folder holds them: written a while ago (none still settling)."""
    folder.mkdir(parents=True)
    old = time.time() - 3600
    for name, data in seeds:
        path = folder / name
        path.write_bytes(data)
        os.utime(path, (old, old))


def du(*folders: Path) -> int:
    return sum(p.stat().st_size for f in folders for p in f.rglob("*") if p.is_file())


def add_seed(root: Path, tag: str) -> tuple[str, str]:
    """Drop one new seed, written and closed a moment ago; (its name, its title)."""
    title = f"基準測試新加入的新聞{tag}號"
    path = root / "seeds" / f"zz-bench-new-{tag}.txt"
    path.write_text(f"常州日報\n\n{title}\n\n時間:2031-01-01 08:00:00  來源:常州日報  "
                    "作者:記者 林小文\n\n新加入的正文。\n", "utf-8")
    os.utime(path, (time.time() - 5, time.time() - 5))
    return path.name, title


PLAIN = '[paths]\nstate = "state"\n'
WITH_VARIANT = '[site]\nvariants = ["zh-Hans"]\n' + PLAIN  # the shipped config's variant


def bench_scale(seeds: list[tuple[str, bytes]], new_seeds: int = 5,
                config: str = PLAIN) -> dict[str, object]:
    """At the size users have: a cold `seedfeed build` (a process, peak memory of it and its
    workers), a forced rebuild with nothing changed, the scheduler's idle scan, and one new
    seed published by the scheduler's path (feeds, archive page, topic feeds, page)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_seeds(root / "seeds", seeds)
        (root / "config.toml").write_text(config, "utf-8")
        cmd = [sys.executable, "-m", "seedfeed", "build", "--config", str(root / "config.toml")]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        rss = PeakRSS(proc.pid)
        out = proc.communicate()[0].decode()
        cold = time.perf_counter() - t0
        peak = rss.stop()
        t0 = time.perf_counter()
        warm_out = subprocess.run(cmd, cwd=root, capture_output=True, check=True).stdout.decode()
        warm = time.perf_counter() - t0
        cfg = load(root / "config.toml")
        report = build(cfg)
        idle = []
        for _ in range(5):
            t0 = time.perf_counter()
            report = build(cfg, force=False, last=report)
            idle.append(time.perf_counter() - t0)
        one, rendered, ev_idle, ev_one = [], [], [], []
        for i in range(new_seeds):  # the full walk's path (no file-system events)
            _, title = add_seed(root, f"a{i}")
            t0 = time.perf_counter()
            report = build(cfg, force=False, last=report)
            one.append(time.perf_counter() - t0)
            rendered.append(report.rendered)
            assert title in (cfg.paths.feeds / "feed.json").read_text("utf-8")
        for _ in range(5):  # the scheduler's path while file-system events arrive
            t0 = time.perf_counter()
            report = build(cfg, force=False, last=report, only=set())
            ev_idle.append(time.perf_counter() - t0)
        for i in range(new_seeds):
            name, title = add_seed(root, f"e{i}")
            t0 = time.perf_counter()
            report = build(cfg, force=False, last=report, only={name})
            ev_one.append(time.perf_counter() - t0)
            assert title in (cfg.paths.feeds / "feed.json").read_text("utf-8")
        disk = du(cfg.paths.feeds, cfg.paths.site, cfg.paths.state)
        files = sum(1 for f in (cfg.paths.feeds, cfg.paths.site) for p in f.rglob("*") if p.is_file())
    return {"seeds": len(seeds), "published": report.published, "cold_s": cold,
            "cold_summary": out.strip(), "peak_rss_mb": peak / 2**20, "forced_rebuild_s": warm,
            "forced_rebuild_summary": warm_out.strip(), "idle_median_s": statistics.median(idle),
            "idle_max_s": max(idle), "one_new_median_s": statistics.median(one),
            "one_new_max_s": max(one), "one_new_rendered": rendered,
            "event_idle_median_s": statistics.median(ev_idle),
            "event_one_new_median_s": statistics.median(ev_one), "event_one_new_max_s": max(ev_one),
            "published_files": files,
            "disk_bytes": disk, "disk_mb_per_1000": disk / 2**20 / max(1, report.published) * 1000}


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
        proc = subprocess.Popen([sys.executable, "-m", "seedfeed", "serve", "--config",
                                 str(root / "config.toml"), "--port", str(port)], cwd=root,
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


def scale_rows(r: dict) -> str:
    n = f"{r['seeds']:,}"
    return "\n".join([
        f"| cold `seedfeed build`, {n} seeds ({r['published']:,} entries after duplicates and revisions) | **{r['cold_s']:.1f} s**, peak RSS {r['peak_rss_mb']:.0f} MB (build + parse workers) | {'≤ 15 s' if r['seeds'] <= 10_000 else '≤ 150 s, ≤ 500 MB'} |",
        f"| forced `seedfeed build` again, nothing changed (checks every published file) | {r['forced_rebuild_s']:.2f} s | |",
        f"| scan, {n} seeds, nothing new — full walk (one stat per seed; median / max of 5) | **{r['idle_median_s'] * 1000:.0f} ms** / {r['idle_max_s'] * 1000:.0f} ms | ≤ 1 s |",
        f"| same, while file-system events arrive (the scheduler's usual path; median of 5) | **{r['event_idle_median_s'] * 1000:.1f} ms** | ≤ 1 s |",
        f"| one new seed published (main feeds, archive page, topic feeds, pages) — full walk (median / max) | **{r['one_new_median_s']:.2f} s** / {r['one_new_max_s']:.2f} s; documents rendered {r['one_new_rendered']} | ≤ 2 s |",
        f"| same, the seed named by a file-system event (median / max) | **{r['event_one_new_median_s']:.2f} s** / {r['event_one_new_max_s']:.2f} s | ≤ 2 s |",
        f"| disk: feeds + site + state | {r['disk_bytes'] / 2**20:,.0f} MB in {r['published_files']:,} published files, {r['disk_mb_per_1000']:.1f} MB per 1,000 entries | |",
    ])


def main() -> None:
    shipped = [(p.name, p.read_bytes()) for p in sorted((ROOT / "seeds").iterdir())
               if p.is_file() and not is_ignored(p.name)]
    seeds = generated(N_SEEDS)
    results: dict[str, object] = {
        "ingest_10k": bench_ingest(seeds),
        "scale_shipped": bench_scale(shipped, new_seeds=3),
        "scale_10k": bench_scale(seeds),
        "scale_10k_variant": bench_scale(seeds, config=WITH_VARIANT),
    }
    if N_LARGE:
        results["scale_100k"] = bench_scale(generated(N_LARGE))
    results["new_seed_latency"] = bench_latency(trials=5)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    ing, lat = results["ingest_10k"], results["new_seed_latency"]
    scale = "\n".join(scale_rows(results[k]) for k in ("scale_shipped", "scale_10k", "scale_100k")
                      if k in results)
    plain, both = results["scale_10k"], results["scale_10k_variant"]
    scale += (f"\n| the same 10,000 seeds with `site.variants = [\"zh-Hans\"]` (the shipped config: "
              f"every document twice) | cold **{both['cold_s']:.1f} s** ({both['cold_s'] / plain['cold_s']:.2f}× "
              f"without), one new seed by event **{both['event_one_new_median_s']:.2f} s** "
              f"({both['event_one_new_median_s'] / plain['event_one_new_median_s']:.2f}×), "
              f"{both['published_files']:,} files | ≤ 2 s for one seed |")
    md = f"""# Benchmark results

- Command: `make bench` (`python bench/run.py`; `SEEDFEED_BENCH_LARGE=0` skips the 100,000-seed run)
- Machine: {machine()}
- Date: {now}
- Seeds: the corpus files in `tests/data/corpus/` copied with a unique line appended to each
  copy (so every copy is its own seed; Markdown copies that declare one `id` are revisions of
  one entry), written an hour before the build. Feeds: `max_entries` 50, archive pages of 50,
  topic feeds per source, author and tag.

| what | figure | target |
| --- | --- | --- |
| ingest throughput, {ing['seeds']:,} seeds generated from the corpus, one core | **{ing['per_second']:,.0f} seeds/s** ({ing['ok']:,} ok, {ing['rejected']:,} rejected; {ing['ratio_to_baseline']:.1f}× the time of only reading + UTF-8 decoding them) | ≥ 1,000 seeds/s |
{scale}
| new seed → in feed.json through `seedfeed serve` (shipped seeds, default config: file-system events, settle 1 s), {lat['trials']} trials | median {lat['median_s']:.1f} s, max {lat['max_s']:.1f} s | ≤ settle + a scan |

Serving (polls per second against Debian's nginx): see [`bench/serve/RESULTS.md`](serve/RESULTS.md).
Freshness at 10,000 and 100,000 seeds through `seedfeed serve`: see [`bench/fresh/RESULTS.md`](fresh/RESULTS.md).
Extraction on real pages: see [`bench/extract/RESULTS.md`](extract/RESULTS.md).

Raw figures:

```json
{json.dumps(results, indent=2, ensure_ascii=False)}
```
"""
    (ROOT / "bench" / "RESULTS.md").write_text(md, encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
