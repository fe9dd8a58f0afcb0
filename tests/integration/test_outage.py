"""A database outage costs freshness, never a 500: real PostgreSQL stopped and started
inside the test, real Redis, the app never restarted."""

import logging
import tempfile
import time
from pathlib import Path

import pytest
import redis as redis_lib

from mycandidate.context import DATASET_TTL
from tests.conftest import messy_kenya_database
from tests.support.servers import _PG_DIRS, _as_postgres, _find, _run, postgres

pytestmark = pytest.mark.integration
CACHED = ["/api/v1/wards/1/candidates", "/api/v1/wards/1/ballot", "/?ballot=ward&area=1"]


class Database:
    """A dedicated PostgreSQL server this test may stop and start again."""

    def __init__(self, workdir: Path, url: str, port: int) -> None:
        self.url, self._workdir, self._port = url, workdir, port
        self._pg_ctl = _find("pg_ctl", _PG_DIRS)
        self.running = True

    def _ctl(self, *argv: str) -> None:
        _run(_as_postgres([self._pg_ctl, "-D", str(self._workdir / "pgdata"), *argv]), "pg_ctl")

    def stop(self) -> None:
        self._ctl("-m", "fast", "-w", "stop")
        self.running = False

    def start(self) -> None:
        options = f"-p {self._port} -k {self._workdir} -c listen_addresses=127.0.0.1"
        self._ctl("-o", options, "-l", str(self._workdir / "pg.log"), "-w", "start")
        self.running = True


@pytest.fixture
def database():
    workdir = Path(tempfile.mkdtemp(prefix="mycandidate-outage-"))
    with postgres(workdir) as server:
        database = Database(workdir, server.url, server.port)
        yield database
        if not database.running:
            database.start()  # the server's own context stops it


def outage_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "mycandidate.db"]


def test_cached_answers_outlive_an_outage_and_the_rest_is_a_503(
    database, redis_server, tmp_path, make_app, caplog
):
    redis_lib.Redis.from_url(redis_server).flushdb()
    url = messy_kenya_database(tmp_path, database.url)
    client = make_app(url, redis_url=redis_server).test_client()
    warm = {path: client.get(path).data for path in CACHED}
    assert client.get("/readyz").status_code == 200

    database.stop()
    time.sleep(DATASET_TTL + 0.5)  # the served dataset is due to be read again
    with caplog.at_level(logging.INFO):
        for _ in range(10):
            for path in CACHED:
                response = client.get(path)
                assert response.status_code == 200 and response.data == warm[path]

            api = client.get("/api/v1/wards/2/candidates")
            assert api.status_code == 503 and api.mimetype == "application/json"
            assert api.get_json()["error"]["code"] == "database_unreachable"
            assert int(api.headers["Retry-After"]) > 0
            assert client.get("/api/v1/wards?q=kip").status_code == 503

            page = client.get("/?ballot=ward&area=2")
            assert page.status_code == 503 and page.mimetype == "text/html"
            assert int(page.headers["Retry-After"]) > 0
            html = page.get_data(as_text=True)
            assert 'class="masthead"' in html and "site.css" in html  # the site's own theme
            assert "unavailable" in html

            ready = client.get("/readyz")
            assert ready.status_code == 503
            assert ready.get_json()["reason"] == "database_unreachable"

    assert len(outage_lines(caplog)) == 1 and "unreachable" in outage_lines(caplog)[0]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]

    database.start()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert client.get("/readyz").status_code == 200
        fresh = client.get("/api/v1/wards/2/candidates")
        assert fresh.status_code == 200 and fresh.get_json()
        assert client.get("/?ballot=ward&area=2").status_code == 200
        assert client.get("/readyz").status_code == 200
    lines = outage_lines(caplog)
    assert len(lines) == 1 and "reachable again" in lines[0]
