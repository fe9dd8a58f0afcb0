"""Configuration from the environment only (12-factor). Nothing else reads os.environ."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATASET = "kenya-2022"


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

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = env.get("MYCANDIDATE_DATA_DIR")
        cache_dir = env.get("MYCANDIDATE_CACHE_DIR")
        try:
            cache_ttl = int(env.get("MYCANDIDATE_CACHE_TTL", "3600"))
        except ValueError as exc:
            raise ConfigError("MYCANDIDATE_CACHE_TTL must be a whole number of seconds") from exc
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
        )
        return settings

    def check_for_web(self) -> None:
        """Refuse to serve without a secret key outside debug and tests."""
        if not self.secret_key and not (self.debug or self.testing):
            raise ConfigError(
                "SECRET_KEY is not set: set it to a long random value "
                "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )

    @property
    def sqlalchemy_url(self) -> str:
        """Normalise common URL spellings to the drivers we ship (psycopg 3)."""
        url = self.database_url
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url
