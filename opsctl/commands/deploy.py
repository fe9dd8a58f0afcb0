"""opsctl deploy: an image, by digest, through blue/green with a smoke test and rollback."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from opsctl.commands._release import (
    ENV_OPTION,
    JSON_OPTION,
    STOP_ON_INTERRUPT_OPTION,
    TIMEOUT_OPTION,
    WatchScreen,
    connect,
    report,
    short,
    watch_options,
)
from opsctl.core.deploy_plan import Controller, DeployPlan, Strategy
from opsctl.output import print_json, stderr, stdout

if TYPE_CHECKING:
    from opsctl.config import DeployEnv


def register(app: typer.Typer) -> None:
    app.command("deploy")(deploy_cmd)


def default_image() -> str:
    """The tag `opsctl build` gives the checkout's commit; a dirty tree has no such image."""
    from pathlib import Path

    from opsctl.adapters import git
    from opsctl.core.images import image_tag
    from opsctl.errors import OpsError

    rev = git.revision(Path(__file__).resolve().parents[2])
    if rev.dirty:
        raise OpsError(
            "the working tree has uncommitted changes, so no pushed image matches it",
            hint="commit and `opsctl build && opsctl push`, or name one with --image",
            exit_code=2,
        )
    return image_tag(rev.sha, dirty=False).split(":", 1)[1]


def show_plan(plan: DeployPlan, env: DeployEnv) -> None:
    out = stdout()
    out.print(f"[bold]plan[/] {env.name}: {plan.cluster}/{plan.service}", soft_wrap=True)
    tag = f" (tag {plan.image_tag})" if plan.image_tag else ""
    out.print(f"  image     {plan.image}{tag}", markup=False, soft_wrap=True)
    out.print(f"  from      {short(plan.current_task_definition)}", markup=False)
    out.print(f"  via       {plan.controller.value}: {plan.deployment_config}", markup=False)
    if plan.hooks:
        hooks = ", ".join(f"{k}={v}" for k, v in plan.hooks.items())
        out.print(f"  hooks     {hooks}", markup=False, soft_wrap=True)
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
        "controller": plan.controller.value,
        "config": plan.deployment_config,
        "changed": plan.changed,
        "diff": plan.diff,
    }


def deploy_cmd(
    env_name: str = ENV_OPTION,
    image: str = typer.Option(
        None, "--image", help="Tag or digest in the env's ECR repository (default: this commit)."
    ),
    strategy: Strategy = typer.Option(
        None, "--strategy", help="Traffic shifting (default: the env's strategy)."
    ),
    controller: Controller = typer.Option(
        None, "--controller", help="codedeploy (default) or ecs built-in blue/green."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show the plan and diff, change nothing."
    ),
    wait: bool = typer.Option(True, "--wait/--no-wait", help="Follow the deployment to its end."),
    timeout: float = TIMEOUT_OPTION,
    smoke: bool = typer.Option(True, "--smoke/--no-smoke", help="Check the test listener first."),
    stop_on_interrupt: bool = STOP_ON_INTERRUPT_OPTION,
    force: bool = typer.Option(False, "--force", help="Deploy even when nothing changed."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Deploy an image to an environment: plan, register, shift traffic, watch, report.

    The image is resolved to its digest in ECR and pinned by digest. The
    new task definition is the running one with that image and the env's
    settings, shown as a diff before anything changes. A failed smoke
    test, lifecycle hook or alarm, or a timeout, stops the deployment and
    CodeDeploy moves traffic back.

    Examples:
      opsctl deploy --env staging --dry-run
      opsctl deploy --env prod --image 3f2c1ab --strategy canary
    """
    from opsctl.core.deployer import execute, plan_deploy

    env, aws = connect(env_name)
    strategy = strategy or Strategy(env.strategy)
    controller = controller or Controller(env.controller)
    plan = plan_deploy(aws, env, image or default_image(), strategy, controller)
    if not json_output:
        show_plan(plan, env)
    if dry_run or not (plan.changed or force):
        if json_output:
            print_json({"plan": plan_dict(plan), "outcome": None})
        return
    with WatchScreen(stderr()) as screen:
        opts = watch_options(env, screen, timeout, stop_on_interrupt, smoke) if wait else None
        outcome = execute(aws, env, plan, opts)
    report(outcome, "deploy", env, json_output, {"plan": plan_dict(plan)})
