"""docker-compose.yml as Compose itself reads it (`compose config`, no engine needed)."""

from pathlib import Path

from opsctl.adapters import tools
from opsctl.adapters.compose import COMPOSE_FILE, compose_argv

SECRETS = {
    "POSTGRES_PASSWORD": "pg-secret",
    "REDIS_PASSWORD": "redis-secret",
    "SECRET_KEY": "flask-secret",
}


def compose_config(env: dict[str, str], tmp_path: Path) -> tools.Completed:
    # An empty env file, so a developer's own .env never leaks into the test.
    empty = tmp_path / "empty.env"
    empty.write_text("")
    argv = [*compose_argv(), "-p", "t", "-f", str(COMPOSE_FILE), "--env-file", str(empty)]
    clean = {k: "" for k in ("MYCANDIDATE_IMAGE", "POSTGRES_IMAGE", "REDIS_IMAGE")}
    return tools.run(
        [*argv, "config", "--format", "json"],
        env={**clean, "DOCKER_HOST": "unix:///nonexistent.sock", **env},
        timeout=60,
    )
