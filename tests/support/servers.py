"""Throwaway PostgreSQL and Redis servers from the installed binaries (tests, benchmarks).

No image registry is needed: `initdb`/`pg_ctl` and `redis-server` run on a temporary
directory and a free loopback port, and stop when the context exits.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from opsctl.errors import OpsError, PrerequisiteError

_PG_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


@dataclass(frozen=True)
class Server:
    url: str
    port: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _find(binary: str, extra_dirs: list[Path]) -> str:
    found = shutil.which(binary) or next(
        (str(d / binary) for d in extra_dirs if (d / binary).exists()), None
    )
    if found is None:
        raise PrerequisiteError(
            f"{binary} not found", hint="run scripts/bootstrap-system.sh (needs apt and root)"
        )
    return found


def _as_postgres(argv: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI runs as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


def _run(argv: list[str], what: str, timeout: float = 60) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        raise OpsError(f"{what} failed: {(result.stderr or result.stdout).strip()[-500:]}")


def _wait_port(port: int, what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise OpsError(f"{what} did not start listening on port {port} within {timeout:.0f}s")


@contextmanager
def postgres(workdir: Path, database: str = "mycandidate") -> Iterator[Server]:
    """A PostgreSQL server on 127.0.0.1 with trust auth and one database."""
    initdb = _find("initdb", _PG_DIRS)
    pg_ctl = _find("pg_ctl", _PG_DIRS)
    data = workdir / "pgdata"
    data.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
        shutil.chown(data, "postgres")
    port = free_port()
    _run(
        _as_postgres(
            [initdb, "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]
        ),
        "initdb",
    )
    options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
    _run(
        _as_postgres(
            [pg_ctl, "-D", str(data), "-o", options, "-l", str(workdir / "pg.log"), "-w", "start"]
        ),
        "pg_ctl start",
    )
    try:
        _wait_port(port, "postgres")
        _run(
            _as_postgres(
                [
                    _find("createdb", _PG_DIRS),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "postgres",
                    database,
                ]
            ),
            "createdb",
        )
        yield Server(f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}", port)
    finally:
        _run(_as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), "pg_ctl stop")


@contextmanager
def redis(password: str | None = None) -> Iterator[Server]:
    """A Redis server on 127.0.0.1 without persistence."""
    binary = _find("redis-server", [])
    port = free_port()
    argv = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    if password:
        argv += ["--requirepass", password]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_port(port, "redis")
        auth = f":{password}@" if password else ""
        yield Server(f"redis://{auth}127.0.0.1:{port}/0", port)
    finally:
        process.terminate()
        process.wait(timeout=10)
