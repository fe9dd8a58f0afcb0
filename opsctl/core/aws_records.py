"""The facts the AWS adapter returns: plain frozen records, no client objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Image:
    repository: str
    digest: str
    tags: tuple[str, ...]
    pushed_at: datetime | None = None


@dataclass(frozen=True)
class RegistryLogin:
    username: str
    password: str
    registry: str  # https://ACCOUNT.dkr.ecr.REGION.amazonaws.com


@dataclass(frozen=True)
class ServiceEvent:
    at: datetime
    message: str


@dataclass(frozen=True)
class Service:
    name: str
    arn: str
    status: str
    task_definition: str
    desired: int
    running: int
    pending: int
    controller: str  # ECS, CODE_DEPLOY or EXTERNAL
    launch_type: str | None
    network: dict[str, Any]  # networkConfiguration, reused by one-off tasks
    events: tuple[ServiceEvent, ...] = ()


@dataclass(frozen=True)
class TaskDefinition:
    arn: str
    document: dict[str, Any]
    tags: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Container:
    name: str
    exit_code: int | None
    reason: str | None


@dataclass(frozen=True)
class Task:
    arn: str
    last_status: str
    stopped_reason: str | None
    stop_code: str | None
    containers: tuple[Container, ...]

    @property
    def task_id(self) -> str:
        return self.arn.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class TargetGroupHealth:
    name: str
    states: dict[str, int]  # healthy, unhealthy, initial, draining... -> count

    @property
    def healthy(self) -> int:
        return self.states.get("healthy", 0)


@dataclass(frozen=True)
class LogLine:
    at: datetime
    message: str
