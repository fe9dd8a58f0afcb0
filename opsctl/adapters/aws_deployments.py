"""The calls that start, follow and stop releases: CodeDeploy, and ECS's own deployments.

A mixin of opsctl.adapters.aws.Aws, which supplies `client()`.
"""

from __future__ import annotations

import json
from typing import Any

from opsctl.adapters.aws_errors import calling
from opsctl.core.deployment import Deployment, LifecycleEvent, TaskSet
from opsctl.core.records import ServiceDeployment
from opsctl.errors import OpsError

ACTIVE_DEPLOYMENT_STATUSES = ["Created", "Queued", "InProgress", "Ready", "Baking"]


class DeploymentCalls:
    def client(self, service: str) -> Any:
        raise NotImplementedError

    # ---------------------------------------------------------------- ECS built-in blue/green
    def list_service_deployments(
        self, cluster: str, service: str, statuses: list[str] | None = None
    ) -> list[str]:
        """ARNs of ECS's own deployments of the service, newest first."""
        extra = {"status": statuses} if statuses else {}
        with calling("ecs.ListServiceDeployments"):
            found = self.client("ecs").list_service_deployments(
                cluster=cluster, service=service, **extra
            )["serviceDeployments"]
        found.sort(key=lambda d: d.get("createdAt") or 0, reverse=True)
        return [d["serviceDeploymentArn"] for d in found]

    def describe_service_deployment(self, arn: str) -> ServiceDeployment:
        with calling("ecs.DescribeServiceDeployments"):
            found = self.client("ecs").describe_service_deployments(serviceDeploymentArns=[arn])
        if not found.get("serviceDeployments"):
            raise OpsError(f"ECS service deployment {arn} not found")
        d = found["serviceDeployments"][0]
        alarms = d.get("alarms") or {}
        rollback = d.get("rollback") or {}
        breaker = d.get("deploymentCircuitBreaker") or {}
        return ServiceDeployment(
            arn=d["serviceDeploymentArn"],
            status=d["status"],
            stage=d.get("lifecycleStage"),
            status_reason=d.get("statusReason"),
            strategy=(d.get("deploymentConfiguration") or {}).get("strategy"),
            triggered_alarms=tuple(alarms.get("triggeredAlarmNames") or ()),
            circuit_breaker_tripped=breaker.get("status") == "TRIGGERED",
            rollback_reason=rollback.get("reason"),
            created=d.get("createdAt"),
        )

    def stop_service_deployment(self, arn: str) -> None:
        with calling("ecs.StopServiceDeployment"):
            self.client("ecs").stop_service_deployment(
                serviceDeploymentArn=arn, stopType="ROLLBACK"
            )

    # ---------------------------------------------------------------- CodeDeploy
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
            info = self.client("codedeploy").get_deployment(deploymentId=deployment_id)[
                "deploymentInfo"
            ]
        error = info.get("errorInformation") or {}
        rollback = info.get("rollbackInfo") or {}
        content = info.get("revision", {}).get("appSpecContent", {}).get("content")
        return Deployment(
            id=info["deploymentId"],
            status=info["status"],
            task_definition=_appspec_task_definition(content),
            config_name=info.get("deploymentConfigName"),
            error_code=error.get("code"),
            error_message=error.get("message"),
            rollback_deployment_id=rollback.get("rollbackDeploymentId"),
            rollback_message=rollback.get("rollbackMessage"),
            creator=info.get("creator"),
            created=info.get("createTime"),
        )

    def deployment_target(
        self, deployment_id: str
    ) -> tuple[tuple[LifecycleEvent, ...], tuple[TaskSet, ...]]:
        """Lifecycle events and task sets of the deployment's ECS service (empty until known)."""
        client = self.client("codedeploy")
        with calling("codedeploy.ListDeploymentTargets"):
            targets = client.list_deployment_targets(deploymentId=deployment_id)["targetIds"]
        if not targets:
            return (), ()
        with calling("codedeploy.GetDeploymentTarget"):
            target = client.get_deployment_target(deploymentId=deployment_id, targetId=targets[0])[
                "deploymentTarget"
            ].get("ecsTarget", {})
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

    def list_deployments(self, application: str, group: str, active_only: bool) -> list[str]:
        """Deployment ids of the group, newest first."""
        extra = {"includeOnlyStatuses": ACTIVE_DEPLOYMENT_STATUSES} if active_only else {}
        with calling("codedeploy.ListDeployments"):
            pages = (
                self.client("codedeploy")
                .get_paginator("list_deployments")
                .paginate(applicationName=application, deploymentGroupName=group, **extra)
            )
            ids = [i for page in pages for i in page["deployments"]]
        return ids

    def continue_deployment(self, deployment_id: str) -> None:
        with calling("codedeploy.ContinueDeployment"):
            self.client("codedeploy").continue_deployment(
                deploymentId=deployment_id, deploymentWaitType="READY_WAIT"
            )

    def stop_deployment(self, deployment_id: str, rollback: bool) -> str:
        with calling("codedeploy.StopDeployment"):
            answer = self.client("codedeploy").stop_deployment(
                deploymentId=deployment_id, autoRollbackEnabled=rollback
            )
        return str(answer.get("status", ""))


def _appspec_task_definition(content: str | None) -> str | None:
    """The TaskDefinition of an AppSpec sent as JSON (opsctl always sends JSON)."""
    try:
        spec = json.loads(content or "")
        return str(spec["Resources"][0]["TargetService"]["Properties"]["TaskDefinition"])
    except (ValueError, KeyError, IndexError, TypeError):
        return None
