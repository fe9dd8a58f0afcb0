"""CodeDeploy for ECS blue/green as its API reference documents it, as a boto3-shaped client.

The emulator records deployments but never runs them, so release scenarios run on this
fake behind the real adapter (opsctl.adapters.aws.Aws takes it as its "codedeploy"
client). It follows the documented state machine on the test's clock:

  Created -> InProgress: BeforeInstall, Install, AfterInstall, AllowTestTraffic,
  AfterAllowTestTraffic -> Ready (the group's ready wait: STOP_DEPLOYMENT, so only
  ContinueDeployment(READY_WAIT) moves on; at the end of the wait it is Stopped)
  -> BeforeInstall... BeforeAllowTraffic, AllowTraffic (traffic shifts by the deployment
  config), AfterAllowTraffic -> the termination wait (instanceTerminationWaitTimeStarted)
  -> Succeeded. A failed event, an alarm or StopDeployment ends it Failed or Stopped with
  errorInformation, and with automatic rollback a `codeDeployRollback` deployment.

Every request is checked against botocore's model, every response too (required members
and enum values included), and every error is one the operation declares.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.support.botocore_contract import check_request, check_response, error

PRE_READY = (
    "BeforeInstall",
    "Install",
    "AfterInstall",
    "AllowTestTraffic",
    "AfterAllowTestTraffic",
)
POST_READY = ("BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic")
HOOKS = (
    "BeforeInstall",
    "AfterInstall",
    "AfterAllowTestTraffic",
    "BeforeAllowTraffic",
    "AfterAllowTraffic",
)
EPOCH = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

# Traffic shifting of the predefined ECS configurations: (seconds after the shift starts,
# percent on green) steps.
SHIFTS = {
    "CodeDeployDefault.ECSAllAtOnce": [(0, 100.0)],
    "CodeDeployDefault.ECSCanary10Percent5Minutes": [(0, 10.0), (300, 100.0)],
    "CodeDeployDefault.ECSLinear10PercentEvery1Minutes": [
        (60 * i, 10.0 * (i + 1)) for i in range(10)
    ],
}


@dataclass
class Timing:
    """Seconds each step takes; the group's waits in minutes, as Terraform sets them."""

    queued: float = 5.0
    event: float = 10.0
    install: float = 60.0
    rollback: float = 30.0
    ready_wait_minutes: int = 60
    termination_wait_minutes: int = 5


@dataclass
class Record:
    id: str
    application: str
    group: str
    config: str
    revision: dict[str, Any]
    created: float
    creator: str = "user"
    previous: str | None = None  # the task definition serving before (blue)
    continued: float | None = None
    stopped: tuple[float, str, bool] | None = None  # (when, error code, roll back)
    rollback_id: str | None = None
    reported_success: bool = False

    @property
    def task_definition(self) -> str:
        spec = json.loads(self.revision["appSpecContent"]["content"])
        return str(spec["Resources"][0]["TargetService"]["Properties"]["TaskDefinition"])


@dataclass
class View:
    """A deployment at one moment."""

    status: str
    events: dict[str, str]
    green: float
    termination_started: bool = False
    ended: float | None = None
    error: tuple[str, str] | None = None
    roll_back: bool = False


@dataclass
class Plan:
    """What goes wrong in the next deployment (set by a test)."""

    fail_event: str | None = None
    alarm_after: float | None = None  # seconds after ContinueDeployment


class FakeCodeDeploy:
    """A codedeploy client for one application and deployment group of one ECS service."""

    def __init__(
        self,
        now: Callable[[], float],
        *,
        application: str,
        group: str,
        cluster: str,
        service: str,
        blue_task_definition: Callable[[], str],
        desired: Callable[[], int] = lambda: 2,
        on_succeeded: Callable[[str], None] = lambda arn: None,
        timing: Timing | None = None,
    ):
        self.now = now
        self.application, self.group = application, group
        self.cluster, self.service = cluster, service
        self.blue_task_definition = blue_task_definition
        self.desired = desired
        self.on_succeeded = on_succeeded
        self.timing = timing or Timing()
        self.records: dict[str, Record] = {}
        self.plans: dict[str, Plan] = {}
        self.next_plan = Plan()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        # Runs before each call with its operation name: a test's way to let time pass
        # between opsctl's look and its next request, as it does on a real network.
        self.before_call: Callable[[str], None] = lambda operation: None

    # ------------------------------------------------------------ the API
    def create_deployment(self, **params: Any) -> dict[str, Any]:
        self._request("CreateDeployment", params)
        if params["applicationName"] != self.application:
            raise self._error("CreateDeployment", "ApplicationDoesNotExistException", "no app")
        if params["deploymentGroupName"] != self.group:
            raise self._error(
                "CreateDeployment", "DeploymentGroupDoesNotExistException", "no group"
            )
        if any(self._view(r).ended is None for r in self.records.values()):
            raise self._error(
                "CreateDeployment",
                "DeploymentLimitExceededException",
                "The deployment group already has an active deployment",
            )
        record = self._new(params["deploymentConfigName"], params["revision"], "user")
        self.plans[record.id], self.next_plan = self.next_plan, Plan()
        return self._response("CreateDeployment", {"deploymentId": record.id})

    def get_deployment(self, **params: Any) -> dict[str, Any]:
        self._request("GetDeployment", params)
        record = self._get("GetDeployment", params["deploymentId"])
        return self._response("GetDeployment", {"deploymentInfo": self._info(record)})

    def batch_get_deployments(self, **params: Any) -> dict[str, Any]:
        self._request("BatchGetDeployments", params)
        ids = params["deploymentIds"]
        if len(ids) > 25:
            raise self._error("BatchGetDeployments", "BatchLimitExceededException", "max 25")
        found = [self._info(self.records[i]) for i in ids if i in self.records]
        return self._response("BatchGetDeployments", {"deploymentsInfo": found})

    def list_deployments(self, **params: Any) -> dict[str, Any]:
        self._request("ListDeployments", params)
        statuses = params.get("includeOnlyStatuses")
        since = params.get("createTimeRange", {}).get("start")
        ids = [
            r.id
            for r in self.records.values()
            if (statuses is None or self._view(r).status in statuses)
            and (since is None or self._time(r.created) >= since)
        ]
        # One id a page, so every caller must follow nextToken.
        start = int(params.get("nextToken") or 0)
        page: dict[str, Any] = {"deployments": ids[start : start + 1]}
        if start + 1 < len(ids):
            page["nextToken"] = str(start + 1)
        return self._response("ListDeployments", page)

    def get_paginator(self, name: str) -> Any:
        assert name == "list_deployments", name
        fake = self

        class Paginator:
            def paginate(self, **params: Any) -> Iterator[dict[str, Any]]:
                token = None
                while True:
                    page = fake.list_deployments(
                        **params, **({"nextToken": token} if token else {})
                    )
                    yield page
                    token = page.get("nextToken")
                    if not token:
                        return

        return Paginator()

    def list_deployment_targets(self, **params: Any) -> dict[str, Any]:
        self._request("ListDeploymentTargets", params)
        record = self._get("ListDeploymentTargets", params["deploymentId"])
        if self._view(record).status == "Created":
            raise self._error(
                "ListDeploymentTargets", "DeploymentNotStartedException", "not started"
            )
        return self._response("ListDeploymentTargets", {"targetIds": [self._target_id]})

    def get_deployment_target(self, **params: Any) -> dict[str, Any]:
        self._request("GetDeploymentTarget", params)
        record = self._get("GetDeploymentTarget", params["deploymentId"])
        view = self._view(record)
        if view.status == "Created":
            raise self._error("GetDeploymentTarget", "DeploymentNotStartedException", "not started")
        if params["targetId"] != self._target_id:
            raise self._error(
                "GetDeploymentTarget", "DeploymentTargetDoesNotExistException", "no such target"
            )
        target = {
            "deploymentId": record.id,
            "targetId": self._target_id,
            "targetArn": f"arn:aws:ecs:af-south-1:123456789012:service/{self.cluster}/{self.service}",
            "lastUpdatedAt": self._time(self.now()),
            "lifecycleEvents": [
                {"lifecycleEventName": name, "status": status}
                for name, status in view.events.items()
            ],
            "status": _target_status(view.status),
            "taskSetsInfo": self._task_sets(view),
        }
        answer = {"deploymentTarget": {"deploymentTargetType": "ECSTarget", "ecsTarget": target}}
        return self._response("GetDeploymentTarget", answer)

    def continue_deployment(self, **params: Any) -> dict[str, Any]:
        self._request("ContinueDeployment", params)
        record = self._get("ContinueDeployment", params["deploymentId"])
        view = self._view(record)
        if view.ended is not None:
            raise self._error("ContinueDeployment", "DeploymentAlreadyCompletedException", "done")
        if params.get("deploymentWaitType", "READY_WAIT") != "READY_WAIT" or view.status != "Ready":
            raise self._error(
                "ContinueDeployment",
                "DeploymentIsNotInReadyStateException",
                "not in its ready wait",
            )
        record.continued = self.now()
        return self._response("ContinueDeployment", {})

    def stop_deployment(self, **params: Any) -> dict[str, Any]:
        self._request("StopDeployment", params)
        record = self._get("StopDeployment", params["deploymentId"])
        if self._view(record).ended is not None:
            raise self._error("StopDeployment", "DeploymentAlreadyCompletedException", "done")
        roll_back = params.get("autoRollbackEnabled", True)
        record.stopped = (self.now(), "MANUAL_STOP", roll_back)
        return self._response("StopDeployment", {"status": "Pending", "statusMessage": "stopping"})

    # ------------------------------------------------------------ for tests
    def settle(self) -> None:
        """Let every deployment reach where the clock says (a success updates the service
        whether or not anyone is looking, as it does on AWS)."""
        for record in list(self.records.values()):
            self._view(record)

    def latest(self) -> Record:
        return max(self.records.values(), key=lambda r: r.created)

    def view(self, record: Record) -> View:
        return self._view(record)

    def add_history(self, task_definition: str, status: str, age: timedelta) -> Record:
        """A finished deployment from before the test (Succeeded, Failed or Stopped)."""
        spec = {
            "Resources": [{"TargetService": {"Properties": {"TaskDefinition": task_definition}}}]
        }
        content = json.dumps(spec)
        revision = {"revisionType": "AppSpecContent", "appSpecContent": {"content": content}}
        record = self._new("CodeDeployDefault.ECSAllAtOnce", revision, "user")
        record.created = self.now() - age.total_seconds()
        code = {"Failed": "HEALTH_CONSTRAINTS", "Stopped": "MANUAL_STOP"}.get(status)
        if status == "Succeeded":
            record.continued = record.created
            record.reported_success = True
        else:
            record.stopped = (record.created + 1, str(code), False)
        return record

    # ------------------------------------------------------------ the state machine
    @property
    def _target_id(self) -> str:
        return f"{self.cluster}:{self.service}"

    def _new(self, config: str, revision: dict[str, Any], creator: str) -> Record:
        record = Record(
            id=f"d-{len(self.records) + 1:09d}".replace("0", "A"),
            application=self.application,
            group=self.group,
            config=config,
            revision=revision,
            created=self.now(),
            creator=creator,
            previous=self.blue_task_definition(),
        )
        self.records[record.id] = record
        return record

    def _view(self, r: Record) -> View:
        t, now = self.timing, self.now()
        if r.creator == "codeDeployRollback":
            done = now >= r.created + t.rollback
            return View(
                "Succeeded" if done else "InProgress",
                {},
                0.0,
                ended=r.created + t.rollback if done else None,
            )
        plan = self.plans.get(r.id, Plan())
        events = dict.fromkeys(PRE_READY + POST_READY, "Pending")
        clock = r.created + t.queued
        if now < clock and not r.stopped:
            return View("Created", events, 0.0)

        def end(at: float, status: str, code: str, roll_back: bool, green: float = 0.0) -> View:
            for name, state in events.items():
                if state in ("Pending", "InProgress"):
                    events[name] = "Skipped" if state == "Pending" else "Failed"
            return View(
                status, events, green, ended=at, error=(code, _MESSAGES[code]), roll_back=roll_back
            )

        stop_at = r.stopped[0] if r.stopped else None
        for name in PRE_READY:
            finish = clock + (t.install if name == "Install" else t.event)
            if stop_at is not None and stop_at < finish and now >= stop_at:
                return end(stop_at, "Stopped", r.stopped[1], r.stopped[2])  # type: ignore[index]
            if now < clock:
                return View("InProgress", events, 0.0)
            if now < finish:
                events[name] = "InProgress"
                return View("InProgress", events, 0.0)
            if name == plan.fail_event:
                events[name] = "Failed"
                code = "HOOK_EXECUTION_FAILURE" if name in HOOKS else "ECS_UPDATE_ERROR"
                return end(finish, "Failed", code, True)
            events[name] = "Succeeded"
            clock = finish
        wait_ends = clock + t.ready_wait_minutes * 60
        if r.continued is None or r.continued >= wait_ends:
            if stop_at is not None and stop_at < wait_ends and now >= stop_at:
                return end(stop_at, "Stopped", r.stopped[1], r.stopped[2])  # type: ignore[index]
            if now < wait_ends:
                return View("Ready", events, 0.0)
            return end(wait_ends, "Stopped", "TIMEOUT", True)
        clock = r.continued
        green = 0.0
        alarm_at = clock + plan.alarm_after if plan.alarm_after is not None else None
        shifts = SHIFTS[r.config]
        cuts = [(alarm_at, "ALARM_ACTIVE", True)]
        if r.stopped:
            cuts.append(r.stopped)
        for name in POST_READY:
            length = t.event if name != "AllowTraffic" else shifts[-1][0] + t.event
            finish = clock + length
            for cut, code, roll in cuts:
                if cut is not None and cut < finish and now >= cut:
                    shifted = _weight(shifts, cut - clock) if name == "AllowTraffic" else green
                    return end(cut, "Stopped", code, roll, shifted)
            if now < finish:
                events[name] = "InProgress"
                if name == "AllowTraffic":
                    green = _weight(shifts, now - clock)
                return View("InProgress", events, green)
            events[name] = "Succeeded"
            green = 100.0 if name in ("AllowTraffic", "AfterAllowTraffic") else green
            clock = finish
        terminated = clock + t.termination_wait_minutes * 60
        if stop_at is not None and stop_at < terminated and now >= stop_at:
            return end(stop_at, "Stopped", r.stopped[1], r.stopped[2], 100.0)  # type: ignore[index]
        if now < terminated:
            return View("InProgress", events, 100.0, termination_started=True)
        if not r.reported_success:
            r.reported_success = True
            self.on_succeeded(r.task_definition)
        return View("Succeeded", events, 100.0, termination_started=True, ended=terminated)

    def _info(self, r: Record) -> dict[str, Any]:
        view = self._view(r)
        info: dict[str, Any] = {
            "applicationName": r.application,
            "deploymentGroupName": r.group,
            "deploymentConfigName": r.config,
            "deploymentId": r.id,
            "revision": r.revision,
            "status": view.status,
            "createTime": self._time(r.created),
            "creator": r.creator,
            "deploymentStyle": {
                "deploymentType": "BLUE_GREEN",
                "deploymentOption": "WITH_TRAFFIC_CONTROL",
            },
            "instanceTerminationWaitTimeStarted": view.termination_started,
            "computePlatform": "ECS",
        }
        if view.ended is not None:
            info["completeTime"] = self._time(view.ended)
        if view.error:
            info["errorInformation"] = {"code": view.error[0], "message": view.error[1]}
        if view.ended is not None and view.status != "Succeeded" and view.roll_back:
            if r.rollback_id is None:
                rollback = self._new(
                    r.config, _revision_of(r.previous or r.task_definition), "codeDeployRollback"
                )
                rollback.created = view.ended
                r.rollback_id = rollback.id
            info["rollbackInfo"] = {
                "rollbackDeploymentId": r.rollback_id,
                "rollbackMessage": f"Automatic rollback triggered by {r.id}",
            }
        return info

    def _task_sets(self, view: View) -> list[dict[str, Any]]:
        sets = [("Blue", 100.0 - view.green, "PRIMARY")]
        if view.events.get("Install") == "Succeeded" and view.status != "Succeeded":
            sets.append(("Green", view.green, "ACTIVE"))
        if view.status == "Succeeded":
            sets = [("Green", 100.0, "PRIMARY")]
        count = self.desired()
        return [
            {
                "identifer": f"ecs-svc/{label.lower()}",
                "desiredCount": count,
                "pendingCount": 0,
                "runningCount": count,
                "status": status,
                "trafficWeight": weight,
                "targetGroup": {"name": f"{self.service}-{label.lower()}"},
                "taskSetLabel": label,
            }
            for label, weight, status in sets
        ]

    def green_on_test_listener(self) -> bool:
        """Whether the test listener routes to the replacement tasks of the active deployment."""
        active = [
            r for r in self.records.values() if r.creator == "user" and self._view(r).ended is None
        ]
        return bool(active) and self._view(active[0]).events["AllowTestTraffic"] == "Succeeded"

    def _time(self, seconds: float) -> datetime:
        return EPOCH + timedelta(seconds=seconds)

    # ------------------------------------------------------------ the contract
    def _request(self, operation: str, params: dict[str, Any]) -> None:
        self.before_call(operation)
        check_request("codedeploy", operation, params)
        self.calls.append((operation, params))

    def _response(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        check_response("codedeploy", operation, body)
        return {**body, "ResponseMetadata": {"HTTPStatusCode": 200}}

    def _error(self, operation: str, code: str, message: str) -> Exception:
        return error("codedeploy", operation, code, message)

    def _get(self, operation: str, deployment_id: str) -> Record:
        if deployment_id not in self.records:
            raise self._error(operation, "DeploymentDoesNotExistException", deployment_id)
        return self.records[deployment_id]


_MESSAGES = {
    "MANUAL_STOP": "The deployment was stopped by a user",
    "TIMEOUT": "The deployment timed out waiting for traffic to be rerouted",
    "ALARM_ACTIVE": "One or more alarms have been activated according to the Amazon CloudWatch metrics",
    "HOOK_EXECUTION_FAILURE": "A lifecycle hook reported failure",
    "ECS_UPDATE_ERROR": "The ECS service could not start the replacement task set",
    "HEALTH_CONSTRAINTS": "The replacement tasks failed their health checks",
}


def _weight(shifts: list[tuple[int, float]], elapsed: float) -> float:
    return max((w for at, w in shifts if elapsed >= at), default=0.0)


def _target_status(status: str) -> str:
    return {
        "Created": "Pending",
        "Queued": "Pending",
        "Baking": "InProgress",
        "Stopped": "Failed",
    }.get(status, status)


def _revision_of(task_definition: str) -> dict[str, Any]:
    spec = {"Resources": [{"TargetService": {"Properties": {"TaskDefinition": task_definition}}}]}
    return {"revisionType": "AppSpecContent", "appSpecContent": {"content": json.dumps(spec)}}
