"""run-task against the emulator: the service's network, streamed logs, the exit code."""

from __future__ import annotations

import time

import pytest
from moto.backends import get_backend
from moto.moto_api import state_manager

from tests.integration.deploy_emulator import (  # noqa: F401 (fixtures)
    ACCOUNT,
    NAME,
    REGION,
    aws_env_fixture,
    cli_fixture,
    moto_url_fixture,
    stack_fixture,
)

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]


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


def test_runs_in_the_service_network_streams_logs_and_returns_the_exit_code(cli, stack, tasks):
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
    assert task.task_definition_arn == stack.first_task_definition
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
