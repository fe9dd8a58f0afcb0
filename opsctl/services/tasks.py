"""`run-task`: one task with the service's task definition and network, its logs, its exit code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from opsctl.config import DeployEnv
from opsctl.core import taskdef
from opsctl.core.deployment import Clock
from opsctl.core.records import LogLine, Task
from opsctl.errors import EXIT_INTERRUPTED, OpsError

_STARTED = ("RUNNING", "DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED")


@dataclass(frozen=True)
class TaskResult:
    task_arn: str
    exit_code: int
    stopped_reason: str | None


class _Logs:
    """Follows the container's CloudWatch stream, if it has one."""

    def __init__(self, aws: Any, where: tuple[str, str] | None, on_log: Callable[[LogLine], None]):
        self.aws, self.where, self.on_log = aws, where, on_log
        self.token: str | None = None

    def pump(self) -> None:
        if self.where is None:
            return
        while True:
            lines, token = self.aws.log_events(*self.where, self.token)
            for line in lines:
                self.on_log(line)
            if not lines or token == self.token:
                self.token = token
                return
            self.token = token


def run_one_off(
    aws: Any,
    env: DeployEnv,
    command: list[str],
    *,
    clock: Clock,
    on_log: Callable[[LogLine], None],
    on_status: Callable[[str], None],
) -> TaskResult:
    """Start the task, stream its logs, wait for it to stop; fail clearly if it never starts."""
    if not command:
        raise OpsError(
            "no command given",
            hint="e.g. opsctl run-task --env E -- opsctl db upgrade",
            exit_code=2,
        )
    service = aws.describe_service(env.cluster_name, env.service_name)
    definition = aws.describe_task_definition(service.task_definition)
    network = service.network or {
        "awsvpcConfiguration": {
            "subnets": list(env.private_subnet_ids),
            "securityGroups": [env.app_security_group_id],
            "assignPublicIp": "DISABLED",
        }
    }
    task = aws.run_task(
        env.cluster_name, definition.arn, env.container_name, command, network, "opsctl run-task"
    )
    on_status(f"started {task.task_id} ({definition.arn.rsplit('/', 1)[-1]})")
    where = taskdef.log_stream(definition.document, env.container_name, task.task_id)
    if where is None:
        on_status(f"container {env.container_name} has no awslogs configuration: no logs to show")
    logs = _Logs(aws, where, on_log)
    try:
        task = _wait(aws, env, task, clock, logs, on_status)
    except KeyboardInterrupt:
        raise OpsError(
            f"interrupted: task {task.task_id} is still running",
            hint=f"stop it with: aws ecs stop-task --cluster {env.cluster_name} --task {task.arn}",
            exit_code=EXIT_INTERRUPTED,
        ) from None
    logs.pump()
    return _result(task, env.container_name)


def _wait(
    aws: Any,
    env: DeployEnv,
    task: Task,
    clock: Clock,
    logs: _Logs,
    on_status: Callable[[str], None],
) -> Task:
    started_at = clock.now()
    started = False
    status = task.last_status
    while True:
        task = aws.describe_task(env.cluster_name, task.arn)
        if task.last_status != status:
            status = task.last_status
            on_status(f"task {task.task_id}: {status}")
        if task.last_status in _STARTED:
            started = started or _did_run(task, env.container_name)
        if task.last_status == "STOPPED":
            if not started:
                reason = task.stopped_reason or task.stop_code or "no reason given"
                raise OpsError(
                    f"task {task.task_id} never started: {reason}",
                    hint="check that the image exists, that the execution role may pull it "
                    "and read the secrets, and that the subnets reach ECR",
                )
            return task
        logs.pump()
        waited = clock.now() - started_at
        if not started and task.last_status not in _STARTED and waited >= env.start_timeout:
            aws.stop_task(env.cluster_name, task.arn, "opsctl run-task: did not start in time")
            raise OpsError(
                f"task {task.task_id} did not start within {env.start_timeout:.0f} s "
                f"(still {status})",
                hint="is there Fargate capacity in the subnets, and can they reach ECR?",
            )
        if waited >= env.task_timeout:
            aws.stop_task(env.cluster_name, task.arn, "opsctl run-task: timed out")
            raise OpsError(
                f"task {task.task_id} ran longer than {env.task_timeout:.0f} s and was stopped"
            )
        clock.sleep(env.poll_interval)


def _did_run(task: Task, container: str) -> bool:
    """A task that stops before its container ran has no exit code for it."""
    if task.last_status != "STOPPED":
        return True
    return any(c.name == container and c.exit_code is not None for c in task.containers)


def _result(task: Task, container: str) -> TaskResult:
    code = next((c.exit_code for c in task.containers if c.name == container), None)
    if code is None:
        reason = task.stopped_reason or "no reason given"
        raise OpsError(f"task {task.task_id} stopped without an exit code: {reason}")
    return TaskResult(task.arn, int(code), task.stopped_reason)
