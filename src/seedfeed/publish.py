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
import os
import tempfile
from collections.abc import Iterable
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
    """The .gz and .br siblings of a document (deterministic: same in, same out). Quality
    is chosen for documents rewritten on every change: gzip 9 and brotli 9 with a window
    sized to the data cost ~10 ms for a 300 KB feed, brotli 11 costs ~0.4 s."""
    window = min(24, max(10, len(data).bit_length() + 1))
    return {
        name + ".gz": gzip.compress(data, compresslevel=9, mtime=0),
        name + ".br": brotli.compress(data, quality=9, lgwin=window),
    }


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

    def _path(self, rel: str) -> Path:
        top, _, rest = rel.partition("/")
        return self.roots[top] / rest

    def add(self, rel: str, data: bytes, compress: bool = False) -> None:
        """Publish `data` at `rel` unless it is already there byte for byte."""
        self.rendered += 1
        d = digest(data)
        final = self._path(rel)
        names = [final] + ([final.with_name(final.name + s) for s in (".gz", ".br")] if compress else [])
        if self.known.get(rel) == d and all(p.exists() for p in names):
            return
        files = {final.name: data, **(siblings(final.name, data) if compress else {})}
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            # siblings first, the document last: a client never gets a new document whose
            # compressed form is still the old one for longer than the renames take
            for name in sorted(files, key=lambda n: n == final.name):
                fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=final.parent)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(files[name])
                os.chmod(tmp, 0o644)
                self._pending.append((Path(tmp), final.with_name(name)))
        except OSError as e:
            self.abort()
            raise PublishError(f"cannot write published files: {e}", path=str(final)) from e
        if not compress:  # a document that lost its siblings must not keep stale ones
            for s in (".gz", ".br"):
                if final.with_name(final.name + s).exists():
                    self._removals.append(rel + s)
        self.digests[rel] = d

    def remove(self, rels: Iterable[str]) -> None:
        """Stop publishing these documents (their siblings go too)."""
        for rel in rels:
            self._removals += [rel, rel + ".gz", rel + ".br"]
            self.digests[rel] = None

    def abort(self) -> None:
        for tmp, _ in self._pending:
            tmp.unlink(missing_ok=True)
        self._pending.clear()

    def commit(self) -> int:
        """Make every new file durable at once, rename them into place, then remove the
        documents no longer published. Returns how many files changed."""
        try:
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
        return self.written


def sweep_temp_files(root: Path) -> int:
    """Remove temporary files a killed build left behind (first build of a process)."""
    removed = 0
    for path in root.rglob(f"{TEMP_PREFIX}*.tmp"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed
