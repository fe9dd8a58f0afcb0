"""Engines and sessions. Nothing is created at import; the app and the CLI build them."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

# What an unreachable database raises (refused, dropped or shut-down connections). A
# request that meets it answers 503 with this many seconds in Retry-After.
OUTAGE_ERRORS = (OperationalError,)
RETRY_AFTER = 5


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; for SQLite, make its directory and enforce foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 5)
    return create_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets gunicorn workers read while a load writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


class Outage:
    """Whether this worker can reach the database: one log line when it stops, one when back."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._clock = clock
        self._since: float | None = None
        self._lock = threading.Lock()

    @property
    def down(self) -> bool:
        return self._since is not None

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            if self._since is not None:
                return
            self._since = self._clock()
        reason = str(exc.__cause__ or exc).strip().splitlines()[0][:200]
        log.warning("database unreachable: serving cached answers, 503 for the rest (%s)", reason)

    def recovered(self) -> None:
        with self._lock:
            since, self._since = self._since, None
        if since is not None:
            log.warning("database reachable again after %.0fs", self._clock() - since)


# --- Flask wiring: one engine per app, one session per request --------------------------


def init_app(app: Any, url: str) -> None:
    engine = make_engine(url)
    app.extensions["mycandidate.engine"] = engine
    app.extensions["mycandidate.sessionmaker"] = make_sessionmaker(engine)
    app.extensions["mycandidate.outage"] = Outage()
    app.teardown_appcontext(_close_session)


def get_outage() -> Outage:
    from flask import current_app

    return current_app.extensions["mycandidate.outage"]  # type: ignore[no-any-return]


def get_session() -> Session:
    from flask import current_app, g

    if "db_session" not in g:
        g.db_session = current_app.extensions["mycandidate.sessionmaker"]()
    return g.db_session  # type: ignore[no-any-return]


def _close_session(_exc: BaseException | None) -> None:
    from flask import g

    session = g.pop("db_session", None)
    if session is not None:
        session.close()
