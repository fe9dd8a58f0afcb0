"""What IAM checks for each AWS call opsctl makes, from the Service Authorization Reference.

Each recorded call (service, operation, parameters) becomes the IAM requests AWS
evaluates: the action, the resource ARN it names (or `*` where the action has no
resource-level permissions) and the condition keys AWS sets. Some calls imply others:
RegisterTaskDefinition and RunTask pass the task's roles (iam:PassRole), tags on create
need ecs:TagResource, CreateDeployment reads the deployment configuration and registers
the revision. A registry push is not a botocore call: its layer and manifest actions
are listed in REGISTRY_PUSH.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tests.support.iam_policy import Request

# ECR's documented permissions for `docker push` (beyond GetAuthorizationToken), and for
# the pull `opsctl push` makes on a re-run to compare a tag's image.
REGISTRY_PUSH = (
    "ecr:BatchCheckLayerAvailability",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
)
REGISTRY_PULL = ("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")

# Actions with no resource-level permissions: IAM checks them against "*".
UNSCOPED = {
    "ecr:GetAuthorizationToken",
    "ecs:DescribeTaskDefinition",
    "ecs:RegisterTaskDefinition",
    "ecs:ListTaskDefinitions",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetHealth",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeRules",
    "application-autoscaling:DescribeScalableTargets",
}
PREFIX = {"elbv2": "elasticloadbalancing"}

TaskDefinitionLookup = Callable[[str], Mapping[str, Any]]


class Arns:
    def __init__(self, region: str, account: str):
        self.region, self.account = region, account

    def ecs(self, kind: str, rest: str) -> str:
        return f"arn:aws:ecs:{self.region}:{self.account}:{kind}/{rest}"

    def cluster(self, name: str) -> str:
        return name if name.startswith("arn:") else self.ecs("cluster", name)

    def task_definition(self, ref: str) -> str:
        return ref if ref.startswith("arn:") else self.ecs("task-definition", ref)

    def group(self, app: str, group: str) -> str:
        return f"arn:aws:codedeploy:{self.region}:{self.account}:deploymentgroup:{app}/{group}"


def requests_for(
    service: str,
    operation: str,
    params: Mapping[str, Any],
    arns: Arns,
    task_definition: TaskDefinitionLookup,
    deployment_group: Callable[[str], tuple[str, str]],
) -> list[Request]:
    """The IAM requests one call makes. `deployment_group(id)` names a deployment's group."""
    action = f"{PREFIX.get(service, service)}:{operation}"
    why = f"{service}.{operation}"
    if action in UNSCOPED:
        found = [Request(action, "*", why=why)]
        if operation == "RegisterTaskDefinition":
            found += _pass_roles(params, why)
            if params.get("tags"):
                family = arns.task_definition(f"{params['family']}:*")
                context = {"ecs:CreateAction": "RegisterTaskDefinition"}
                found.append(Request("ecs:TagResource", family, context, why))
        return found
    if service == "ecs":
        cluster = arns.cluster(params.get("cluster", "default"))
        context = {"ecs:cluster": cluster}
        if operation in ("DescribeServices", "UpdateService"):
            services = params.get("services") or [params["service"]]
            name = cluster.rsplit("/", 1)[-1]
            return [
                Request(action, arns.ecs("service", f"{name}/{s}"), context, why) for s in services
            ]
        if operation == "RunTask":
            definition = arns.task_definition(params["taskDefinition"])
            doc = task_definition(definition)
            return [Request(action, definition, context, why), *_pass_roles(doc, why)]
        if operation in ("DescribeTasks", "StopTask"):
            tasks = params.get("tasks") or [params["task"]]
            return [Request(action, t, context, why) for t in tasks]
    if service == "ecr":
        repo = f"arn:aws:ecr:{arns.region}:{arns.account}:repository/{params['repositoryName']}"
        return [Request(action, repo, why=why)]
    if service == "codedeploy":
        if "deploymentGroupName" in params:
            group = arns.group(params["applicationName"], params["deploymentGroupName"])
        else:
            ids = params.get("deploymentIds") or [params["deploymentId"]]
            group = arns.group(*deployment_group(ids[0]))
        found = [Request(action, group, why=why)]
        if operation == "CreateDeployment":
            app = group.rsplit(":", 1)[-1].split("/", 1)[0]
            base = f"arn:aws:codedeploy:{arns.region}:{arns.account}"
            config = params.get("deploymentConfigName", "CodeDeployDefault.ECSAllAtOnce")
            found += [
                Request(
                    "codedeploy:GetDeploymentConfig", f"{base}:deploymentconfig:{config}", why=why
                ),
                Request(
                    "codedeploy:RegisterApplicationRevision", f"{base}:application:{app}", why=why
                ),
                Request("codedeploy:GetApplicationRevision", f"{base}:application:{app}", why=why),
            ]
        return found
    if service == "logs":
        arn = (
            f"arn:aws:logs:{arns.region}:{arns.account}:log-group:{params['logGroupName']}"
            f":log-stream:{params['logStreamName']}"
        )
        return [Request(action, arn, why=why)]
    if service == "ssm":
        name = params["Name"].lstrip("/")
        return [
            Request(action, f"arn:aws:ssm:{arns.region}:{arns.account}:parameter/{name}", why=why)
        ]
    if service == "application-autoscaling" and operation == "RegisterScalableTarget":
        # Its ARN carries an id AWS assigns; a policy can only name it by wildcard.
        arn = (
            f"arn:aws:application-autoscaling:{arns.region}:{arns.account}:scalable-target/unknown"
        )
        return [Request(action, arn, why=why)]
    raise AssertionError(f"no IAM mapping for {service}.{operation}: add it from the reference")


def _pass_roles(doc: Mapping[str, Any], why: str) -> list[Request]:
    roles = [doc.get("taskRoleArn"), doc.get("executionRoleArn")]
    context = {"iam:PassedToService": "ecs-tasks.amazonaws.com"}
    return [Request("iam:PassRole", r, context, why) for r in roles if r]


def registry_requests(region: str, account: str, repository: str, pull: bool) -> list[Request]:
    repo = f"arn:aws:ecr:{region}:{account}:repository/{repository}"
    actions = REGISTRY_PUSH + (REGISTRY_PULL if pull else ())
    return [Request(a, repo, why="docker push") for a in actions]
