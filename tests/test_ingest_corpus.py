"""Every file of the shared corpus through the ingest code path, against expected.json."""

from __future__ import annotations

import json
import re
from zoneinfo import ZoneInfo

import pytest

from seedfeed.errors import SeedError
from seedfeed.ingest import parse_seed
from seedfeed.scan import is_ignored

from .conftest import CORPUS

ZONE = ZoneInfo("Asia/Shanghai")
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
NOT_SEEDS = {"README.md", "expected.json"}


def _cases(kind: str) -> list[str]:
    return sorted(n for n, e in EXPECTED.items() if e["expect"] == kind)


def test_expected_covers_every_corpus_file() -> None:
    on_disk = {p.name for p in CORPUS.iterdir()} - NOT_SEEDS
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", _cases("ignore"))
def test_ignored(name: str) -> None:
    assert is_ignored(name)


@pytest.mark.parametrize("name", _cases("ok") + _cases("reject"))
def test_not_ignored(name: str) -> None:
    assert not is_ignored(name)


@pytest.mark.parametrize("name", _cases("reject"))
def test_rejected_with_reason(name: str) -> None:
    with pytest.raises(SeedError) as info:
        parse_seed((CORPUS / name).read_bytes(), name, ZONE)
    assert info.value.reason.strip()


@pytest.mark.parametrize("name", _cases("ok"))
def test_parsed(name: str) -> None:
    want = EXPECTED[name]
    art = parse_seed((CORPUS / name).read_bytes(), name, ZONE)
    got = {
        "title": art.title,
        "published": art.published.isoformat() if art.published else None,
        "source": art.source,
        "author": art.author,
        "editor": art.editor,
    }
    assert got == {k: want[k] for k in got}
    paragraphs = [p.strip(" \u3000\u00a0\t") for p in art.paragraphs]
    assert paragraphs and all(paragraphs)
    assert paragraphs[0].startswith(want["first_paragraph_starts"])
    assert paragraphs[-1].endswith(want["last_paragraph_ends"])
    body = art.content_text
    for s in want["must_contain"]:
        assert s in body, s
    for s in want["must_not_contain"]:
        assert s not in body, s
        assert s not in art.title, s
        if not re.fullmatch(r"&\w+;", s):  # entity forms are legitimate in escaped HTML
            assert s not in art.content_html, s
    for key in ("id", "url", "tags", "updated"):
        if key in want:
            value = {"id": art.declared_id, "url": art.url, "tags": list(art.tags),
                     "updated": art.updated.isoformat() if art.updated else None}[key]
            assert value == want[key], key
