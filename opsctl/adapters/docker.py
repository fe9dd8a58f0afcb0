"""The Docker engine through the Docker SDK: build, inspect, push, import.

The SDK drives the engine's classic builder (it has no BuildKit session), so build
secrets are not available; an extra CA bundle travels in the build context instead and
only the Dockerfile's builder stage copies it (see docker/build-ca/README.md).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from opsctl.core.aws_records import RegistryLogin
from opsctl.core.images import BuildProgress, push_digest, split_ref
from opsctl.errors import OpsError, PrerequisiteError
from opsctl.settings import current

if TYPE_CHECKING:
    from docker.client import DockerClient

log = logging.getLogger(__name__)
BUILD_TIMEOUT = 1800
DEFAULT_HOST = "unix:///var/run/docker.sock"


class BuildFailed(OpsError):
    """The engine stopped a build at one of its steps."""


@dataclass(frozen=True)
class ImageInfo:
    ref: str
    image_id: str
    size: int
    layers: int
    labels: Mapping[str, str]
    repo_digests: tuple[str, ...] = ()

    def has_digest(self, repository: str, digest: str) -> bool:
        """Whether this engine pushed (or pulled) the image as `repository@digest`."""
        return f"{repository}@{digest}" in self.repo_digests


class EngineError(PrerequisiteError):
    """No Docker engine is reachable (and, with --local-images, none could be started)."""


def engine_reachable() -> bool:
    """The engine answers GET /_ping. On a unix socket this is a raw request: the Docker
    SDK leaks its socket when the connection is refused, as it is while dockerd starts."""
    host = current().docker_host or DEFAULT_HOST
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


def require_engine() -> None:
    """Return when the engine answers; opsctl starts none unless --local-images asks."""
    if engine_reachable():
        return
    if current().docker_host:
        raise EngineError(f"DOCKER_HOST={current().docker_host} does not answer")
    raise EngineError(
        "no Docker engine answers on " + DEFAULT_HOST.removeprefix("unix://"),
        hint="start the Docker service, or pass --local-images to start dockerd here",
    )


def client() -> DockerClient:
    """One client per run; the engine must be up (require_engine, or local_images)."""
    from docker.client import from_env
    from docker.errors import DockerException

    try:
        return from_env(timeout=BUILD_TIMEOUT)
    except DockerException as exc:
        raise OpsError(f"cannot reach the Docker engine: {exc}") from exc


def read_dockerignore(context: Path) -> list[str]:
    path = context / ".dockerignore"
    if not path.is_file():
        return []
    lines = (line.strip() for line in path.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def build_context(
    context: Path, dockerfile: str = "Dockerfile", extra: Mapping[str, str] | None = None
) -> IO[bytes]:
    """The context tar as `docker build` would send it (.dockerignore applied), plus
    `extra` files (name -> text) that exist only in the tar, never in the working tree."""
    from docker.utils.build import create_archive, exclude_paths

    files = exclude_paths(str(context), read_dockerignore(context), dockerfile=dockerfile)
    return create_archive(  # type: ignore[no-any-return]
        root=str(context), files=sorted(files), extra_files=sorted((extra or {}).items())
    )


def build(
    engine: DockerClient,
    context: IO[bytes],
    tag: str,
    *,
    dockerfile: str = "Dockerfile",
    buildargs: Mapping[str, str] | None = None,
    platform: str | None = None,
    on_step: Callable[[str], None] | None = None,
) -> ImageInfo:
    """Build and tag (the context is closed after); a failing step raises BuildFailed.

    `platform` (e.g. linux/amd64) pins what is built, whatever machine builds it."""
    from docker.errors import APIError

    progress = BuildProgress()
    try:
        stream = engine.api.build(
            fileobj=context,
            custom_context=True,
            dockerfile=dockerfile,
            tag=tag,
            buildargs=dict(buildargs or {}),
            rm=True,
            forcerm=True,
            pull=False,
            decode=True,
            platform=platform,
        )
        for event in stream:
            step = progress.feed(event)
            if step and on_step:
                on_step(step)
    except APIError as exc:
        raise BuildFailed(f"build of {tag} failed: {exc.explanation or exc}") from exc
    finally:
        context.close()
    if progress.error:
        tail = "\n".join(progress.tail or [])
        raise BuildFailed(
            f"build of {tag} failed at {progress.step or 'the start'}: {progress.error}",
            hint=f"last output:\n{tail}" if tail else None,
        )
    info = inspect(engine, tag)
    if info is None:
        raise BuildFailed(f"the engine reported no image for {tag}")
    return info


def inspect(engine: DockerClient, ref: str) -> ImageInfo | None:
    from docker.errors import ImageNotFound

    try:
        image = engine.images.get(ref)
    except ImageNotFound:
        return None
    attrs: dict[str, Any] = image.attrs
    return ImageInfo(
        ref=ref,
        image_id=str(attrs["Id"]),
        size=int(attrs.get("Size") or 0),
        layers=len((attrs.get("RootFS") or {}).get("Layers") or []),
        labels=dict((attrs.get("Config") or {}).get("Labels") or {}),
        repo_digests=tuple(attrs.get("RepoDigests") or ()),
    )


def push(engine: DockerClient, local_tag: str, remote_ref: str) -> str:
    """Tag `local_tag` as `remote_ref`, push it, return the manifest digest."""
    from docker.errors import APIError

    repository, tag = split_ref(remote_ref)
    try:
        engine.api.tag(local_tag, repository, tag)
        events: Iterable[Mapping[str, Any]] = engine.api.push(
            repository, tag, stream=True, decode=True
        )
        return push_digest(events)
    except APIError as exc:
        raise OpsError(f"push of {remote_ref} failed: {exc.explanation or exc}") from exc
    except ValueError as exc:
        raise OpsError(
            f"push of {remote_ref} failed: {exc}",
            hint="is the registry reachable and are you logged in (docker login)?",
        ) from exc


def login(engine: DockerClient, credentials: RegistryLogin, host: str) -> None:
    """Log this client (not the engine's saved config) in to `host`."""
    from docker.errors import APIError

    try:
        engine.login(credentials.username, credentials.password, registry=host, reauth=True)
    except APIError as exc:
        raise OpsError(f"registry login to {host} failed: {exc.explanation or exc}") from exc


def pull(engine: DockerClient, repository: str, digest: str) -> str:
    """Pull `repository@digest` and return its image id (the config digest)."""
    from docker.errors import APIError

    try:
        return str(engine.images.pull(repository, tag=digest).id)
    except APIError as exc:
        raise OpsError(f"pull of {repository}@{digest} failed: {exc.explanation or exc}") from exc


def untag(engine: DockerClient, ref: str) -> None:
    """Drop one reference (a tag or `repository@digest`); the image stays if others name it."""
    from docker.errors import APIError

    try:
        engine.api.remove_image(ref, noprune=False)
    except APIError as exc:
        log.debug("could not drop %s: %s", ref, exc)


def import_rootfs(engine: DockerClient, tarball: Path, ref: str) -> str:
    """`docker import`: a root filesystem tarball becomes a one-layer image."""
    from docker.errors import APIError

    repository, tag = split_ref(ref)
    try:
        engine.api.import_image_from_file(str(tarball), repository=repository, tag=tag)
    except APIError as exc:
        raise OpsError(f"import of {tarball} failed: {exc.explanation or exc}") from exc
    info = inspect(engine, ref)
    if info is None:
        raise OpsError(f"import of {tarball} produced no image {ref}")
    return info.image_id
