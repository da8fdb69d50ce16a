"""Journal: what the index knows that the seeds cannot tell again, in a file beside the feeds.

Entry keys inherited through renames, first-seen and last-change times, settled dates,
numbers in the main stream and in each topic, tombstones: lose them and IDs, dates and
archive pages move. Every build appends one JSON line per entry or topic it changed
(feeds/.seedfeed-journal, a dotfile: never served); when the state database is lost or
damaged, the index is restored from it and the next build republishes the same documents.
The file is compacted when it grows past twice what it describes. A torn last line (a kill
mid-append) is skipped. Reading and writing only; what the records mean is the index's.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .publish import write_atomic
from .published import JOURNAL as NAME

log = logging.getLogger(__name__)

LEGACY = ".seedfeed-keys.json"  # the journal of inherited keys before it held everything


@dataclass
class Contents:
    """The journal read back: the last record per entry key and per topic."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    topics: dict[tuple[str, str], list[Any]] = field(default_factory=dict)
    next_number: int = 0
    lines: int = 0


def read(feeds: Path) -> Contents:
    out = Contents()
    try:
        with (feeds / NAME).open("rb") as fh:
            for raw in fh:
                out.lines += 1
                _take(out, raw)
    except FileNotFoundError:
        pass
    return out


def _take(out: Contents, raw: bytes) -> None:
    try:
        rec = json.loads(raw)
        if "k" in rec:
            out.entries[str(rec["k"])] = rec
        elif "topic" in rec:
            kind, name, _ = rec["topic"]
            out.topics[kind, name] = rec["topic"]
        elif "next" in rec:
            out.next_number = max(out.next_number, int(rec["next"]))
    except (ValueError, TypeError, KeyError):
        log.warning("skipping a damaged line in the journal %s", NAME)


def append(feeds: Path, records: list[dict[str, Any]], next_number: int) -> int:
    """Append these records (durably); returns the number of lines written."""
    if not records:
        return 0
    lines = [_line(r) for r in [*records, {"next": next_number}]]
    feeds.mkdir(parents=True, exist_ok=True)
    fd = os.open(feeds / NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, b"".join(lines))
        os.fsync(fd)
    finally:
        os.close(fd)
    return len(lines)


def rewrite(feeds: Path, records: list[dict[str, Any]], next_number: int) -> int:
    """Replace the journal by exactly these records (atomically); returns its lines."""
    lines = [_line(r) for r in [*records, {"next": next_number}]]
    write_atomic(feeds / NAME, b"".join(lines))
    (feeds / LEGACY).unlink(missing_ok=True)
    return len(lines)


def _line(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def legacy_keys(feeds: Path) -> dict[str, str]:
    """seed name -> inherited key, from the journal file of earlier versions."""
    try:
        data = json.loads((feeds / LEGACY).read_text("utf-8"))
        return {str(k): str(v) for k, v in data.items()}
    except (FileNotFoundError, ValueError, AttributeError):
        return {}
