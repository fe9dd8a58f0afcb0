"""AWS, one method per remote call: ECR, ECS, CodeDeploy, ELBv2, Logs, SSM, App Auto Scaling.

Clients are built once per run from the standard credential chain; boto3 itself honours
AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>), so the same code talks to an emulator.
Every botocore failure becomes an OpsError naming the call that failed.
"""

from __future__ import annotations

from typing import Any

from opsctl.adapters.aws_deployments import DeploymentCalls
from opsctl.adapters.aws_errors import AwsError, calling
from opsctl.core.aws_records import (
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
from opsctl.core.release_plan import ImageRequest
from opsctl.errors import OpsError, PrerequisiteError


class Aws(DeploymentCalls):
    """One set of clients for one region, created on first use and reused for the run."""

    def __init__(self, region: str, session: Any = None, clients: dict[str, Any] | None = None):
        self.region = region
        self._session = session
        self._clients: dict[str, Any] = dict(clients or {})

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
    def find_image(self, repository: str, request: ImageRequest) -> Image | None:
        """The image a tag or digest names in ECR, or None when there is none."""
        image_id = {"imageDigest": request.digest} if request.digest else {"imageTag": request.tag}
        try:
            with calling("ecr.DescribeImages"):
                found = self.client("ecr").describe_images(
                    repositoryName=repository, imageIds=[image_id]
                )["imageDetails"][0]
        except AwsError as exc:
            if exc.code == "ImageNotFoundException":
                return None
            raise
        return Image(
            repository=repository,
            digest=found["imageDigest"],
            tags=tuple(found.get("imageTags", [])),
            pushed_at=found.get("imagePushedAt"),
        )

    def describe_image(self, repository: str, request: ImageRequest) -> Image:
        found = self.find_image(repository, request)
        if found is None:
            raise OpsError(
                f"no image {request} in ECR repository {repository}",
                hint="build and push it first: opsctl build && opsctl push --env ENV",
            )
        return found

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

    def set_desired_count(self, cluster: str, service: str, count: int) -> None:
        """The one UpdateService change a CODE_DEPLOY service accepts outside a deployment."""
        with calling("ecs.UpdateService"):
            self.client("ecs").update_service(cluster=cluster, service=service, desiredCount=count)

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

    # ---------------------------------------------------------------- Application Auto Scaling
    def scaling_limits(self, cluster: str, service: str) -> tuple[int, int] | None:
        """(min, max) of the service's scalable target; None when it has none."""
        with calling("application-autoscaling.DescribeScalableTargets"):
            found = self.client("application-autoscaling").describe_scalable_targets(
                ServiceNamespace="ecs",
                ResourceIds=[f"service/{cluster}/{service}"],
                ScalableDimension="ecs:service:DesiredCount",
            )["ScalableTargets"]
        if not found:
            return None
        return int(found[0]["MinCapacity"]), int(found[0]["MaxCapacity"])

    def set_scaling_limits(self, cluster: str, service: str, low: int, high: int) -> None:
        with calling("application-autoscaling.RegisterScalableTarget"):
            self.client("application-autoscaling").register_scalable_target(
                ServiceNamespace="ecs",
                ResourceId=f"service/{cluster}/{service}",
                ScalableDimension="ecs:service:DesiredCount",
                MinCapacity=low,
                MaxCapacity=high,
            )

    # ---------------------------------------------------------------- SSM
    def get_parameter(self, name: str) -> str:
        try:
            with calling("ssm.GetParameter"):
                return str(self.client("ssm").get_parameter(Name=name)["Parameter"]["Value"])
        except AwsError as exc:
            if exc.code != "ParameterNotFound":
                raise
            raise PrerequisiteError(
                f"no SSM parameter {name} in {self.region}",
                hint="apply the environment's infra root: it publishes the deploy settings there",
            ) from exc

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
