"""Publish: write rendered files into feeds/ and site/ atomically, with compressed siblings.

Only files whose bytes changed are written (temp file + fsync + os.replace), so unchanged
files keep their mtime, and a reader or a crash never meets a half-written file. Files the
last publish wrote and this one no longer produces are removed. It renders nothing.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import brotli

from .errors import PublishError
from .published import COMPRESSIBLE, MANIFEST


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except FileNotFoundError:
        return False


def variants(name: str, data: bytes, brotli_quality: int = 11) -> dict[str, bytes]:
    """The file and, for text types, its .gz and .br siblings (deterministic: same in, same out)."""
    if not _siblings(name):
        return {name: data}
    # a brotli window sized to the data: the default 4 MiB one makes small files ~20x slower
    window = min(24, max(10, len(data).bit_length() + 1))
    return {
        name: data,
        name + ".gz": gzip.compress(data, compresslevel=9, mtime=0),
        name + ".br": brotli.compress(data, quality=brotli_quality, lgwin=window),
    }


def _previous(root: Path) -> set[str]:
    try:
        return set(json.loads((root / MANIFEST).read_text(encoding="utf-8")))
    except (FileNotFoundError, ValueError):
        return set()


def _siblings(name: str) -> list[str]:
    return [name + ".gz", name + ".br"] if name.endswith(COMPRESSIBLE) else []


def _publish_one(root: Path, name: str, data: bytes, brotli_quality: int) -> int:
    """Write one file and its siblings if they differ; siblings go first, the file last."""
    path = root / name
    if _same(path, data) and all((root / s).exists() for s in _siblings(name)):
        return 0  # unchanged: skip the compression work too
    written = 0
    pairs = variants(name, data, brotli_quality).items()
    for vname, vdata in sorted(pairs, key=lambda kv: kv[0] == name):
        if not _same(root / vname, vdata):
            write_atomic(root / vname, vdata)
            written += 1
    return written


def _manifest(root: Path, names: set[str]) -> None:
    data = json.dumps(sorted(names), ensure_ascii=False, indent=0).encode()
    if not _same(root / MANIFEST, data):
        write_atomic(root / MANIFEST, data)


def _wanted(files: Mapping[str, bytes | None]) -> set[str]:
    return {v for name in files for v in [name, *_siblings(name)]}


def write_tree(root: Path, files: Mapping[str, bytes | None], brotli_quality: int = 11) -> int:
    """Write `files` (plus compressed siblings) into `root`; return how many were written.

    A name mapped to None is kept as it is on disk (it was not re-rendered: nothing it shows
    changed). The manifest first lists the old and the new files, so that a crash halfway
    leaves nothing behind that a later prune would not know of. Brotli 11 is the smallest but
    ~10x slower than 9: use it where few files are fetched often (feeds), 9 for many pages.
    """
    written = 0
    try:
        root.mkdir(parents=True, exist_ok=True)
        _manifest(root, _previous(root) | _wanted(files))
        for name, data in sorted(files.items()):
            if data is not None:
                written += _publish_one(root, name, data, brotli_quality)
    except OSError as e:
        raise PublishError(f"cannot write published files: {e}", path=str(root)) from e
    return written


def prune_tree(root: Path, files: Mapping[str, bytes | None]) -> int:
    """Remove what an earlier publish wrote into `root` and `files` no longer has."""
    wanted = _wanted(files)
    stale = sorted(_previous(root) - wanted)
    try:
        for name in stale:
            (root / name).unlink(missing_ok=True)
        _manifest(root, wanted)
    except OSError as e:
        raise PublishError(f"cannot remove old published files: {e}", path=str(root)) from e
    return len(stale)


def publish_tree(root: Path, files: Mapping[str, bytes | None], brotli_quality: int = 11) -> int:
    """Make `root` hold exactly `files` (plus compressed siblings): write, then prune."""
    return write_tree(root, files, brotli_quality) + prune_tree(root, files)
