"""`status`: what runs now and what CodeDeploy is doing, read-only."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from opsctl.core import taskdef
from opsctl.core.aws_records import Service, TargetGroupHealth
from opsctl.core.deployment import Deployment
from opsctl.core.environment import DeployEnv
from opsctl.core.ports import AwsPort
from opsctl.services.release import Releases


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


def gather(aws: AwsPort, env: DeployEnv, now: datetime, recent: int = 3) -> Status:
    service = aws.describe_service(env.cluster_name, env.service_name)
    current = aws.describe_task_definition(service.task_definition)
    image = taskdef.container(current.document, env.container_name).get("image")
    releases = Releases(aws, env)
    running = releases.active()
    # The full view (lifecycle events, traffic) of the one in progress.
    active = releases.observe(running[0]).deployment if running else None
    return Status(
        env=env.name,
        service=service,
        image=image,
        active=active,
        recent=tuple(releases.recent(recent, now)),
        target_groups=tuple(aws.target_group_health(list(env.target_groups))),
    )
