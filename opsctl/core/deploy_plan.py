"""What a deploy will do, decided before anything changes: digest, task definition, traffic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from opsctl.core import appspec, taskdef
from opsctl.errors import OpsError


class Strategy(StrEnum):
    canary = "canary"
    linear = "linear"
    all_at_once = "all-at-once"


class Controller(StrEnum):
    codedeploy = "codedeploy"
    ecs = "ecs"


# CodeDeploy's predefined ECS configurations: 10% then the rest after 5 minutes; 10% more
# every minute; everything at once.
CODEDEPLOY_CONFIGS = {
    Strategy.canary: "CodeDeployDefault.ECSCanary10Percent5Minutes",
    Strategy.linear: "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
    Strategy.all_at_once: "CodeDeployDefault.ECSAllAtOnce",
}

# The same shapes for ECS's built-in blue/green (`deploymentConfiguration` of UpdateService).
ECS_CONFIGS: dict[Strategy, dict[str, Any]] = {
    Strategy.canary: {
        "strategy": "CANARY",
        "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 5},
    },
    Strategy.linear: {
        "strategy": "LINEAR",
        "linearConfiguration": {"stepPercent": 10.0, "stepBakeTimeInMinutes": 1},
    },
    Strategy.all_at_once: {"strategy": "BLUE_GREEN"},
}


def deployment_config_name(strategy: Strategy) -> str:
    return CODEDEPLOY_CONFIGS[strategy]


@dataclass(frozen=True)
class ImageRequest:
    """The image the user asked for: exactly one of tag and digest is set."""

    tag: str | None = None
    digest: str | None = None

    def __str__(self) -> str:
        return self.digest or f"tag {self.tag}"


def parse_image(ref: str, repository_url: str) -> ImageRequest:
    """Accept `TAG`, `sha256:...`, `NAME:TAG`, `REGISTRY/NAME:TAG` or `...@sha256:...`.

    A named repository must be the environment's, so an image is never pulled from
    somewhere the service cannot reach.
    """
    name, digest = ref.split("@", 1) if "@" in ref else (ref, None)
    if ref.startswith("sha256:"):
        name, digest = "", ref
    tag = None
    if name and ":" in name.rsplit("/", 1)[-1]:
        name, tag = name.rsplit(":", 1)
    elif name and "/" not in name and digest is None:
        name, tag = "", name
    if name:
        wanted = repository_url if "/" in name else repository_url.rsplit("/", 1)[-1]
        if name != wanted:
            raise OpsError(
                f"image {ref} is not from this environment's repository {repository_url}",
                hint="push it first: opsctl push --env ENV",
                exit_code=2,
            )
    if digest is not None and not digest.startswith("sha256:"):
        raise OpsError(f"not an image digest: {digest}", exit_code=2)
    if not (tag or digest):
        raise OpsError(f"cannot read an image tag or digest from {ref!r}", exit_code=2)
    return ImageRequest(tag=None if digest else tag, digest=digest)


@dataclass(frozen=True)
class DeployPlan:
    """Everything `deploy` will send, computed from the current state; printed before acting."""

    env: str
    cluster: str
    service: str
    controller: Controller
    strategy: Strategy
    image: str  # repository@digest: what the task definition will pin
    image_tag: str | None
    current_task_definition: str
    task_definition: dict[str, Any]
    diff: str
    container_name: str
    container_port: int
    hooks: Mapping[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.diff)

    @property
    def deployment_config(self) -> str:
        if self.controller is Controller.ecs:
            return ECS_CONFIGS[self.strategy]["strategy"]
        return CODEDEPLOY_CONFIGS[self.strategy]

    def appspec(self, task_definition_arn: str) -> dict[str, Any]:
        return appspec.render(
            task_definition_arn, self.container_name, self.container_port, self.hooks
        )


def build_plan(
    *,
    env: str,
    cluster: str,
    service: str,
    controller: Controller,
    strategy: Strategy,
    repository_url: str,
    image_tag: str | None,
    digest: str,
    current_arn: str,
    current: Mapping[str, Any],
    current_tags: list[dict[str, str]],
    container_name: str,
    container_port: int,
    environment: Mapping[str, str],
    secrets: Mapping[str, str],
    hooks: Mapping[str, str],
) -> DeployPlan:
    """Render the next task definition from the running one and diff the two."""
    old = taskdef.registrable(current, current_tags)
    image = f"{repository_url}@{digest}"
    new = taskdef.render(
        old, container_name=container_name, image=image, environment=environment, secrets=secrets
    )
    appspec.render(current_arn, container_name, container_port, hooks)  # validate hooks early
    label = current_arn.rsplit("/", 1)[-1]
    return DeployPlan(
        env=env,
        cluster=cluster,
        service=service,
        controller=controller,
        strategy=strategy,
        image=image,
        image_tag=image_tag,
        current_task_definition=current_arn,
        task_definition=new,
        diff=taskdef.diff(old, new, label, f"{current.get('family', 'task')}:next"),
        container_name=container_name,
        container_port=container_port,
        hooks=dict(hooks),
    )
