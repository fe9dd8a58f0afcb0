"""Alembic, driven from code: no alembic.ini to lose, the same on SQLite and PostgreSQL.

`upgrade` is what `opsctl db upgrade` runs once per release, before the new code serves.
On PostgreSQL it holds an advisory lock on its own connection for the whole upgrade (and
the app role's grants), so two runs take turns instead of racing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from mycandidate.roles import AppRole, grant_read_only

MIGRATIONS = Path(__file__).parent / "migrations"
# pg_advisory_lock key of every migration run: the bytes "mycandid" as a bigint.
MIGRATION_LOCK_KEY = int.from_bytes(b"mycandid", "big")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UpgradeResult:
    before: str | None
    after: str | None
    role: str | None = None  # the app role created or updated, if any
    notes: tuple[str, ...] = ()  # what was asked for and not done, in a sentence each


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Passing the connection (not a URL string) avoids configparser interpolation of
    # passwords, and keeps the migration on the connection that holds the lock.
    config.attributes["connection"] = connection
    return config


def upgrade(
    engine: Engine, revision: str = "head", app_role: AppRole | None = None
) -> UpgradeResult:
    """Upgrade the schema (then grant the app role read-only access) under the lock."""
    notes: list[str] = []
    with engine.connect() as connection, migration_lock(connection):
        before = _current(connection)
        command.upgrade(alembic_config(connection), revision)
        connection.commit()
        granted = None
        if app_role is not None:
            if connection.dialect.name == "postgresql":
                grant_read_only(connection, app_role)
                connection.commit()
                granted = app_role.name
            else:
                notes.append(
                    f"MYCANDIDATE_APP_ROLE is ignored: {_dialect_title(connection)} has no "
                    "database roles (the app uses the database file directly)"
                )
        after = _current(connection)
        connection.commit()
    return UpgradeResult(before, after, granted, tuple(notes))


@contextmanager
def migration_lock(connection: Connection) -> Iterator[None]:
    """pg_advisory_lock(MIGRATION_LOCK_KEY) on this connection; nothing on SQLite."""
    if connection.dialect.name != "postgresql":
        yield
        return
    key = {"key": MIGRATION_LOCK_KEY}
    if not connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), key):
        log.info("another migration holds the lock; waiting for it to finish")
        connection.execute(text("SELECT pg_advisory_lock(:key)"), key)
    connection.commit()  # a session lock: it outlives this transaction, not the connection
    try:
        yield
    finally:
        connection.rollback()
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
        connection.commit()


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _dialect_title(connection: Connection) -> str:
    return "SQLite" if connection.dialect.name == "sqlite" else connection.dialect.name


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return _current(connection)


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


@cache
def _script_revisions() -> tuple[frozenset[str], frozenset[str]]:
    """(heads, every revision) of this code's migrations; read from disk once per process."""
    script = ScriptDirectory(str(MIGRATIONS))
    known = frozenset(revision.revision for revision in script.walk_revisions())
    return frozenset(script.get_heads()), known


def schema_is_current(database_revisions: frozenset[str]) -> bool:
    """Whether a database at these revisions serves this code.

    At this code's head: yes. At an older revision of ours, or never migrated: no. At a
    revision this code does not know: a newer release migrated it while this one still
    serves (blue/green), and expand-only migrations keep that schema readable: yes.
    """
    heads, known = _script_revisions()
    if not database_revisions:
        return False
    return database_revisions == heads or not database_revisions <= known
