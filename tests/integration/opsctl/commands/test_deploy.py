"""deploy, continue, status, rollback and smoke as a user types them, on the emulated account."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from opsctl.errors import OpsError
from tests.support.emulator import (  # noqa: F401 (fixtures)
    NAME,
    aws_env_fixture,
    cli_fixture,
    moto_url_fixture,
    stack_fixture,
    test_listener_fixture,
    write_config,
)
from tests.support.paths import REPO

pytestmark = pytest.mark.timeout(180)
ROOT = str(REPO)


def test_dry_run_prints_the_plan_and_changes_nothing(cli, stack):
    result = cli("deploy", "--env", "staging", "--image", "v2", "--dry-run")
    assert result.exit_code == 0, result.output
    repo = stack.env.ecr_repository_url
    out = result.stdout
    assert f"image     {repo}@{stack.digests['v2']} (tag v2)" in out
    assert f"from      {NAME}:1" in out
    assert "via       CodeDeploy CodeDeployDefault.ECSCanary10Percent5Minutes" in out
    assert "capacity  first release: 2 tasks, autoscaling 2-4" in out
    assert f'-      "image": "{repo}:bootstrap",' in out
    assert f'+      "image": "{repo}@{stack.digests["v2"]}",' in out
    assert '+          "name": "MYCANDIDATE_RELEASE",' in out
    assert "registeredAt" not in out and '"revision"' not in out
    listed = stack.client("ecs").list_task_definitions(familyPrefix=NAME)["taskDefinitionArns"]
    assert listed == [stack.bootstrap_task_definition]
    assert cli.codedeploy.records == {}
    assert stack.service()["desiredCount"] == 0


def test_dry_run_json_is_the_whole_plan(cli, stack):
    result = cli("deploy", "--env", "staging", "--image", "v2", "--dry-run", "--json", "--migrate")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["outcome"] is None
    plan = data["plan"]
    assert plan["image"].endswith(stack.digests["v2"]) and plan["changed"]
    assert plan["migrate"] == ["opsctl", "db", "upgrade"]
    assert plan["capacity"] == {"desired": 2, "min_capacity": 2, "max_capacity": 4}
    assert plan["appspec"]["Resources"][0]["TargetService"]["Properties"]["NetworkConfiguration"]


def test_deploy_follows_to_the_shift_and_says_what_is_left(cli, stack):
    result = cli("deploy", "--env", "staging", "--image", "v2", "--strategy", "all-at-once")
    assert result.exit_code == 0, result.output
    d = cli.codedeploy.latest()
    assert f"deploy staging: all traffic on green ({d.id}, {NAME}:2" in result.stdout
    assert "no smoke test: the environment publishes no test_listener_url" in result.stderr
    assert f"{d.id} Ready: waiting to reroute traffic, green 0%" in result.stderr
    assert "note      the original tasks keep running until the termination wait ends" in (
        result.stdout
    )


def test_failed_deploy_exits_non_zero_with_the_reason(cli, stack):
    cli.codedeploy.next_plan.fail_event = "Install"
    result = cli("deploy", "--env", "staging", "--image", "v2")
    assert result.exit_code == 1
    assert isinstance(result.exception, OpsError)
    d = cli.codedeploy.latest()
    rollback = d.rollback_id or d.id
    failed = cli.codedeploy.records[next(r for r in cli.codedeploy.records if r != rollback)]
    assert result.exception.message == (
        f"deploy {failed.id} failed: lifecycle event Install failed; "
        "ECS could not start the new task set; "
        "The ECS service could not start the replacement task set"
    )
    assert f"rollback  rollback deployment {failed.rollback_id} succeeded" in result.stdout


def test_nothing_is_deployed_when_nothing_changes(cli, stack):
    assert cli("deploy", "--env", "staging", "--image", "v2").exit_code == 0
    cli.wait(3600)  # past the termination wait: the service runs the release
    result = cli("deploy", "--env", "staging", "--image", "v2")
    assert result.exit_code == 0, result.output
    assert "no change: the service already runs this task definition" in result.stdout
    assert len(cli.codedeploy.records) == 1


def test_no_wait_names_continue_and_continue_finishes(
    cli, stack, test_listener, tmp_path, monkeypatch
):
    config = write_config(tmp_path / "listener.toml", test_listener_url=test_listener.url)
    monkeypatch.setenv("OPSCTL_CONFIG", str(config))
    test_listener.release = lambda: stack.release_of(cli.codedeploy.latest().task_definition)
    result = cli("deploy", "--env", "staging", "--image", "v2", "--no-wait")
    assert result.exit_code == 0, result.output
    assert "production traffic moves after `opsctl continue --env staging`" in result.stdout
    result = cli("continue", "--env", "staging", "--smoke-from", "here", "--json")
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout)["outcome"]
    assert outcome["ok"] and outcome["phase"] == "shifted"
    assert test_listener.hits == ["/readyz", "/api/v1/wards/1/candidates"]


def test_continue_with_nothing_in_progress_exits_1(cli):
    result = cli("continue", "--env", "staging")
    assert result.exit_code == 1
    assert result.exception.message == "no deployment in progress in staging"


def test_status_shows_service_deployments_and_targets(cli, stack):
    assert cli("deploy", "--env", "staging", "--image", "v2", "--no-wait").exit_code == 0
    cli.wait(400)  # into the ready wait
    started = cli.codedeploy.latest()
    result = cli("status", "--env", "staging")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"revision  {NAME}:1  (CODE_DEPLOY)" in out
    assert f"active    {started.id} Ready: waiting to reroute traffic, green 0%" in out
    assert f"{NAME}-blue" in out and f"{NAME}-green" in out

    data = json.loads(cli("status", "--env", "staging", "--json").stdout)
    assert data["active"]["id"] == started.id
    assert data["active"]["task_definition"].endswith(f"{NAME}:2")
    assert [d["id"] for d in data["recent"]] == [started.id]
    assert [g["name"] for g in data["target_groups"]] == [f"{NAME}-blue", f"{NAME}-green"]


def test_rollback_stops_the_active_deployment(cli, stack):
    assert cli("deploy", "--env", "staging", "--image", "v2", "--no-wait").exit_code == 0
    started = cli.codedeploy.latest()
    result = cli("rollback", "--env", "staging")
    assert result.exit_code == 0, result.output
    assert started.stopped is not None and started.stopped[2] is True
    assert "rollback staging: stopped" in result.stdout


def test_rollback_redeploys_the_release_before(cli, stack):
    assert cli("deploy", "--env", "staging", "--image", "v1").exit_code == 0
    cli.wait(3600)
    first = cli.codedeploy.latest().task_definition
    assert cli("deploy", "--env", "staging", "--image", "v2").exit_code == 0
    cli.wait(3600)
    result = cli("rollback", "--env", "staging")
    assert result.exit_code == 0, result.output
    d = cli.codedeploy.latest()
    assert d.task_definition == first and d.config == "CodeDeployDefault.ECSAllAtOnce"
    assert f"rollback staging: all traffic on green ({d.id}, {first.rsplit('/', 1)[-1]}" in (
        result.stdout
    )


def test_rollback_with_nothing_released_before_fails_clearly(cli):
    result = cli("rollback", "--env", "staging")
    assert result.exit_code == 1
    assert result.exception.message.startswith("no succeeded deployment of a revision other than")


def test_smoke_command_checks_the_release(cli, stack, test_listener):
    release = "sha256:" + "c" * 64
    test_listener.release = lambda: release
    result = cli("smoke", test_listener.url, "--release", release, "--json")
    assert result.exit_code == 0, result.output
    assert [r["ok"] for r in json.loads(result.stdout)] == [True, True]
    result = cli("smoke", test_listener.url, "--release", "sha256:other", "--timeout", "0")
    assert result.exit_code == 1
    assert f"HTTP 200 from release {release}, not sha256:other" in result.stdout


def test_a_real_process_exits_1_on_an_alarm_without_a_traceback(stack, tmp_path):
    """No fake clock and no CliRunner: a separate opsctl process, CodeDeploy on real time."""
    config = write_config(tmp_path / "opsctl.toml", poll_interval=0.1, deploy_timeout=60)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.support.opsctl_on_fake",
            "deploy",
            "--env",
            "staging",
            "--image",
            "v2",
            "--no-smoke",
        ],
        env={
            **os.environ,
            "OPSCTL_CONFIG": str(config),
            "NO_COLOR": "1",
            "FAKE_ALARM_AFTER": "0.3",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "InProgress: AllowTraffic" in result.stderr
    assert (
        result.stderr.strip()
        .splitlines()[-2]
        .endswith(
            "stopped: a CloudWatch alarm fired; One or more alarms have been activated according "
            "to the Amazon CloudWatch metrics"
        )
    )
    assert "rollback  rollback deployment" in result.stdout
