"""ResponseCache against a real Redis: the local mirror holds only what Redis returned."""

import pytest
import redis as redis_lib

from mycandidate.cache import ResponseCache
from mycandidate.queries import ActiveDataset
from opsctl.adapters.services import redis

pytestmark = pytest.mark.integration
KENYA = ActiveDataset(id=1, name="kenya-2022", version="v1")


def test_a_value_read_from_redis_is_served_locally_after_redis_goes_away():
    with redis() as server:
        cache = ResponseCache(server.url, ttl=60)
        key = cache.key(KENYA, "ward", "1", "candidates")
        cache.set(key, b"etag\n[1]")
        assert cache.get(key) == b"etag\n[1]"
    # Redis is gone: the mirror still answers for the key it read.
    assert cache.get(key) == b"etag\n[1]"
    assert cache.get(cache.key(KENYA, "ward", "2", "candidates")) is None


def test_a_value_only_written_is_read_back_from_redis(redis_server):
    cache = ResponseCache(redis_server, ttl=60)
    key = cache.key(KENYA, "ward", "3", "candidates")
    cache.set(key, b"etag\n[3]")
    redis_lib.Redis.from_url(redis_server).set(key, b"etag\n[changed]")
    assert cache.get(key) == b"etag\n[changed]"


def test_without_redis_nothing_is_cached():
    cache = ResponseCache(None, ttl=60)
    cache.set("k", b"v")
    assert cache.get("k") is None
