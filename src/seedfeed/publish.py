"""Publish: put rendered documents into feeds/ and site/ so that nobody ever reads half a file.

A Batch writes each changed document (and, for the documents polled over and over, its
precompressed siblings) to a temporary file beside its final name at once, so a build holds
no more than one document in memory; `commit` makes all of them durable with one sync and
only then renames them into place, in the order they were added (pages before the feeds
that link to them), and removes what is no longer published. A crash at any moment leaves
the previous complete files; the index learns the new digests only after the renames.
It renders nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import brotli

from .errors import PublishError

TEMP_PREFIX = ".sf-"  # temporary files: dotfiles, never served, swept after a crash


def write_atomic(path: Path, data: bytes) -> None:
    """One file, durably (temp file + fsync + rename): for state files outside a Batch."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def siblings(name: str, data: bytes) -> dict[str, bytes]:
    """The .gz and .br siblings of a document (deterministic: same in, same out). Levels
    are chosen for documents rewritten on every change (a new article rewrites the heads
    of all its topics): gzip 6 and brotli 6 with a window sized to the data."""
    window = min(24, max(10, len(data).bit_length() + 1))
    return {
        name + ".gz": gzip.compress(data, compresslevel=6, mtime=0),
        name + ".br": brotli.compress(data, quality=6, lgwin=window),
    }


def _one_version(paths: list[Path]) -> bool:
    """All there, with one mtime: a document and the siblings publish wrote with it."""
    try:
        return len({p.stat().st_mtime_ns for p in paths}) == 1
    except OSError:
        return False


def intact(path: Path) -> bool:
    """The document is there, and so are its siblings of the same version, if it has any
    (a kill between the renames of a publish leaves a sibling of another one)."""
    siblings = [path.with_name(path.name + s) for s in (".gz", ".br")]
    return path.exists() and (not any(p.exists() for p in siblings)
                              or _one_version([path, *siblings]))


def locate(roots: dict[str, Path], rel: str) -> Path:
    """The file of a published path: 'feeds/…' or 'site/…' under its root."""
    top, _, rest = rel.partition("/")
    return roots[top] / rest


class Batch:
    """The documents one build publishes. Paths are relative to `roots`' keys ('feeds/…',
    'site/…'). `known` maps a path to the digest the index has for it."""

    def __init__(self, roots: dict[str, Path], known: dict[str, str]) -> None:
        self.roots = roots
        self.known = known
        self._pending: list[tuple[Path, Path]] = []  # (temp, final)
        self._removals: list[str] = []
        self.digests: dict[str, str | None] = {}  # what the index learns after commit
        self.rendered = 0
        self.written = 0
        self._dirs: set[Path] = set()
        # Creating a file is the slowest step of a large build (~0.5 ms each here); a few
        # threads create them side by side, with a bounded number of documents in flight.
        self._pool = ThreadPoolExecutor(4, thread_name_prefix="publish")
        self._slots = threading.BoundedSemaphore(64)
        self._writes: list[Future[None]] = []

    def _path(self, rel: str) -> Path:
        return locate(self.roots, rel)

    def add(self, rel: str, data: bytes, compress: bool = False, sha: str | None = None) -> None:
        """Publish `data` at `rel` unless it is already there byte for byte (`sha`: its
        digest, when the caller has it)."""
        self.rendered += 1
        d = sha or digest(data)
        final = self._path(rel)
        names = [final] + ([final.with_name(final.name + s) for s in (".gz", ".br")] if compress else [])
        if self.known.get(rel) == d and _one_version(names):
            return
        self._check_open()
        files = {final.name: data, **(siblings(final.name, data) if compress else {})}
        if final.parent not in self._dirs:
            final.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(final.parent)
        # Siblings first, the document last, all with one mtime: the fast path sends a
        # sibling only while its mtime is the document's, so no client gets a compressed
        # form that disagrees with the plain one (not even after a kill between renames).
        stamp = time.time_ns()
        for name in sorted(files, key=lambda n: n == final.name):
            tmp = final.parent / f"{TEMP_PREFIX}{name}.{os.getpid()}.tmp"
            self._pending.append((tmp, final.with_name(name)))
            self._slots.acquire()
            self._writes.append(self._pool.submit(self._write, tmp, files[name], stamp))
        self.digests[rel] = d

    def _check_open(self) -> None:
        for w in [w for w in self._writes if w.done()]:
            w.result()  # raise the first write error now, not at commit
        self._writes = [w for w in self._writes if not w.done()]

    def _write(self, tmp: Path, data: bytes, stamp: int) -> None:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.utime(fh.fileno(), ns=(stamp, stamp))
        finally:
            self._slots.release()

    def _wait(self) -> None:
        writes, self._writes = self._writes, []
        for w in writes:
            w.result()

    def remove(self, rels: Iterable[str]) -> None:
        """Stop publishing these documents (their siblings go too)."""
        for rel in rels:
            self._removals += [rel, rel + ".gz", rel + ".br"]
            self.digests[rel] = None

    def abort(self) -> None:
        for w in self._writes:
            w.exception()  # wait; its error is reported by the caller
        self._writes = []
        for tmp, _ in self._pending:
            tmp.unlink(missing_ok=True)
        self._pending.clear()
        self._pool.shutdown()

    def commit(self) -> int:
        """Make every new file durable at once, rename them into place, then remove the
        documents no longer published. Returns how many files changed."""
        try:
            self._wait()
            if self._pending:
                os.sync()  # one flush for the whole batch instead of one fsync per file
            for tmp, final in self._pending:
                os.replace(tmp, final)
            for rel in self._removals:
                path = self._path(rel)
                if path.exists():
                    path.unlink()
                    self.written += 1
        except OSError as e:
            self.abort()
            raise PublishError(f"cannot publish: {e}") from e
        self.written += len(self._pending)
        self._pending.clear()
        self._pool.shutdown()
        return self.written


def remove_legacy(root: Path, keep: set[str]) -> int:
    """Remove what an older layout published (listed in its dot-manifest) and this one does
    not: stale compressed siblings of pages would otherwise still be served."""
    manifest = root / ".seedfeed-manifest.json"
    try:
        names = json.loads(manifest.read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return 0
    removed = 0
    for name in names:
        if isinstance(name, str) and name not in keep and not name.startswith("."):
            (root / name).unlink(missing_ok=True)
            removed += 1
    manifest.unlink()
    return removed


def sweep_temp_files(root: Path) -> int:
    """Remove temporary files a killed build left behind (first build of a process)."""
    removed = 0
    for path in root.rglob(f"{TEMP_PREFIX}*.tmp"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed
