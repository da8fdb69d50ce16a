"""Permanent entry identity: the key an article is known by, and the ID readers see.

Pure. The ID is a name-based UUID (RFC 9562 v5) of the key, so the same seed gives the same
ID on every machine and after the state database is lost; it never depends on base_url,
the title, the body or the date.
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from pathlib import PurePosixPath

from .model import Article

# seedfeed's own namespace for v5 UUIDs; changing it would change every published ID.
NAMESPACE = uuid.UUID("6f1c8a52-3d0e-5b7a-9c41-2e8f0d6b7a93")


def declared_key(article: Article) -> str | None:
    """The key an article names for itself (front-matter id, canonical URL), if any."""
    if article.declared_id:
        return f"id:{article.declared_id.strip()}"
    if article.url:
        return f"url:{article.url.strip()}"
    return None


def seed_key(seed_name: str) -> str:
    """The key of a seed that declares none: its path in the seeds folder (with the suffix:
    a.txt and a.md are two articles). The index carries the key over renames."""
    return f"seed:{PurePosixPath(seed_name).as_posix()}"


@lru_cache(maxsize=1 << 16)  # keys are short strings; a build asks again for every stream
def entry_uuid(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, key)


def entry_id(key: str) -> str:
    """The entry ID in every feed format (Atom id, RSS guid, JSON Feed id)."""
    return entry_uuid(key).urn


def entry_slug(key: str) -> str:
    """The path segment of the article page: /articles/<slug>."""
    return str(entry_uuid(key))
