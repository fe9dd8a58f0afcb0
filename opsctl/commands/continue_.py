"""opsctl continue: smoke-test the deployment in progress, then let production traffic move."""

from __future__ import annotations

import typer

from opsctl.commands import _options
from opsctl.commands._release import (
    SMOKE_FROM_OPTION,
    SMOKE_OPTION,
    STOP_ON_INTERRUPT_OPTION,
    TIMEOUT_OPTION,
    WatchScreen,
    connect,
    report,
    watch_options,
)
from opsctl.output import stderr


def register(app: typer.Typer) -> None:
    app.command("continue")(continue_cmd)


def continue_cmd(
    env_name: str = _options.ENV,
    timeout: float = TIMEOUT_OPTION,
    smoke: bool = SMOKE_OPTION,
    smoke_from: str = SMOKE_FROM_OPTION,
    stop_on_interrupt: bool = STOP_ON_INTERRUPT_OPTION,
    json_output: bool = _options.JSON,
) -> None:
    """Finish a deployment that nobody is watching (after --no-wait, Ctrl-C or a cancelled job).

    CodeDeploy holds every release in its ready wait until opsctl continues it,
    and stops it with rollback when the wait ends. This takes over the one in
    progress exactly as `opsctl deploy` would have: smoke test once test
    traffic reaches the new tasks, continue, follow to the end.

    Examples:
      opsctl continue --env staging
      opsctl continue --env prod --json
    """
    from opsctl.services.release import continue_release

    env, aws = connect(env_name)
    with WatchScreen(stderr()) as screen:
        opts = watch_options(env, aws, screen, timeout, stop_on_interrupt, smoke, smoke_from)
        outcome = continue_release(aws, env, opts)
    report(outcome, "continue", env, json_output, {})
