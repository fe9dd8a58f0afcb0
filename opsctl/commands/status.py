"""opsctl status: the service, its revision, deployments and target health (read-only)."""

from __future__ import annotations

import typer

from opsctl.commands import _options
from opsctl.commands._release import connect, deployment_line, now, short
from opsctl.output import print_json, stdout


def register(app: typer.Typer) -> None:
    app.command("status")(status_cmd)


def status_cmd(env_name: str = _options.ENV, json_output: bool = _options.JSON) -> None:
    """Show what runs in an environment and what CodeDeploy is doing to it.

    Examples:
      opsctl status --env staging
      opsctl status --env prod --json
    """
    from rich.table import Table

    from opsctl.services.status import gather

    env, aws = connect(env_name)
    status = gather(aws, env, now())
    if json_output:
        print_json(status.as_dict())
        return
    out, svc = stdout(), status.service
    out.print(f"[bold]{env.name}[/] {env.cluster_name}/{svc.name} {svc.status}", soft_wrap=True)
    out.print(f"  tasks     {svc.running}/{svc.desired} running, {svc.pending} pending")
    out.print(f"  revision  {short(svc.task_definition)}  ({svc.controller})", markup=False)
    out.print(f"  image     {status.image}", markup=False, soft_wrap=True)
    active = deployment_line(status.active) if status.active else "none"
    out.print(f"  active    {active}", markup=False, soft_wrap=True)
    table = Table("deployment", "status", "revision", "created", title="recent deployments")
    for d in status.recent:
        created = d.created.strftime("%Y-%m-%d %H:%M:%S") if d.created else "-"
        table.add_row(d.id, d.status, short(d.task_definition), created)
    out.print(table)
    health = Table("target group", "healthy", "other", title="targets")
    for group in status.target_groups:
        other = ", ".join(f"{n} {s}" for s, n in sorted(group.states.items()) if s != "healthy")
        health.add_row(group.name, str(group.healthy), other or "-")
    out.print(health)
