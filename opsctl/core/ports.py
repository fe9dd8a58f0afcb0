"""The AWS adapter as release code sees it: one typed protocol, so a fake can stand in.

The boto3 adapter (adapters/aws.py) implements it; tests use the real adapter over
model-checked fake clients, or a moto server. Nothing here imports boto3.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from opsctl.core.aws_records import Image, LogLine, Service, TargetGroupHealth, Task, TaskDefinition
from opsctl.core.deployment import Deployment, LifecycleEvent, TaskSet
from opsctl.core.release_plan import ImageRequest


class AwsPort(Protocol):
    # ECR
    def describe_image(self, repository: str, request: ImageRequest) -> Image: ...

    # ECS
    def describe_service(self, cluster: str, service: str) -> Service: ...

    def describe_task_definition(self, arn: str) -> TaskDefinition: ...

    def register_task_definition(self, document: dict[str, Any]) -> str: ...

    def set_desired_count(self, cluster: str, service: str, count: int) -> None: ...

    def run_task(
        self,
        cluster: str,
        task_definition: str,
        container: str,
        command: list[str],
        network: dict[str, Any],
        started_by: str,
    ) -> Task: ...

    def describe_task(self, cluster: str, arn: str) -> Task: ...

    def stop_task(self, cluster: str, arn: str, reason: str) -> None: ...

    # Application Auto Scaling
    def scaling_limits(self, cluster: str, service: str) -> tuple[int, int] | None: ...

    def set_scaling_limits(self, cluster: str, service: str, low: int, high: int) -> None: ...

    # ELBv2, CloudWatch Logs
    def target_group_health(self, names: list[str]) -> list[TargetGroupHealth]: ...

    def log_events(
        self, group: str, stream: str, token: str | None
    ) -> tuple[list[LogLine], str | None]: ...

    # CodeDeploy
    def create_deployment(
        self,
        application: str,
        group: str,
        revision: dict[str, Any],
        config_name: str,
        description: str,
    ) -> str: ...

    def get_deployment(self, deployment_id: str) -> Deployment: ...

    def batch_get_deployments(self, deployment_ids: list[str]) -> list[Deployment]: ...

    def deployment_target(
        self, deployment_id: str
    ) -> tuple[tuple[LifecycleEvent, ...], tuple[TaskSet, ...]]: ...

    def list_deployments(
        self, application: str, group: str, statuses: Iterable[str] | None, since: datetime | None
    ) -> list[str]: ...

    def continue_deployment(self, deployment_id: str) -> bool: ...

    def stop_deployment(self, deployment_id: str, rollback: bool) -> bool: ...
