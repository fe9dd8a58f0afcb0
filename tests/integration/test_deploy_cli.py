"""deploy, status and rollback as a user types them, against the emulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from opsctl.adapters.aws import Aws
from opsctl.core.deploy_plan import Controller, Strategy
from opsctl.core.deployer import execute, plan_deploy
from opsctl.errors import OpsError
from tests.integration.deploy_emulator import (  # noqa: F401 (fixtures)
    ACCOUNT,
    NAME,
    REGION,
    CodeDeployDriver,
    aws_env_fixture,
    cli_fixture,
    moto_url_fixture,
    stack_fixture,
    write_config,
)

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]


def test_dry_run_prints_the_diff_and_changes_nothing(cli, stack):
    result = cli("deploy", "--env", "staging", "--image", "v2", "--dry-run")
    assert result.exit_code == 0, result.output
    repo = stack.env.ecr_repository_url
    out = result.stdout
    assert f"image     {repo}@{stack.digests['v2']} (tag v2)" in out
    assert f"from      {NAME}:1" in out
    assert "via       codedeploy: CodeDeployDefault.ECSCanary10Percent5Minutes" in out
    assert f'-      "image": "{repo}@{stack.digests["v1"]}",' in out
    assert f'+      "image": "{repo}@{stack.digests["v2"]}",' in out
    assert '+          "name": "FEATURE_X",' in out
    assert "registeredAt" not in out and '"revision"' not in out
    ecs = stack.client("ecs")
    assert ecs.list_task_definitions(familyPrefix=NAME)["taskDefinitionArns"] == [
        stack.first_task_definition
    ]
    assert CodeDeployDriver().backend.deployments == {}


def test_dry_run_json(cli, stack):
    result = cli("deploy", "--env", "staging", "--image", "v2", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["outcome"] is None
    assert data["plan"]["image"].endswith(stack.digests["v2"]) and data["plan"]["changed"]


def test_deploy_follows_to_success(cli, stack):
    driver = CodeDeployDriver()
    cli.clock.steps = [
        lambda: driver.set(driver.latest(), "InProgress", done=3, running="AllowTestTraffic"),
        lambda: driver.succeed(driver.latest()),
    ]
    result = cli("deploy", "--env", "staging", "--image", "v2", "--strategy", "all-at-once")
    assert result.exit_code == 0, result.output
    d = driver.latest()
    assert f"deploy staging: succeeded ({d.deployment_id}, {NAME}:2, 0m10s)" in result.stdout
    assert f"{d.deployment_id} InProgress: AllowTestTraffic, green 0%" in result.stderr
    assert d.deployment_config_name == "CodeDeployDefault.ECSAllAtOnce"


def test_failed_deploy_exits_non_zero_with_the_reason(cli, stack):
    driver = CodeDeployDriver()

    def fail() -> None:
        d = driver.latest()
        driver.set(d, "Failed", done=1, failed="Install")
        d.error_information = {"code": "ECS_UPDATE_ERROR", "message": "tasks failed to start"}

    cli.clock.steps = [fail]
    result = cli("deploy", "--env", "staging", "--image", "v2")
    assert result.exit_code == 1
    assert isinstance(result.exception, OpsError)
    assert result.exception.message == (
        f"deploy {driver.latest().deployment_id} failed: lifecycle event Install failed; "
        "ECS could not start the new task set; tasks failed to start"
    )
    assert "rollback  production traffic stayed on the original task set" in result.stdout


def test_nothing_is_deployed_when_nothing_changes(cli, stack, tmp_path, monkeypatch):
    config = write_config(tmp_path / "same.toml", stack.env, feature_x=False)
    monkeypatch.setenv("OPSCTL_CONFIG", str(config))
    result = cli("deploy", "--env", "staging", "--image", "v1")
    assert result.exit_code == 0, result.output
    assert "no change: the service already runs this task definition" in result.stdout
    assert CodeDeployDriver().backend.deployments == {}


def test_status_shows_service_deployments_and_targets(cli, stack):
    aws = Aws(REGION)
    plan = plan_deploy(aws, stack.env, "v2", Strategy.canary, Controller.codedeploy)
    started = execute(aws, stack.env, plan, None)
    driver = CodeDeployDriver()
    driver.set(driver.latest(), "InProgress", done=6, running="AllowTraffic", green=10.0)

    result = cli("status", "--env", "staging")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"revision  {NAME}:1  (CODE_DEPLOY)" in out
    assert f"active    {started.deployment_id} InProgress: AllowTraffic, green 10%" in out
    assert f"{NAME}-blue" in out and f"{NAME}-green" in out

    data = json.loads(cli("status", "--env", "staging", "--json").stdout)
    assert data["active"]["id"] == started.deployment_id
    assert data["active"]["task_definition"].endswith(f"{NAME}:2")
    assert [(g["name"], g["states"]) for g in data["target_groups"]] == [
        (f"{NAME}-blue", {"healthy": 2}),
        (f"{NAME}-green", {}),
    ]


def test_rollback_stops_the_active_deployment(cli, stack):
    aws = Aws(REGION)
    plan = plan_deploy(aws, stack.env, "v2", Strategy.canary, Controller.codedeploy)
    started = execute(aws, stack.env, plan, None)
    result = cli("rollback", "--env", "staging")
    assert result.exit_code == 0, result.output
    d = CodeDeployDriver().backend.deployments[started.deployment_id]
    assert d.stop_requests == [True]
    assert "rollback staging: stopped" in result.stdout
    assert "Traffic rerouted to the original task set" in result.stdout


def test_rollback_redeploys_the_previous_revision(cli, stack):
    driver = CodeDeployDriver()
    cli.clock.steps = [lambda: driver.succeed(driver.latest())]
    assert cli("deploy", "--env", "staging", "--image", "v2").exit_code == 0
    cli.clock.steps = [lambda: driver.succeed(driver.latest())]

    result = cli("rollback", "--env", "staging")
    assert result.exit_code == 0, result.output
    d = driver.latest()
    spec = json.loads(d.revision["appSpecContent"]["content"])
    assert spec["Resources"][0]["TargetService"]["Properties"]["TaskDefinition"] == (
        stack.first_task_definition
    )
    assert d.deployment_config_name == "CodeDeployDefault.ECSAllAtOnce"
    assert f"rollback staging: succeeded ({d.deployment_id}, {NAME}:1" in result.stdout


def test_rollback_with_nothing_older_fails_clearly(cli):
    result = cli("rollback", "--env", "staging")
    assert result.exit_code == 1
    assert result.exception.message.startswith(f"no active revision of {NAME} older than")


def test_real_process_follows_the_emulator_and_exits_1_on_alarm(stack, tmp_path):
    """No fake clock: a separate opsctl process polls while this test plays CodeDeploy."""
    config = write_config(tmp_path / "opsctl.toml", stack.env, poll_interval=0.1, deploy_timeout=60)
    driver = CodeDeployDriver()

    def play() -> None:
        deadline = time.monotonic() + 60
        while not driver.backend.deployments and time.monotonic() < deadline:
            time.sleep(0.05)
        d = driver.latest()
        driver.set(d, "InProgress", done=6, running="AllowTraffic", green=10.0)
        time.sleep(2)  # several polls see the canary
        d.error_information = {"code": "ALARM_ACTIVE", "message": f"{NAME}-target-5xx is ALARM"}
        d.rollback_info = {"rollbackMessage": "Traffic rerouted to the original task set"}
        driver.set(d, "Stopped", done=6, green=0.0)

    player = threading.Thread(target=play)
    player.start()
    result = subprocess.run(
        [sys.executable, "-m", "opsctl", "deploy", "--env", "staging", "--image", "v2"],
        env={**os.environ, "OPSCTL_CONFIG": str(config), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    player.join()
    d = driver.latest()
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{d.deployment_id} InProgress: AllowTraffic, green 10%" in result.stderr
    assert result.stderr.strip().splitlines()[-2] == (
        f"error: deploy {d.deployment_id} stopped: a CloudWatch alarm fired; "
        f"{NAME}-target-5xx is ALARM"
    )
    assert "rollback  Traffic rerouted to the original task set" in result.stdout
