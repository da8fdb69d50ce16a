"""Scan: find the seed files in the seeds folder and describe them (name, size, mtime, sha256).

It reads the disk but decides nothing about content; which names count is `is_ignored`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from .errors import SeedfeedError
from .model import SeedFile

log = logging.getLogger(__name__)

# Editor, sync and upload leftovers: never articles, skipped without a word.
_IGNORED_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", ".temp", ".part", ".partial", ".crdownload",
                     ".bak", ".orig", ".rej", "~")
_IGNORED_NAMES = {"Thumbs.db", "desktop.ini"}  # folder junk of file managers


def is_ignored(name: str) -> bool:
    """True for names that are never seeds: dotfiles, editor locks/swaps/backups, temp files."""
    parts = PurePosixPath(name).parts
    if any(p.startswith(".") for p in parts):  # dotfiles and dot-folders, .~lock.*# included
        return True
    return _ignored_base(parts[-1] if parts else name)


def _ignored_base(base: str) -> bool:
    if base.startswith((".", "~$")):  # dotfiles; Office owner files
        return True
    if base.startswith("#") and base.endswith("#"):  # Emacs autosave
        return True
    return base in _IGNORED_NAMES or base.lower().endswith(_IGNORED_SUFFIXES)


class Listed(NamedTuple):
    """A file found in the seeds folder: its size and mtime, or why it cannot be read. A
    problem with size -1 may pass (a permission, a loop): tried again on every scan; one
    with the file's real size and mtime lasts (a link out of the folder): tried again when
    those change."""

    name: str
    size: int
    mtime_ns: int
    problem: str | None = None

    @property
    def retry(self) -> bool:
        """Read it again even though size and mtime are as the index has them."""
        return self.problem is not None and self.size < 0


_warned_names: set[str] = set()


def _unlisted_name(name: str) -> bool:
    """Names that are not valid UTF-8 cannot be stored or shown: warn once, skip."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        if name not in _warned_names:
            _warned_names.add(name)
            log.warning("skipping %r: its file name is not valid UTF-8; rename it", name)
        return True
    return False


def _describe(seeds: Path, entry: os.DirEntry[str] | _Entry, name: str) -> Listed | None:
    """One directory entry; None for what is not a regular file (or is gone already)."""
    try:
        outside = entry.is_symlink() and not Path(entry.path).resolve(strict=True).is_relative_to(
            seeds.resolve())
        st = entry.stat()
    except FileNotFoundError:  # deleted between listing and stat, or a dangling link
        return None
    except (OSError, RuntimeError) as e:  # a link loop, a permission problem
        return Listed(name, -1, 0, f"cannot read: {getattr(e, 'strerror', None) or e}")
    if not stat.S_ISREG(st.st_mode):
        return None
    if outside:
        return Listed(name, st.st_size, st.st_mtime_ns,
                      "a link to a file outside the seeds folder; copy the file in instead")
    if st.st_nlink > 1:  # another name for a file that may live anywhere (ln /etc/passwd)
        return Listed(name, st.st_size, st.st_mtime_ns,
                      f"a hard link (the file has {st.st_nlink} names, which may be outside "
                      "the seeds folder); copy the file in instead")
    return Listed(name, st.st_size, st.st_mtime_ns)


def walk(seeds: Path, *, ignored: bool = False) -> list[Listed]:
    """Every regular file below `seeds`, sorted by name; files that `is_ignored` are left
    out unless `ignored` is true. A folder that cannot be listed is an error (SeedfeedError):
    a partial listing must never read as "those seeds were deleted". One scandir per folder
    and one stat per file: this is the scheduler's idle path."""
    found: list[Listed] = []
    folders = [(seeds, "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as e:
            raise SeedfeedError(f"cannot list {e.filename}: {e.strerror}; "
                                "the published feeds are kept") from e
        for entry in entries:
            name = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if ignored or not entry.name.startswith("."):
                    folders.append((Path(entry.path), name + "/"))
                continue
            if (not ignored and _ignored_base(entry.name)) or _unlisted_name(name):
                continue
            if (item := _describe(seeds, entry, name)) is not None:
                found.append(item)
    return sorted(found, key=lambda t: t.name)


def describe(seeds: Path, names: Iterable[str]) -> tuple[list[Listed], bool]:
    """The listing of just these names (those the file system reported), and whether a
    folder among them needs a full walk. A name that is gone is simply not listed."""
    found, walk_needed = [], False
    for name in sorted(set(names)):
        if is_ignored(name) or _unlisted_name(name):
            continue
        path = seeds / name
        try:
            if path.is_dir() and not path.is_symlink():
                walk_needed = True
                continue
        except OSError:
            pass
        if (item := _describe(seeds, _Entry(path), name)) is not None:
            found.append(item)
    return found, walk_needed


class _Entry:
    """The two questions _describe asks of a directory entry, for a single path."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def is_symlink(self) -> bool:
        return os.path.islink(self.path)

    def stat(self) -> os.stat_result:
        return os.stat(self.path)


@dataclass(frozen=True)
class Scanned:
    """A seed file and, when it is new or changed and not over the size limit, its bytes;
    `problem` says why a file could not be read at all."""

    file: SeedFile
    data: bytes | None
    changed: bool
    problem: str | None = None


def read(path: Path, item: Listed, old: SeedFile | None, max_bytes: int) -> Scanned | None:
    """Read and hash the file `item` describes (at `path`); None when it has gone since.
    A file over `max_bytes` is not read at all; one that cannot be read comes back
    with its `problem` (and size -1, so that the next scan tries again)."""
    if item.problem:  # its size and mtime are kept when the problem lasts (item.retry)
        return Scanned(SeedFile(item.name, item.size, item.mtime_ns, ""), None, True, item.problem)
    try:
        if item.size > max_bytes:  # never read: its identity is its size and mtime
            data = None
            digest = hashlib.sha256(f"over the limit {item.size} {item.mtime_ns}".encode()).hexdigest()
        else:
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
    except FileNotFoundError:
        return None
    except OSError as e:
        problem = f"cannot read: {e.strerror or e}"
        return Scanned(SeedFile(item.name, -1, 0, ""), None, True, problem)
    file = SeedFile(name=item.name, size=item.size, mtime_ns=item.mtime_ns, sha256=digest)
    return Scanned(file, data, old is None or old.sha256 != digest)


def scan(seeds: Path, known: Mapping[str, SeedFile], max_bytes: int,
         listing: Iterable[Listed] | None = None) -> Iterator[Scanned]:
    """Describe every seed (of `listing`, default `walk(seeds)`), one at a time. A file whose
    size and mtime match `known` is not read again; a file over `max_bytes` is not read;
    a file that cannot be read comes with its `problem`."""
    for item in walk(seeds) if listing is None else listing:
        old = known.get(item.name)
        if (not item.retry and old is not None and old.size == item.size
                and old.mtime_ns == item.mtime_ns):
            yield Scanned(old, None, False)
        elif (scanned := read(seeds / item.name, item, old, max_bytes)) is not None:
            yield scanned
