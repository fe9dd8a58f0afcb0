"""The CodeDeploy calls that start, follow, continue and stop ECS blue/green releases.

A mixin of opsctl.adapters.aws.Aws, which supplies `client()`. Errors are the ones
botocore's codedeploy model declares for each operation; those that only mean "not yet"
or "already over" become answers, not failures.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from opsctl.adapters.aws_errors import AwsError, calling
from opsctl.core.appspec import task_definition_of
from opsctl.core.deployment import Deployment, LifecycleEvent, TaskSet

BATCH_LIMIT = 25  # BatchGetDeployments takes at most 25 ids

# Before a deployment starts (status Created) it has no targets yet.
_NOT_STARTED = ("DeploymentNotStartedException", "DeploymentTargetDoesNotExistException")


class DeploymentCalls:
    def client(self, service: str) -> Any:
        raise NotImplementedError

    def create_deployment(
        self,
        application: str,
        group: str,
        revision: dict[str, Any],
        config_name: str,
        description: str,
    ) -> str:
        with calling("codedeploy.CreateDeployment"):
            answer = self.client("codedeploy").create_deployment(
                applicationName=application,
                deploymentGroupName=group,
                revision=revision,
                deploymentConfigName=config_name,
                description=description,
                # Whatever the group says, a failed, alarmed or stopped deploy rolls back.
                autoRollbackConfiguration={
                    "enabled": True,
                    "events": [
                        "DEPLOYMENT_FAILURE",
                        "DEPLOYMENT_STOP_ON_ALARM",
                        "DEPLOYMENT_STOP_ON_REQUEST",
                    ],
                },
            )
        return str(answer["deploymentId"])

    def get_deployment(self, deployment_id: str) -> Deployment:
        with calling("codedeploy.GetDeployment"):
            info = self.client("codedeploy").get_deployment(deploymentId=deployment_id)
        return deployment_from(info["deploymentInfo"])

    def batch_get_deployments(self, deployment_ids: list[str]) -> list[Deployment]:
        found: list[Deployment] = []
        for start in range(0, len(deployment_ids), BATCH_LIMIT):
            chunk = deployment_ids[start : start + BATCH_LIMIT]
            with calling("codedeploy.BatchGetDeployments"):
                answer = self.client("codedeploy").batch_get_deployments(deploymentIds=chunk)
            found.extend(deployment_from(i) for i in answer.get("deploymentsInfo", []))
        return found

    def deployment_target(
        self, deployment_id: str
    ) -> tuple[tuple[LifecycleEvent, ...], tuple[TaskSet, ...]]:
        """Lifecycle events and task sets of the deployment's ECS service (empty until known)."""
        client = self.client("codedeploy")
        try:
            with calling("codedeploy.ListDeploymentTargets"):
                targets = client.list_deployment_targets(deploymentId=deployment_id)
            ids = targets.get("targetIds", [])
            if not ids:
                return (), ()
            with calling("codedeploy.GetDeploymentTarget"):
                target = client.get_deployment_target(deploymentId=deployment_id, targetId=ids[0])
        except AwsError as exc:
            if exc.code in _NOT_STARTED:
                return (), ()
            raise
        return target_from(target["deploymentTarget"].get("ecsTarget", {}))

    def list_deployments(
        self, application: str, group: str, statuses: Iterable[str] | None, since: datetime | None
    ) -> list[str]:
        """Deployment ids of the group created since `since`, in no promised order."""
        extra: dict[str, Any] = {}
        if statuses is not None:
            extra["includeOnlyStatuses"] = list(statuses)
        if since is not None:
            extra["createTimeRange"] = {"start": since}
        with calling("codedeploy.ListDeployments"):
            pages = (
                self.client("codedeploy")
                .get_paginator("list_deployments")
                .paginate(applicationName=application, deploymentGroupName=group, **extra)
            )
            return [i for page in pages for i in page["deployments"]]

    def continue_deployment(self, deployment_id: str) -> bool:
        """Reroute production traffic; False when the deployment is not in its ready wait."""
        try:
            with calling("codedeploy.ContinueDeployment"):
                self.client("codedeploy").continue_deployment(
                    deploymentId=deployment_id, deploymentWaitType="READY_WAIT"
                )
        except AwsError as exc:
            if exc.code == "DeploymentIsNotInReadyStateException":
                return False
            raise
        return True

    def stop_deployment(self, deployment_id: str, rollback: bool) -> bool:
        """Ask CodeDeploy to stop; False when the deployment had already completed."""
        try:
            with calling("codedeploy.StopDeployment"):
                self.client("codedeploy").stop_deployment(
                    deploymentId=deployment_id, autoRollbackEnabled=rollback
                )
        except AwsError as exc:
            if exc.code == "DeploymentAlreadyCompletedException":
                return False
            raise
        return True


def deployment_from(info: dict[str, Any]) -> Deployment:
    """A `DeploymentInfo` (GetDeployment, BatchGetDeployments) as a Deployment."""
    error = info.get("errorInformation") or {}
    rollback = info.get("rollbackInfo") or {}
    content = (info.get("revision") or {}).get("appSpecContent", {}).get("content")
    return Deployment(
        id=info["deploymentId"],
        status=info["status"],
        task_definition=task_definition_of(content),
        config_name=info.get("deploymentConfigName"),
        error_code=error.get("code"),
        error_message=error.get("message"),
        rollback_deployment_id=rollback.get("rollbackDeploymentId"),
        rollback_message=rollback.get("rollbackMessage"),
        creator=info.get("creator"),
        created=info.get("createTime"),
        termination_wait_started=bool(info.get("instanceTerminationWaitTimeStarted")),
    )


def target_from(target: dict[str, Any]) -> tuple[tuple[LifecycleEvent, ...], tuple[TaskSet, ...]]:
    """An `ECSTarget` (GetDeploymentTarget) as lifecycle events and task sets."""
    events = tuple(
        LifecycleEvent(e["lifecycleEventName"], e.get("status", "Unknown"))
        for e in target.get("lifecycleEvents", [])
    )
    task_sets = tuple(
        TaskSet(
            label=t.get("taskSetLabel", "?"),
            traffic=float(t.get("trafficWeight", 0.0)),
            running=int(t.get("runningCount", 0)),
            desired=int(t.get("desiredCount", 0)),
        )
        for t in target.get("taskSetsInfo", [])
    )
    return events, task_sets
