"""opsctl push: the image `opsctl build` made, into the environment's ECR repository."""

from __future__ import annotations

from dataclasses import asdict

import typer

from opsctl.commands import _options
from opsctl.commands._release import connect
from opsctl.output import print_json, stderr, stdout


def register(app: typer.Typer) -> None:
    app.command("push")(push_cmd)


def push_cmd(
    env_name: str = _options.ENV,
    tag: str = typer.Option(
        None, "--tag", "-t", help="Local image (default mycandidate:<git sha>[-dirty])."
    ),
    json_output: bool = _options.JSON,
) -> None:
    """Push the built image to the environment's ECR repository and print its digest.

    When the tag is already in ECR with this image, nothing is pushed (a re-run passes);
    when it names another image, the push fails: ECR tags are immutable.

    Examples:
      opsctl build && opsctl push --env staging
      opsctl push --env prod --tag mycandidate:3f2c1ab --json
    """
    from opsctl.services.images import push_image

    env, aws = connect(env_name)
    with stderr().status(f"pushing to {env_name}", spinner="dots"):
        result = push_image(env, aws, tag)
    if json_output:
        print_json(asdict(result))
        return
    verb = "already in ECR, push skipped:" if result.skipped else "pushed"
    stdout().print(f"{verb} {result.remote}", markup=False, soft_wrap=True)
    stdout().print(f"digest {result.digest}", markup=False, soft_wrap=True)
