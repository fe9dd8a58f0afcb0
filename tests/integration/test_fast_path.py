"""Answers replayed before Flask are the bytes Flask sent, header for header, per encoding."""

import gzip

import brotli
import pytest
import redis as redis_lib
from flask import request

from tests.conftest import messy_kenya_database

pytestmark = pytest.mark.integration

PATHS = [
    "/api/v1/wards/1/candidates",
    "/api/v1/wards/1",
    "/api/v1/wards/1/ballot",
    "/api/v1/wards?q=port",
    "/?ballot=ward&area=1",
]
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}


def seen_by_flask(app):
    """Record the paths Flask itself handles (the fast path answers without them)."""
    seen = []
    app.before_request(lambda: seen.append(request.full_path.rstrip("?")))
    return seen


def wire(response):
    return response.status, list(response.headers), response.data


def decoded(response):
    """The wire with the body decoded: gzip output carries its time, so bytes may differ."""
    encoding = response.headers.get("Content-Encoding")
    body = DECODE[encoding](response.data) if encoding else response.data
    return response.status, list(response.headers), body


@pytest.fixture(params=["redis", "in-process"])
def apps(request, tmp_path, make_app):
    url = messy_kenya_database(tmp_path)
    overrides = {}
    if request.param == "redis":
        overrides["redis_url"] = request.getfixturevalue("redis_server")
        redis_lib.Redis.from_url(overrides["redis_url"]).flushdb()
    cached = make_app(url, **overrides)
    reference = make_app(url)
    reference.wsgi_app = reference.wsgi_app._next  # Flask alone, no fast path in front
    return cached, reference


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("encoding", ["", "gzip", "br"])
def test_a_sent_answer_is_replayed_without_flask_and_matches_it(apps, path, encoding):
    cached, reference = apps
    seen = seen_by_flask(cached)
    client, ref = cached.test_client(), reference.test_client()
    headers = {"Accept-Encoding": encoding} if encoding else {}
    client.get("/readyz")  # the worker learns the served dataset
    first = client.get(path, headers=headers)  # through Flask, kept
    assert seen[1:] == [path]

    expected = ref.get(path, headers=headers)
    assert decoded(first) == decoded(expected)
    assert wire(client.get(path, headers=headers)) == wire(first)  # the very bytes sent
    assert wire(client.head(path, headers=headers)) == wire(ref.head(path, headers=headers))
    assert seen[1:] == [path]  # the replays never reached Flask
    assert "Accept-Encoding" in expected.headers["Vary"]
    identity = ref.get(path).data
    if encoding and len(identity) < 500:  # too small to gain from compression
        assert "Content-Encoding" not in expected.headers
    elif encoding:
        assert expected.headers["Content-Encoding"] == encoding
        assert DECODE[encoding](client.get(path, headers=headers).data) == identity
        assert expected.headers["ETag"] != ref.get(path).headers["ETag"]

    etag = expected.headers["ETag"]
    conditional = {**headers, "If-None-Match": etag}
    not_modified = client.get(path, headers=conditional)
    assert not_modified.status_code == 304
    assert wire(not_modified) == wire(ref.get(path, headers=conditional))
    other = {**headers, "If-None-Match": '"something-else", W/"x"'}
    assert decoded(client.get(path, headers=other)) == decoded(ref.get(path, headers=other))


def test_misses_errors_and_other_methods_go_to_flask(apps):
    cached, reference = apps
    seen = seen_by_flask(cached)
    client, ref = cached.test_client(), reference.test_client()
    client.get("/readyz")
    for path in ["/api/v1/wards/999/candidates", "/api/v1/wards/x1/candidates", "/nowhere"]:
        for _ in range(3):
            assert wire(client.get(path)) == wire(ref.get(path))
        assert seen.count(path) == 3
    client.get(PATHS[0])
    post = client.post(PATHS[0])
    assert post.status_code == 405 and wire(post) == wire(ref.post(PATHS[0]))
    assert client.get(PATHS[0] + "/").status_code == 404
    assert seen.count(PATHS[0]) == 2 and seen.count(PATHS[0] + "/") == 1


def test_the_same_path_on_another_host_is_another_answer(apps):
    cached, _ = apps
    client = cached.test_client()
    client.get("/readyz")
    for _ in range(2):
        here = client.get(PATHS[-1]).data
        there = client.get(PATHS[-1], base_url="https://vote.example.org").data
    assert b"https://vote.example.org/?ballot=ward" in there
    assert b"https://vote.example.org/" not in here
