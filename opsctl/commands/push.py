"""opsctl push: the image `opsctl build` made, into the environment's ECR repository."""

from __future__ import annotations

from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from opsctl.commands._release import JSON_OPTION, connect
from opsctl.output import print_json, stderr, stdout

if TYPE_CHECKING:
    from docker.client import DockerClient

    from opsctl.adapters.docker import ImageInfo

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class PushResult:
    local: str
    remote: str
    digest: str
    skipped: bool = False  # the tag already named this image in ECR: nothing was pushed


def register(app: typer.Typer) -> None:
    app.command("push")(push_cmd)


def push_image(env_name: str, local: str | None) -> PushResult:
    """Push unless ECR's tag already names this image; never overwrite a tag (immutable)."""
    from docker.errors import APIError

    from opsctl.adapters import docker as docker_adapter
    from opsctl.adapters import engine, git, registry
    from opsctl.core.images import image_tag
    from opsctl.errors import OpsError, PrerequisiteError

    env, aws = connect(env_name)
    if local is None:
        rev = git.revision(ROOT)
        local = image_tag(rev.sha, rev.dirty)
    engine.ensure_engine()
    with closing(docker_adapter.client()) as client:
        info = docker_adapter.inspect(client, local)
        if info is None:
            raise PrerequisiteError(f"no local image {local}", hint="build it first: opsctl build")
        repository = env.ecr_repository_url
        remote = f"{repository}:{local.rsplit(':', 1)[-1]}"
        present = registry.tagged_digest(aws, env.repository_name, remote.rsplit(":", 1)[-1])
        login = aws.registry_login()
        host = registry.registry_host(repository)
        try:
            # The token is for the account's registry; the engine keeps it for this client only.
            client.login(login.username, login.password, registry=host, reauth=True)
        except APIError as exc:
            raise OpsError(f"registry login to {host} failed: {exc.explanation or exc}") from exc
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


def push_cmd(
    env_name: str = typer.Option("staging", "--env", "-e", help="Environment from opsctl.toml."),
    tag: str = typer.Option(
        None, "--tag", "-t", help="Local image (default mycandidate:<git sha>[-dirty])."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Push the built image to the environment's ECR repository and print its digest.

    When the tag is already in ECR with this image, nothing is pushed (a re-run passes);
    when it names another image, the push fails: ECR tags are immutable.

    Examples:
      opsctl build && opsctl push --env staging
      opsctl push --env prod --tag mycandidate:3f2c1ab --json
    """
    with stderr().status(f"pushing to {env_name}", spinner="dots"):
        result = push_image(env_name, tag)
    if json_output:
        print_json(asdict(result))
        return
    verb = "already in ECR, push skipped:" if result.skipped else "pushed"
    stdout().print(f"{verb} {result.remote}", markup=False, soft_wrap=True)
    stdout().print(f"digest {result.digest}", markup=False, soft_wrap=True)
