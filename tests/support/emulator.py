"""An AWS account for release tests: a moto server, the app's stack in it, and CodeDeploy.

Real HTTP and real boto3 for ECR, ECS, ELBv2, Logs, SSM and Application Auto Scaling:
opsctl's adapter talks to moto through AWS_ENDPOINT_URL. moto records CodeDeploy
deployments but never runs them, so releases run on `FakeCodeDeploy` (the documented state
machine, model-checked) as the adapter's codedeploy client. Every moto response opsctl
receives is checked against botocore's model too (`contract_hooks`).
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
from moto.server import ThreadedMotoServer
from typer.testing import CliRunner

from opsctl.adapters.aws import Aws
from opsctl.app import app
from opsctl.core.deployment import Clock
from opsctl.core.environment import DeployEnv
from tests.support.botocore_contract import check_error, check_response
from tests.support.codedeploy_fake import FakeCodeDeploy
from tests.support.servers import free_port

ACCOUNT = "123456789012"
REGION = "af-south-1"
NAME = "mycandidate-staging"
PARAMETER = "/mycandidate/staging/deploy"


# ---------------------------------------------------------------- the server
@pytest.fixture(scope="session", name="moto_url")
def moto_url_fixture() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(name="aws_env")
def aws_env_fixture(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point every boto3 client of the test (and of opsctl) at the emulator, fresh."""
    import urllib.request

    # AWS's managed policies exist in every account (Terraform attaches some); the reset
    # below builds the IAM backend afresh, which reads this then.
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
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


Call = tuple[str, str, dict[str, Any]]  # service, operation, parameters


def contract_hooks(session: Any, calls: list[Call]) -> None:
    """Check every response and error botocore parses against the service's model, and
    record every call with its parameters, as the permission test needs them."""

    def before(params: dict[str, Any], model: Any, **_: Any) -> None:
        calls.append((model.service_model.service_name, model.name, dict(params)))

    def after_call(http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        service = model.service_model.service_name
        if "Error" in parsed:
            from botocore.exceptions import ClientError

            check_error(service, model.name, ClientError(parsed, model.name))
        else:
            check_response(service, model.name, parsed)

    session.events.register("before-parameter-build.*.*", before)
    session.events.register("after-call.*.*", after_call)


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


# ---------------------------------------------------------------- the stack
CONTAINER = {
    "name": "app",
    "essential": True,
    "memory": 512,
    "portMappings": [{"containerPort": 8000, "protocol": "tcp"}],
    "environment": [{"name": "LOG_LEVEL", "value": "info"}],
    "secrets": [
        {"name": "SECRET_KEY", "valueFrom": f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/key"}
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


@dataclass
class Stack:
    env: DeployEnv
    digests: dict[str, str]  # tag -> digest in ECR
    bootstrap_task_definition: str  # what Terraform registered (placeholder image)
    migrate_task_definition: str
    clients: dict[str, Any] = field(default_factory=dict)

    def client(self, name: str) -> Any:
        if name not in self.clients:
            self.clients[name] = boto3.client(name, region_name=REGION)
        return self.clients[name]

    def service(self) -> dict[str, Any]:
        return self.client("ecs").describe_services(cluster=NAME, services=[NAME])["services"][0]

    def release_of(self, task_definition: str) -> str | None:
        doc = self.client("ecs").describe_task_definition(taskDefinition=task_definition)
        variables = doc["taskDefinition"]["containerDefinitions"][0].get("environment", [])
        return next((v["value"] for v in variables if v["name"] == "MYCANDIDATE_RELEASE"), None)


def _task_definition(ecs: Any, family: str, image: str, command: list[str] | None = None) -> str:
    container = {**CONTAINER, "image": image, **({"command": command} if command else {})}
    return str(
        ecs.register_task_definition(
            family=family,
            taskRoleArn=f"arn:aws:iam::{ACCOUNT}:role/{NAME}-task",
            executionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/{NAME}-exec",
            networkMode="awsvpc",
            requiresCompatibilities=["FARGATE"],
            cpu="256",
            memory="512",
            containerDefinitions=[container],
            tags=[{"key": "project", "value": "mycandidate"}],
        )["taskDefinition"]["taskDefinitionArn"]
    )


@pytest.fixture(name="stack")
def stack_fixture(aws_env: str) -> Stack:
    """What the stack module creates on a fresh account: VPC, ALB with blue/green target
    groups, ECR with two pushed images, a CODE_DEPLOY service at zero tasks running the
    Terraform-managed (never pulled) revision, autoscaling at 0-4, the published settings."""
    c = {
        n: boto3.client(n, region_name=REGION)
        for n in ("ec2", "elbv2", "ecr", "ecs", "logs", "ssm", "application-autoscaling")
    }
    vpc = c["ec2"].create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    # As the network module sets it (and moto's ECS needs it to name task ENIs).
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
    tgs = {
        colour: c["elbv2"].create_target_group(
            Name=f"{NAME}-{colour}",
            Protocol="HTTP",
            Port=8000,
            VpcId=vpc,
            TargetType="ip",
            HealthCheckPath="/readyz",
        )["TargetGroups"][0]["TargetGroupArn"]
        for colour in ("blue", "green")
    }
    for port in (443, 8443):
        c["elbv2"].create_listener(
            LoadBalancerArn=alb["LoadBalancerArn"],
            Protocol="HTTP",
            Port=port,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": tgs["blue"]}],
        )
    c["logs"].create_log_group(logGroupName=f"/ecs/{NAME}")
    repo = c["ecr"].create_repository(
        repositoryName="mycandidate-staging", imageTagMutability="IMMUTABLE"
    )["repository"]["repositoryUri"]
    digests = {
        tag: c["ecr"].put_image(
            repositoryName="mycandidate-staging", imageManifest=manifest(tag), imageTag=tag
        )["image"]["imageId"]["imageDigest"]
        for tag in ("v1", "v2")
    }
    c["ecs"].create_cluster(clusterName=NAME)
    bootstrap = _task_definition(c["ecs"], NAME, f"{repo}:bootstrap")
    migrate = _task_definition(c["ecs"], f"{NAME}-migrate", f"{repo}:bootstrap")
    c["ecs"].create_service(
        cluster=NAME,
        serviceName=NAME,
        taskDefinition=bootstrap,
        desiredCount=0,
        launchType="FARGATE",
        deploymentController={"type": "CODE_DEPLOY"},
        loadBalancers=[
            {"targetGroupArn": tgs["blue"], "containerName": "app", "containerPort": 8000}
        ],
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": subnets,
                "securityGroups": [sg],
                "assignPublicIp": "DISABLED",
            }
        },
    )
    c["application-autoscaling"].register_scalable_target(
        ServiceNamespace="ecs",
        ResourceId=f"service/{NAME}/{NAME}",
        ScalableDimension="ecs:service:DesiredCount",
        MinCapacity=0,
        MaxCapacity=4,
        # AWS answers with the service-linked role it uses; moto only echoes what it got.
        RoleARN=f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/ecs.application-autoscaling"
        ".amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService",
    )
    published = {
        "region": REGION,
        "account_id": ACCOUNT,
        "cluster_name": NAME,
        "service_name": NAME,
        "task_family": NAME,
        "task_definition_arn": bootstrap,
        "migrate_task_definition_arn": migrate,
        "container_name": "app",
        "container_port": 8000,
        "codedeploy_app_name": NAME,
        "codedeploy_group_name": NAME,
        "blue_target_group_name": f"{NAME}-blue",
        "green_target_group_name": f"{NAME}-green",
        "test_listener_url": None,
        "alb_dns_name": alb["DNSName"],
        "ecr_repository_url": repo,
        "log_group_name": f"/ecs/{NAME}",
        "private_subnet_ids": subnets,
        "app_security_group_id": sg,
        "min_capacity": 2,
        "max_capacity": 4,
    }
    c["ssm"].put_parameter(Name=PARAMETER, Type="String", Value=json.dumps(published))
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
        task_definition_arn=bootstrap,
        migrate_task_definition_arn=migrate,
        min_capacity=2,
        max_capacity=4,
        poll_interval=5.0,
        deploy_timeout=3600.0,
    )
    return Stack(env, digests, bootstrap, migrate, c)


# ---------------------------------------------------------------- time, screens, CodeDeploy
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

    def clock(self) -> Clock:
        return Clock(now=self.now, sleep=self.sleep)


class Recorder:
    """A Ui that keeps what it was told."""

    def __init__(self) -> None:
        self.snapshots: list[Any] = []
        self.notes: list[str] = []

    def update(self, snapshot: Any) -> None:
        self.snapshots.append(snapshot)

    def note(self, message: str) -> None:
        self.notes.append(message)


def codedeploy_for(stack: Stack, clock: FakeClock, **kw: Any) -> FakeCodeDeploy:
    """The fake CodeDeploy for the stack's group: on success the service runs the new
    revision, as ECS reports after a blue/green deployment."""
    ecs = stack.client("ecs")

    def succeeded(task_definition: str) -> None:
        ecs.update_service(cluster=NAME, service=NAME, taskDefinition=task_definition)

    return FakeCodeDeploy(
        clock.now,
        application=NAME,
        group=NAME,
        cluster=NAME,
        service=NAME,
        blue_task_definition=lambda: stack.service()["taskDefinition"],
        desired=lambda: stack.service()["desiredCount"],
        on_succeeded=succeeded,
        **kw,
    )


def aws_for(codedeploy: FakeCodeDeploy, calls: list[Call] | None = None) -> Aws:
    """opsctl's real adapter: moto for everything but CodeDeploy, every response checked."""
    session = boto3.session.Session(region_name=REGION)
    contract_hooks(session, calls if calls is not None else [])
    return Aws(REGION, session=session, clients={"codedeploy": codedeploy})


# ---------------------------------------------------------------- the CLI on the stack
def write_config(path: Path, **overrides: Any) -> Path:
    """opsctl.toml as the repository's: the published parameter, plus test-speed settings."""
    values = {"parameter": PARAMETER, "region": REGION, "poll_interval": 5, **overrides}
    lines = ["[environments.staging]"] + [f"{k} = {json.dumps(v)}" for k, v in values.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


@dataclass
class Cli:
    runner: CliRunner
    clock: FakeClock
    codedeploy: FakeCodeDeploy
    calls: list[Call]

    def __call__(self, *args: str) -> Any:
        return self.runner.invoke(app, list(args))

    def wait(self, seconds: float) -> None:
        """Time passes with nobody watching."""
        self.clock.time += seconds
        self.codedeploy.settle()


@pytest.fixture(name="cli")
def cli_fixture(stack: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A CliRunner on opsctl.toml for the emulated stack; time is fake and scripted."""
    monkeypatch.setenv("OPSCTL_CONFIG", str(write_config(tmp_path / "opsctl.toml")))
    monkeypatch.setenv("NO_COLOR", "1")
    fake = FakeClock()
    return wire_cli(monkeypatch, fake, codedeploy_for(stack, fake))


def wire_cli(monkeypatch: pytest.MonkeyPatch, clock: FakeClock, codedeploy: FakeCodeDeploy) -> Cli:
    """The CLI's outer boundary for a test: its clock, and an AWS adapter whose CodeDeploy is
    the fake and whose every call is recorded and checked against the models."""
    calls: list[Call] = []
    monkeypatch.setattr("opsctl.commands._release.clock", clock.clock)
    monkeypatch.setattr("opsctl.commands._release.now", lambda: codedeploy._time(clock.now()))
    original = Aws.__init__

    def adapter(self: Aws, region: str, session: Any = None, clients: Any = None) -> None:
        session = session or boto3.session.Session(region_name=region)
        contract_hooks(session, calls)
        original(
            self, region, session=session, clients={"codedeploy": codedeploy, **(clients or {})}
        )

    monkeypatch.setattr(Aws, "__init__", adapter)
    return Cli(CliRunner(), clock, codedeploy, calls)


# ---------------------------------------------------------------- the test listener
@dataclass
class Listener:
    url: str
    routes: dict[str, tuple[int, bytes]]
    hits: list[str]
    release: Callable[[], str | None] = lambda: None  # whose tasks answer /readyz


@pytest.fixture(name="test_listener")
def test_listener_fixture() -> Iterator[Listener]:
    """What the ALB's test listener answers: /readyz names the release of the tasks behind it."""
    routes = {"/api/v1/wards/1/candidates": (200, b'[{"name": "A. Candidate", "party": "P"}]')}
    hits: list[str] = []
    listener = Listener("", routes, hits)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            if self.path == "/readyz" and self.path not in routes:
                body = {"status": "ready", "release": listener.release(), "dataset": "kenya-2022"}
                status, payload = 200, json.dumps(body).encode()
            else:
                status, payload = routes.get(self.path, (404, b"{}"))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    listener.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield listener
    server.shutdown()
    server.server_close()
