"""AWS, one method per remote call: ECR, ECS, CodeDeploy, ELBv2, CloudWatch Logs.

Clients are built once per run from the standard credential chain; boto3 itself honours
AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>), so the same code talks to an emulator.
Every botocore failure becomes an OpsError naming the call that failed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opsctl.core.deploy_plan import ImageRequest
from opsctl.core.deployment import Deployment, LifecycleEvent, TaskSet
from opsctl.core.records import (
    Container,
    Image,
    LogLine,
    RegistryLogin,
    Service,
    ServiceEvent,
    TargetGroupHealth,
    Task,
    TaskDefinition,
)
from opsctl.errors import OpsError, PrerequisiteError

ACTIVE_DEPLOYMENT_STATUSES = ["Created", "Queued", "InProgress", "Ready", "Baking"]


class AwsError(OpsError):
    """A call AWS refused; `code` is its error code, for callers that branch on it."""

    def __init__(self, message: str, code: str, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.code = code


@contextmanager
def calling(operation: str) -> Iterator[None]:
    """Translate botocore's exceptions into one-line errors that name the call."""
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
    )

    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code = str(error.get("Code", "Unknown"))
        hint = "check the credentials' permissions" if "AccessDenied" in code else None
        raise AwsError(f"{operation}: {code}: {error.get('Message', '')}", code, hint) from exc
    except (NoCredentialsError, NoRegionError) as exc:
        raise PrerequisiteError(
            f"{operation}: {exc}",
            hint="configure AWS credentials (AWS_PROFILE, environment, SSO or instance role)",
        ) from exc
    except EndpointConnectionError as exc:
        raise OpsError(f"{operation}: {exc}", hint="is AWS_ENDPOINT_URL reachable?") from exc
    except BotoCoreError as exc:
        raise OpsError(f"{operation}: {exc}") from exc


class Aws:
    """One set of clients for one region, created on first use and reused for the run."""

    def __init__(self, region: str, session: Any = None):
        self.region = region
        self._session = session
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            import boto3
            from botocore.config import Config

            if self._session is None:
                self._session = boto3.session.Session(region_name=self.region)
            config = Config(retries={"mode": "standard", "max_attempts": 5})
            self._clients[service] = self._session.client(service, config=config)
        return self._clients[service]

    # ---------------------------------------------------------------- ECR
    def describe_image(self, repository: str, request: ImageRequest) -> Image:
        image_id = {"imageDigest": request.digest} if request.digest else {"imageTag": request.tag}
        try:
            with calling("ecr.DescribeImages"):
                found = self.client("ecr").describe_images(
                    repositoryName=repository, imageIds=[image_id]
                )["imageDetails"][0]
        except AwsError as exc:
            if exc.code != "ImageNotFoundException":
                raise
            raise OpsError(
                f"no image {request} in ECR repository {repository}",
                hint="build and push it first: opsctl build && opsctl push --env ENV",
            ) from exc
        return Image(
            repository=repository,
            digest=found["imageDigest"],
            tags=tuple(found.get("imageTags", [])),
            pushed_at=found.get("imagePushedAt"),
        )

    def registry_login(self) -> RegistryLogin:
        import base64

        with calling("ecr.GetAuthorizationToken"):
            data = self.client("ecr").get_authorization_token()["authorizationData"][0]
        username, password = base64.b64decode(data["authorizationToken"]).decode().split(":", 1)
        return RegistryLogin(username, password, data["proxyEndpoint"])

    # ---------------------------------------------------------------- ECS
    def describe_service(self, cluster: str, service: str) -> Service:
        with calling("ecs.DescribeServices"):
            answer = self.client("ecs").describe_services(cluster=cluster, services=[service])
        found = [s for s in answer["services"] if s.get("status") != "INACTIVE"]
        if not found:
            raise OpsError(
                f"ECS service {service} not found in cluster {cluster}",
                hint="apply the environment's infra root first",
            )
        s = found[0]
        return Service(
            name=s["serviceName"],
            arn=s["serviceArn"],
            status=s["status"],
            task_definition=s.get("taskDefinition", ""),
            desired=s.get("desiredCount", 0),
            running=s.get("runningCount", 0),
            pending=s.get("pendingCount", 0),
            controller=s.get("deploymentController", {}).get("type", "ECS"),
            launch_type=s.get("launchType"),
            network=s.get("networkConfiguration") or {},
            events=tuple(ServiceEvent(e["createdAt"], e["message"]) for e in s.get("events", [])),
        )

    def describe_task_definition(self, arn: str) -> TaskDefinition:
        with calling("ecs.DescribeTaskDefinition"):
            answer = self.client("ecs").describe_task_definition(
                taskDefinition=arn, include=["TAGS"]
            )
        doc = answer["taskDefinition"]
        return TaskDefinition(doc["taskDefinitionArn"], doc, answer.get("tags", []))

    def register_task_definition(self, document: dict[str, Any]) -> str:
        with calling("ecs.RegisterTaskDefinition"):
            answer = self.client("ecs").register_task_definition(**document)
        return str(answer["taskDefinition"]["taskDefinitionArn"])

    def list_task_definitions(self, family: str) -> list[str]:
        with calling("ecs.ListTaskDefinitions"):
            pages = (
                self.client("ecs")
                .get_paginator("list_task_definitions")
                .paginate(familyPrefix=family, status="ACTIVE")
            )
            return [arn for page in pages for arn in page["taskDefinitionArns"]]

    def update_service(
        self, cluster: str, service: str, task_definition: str, configuration: dict[str, Any]
    ) -> None:
        with calling("ecs.UpdateService"):
            self.client("ecs").update_service(
                cluster=cluster,
                service=service,
                taskDefinition=task_definition,
                deploymentConfiguration=configuration,
            )

    def run_task(
        self,
        cluster: str,
        task_definition: str,
        container: str,
        command: list[str],
        network: dict[str, Any],
        started_by: str,
    ) -> Task:
        with calling("ecs.RunTask"):
            answer = self.client("ecs").run_task(
                cluster=cluster,
                taskDefinition=task_definition,
                launchType="FARGATE",
                networkConfiguration=network,
                overrides={"containerOverrides": [{"name": container, "command": command}]},
                startedBy=started_by,
                count=1,
            )
        if not answer.get("tasks"):
            reasons = "; ".join(
                f"{f.get('arn', '')} {f.get('reason', '')}".strip() for f in answer["failures"]
            )
            raise OpsError(f"ECS did not start the task: {reasons or 'no reason given'}")
        return _task(answer["tasks"][0])

    def describe_task(self, cluster: str, arn: str) -> Task:
        with calling("ecs.DescribeTasks"):
            answer = self.client("ecs").describe_tasks(cluster=cluster, tasks=[arn])
        if not answer.get("tasks"):
            raise OpsError(f"task {arn} is gone from cluster {cluster}")
        return _task(answer["tasks"][0])

    def stop_task(self, cluster: str, arn: str, reason: str) -> None:
        with calling("ecs.StopTask"):
            self.client("ecs").stop_task(cluster=cluster, task=arn, reason=reason)

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

    # ---------------------------------------------------------------- ELBv2
    def target_group_health(self, names: list[str]) -> list[TargetGroupHealth]:
        client = self.client("elbv2")
        with calling("elbv2.DescribeTargetGroups"):
            groups = client.describe_target_groups(Names=names)["TargetGroups"]
        result = []
        for group in sorted(groups, key=lambda g: names.index(g["TargetGroupName"])):
            with calling("elbv2.DescribeTargetHealth"):
                targets = client.describe_target_health(TargetGroupArn=group["TargetGroupArn"])
            states: dict[str, int] = {}
            for t in targets["TargetHealthDescriptions"]:
                state = t["TargetHealth"]["State"]
                states[state] = states.get(state, 0) + 1
            result.append(TargetGroupHealth(group["TargetGroupName"], states))
        return result

    # ---------------------------------------------------------------- CloudWatch Logs
    def log_events(
        self, group: str, stream: str, token: str | None
    ) -> tuple[list[LogLine], str | None]:
        """New lines of a stream since `token`; the stream may not exist yet."""
        from datetime import UTC, datetime

        args: dict[str, Any] = {"logGroupName": group, "logStreamName": stream}
        args.update({"nextToken": token} if token else {"startFromHead": True})
        try:
            with calling("logs.GetLogEvents"):
                answer = self.client("logs").get_log_events(**args)
        except AwsError as exc:
            if exc.code == "ResourceNotFoundException":
                return [], token
            raise
        lines = [
            LogLine(datetime.fromtimestamp(e["timestamp"] / 1000, UTC), e["message"])
            for e in answer["events"]
        ]
        return lines, answer.get("nextForwardToken", token)


def _task(t: dict[str, Any]) -> Task:
    return Task(
        arn=t["taskArn"],
        last_status=t.get("lastStatus", "UNKNOWN"),
        stopped_reason=t.get("stoppedReason") or None,
        stop_code=t.get("stopCode"),
        containers=tuple(
            Container(c.get("name", "?"), c.get("exitCode"), c.get("reason"))
            for c in t.get("containers", [])
        ),
    )


def _appspec_task_definition(content: str | None) -> str | None:
    """The TaskDefinition of an AppSpec sent as JSON (opsctl always sends JSON)."""
    try:
        spec = json.loads(content or "")
        return str(spec["Resources"][0]["TargetService"]["Properties"]["TaskDefinition"])
    except (ValueError, KeyError, IndexError, TypeError):
        return None
