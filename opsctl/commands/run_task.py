"""opsctl run-task: a one-off command in the service's image and network (e.g. migrations)."""

from __future__ import annotations

import typer

from opsctl.commands import _release
from opsctl.commands._release import ENV_OPTION, connect
from opsctl.core.records import LogLine
from opsctl.output import stderr, stdout


def register(app: typer.Typer) -> None:
    app.command("run-task", context_settings={"allow_interspersed_args": False})(run_task_cmd)


def run_task_cmd(
    env_name: str = ENV_OPTION,
    command: list[str] = typer.Argument(..., help="The command, after `--`.", show_default=False),
) -> None:
    """Run a one-off task with the service's task definition; exit with its exit code.

    The task uses the service's subnets and security groups; its
    CloudWatch logs stream here while it runs. It fails clearly when the
    task never starts.

    Examples:
      opsctl run-task --env staging -- opsctl db upgrade
      opsctl run-task --env prod -- opsctl data load kenya-2022
    """
    from opsctl.core.one_off import run_one_off

    env, aws = connect(env_name)
    out, err = stdout(), stderr()

    def show_log(line: LogLine) -> None:
        out.print(line.message, markup=False, highlight=False, soft_wrap=True)

    def show_status(message: str) -> None:
        err.print(message, markup=False, highlight=False, soft_wrap=True)

    result = run_one_off(
        aws, env, list(command), clock=_release.clock(), on_log=show_log, on_status=show_status
    )
    err.print(f"task {result.task_arn.rsplit('/', 1)[-1]} exited with {result.exit_code}")
    raise typer.Exit(result.exit_code)
