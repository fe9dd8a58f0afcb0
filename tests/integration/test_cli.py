"""opsctl's app commands as a user runs them: real processes, exit codes, one-line errors."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.messy import KENYA_FILES, write_files
from tests.support.servers import free_port

pytestmark = pytest.mark.integration


def opsctl(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opsctl", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_one_line_error(
    result: subprocess.CompletedProcess[str], code: int, *fragments: str
) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith("error: ")
    for fragment in fragments:
        assert fragment in result.stderr


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    write_files(tmp_path / "data" / "kenya-2022", KENYA_FILES)
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "MYCANDIDATE_DATA_DIR": str(tmp_path / "data"),
        "MYCANDIDATE_CACHE_DIR": str(tmp_path / "cache"),
        "SECRET_KEY": "cli-test",
        "NO_COLOR": "1",
    }


def test_db_upgrade_on_postgresql_then_again(pg_server):
    env = {"DATABASE_URL": pg_server}
    first = opsctl("db", "upgrade", "--json", env=env)
    assert first.returncode == 0, first.stderr
    second = json.loads(opsctl("db", "upgrade", "--json", env=env).stdout)
    assert second["changed"] is False and second["after"] == json.loads(first.stdout)["after"]


def test_unreachable_database_is_one_line(tmp_path):
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"
    assert_one_line_error(opsctl("db", "upgrade", env={"DATABASE_URL": url}), 1, "database ")


def test_data_load_reports_loads_and_repairs(env):
    result = opsctl("data", "load", "kenya-2022", "--json", env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["candidates"] == 12 and report["ballots"]["ward"] == 7
    assert report["repairs"]["duplicate candidate rows dropped"] == 1


def test_data_load_bad_file_exits_1_naming_file_and_line(env, tmp_path):
    bad = KENYA_FILES["Ward_Final.csv"] + 'X,Y,1,Mombasa,1,C,1,P,1,"open quote'
    (tmp_path / "data" / "kenya-2022" / "Ward_Final.csv").write_text(bad)
    result = opsctl("data", "load", "kenya-2022", env=env)
    assert_one_line_error(result, 1, "nothing loaded", "Ward_Final.csv, line")


def test_data_load_unknown_dataset_lists_the_known_ones(env):
    assert_one_line_error(
        opsctl("data", "load", "atlantis", env=env), 1, "no such dataset", "kenya-2022"
    )


def test_serve_refuses_without_secret_key(env):
    result = opsctl("serve", env={**env, "SECRET_KEY": ""})
    assert_one_line_error(result, 3, "SECRET_KEY")


def serving(env: dict[str, str], *args: str) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "opsctl", "serve", "--port", str(port), "--workers", "1", *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, port


def stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    return stderr


def test_serve_prepare_upgrades_and_loads_an_empty_database(env):
    process, port = serving(env, "--prepare")
    try:
        body = _wait_json(f"http://127.0.0.1:{port}/api/v1/wards/1/candidates", process)
        assert [c["surname"] for c in body] == ["Abushiri", "Aloo", "Juba", "Mwambi"]
    finally:
        stderr = stop(process)
    assert "empty database: upgraded the schema and loaded kenya-2022" in stderr


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_serve_never_migrates_an_empty_database_and_says_why_it_is_not_ready(env, backend, request):
    """C3: a serving process on an empty database is alive, not ready, and leaves it empty."""
    if backend == "postgresql":
        from tests.conftest import fresh_postgres_database

        env = {**env, "DATABASE_URL": fresh_postgres_database(request.getfixturevalue("pg_server"))}
    process, port = serving({**env, "MYCANDIDATE_RELEASE": "sha256:feed"})
    try:
        assert _wait_json(f"http://127.0.0.1:{port}/healthz", process) == {"status": "ok"}
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5)
        assert caught.value.code == 503
        body = json.load(caught.value)
        assert (body["reason"], body["release"]) == ("schema_outdated", "sha256:feed")
    finally:
        stderr = stop(process)
    assert "loaded" not in stderr and "upgraded" not in stderr
    engine = sa.create_engine(env["DATABASE_URL"])
    assert sa.inspect(engine).get_table_names() == []
    engine.dispose()


def _wait_json(url: str, process: subprocess.Popen[str], timeout: float = 60) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.communicate()[1]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.load(response)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout}s")
