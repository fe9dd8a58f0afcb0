"""docs/deploy.md's first deploy, from zero, as one test on the emulator: apply, push,
migrate with the new image, deploy, status, a second release, rollback. Then every AWS
call opsctl made is checked against the deploy role's policy as Terraform rendered it.

infra/examples/emulator is applied to a moto server in this process (so the test can
stop one-off tasks with an exit code, as Fargate would). CodeDeploy is the documented
state machine (tests/support/codedeploy_fake.py) for the group Terraform created. The
image push is ECR's PutImage here; the registry's layer and manifest actions a real
push needs are added from ECR's documentation (tests/support/iam_requests.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.backends import get_backend
from moto.moto_api import state_manager

from tests.support.emulator import (  # noqa: F401 (fixtures)
    ACCOUNT,
    REGION,
    Cli,
    FakeClock,
    aws_env_fixture,
    manifest,
    moto_url_fixture,
    wire_cli,
)
from tests.support.iam_policy import allowed, documents
from tests.support.iam_requests import Arns, registry_requests, requests_for
from tests.support.infra import apply_example

pytestmark = [pytest.mark.integration, pytest.mark.emulator, pytest.mark.timeout(1500)]

ENV = "emulator"


@pytest.fixture
def applied(aws_env: str, tmp_path: Path) -> dict[str, Any]:
    """infra/examples/emulator applied to the (fresh) in-process moto server."""
    return apply_example(tmp_path, aws_env, {"AWS_REGION": REGION, "AWS_PROFILE": ""})[1]


def test_first_deploy_from_zero_with_only_the_deploy_roles_permissions(
    applied, tmp_path, monkeypatch
):
    deploy = applied["deploy"]
    name = deploy["service_name"]
    config = tmp_path / "opsctl.toml"
    config.write_text(
        f'[environments.{ENV}]\nparameter = "{applied["deploy_parameter_name"]}"\n'
        f'region = "{REGION}"\npoll_interval = 5\nstrategy = "all-at-once"\n'
    )
    monkeypatch.setenv("OPSCTL_CONFIG", str(config))
    monkeypatch.setenv("NO_COLOR", "1")
    cli = _cli(monkeypatch, deploy)
    ecr = boto3.client("ecr", region_name=REGION)
    repository = deploy["ecr_repository_url"].split("/", 1)[1]

    # The scalable target modules/service registers (0..0 until the first release, then
    # ignored by applies): the emulator example leaves it out because moto rejects its tags.
    boto3.client("application-autoscaling", region_name=REGION).register_scalable_target(
        ServiceNamespace="ecs",
        ResourceId=f"service/{deploy['cluster_name']}/{name}",
        ScalableDimension="ecs:service:DesiredCount",
        MinCapacity=0,
        MaxCapacity=0,
        RoleARN=f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/ecs.application-autoscaling"
        ".amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService",
    )

    # 1. The fresh service runs nothing and pulls nothing.
    assert cli("status", "--env", ENV).exit_code == 0
    service = _service(deploy)
    assert service["desiredCount"] == 0

    # 2. Push the first image (ECR's API stands in for the registry protocol).
    digests = {
        tag: ecr.put_image(repositoryName=repository, imageManifest=manifest(tag), imageTag=tag)[
            "image"
        ]["imageId"]["imageDigest"]
        for tag in ("v1", "v2")
    }

    # 3. Migrate and load with the new image, in the migration family.
    for command in (["opsctl", "db", "upgrade"], ["opsctl", "data", "load", "kenya-2022"]):
        result = cli("run-task", "--env", ENV, "--image", "v1", "--migration", "--", *command)
        assert result.exit_code == 0, result.output
    ran = _tasks()
    assert all(f"{name}-migrate:" in t.task_definition_arn for t in ran)

    # 4. The first release: capacity raised, smoke test in the VPC, continued, shifted.
    result = cli("deploy", "--env", ENV, "--image", "v1")
    assert result.exit_code == 0, result.output
    assert "capacity  first release: 2 tasks, autoscaling 2-6" in result.stdout
    assert f"deploy {ENV}: all traffic on green" in result.stdout
    smoke = [t for t in _tasks() if t.started_by == "opsctl smoke"]
    assert len(smoke) == 1
    assert smoke[0].overrides["containerOverrides"][0]["command"][-2:] == [
        "--release",
        digests["v1"],
    ]
    assert _service(deploy)["desiredCount"] == 2
    cli.wait(3600)

    # 5. Status, a second release with a migration, and a rollback to the first.
    assert cli("status", "--env", ENV, "--json").exit_code == 0
    result = cli("deploy", "--env", ENV, "--image", "v2", "--migrate")
    assert result.exit_code == 0, result.output
    cli.wait(3600)
    first = cli.codedeploy.records[min(cli.codedeploy.records)].task_definition
    result = cli("rollback", "--env", ENV)
    assert result.exit_code == 0, result.output
    assert cli.codedeploy.latest().task_definition == first

    # 6. Every call was one the deploy role may make, resources and conditions included.
    missing = _denied(applied, deploy, cli, repository)
    assert missing == [], "the deploy role lacks:\n" + "\n".join(missing)


# Where the example leaves a resource out, the statement scoped to it is left out too:
# RegisterScalableTarget is granted on the scalable target modules/service creates, which
# modules/github_oidc/tests/deploy_role.tftest.hcl checks for the real roots.
NOT_IN_THE_EXAMPLE = {"application-autoscaling:RegisterScalableTarget"}


def _denied(applied: dict[str, Any], deploy: dict[str, Any], cli: Cli, repository: str) -> list:
    iam = boto3.client("iam", region_name=REGION)
    role = applied["deploy_role_arn"].rsplit("/", 1)[-1]
    raw = [
        iam.get_role_policy(RoleName=role, PolicyName=p)["PolicyDocument"]
        for p in iam.list_role_policies(RoleName=role)["PolicyNames"]
    ]
    for attached in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]:
        policy = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]
        version = iam.get_policy_version(
            PolicyArn=attached["PolicyArn"], VersionId=policy["DefaultVersionId"]
        )
        raw.append(version["PolicyVersion"]["Document"])
    policies = documents(raw)
    ecs = boto3.client("ecs", region_name=REGION)
    arns = Arns(REGION, ACCOUNT)

    def task_definition(arn: str) -> dict[str, Any]:
        return ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]

    def group(deployment_id: str) -> tuple[str, str]:
        record = cli.codedeploy.records[deployment_id]
        return record.application, record.group

    calls = list(cli.calls) + [("codedeploy", op, params) for op, params in cli.codedeploy.calls]
    # Calls the test made itself to set the account up are not opsctl's.
    requests = [
        r
        for service, operation, params in calls
        for r in requests_for(service, operation, params, arns, task_definition, group)
    ]
    requests += registry_requests(REGION, ACCOUNT, repository, pull=True)
    assert len({r.action for r in requests}) > 20  # the whole release path was recorded
    return sorted(
        {
            f"{r.action} on {r.resource} ({r.why})"
            for r in requests
            if not allowed(policies, r) and r.action not in NOT_IN_THE_EXAMPLE
        }
    )


def _cli(monkeypatch: pytest.MonkeyPatch, deploy: dict[str, Any]) -> Cli:
    """The CLI on the applied account, with a fake clock; Fargate's one-off tasks exit 0."""
    from tests.support.codedeploy_fake import FakeCodeDeploy

    clock = FakeClock()
    original_sleep = clock.sleep

    def sleep(seconds: float) -> None:
        _finish_tasks()
        original_sleep(seconds)

    clock.sleep = sleep  # type: ignore[method-assign]
    ecs = boto3.client("ecs", region_name=REGION)
    codedeploy = FakeCodeDeploy(
        clock.now,
        application=deploy["codedeploy_app_name"],
        group=deploy["codedeploy_group_name"],
        cluster=deploy["cluster_name"],
        service=deploy["service_name"],
        blue_task_definition=lambda: _service(deploy)["taskDefinition"],
        desired=lambda: _service(deploy)["desiredCount"],
        on_succeeded=lambda arn: ecs.update_service(
            cluster=deploy["cluster_name"], service=deploy["service_name"], taskDefinition=arn
        ),
    )
    return wire_cli(monkeypatch, clock, codedeploy)


@pytest.fixture(autouse=True)
def _fargate_tasks(monkeypatch: pytest.MonkeyPatch):
    """ECS tasks stay where the test puts them (moto would stop them on the first look), and
    a container without its own memory runs: on Fargate the task-level memory is all ECS
    needs (the Terraform task definitions set none per container), moto adds up None."""
    from moto.ecs.models import EC2ContainerServiceBackend

    def requirements(definition: Any) -> dict[str, Any]:
        return {"CPU": 0, "MEMORY": 0, "PORTS": [], "PORTS_UDP": []}

    monkeypatch.setattr(
        EC2ContainerServiceBackend,
        "_calculate_task_resource_requirements",
        staticmethod(requirements),
    )
    state_manager.set_transition("ecs::task", {"progression": "manual", "times": 10**9})
    yield
    state_manager.unset_transition("ecs::task")


def _tasks() -> list[Any]:
    backend = get_backend("ecs")[ACCOUNT][REGION]
    return [t for cluster in backend.tasks.values() for t in cluster.values()]


def _finish_tasks() -> None:
    """A one-off task that was started has run and exited 0 by the next look."""
    for task in _tasks():
        if task.status != "STOPPED":
            task.status = "STOPPED"
            task.stopped_reason = "Essential container in task exited"
            task.containers[0].exitCode = 0


def _service(deploy: dict[str, Any]) -> dict[str, Any]:
    ecs = boto3.client("ecs", region_name=REGION)
    return ecs.describe_services(cluster=deploy["cluster_name"], services=[deploy["service_name"]])[
        "services"
    ][0]
