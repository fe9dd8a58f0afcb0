"""Building where Docker Hub, or a Docker service, is out of reach: the one offline switch.

Everything `--local-images` (or OPSCTL_LOCAL_IMAGES=1) turns on lives here; the main
path (pinned official bases, an engine that is already running) never calls it.

- The engine and a registry: on a CI machine nothing starts dockerd for us (no systemd),
  so `ensure_engine` starts Debian's `dockerd` in the background and waits for it;
  `ensure_registry` does the same for Debian's `docker-registry` on 127.0.0.1:5000. Both
  keep running after opsctl exits, as system services would; their logs go to the
  opsctl cache folder.
- Base images: `debootstrap --variant=minbase bookworm` (from the mirror apt already
  uses) gives a root filesystem, cached as a tarball, which `docker import` turns into a
  Debian image. On top of it `docker/python`, `docker/postgres` and `docker/redis`
  install Debian's packages: stand-ins for the official python, postgres and redis
  images. Each is tagged with a digest of its recipe and parent, so an existing tag
  means nothing needs building.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from opsctl.adapters import docker as docker_adapter
from opsctl.adapters import tools
from opsctl.adapters.docker import EngineError
from opsctl.core.local_images import DEBIAN_REPOSITORY, LOCAL_BASES, SUITE, mirror_from_sources
from opsctl.errors import OpsError, PrerequisiteError
from opsctl.settings import current, repo_root

if TYPE_CHECKING:
    from docker.client import DockerClient

log = logging.getLogger(__name__)

ENGINE_TIMEOUT = 60.0
REGISTRY_ADDRESS = "127.0.0.1:5000"


def _state_dir() -> Path:
    from platformdirs import user_cache_path

    path = user_cache_path("opsctl") / "engine"
    path.mkdir(parents=True, exist_ok=True)
    return path


def ensure_engine(timeout: float = ENGINE_TIMEOUT) -> None:
    """Return when the engine answers; start dockerd first if nothing answers."""
    if docker_adapter.engine_reachable():
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
    logfile = _state_dir() / "dockerd.log"
    log.info("starting dockerd (log: %s)", logfile)
    with logfile.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            [dockerd, "--host", "unix:///var/run/docker.sock"],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives opsctl, like a service
        )
    _wait(docker_adapter.engine_reachable, process, logfile, "dockerd", timeout)


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
    root = _state_dir() / "registry"
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


# --- base images made from Debian's packages ---------------------------------------------

RECIPES = repo_root() / "docker"
APT_SOURCES = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]
DEBOOTSTRAP_TIMEOUT = 1200.0


def _cache_dir() -> Path:
    from platformdirs import user_cache_path

    path = user_cache_path("opsctl") / "images"
    path.mkdir(parents=True, exist_ok=True)
    return path


def apt_mirror() -> str:
    texts = []
    for path in APT_SOURCES:
        try:
            texts.append(path.read_text())
        except (OSError, UnicodeDecodeError):
            continue
    return mirror_from_sources(texts)


def rootfs_tarball(mirror: str) -> Path:
    """The minbase root filesystem as a tarball, made once per mirror and kept."""
    key = hashlib.sha256(f"{SUITE}\n{mirror}".encode()).hexdigest()[:12]
    tarball = _cache_dir() / f"debian-{SUITE}-minbase-{key}.tar"
    if tarball.is_file():
        return tarball
    if shutil.which("debootstrap") is None:
        raise PrerequisiteError(
            "debootstrap is not installed", hint="run scripts/bootstrap-system.sh"
        )
    work = Path(tempfile.mkdtemp(prefix="rootfs-", dir=_cache_dir()))
    try:
        root = work / "root"
        log.info("debootstrap %s from %s", SUITE, mirror)
        _check(
            tools.run(
                ["debootstrap", "--variant=minbase", SUITE, str(root), mirror],
                timeout=DEBOOTSTRAP_TIMEOUT,
            ),
            "debootstrap",
        )
        # Package lists and downloaded .debs are build leftovers, not part of a base image.
        for leftover in ("var/lib/apt/lists", "var/cache/apt/archives"):
            for item in (root / leftover).glob("*"):
                if item.is_file():
                    item.unlink()
        partial = work / "rootfs.tar"
        _check(
            tools.run(["tar", "--numeric-owner", "-C", str(root), "-cf", str(partial), "."]),
            "tar",
        )
        partial.replace(tarball)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return tarball


def _check(done: tools.Completed, what: str) -> None:
    if done.returncode != 0:
        tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise OpsError(f"{what} failed (exit {done.returncode}): {tail}")


def ensure_debian(engine: DockerClient) -> str:
    """The imported Debian image; returns its id."""
    info = docker_adapter.inspect(engine, DEBIAN_REPOSITORY)
    if info is not None:
        return info.image_id
    tarball = rootfs_tarball(apt_mirror())
    log.info("docker import %s as %s", tarball.name, DEBIAN_REPOSITORY)
    return docker_adapter.import_rootfs(engine, tarball, DEBIAN_REPOSITORY)


def recipe_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_base(
    engine: DockerClient, name: str, on_step: Callable[[str], None] | None = None
) -> str:
    """The local stand-in for an official image (python, postgres, redis); returns its tag."""
    base = LOCAL_BASES[name]
    folder = RECIPES / base.name
    parent = ensure_debian(engine)
    tag = base.tag(recipe_digest(folder), parent)
    if docker_adapter.inspect(engine, tag) is not None:
        return tag
    log.info("building %s", tag)
    docker_adapter.build(
        engine,
        docker_adapter.build_context(folder),
        tag,
        buildargs={"DEBIAN_IMAGE": DEBIAN_REPOSITORY},
        on_step=on_step,
    )
    return tag
