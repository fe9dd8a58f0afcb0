"""What push, deploy, continue, status, rollback and run-task share: wiring and screens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from opsctl.commands import _options
from opsctl.core.deployment import Clock, Deployment, Outcome, Phase, Snapshot, phase

if TYPE_CHECKING:
    from datetime import datetime

    from rich.console import Console

    from opsctl.adapters.aws import Aws
    from opsctl.core.aws_records import LogLine
    from opsctl.core.environment import DeployEnv
    from opsctl.services.release import Smoke, WatchOptions

TIMEOUT_OPTION = _options.timeout(None, "Give up (and roll back) after this long.")
STOP_ON_INTERRUPT_OPTION = typer.Option(
    False, "--stop-on-interrupt", help="On Ctrl-C, stop the deployment and roll back."
)
SMOKE_OPTION = typer.Option(
    True, "--smoke/--no-smoke", help="Smoke-test the new tasks before production traffic."
)
SMOKE_FROM_OPTION = typer.Option(
    "vpc",
    "--smoke-from",
    help="vpc: a one-off task in the app subnets (default); here: this machine.",
)


def connect(env_name: str) -> tuple[DeployEnv, Aws]:
    """The environment's settings and one AWS session for the whole run."""
    from opsctl.adapters.aws import Aws
    from opsctl.settings import load_env

    env = load_env(env_name)
    return env, Aws(env.region)


def now() -> datetime:
    """Wall-clock time for history windows; tests replace this with the emulator's."""
    from datetime import UTC, datetime

    return datetime.now(UTC)


def clock() -> Clock:
    """Real time; tests replace this to run a whole deployment without waiting."""
    return Clock()


def short(arn: str | None) -> str:
    """`arn:...:task-definition/family:3` -> `family:3`."""
    return (arn or "-").rsplit("/", 1)[-1]


def event_mark(status: str) -> str:
    return {
        "Succeeded": "[green]✓[/]",
        "InProgress": "[yellow]…[/]",
        "Failed": "[red]✗[/]",
        "Skipped": "[dim]-[/]",
    }.get(status, "[dim]·[/]")


def deployment_line(d: Deployment) -> str:
    green = "" if d.green_traffic is None else f", green {d.green_traffic:.0f}%"
    where = d.current_event or d.failed_event or phase(d).value
    return f"{d.id} {d.status}: {where}{green}"


class WatchScreen:
    """Shows a deployment as it moves: a live panel on a terminal, one line per change else."""

    def __init__(self, console: Console):
        self.console = console
        self.live: Any = None
        self._last_line = ""

    def __enter__(self) -> WatchScreen:
        if self.console.is_terminal:
            from rich.live import Live

            # Not transient: the last state stays on screen above the summary.
            self.live = Live(console=self.console, refresh_per_second=4)
            self.live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.__exit__(None, None, None)

    def note(self, message: str) -> None:
        self.console.print(message, markup=False, soft_wrap=True)

    def log(self, line: LogLine) -> None:
        self.console.print(f"  | {line.message}", markup=False, highlight=False, soft_wrap=True)

    def update(self, snap: Snapshot) -> None:
        for event in snap.service_events:
            self.console.print(f"[dim]ecs: {event.message}[/]", highlight=False, soft_wrap=True)
        if self.live is not None:
            self.live.update(self._panel(snap.deployment))
            return
        line = deployment_line(snap.deployment)
        if line != self._last_line:
            self._last_line = line
            self.console.print(line, markup=False, soft_wrap=True)

    def _panel(self, d: Deployment) -> Any:
        from rich.console import Group
        from rich.progress_bar import ProgressBar
        from rich.table import Table

        table = Table.grid(padding=(0, 1))
        for event in d.events:
            table.add_row(event_mark(event.status), event.name, f"[dim]{event.status}[/]")
        green = d.green_traffic or 0.0
        bar = Table.grid(padding=(0, 1))
        bar.add_row("green", ProgressBar(total=100, completed=green, width=40), f"{green:.0f}%")
        return Group(f"[bold]{d.id}[/] {d.status}  [dim]{d.config_name or ''}[/]", table, bar)


def outcome_dict(outcome: Outcome) -> dict[str, Any]:
    return {
        "deployment_id": outcome.deployment_id,
        "phase": outcome.phase.name,
        "ok": outcome.ok,
        "reason": outcome.reason,
        "task_definition": outcome.task_definition,
        "rollback": outcome.rollback,
        "elapsed_seconds": round(outcome.elapsed, 1),
        "notes": list(outcome.notes),
    }


def report(
    outcome: Outcome, verb: str, env: DeployEnv, json_output: bool, extra: dict[str, Any]
) -> None:
    """The one-screen summary (or JSON); a failure then exits non-zero through OpsError."""
    from opsctl.errors import OpsError
    from opsctl.output import print_json, stdout

    if json_output:
        print_json({**extra, "outcome": outcome_dict(outcome)})
    elif outcome.phase is Phase.running:
        stdout().print(
            f"started {outcome.deployment_id} ({short(outcome.task_definition)}); production "
            f"traffic moves after `opsctl continue --env {env.name}` (smoke test, then continue)",
            markup=False,
            soft_wrap=True,
        )
    else:
        out = stdout()
        colour = "green" if outcome.ok else "red"
        minutes, seconds = divmod(int(outcome.elapsed), 60)
        took = f"{minutes}m{seconds:02d}s"
        out.print(
            f"[bold {colour}]{verb} {env.name}: {outcome.phase.value}[/] "
            f"({outcome.deployment_id}, {short(outcome.task_definition)}, {took})",
            soft_wrap=True,
        )
        if not outcome.ok:
            out.print(f"  why       {outcome.reason}", markup=False, soft_wrap=True)
        if outcome.rollback:
            out.print(f"  rollback  {outcome.rollback}", markup=False, soft_wrap=True)
        for note in outcome.notes:
            out.print(f"  note      {note}", markup=False, soft_wrap=True)
    if not outcome.ok:
        raise OpsError(
            f"{verb} {outcome.deployment_id} {outcome.phase.value}: {outcome.reason}",
            hint=f"`opsctl status --env {env.name}` shows what runs now",
        )


def watch_options(
    env: DeployEnv,
    aws: Aws,
    ui: WatchScreen,
    timeout: float | None,
    stop_on_interrupt: bool,
    smoke: bool,
    smoke_from: str = "vpc",
) -> WatchOptions:
    from opsctl.services.release import WatchOptions

    return WatchOptions(
        timeout=timeout or env.deploy_timeout,
        clock=clock(),
        ui=ui,
        interval=env.poll_interval,
        stop_on_interrupt=stop_on_interrupt,
        smoke=smoke_test(env, aws, ui, smoke, smoke_from),
        env_name=env.name,
    )


def migration_runner(env: DeployEnv, aws: Aws, ui: WatchScreen) -> Any:
    """Runs a migration as a one-off task and returns its exit code, its log on screen."""
    from opsctl.services.tasks import run_one_off

    def run(task_definition: str, command: tuple[str, ...]) -> int:
        result = run_one_off(
            aws,
            env,
            task_definition,
            list(command),
            clock=clock(),
            on_log=ui.log,
            on_status=ui.note,
            started_by="opsctl deploy --migrate",
        )
        return result.exit_code

    return run


def smoke_test(env: DeployEnv, aws: Aws, ui: WatchScreen, wanted: bool, where: str) -> Smoke | None:
    """The smoke test opsctl.toml and the flags ask for, or None (said on screen)."""
    from opsctl.errors import OpsError
    from opsctl.services import smoke

    if not (wanted and env.smoke_test):
        ui.note("no smoke test (--no-smoke or smoke_test = false): continuing at the ready wait")
        return None
    if not env.test_listener_url:
        ui.note("no smoke test: the environment publishes no test_listener_url")
        return None
    if where == "here":
        from opsctl.adapters import http

        return smoke.from_here(aws, env, env.test_listener_url, clock(), http.get, ui.note)
    if where != "vpc":
        raise OpsError(f"--smoke-from takes vpc or here, not {where!r}", exit_code=2)
    return smoke.in_vpc(aws, env, env.test_listener_url, clock(), ui.log, ui.note)
