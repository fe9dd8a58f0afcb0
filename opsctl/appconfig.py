"""The app's settings and database engine, as the CLI sees them (one place, one error)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsctl.errors import OpsError, PrerequisiteError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from mycandidate.settings import Settings


def app_settings() -> Settings:
    from mycandidate.settings import ConfigError, Settings

    try:
        return Settings.from_env()
    except ConfigError as exc:
        raise PrerequisiteError(str(exc)) from exc


def engine(settings: Settings) -> Engine:
    from sqlalchemy.exc import ArgumentError

    from mycandidate.db import make_engine

    try:
        return make_engine(settings.sqlalchemy_url)
    except (ArgumentError, ImportError) as exc:
        raise PrerequisiteError(
            f"DATABASE_URL is not usable: {exc}",
            hint="e.g. postgresql+psycopg://user:pass@host:5432/db or sqlite:////path/file.sqlite3",
        ) from exc


def database_error(exc: Exception, settings: Settings) -> OpsError:
    from sqlalchemy.engine import make_url

    where = make_url(settings.sqlalchemy_url).render_as_string(hide_password=True)
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return OpsError(f"database {where}: {reason}", hint="is the database running and reachable?")
