"""The Docker engine and a local registry: use the running ones, else start them.

On a CI machine nothing starts dockerd for us (no systemd), so `ensure_engine` starts
Debian's `dockerd` in the background and waits for it; `ensure_registry` does the same
for Debian's `docker-registry` on 127.0.0.1:5000. Both keep running after opsctl exits,
as system services would; their logs go to the opsctl cache folder.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from opsctl.errors import PrerequisiteError
from opsctl.settings import current

log = logging.getLogger(__name__)

ENGINE_TIMEOUT = 60.0
REGISTRY_ADDRESS = "127.0.0.1:5000"


class EngineError(PrerequisiteError):
    """No Docker engine is reachable and none could be started."""


def state_dir() -> Path:
    from platformdirs import user_cache_path

    path = user_cache_path("opsctl") / "engine"
    path.mkdir(parents=True, exist_ok=True)
    return path


def engine_reachable() -> bool:
    """The engine answers GET /_ping. On a unix socket this is a raw request: the Docker
    SDK leaks its socket when the connection is refused, as it is while dockerd starts."""
    host = current().docker_host or "unix:///var/run/docker.sock"
    if host.startswith("unix://"):
        return _unix_ping(host.removeprefix("unix://"))
    from docker.client import from_env
    from docker.errors import DockerException
    from requests.exceptions import RequestException

    try:
        with closing(from_env(timeout=5)) as client:
            return bool(client.ping())
    except (DockerException, RequestException):
        return False


def _unix_ping(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(path)
            sock.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            status_line = sock.recv(64).split(b"\r\n", 1)[0]
    except OSError:
        return False
    return status_line.split(b" ")[1:2] == [b"200"]


def ensure_engine(timeout: float = ENGINE_TIMEOUT) -> None:
    """Return when the engine answers; start dockerd first if nothing answers."""
    if engine_reachable():
        return
    if current().docker_host:
        raise EngineError(f"DOCKER_HOST={current().docker_host} does not answer")
    dockerd = shutil.which("dockerd")
    if dockerd is None:
        raise EngineError(
            "no Docker engine is running and dockerd is not installed",
            hint="install docker.io (scripts/bootstrap-system.sh) or start Docker Desktop",
        )
    if os.geteuid() != 0:
        raise EngineError(
            "no Docker engine is running, and starting dockerd needs root",
            hint="start the Docker service (sudo systemctl start docker)",
        )
    logfile = state_dir() / "dockerd.log"
    log.info("starting dockerd (log: %s)", logfile)
    with logfile.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            [dockerd, "--host", "unix:///var/run/docker.sock"],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives opsctl, like a service
        )
    _wait(engine_reachable, process, logfile, "dockerd", timeout)


def registry_reachable(address: str = REGISTRY_ADDRESS) -> bool:
    try:
        with urllib.request.urlopen(f"http://{address}/v2/", timeout=2) as response:  # nosec B310 # fixed http:// URL of the local registry
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def ensure_registry(address: str = REGISTRY_ADDRESS, timeout: float = 30.0) -> str:
    """A registry on `address` (loopback, so the engine allows plain HTTP); returns it."""
    if registry_reachable(address):
        return address
    binary = shutil.which("docker-registry")
    if binary is None:
        raise PrerequisiteError(
            "no registry answers on " + address + " and docker-registry is not installed",
            hint="install docker-registry (scripts/bootstrap-system.sh)",
        )
    root = state_dir() / "registry"
    root.mkdir(exist_ok=True)
    config = root / "config.yml"
    config.write_text(
        "version: 0.1\n"
        "log: {level: warn}\n"
        f"storage: {{filesystem: {{rootdirectory: {root / 'data'}}}, delete: {{enabled: true}}}}\n"
        f"http: {{addr: '{address}'}}\n"
    )
    logfile = root / "registry.log"
    log.info("starting docker-registry on %s (log: %s)", address, logfile)
    with logfile.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            [binary, "serve", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _wait(lambda: registry_reachable(address), process, logfile, "docker-registry", timeout)
    return address


# Daemons this process started. They outlive an opsctl command on purpose (like
# services); a test session stops them with stop_started_daemons() when it ends.
_DAEMONS: list[subprocess.Popen[bytes]] = []


def stop_started_daemons(timeout: float = 30.0) -> None:
    """Stop what ensure_engine/ensure_registry started in this process, newest first."""
    while _DAEMONS:
        process = _DAEMONS.pop()
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


def _wait(
    ready: Callable[[], bool],
    process: subprocess.Popen[bytes],
    logfile: Path,
    what: str,
    timeout: float,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            _DAEMONS.append(process)
            return
        if process.poll() is not None:
            break
        time.sleep(0.25)
    else:
        process.terminate()
        process.wait(timeout=10)
    tail = " | ".join(_tail(logfile, 3))
    raise EngineError(
        f"{what} did not start (exit {process.poll()}): {tail or 'no output'}",
        hint=f"full log: {logfile}",
    )


def _tail(path: Path, lines: int) -> list[str]:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return []
    return [line.strip()[-300:] for line in text.splitlines()[-lines:]]
