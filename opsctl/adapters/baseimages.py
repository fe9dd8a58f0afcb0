"""Base images made here, for machines that cannot pull from Docker Hub.

`debootstrap --variant=minbase bookworm` (from the mirror apt already uses) gives a root
filesystem, cached as a tarball, which `docker import` turns into a Debian image. On top
of it `docker/python`, `docker/postgres` and `docker/redis` install Debian's packages:
stand-ins for the official python, postgres and redis images. Each is tagged with a
digest of its recipe and parent, so an existing tag means nothing needs building.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from opsctl.adapters import docker as docker_adapter
from opsctl.adapters import tools
from opsctl.core.images import DEBIAN_REPOSITORY, LOCAL_BASES, SUITE, mirror_from_sources
from opsctl.errors import OpsError, PrerequisiteError
from opsctl.settings import repo_root

if TYPE_CHECKING:
    from docker.client import DockerClient

log = logging.getLogger(__name__)

RECIPES = repo_root() / "docker"
APT_SOURCES = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]
DEBOOTSTRAP_TIMEOUT = 1200.0


def cache_dir() -> Path:
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
    tarball = cache_dir() / f"debian-{SUITE}-minbase-{key}.tar"
    if tarball.is_file():
        return tarball
    if shutil.which("debootstrap") is None:
        raise PrerequisiteError(
            "debootstrap is not installed", hint="run scripts/bootstrap-system.sh"
        )
    work = Path(tempfile.mkdtemp(prefix="rootfs-", dir=cache_dir()))
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
