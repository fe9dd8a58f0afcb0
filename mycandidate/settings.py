"""Configuration from the environment only (12-factor). Nothing else reads os.environ."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


class ConfigError(Exception):
    """The environment does not describe a runnable configuration."""


def _user_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("mycandidate", appauthor=False))


def _user_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("mycandidate", appauthor=False))


def default_database_url() -> str:
    """The embedded default: a SQLite file in the user's data directory."""
    return f"sqlite:///{_user_data_dir() / 'mycandidate.sqlite3'}"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_database_url)
    secret_key: str | None = None
    redis_url: str | None = None
    data_dir: Path | None = None
    cache_dir: Path = field(default_factory=_user_cache_dir)
    dataset: str | None = None  # which loaded dataset the site serves; None = latest loaded
    debug: bool = False
    testing: bool = False
    frame_ancestors: str = "'self'"
    cache_ttl: int = 3600
    log_level: str = "INFO"
    release: str | None = None  # what /readyz reports as running (opsctl: the image digest)
    # The password for DATABASE_URL, from a secret store: the URL then carries none.
    database_password: str | None = None
    # The read-only LOGIN role `opsctl db upgrade` creates or updates for the app (PostgreSQL).
    app_role: str | None = None
    app_role_password: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = env.get("MYCANDIDATE_DATA_DIR")
        cache_dir = env.get("MYCANDIDATE_CACHE_DIR")
        problems = []
        try:
            cache_ttl = int(env.get("MYCANDIDATE_CACHE_TTL", "3600"))
        except ValueError:
            problems.append("MYCANDIDATE_CACHE_TTL must be a whole number of seconds")
            cache_ttl = 0
        settings = cls(
            database_url=env.get("DATABASE_URL") or default_database_url(),
            secret_key=env.get("SECRET_KEY") or None,
            redis_url=env.get("REDIS_URL") or None,
            data_dir=Path(data_dir) if data_dir else None,
            cache_dir=Path(cache_dir) if cache_dir else _user_cache_dir(),
            dataset=env.get("MYCANDIDATE_DATASET") or None,
            debug=_flag(env.get("MYCANDIDATE_DEBUG")),
            frame_ancestors=env.get("MYCANDIDATE_FRAME_ANCESTORS") or "'self'",
            cache_ttl=cache_ttl,
            log_level=(env.get("MYCANDIDATE_LOG_LEVEL") or "INFO").upper(),
            release=env.get("MYCANDIDATE_RELEASE") or None,
            database_password=env.get("DATABASE_PASSWORD") or None,
            app_role=env.get("MYCANDIDATE_APP_ROLE") or None,
            app_role_password=env.get("MYCANDIDATE_APP_ROLE_PASSWORD") or None,
        )
        problems += settings.problems()
        if problems:
            raise ConfigError("; ".join(problems))
        return settings

    def problems(self) -> list[str]:
        """What makes these settings unusable, every item at once."""
        found = []
        try:
            _ = self.sqlalchemy_url
        except ConfigError as exc:
            found.append(str(exc))
        if self.app_role and not self.app_role_password:
            found.append("MYCANDIDATE_APP_ROLE is set without MYCANDIDATE_APP_ROLE_PASSWORD")
        if self.app_role_password and not self.app_role:
            found.append("MYCANDIDATE_APP_ROLE_PASSWORD is set without MYCANDIDATE_APP_ROLE")
        return found

    def check_for_web(self) -> None:
        """Refuse to serve without a secret key outside debug and tests."""
        if not self.secret_key and not (self.debug or self.testing):
            raise ConfigError(
                "SECRET_KEY is not set: set it to a long random value "
                "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )

    @property
    def sqlalchemy_url(self) -> str:
        """DATABASE_URL for the drivers we ship (psycopg 3), with DATABASE_PASSWORD in it.

        Query parameters pass through to the driver unchanged, e.g.
        `?sslmode=verify-full&sslrootcert=/path/rds-ca.pem`.
        """
        url = self.database_url
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                url = "postgresql+psycopg://" + url[len(prefix) :]
                break
        if self.database_password is None:
            return url
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise ConfigError(f"DATABASE_URL is not a database URL: {exc}") from exc
        if parsed.password is not None and parsed.password != self.database_password:
            raise ConfigError(
                "DATABASE_URL carries a password that differs from DATABASE_PASSWORD: "
                "remove the password from DATABASE_URL"
            )
        with_password = parsed.set(password=self.database_password)
        return with_password.render_as_string(hide_password=False)
