"""ECS's built-in blue/green (`deploymentConfiguration.strategy`), in CodeDeploy's terms.

The service's own deployment reports a lifecycle stage; each stage maps onto the
CodeDeploy lifecycle event it corresponds to, so `phase()`, the watch loop, the smoke
test and the summary are the same for both controllers.
"""

from __future__ import annotations

from typing import Any

from opsctl.config import DeployEnv
from opsctl.core.deployment import Deployment, LifecycleEvent, Snapshot, TaskSet
from opsctl.core.records import ServiceDeployment
from opsctl.errors import OpsError

# ECS lifecycle stage -> the CodeDeploy lifecycle event it plays the part of.
STAGES = (
    ("RECONCILE_SERVICE", "BeforeInstall"),
    ("PRE_SCALE_UP", "BeforeInstall"),
    ("SCALE_UP", "Install"),
    ("POST_SCALE_UP", "AfterInstall"),
    ("TEST_TRAFFIC_SHIFT", "AllowTestTraffic"),
    ("POST_TEST_TRAFFIC_SHIFT", "AfterAllowTestTraffic"),
    ("PRODUCTION_TRAFFIC_SHIFT", "AllowTraffic"),
    ("POST_PRODUCTION_TRAFFIC_SHIFT", "AfterAllowTraffic"),
    ("BAKE_TIME", None),
    ("CLEAN_UP", None),
)
EVENT_ORDER = (
    "BeforeInstall",
    "Install",
    "AfterInstall",
    "AllowTestTraffic",
    "AfterAllowTestTraffic",
    "AllowTraffic",
    "AfterAllowTraffic",
)
STATUS = {
    "PENDING": "Created",
    "IN_PROGRESS": "InProgress",
    "STOP_REQUESTED": "InProgress",
    "ROLLBACK_REQUESTED": "InProgress",
    "ROLLBACK_IN_PROGRESS": "InProgress",
    "SUCCESSFUL": "Succeeded",
    "STOPPED": "Stopped",
    "ROLLBACK_SUCCESSFUL": "Stopped",
    "ROLLBACK_FAILED": "Failed",
}
ACTIVE = ["PENDING", "IN_PROGRESS", "STOP_REQUESTED", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS"]


def as_deployment(d: ServiceDeployment, task_definition: str | None) -> Deployment:
    status = STATUS.get(d.status, "InProgress")
    stages = [s for s, _ in STAGES]
    reached = stages.index(d.stage) if d.stage in stages else -1
    current = dict(STAGES).get(d.stage or "")
    done_events = {e for _, e in STAGES[: max(reached, 0)] if e and e != current}
    events = []
    for name in EVENT_ORDER:
        state = "Pending"
        if status == "Succeeded" or name in done_events:
            state = "Succeeded"
        elif name == current:
            state = {"Failed": "Failed", "Stopped": "Failed"}.get(status, "InProgress")
        events.append(LifecycleEvent(name, state))
    shifted = status == "Succeeded" or reached > stages.index("PRODUCTION_TRAFFIC_SHIFT")
    green = 100.0 if shifted else 0.0
    error_code, error_message = None, d.status_reason
    if d.triggered_alarms:
        error_code = "ALARM_ACTIVE"
        error_message = "alarms: " + ", ".join(d.triggered_alarms)
    elif d.circuit_breaker_tripped:
        error_code = "HEALTH_CONSTRAINTS"
    return Deployment(
        id=d.arn,
        status=status,
        task_definition=task_definition,
        config_name=d.strategy,
        error_code=error_code,
        error_message=error_message if status in ("Failed", "Stopped") else None,
        rollback_message=f"ECS rolled back: {d.rollback_reason}" if d.rollback_reason else None,
        created=d.created,
        events=tuple(events),
        task_sets=(TaskSet("BLUE", 100.0 - green, 0, 0), TaskSet("GREEN", green, 0, 0)),
    )


class EcsController:
    """Blue/green by ECS itself: UpdateService with a deployment strategy, then its deployment."""

    def __init__(self, aws: Any, env: DeployEnv):
        self.aws = aws
        self.env = env
        self.task_definition: str | None = None

    def start(self, task_definition_arn: str, spec: dict[str, Any], config: Any) -> str:
        # The AppSpec is CodeDeploy's; ECS takes the revision and strategy directly.
        self.task_definition = task_definition_arn
        self.aws.update_service(
            self.env.cluster_name, self.env.service_name, task_definition_arn, config
        )
        started = self.active()
        if not started:
            raise OpsError("ECS accepted the update but reports no service deployment")
        return started[0]

    def observe(self, deployment_id: str) -> Snapshot:
        found = self.aws.describe_service_deployment(deployment_id)
        return Snapshot(as_deployment(found, self.task_definition))

    def proceed(self, deployment_id: str) -> None:
        """ECS does not wait for a go-ahead; lifecycle hooks are its gate."""

    def stop(self, deployment_id: str) -> None:
        self.aws.stop_service_deployment(deployment_id)

    def recent(self, limit: int) -> list[Deployment]:
        arns = self.aws.list_service_deployments(self.env.cluster_name, self.env.service_name)
        return [as_deployment(self.aws.describe_service_deployment(a), None) for a in arns[:limit]]

    def active(self) -> list[str]:
        return list(
            self.aws.list_service_deployments(self.env.cluster_name, self.env.service_name, ACTIVE)
        )
