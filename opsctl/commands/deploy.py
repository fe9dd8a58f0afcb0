"""opsctl deploy: an image, by digest, through blue/green with a smoke test and rollback."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import typer

from opsctl.commands import _options
from opsctl.commands._release import (
    SMOKE_FROM_OPTION,
    SMOKE_OPTION,
    STOP_ON_INTERRUPT_OPTION,
    TIMEOUT_OPTION,
    WatchScreen,
    connect,
    migration_runner,
    report,
    short,
    watch_options,
)
from opsctl.core.release_plan import DeployPlan, Strategy
from opsctl.output import print_json, stderr, stdout

if TYPE_CHECKING:
    from opsctl.core.environment import DeployEnv


def register(app: typer.Typer) -> None:
    app.command("deploy")(deploy_cmd)


def show_plan(plan: DeployPlan, env: DeployEnv) -> None:
    out = stdout()
    out.print(f"[bold]plan[/] {env.name}: {plan.cluster}/{plan.service}", soft_wrap=True)
    tag = f" (tag {plan.image_tag})" if plan.image_tag else ""
    out.print(f"  image     {plan.image}{tag}", markup=False, soft_wrap=True)
    out.print(f"  from      {short(plan.current_task_definition)}", markup=False)
    out.print(f"  via       CodeDeploy {plan.deployment_config}", markup=False)
    out.print(f"  smoke     {plan.smoke_url or 'none'}", markup=False, soft_wrap=True)
    if plan.migration:
        command = " ".join(plan.migration.command)
        base = short(plan.migration.base_task_definition)
        out.print(f"  migrate   {command} (new image, from {base})", markup=False)
    if plan.capacity:
        c = plan.capacity
        out.print(
            f"  capacity  first release: {c.desired} tasks, "
            f"autoscaling {c.min_capacity}-{c.max_capacity}",
            markup=False,
        )
    if not plan.changed:
        out.print("  no change: the service already runs this task definition")
        return
    styles = {"+": "green", "-": "red", "@": "cyan"}
    for line in plan.diff.splitlines():
        # Soft-wrapped, never cropped: a digest must stay readable in full.
        out.print(line, style=styles.get(line[:1]), markup=False, soft_wrap=True)


def plan_dict(plan: DeployPlan) -> dict[str, object]:
    return {
        "image": plan.image,
        "image_tag": plan.image_tag,
        "from": plan.current_task_definition,
        "rendered_from": plan.base_task_definition,
        "config": plan.deployment_config,
        "smoke_url": plan.smoke_url,
        "migrate": list(plan.migration.command) if plan.migration else None,
        "capacity": dataclasses.asdict(plan.capacity) if plan.capacity else None,
        "changed": plan.changed,
        "diff": plan.diff,
        "appspec": plan.appspec,
    }


def deploy_cmd(
    env_name: str = _options.ENV,
    image: str = typer.Option(
        None, "--image", help="Tag or digest in the env's ECR repository (default: this commit)."
    ),
    strategy: Strategy = typer.Option(
        None, "--strategy", help="Traffic shifting (default: the env's strategy)."
    ),
    migrate: bool = typer.Option(
        False, "--migrate", help="Run `opsctl db upgrade` from the new image first."
    ),
    dry_run: bool = _options.dry_run("Show the plan and diff, change nothing."),
    wait: bool = typer.Option(True, "--wait/--no-wait", help="Follow the deployment to its end."),
    timeout: float = TIMEOUT_OPTION,
    smoke: bool = SMOKE_OPTION,
    smoke_from: str = SMOKE_FROM_OPTION,
    stop_on_interrupt: bool = STOP_ON_INTERRUPT_OPTION,
    force: bool = typer.Option(False, "--force", help="Deploy even when nothing changed."),
    json_output: bool = _options.JSON,
) -> None:
    """Deploy an image to an environment: plan, register, shift traffic, watch, report.

    The image is resolved to its digest in ECR and pinned by digest. The
    next revision is the Terraform-managed task definition with only that
    image, shown as a diff against the running one before anything
    changes. With --migrate, `opsctl db upgrade` runs first as a one-off
    task of the new image. Production traffic moves only after the smoke
    test passed (opsctl continues CodeDeploy's ready wait); a failed smoke
    test, hook or alarm, or a timeout, stops it and traffic moves back.

    Examples:
      opsctl deploy --env staging --dry-run
      opsctl deploy --env prod --image sha256:3f2c... --migrate --strategy canary
    """
    from opsctl.services.images import checkout_tag
    from opsctl.services.release import execute, plan_deploy

    env, aws = connect(env_name)
    strategy = strategy or Strategy(env.strategy)
    plan = plan_deploy(
        aws,
        env,
        image or checkout_tag(clean=True).split(":", 1)[1],
        strategy,
        smoke=smoke,
        migrate=migrate,
    )
    if not json_output:
        show_plan(plan, env)
    if dry_run or not (plan.changed or force):
        if json_output:
            print_json({"plan": plan_dict(plan), "outcome": None})
        return
    with WatchScreen(stderr()) as screen:
        opts = None
        if wait:
            opts = watch_options(env, aws, screen, timeout, stop_on_interrupt, smoke, smoke_from)
        outcome = execute(aws, env, plan, opts, migration_runner(env, aws, screen))
    report(outcome, "deploy", env, json_output, {"plan": plan_dict(plan)})
