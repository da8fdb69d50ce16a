"""Resolve: decide which parsed seeds become which feed entries. Pure; touches nothing.

Given this scan's seed records and what the index remembers, it decides each seed's entry
key (so IDs survive edits and renames), which seeds merely repeat another (duplicates), which
versions of one article win (revisions), each entry's settled dates, and which entries are
not yet due (a date in the future, within the horizon: scheduled, held back until then).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from .ids import declared_key, entry_id, entry_slug, seed_key
from .ingest.images import in_body
from .model import Article, Entry, EntryState, SeedRecord, article_to_json

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Resolution:
    records: list[SeedRecord]  # every current seed, with the key it is published under
    entries: list[Entry]  # newest first
    states: list[EntryState]  # entry states to store (new or changed)
    duplicate_of: dict[str, str]  # seed name -> the seed it repeats
    revision_of: dict[str, str]  # newest version's seed name -> the older version it replaces
    replaced_by: dict[str, str]  # older version's seed name -> the newest version
    scheduled: dict[str, tuple[str, datetime]]  # key -> (seed, when it is due): build again then


HORIZON_WARNING = ("its date {} is more than {} days ahead, taken for a mistake: published now, "
                   "dated by when it was first seen")


@lru_cache(maxsize=4096)  # a chunk and its related seeds; articles are kept alive
def fingerprint(article: Article) -> str:
    """Identity of the text itself: equal for the same article in any encoding or line end.
    (Cached: a build asks it of the same records several times.)"""
    text = json.dumps([article.title, list(article.paragraphs)], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def content_hash(article: Article) -> str:
    """Changes whenever anything a reader sees changes. Not with `date_only` alone: the
    feeds show the same instant either way, and an entry's `updated` must not move for
    every date-only article when the flag first appears (the pages are rendered again
    anyway, with the code that reads it). Nor with a lead image the body already shows:
    the body is in the hash, and the image's first appearance must not move `updated`."""
    if article.date_only:
        article = replace(article, date_only=False)
    if article.image and not article.image_type and in_body(article.image, article.content_html):
        article = replace(article, image=None)
    return hashlib.sha256(article_to_json(article).encode()).hexdigest()


def _find_duplicates(ok: Sequence[SeedRecord], previous: Mapping[str, SeedRecord],
                     hints: Mapping[str, str]) -> dict[str, str]:
    """Seeds whose text repeats another's; the one published before (known to the index
    or to the journal), else the first by name, stays."""
    groups: dict[str, list[SeedRecord]] = {}
    for r in ok:
        assert r.article is not None
        groups.setdefault(fingerprint(r.article), []).append(r)
    dups: dict[str, str] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda r: (not (getattr(previous.get(r.file.name), "key", None)
                                       or r.file.name in hints), r.file.name))
        dups.update({r.file.name: group[0].file.name for r in group[1:]})
    return dups


def _key_for(r: SeedRecord, previous: Mapping[str, SeedRecord], hints: Mapping[str, str],
             renamed: Mapping[str, str], used: set[str]) -> str:
    assert r.article is not None
    declared = declared_key(r.article)
    if declared:
        return declared
    before = previous.get(r.file.name)
    if before is not None and before.key:
        return before.key  # an edited seed keeps its entry
    if r.file.name in hints:
        return hints[r.file.name]  # the key journal: a rename from before the index was lost
    for found in (renamed.get(r.file.sha256), renamed.get(fingerprint(r.article))):
        if found and found not in used:  # one heir per rename
            return found
    return seed_key(r.file.name)


def _renamed(current: Sequence[SeedRecord], previous: Mapping[str, SeedRecord]) -> dict[str, str]:
    """Keys of seeds that disappeared this scan, by their sha256 and by their text's
    fingerprint: a new name with the same bytes, or the same text re-encoded, is a rename."""
    names = {r.file.name for r in current}
    out: dict[str, str] = {}
    for n, p in sorted(previous.items()):
        if n not in names and p.key and p.article is not None:
            out.setdefault(p.file.sha256, p.key)
            out.setdefault(fingerprint(p.article), p.key)
    return out


def _kept_key(r: SeedRecord, previous: Mapping[str, SeedRecord]) -> str | None:
    before = previous.get(r.file.name)
    return before.key if r.article is None and before is not None else None


def _version_order(r: SeedRecord) -> tuple[datetime, int, str]:
    a = r.article
    assert a is not None
    return (a.updated or a.published or _EPOCH, r.file.mtime_ns, r.file.name)


@dataclass(frozen=True)
class Clock:
    """When this build runs, and how far ahead a seed's date may be before it is taken for
    a mistake. The horizon is measured from the entry's first-seen time once it has one, so
    an entry published early for a mistaken date stays published as time goes by."""

    now: datetime
    horizon: timedelta

    def _limit(self, state: EntryState | None) -> datetime:
        return (state.first_seen if state else self.now) + self.horizon

    def ahead(self, moment: datetime | None, state: EntryState | None) -> bool:
        """A date that is not due yet, but plausible: the entry waits for it."""
        return moment is not None and self.now < moment <= self._limit(state)

    def beyond(self, moment: datetime | None, state: EntryState | None) -> bool:
        """A date too far ahead to be meant: ignored."""
        return moment is not None and moment > self._limit(state)


def _settle(key: str, winner: SeedRecord, state: EntryState | None,
            clock: Clock) -> tuple[Entry, EntryState]:
    """Dates that never move: first-seen stored once, `updated` only moves on a real change.
    A date beyond the horizon counts as none; an `updated` still ahead counts once due."""
    article, now = winner.article, clock.now
    assert article is not None
    chash = content_hash(article)
    if state is None:
        seen = datetime.fromtimestamp(winner.file.mtime_ns / 1e9, now.tzinfo)
        state = EntryState(key, min(seen, now), chash, None)
    elif state.content_hash != chash:
        state = replace(state, content_hash=chash, changed_at=now)
    declared = None if clock.beyond(article.published, state) else article.published
    published = declared or state.first_seen.astimezone(now.tzinfo)
    later = article.updated if article.updated and article.updated <= now else None
    updated = later or state.changed_at or published
    if state.changed_at and state.changed_at > updated:
        updated = state.changed_at
    updated = max(updated, published).astimezone(now.tzinfo)
    entry = Entry(id=entry_id(key), slug=entry_slug(key), seed=winner.file.name,
                  article=article, published=published.replace(microsecond=0),
                  updated=updated.replace(microsecond=0), key=key)
    return entry, state


def _warn_beyond(r: SeedRecord, clock: Clock, state: EntryState | None) -> SeedRecord:
    """The record with a warning when its date is beyond the horizon (once)."""
    a = r.article
    if a is None or not clock.beyond(a.published, state):
        return r
    assert a.published is not None
    days = clock.horizon / timedelta(days=1)
    warning = HORIZON_WARNING.format(a.published.isoformat(), f"{days:g}")
    if warning in a.warnings:
        return r
    return replace(r, article=replace(a, warnings=(*a.warnings, warning)))


def _due(r: SeedRecord, clock: Clock, state: EntryState | None) -> datetime | None:
    """When a version's date is still ahead (within the horizon): when it is due."""
    a = r.article
    assert a is not None
    ahead = [d for d in (a.published, a.updated) if d is not None and clock.ahead(d, state)]
    return min(ahead) if ahead else None


def _pick(key: str, versions: list[SeedRecord], clock: Clock, state: EntryState | None,
          scheduled: dict[str, tuple[str, datetime]]) -> list[SeedRecord]:
    """The versions that may be published now; notes when the key is next due
    (a version dated ahead, or a later `updated` of one that is live)."""
    live = [v for v in versions if v.article and not clock.ahead(v.article.published, state)]
    waits = [(d, v.file.name) for v in versions if (d := _due(v, clock, state))]
    if waits:
        when, seed = min(waits)
        scheduled[key] = (seed, when)
    return live


def resolve(current: Sequence[SeedRecord], previous: Mapping[str, SeedRecord],
            states: Mapping[str, EntryState], now: datetime,
            hints: Mapping[str, str] | None = None,
            horizon: timedelta = timedelta(days=30)) -> Resolution:
    """Decide keys, duplicates, revisions and dates for one build. `now` is zone-aware;
    `hints` (name -> key) are the keys the journal restored, for seeds the index has lost;
    a date more than `horizon` ahead is taken for a mistake."""
    clock = Clock(now, horizon)
    ok = [r for r in current if r.article is not None]
    dups = _find_duplicates(ok, previous, hints or {})
    renamed = _renamed(current, previous)
    used: set[str] = set()
    by_key: dict[str, list[SeedRecord]] = {}
    keyed: dict[str, SeedRecord] = {}
    for r in ok:
        if r.file.name in dups:
            continue
        key = _key_for(r, previous, hints or {}, renamed, used)
        used.add(key)
        keyed[r.file.name] = _warn_beyond(replace(r, key=key), clock, states.get(key))
        by_key.setdefault(key, []).append(keyed[r.file.name])
    entries, new_states, revision_of, replaced_by = [], [], {}, {}
    scheduled: dict[str, tuple[str, datetime]] = {}
    for key, every in by_key.items():
        versions = sorted(_pick(key, every, clock, states.get(key), scheduled),
                          key=_version_order)
        if not versions:
            continue  # every version is dated ahead: nothing to publish yet
        winner = versions[-1]
        if len(versions) > 1:
            revision_of[winner.file.name] = versions[-2].file.name
            replaced_by.update({v.file.name: winner.file.name for v in versions[:-1]})
        entry, state = _settle(key, winner, states.get(key), clock)
        entries.append(entry)
        if state != states.get(key):
            new_states.append(state)
    entries.sort(key=lambda e: (e.published, e.id), reverse=True)
    # A seed rejected for now (saved empty mid-edit) keeps its key for when it comes back.
    records = [keyed.get(r.file.name) or replace(r, key=_kept_key(r, previous)) for r in current]
    return Resolution(records, entries, new_states, dups, revision_of, replaced_by, scheduled)
