"""run-task and the in-VPC smoke test on the emulator: which revision, the network, logs, exit."""

from __future__ import annotations

import time

import pytest
from moto.backends import get_backend
from moto.moto_api import state_manager

from opsctl.services import smoke
from tests.support.emulator import (  # noqa: F401 (fixtures)
    ACCOUNT,
    NAME,
    REGION,
    FakeClock,
    Recorder,
    aws_env_fixture,
    aws_for,
    cli_fixture,
    codedeploy_for,
    moto_url_fixture,
    stack_fixture,
)

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def tasks(stack):
    """ECS tasks stay where the test puts them (moto would stop them on the first look)."""
    state_manager.set_transition("ecs::task", {"progression": "manual", "times": 10**9})
    backend = get_backend("ecs")[ACCOUNT][REGION]
    yield backend
    state_manager.unset_transition("ecs::task")


def only_task(backend):
    (task,) = backend.tasks[NAME].values()
    return task


def family_of(arn):
    return arn.rsplit("/", 1)[-1].rsplit(":", 1)[0]


def stop(backend, exit_code, reason="Essential container in task exited"):
    task = only_task(backend)
    task.status = "STOPPED"
    task.stopped_reason = reason
    task.containers[0].exitCode = exit_code


def write_logs(stack, backend, *messages):
    logs = stack.client("logs")
    stream = f"app/app/{only_task(backend).id}"
    logs.create_log_stream(logGroupName=f"/ecs/{NAME}", logStreamName=stream)
    now = int(time.time() * 1000)  # CloudWatch drops events older than 14 days
    events = [{"timestamp": now + i, "message": m} for i, m in enumerate(messages)]
    logs.put_log_events(logGroupName=f"/ecs/{NAME}", logStreamName=stream, logEvents=events)


def test_runs_in_the_app_subnets_streams_logs_and_returns_the_exit_code(cli, stack, tasks):
    cli.clock.steps = [
        lambda: write_logs(stack, tasks, "INFO  [alembic] Running upgrade -> 0001", "upgraded"),
        lambda: stop(tasks, 3),
    ]
    result = cli("run-task", "--env", "staging", "--", "opsctl", "db", "upgrade")
    assert result.exit_code == 3, result.output
    assert result.stdout == "INFO  [alembic] Running upgrade -> 0001\nupgraded\n"
    task = only_task(tasks)
    assert task.overrides == {
        "containerOverrides": [{"name": "app", "command": ["opsctl", "db", "upgrade"]}]
    }
    assert task.task_definition_arn == stack.bootstrap_task_definition
    assert task.started_by == "opsctl run-task"
    assert task.network_configuration["awsvpcConfiguration"]["subnets"] == list(
        stack.env.private_subnet_ids
    )
    assert f"task {task.id} exited with 3" in result.stderr


def test_a_task_that_never_starts_fails_clearly(cli, stack, tasks, monkeypatch):
    original = tasks.run_task

    def provisioning(*args, **kwargs):
        started = original(*args, **kwargs)
        for task in started:
            task.status = "PROVISIONING"
        return started

    monkeypatch.setattr(tasks, "run_task", provisioning)
    cli.clock.steps = [lambda: stop(tasks, None, "CannotPullContainerError: pull access denied")]
    result = cli("run-task", "--env", "staging", "--", "opsctl", "db", "upgrade")
    assert result.exit_code == 1
    assert result.exception.message == (
        f"task {only_task(tasks).id} never started: CannotPullContainerError: pull access denied"
    )


def test_a_task_stuck_before_start_is_stopped_after_the_start_timeout(
    cli, stack, tasks, monkeypatch
):
    original = tasks.run_task

    def pending(*args, **kwargs):
        started = original(*args, **kwargs)
        for task in started:
            task.status = "PENDING"
        return started

    monkeypatch.setattr(tasks, "run_task", pending)
    result = cli("run-task", "--env", "staging", "--", "true")
    assert result.exit_code == 1
    task = only_task(tasks)
    assert result.exception.message == f"task {task.id} did not start within 300 s (still PENDING)"
    assert task.stopped_reason == "opsctl run-task: did not start in time"
    assert cli.clock.time == 300.0


def test_no_command_is_a_usage_error(cli):
    result = cli("run-task", "--env", "staging")
    assert result.exit_code == 2


def test_image_runs_a_new_revision_of_that_digest(cli, stack, tasks):
    cli.clock.steps = [lambda: stop(tasks, 0)]
    result = cli(
        "run-task",
        "--env",
        "staging",
        "--image",
        "v2",
        "--migration",
        "--",
        "opsctl",
        "db",
        "upgrade",
    )
    assert result.exit_code == 0, result.output
    arn = only_task(tasks).task_definition_arn
    assert family_of(arn) == f"{NAME}-migrate" and arn != stack.migrate_task_definition
    assert stack.release_of(arn) == stack.digests["v2"]
    described = stack.client("ecs").describe_task_definition(taskDefinition=arn)
    assert described["taskDefinition"]["containerDefinitions"][0]["image"].endswith(
        stack.digests["v2"]
    )


def test_revision_runs_as_it_is_and_excludes_image(cli, stack, tasks):
    cli.clock.steps = [lambda: stop(tasks, 0)]
    result = cli("run-task", "--env", "staging", "--revision", f"{NAME}-migrate:1", "--", "true")
    assert result.exit_code == 0, result.output
    assert only_task(tasks).task_definition_arn == stack.migrate_task_definition
    result = cli("run-task", "--env", "staging", "--revision", "x:1", "--image", "v2", "--", "true")
    assert result.exception.exit_code == 2  # a usage error, reported by opsctl.app.main


def test_the_in_vpc_smoke_test_is_a_one_off_task_of_the_revision_under_test(stack, tasks):
    clock, ui = FakeClock(), Recorder()
    aws = aws_for(codedeploy_for(stack, clock))
    url = "http://internal-alb:8443"
    green = stack.client("ecs").register_task_definition(
        **{
            **{
                k: v
                for k, v in stack.client("ecs")
                .describe_task_definition(taskDefinition=stack.bootstrap_task_definition)[
                    "taskDefinition"
                ]
                .items()
                if k
                in (
                    "family",
                    "networkMode",
                    "containerDefinitions",
                    "requiresCompatibilities",
                    "cpu",
                    "memory",
                )
            },
        }
    )["taskDefinition"]["taskDefinitionArn"]
    check = smoke.in_vpc(aws, stack.env, url, clock.clock(), lambda line: None, ui.note)
    clock.steps = [lambda: stop(tasks, 1)]
    assert check(green) == ["smoke task exited with 1"]
    task = only_task(tasks)
    assert task.task_definition_arn == green and task.started_by == "opsctl smoke"
    assert task.overrides["containerOverrides"][0]["command"] == [
        "opsctl",
        "smoke",
        url,
        "--timeout",
        "300",
    ]
