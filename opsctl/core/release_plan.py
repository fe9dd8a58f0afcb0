"""What a deploy will do, decided before anything changes: digest, task definition, traffic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from opsctl.core import appspec, taskdef
from opsctl.core.environment import DeployEnv
from opsctl.errors import OpsError


class Strategy(StrEnum):
    canary = "canary"
    linear = "linear"
    all_at_once = "all-at-once"


# CodeDeploy's predefined ECS configurations: 10% then the rest after 5 minutes; 10% more
# every minute; everything at once.
CODEDEPLOY_CONFIGS = {
    Strategy.canary: "CodeDeployDefault.ECSCanary10Percent5Minutes",
    Strategy.linear: "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
    Strategy.all_at_once: "CodeDeployDefault.ECSAllAtOnce",
}


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
class Capacity:
    """A first release: the service was created at zero tasks, and CodeDeploy gives the new
    task set the service's desired count, so the count and the autoscaling floor go up first."""

    desired: int
    min_capacity: int
    max_capacity: int


@dataclass(frozen=True)
class Migration:
    """`opsctl db upgrade` as a one-off task from the new image, before the release starts."""

    base_task_definition: str
    task_definition: dict[str, Any]
    command: tuple[str, ...] = ("opsctl", "db", "upgrade")


@dataclass(frozen=True)
class DeployPlan:
    """Everything `deploy` will send, decided from the current state; printed before acting.

    Execution registers `task_definition`, points `appspec` at it and sends exactly
    `deployment_config`; it reads nothing from the environment again.
    """

    env: str
    cluster: str
    service: str
    strategy: Strategy
    deployment_config: str
    image: str  # repository@digest: what the task definition will pin
    digest: str
    image_tag: str | None
    current_task_definition: str  # what the service runs now
    base_task_definition: str  # what the next revision is rendered from
    task_definition: dict[str, Any]
    appspec: dict[str, Any]
    diff: str
    smoke_url: str | None = None  # None: no smoke test
    migration: Migration | None = None
    capacity: Capacity | None = None

    @property
    def changed(self) -> bool:
        return bool(self.diff)


def build_plan(
    *,
    env: DeployEnv,
    strategy: Strategy,
    image_tag: str | None,
    digest: str,
    current_arn: str,
    current: Mapping[str, Any],
    base_arn: str,
    base: Mapping[str, Any],
    base_tags: list[dict[str, str]],
    smoke: bool,
    migrate_base: tuple[str, Mapping[str, Any], list[dict[str, str]]] | None = None,
    desired_count: int = 1,
    scaling: tuple[int, int] | None = None,
) -> DeployPlan:
    """Render the next revision from `base` (the Terraform-managed one) and diff it with the
    running one. `migrate_base` is (arn, document, tags) of the migration family's revision;
    `scaling` is the service's current autoscaling (min, max)."""
    image = f"{env.ecr_repository_url}@{digest}"
    new = _next(base, base_tags, env.container_name, image, digest)
    running = taskdef.registrable(current)
    running.pop("tags", None)
    compare = {k: v for k, v in new.items() if k != "tags"}
    network = env.network["awsvpcConfiguration"]
    spec = appspec.render(
        base_arn, env.container_name, env.container_port, network=network, hooks=env.hooks
    )
    migration = None
    if migrate_base is not None:
        arn, document, tags = migrate_base
        migration = Migration(arn, _next(document, tags, env.container_name, image, digest))
    label = current_arn.rsplit("/", 1)[-1]
    return DeployPlan(
        env=env.name,
        cluster=env.cluster_name,
        service=env.service_name,
        strategy=strategy,
        deployment_config=CODEDEPLOY_CONFIGS[strategy],
        image=image,
        digest=digest,
        image_tag=image_tag,
        current_task_definition=current_arn,
        base_task_definition=base_arn,
        task_definition=new,
        appspec=spec,
        diff=taskdef.diff(running, compare, label, f"{new.get('family', 'task')}:next"),
        smoke_url=env.test_listener_url if smoke else None,
        migration=migration,
        capacity=_capacity(env, desired_count, scaling),
    )


def _next(
    base: Mapping[str, Any], tags: list[dict[str, str]], container: str, image: str, digest: str
) -> dict[str, Any]:
    return taskdef.render(
        taskdef.registrable(base, tags), container_name=container, image=image, release=digest
    )


def _capacity(env: DeployEnv, desired: int, scaling: tuple[int, int] | None) -> Capacity | None:
    floor = env.min_capacity or 1
    if desired > 0 and (scaling is None or scaling[0] >= floor):
        return None
    ceiling = max(env.max_capacity or floor, scaling[1] if scaling else 0, floor)
    return Capacity(desired=max(desired, floor), min_capacity=floor, max_capacity=ceiling)
