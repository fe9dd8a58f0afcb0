"""One emulator contract test per adapter call: opsctl's Aws against moto, every response
checked against botocore's model on the way in (tests/support/emulator.contract_hooks).

CodeDeploy calls moto implements run here too; the ones it lacks (deployment targets,
continue, stop) are covered by the model-checked fake in test_release.py.
"""

from __future__ import annotations

import json

import boto3
import pytest
from moto.backends import get_backend
from moto.moto_api import state_manager

from opsctl.adapters.aws import Aws
from opsctl.core import appspec
from opsctl.core.release_plan import ImageRequest
from opsctl.errors import OpsError, PrerequisiteError
from tests.support.emulator import (  # noqa: F401 (fixtures)
    ACCOUNT,
    NAME,
    PARAMETER,
    REGION,
    aws_env_fixture,
    contract_hooks,
    moto_url_fixture,
    stack_fixture,
)

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def aws(stack):
    session = boto3.session.Session(region_name=REGION)
    calls: list = []
    contract_hooks(session, calls)
    adapter = Aws(REGION, session=session)
    adapter.calls = calls  # type: ignore[attr-defined]
    return adapter


def test_describe_image_by_tag_and_digest(aws, stack):
    by_tag = aws.describe_image(stack.env.repository_name, ImageRequest(tag="v2"))
    assert by_tag.digest == stack.digests["v2"] and "v2" in by_tag.tags
    by_digest = aws.describe_image(stack.env.repository_name, ImageRequest(digest=by_tag.digest))
    assert by_digest.tags == by_tag.tags
    with pytest.raises(OpsError, match="no image tag nope"):
        aws.describe_image(stack.env.repository_name, ImageRequest(tag="nope"))


def test_registry_login(aws):
    login = aws.registry_login()
    assert login.username == "AWS" and login.registry.startswith("https://")


def test_describe_service_and_task_definitions(aws, stack):
    service = aws.describe_service(NAME, NAME)
    assert service.controller == "CODE_DEPLOY" and service.desired == 0
    described = aws.describe_task_definition(service.task_definition)
    assert described.tags == [{"key": "project", "value": "mycandidate"}]
    document = {
        k: v for k, v in described.document.items() if k in ("family", "containerDefinitions")
    }
    assert aws.register_task_definition(document).endswith(f"{NAME}:2")
    with pytest.raises(OpsError, match="not found in cluster"):
        aws.describe_service(NAME, "nope")


def test_set_desired_count(aws, stack):
    aws.set_desired_count(NAME, NAME, 2)
    assert stack.service()["desiredCount"] == 2


def test_scaling_limits(aws):
    assert aws.scaling_limits(NAME, NAME) == (0, 4)
    aws.set_scaling_limits(NAME, NAME, 2, 6)
    assert aws.scaling_limits(NAME, NAME) == (2, 6)
    assert aws.scaling_limits(NAME, "other") is None


def test_run_describe_and_stop_a_task(aws, stack):
    state_manager.set_transition("ecs::task", {"progression": "manual", "times": 10**9})
    try:
        task = aws.run_task(
            NAME, stack.bootstrap_task_definition, "app", ["true"], stack.env.network, "test"
        )
        assert aws.describe_task(NAME, task.arn).arn == task.arn
        aws.stop_task(NAME, task.arn, "done")
        backend = get_backend("ecs")[ACCOUNT][REGION]
        (stopped,) = backend.tasks[NAME].values()
        assert stopped.stopped_reason == "done"
    finally:
        state_manager.unset_transition("ecs::task")


def test_target_group_health(aws):
    groups = aws.target_group_health([f"{NAME}-blue", f"{NAME}-green"])
    assert [g.name for g in groups] == [f"{NAME}-blue", f"{NAME}-green"]


def test_log_events_of_a_stream_that_does_not_exist_yet(aws, stack):
    assert aws.log_events(f"/ecs/{NAME}", "app/app/none", None) == ([], None)
    logs = stack.client("logs")
    logs.create_log_stream(logGroupName=f"/ecs/{NAME}", logStreamName="app/app/1")
    import time

    now = int(time.time() * 1000)
    logs.put_log_events(
        logGroupName=f"/ecs/{NAME}",
        logStreamName="app/app/1",
        logEvents=[{"timestamp": now, "message": "hello"}],
    )
    lines, token = aws.log_events(f"/ecs/{NAME}", "app/app/1", None)
    assert [line.message for line in lines] == ["hello"] and token


def test_get_parameter(aws):
    assert json.loads(aws.get_parameter(PARAMETER))["cluster_name"] == NAME
    with pytest.raises(PrerequisiteError, match="no SSM parameter /nope"):
        aws.get_parameter("/nope")


def test_codedeploy_calls_moto_implements(aws, stack):
    codedeploy = stack.client("codedeploy")
    codedeploy.create_application(applicationName=NAME, computePlatform="ECS")
    codedeploy.create_deployment_group(
        applicationName=NAME,
        deploymentGroupName=NAME,
        serviceRoleArn=f"arn:aws:iam::{ACCOUNT}:role/{NAME}-codedeploy",
        deploymentStyle={
            "deploymentType": "BLUE_GREEN",
            "deploymentOption": "WITH_TRAFFIC_CONTROL",
        },
        ecsServices=[{"serviceName": NAME, "clusterName": NAME}],
    )
    spec = appspec.render(stack.bootstrap_task_definition, "app", 8000)
    deployment_id = aws.create_deployment(
        NAME, NAME, appspec.revision(spec), "CodeDeployDefault.ECSAllAtOnce", "test"
    )
    got = aws.get_deployment(deployment_id)
    assert got.task_definition == stack.bootstrap_task_definition
    assert [d.id for d in aws.batch_get_deployments([deployment_id])] == [deployment_id]
    assert aws.list_deployments(NAME, NAME, None, None) == [deployment_id]
    assert ("codedeploy", "BatchGetDeployments") in [(s, o) for s, o, _ in aws.calls]
