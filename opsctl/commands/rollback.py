"""opsctl rollback: stop the deployment in progress, or go back to the previous revision."""

from __future__ import annotations

import typer

from opsctl.commands._release import (
    ENV_OPTION,
    JSON_OPTION,
    TIMEOUT_OPTION,
    WatchScreen,
    connect,
    report,
    watch_options,
)
from opsctl.core.deploy_plan import Controller, Strategy
from opsctl.output import stderr


def register(app: typer.Typer) -> None:
    app.command("rollback")(rollback_cmd)


def rollback_cmd(
    env_name: str = ENV_OPTION,
    strategy: Strategy = typer.Option(
        Strategy.all_at_once, "--strategy", help="Traffic shifting for a redeploy."
    ),
    controller: Controller = typer.Option(None, "--controller", help="codedeploy or ecs."),
    wait: bool = typer.Option(True, "--wait/--no-wait", help="Follow the rollback to its end."),
    timeout: float = TIMEOUT_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Roll an environment back.

    With a deployment in progress: stop it, and CodeDeploy moves traffic
    back to the original tasks. Otherwise: redeploy the newest active task
    definition revision older than the one running (all at once by
    default; no smoke test, that revision passed it before).

    Examples:
      opsctl rollback --env prod
      opsctl rollback --env staging --strategy canary --no-wait
    """
    from opsctl.core.deployer import rollback

    env, aws = connect(env_name)
    with WatchScreen(stderr()) as screen:
        opts = watch_options(env, screen, timeout, False, smoke=False) if wait else None
        outcome = rollback(aws, env, controller or Controller(env.controller), strategy, opts)
    report(outcome, "rollback", env, json_output, {})
