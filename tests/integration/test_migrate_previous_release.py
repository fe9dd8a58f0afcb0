"""The previous release's code on the schema of this one: blue keeps serving while green ships.

A blue/green release runs `opsctl db upgrade` from the NEW revision while the OLD one still
serves. So the app package of the previous commit that changed mycandidate/ runs against a
PostgreSQL database upgraded by the current migrations and loaded by the current importer,
as the read-only app role, and must still answer /readyz and a ward.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import uuid
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import fresh_postgres_database
from tests.messy import KENYA_FILES, write_files

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]

OLD_APP = """
import json, sys
import mycandidate
assert mycandidate.__file__.startswith(sys.argv[1]), mycandidate.__file__
from mycandidate import create_app
client = create_app().test_client()
answers = {}
for path in ("/readyz", "/api/v1/wards/1/candidates"):
    response = client.get(path)
    answers[path] = [response.status_code, response.get_json()]
print(json.dumps(answers))
"""


def git(*args: str) -> bytes:
    # GIT_OPTIONAL_LOCKS=0: reading history never rewrites the shared index.
    return subprocess.run(
        ["git", *args],
        cwd=ROOT,
        env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout


def previous_release(into: Path) -> tuple[str, Path]:
    """The app package as the last commit that changed it before the code under test."""
    try:
        commits = git("log", "-n", "2", "--format=%H", "--", "mycandidate/").decode().split()
        edited = git("status", "--porcelain", "--", "mycandidate/").strip()
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"no git history to take the previous release from: {exc}")
    # Uncommitted changes to mycandidate/ are the code under test: HEAD's is the old one.
    older = commits[:1] if edited else commits[1:2]
    if not older:
        pytest.skip("the history has no earlier commit that changed mycandidate/ (shallow clone?)")
    with tarfile.open(fileobj=BytesIO(git("archive", older[0], "mycandidate"))) as archive:
        archive.extractall(into, filter="data")
    return older[0], into


def test_previous_release_serves_from_the_new_schema(pg_server, tmp_path):
    from mycandidate.db import make_engine
    from mycandidate.importer import load_named
    from mycandidate.migrate import upgrade
    from mycandidate.roles import AppRole

    commit, tree = previous_release(tmp_path / "previous")
    url = fresh_postgres_database(pg_server)
    role = AppRole(f"app_{uuid.uuid4().hex[:8]}", "pw")
    engine = make_engine(url)
    assert upgrade(engine, app_role=role).role == role.name
    write_files(tmp_path / "data" / "kenya-2022", KENYA_FILES)
    load_named(engine, "kenya-2022", data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    engine.dispose()

    as_role = make_url(url).set(username=role.name).render_as_string(hide_password=False)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MYCANDIDATE_", "DATABASE_", "REDIS_"))
    }
    done = subprocess.run(
        [sys.executable, "-c", OLD_APP, str(tree)],
        cwd=tmp_path,  # not the checkout: its mycandidate/ must not shadow the old one
        env={
            **env,
            "PYTHONPATH": str(tree),
            "DATABASE_URL": as_role,
            "SECRET_KEY": "previous-release",
            "MYCANDIDATE_CACHE_DIR": str(tmp_path / "cache"),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"release {commit[:12]}: {done.stderr[-3000:]}"
    answers = json.loads(done.stdout.splitlines()[-1])
    status, ready = answers["/readyz"]
    assert status == 200, (commit[:12], ready)
    assert ready["status"] == "ready"
    status, ward = answers["/api/v1/wards/1/candidates"]
    assert status == 200, (commit[:12], ward)
    assert [c["surname"] for c in ward] == ["Abushiri", "Aloo", "Juba", "Mwambi"]
