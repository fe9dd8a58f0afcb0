"""`opsctl db upgrade` on real PostgreSQL: one migration at a time, and the app's read-only role."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from mycandidate.migrate import MIGRATION_LOCK_KEY, head_revision
from tests.conftest import fresh_postgres_database
from tests.messy import KENYA_FILES, write_files

pytestmark = pytest.mark.integration


def start_upgrade(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "opsctl", "db", "upgrade", "--json"],
        env={**os.environ, "NO_COLOR": "1", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def upgrade(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    process = start_upgrade(env)
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def waiting_for_the_migration_lock(connection: sa.Connection) -> int:
    """Backends of this database blocked on the migration lock, as pg_locks shows them."""
    # A bigint advisory key appears as classid (high 32 bits), objid (low 32 bits), objsubid 1.
    return connection.scalar(
        sa.text(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE l.locktype = 'advisory' AND d.datname = current_database() "
            "AND l.classid = :high AND l.objid = :low AND l.objsubid = 1 AND NOT l.granted"
        ),
        {"high": MIGRATION_LOCK_KEY >> 32, "low": MIGRATION_LOCK_KEY & 0xFFFFFFFF},
    )


def test_two_upgrades_at_once_take_turns_on_the_advisory_lock(pg_server):
    url = fresh_postgres_database(pg_server)
    observer = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with observer.connect() as holder, observer.connect() as watcher:
        # Hold the lock as a migration would, then start two upgrades together.
        holder.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        runs = [start_upgrade({"DATABASE_URL": url}) for _ in range(2)]
        try:
            deadline = time.monotonic() + 60
            while waiting_for_the_migration_lock(watcher) < 2:
                assert time.monotonic() < deadline, "the upgrades never waited for the lock"
                assert all(run.poll() is None for run in runs), "an upgrade ran without the lock"
                time.sleep(0.1)
            # Blocked before touching the schema: nothing was created yet.
            assert sa.inspect(watcher).get_table_names() == []
        finally:
            holder.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
        outcomes = []
        for run in runs:
            stdout, stderr = run.communicate(timeout=120)
            assert run.returncode == 0, stderr
            outcomes.append(json.loads(stdout))
        assert waiting_for_the_migration_lock(watcher) == 0
    observer.dispose()
    # One migrated; the other, let in after it, found the schema at head already.
    head = head_revision()
    pairs = sorted(((o["before"] or ""), o["after"]) for o in outcomes)
    assert pairs == [("", head), (head, head)]
    assert sorted(o["changed"] for o in outcomes) == [False, True]


def scram_verifies(verifier: str, password: str) -> bool:
    """Whether a PostgreSQL SCRAM-SHA-256 verifier (pg_authid.rolpassword) is for `password`."""
    method, rest = verifier.split("$", 1)
    iterations_salt, keys = rest.split("$")
    iterations, salt = iterations_salt.split(":")
    stored_key = base64.b64decode(keys.split(":")[0])
    salted = hashlib.pbkdf2_hmac(
        "sha256", password.encode(), base64.b64decode(salt), int(iterations)
    )
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    return method == "SCRAM-SHA-256" and hashlib.sha256(client_key).digest() == stored_key


def role_password(url: str, role: str) -> str:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        verifier = connection.scalar(
            sa.text("SELECT rolpassword FROM pg_authid WHERE rolname = :role"), {"role": role}
        )
    engine.dispose()
    return str(verifier)


def test_app_role_reads_never_writes_and_serves_the_app(pg_server, tmp_path, make_app):
    from mycandidate.db import make_engine
    from mycandidate.importer import load_named

    url = fresh_postgres_database(pg_server)
    role = f"app ro-{uuid.uuid4().hex[:8]}"  # needs quoting: proves identifiers are quoted
    first_password = "first'; DROP TABLE candidates; --"
    env = {
        "DATABASE_URL": url,
        "MYCANDIDATE_APP_ROLE": role,
        "MYCANDIDATE_APP_ROLE_PASSWORD": first_password,
    }
    done = upgrade(env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["role"] == role
    assert first_password not in done.stdout + done.stderr
    assert scram_verifies(role_password(url, role), first_password)

    # The data is loaded by the migrating user, into tables that existed at the grant.
    write_files(tmp_path / "data" / "kenya-2022", KENYA_FILES)
    migrator = make_engine(url)
    load_named(migrator, "kenya-2022", data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    with migrator.begin() as connection:  # a table made after the grant: default privileges
        connection.execute(sa.text("CREATE TABLE later (id integer)"))
    migrator.dispose()

    role_url = make_url(url).set(username=role).render_as_string(hide_password=False)
    as_role = sa.create_engine(role_url)
    with as_role.connect() as connection:
        assert connection.scalar(sa.text("SELECT current_user")) == role
        assert connection.scalar(sa.text("SELECT count(*) FROM candidates")) == 12
        assert connection.scalar(sa.text("SELECT count(*) FROM later")) == 0
    for statement in (
        "INSERT INTO parties (dataset_id, name, abbreviation) SELECT id, 'X', 'X' FROM datasets",
        "DELETE FROM candidates",
        "UPDATE areas SET name = 'x'",
        "CREATE TABLE mine (id integer)",
    ):
        with as_role.connect() as connection, pytest.raises(ProgrammingError) as caught:
            connection.execute(sa.text(statement))
        assert "permission denied" in str(caught.value.orig), statement
    as_role.dispose()

    app = make_app(role_url, database_password=first_password)
    client = app.test_client()
    assert client.get("/readyz").get_json()["status"] == "ready"
    ward = client.get("/api/v1/wards/1/candidates")
    assert ward.status_code == 200
    assert [c["surname"] for c in ward.get_json()] == ["Abushiri", "Aloo", "Juba", "Mwambi"]

    # A rotated secret takes effect on the next migration run.
    again = upgrade({**env, "MYCANDIDATE_APP_ROLE_PASSWORD": "second"})
    assert again.returncode == 0, again.stderr
    assert scram_verifies(role_password(url, role), "second")
    assert not scram_verifies(role_password(url, role), first_password)


def test_app_role_cannot_be_the_migrating_user(pg_server):
    url = fresh_postgres_database(pg_server)
    done = upgrade(
        {
            "DATABASE_URL": url,
            "MYCANDIDATE_APP_ROLE": "postgres",
            "MYCANDIDATE_APP_ROLE_PASSWORD": "x",
        }
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
    assert "MYCANDIDATE_APP_ROLE" in done.stderr


def test_sqlite_ignores_the_app_role_and_says_so(tmp_path):
    done = upgrade(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "MYCANDIDATE_APP_ROLE": "app_ro",
            "MYCANDIDATE_APP_ROLE_PASSWORD": "secret-pw",
        }
    )
    assert done.returncode == 0, done.stderr
    assert "MYCANDIDATE_APP_ROLE is ignored: SQLite has no database roles" in done.stderr
    assert json.loads(done.stdout)["role"] is None
    assert "secret-pw" not in done.stdout + done.stderr
