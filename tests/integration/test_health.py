"""/healthz and /readyz on real SQLite and PostgreSQL: empty, migrated, loaded, unreachable."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import fresh_postgres_database, messy_kenya_database
from tests.support.servers import free_port

pytestmark = pytest.mark.integration

RELEASE = "sha256:" + "ab" * 32


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with nothing in it: no tables, no alembic_version."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    return fresh_postgres_database(request.getfixturevalue("pg_server"))


def assert_unavailable(response, reason: str, release: str | None = None) -> None:
    """C2: a 503 with the reason, the release, and an API-style error with a sentence."""
    assert response.status_code == 503
    body = response.get_json()
    message = body["error"].pop("message")
    assert body == {
        "status": "unavailable",
        "reason": reason,
        "release": release,
        "error": {"code": reason},
    }
    assert message.endswith(".") and len(message) > 20


def test_empty_database_is_alive_but_not_ready(empty_url, make_app):
    client = make_app(empty_url, release=RELEASE).test_client()
    assert client.get("/healthz").status_code == 200
    assert_unavailable(client.get("/readyz"), "schema_outdated", RELEASE)


def test_migrated_database_without_data_has_no_dataset(db_url, make_app):
    assert_unavailable(make_app(db_url).test_client().get("/readyz"), "no_dataset")


def test_loaded_database_is_ready_and_names_release_and_dataset(db_url, tmp_path, make_app):
    app = make_app(messy_kenya_database(tmp_path, db_url), release=RELEASE)
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "release": RELEASE, "dataset": "kenya-2022"}


def test_an_older_schema_is_outdated(db_url, make_app):
    engine = sa.create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM alembic_version"))
    engine.dispose()
    assert_unavailable(make_app(db_url).test_client().get("/readyz"), "schema_outdated")


def test_a_newer_schema_keeps_the_serving_revision_ready(db_url, tmp_path, make_app):
    """Blue/green: the migration for the next release runs while this revision serves."""
    url = messy_kenya_database(tmp_path, db_url)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = 'ffff_next'"))
    engine.dispose()
    response = make_app(url).test_client().get("/readyz")
    assert response.status_code == 200, response.get_json()


def test_unreachable_database(make_app):
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none?connect_timeout=2"
    client = make_app(url).test_client()
    assert client.get("/healthz").status_code == 200
    assert_unavailable(client.get("/readyz"), "database_unreachable")


def test_readiness_costs_at_most_two_queries(db_url, tmp_path, make_app):
    app = make_app(messy_kenya_database(tmp_path, db_url))
    statements: list[str] = []
    engine = app.extensions["mycandidate.engine"]
    client = app.test_client()
    client.get("/readyz")  # warm the pool (pre-ping) and the app's memos
    sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for _ in range(3):
        assert client.get("/readyz").status_code == 200
    assert len(statements) <= 2 * 3, statements
