"""`status`: what runs now and what CodeDeploy is doing, read-only."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from opsctl.config import DeployEnv
from opsctl.core import taskdef
from opsctl.core.deployment import Deployment
from opsctl.core.records import Service, TargetGroupHealth


@dataclass(frozen=True)
class Status:
    env: str
    service: Service
    image: str | None
    active: Deployment | None
    recent: tuple[Deployment, ...]  # newest first, the active one included
    target_groups: tuple[TargetGroupHealth, ...]

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


_EPOCH = datetime.min.replace(tzinfo=UTC)


def gather(aws: Any, env: DeployEnv, recent: int = 3) -> Status:
    service = aws.describe_service(env.cluster_name, env.service_name)
    current = aws.describe_task_definition(service.task_definition)
    image = taskdef.container(current.document, env.container_name).get("image")
    app, group = env.codedeploy_app_name, env.codedeploy_group_name
    deployments = [aws.get_deployment(i) for i in aws.list_deployments(app, group, False)]
    deployments.sort(key=lambda d: d.created or _EPOCH, reverse=True)
    active = next((d for d in deployments if d.active), None)
    if active is not None:
        events, task_sets = aws.deployment_target(active.id)
        active = dataclasses.replace(active, events=events, task_sets=task_sets)
    return Status(
        env=env.name,
        service=service,
        image=image,
        active=active,
        recent=tuple(deployments[:recent]),
        target_groups=tuple(aws.target_group_health(list(env.target_groups))),
    )
