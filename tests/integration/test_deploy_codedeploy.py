"""deploy through CodeDeploy against the emulator: what is registered and sent, and every ending."""

from __future__ import annotations

import json

import pytest

from opsctl.adapters import http
from opsctl.adapters.aws import Aws
from opsctl.core.deploy_plan import Controller, Strategy
from opsctl.core.deployer import WatchOptions, execute, plan_deploy
from opsctl.core.deployment import Clock, Phase
from opsctl.errors import OpsError
from tests.integration.deploy_emulator import (  # noqa: F401 (fixtures)
    ACCOUNT,
    NAME,
    REGION,
    CodeDeployDriver,
    FakeClock,
    Recorder,
    aws_env_fixture,
    moto_url_fixture,
    stack_fixture,
    test_listener_fixture,
)

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]

NEXT_ARN = f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{NAME}:2"


def options(clock: FakeClock, ui: Recorder, url: str | None = None, **kw) -> WatchOptions:
    return WatchOptions(
        timeout=kw.pop("timeout", 600.0),
        clock=Clock(now=clock.now, sleep=clock.sleep),
        ui=ui,
        interval=5.0,
        http_get=http.get if url else None,
        test_url=url,
        **kw,
    )


def deploy(stack, clock, ui, url=None, strategy=Strategy.canary, **kw):
    aws = Aws(REGION)
    plan = plan_deploy(aws, stack.env, "v2", strategy, Controller.codedeploy)
    return plan, execute(aws, stack.env, plan, options(clock, ui, url, **kw))


def expected_task_definition(stack) -> dict:
    repo = stack.env.ecr_repository_url
    return {
        "family": NAME,
        "taskRoleArn": f"arn:aws:iam::{ACCOUNT}:role/{NAME}-task",
        "executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/{NAME}-exec",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "256",
        "memory": "512",
        "containerDefinitions": [
            {
                "name": "app",
                "image": f"{repo}@{stack.digests['v2']}",
                "cpu": 0,
                "memory": 512,
                "essential": True,
                "portMappings": [{"containerPort": 8000, "protocol": "tcp"}],
                "environment": [
                    {"name": "APP_ENV", "value": "staging"},
                    {"name": "FEATURE_X", "value": "on"},
                    {"name": "LOG_LEVEL", "value": "info"},
                ],
                "secrets": [
                    {
                        "name": "DATABASE_URL",
                        "valueFrom": f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/db",
                    }
                ],
                "mountPoints": [],
                "volumesFrom": [],
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": f"/ecs/{NAME}",
                        "awslogs-region": REGION,
                        "awslogs-stream-prefix": "app",
                    },
                },
            }
        ],
    }


EXPECTED_APPSPEC = {
    "version": 0.0,
    "Resources": [
        {
            "TargetService": {
                "Type": "AWS::ECS::Service",
                "Properties": {
                    "TaskDefinition": NEXT_ARN,
                    "LoadBalancerInfo": {"ContainerName": "app", "ContainerPort": 8000},
                },
            }
        }
    ],
}

DESCRIBE_ONLY = (
    "taskDefinitionArn",
    "revision",
    "status",
    "compatibilities",
    "volumes",
    "placementConstraints",
    "registeredAt",
    "registeredBy",
    "requiresAttributes",
)


def test_success_registers_exact_task_definition_and_appspec(stack, test_listener):
    driver = CodeDeployDriver()
    steps = [
        lambda: driver.set(driver.latest(), "InProgress", done=1, running="Install"),
        lambda: driver.set(driver.latest(), "InProgress", done=4, running="AfterAllowTestTraffic"),
        lambda: driver.set(
            driver.latest(), "InProgress", done=6, running="AllowTraffic", green=10.0
        ),
        lambda: driver.succeed(driver.latest()),
    ]
    clock, ui = FakeClock(steps), Recorder()
    plan, outcome = deploy(stack, clock, ui, test_listener.url)

    assert outcome.ok and outcome.phase is Phase.succeeded, outcome
    assert outcome.task_definition == NEXT_ARN
    ecs = stack.client("ecs")
    described = ecs.describe_task_definition(taskDefinition=NEXT_ARN, include=["TAGS"])
    registered = {k: v for k, v in described["taskDefinition"].items() if k not in DESCRIBE_ONLY}
    assert registered == expected_task_definition(stack)
    assert described["tags"] == [{"key": "project", "value": "mycandidate"}]

    info = stack.client("codedeploy").get_deployment(deploymentId=outcome.deployment_id)[
        "deploymentInfo"
    ]
    assert json.loads(info["revision"]["appSpecContent"]["content"]) == EXPECTED_APPSPEC
    assert info["deploymentConfigName"] == "CodeDeployDefault.ECSCanary10Percent5Minutes"
    assert info["autoRollbackConfiguration"] == {
        "enabled": True,
        "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"],
    }
    # The smoke test ran once, against the test listener, when test traffic reached green.
    assert test_listener.hits == ["/readyz", "/api/v1/wards/1/candidates"]
    assert [s.deployment.green_traffic for s in ui.snapshots][-2:] == [10.0, 100.0]
    assert clock.sleeps == [5.0] * 4
    assert "+" in plan.diff and stack.digests["v2"] in plan.diff


def test_ready_wait_is_continued_after_a_passing_smoke_test(stack, test_listener):
    driver = CodeDeployDriver()
    steps = [
        lambda: driver.set(driver.latest(), "Ready", done=5),
        lambda: driver.succeed(driver.latest()),
    ]
    _, outcome = deploy(stack, FakeClock(steps), Recorder(), test_listener.url)
    assert outcome.ok
    assert driver.latest().continued == ["READY_WAIT"]


def test_failed_smoke_test_stops_with_rollback(stack, test_listener):
    test_listener.routes["/api/v1/wards/1/candidates"] = (200, b"[]")
    driver = CodeDeployDriver()
    steps = [lambda: driver.set(driver.latest(), "Ready", done=5)]
    ui = Recorder()
    _, outcome = deploy(stack, FakeClock(steps), ui, test_listener.url)

    assert not outcome.ok and outcome.phase is Phase.stopped
    assert outcome.reason == (
        "smoke test failed: GET /api/v1/wards/1/candidates: HTTP 200 but not a non-empty JSON array"
    )
    assert outcome.rollback == "Traffic rerouted to the original task set"
    assert driver.latest().stop_requests == [True]
    assert not hasattr(driver.latest(), "continued")
    service = stack.client("ecs").describe_services(cluster=NAME, services=[NAME])["services"][0]
    assert service["taskDefinition"] == stack.first_task_definition


def test_failed_lifecycle_event_reports_it_and_follows_the_rollback(stack):
    driver = CodeDeployDriver()

    def fail() -> None:
        d = driver.latest()
        rollback_id = driver.backend.create_deployment(NAME, NAME, d.revision)
        driver.set(d, "Failed", done=4, failed="AfterAllowTestTraffic")
        d.error_information = {"code": "HOOK_EXECUTION_FAILURE", "message": "hook returned Failed"}
        d.rollback_info = {"rollbackDeploymentId": rollback_id}
        driver.set(driver.backend.deployments[rollback_id], "InProgress", done=2)

    steps = [fail, lambda: driver.set(driver.latest(), "Succeeded", done=8)]
    _, outcome = deploy(stack, FakeClock(steps), Recorder())

    assert not outcome.ok and outcome.phase is Phase.failed
    assert outcome.reason == (
        "lifecycle event AfterAllowTestTraffic failed; a lifecycle hook reported failure; "
        "hook returned Failed"
    )
    assert outcome.rollback == f"rollback deployment {driver.latest().deployment_id} succeeded"


def test_alarm_stop_names_the_alarm(stack):
    driver = CodeDeployDriver()

    def alarm() -> None:
        d = driver.latest()
        driver.set(d, "Stopped", done=6, green=0.0)
        d.error_information = {
            "code": "ALARM_ACTIVE",
            "message": f"One or more alarms have been activated: {NAME}-target-5xx",
        }
        d.rollback_info = {"rollbackMessage": "Traffic rerouted to the original task set"}

    _, outcome = deploy(stack, FakeClock([alarm]), Recorder())
    assert not outcome.ok and outcome.phase is Phase.stopped
    assert outcome.reason == (
        f"a CloudWatch alarm fired; One or more alarms have been activated: {NAME}-target-5xx"
    )
    assert outcome.rollback == "Traffic rerouted to the original task set"


def test_timeout_stops_with_rollback_and_says_where(stack):
    driver = CodeDeployDriver()
    steps = [lambda: driver.set(driver.latest(), "InProgress", done=1, running="Install")]
    clock = FakeClock(steps)
    _, outcome = deploy(stack, clock, Recorder(), timeout=60.0)
    assert not outcome.ok
    assert outcome.reason == "timed out after 60 s during Install"
    assert driver.latest().stop_requests == [True]
    assert outcome.phase is Phase.stopped
    assert clock.time == 60.0


@pytest.mark.parametrize("stop", [False, True])
def test_interrupted_watch_says_what_still_runs(stack, stop):
    driver = CodeDeployDriver()

    def interrupt() -> None:
        driver.set(driver.latest(), "InProgress", done=2, running="AfterInstall")
        raise KeyboardInterrupt

    steps = [
        lambda: driver.set(driver.latest(), "InProgress", done=2, running="AfterInstall"),
        interrupt,
    ]
    with pytest.raises(OpsError) as caught:
        deploy(stack, FakeClock(steps), Recorder(), stop_on_interrupt=stop)
    d = driver.latest()
    assert caught.value.exit_code == 130
    if stop:
        assert caught.value.message.startswith(f"interrupted: stopped deployment {d.deployment_id}")
        assert d.stop_requests == [True]
    else:
        assert caught.value.message == (
            f"interrupted: deployment {d.deployment_id} (InProgress, AfterInstall) is still running"
        )
        assert "--stop-on-interrupt" in (caught.value.hint or "")
        assert not hasattr(d, "stop_requests")


def test_unknown_tag_is_refused_before_anything_changes(stack):
    with pytest.raises(OpsError, match="no image tag nope in ECR repository mycandidate"):
        plan_deploy(Aws(REGION), stack.env, "nope", Strategy.canary, Controller.codedeploy)
    families = stack.client("ecs").list_task_definitions(familyPrefix=NAME)["taskDefinitionArns"]
    assert families == [stack.first_task_definition]


def test_deploy_by_digest_and_refuse_while_another_runs(stack):
    aws = Aws(REGION)
    digest = stack.digests["v2"]
    plan = plan_deploy(
        aws, stack.env, f"mycandidate@{digest}", Strategy.linear, Controller.codedeploy
    )
    assert plan.image == f"{stack.env.ecr_repository_url}@{digest}" and plan.image_tag is None
    outcome = execute(aws, stack.env, plan, None)
    assert outcome.phase is Phase.running
    info = stack.client("codedeploy").get_deployment(deploymentId=outcome.deployment_id)
    assert info["deploymentInfo"]["deploymentConfigName"] == (
        "CodeDeployDefault.ECSLinear10PercentEvery1Minutes"
    )
    with pytest.raises(OpsError, match=f"deployment {outcome.deployment_id} is still in progress"):
        plan_deploy(aws, stack.env, "v2", Strategy.canary, Controller.codedeploy)


def test_codedeploy_service_is_not_deployed_with_the_ecs_controller(stack):
    with pytest.raises(OpsError, match="uses the CODE_DEPLOY deployment controller") as caught:
        plan_deploy(Aws(REGION), stack.env, "v2", Strategy.canary, Controller.ecs)
    assert caught.value.exit_code == 2
