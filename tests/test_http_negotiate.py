"""negotiate.py: the RFC 9110 rules as pure functions (the servers are tested in test_http_rules)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seedfeed.negotiate import codings, etag_matches, http_date, not_modified

TAG = '"0123abcd"'
LM = 1_700_000_000  # Tue, 14 Nov 2023 22:13:20 GMT
NOW = LM + 86_400


@pytest.mark.parametrize(("header", "expected"), [
    (None, ("",)), ("", ("",)), ("gzip", ("gzip", "")), ("br, gzip", ("br", "gzip", "")),
    ("br;q=0.5, gzip;q=1", ("gzip", "br", "")), ("br;q=0.5", ("br", "")),
    ("gzip;q=0", ("",)), ("identity;q=0", ()), ("gzip, identity;q=0", ("gzip",)),
    ("*", ("br", "gzip", "")), ("*;q=0", ()), ("*;q=0, gzip", ("gzip",)),
    ("gzip;q=0.5, identity", ("", "gzip")), ("x-gzip", ("gzip", "")),
    ("gzip;q=bad, br", ("br", "")), ("GZip ; Q=0.8", ("gzip", "")),
])
def test_codings_by_q_value(header: str | None, expected: tuple[str, ...]) -> None:
    assert codings(header) == expected


@given(st.text(max_size=60))
def test_codings_never_raise_and_offer_only_what_exists(header: str) -> None:
    assert set(codings(header)) <= {"br", "gzip", ""}


@pytest.mark.parametrize(("header", "match"), [
    (TAG, True), (f"W/{TAG}", True), ("*", True), (f'"a", {TAG}', True),
    (f'W/"a",W/{TAG}', True), ('"0123abcd-gzip"', False), ('"a", "b"', False),
    ("0123abcd", False), (f'"a,{TAG[1:]}', False), ("", False),
])
def test_if_none_match_weak_comparison(header: str, match: bool) -> None:
    assert etag_matches(header, TAG) is match


@pytest.mark.parametrize("value", ["Tue, 14 Nov 2023 22:13:20 GMT",
                                   "Tuesday, 14-Nov-23 22:13:20 GMT", "Tue Nov 14 22:13:20 2023"])
def test_the_three_http_date_forms(value: str) -> None:
    assert http_date(value) == LM


@pytest.mark.parametrize("value", ["yesterday", "", "Tue, 14 Nov 2023 22:13:20 GMT, "
                                   "Tue, 14 Nov 2023 22:13:20 GMT"])
def test_not_a_date(value: str) -> None:
    assert http_date(value) is None


@pytest.mark.parametrize(("inm", "ims", "expected"), [
    (TAG, None, True), ('"other"', None, False),
    (None, "Tue, 14 Nov 2023 22:13:20 GMT", True),   # = Last-Modified
    (None, "Tue, 14 Nov 2023 23:00:00 GMT", True),   # later, still in the past
    (None, "Tue, 14 Nov 2023 22:13:19 GMT", False),  # earlier
    (None, "Fri, 01 Jan 2100 00:00:00 GMT", False),  # in the future: ignored
    (None, "garbage", False),
    (TAG, "Tue, 14 Nov 2023 00:00:00 GMT", True),    # If-None-Match wins
    ('"other"', "Tue, 14 Nov 2023 22:13:20 GMT", False),
])
def test_not_modified(inm: str | None, ims: str | None, expected: bool) -> None:
    assert not_modified(inm, ims, TAG, LM, NOW) is expected
