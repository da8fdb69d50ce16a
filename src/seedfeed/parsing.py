"""Parsing at scale: which listed seeds need reading, and reading + parsing them in chunks.

A chunk of seeds is read, hashed and parsed together; with many seeds (a first build, a new
parser) the chunks go to worker processes, one per core, so that a build uses the machine
while holding only a few chunks in memory. Pure work per seed (ingest is pure); the files
are read where they are parsed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from . import budget, workers
from .config import Config
from .errors import SeedError
from .ingest import parse_seed
from .model import SeedFile, SeedRecord
from .scan import Listed, Scanned, read

CHUNK = 500  # seeds per chunk
PARALLEL_FROM = 2000  # below this many seeds to read, worker processes cost more than they save


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
        with budget.limit(cfg.ingest.max_seconds):
            return SeedRecord(item.file, parse_seed(item.data, name, cfg.site.zone), None)
    except SeedError as e:
        return SeedRecord(item.file, None, e.reason)
    except budget.OverBudget:
        return SeedRecord(item.file, None, f"parsing it took over {cfg.ingest.max_seconds:g}s "
                                           "(ingest.max_seconds); the rest was published")


@dataclass(frozen=True)
class Candidates:
    """What the listing says without reading anything."""

    changed: list[Listed]  # size or mtime differ from the index (or unreadable, or new)
    pending: list[str]  # changed, but written within the settle time: still being written
    gone: list[str]  # in the index, not on disk


def candidates(listing: Sequence[Listed], known: Mapping[str, SeedFile], now: float,
               settle: float, reparse: bool,
               complete: Mapping[str, float] | None = None) -> Candidates:
    """A seed changed when its size or mtime differ from the index (every seed, when the
    parser changed); it is still being written while that mtime is within the settle time
    of now (a mtime further in the future does not wait forever: only "close to now"),
    unless the file system reported it closed or moved in since (`complete`: name -> when)."""
    complete = complete or {}
    changed, pending = [], []
    for item in listing:
        old = known.get(item.name)
        if not reparse and not item.retry and old is not None and (
                old.size, old.mtime_ns) == (item.size, item.mtime_ns):
            continue
        mtime = item.mtime_ns / 1e9
        done = complete.get(item.name, 0.0) >= mtime
        if not item.problem and abs(now - mtime) < settle and not done:
            pending.append(item.name)
        else:
            changed.append(item)
    names = {item.name for item in listing}
    # While a new name is still settling, a seed that went may be its old name (a copy and
    # delete): keep it, and its key, until the new one is parsed.
    gone = [] if pending else sorted(set(known) - names)
    return Candidates(changed, pending, gone)


def _read_parse(cfg: Config, items: Sequence[tuple[Listed, SeedFile | None]],
                reparse: bool) -> list[tuple[SeedRecord, bool]]:
    """(record, whether the bytes changed) for each item; a record of unchanged bytes has
    no article yet (the caller keeps the stored one)."""
    out = []
    for item, old in items:
        scanned = read(cfg.paths.seeds / item.name, item, None if reparse else old,
                       cfg.ingest.max_bytes)
        if scanned is None:
            continue  # gone since the listing: the next scan sees it
        if not scanned.changed:
            out.append((SeedRecord(scanned.file, None, None), False))
        else:
            out.append((parse_record(cfg, scanned, item.name), True))
    return out


def parse_chunks(cfg: Config, items: Sequence[Listed], known: Mapping[str, SeedFile],
                 reparse: bool) -> Iterator[list[tuple[SeedRecord, bool]]]:
    """Read and parse `items` a chunk at a time, in order; in worker processes when there
    are many."""
    jobs = [(cfg, [(item, known.get(item.name)) for item in items[i:i + CHUNK]], reparse)
            for i in range(0, len(items), CHUNK)]
    pool = workers.start() if len(items) >= PARALLEL_FROM else None
    try:
        yield from workers.ordered(pool, _read_parse, jobs)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
