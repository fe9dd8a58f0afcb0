"""The per-worker mirror in front of Redis: bounded, expiring, most recently used kept."""

import pytest

from mycandidate.cache import Answer, LocalMirror

pytestmark = pytest.mark.unit


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_entries_expire_after_their_ttl():
    clock = Clock()
    mirror = LocalMirror(ttl=60, max_bytes=1000, clock=clock)
    mirror.put("k", b"body")
    clock.now += 59
    assert mirror.get("k") == b"body"
    clock.now += 2
    assert mirror.get("k") is None


def test_the_byte_budget_evicts_the_least_recently_used():
    mirror = LocalMirror(ttl=60, max_bytes=10, clock=Clock())
    mirror.put("a", b"aaaa")
    mirror.put("b", b"bbbb")
    assert mirror.get("a") == b"aaaa"  # now b is the least recently used
    mirror.put("c", b"cccc")
    assert mirror.get("b") is None
    assert mirror.get("a") == b"aaaa" and mirror.get("c") == b"cccc"


def test_replacing_a_key_keeps_the_budget_exact_and_oversized_values_are_not_kept():
    mirror = LocalMirror(ttl=60, max_bytes=8, clock=Clock())
    for _ in range(5):
        mirror.put("a", b"aaaa")
    mirror.put("b", b"bbbb")
    assert mirror.get("a") == b"aaaa" and mirror.get("b") == b"bbbb"
    mirror.put("huge", b"x" * 9)
    assert mirror.get("huge") is None
    assert mirror.get("a") == b"aaaa"


def test_an_answer_is_stored_as_its_etag_a_newline_and_its_body():
    answer = Answer.of(b'{"a":"\n"}')
    assert answer.encode() == answer.etag.encode() + b'\n{"a":"\n"}'
    assert Answer.decode(answer.encode()) == answer
    assert Answer.of(b"x").etag != Answer.of(b"y").etag
