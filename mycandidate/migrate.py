"""Alembic, driven from code: no alembic.ini to lose, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Passing the engine (not a URL string) avoids configparser interpolation of passwords.
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


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
