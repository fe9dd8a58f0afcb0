"""ECS built-in blue/green through the same deploy loop, on a fake adapter at the AWS seam."""

from __future__ import annotations

from dataclasses import replace

import pytest

from opsctl.config import DeployEnv
from opsctl.core.deploy_plan import ECS_CONFIGS, Controller, Strategy
from opsctl.core.deployer import WatchOptions, release
from opsctl.core.deployment import Clock, Phase, phase
from opsctl.core.ecs_bluegreen import as_deployment
from opsctl.core.records import ServiceDeployment

ARN = "arn:aws:ecs:r:1:service-deployment/c/s/abc"
TD = "arn:aws:ecs:r:1:task-definition/app:4"
ENV = DeployEnv(
    name="staging",
    region="r",
    cluster_name="c",
    service_name="s",
    task_family="app",
    container_name="app",
    container_port=8000,
    codedeploy_app_name="-",
    codedeploy_group_name="-",
    blue_target_group_name="b",
    green_target_group_name="g",
    ecr_repository_url="1.dkr.ecr.r.amazonaws.com/app",
    log_group_name="/ecs/app",
    private_subnet_ids=("subnet-a",),
    app_security_group_id="sg",
    controller="ecs",
)


def sd(status="IN_PROGRESS", stage=None, **kw) -> ServiceDeployment:
    return ServiceDeployment(arn=ARN, status=status, stage=stage, **kw)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (sd("PENDING"), Phase.running),
        (sd(stage="SCALE_UP"), Phase.running),
        (sd(stage="POST_TEST_TRAFFIC_SHIFT"), Phase.test_traffic),
        (sd(stage="PRODUCTION_TRAFFIC_SHIFT"), Phase.test_traffic),
        (sd(stage="BAKE_TIME"), Phase.shifted),
        (sd("SUCCESSFUL", stage="CLEAN_UP"), Phase.succeeded),
        (sd("ROLLBACK_IN_PROGRESS", stage="PRODUCTION_TRAFFIC_SHIFT"), Phase.test_traffic),
        (sd("ROLLBACK_SUCCESSFUL", stage="PRODUCTION_TRAFFIC_SHIFT"), Phase.stopped),
        (sd("ROLLBACK_FAILED", stage="SCALE_UP"), Phase.failed),
    ],
)
def test_stages_map_onto_codedeploy_phases(d, expected):
    assert phase(as_deployment(d, TD)) is expected


def test_alarm_rollback_is_reported_like_codedeploys():
    d = as_deployment(
        sd(
            "ROLLBACK_SUCCESSFUL",
            stage="PRODUCTION_TRAFFIC_SHIFT",
            triggered_alarms=("app-5xx",),
            rollback_reason="alarm app-5xx went into ALARM",
        ),
        TD,
    )
    assert d.failed_event == "AllowTraffic"
    assert (d.error_code, d.error_message) == ("ALARM_ACTIVE", "alarms: app-5xx")
    assert d.rollback_message == "ECS rolled back: alarm app-5xx went into ALARM"


class FakeAws:
    """The ECS calls the controller makes, answering from a script."""

    def __init__(self, script):
        self.script = list(script)
        self.calls = []

    def update_service(self, *args):
        self.calls.append(("update_service", *args))

    def list_service_deployments(self, cluster, service, statuses):
        self.calls.append(("list", cluster, service))
        return [ARN]

    def describe_service_deployment(self, arn):
        return self.script[0] if len(self.script) == 1 else self.script.pop(0)

    def stop_service_deployment(self, arn):
        self.calls.append(("stop", arn))
        self.script = [
            sd("ROLLBACK_SUCCESSFUL", stage="TEST_TRAFFIC_SHIFT", rollback_reason="stop")
        ]


class Ui:
    def __init__(self):
        self.notes = []

    def update(self, snapshot):
        pass

    def note(self, message):
        self.notes.append(message)


def options(smoke_status=None):
    now = [0.0]

    def sleep(seconds):
        now[0] += seconds

    def http_get(url):
        return smoke_status, b'[{"name": "x"}]', None if smoke_status else "refused"

    return WatchOptions(
        timeout=600,
        clock=Clock(now=lambda: now[0], sleep=sleep),
        ui=Ui(),
        interval=5,
        http_get=http_get if smoke_status is not None else None,
        test_url="http://test:8080",
    )


def test_ecs_deploy_updates_the_service_with_the_strategy_and_follows_it():
    aws = FakeAws([sd(stage="SCALE_UP"), sd(stage="BAKE_TIME")])
    config = ECS_CONFIGS[Strategy.canary]
    outcome = release(aws, ENV, Controller.ecs, TD, config, options())
    assert aws.calls[0] == ("update_service", "c", "s", TD, config)
    assert outcome.ok and outcome.phase is Phase.shifted and outcome.deployment_id == ARN


def test_ecs_smoke_failure_stops_with_rollback():
    aws = FakeAws([sd(stage="POST_TEST_TRAFFIC_SHIFT")])
    outcome = release(aws, ENV, Controller.ecs, TD, ECS_CONFIGS[Strategy.linear], options(500))
    assert ("stop", ARN) in aws.calls
    assert not outcome.ok and outcome.phase is Phase.stopped
    assert outcome.reason.startswith("smoke test failed: GET /readyz: HTTP 500")
    assert outcome.rollback == "ECS rolled back: stop"


def test_replace_keeps_records_frozen():
    d = sd()
    with pytest.raises(AttributeError):
        d.status = "x"  # type: ignore[misc]
    assert replace(d, status="SUCCESSFUL").status == "SUCCESSFUL"
