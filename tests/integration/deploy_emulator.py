"""An AWS account on a moto server in the test process, with the app's stack in it.

Real HTTP, real boto3: opsctl's adapter talks to moto through AWS_ENDPOINT_URL. moto
records CodeDeploy deployments but never advances them and lacks the calls a blue/green
deploy needs (ListDeploymentTargets, GetDeploymentTarget, ContinueDeployment,
StopDeployment; errorInformation and rollbackInfo are always empty), so `install_codedeploy`
adds them, answering as CodeDeploy documents, from state the tests set through moto's
in-process backend (`CodeDeployDriver`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.backends import get_backend
from moto.codedeploy import responses as cd_responses
from moto.core.responses import ActionResult
from moto.server import ThreadedMotoServer
from typer.testing import CliRunner

from opsctl.adapters.services import free_port
from opsctl.app import app
from opsctl.config import DeployEnv
from opsctl.core.deployment import Clock

ACCOUNT = "123456789012"
REGION = "eu-west-1"
NAME = "mycandidate-staging"
EVENTS = (
    "BeforeInstall",
    "Install",
    "AfterInstall",
    "AllowTestTraffic",
    "AfterAllowTestTraffic",
    "BeforeAllowTraffic",
    "AllowTraffic",
    "AfterAllowTraffic",
)


# ---------------------------------------------------------------- CodeDeploy calls moto lacks
def _target_id(d: Any) -> str:
    svc = d.deployment_group.ecs_services[0]
    return f"{svc['clusterName']}:{svc['serviceName']}"


def _list_deployment_targets(self: Any) -> ActionResult:
    d = self.codedeploy_backend.get_deployment(self._get_param("deploymentId"))
    return ActionResult({"targetIds": [_target_id(d)] if d.status != "Created" else []})


def _get_deployment_target(self: Any) -> ActionResult:
    d = self.codedeploy_backend.get_deployment(self._get_param("deploymentId"))
    lifecycle = getattr(d, "lifecycle", dict.fromkeys(EVENTS, "Pending"))
    green = getattr(d, "green_traffic", 0.0)
    task_sets = [
        {
            "identifer": "ecs-svc/blue",
            "taskSetLabel": "BLUE",
            "trafficWeight": 100.0 - green,
            "desiredCount": 2,
            "runningCount": 2,
            "pendingCount": 0,
            "status": "PRIMARY",
        },
        {
            "identifer": "ecs-svc/green",
            "taskSetLabel": "GREEN",
            "trafficWeight": green,
            "desiredCount": 2,
            "runningCount": 2,
            "pendingCount": 0,
            "status": "ACTIVE",
        },
    ]
    target = {
        "deploymentId": d.deployment_id,
        "targetId": _target_id(d),
        "targetArn": _target_id(d),
        "status": d.status,
        "lifecycleEvents": [
            {"lifecycleEventName": name, "status": status} for name, status in lifecycle.items()
        ],
        "taskSetsInfo": task_sets,
    }
    return ActionResult(
        {"deploymentTarget": {"deploymentTargetType": "ECSTarget", "ecsTarget": target}}
    )


def _continue_deployment(self: Any) -> ActionResult:
    d = self.codedeploy_backend.get_deployment(self._get_param("deploymentId"))
    d.continued = [*getattr(d, "continued", []), self._get_param("deploymentWaitType")]
    if d.status == "Ready":
        d.status = "InProgress"
    return ActionResult({})


def _stop_deployment(self: Any) -> ActionResult:
    d = self.codedeploy_backend.get_deployment(self._get_param("deploymentId"))
    d.stop_requests = [*getattr(d, "stop_requests", []), self._get_param("autoRollbackEnabled")]
    d.status = "Stopped"
    d.error_information = {"code": "MANUAL_STOP", "message": "Deployment stopped by user"}
    if self._get_param("autoRollbackEnabled"):
        d.green_traffic = 0.0
        d.rollback_info = {"rollbackMessage": "Traffic rerouted to the original task set"}
    return ActionResult({"status": "Succeeded", "statusMessage": "stopped"})


_original_deployment_info = cd_responses._deployment_info


def _deployment_info(deployment: Any) -> dict[str, Any]:
    info = _original_deployment_info(deployment)
    info["errorInformation"] = getattr(deployment, "error_information", {})
    info["rollbackInfo"] = getattr(deployment, "rollback_info", {})
    return info


def install_codedeploy(monkeypatch: pytest.MonkeyPatch) -> None:
    cls = cd_responses.CodeDeployResponse
    monkeypatch.setattr(cls, "list_deployment_targets", _list_deployment_targets, raising=False)
    monkeypatch.setattr(cls, "get_deployment_target", _get_deployment_target, raising=False)
    monkeypatch.setattr(cls, "continue_deployment", _continue_deployment, raising=False)
    monkeypatch.setattr(cls, "stop_deployment", _stop_deployment, raising=False)
    monkeypatch.setattr(cd_responses, "_deployment_info", _deployment_info)


# ---------------------------------------------------------------- the server and the stack
@pytest.fixture(scope="session", name="moto_url")
def moto_url_fixture() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    with pytest.MonkeyPatch.context() as mp:
        install_codedeploy(mp)
        yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(name="aws_env")
def aws_env_fixture(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point every boto3 client of the test (and of opsctl) at the emulator, fresh."""
    import urllib.request

    reset = urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")
    with urllib.request.urlopen(reset):
        pass
    for key, value in {
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    return moto_url


def manifest(tag: str) -> str:
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 100,
                "digest": "sha256:" + hashlib.sha256(tag.encode()).hexdigest(),
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": 1,
                    "digest": "sha256:" + hashlib.sha256(b"layer " + tag.encode()).hexdigest(),
                }
            ],
        }
    )


@dataclass
class Stack:
    env: DeployEnv
    digests: dict[str, str]  # tag -> digest in ECR
    first_task_definition: str
    clients: dict[str, Any] = field(default_factory=dict)

    def client(self, name: str) -> Any:
        if name not in self.clients:
            self.clients[name] = boto3.client(name, region_name=REGION)
        return self.clients[name]


FIRST_CONTAINER = {
    "name": "app",
    "essential": True,
    "memory": 512,
    "portMappings": [{"containerPort": 8000, "protocol": "tcp"}],
    "environment": [
        {"name": "LOG_LEVEL", "value": "info"},
        {"name": "APP_ENV", "value": "staging"},
    ],
    "secrets": [
        {"name": "DATABASE_URL", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/db"}
    ],
    "logConfiguration": {
        "logDriver": "awslogs",
        "options": {
            "awslogs-group": f"/ecs/{NAME}",
            "awslogs-region": REGION,
            "awslogs-stream-prefix": "app",
        },
    },
}


@pytest.fixture(name="stack")
def stack_fixture(aws_env: str) -> Stack:
    """VPC, ALB with blue/green target groups, ECR with two images, a CODE_DEPLOY service."""
    c = {
        n: boto3.client(n, region_name=REGION)
        for n in ("ec2", "elbv2", "ecr", "ecs", "logs", "codedeploy")
    }
    vpc = c["ec2"].create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    c["ec2"].modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnets = [
        c["ec2"].create_subnet(
            VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{az}"
        )["Subnet"]["SubnetId"]
        for i, az in ((1, "a"), (2, "b"))
    ]
    sg = c["ec2"].create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
    alb = c["elbv2"].create_load_balancer(Name=NAME, Subnets=subnets, SecurityGroups=[sg])[
        "LoadBalancers"
    ][0]
    tgs = {}
    for colour in ("blue", "green"):
        tgs[colour] = c["elbv2"].create_target_group(
            Name=f"{NAME}-{colour}",
            Protocol="HTTP",
            Port=8000,
            VpcId=vpc,
            TargetType="ip",
            HealthCheckPath="/readyz",
        )["TargetGroups"][0]["TargetGroupArn"]
    c["elbv2"].register_targets(
        TargetGroupArn=tgs["blue"],
        Targets=[{"Id": "10.0.1.10", "Port": 8000}, {"Id": "10.0.2.10", "Port": 8000}],
    )
    listeners = {
        port: c["elbv2"].create_listener(
            LoadBalancerArn=alb["LoadBalancerArn"],
            Protocol="HTTP",
            Port=port,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": tgs["blue"]}],
        )["Listeners"][0]["ListenerArn"]
        for port in (80, 8080)
    }
    c["logs"].create_log_group(logGroupName=f"/ecs/{NAME}")
    repo = c["ecr"].create_repository(repositoryName="mycandidate")["repository"]["repositoryUri"]
    digests = {
        tag: c["ecr"].put_image(
            repositoryName="mycandidate", imageManifest=manifest(tag), imageTag=tag
        )["image"]["imageId"]["imageDigest"]
        for tag in ("v1", "v2")
    }
    c["ecs"].create_cluster(clusterName=NAME)
    first = c["ecs"].register_task_definition(
        family=NAME,
        taskRoleArn=f"arn:aws:iam::{ACCOUNT}:role/{NAME}-task",
        executionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/{NAME}-exec",
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        containerDefinitions=[{**FIRST_CONTAINER, "image": f"{repo}@{digests['v1']}"}],
        tags=[{"key": "project", "value": "mycandidate"}],
    )["taskDefinition"]["taskDefinitionArn"]
    network = {
        "awsvpcConfiguration": {
            "subnets": subnets,
            "securityGroups": [sg],
            "assignPublicIp": "DISABLED",
        }
    }
    c["ecs"].create_service(
        cluster=NAME,
        serviceName=NAME,
        taskDefinition=first,
        desiredCount=2,
        launchType="FARGATE",
        deploymentController={"type": "CODE_DEPLOY"},
        loadBalancers=[
            {"targetGroupArn": tgs["blue"], "containerName": "app", "containerPort": 8000}
        ],
        networkConfiguration=network,
    )
    c["codedeploy"].create_application(applicationName=NAME, computePlatform="ECS")
    c["codedeploy"].create_deployment_group(
        applicationName=NAME,
        deploymentGroupName=NAME,
        serviceRoleArn=f"arn:aws:iam::{ACCOUNT}:role/{NAME}-codedeploy",
        deploymentConfigName="CodeDeployDefault.ECSAllAtOnce",
        deploymentStyle={
            "deploymentType": "BLUE_GREEN",
            "deploymentOption": "WITH_TRAFFIC_CONTROL",
        },
        ecsServices=[{"serviceName": NAME, "clusterName": NAME}],
        loadBalancerInfo={
            "targetGroupPairInfoList": [
                {
                    "targetGroups": [{"name": f"{NAME}-blue"}, {"name": f"{NAME}-green"}],
                    "prodTrafficRoute": {"listenerArns": [listeners[80]]},
                    "testTrafficRoute": {"listenerArns": [listeners[8080]]},
                }
            ]
        },
    )
    env = DeployEnv(
        name="staging",
        region=REGION,
        cluster_name=NAME,
        service_name=NAME,
        task_family=NAME,
        container_name="app",
        container_port=8000,
        codedeploy_app_name=NAME,
        codedeploy_group_name=NAME,
        blue_target_group_name=f"{NAME}-blue",
        green_target_group_name=f"{NAME}-green",
        ecr_repository_url=repo,
        log_group_name=f"/ecs/{NAME}",
        private_subnet_ids=tuple(subnets),
        app_security_group_id=sg,
        poll_interval=5.0,
        deploy_timeout=600.0,
        environment={"APP_ENV": "staging", "FEATURE_X": "on"},
    )
    return Stack(env, digests, first, c)


# ---------------------------------------------------------------- the CLI on the stack
def write_config(path: Path, env: DeployEnv, feature_x: bool = True, **overrides: Any) -> Path:
    """opsctl.toml for the emulated stack (and, unless told not to, one extra variable)."""
    values = {
        "region": env.region,
        "cluster_name": env.cluster_name,
        "service_name": env.service_name,
        "task_family": env.task_family,
        "container_name": env.container_name,
        "container_port": env.container_port,
        "codedeploy_app_name": env.codedeploy_app_name,
        "codedeploy_group_name": env.codedeploy_group_name,
        "blue_target_group_name": env.blue_target_group_name,
        "green_target_group_name": env.green_target_group_name,
        "ecr_repository_url": env.ecr_repository_url,
        "log_group_name": env.log_group_name,
        "private_subnet_ids": list(env.private_subnet_ids),
        "app_security_group_id": env.app_security_group_id,
        "poll_interval": 5,
        **overrides,
    }
    lines = ["[environments.staging]"] + [f"{k} = {json.dumps(v)}" for k, v in values.items()]
    if feature_x:
        lines += ["[environments.staging.environment]", 'FEATURE_X = "on"']
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(name="cli")
def cli_fixture(stack: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A CliRunner on opsctl.toml for the emulated stack; time is fake and scripted."""
    monkeypatch.setenv("OPSCTL_CONFIG", str(write_config(tmp_path / "opsctl.toml", stack.env)))
    monkeypatch.setenv("NO_COLOR", "1")
    fake = FakeClock()
    monkeypatch.setattr(
        "opsctl.commands._release.clock", lambda: Clock(now=fake.now, sleep=fake.sleep)
    )
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(app, list(args))

    invoke.clock = fake
    return invoke


# ---------------------------------------------------------------- driving the lifecycle
class CodeDeployDriver:
    """Moves recorded deployments through CodeDeploy's states, as the service would."""

    def __init__(self) -> None:
        self.backend = get_backend("codedeploy")[ACCOUNT][REGION]
        self.ecs = get_backend("ecs")[ACCOUNT][REGION]

    def all(self) -> list[Any]:
        return sorted(self.backend.deployments.values(), key=lambda d: d.create_time)

    def latest(self) -> Any:
        return self.all()[-1]

    def set(
        self,
        d: Any,
        status: str,
        done: int = 0,
        running: str | None = None,
        green: float | None = None,
        failed: str | None = None,
    ) -> None:
        """Events before index `done` succeeded, `running` in progress, `failed` failed."""
        d.status = status
        d.lifecycle = {}
        for i, name in enumerate(EVENTS):
            state = "Succeeded" if i < done else "Pending"
            if name == running:
                state = "InProgress"
            if name == failed:
                state = "Failed"
            d.lifecycle[name] = state
        if green is not None:
            d.green_traffic = green

    def succeed(self, d: Any) -> None:
        """All events done, all traffic on green, the service now runs the new revision."""
        self.set(d, "Succeeded", done=len(EVENTS), green=100.0)
        spec = json.loads(d.revision["appSpecContent"]["content"])
        arn = spec["Resources"][0]["TargetService"]["Properties"]["TaskDefinition"]
        self.ecs.services[f"{NAME}:{NAME}"].task_definition = arn


class FakeClock:
    """Time moves only when the code sleeps; each sleep first runs the next scripted step."""

    def __init__(self, steps: list[Callable[[], None]] | None = None):
        self.time = 0.0
        self.steps = list(steps or [])
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.steps:
            self.steps.pop(0)()
        self.time += seconds


class Recorder:
    """A Ui that keeps what it was told."""

    def __init__(self) -> None:
        self.snapshots: list[Any] = []
        self.notes: list[str] = []

    def update(self, snapshot: Any) -> None:
        self.snapshots.append(snapshot)

    def note(self, message: str) -> None:
        self.notes.append(message)


# ---------------------------------------------------------------- the test listener
@dataclass
class Listener:
    url: str
    routes: dict[str, tuple[int, bytes]]
    hits: list[str]


@pytest.fixture(name="test_listener")
def test_listener_fixture() -> Iterator[Listener]:
    """What the ALB's test listener would answer from the green tasks."""
    routes = {
        "/readyz": (200, b'{"status": "ready"}'),
        "/api/v1/wards/1/candidates": (200, b'[{"name": "A. Candidate", "party": "P"}]'),
    }
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            status, body = routes.get(self.path, (404, b"{}"))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Listener(f"http://127.0.0.1:{server.server_address[1]}", routes, hits)
    server.shutdown()
    server.server_close()
