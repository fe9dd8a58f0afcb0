"""opsctl run-task: a one-off command in the app subnets (e.g. migrations), from a chosen image."""

from __future__ import annotations

import typer

from opsctl.commands import _options, _release
from opsctl.commands._release import connect
from opsctl.core.aws_records import LogLine
from opsctl.output import stderr, stdout


def register(app: typer.Typer) -> None:
    app.command("run-task", context_settings={"allow_interspersed_args": False})(run_task_cmd)


def run_task_cmd(
    env_name: str = _options.ENV,
    command: list[str] = typer.Argument(..., help="The command, after `--`.", show_default=False),
    image: str = typer.Option(
        None, "--image", help="Tag or digest: register a revision of it and run that."
    ),
    revision: str = typer.Option(
        None, "--revision", help="Task definition ARN or family:revision to run as it is."
    ),
    migration: bool = typer.Option(
        False, "--migration", help="Use the migration family (the database owner's role)."
    ),
) -> None:
    """Run a one-off task; exit with its exit code.

    Without --image or --revision it runs what the service runs now. With
    --image it registers a new revision from the Terraform-managed one,
    pinned to that image's digest (so a migration runs the NEW code). The
    task uses the app subnets and security group; its CloudWatch logs
    stream here while it runs.

    Examples:
      opsctl run-task --env staging --image sha256:3f2c... --migration -- opsctl db upgrade
      opsctl run-task --env prod -- opsctl data load kenya-2022
    """
    from opsctl.services.tasks import resolve_revision, run_one_off

    env, aws = connect(env_name)
    out, err = stdout(), stderr()

    def show_log(line: LogLine) -> None:
        out.print(line.message, markup=False, highlight=False, soft_wrap=True)

    def show_status(message: str) -> None:
        err.print(message, markup=False, highlight=False, soft_wrap=True)

    arn = resolve_revision(aws, env, image=image, revision=revision, migration=migration)
    result = run_one_off(
        aws, env, arn, list(command), clock=_release.clock(), on_log=show_log, on_status=show_status
    )
    err.print(f"task {result.task_arn.rsplit('/', 1)[-1]} exited with {result.exit_code}")
    raise typer.Exit(result.exit_code)
