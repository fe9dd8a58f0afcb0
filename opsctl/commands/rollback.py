"""opsctl rollback: stop the deployment in progress, or go back to the previous revision."""

from __future__ import annotations

import typer

from opsctl.commands import _options
from opsctl.commands._release import (
    TIMEOUT_OPTION,
    WatchScreen,
    connect,
    now,
    report,
    watch_options,
)
from opsctl.core.release_plan import Strategy
from opsctl.output import stderr


def register(app: typer.Typer) -> None:
    app.command("rollback")(rollback_cmd)


def rollback_cmd(
    env_name: str = _options.ENV,
    strategy: Strategy = typer.Option(
        Strategy.all_at_once, "--strategy", help="Traffic shifting for a redeploy."
    ),
    wait: bool = typer.Option(True, "--wait/--no-wait", help="Follow the rollback to its end."),
    timeout: float = TIMEOUT_OPTION,
    json_output: bool = _options.JSON,
) -> None:
    """Roll an environment back.

    With a deployment in progress: stop it, and CodeDeploy moves traffic
    back to the original tasks. Otherwise: redeploy the revision of the
    succeeded deployment before the one running now (all at once by
    default; no smoke test, that revision passed it before).

    Examples:
      opsctl rollback --env prod
      opsctl rollback --env staging --strategy canary --no-wait
    """
    from opsctl.services.release import rollback

    env, aws = connect(env_name)
    with WatchScreen(stderr()) as screen:
        opts = watch_options(env, aws, screen, timeout, False, smoke=False) if wait else None
        outcome = rollback(aws, env, strategy, opts, now())
    report(outcome, "rollback", env, json_output, {})
