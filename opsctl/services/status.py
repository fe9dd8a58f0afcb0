"""`status`: what runs now and what CodeDeploy is doing, read-only."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from opsctl.config import DeployEnv
from opsctl.core import taskdef
from opsctl.core.deploy_plan import Controller
from opsctl.core.deployer import controller_for
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


def gather(aws: Any, env: DeployEnv, recent: int = 3) -> Status:
    service = aws.describe_service(env.cluster_name, env.service_name)
    current = aws.describe_task_definition(service.task_definition)
    image = taskdef.container(current.document, env.container_name).get("image")
    ctl = controller_for(Controller(env.controller), aws, env)
    deployments = ctl.recent(recent)
    running = ctl.active()
    # The full view (lifecycle events, traffic) of the one in progress.
    active = ctl.observe(running[0]).deployment if running else None
    return Status(
        env=env.name,
        service=service,
        image=image,
        active=active,
        recent=tuple(deployments),
        target_groups=tuple(aws.target_group_health(list(env.target_groups))),
    )
