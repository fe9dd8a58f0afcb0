"""A CodeDeploy ECS blue/green deployment as AWS reports it, and what that state means.

`phase()` turns status, lifecycle events, task sets and the termination-wait flag into
the one question the release loop asks: keep waiting, test, continue, or stop with this
result. `watch()` is that loop; its clock is injected so tests never wait.

Values follow botocore's codedeploy model: `DeploymentStatus`, `LifecycleEventStatus`,
`TargetLabel` (`Blue`, `Green`) and `DeploymentInfo.instanceTerminationWaitTimeStarted`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from opsctl.core.aws_records import ServiceEvent

# The ECS lifecycle, in the order CodeDeploy runs it (the ready wait sits between
# AfterAllowTestTraffic and BeforeAllowTraffic).
LIFECYCLE = (
    "BeforeInstall",
    "Install",
    "AfterInstall",
    "AllowTestTraffic",
    "AfterAllowTestTraffic",
    "BeforeAllowTraffic",
    "AllowTraffic",
    "AfterAllowTraffic",
)
# The events an AppSpec may hook a Lambda function to (the others are CodeDeploy's own).
_OWN_EVENTS = ("Install", "AllowTestTraffic", "AllowTraffic")
HOOK_EVENTS = tuple(e for e in LIFECYCLE if e not in _OWN_EVENTS)
ACTIVE_STATUSES = ("Created", "Queued", "InProgress", "Baking", "Ready")
GREEN = "Green"  # TargetLabel of the replacement task set

# What CodeDeploy's error codes mean to the person watching.
_ERROR_HINTS = {
    "ALARM_ACTIVE": "a CloudWatch alarm fired",
    "HEALTH_CONSTRAINTS": "new tasks failed their health checks",
    "TIMEOUT": "CodeDeploy timed out",
    "ECS_UPDATE_ERROR": "ECS could not start the new task set",
    "HOOK_EXECUTION_FAILURE": "a lifecycle hook reported failure",
    "MANUAL_STOP": "stopped on request",
    "INVALID_REVISION": "CodeDeploy rejected the AppSpec",
}


@dataclass(frozen=True)
class LifecycleEvent:
    name: str
    status: str  # Pending, InProgress, Succeeded, Failed, Skipped, Unknown


@dataclass(frozen=True)
class TaskSet:
    label: str  # Blue (serving before the deploy) or Green (the new revision)
    traffic: float  # percent of production traffic
    running: int
    desired: int


@dataclass(frozen=True)
class Deployment:
    id: str
    status: str
    task_definition: str | None = None
    config_name: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    rollback_deployment_id: str | None = None
    rollback_message: str | None = None
    creator: str | None = None
    created: datetime | None = None
    termination_wait_started: bool = False
    events: tuple[LifecycleEvent, ...] = ()
    task_sets: tuple[TaskSet, ...] = ()

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def green_traffic(self) -> float | None:
        green = [t.traffic for t in self.task_sets if t.label == GREEN]
        return green[0] if green else None

    def event_status(self, name: str) -> str | None:
        return next((e.status for e in self.events if e.name == name), None)

    @property
    def current_event(self) -> str | None:
        running = [e.name for e in self.events if e.status == "InProgress"]
        return running[0] if running else None

    @property
    def failed_event(self) -> str | None:
        failed = [e.name for e in self.events if e.status == "Failed"]
        return failed[0] if failed else None


@dataclass(frozen=True)
class Snapshot:
    deployment: Deployment
    service_events: tuple[ServiceEvent, ...] = ()


class Phase(StrEnum):
    running = "running"
    test_traffic = "test traffic on green"  # the test listener reaches the new tasks
    ready = "waiting to reroute traffic"
    shifted = "all traffic on green"  # only the wait before blue is terminated is left
    succeeded = "succeeded"
    failed = "failed"
    stopped = "stopped"


DONE = frozenset({Phase.shifted, Phase.succeeded, Phase.failed, Phase.stopped})
_FINISHED = ("Succeeded", "Skipped")
_ENDED = {"Succeeded": Phase.succeeded, "Failed": Phase.failed, "Stopped": Phase.stopped}


def phase(d: Deployment) -> Phase:
    if d.status in _ENDED:
        return _ENDED[d.status]
    if d.status == "Ready":
        return Phase.ready
    if d.termination_wait_started or (
        d.event_status("AllowTraffic") == "Succeeded"
        and d.event_status("AfterAllowTraffic") in _FINISHED
        and d.green_traffic == 100
    ):
        return Phase.shifted
    if d.event_status("AllowTestTraffic") == "Succeeded":
        return Phase.test_traffic
    return Phase.running


def failure_reason(d: Deployment) -> str:
    """One line: which lifecycle event or alarm, in CodeDeploy's words and ours."""
    parts = []
    if d.failed_event:
        parts.append(f"lifecycle event {d.failed_event} failed")
    if d.error_code:
        parts.append(_ERROR_HINTS.get(d.error_code, d.error_code.replace("_", " ").lower()))
    if d.error_message:
        parts.append(d.error_message)
    return "; ".join(parts) or f"deployment {d.status.lower()}"


@dataclass(frozen=True)
class Outcome:
    """How a release ended, for the summary screen and the exit code."""

    deployment_id: str
    phase: Phase
    ok: bool
    reason: str
    task_definition: str | None = None
    rollback: str | None = None  # what happened to production traffic afterwards
    elapsed: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Clock:
    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


def watch(
    observe: Callable[[], Snapshot],
    *,
    clock: Clock,
    timeout: float,
    interval: float,
    on_update: Callable[[Snapshot], None],
    act: Callable[[Snapshot], bool] | None = None,
) -> tuple[Snapshot, bool]:
    """Poll until the deployment is done or `timeout` passes; return (last snapshot, timed out).

    `act` sees every snapshot of a deployment still running and returns True when it
    changed something (tested, continued, stopped): the loop then looks again at once.
    """
    deadline = clock.now() + timeout
    while True:
        snap = observe()
        on_update(snap)
        if phase(snap.deployment) in DONE:
            return snap, False
        if act is not None and act(snap):
            continue
        if clock.now() >= deadline:
            return snap, True
        clock.sleep(interval)
