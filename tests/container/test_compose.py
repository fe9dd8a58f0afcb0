"""The compose stack for real: healthy, API from PostgreSQL through Redis, then nothing left."""

from __future__ import annotations

import json
import os

import pytest

from tests.container.support import get_json, opsctl, served_names, ward_names
from tests.support.servers import free_port

pytestmark = pytest.mark.container


def project_objects(docker_client, project: str) -> dict[str, list[str]]:
    label = {"label": f"com.docker.compose.project={project}"}
    return {
        "containers": [c.name for c in docker_client.containers.list(all=True, filters=label)],
        "volumes": [v.name for v in docker_client.volumes.list(filters=label)],
        "networks": [n.name for n in docker_client.networks.list(filters=label)],
    }


def service(docker_client, project: str, name: str):
    labels = [f"com.docker.compose.project={project}", f"com.docker.compose.service={name}"]
    (container,) = docker_client.containers.list(all=True, filters={"label": labels})
    return container


def test_stack_serves_from_postgres_through_redis_and_down_leaves_nothing(
    app_image, docker_client, data_dir, tmp_path
):
    project = f"mycandidate-test-{os.getpid()}"
    env_file = tmp_path / ".env"
    common = ["--project", project, "--env-file", str(env_file)]
    up = opsctl(
        "up",
        *common,
        "--image",
        app_image["tag"],
        "--local-images",
        "--data-dir",
        str(data_dir),
        "--port",
        str(free_port()),
        "--json",
    )
    try:
        assert up.returncode == 0, up.stderr[-4000:]
        urls = json.loads(up.stdout)
        assert "POSTGRES_PASSWORD=" in env_file.read_text()

        for name in ("app", "postgres", "redis"):
            health = service(docker_client, project, name).attrs["State"]["Health"]["Status"]
            assert health == "healthy", name
        migrate = service(docker_client, project, "migrate")
        assert migrate.attrs["State"]["ExitCode"] == 0

        base = urls["site"].rstrip("/")
        body = get_json(f"{base}/api/v1/wards/1/candidates")
        assert served_names(body) == ward_names(data_dir, "1")
        assert get_json(f"{base}/api/v1/wards/1/candidates") == body

        app = service(docker_client, project, "app")
        env = dict(item.split("=", 1) for item in app.attrs["Config"]["Env"])
        assert env["DATABASE_URL"].startswith("postgresql+psycopg://")
        assert "@postgres:5432/" in env["DATABASE_URL"]

        postgres = service(docker_client, project, "postgres")
        count = postgres.exec_run(
            [
                "psql",
                "-U",
                "mycandidate",
                "-d",
                "mycandidate",
                "-tAc",
                "SELECT count(*) FROM candidates",
            ]
        )
        assert count.exit_code == 0, count.output
        assert int(count.output.decode()) > 10_000

        redis = service(docker_client, project, "redis")
        keys = redis.exec_run(
            ["redis-cli", "--scan", "--pattern", "mycandidate:*:ward:1:candidates"]
        )
        assert keys.exit_code == 0
        assert len(keys.output.decode().split()) == 1
        unauthenticated = redis.exec_run(["redis-cli", "--no-auth-warning", "-a", "wrong", "ping"])
        assert b"PONG" not in unauthenticated.output
    finally:
        down = opsctl("down", *common, "--volumes")
    assert down.returncode == 0, down.stderr[-2000:]
    assert project_objects(docker_client, project) == {
        "containers": [],
        "volumes": [],
        "networks": [],
    }
