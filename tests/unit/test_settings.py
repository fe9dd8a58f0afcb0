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


def test_release_comes_from_the_environment():
    assert Settings.from_env({"MYCANDIDATE_RELEASE": "sha256:abc"}).release == "sha256:abc"
    assert Settings.from_env({}).release is None


def test_database_password_goes_into_the_url_escaped():
    settings = Settings.from_env(
        {"DATABASE_URL": "postgresql://app@db:5432/app", "DATABASE_PASSWORD": "p@ss/w:rd%"}
    )
    from sqlalchemy.engine import make_url

    url = make_url(settings.sqlalchemy_url)
    assert (url.drivername, url.username, url.password, url.host) == (
        "postgresql+psycopg",
        "app",
        "p@ss/w:rd%",
        "db",
    )


def test_database_password_keeps_the_query_for_tls():
    url = Settings(
        database_url="postgresql+psycopg://app@db/app?sslmode=verify-full&sslrootcert=/ca.pem",
        database_password="s",
    ).sqlalchemy_url
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    assert parsed.password == "s"
    assert dict(parsed.query) == {"sslmode": "verify-full", "sslrootcert": "/ca.pem"}


def test_a_url_password_that_differs_from_database_password_is_an_error():
    with pytest.raises(ConfigError, match="differs from DATABASE_PASSWORD"):
        Settings.from_env(
            {"DATABASE_URL": "postgresql://app:old@db/app", "DATABASE_PASSWORD": "new"}
        )
    same = Settings.from_env(
        {"DATABASE_URL": "postgresql://app:s@db/app", "DATABASE_PASSWORD": "s"}
    )
    assert same.sqlalchemy_url == "postgresql+psycopg://app:s@db/app"


def test_app_role_needs_its_password_and_every_problem_is_reported_at_once():
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"MYCANDIDATE_APP_ROLE": "mycandidate_app", "MYCANDIDATE_CACHE_TTL": "x"})
    assert "MYCANDIDATE_APP_ROLE_PASSWORD" in str(caught.value)
    assert "MYCANDIDATE_CACHE_TTL" in str(caught.value)
    role = Settings.from_env(
        {"MYCANDIDATE_APP_ROLE": "app_ro", "MYCANDIDATE_APP_ROLE_PASSWORD": "pw"}
    )
    assert (role.app_role, role.app_role_password) == ("app_ro", "pw")
