"""deploy, continue and rollback: plan, migrate, register, start, smoke-test, continue, watch.

CodeDeploy's group waits in Ready (STOP_DEPLOYMENT) after test traffic reaches the new
task set; only `ContinueDeployment` moves production traffic, and opsctl sends it once
the smoke test passed, on whichever poll first sees Ready. Everything remote goes through
the AwsPort passed in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from opsctl.core import appspec
from opsctl.core.deployment import (
    ACTIVE_STATUSES,
    Clock,
    Deployment,
    Outcome,
    Phase,
    Snapshot,
    failure_reason,
    phase,
    watch,
)
from opsctl.core.environment import DeployEnv
from opsctl.core.ports import AwsPort
from opsctl.core.release_plan import (
    CODEDEPLOY_CONFIGS,
    DeployPlan,
    Strategy,
    build_plan,
    parse_image,
)
from opsctl.errors import EXIT_INTERRUPTED, OpsError

# How long to follow CodeDeploy's own rollback after a failure, a stop or a timeout.
ROLLBACK_TIMEOUT = 900.0
# How far back status and rollback look for deployments (ListDeployments' createTimeRange).
HISTORY = timedelta(days=90)

# A smoke test of the revision a deployment installs: failures, empty when it passed.
Smoke = Callable[[str], list[str]]


class Ui(Protocol):
    """What the watch loop reports to (a rich screen, or a recorder in tests)."""

    def update(self, snapshot: Snapshot) -> None: ...

    def note(self, message: str) -> None: ...


class Releases:
    """The environment's CodeDeploy application and deployment group."""

    def __init__(self, aws: AwsPort, env: DeployEnv):
        self.aws = aws
        self.env = env
        self._seen: set[tuple[Any, str]] | None = None

    def start(self, spec: dict[str, Any], config: str) -> str:
        self._seen = {(e.at, e.message) for e in self._service().events}
        task_definition = appspec.task_definition_in(spec)
        return self.aws.create_deployment(
            self.env.codedeploy_app_name,
            self.env.codedeploy_group_name,
            appspec.revision(spec),
            config,
            f"opsctl: {task_definition.rsplit('/', 1)[-1]}",
        )

    def observe(self, deployment_id: str) -> Snapshot:
        deployment = self.aws.get_deployment(deployment_id)
        events, task_sets = self.aws.deployment_target(deployment_id)
        deployment = dataclasses.replace(deployment, events=events, task_sets=task_sets)
        service_events = self._service().events
        if self._seen is None:  # following a deployment opsctl did not start
            self._seen = {(e.at, e.message) for e in service_events}
        new = tuple(e for e in service_events if (e.at, e.message) not in self._seen)
        self._seen.update((e.at, e.message) for e in new)
        return Snapshot(deployment, tuple(sorted(new, key=lambda e: e.at)))

    def active(self) -> list[str]:
        env = self.env
        return self.aws.list_deployments(
            env.codedeploy_app_name, env.codedeploy_group_name, ACTIVE_STATUSES, None
        )

    def recent(self, limit: int, now: datetime, statuses: tuple[str, ...] | None = None) -> list:
        """The newest deployments of the group (CodeDeploy lists ids in no promised order)."""
        env = self.env
        ids = self.aws.list_deployments(
            env.codedeploy_app_name, env.codedeploy_group_name, statuses, now - HISTORY
        )
        found = self.aws.batch_get_deployments(ids)
        found.sort(key=lambda d: d.created or now - HISTORY, reverse=True)
        return found[:limit]

    def _service(self) -> Any:
        return self.aws.describe_service(self.env.cluster_name, self.env.service_name)


def plan_deploy(
    aws: AwsPort,
    env: DeployEnv,
    image_ref: str,
    strategy: Strategy,
    *,
    smoke: bool,
    migrate: bool,
) -> DeployPlan:
    """Resolve the image to a digest and render the next revision; changes nothing."""
    request = parse_image(image_ref, env.ecr_repository_url)
    image = aws.describe_image(env.repository_name, request)
    service = aws.describe_service(env.cluster_name, env.service_name)
    if service.controller != "CODE_DEPLOY":
        raise OpsError(
            f"service {service.name} uses the {service.controller} deployment controller, "
            "not CODE_DEPLOY",
            hint="opsctl releases through CodeDeploy blue/green: apply the infra root",
            exit_code=2,
        )
    active = Releases(aws, env).active()
    if active:
        raise OpsError(
            f"deployment {active[0]} is still in progress on {service.name}",
            hint=f"finish it with `opsctl continue --env {env.name}`, follow it with "
            f"`opsctl status --env {env.name}`, or stop it with `opsctl rollback --env {env.name}`",
        )
    current = aws.describe_task_definition(service.task_definition)
    base = current
    if env.task_definition_arn:
        base = aws.describe_task_definition(env.task_definition_arn)
    migrate_base = None
    if migrate:
        found = (
            aws.describe_task_definition(env.migrate_task_definition_arn)
            if env.migrate_task_definition_arn
            else base
        )
        migrate_base = (found.arn, found.document, found.tags)
    return build_plan(
        env=env,
        strategy=strategy,
        image_tag=request.tag,
        digest=image.digest,
        current_arn=current.arn,
        current=current.document,
        base_arn=base.arn,
        base=base.document,
        base_tags=base.tags,
        smoke=smoke and env.smoke_test,
        migrate_base=migrate_base,
        desired_count=service.desired,
        scaling=aws.scaling_limits(env.cluster_name, env.service_name),
    )


@dataclass(frozen=True)
class WatchOptions:
    timeout: float
    clock: Clock
    ui: Ui
    interval: float = 10.0
    stop_on_interrupt: bool = False
    smoke: Smoke | None = None  # None: continue without a smoke test
    env_name: str = ""  # for the hints


Migrate = Callable[[str, tuple[str, ...]], int]  # (task definition ARN, command) -> exit code


def execute(
    aws: AwsPort,
    env: DeployEnv,
    plan: DeployPlan,
    watch_opts: WatchOptions | None,
    migrate: Migrate | None = None,
) -> Outcome:
    """Carry out the plan: migrate, raise a first release's capacity, register, release."""
    note = watch_opts.ui.note if watch_opts else (lambda message: None)
    if plan.migration is not None:
        if migrate is None:
            raise OpsError("the plan migrates but no task runner was given")
        arn = aws.register_task_definition(plan.migration.task_definition)
        note(f"migrating with {arn.rsplit('/', 1)[-1]}: {' '.join(plan.migration.command)}")
        code = migrate(arn, plan.migration.command)
        if code != 0:
            raise OpsError(
                f"the migration task exited with {code}: nothing was released",
                hint="its log is above; the serving revision is unchanged",
            )
    if plan.capacity is not None:
        c = plan.capacity
        aws.set_desired_count(plan.cluster, plan.service, c.desired)
        aws.set_scaling_limits(plan.cluster, plan.service, c.min_capacity, c.max_capacity)
        note(f"first release: {c.desired} tasks, autoscaling {c.min_capacity}-{c.max_capacity}")
    arn = aws.register_task_definition(plan.task_definition)
    note(f"registered {arn.rsplit('/', 1)[-1]}")
    spec = appspec.with_task_definition(plan.appspec, arn)
    return release(aws, env, spec, plan.deployment_config, watch_opts)


def release(
    aws: AwsPort,
    env: DeployEnv,
    spec: dict[str, Any],
    config: str,
    watch_opts: WatchOptions | None,
) -> Outcome:
    """Start a blue/green deployment of an AppSpec (deploy and rollback share it)."""
    releases = Releases(aws, env)
    task_definition = appspec.task_definition_in(spec)
    deployment_id = releases.start(spec, config)
    if watch_opts is None:
        return Outcome(deployment_id, Phase.running, True, "started", task_definition)
    watch_opts.ui.note(f"deployment {deployment_id} started")
    return follow(releases, deployment_id, watch_opts, task_definition)


def continue_release(aws: AwsPort, env: DeployEnv, opts: WatchOptions) -> Outcome:
    """Take over the deployment in progress: smoke-test it, continue it, follow it."""
    releases = Releases(aws, env)
    active = releases.active()
    if not active:
        raise OpsError(
            f"no deployment in progress in {env.name}",
            hint=f"`opsctl status --env {env.name}` shows the last ones",
        )
    current = aws.get_deployment(active[0])
    opts.ui.note(f"following deployment {current.id} ({current.status})")
    return follow(releases, current.id, opts, current.task_definition)


def follow(
    releases: Releases, deployment_id: str, opts: WatchOptions, task_definition: str | None
) -> Outcome:
    """Watch a deployment to its end: smoke-test green once test traffic reaches it, continue
    on the first Ready poll after that, stop with rollback on a failed test or a timeout."""
    started = opts.clock.now()
    last: list[Snapshot] = []
    smoke_failures: list[str] = []
    state = {"tested": opts.smoke is None, "continued": False, "stopped": False}

    def update(snap: Snapshot) -> None:
        last[:] = [snap]
        opts.ui.update(snap)

    def act(snap: Snapshot) -> bool:
        d = snap.deployment
        if state["stopped"]:
            return False
        smoke = opts.smoke
        if smoke and not state["tested"] and phase(d) in (Phase.test_traffic, Phase.ready):
            state["tested"] = True
            failed = smoke(d.task_definition or task_definition or "")
            if failed:
                smoke_failures.extend(failed)
                opts.ui.note("smoke test failed: stopping the deployment with rollback")
                state["stopped"] = True
                releases.aws.stop_deployment(deployment_id, rollback=True)
            return True
        if state["tested"] and not state["continued"] and d.status == "Ready":
            state["continued"] = releases.aws.continue_deployment(deployment_id)
            if state["continued"]:
                opts.ui.note("continued: production traffic moves to the new tasks")
            return state["continued"]
        return False

    try:
        snap, timed_out = watch(
            lambda: releases.observe(deployment_id),
            clock=opts.clock,
            timeout=opts.timeout,
            interval=opts.interval,
            on_update=update,
            act=act,
        )
    except KeyboardInterrupt:
        raise _interrupted(releases, deployment_id, last, opts) from None
    d = snap.deployment
    if timed_out:
        where = d.current_event or phase(d).value
        opts.ui.note(f"timed out after {opts.timeout:.0f} s: stopping with rollback")
        if releases.aws.stop_deployment(deployment_id, rollback=True):
            d = _settle(releases, deployment_id, opts)
            reason = f"timed out after {opts.timeout:.0f} s during {where}"
            elapsed = opts.clock.now() - started
            return Outcome(d.id, phase(d), False, reason, task_definition, _rollback(d), elapsed)
        d = releases.observe(deployment_id).deployment  # it completed meanwhile
    return _outcome(releases, d, opts, task_definition, smoke_failures, started)


def _outcome(
    releases: Releases,
    d: Deployment,
    opts: WatchOptions,
    task_definition: str | None,
    smoke_failures: list[str],
    started: float,
) -> Outcome:
    result = phase(d)
    elapsed = opts.clock.now() - started
    if result in (Phase.succeeded, Phase.shifted):
        notes: tuple[str, ...] = ()
        if result is Phase.shifted:
            notes = (
                "the original tasks keep running until the termination wait ends; "
                "`opsctl rollback` moves traffic back until then",
            )
        return Outcome(d.id, result, True, result.value, task_definition, None, elapsed, notes)
    reason = "smoke test failed: " + "; ".join(smoke_failures) if smoke_failures else ""
    reason = reason or failure_reason(d)
    rollback_text = _rollback(d)
    if d.rollback_deployment_id:
        rolled = _settle(releases, d.rollback_deployment_id, opts)
        rollback_text = f"rollback deployment {rolled.id} {rolled.status.lower()}"
    return Outcome(d.id, result, False, reason, task_definition, rollback_text, elapsed)


def _settle(releases: Releases, deployment_id: str, opts: WatchOptions) -> Deployment:
    """Follow a stopping or rolling-back deployment until CodeDeploy finishes with it."""
    snap, _ = watch(
        lambda: releases.observe(deployment_id),
        clock=opts.clock,
        timeout=ROLLBACK_TIMEOUT,
        interval=opts.interval,
        on_update=opts.ui.update,
    )
    return snap.deployment


def _rollback(d: Deployment) -> str:
    if d.rollback_message:
        return d.rollback_message
    if d.rollback_deployment_id:
        return f"CodeDeploy is rolling back in deployment {d.rollback_deployment_id}"
    green = d.green_traffic
    if green:
        return f"green still has {green:.0f}% of production traffic: run `opsctl rollback`"
    return "production traffic stayed on the original task set"


def _interrupted(
    releases: Releases, deployment_id: str, last: list[Snapshot], opts: WatchOptions
) -> OpsError:
    where = ""
    if last:
        d = last[0].deployment
        where = f" ({d.status}, {d.current_event or phase(d).value})"
    env = opts.env_name or "E"
    if opts.stop_on_interrupt:
        releases.aws.stop_deployment(deployment_id, rollback=True)
        return OpsError(
            f"interrupted: stopped deployment {deployment_id}{where} with rollback",
            hint=f"`opsctl status --env {env}` shows when CodeDeploy has finished rolling back",
            exit_code=EXIT_INTERRUPTED,
        )
    return OpsError(
        f"interrupted: deployment {deployment_id}{where} is still running",
        hint=f"production traffic moves only after `opsctl continue --env {env}` (smoke test, "
        "then continue); CodeDeploy stops it with rollback when its ready wait ends. "
        f"`opsctl rollback --env {env}` stops it now",
        exit_code=EXIT_INTERRUPTED,
    )


def rollback(
    aws: AwsPort,
    env: DeployEnv,
    strategy: Strategy,
    opts: WatchOptions | None,
    now: datetime,
) -> Outcome:
    """Stop the active deployment with rollback, or redeploy the last good release."""
    releases = Releases(aws, env)
    active = releases.active()
    if active and aws.stop_deployment(active[0], rollback=True):
        if opts is None:
            return Outcome(active[0], Phase.stopped, True, "stop requested")
        opts.ui.note(f"stopping deployment {active[0]} with rollback")
        d = _settle(releases, active[0], opts)
        ok = not d.active
        return Outcome(d.id, phase(d), ok, f"deployment {d.status.lower()}", None, _rollback(d))
    service = aws.describe_service(env.cluster_name, env.service_name)
    previous = last_good_revision(releases, service.task_definition, now)
    if previous is None:
        raise OpsError(
            f"no succeeded deployment of a revision other than {service.task_definition} "
            f"in the last {HISTORY.days} days",
            hint="nothing to roll back to; deploy a known-good image with `opsctl deploy --image`",
        )
    if opts is not None:
        opts.ui.note(f"redeploying {previous.rsplit('/', 1)[-1]}")
    network = env.network["awsvpcConfiguration"]
    spec = appspec.render(
        previous, env.container_name, env.container_port, network=network, hooks=env.hooks
    )
    return release(aws, env, spec, CODEDEPLOY_CONFIGS[strategy], opts)


def last_good_revision(releases: Releases, running: str, now: datetime) -> str | None:
    """The revision of the Succeeded deployment before the one running now: never a failed
    release, and never a revision that was not released at all (the bootstrap one)."""
    history = [
        d.task_definition
        for d in releases.recent(10**6, now, statuses=("Succeeded",))
        if d.task_definition
    ]
    older = history[history.index(running) + 1 :] if running in history else history
    return next((arn for arn in older if arn != running), None)
