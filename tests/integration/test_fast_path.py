"""Ward answers served before Flask are the same bytes Flask would send, header for header."""

import pytest
import redis as redis_lib
from flask import request

from tests.conftest import messy_kenya_database

pytestmark = pytest.mark.integration

PATHS = ["/api/v1/wards/1/candidates", "/api/v1/wards/1", "/api/v1/wards/1/ballot"]


def seen_by_flask(app):
    """Record the paths Flask itself handles (the fast path answers without them)."""
    seen = []
    app.before_request(lambda: seen.append(request.path))
    return seen


def wire(response):
    return response.status, list(response.headers), response.data


@pytest.fixture
def apps(tmp_path, redis_server, make_app):
    redis_lib.Redis.from_url(redis_server).flushdb()
    url = messy_kenya_database(tmp_path)
    cached = make_app(url, redis_url=redis_server)
    reference = make_app(url)  # no Redis: every answer comes from Flask and the database
    return cached, reference


@pytest.mark.parametrize("path", PATHS)
def test_a_held_answer_skips_flask_and_matches_it(apps, path):
    cached, reference = apps
    seen = seen_by_flask(cached)
    client, ref = cached.test_client(), reference.test_client()
    client.get(path)  # built, stored in Redis
    client.get(path)  # read back from Redis: now this worker holds it
    assert seen == [path, path]

    expected = ref.get(path)
    assert wire(client.get(path)) == wire(expected)
    assert wire(client.head(path)) == wire(ref.head(path))
    etag = expected.headers["ETag"]
    not_modified = client.get(path, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert wire(not_modified) == wire(ref.get(path, headers={"If-None-Match": etag}))
    other = {"If-None-Match": '"something-else", W/"x"'}
    assert wire(client.get(path, headers=other)) == wire(ref.get(path, headers=other))
    assert seen == [path, path]  # none of the later answers went through Flask


def test_misses_errors_and_other_methods_go_to_flask(apps):
    cached, reference = apps
    seen = seen_by_flask(cached)
    client, ref = cached.test_client(), reference.test_client()
    for path in ["/api/v1/wards/999/candidates", "/api/v1/wards/x1/candidates", "/api/v1/wards"]:
        for _ in range(3):
            assert wire(client.get(path)) == wire(ref.get(path))
    client.get(PATHS[0])
    client.get(PATHS[0])
    post = client.post(PATHS[0])
    assert post.status_code == 405 and wire(post) == wire(ref.post(PATHS[0]))
    assert client.get(PATHS[0] + "/").status_code == 404
    assert seen.count("/api/v1/wards/999/candidates") == 3
    assert seen.count(PATHS[0]) == 3 and seen.count(PATHS[0] + "/") == 1
