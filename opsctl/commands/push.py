"""opsctl push: the image `opsctl build` made, into the environment's ECR repository."""

from __future__ import annotations

from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path

import typer

from opsctl.commands._release import JSON_OPTION, connect
from opsctl.output import print_json, stderr, stdout

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class PushResult:
    local: str
    remote: str
    digest: str


def register(app: typer.Typer) -> None:
    app.command("push")(push_cmd)


def push_image(env_name: str, local: str | None) -> PushResult:
    """Log the engine in to ECR with a boto3 token, push, return the manifest digest."""
    from docker.errors import APIError

    from opsctl.adapters import docker as docker_adapter
    from opsctl.adapters import engine, git
    from opsctl.core.images import image_tag
    from opsctl.errors import OpsError, PrerequisiteError

    env, aws = connect(env_name)
    if local is None:
        rev = git.revision(ROOT)
        local = image_tag(rev.sha, rev.dirty)
    engine.ensure_engine()
    with closing(docker_adapter.client()) as client:
        if docker_adapter.inspect(client, local) is None:
            raise PrerequisiteError(f"no local image {local}", hint="build it first: opsctl build")
        login = aws.registry_login()
        registry = env.ecr_repository_url.split("/", 1)[0]
        try:
            # The token is for the account's registry; the engine keeps it for this client only.
            client.login(login.username, login.password, registry=registry, reauth=True)
        except APIError as exc:
            raise OpsError(
                f"registry login to {registry} failed: {exc.explanation or exc}"
            ) from exc
        remote = f"{env.ecr_repository_url}:{local.rsplit(':', 1)[-1]}"
        return PushResult(local, remote, docker_adapter.push(client, local, remote))


def push_cmd(
    env_name: str = typer.Option("staging", "--env", "-e", help="Environment from opsctl.toml."),
    tag: str = typer.Option(
        None, "--tag", "-t", help="Local image (default mycandidate:<git sha>[-dirty])."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Push the built image to the environment's ECR repository and print its digest.

    Examples:
      opsctl build && opsctl push --env staging
      opsctl push --env prod --tag mycandidate:3f2c1ab --json
    """
    with stderr().status(f"pushing to {env_name}", spinner="dots"):
        result = push_image(env_name, tag)
    if json_output:
        print_json(asdict(result))
        return
    stdout().print(f"pushed {result.remote}", markup=False, soft_wrap=True)
    stdout().print(f"digest {result.digest}", markup=False, soft_wrap=True)
