"""Images: build the app image, push it to ECR, promote it by digest, run the compose stack."""

from __future__ import annotations

import dataclasses
import re
import secrets
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from opsctl.core.compose import compose_environment, env_file_text, service_urls
from opsctl.core.images import BUILD_CA_PATH, image_tag, registry_ref
from opsctl.errors import EXIT_USAGE, OpsError, PrerequisiteError
from opsctl.settings import repo_root

if TYPE_CHECKING:
    from docker.client import DockerClient

    from opsctl.adapters.aws import Aws
    from opsctl.adapters.docker import ImageInfo
    from opsctl.core.environment import DeployEnv

GENERATED_SECRETS = ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "SECRET_KEY")
DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
ECR_HOST = re.compile(r"^\d{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$")


@dataclass(frozen=True)
class BuildResult:
    tag: str
    image_id: str
    size: int
    layers: int
    base_image: str
    revision: str
    pushed: str | None = None
    digest: str | None = None


@dataclass(frozen=True)
class PushResult:
    local: str
    remote: str
    digest: str
    skipped: bool = False  # the tag already named this image in ECR: nothing was pushed


@dataclass(frozen=True)
class PromoteResult:
    source: str  # repository@digest
    destination: str  # repository:tag
    digest: str
    copied: bool  # false when the tag already named this digest, or on --dry-run
    skipped: bool
    dry_run: bool


def checkout_tag(*, clean: bool = False) -> str:
    """The tag `opsctl build` gives this checkout; with `clean`, a dirty tree is an error."""
    from opsctl.adapters import git

    rev = git.revision(repo_root())
    if clean and rev.dirty:
        raise OpsError(
            "the working tree has uncommitted changes, so no pushed image matches it",
            hint="commit and `opsctl build && opsctl push`, or name one with --image",
            exit_code=EXIT_USAGE,
        )
    return image_tag(rev.sha, rev.dirty)


def build_app_image(
    *,
    tag: str | None = None,
    base_image: str | None = None,
    local_images: bool = False,
    ca_bundle: Path | None = None,
    push_to: str | None = None,
    platform: str | None = None,
    on_step: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the Dockerfile at the repository root; push when a registry is given."""
    from opsctl import __version__
    from opsctl.adapters import docker as docker_adapter
    from opsctl.adapters import git

    root = repo_root()
    _engine(local_images)
    with closing(docker_adapter.client()) as client:
        rev = git.revision(root)
        tag = tag or image_tag(rev.sha, rev.dirty)
        if local_images:
            base_image = _local_bases(client, ("python",), on_step)[0]
        buildargs = {
            "VERSION": __version__,
            "REVISION": rev.sha + ("-dirty" if rev.dirty else ""),
            "CREATED": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        if base_image:
            buildargs["BASE_IMAGE"] = base_image
        if ca_bundle and not ca_bundle.is_file():
            raise PrerequisiteError(f"CA bundle {ca_bundle} is not a file")
        extra = {BUILD_CA_PATH: ca_bundle.read_text()} if ca_bundle else None
        try:
            info = docker_adapter.build(
                client,
                docker_adapter.build_context(root, extra=extra),
                tag,
                buildargs=buildargs,
                platform=platform,
                on_step=on_step,
            )
        except docker_adapter.BuildFailed as exc:
            if "FROM" in exc.message and not local_images:
                advice = "no access to Docker Hub? --local-images builds a Debian-package base here"
                exc.hint = f"{exc.hint}\n{advice}" if exc.hint else advice
            raise
        result = BuildResult(
            tag=tag,
            image_id=info.image_id,
            size=info.size,
            layers=info.layers,
            base_image=base_image or "Dockerfile default",
            revision=buildargs["REVISION"],
        )
        if push_to:
            remote = registry_ref(push_to, tag)
            digest = docker_adapter.push(client, tag, remote)
            result = dataclasses.replace(result, pushed=remote, digest=digest)
        return result


def _engine(local_images: bool) -> None:
    """The main path needs a running engine; --local-images starts dockerd if none runs."""
    if local_images:
        from opsctl.adapters import local_images as offline

        offline.ensure_engine()
    else:
        from opsctl.adapters import docker as docker_adapter

        docker_adapter.require_engine()


def _local_bases(
    client: DockerClient, names: tuple[str, ...], on_step: Callable[[str], None] | None = None
) -> list[str]:
    """Stand-ins for the official images, made here from Debian's packages (--local-images)."""
    from opsctl.adapters import local_images as offline

    return [offline.ensure_base(client, name, on_step) for name in names]


def push_image(env: DeployEnv, aws: Aws, local: str | None) -> PushResult:
    """Push unless ECR's tag already names this image; never overwrite a tag (immutable)."""
    from opsctl.adapters import docker as docker_adapter
    from opsctl.adapters import registry

    local = local or checkout_tag()
    docker_adapter.require_engine()
    with closing(docker_adapter.client()) as client:
        info = docker_adapter.inspect(client, local)
        if info is None:
            raise PrerequisiteError(f"no local image {local}", hint="build it first: opsctl build")
        repository = env.ecr_repository_url
        remote = f"{repository}:{local.rsplit(':', 1)[-1]}"
        present = registry.tagged_digest(aws, env.repository_name, remote.rsplit(":", 1)[-1])
        login = aws.registry_login()
        # The token is for the account's registry; the engine keeps it for this client only.
        docker_adapter.login(client, login, registry.registry_host(repository))
        if present is not None:
            registry.check_tag(remote, present, _local_digest(client, info, repository, present))
            return PushResult(local, remote, present, skipped=True)
        return PushResult(local, remote, docker_adapter.push(client, local, remote))


def _local_digest(
    client: DockerClient, info: ImageInfo, repository: str, present: str
) -> str | None:
    """`present` when the local image is the one ECR holds, else None.

    This engine knows the digest if it pushed or pulled the image; a fresh runner that
    loaded the same image from an artifact does not, so the image ECR holds is pulled and
    its id (the config digest, the same for the same image) compared with ours.
    """
    from opsctl.adapters import docker as docker_adapter

    if info.has_digest(repository, present):
        return present
    pulled = docker_adapter.pull(client, repository, present)
    if pulled == info.image_id:
        return present
    docker_adapter.untag(client, f"{repository}@{present}")
    return None


def promote_image(
    source: str, target: str, digest: str, tag: str | None, dry_run: bool
) -> PromoteResult:
    """Copy `source`@digest to `target`'s repository as `tag` (skopeo), then check the digest.

    `source` is an environment in opsctl.toml, or its ECR repository URL (`REPO:TAG`) when
    this run's credentials cannot read that environment's settings (CI's production job).
    """
    from opsctl.adapters import registry
    from opsctl.adapters.aws import Aws
    from opsctl.core.release_plan import ImageRequest
    from opsctl.settings import load_env

    if not DIGEST.fullmatch(digest):
        raise OpsError(
            f"--image must be a digest sha256:<64 hex>, not {digest!r}", exit_code=EXIT_USAGE
        )
    to_env = load_env(target)
    to_aws = Aws(to_env.region)
    if "/" in source:
        # REPOSITORY[:TAG], e.g. what `opsctl push --json` printed as `remote`.
        from_url, _, from_tag = source.rpartition(":")
        if "/" in from_tag or not from_url:
            from_url, from_tag = source, ""
        from_aws = Aws(_region(from_url) or to_env.region)
        tag = tag or from_tag or None
        if tag is None:
            raise OpsError("--tag is needed when --from is a repository URL", exit_code=EXIT_USAGE)
    else:
        from_env = load_env(source)
        from_url, from_aws = from_env.ecr_repository_url, Aws(from_env.region)
        found = from_aws.describe_image(from_env.repository_name, ImageRequest(digest=digest))
        if tag is None and len(found.tags) != 1:
            raise OpsError(
                f"{digest} has tags {list(found.tags)}: name one with --tag", exit_code=EXIT_USAGE
            )
        tag = tag or found.tags[0]
    result = PromoteResult(
        f"{from_url}@{digest}", f"{to_env.ecr_repository_url}:{tag}", digest, False, False, dry_run
    )
    present = registry.tagged_digest(to_aws, to_env.repository_name, tag)
    if registry.check_tag(result.destination, present, digest):
        return PromoteResult(**{**asdict(result), "skipped": True})
    if dry_run:
        return result
    logins = [
        (registry.registry_host(from_url), from_aws.registry_login()),
        (registry.registry_host(to_env.ecr_repository_url), to_aws.registry_login()),
    ]
    registry.copy(result.source, result.destination, logins)
    arrived = registry.manifest_digest(result.destination, logins)
    if arrived != digest:
        raise OpsError(f"{result.destination} is {arrived} after the copy, not {digest}")
    return PromoteResult(**{**asdict(result), "copied": True})


def _region(repository_url: str) -> str | None:
    found = ECR_HOST.match(repository_url.split("/", 1)[0])
    return found.group(1) if found else None


def ensure_env_file(path: Path) -> bool:
    """Write `path` from .env.example with generated secrets unless it exists."""
    if path.exists():
        return False
    example = (repo_root() / ".env.example").read_text()
    values = {key: secrets.token_hex(24) for key in GENERATED_SECRETS}
    path.write_text(env_file_text(example, values))
    path.chmod(0o600)
    return True


def compose_up(
    *,
    project: str,
    env_file: Path,
    port: int,
    image: str | None = None,
    local_images: bool = False,
    data_dir: Path | None = None,
    wait_timeout: int = 180,
) -> dict[str, str]:
    """Build the app image unless one is named, start the stack, wait until healthy."""
    from opsctl.adapters import compose
    from opsctl.adapters import docker as docker_adapter

    _engine(local_images)
    postgres_image = redis_image = None
    if local_images:
        with closing(docker_adapter.client()) as client:
            postgres_image, redis_image = _local_bases(client, ("postgres", "redis"))
    if image is None:
        image = build_app_image(local_images=local_images).tag
    env = compose_environment(image, postgres_image, redis_image, port)
    if data_dir is not None:
        env["MYCANDIDATE_DATA_PATH"] = str(data_dir.resolve())
    compose.up(compose.Stack(project, env_file, env), wait_timeout)
    return service_urls(port)


def compose_down(project: str, env_file: Path, volumes: bool) -> None:
    """Stop and remove the stack's containers and network (and volumes)."""
    from opsctl.adapters import compose

    compose.down(compose.Stack(project, env_file if env_file.exists() else None), volumes)
