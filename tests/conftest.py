"""Shared fixtures: real PostgreSQL and Redis servers, app factories, the real datasets.

A missing prerequisite skips a test on a developer's machine but fails it in CI.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from mycandidate import create_app
from mycandidate.db import make_engine
from mycandidate.migrate import upgrade
from mycandidate.settings import Settings
from opsctl.errors import OpsError

IN_CI = bool(os.environ.get("CI"))
_db_names = itertools.count()


def require(condition: object, reason: str) -> None:
    if not condition:
        if IN_CI:
            pytest.fail(f"CI prerequisite missing: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real datasets (CI: ../shared/data), through MYCANDIDATE_DATA_DIR."""
    raw = os.environ.get("MYCANDIDATE_DATA_DIR")
    require(raw and (Path(raw) / "kenya-2022").is_dir(), "MYCANDIDATE_DATA_DIR with kenya-2022/")
    return Path(raw)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    from tests.support.servers import postgres

    try:
        with postgres(Path(tempfile.mkdtemp(prefix="mycandidate-pg-"))) as server:
            yield server.url
    except OpsError as exc:
        require(False, f"PostgreSQL server: {exc}")


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    from tests.support.servers import redis

    try:
        with redis(password="test-secret") as server:
            yield server.url
    except OpsError as exc:
        require(False, f"Redis server: {exc}")


def fresh_postgres_database(server_url: str) -> str:
    """A new empty database on the session's server: tests never see each other's rows."""
    name = f"t{os.getpid()}_{next(_db_names)}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database on each backend we support."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    else:
        url = fresh_postgres_database(request.getfixturevalue("pg_server"))
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def messy_kenya_database(folder: Path, url: str | None = None) -> str:
    """A migrated database (SQLite in `folder` unless a URL is given) with tests.messy loaded."""
    from mycandidate.importer import load_named
    from tests.messy import KENYA_FILES, write_files

    url = url or f"sqlite:///{folder / 'messy.sqlite3'}"
    eng = make_engine(url)
    upgrade(eng)
    write_files(folder / "data" / "kenya-2022", KENYA_FILES)
    load_named(eng, "kenya-2022", data_dir=folder / "data", cache_dir=folder / "cache")
    eng.dispose()
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def make_app() -> Iterator[Callable[..., Flask]]:
    """Build test apps; their connection pools are closed when the test ends."""
    apps: list[Flask] = []

    def build(database_url: str, **overrides: Any) -> Flask:
        settings = Settings(
            database_url=database_url, secret_key="test-key", testing=True, **overrides
        )
        apps.append(create_app(settings))
        return apps[-1]

    yield build
    for app in apps:
        app.extensions["mycandidate.engine"].dispose()
