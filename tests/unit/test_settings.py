from pathlib import Path

import pytest

from mycandidate import create_app
from mycandidate.settings import ConfigError, Settings


def test_from_env_reads_conventional_names():
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgres://u:p@db/app",
            "REDIS_URL": "redis://cache:6379/0",
            "SECRET_KEY": "s",
            "MYCANDIDATE_DATA_DIR": "/data",
        }
    )
    assert settings.sqlalchemy_url == "postgresql+psycopg://u:p@db/app"
    assert settings.redis_url == "redis://cache:6379/0"
    assert settings.data_dir == Path("/data")


def test_default_database_is_sqlite_in_the_user_data_dir():
    assert Settings.from_env({}).database_url.startswith("sqlite:///")


def test_app_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(Settings(database_url=f"sqlite:///{tmp_path}/x.sqlite3"))


def test_debug_app_gets_a_random_key_never_a_fixed_one(tmp_path):
    url = f"sqlite:///{tmp_path}/x.sqlite3"
    keys = {create_app(Settings(database_url=url, debug=True)).secret_key for _ in range(2)}
    assert len(keys) == 2


def test_bad_cache_ttl_is_a_config_error():
    with pytest.raises(ConfigError):
        Settings.from_env({"MYCANDIDATE_CACHE_TTL": "soon"})
