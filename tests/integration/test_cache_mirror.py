"""ResponseCache against a real Redis: the local mirror holds only what Redis returned."""

import pytest
import redis as redis_lib

from mycandidate.cache import Answer, ResponseCache
from mycandidate.queries import ActiveDataset
from tests.support.servers import redis

pytestmark = pytest.mark.integration
KENYA = ActiveDataset(id=1, name="kenya-2022", version="v1")


def test_a_value_read_from_redis_is_served_locally_after_redis_goes_away():
    with redis() as server:
        cache = ResponseCache(server.url, ttl=60)
        key = cache.key(KENYA, "ward", "1", "candidates")
        cache.set(key, Answer("etag", b"[1]"))
        assert cache.get(key) == Answer("etag", b"[1]")
    # Redis is gone: the mirror still answers for the key it read.
    assert cache.get(key) == Answer("etag", b"[1]")
    assert cache.get(cache.key(KENYA, "ward", "2", "candidates")) is None


def test_a_value_only_written_is_read_back_from_redis(redis_server):
    cache = ResponseCache(redis_server, ttl=60)
    key = cache.key(KENYA, "ward", "3", "candidates")
    cache.set(key, Answer("etag", b"[3]"))
    redis_lib.Redis.from_url(redis_server).set(key, b"etag\n[changed]")
    assert cache.get(key) == Answer("etag", b"[changed]")


def test_without_redis_answers_are_kept_in_process_per_dataset_version():
    cache = ResponseCache(None, ttl=60)
    key = cache.key(KENYA, "ward", "1", "candidates")
    cache.set(key, Answer.of(b"[1]"))
    assert cache.get(key) == Answer.of(b"[1]")
    reloaded = ActiveDataset(id=2, name="kenya-2022", version="v1")
    assert cache.get(cache.key(reloaded, "ward", "1", "candidates")) is None
