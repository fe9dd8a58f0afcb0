"""Redis cache against a real Redis server: per-ward keys, versioned, and an outage costs speed only."""

import logging

import pytest
import redis as redis_lib

from mycandidate.cache import Answer
from tests.conftest import messy_kenya_database
from tests.support.servers import free_port, redis

pytestmark = pytest.mark.integration


@pytest.fixture
def loaded_url(tmp_path):
    return messy_kenya_database(tmp_path)


def test_each_ward_has_its_own_versioned_key(loaded_url, redis_server, make_app):
    store = redis_lib.Redis.from_url(redis_server)
    store.flushdb()
    client = make_app(loaded_url, redis_url=redis_server).test_client()
    one = client.get("/api/v1/wards/1/candidates")
    two = client.get("/api/v1/wards/2/candidates")
    assert one.get_json() != two.get_json()  # the original served one cached list to everyone
    keys = sorted(k.decode() for k in store.keys("mycandidate:*"))
    assert len(keys) == 2
    assert all(k.startswith("mycandidate:v1:kenya-2022:") for k in keys)
    assert keys[0].endswith(":ward:1:candidates") and keys[1].endswith(":ward:2:candidates")


def test_cache_hit_serves_the_stored_bytes(loaded_url, redis_server, make_app):
    store = redis_lib.Redis.from_url(redis_server)
    store.flushdb()
    client = make_app(loaded_url, redis_url=redis_server).test_client()
    first = client.get("/api/v1/wards/1/candidates")
    (key,) = store.keys("mycandidate:*")
    etag, _, body = store.get(key).partition(b"\n")
    assert body == first.data and etag.decode() == first.headers["ETag"].strip('"')
    # Prove the second answer comes from Redis: change the stored body.
    store.set(key, etag + b"\n" + b'["from-cache"]')
    assert client.get("/api/v1/wards/1/candidates").get_json() == ["from-cache"]


def test_redis_unreachable_costs_speed_only(loaded_url, make_app, caplog):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    client = make_app(loaded_url, redis_url=dead).test_client()
    with caplog.at_level(logging.WARNING, logger="mycandidate.cache"):
        response = client.get("/api/v1/wards/1/candidates")
    assert response.status_code == 200 and len(response.get_json()) == 4
    assert any("redis get failed" in r.getMessage() for r in caplog.records)


def test_redis_going_down_mid_flight(loaded_url, make_app):
    with redis() as server:
        client = make_app(loaded_url, redis_url=server.url).test_client()
        warm = client.get("/api/v1/wards/1/candidates").get_json()
    # The server is gone now; the app answers from the database.
    assert client.get("/api/v1/wards/1/candidates").get_json() == warm
    assert client.get("/api/v1/wards/2/candidates").status_code == 200


def test_reloading_the_same_files_never_serves_old_candidate_ids(
    db_url, redis_server, make_app, tmp_path
):
    import sqlalchemy as sa

    from mycandidate.db import make_engine
    from mycandidate.importer import load_named

    url = messy_kenya_database(tmp_path, db_url)
    store = redis_lib.Redis.from_url(redis_server)
    store.flushdb()
    make_app(url, redis_url=redis_server).test_client().get("/api/v1/wards/1/candidates")
    engine = make_engine(url)
    load_named(engine, "kenya-2022", data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    with engine.connect() as connection:
        stored = set(
            connection.execute(
                sa.text(
                    "SELECT c.id FROM candidates c JOIN areas a ON a.id = c.area_id "
                    "WHERE a.kind = 'ward' AND a.code = '1'"
                )
            ).scalars()
        )
    engine.dispose()
    after = make_app(url, redis_url=redis_server).test_client()
    served = {c["id"] for c in after.get("/api/v1/wards/1/candidates").get_json()}
    assert served == stored  # PostgreSQL renumbers on a re-load; the cache key follows


def test_rendered_pages_are_cached_per_query_and_host(loaded_url, redis_server, make_app):
    store = redis_lib.Redis.from_url(redis_server)
    store.flushdb()
    client = make_app(loaded_url, redis_url=redis_server).test_client()
    first = client.get("/?ballot=ward&area=1")
    assert "Port Reitz" in first.get_data(as_text=True)
    (key,) = store.keys("mycandidate:*:page:*")
    assert Answer.decode(store.get(key)).body == first.data
    store.set(key, Answer.of(b"<p>from cache</p>").encode())
    assert client.get("/?ballot=ward&area=1").data == b"<p>from cache</p>"
    # Another query or another host (the embed snippet names it) is another page.
    assert b"Kipevu" in client.get("/?ballot=ward&area=2").data
    other_host = client.get("/?ballot=ward&area=1", base_url="https://vote.example.org")
    assert b"https://vote.example.org/?ballot=ward" in other_host.data
    assert len(store.keys("mycandidate:*:page:*")) == 3
