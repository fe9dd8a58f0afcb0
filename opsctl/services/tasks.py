"""One-off tasks: which revision runs, then one task in the app subnets, its logs, its exit code.

Migrations and the in-VPC smoke test are one-off tasks from the NEW revision; a bare
`opsctl run-task` uses what the service runs now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from opsctl.core import taskdef
from opsctl.core.aws_records import LogLine, Task
from opsctl.core.deployment import Clock
from opsctl.core.environment import DeployEnv
from opsctl.core.ports import AwsPort
from opsctl.core.release_plan import parse_image
from opsctl.errors import EXIT_INTERRUPTED, OpsError

_STARTED = ("RUNNING", "DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED")


@dataclass(frozen=True)
class TaskResult:
    task_arn: str
    exit_code: int
    stopped_reason: str | None


class _Logs:
    """Follows the container's CloudWatch stream, if it has one."""

    def __init__(
        self, aws: AwsPort, where: tuple[str, str] | None, on_log: Callable[[LogLine], None]
    ):
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


def resolve_revision(
    aws: AwsPort,
    env: DeployEnv,
    *,
    image: str | None = None,
    revision: str | None = None,
    migration: bool = False,
) -> str:
    """The task definition a one-off runs: `revision` as given; with `image`, a new revision
    registered from the Terraform-managed one (the migration family's with `migration`)
    pinned to that image's digest; else what the service runs now."""
    if revision and image:
        raise OpsError("give --image or --revision, not both", exit_code=2)
    if revision:
        return aws.describe_task_definition(revision).arn
    base_arn = env.migrate_task_definition_arn if migration else env.task_definition_arn
    if migration and not base_arn:
        raise OpsError(
            f"environment {env.name} publishes no migrate_task_definition_arn",
            hint="apply its infra root (the stack module registers the migration family)",
        )
    if image is None:
        if migration:
            return aws.describe_task_definition(str(base_arn)).arn
        return aws.describe_service(env.cluster_name, env.service_name).task_definition
    found = aws.describe_image(env.repository_name, parse_image(image, env.ecr_repository_url))
    if base_arn is None:
        base_arn = aws.describe_service(env.cluster_name, env.service_name).task_definition
    base = aws.describe_task_definition(base_arn)
    document = taskdef.render(
        taskdef.registrable(base.document, base.tags),
        container_name=env.container_name,
        image=f"{env.ecr_repository_url}@{found.digest}",
        release=found.digest,
    )
    return aws.register_task_definition(document)


def run_one_off(
    aws: AwsPort,
    env: DeployEnv,
    task_definition: str,
    command: list[str],
    *,
    clock: Clock,
    on_log: Callable[[LogLine], None],
    on_status: Callable[[str], None],
    started_by: str = "opsctl run-task",
) -> TaskResult:
    """Start the task, stream its logs, wait for it to stop; fail clearly if it never starts."""
    if not command:
        raise OpsError(
            "no command given",
            hint="e.g. opsctl run-task --env E -- opsctl db upgrade",
            exit_code=2,
        )
    definition = aws.describe_task_definition(task_definition)
    task = aws.run_task(
        env.cluster_name, definition.arn, env.container_name, command, env.network, started_by
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
    aws: AwsPort,
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
