"""Scan: find the seed files in the seeds folder and describe them (name, size, mtime, sha256).

It reads the disk but decides nothing about content; which names count is `is_ignored`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .model import SeedFile

# Editor, sync and upload leftovers: never articles, skipped without a word.
_IGNORED_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", ".temp", ".part", ".partial", ".crdownload",
                     ".bak", ".orig", ".rej", "~")
_IGNORED_NAMES = {"Thumbs.db", "desktop.ini"}  # folder junk of file managers


def is_ignored(name: str) -> bool:
    """True for names that are never seeds: dotfiles, editor locks/swaps/backups, temp files."""
    parts = PurePosixPath(name).parts
    base = parts[-1] if parts else name
    if any(p.startswith(".") for p in parts):  # dotfiles and dot-folders, .~lock.*# included
        return True
    if base.startswith("#") and base.endswith("#"):  # Emacs autosave
        return True
    if base.startswith("~$"):  # Office owner files
        return True
    return base in _IGNORED_NAMES or base.lower().endswith(_IGNORED_SUFFIXES)


def walk(seeds: Path, *, ignored: bool = False) -> Iterator[tuple[str, os.stat_result]]:
    """(name, stat) for every regular file below `seeds`, sorted by name; files that
    `is_ignored` are left out unless `ignored` is true."""
    found: list[tuple[str, os.stat_result]] = []
    for root, dirs, files in os.walk(seeds):
        dirs[:] = sorted(d for d in dirs if ignored or not d.startswith("."))
        for f in files:
            path = Path(root) / f
            name = path.relative_to(seeds).as_posix()
            if not ignored and is_ignored(name):
                continue
            try:
                st = path.stat()
            except FileNotFoundError:  # deleted between listing and stat
                continue
            if path.is_file():
                found.append((name, st))
    yield from sorted(found, key=lambda t: t[0])


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class Scanned:
    """A seed file and, when it is new or changed and not over the size limit, its bytes."""

    file: SeedFile
    data: bytes | None
    changed: bool


def scan(seeds: Path, known: Mapping[str, SeedFile], max_bytes: int,
         listing: Iterable[tuple[str, os.stat_result]] | None = None) -> list[Scanned]:
    """Describe every seed (of `listing`, default `walk(seeds)`). A file whose size and mtime
    match `known` is not read again; a file over `max_bytes` is hashed but not kept."""
    result = []
    for name, st in walk(seeds) if listing is None else listing:
        old = known.get(name)
        if old is not None and old.size == st.st_size and old.mtime_ns == st.st_mtime_ns:
            result.append(Scanned(old, None, False))
            continue
        path = seeds / name
        try:
            if st.st_size > max_bytes:
                data, digest = None, sha256_file(path)
            else:
                data = path.read_bytes()
                digest = hashlib.sha256(data).hexdigest()
        except (FileNotFoundError, IsADirectoryError, PermissionError):
            continue
        file = SeedFile(name=name, size=st.st_size, mtime_ns=st.st_mtime_ns, sha256=digest)
        changed = old is None or old.sha256 != digest
        result.append(Scanned(file, data, changed))
    return result
