"""deploy and rollback: plan, then register, start, watch, smoke-test, and report.

Everything remote goes through the `aws` adapter passed in (opsctl.adapters.aws.Aws or a
fake with the same methods), so this module stays free of boto3. `controller_for` is the
one place that chooses CodeDeploy blue/green or ECS's built-in blue/green.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from opsctl.config import DeployEnv
from opsctl.core import appspec, smoke, taskdef
from opsctl.core.deploy_plan import (
    CODEDEPLOY_CONFIGS,
    ECS_CONFIGS,
    Controller,
    DeployPlan,
    Strategy,
    build_plan,
    parse_image,
)
from opsctl.core.deployment import (
    Clock,
    Deployment,
    Outcome,
    Phase,
    Snapshot,
    failure_reason,
    phase,
    watch,
)
from opsctl.errors import EXIT_INTERRUPTED, OpsError

_EPOCH = datetime.min.replace(tzinfo=UTC)

# How long to follow CodeDeploy's own rollback after a failure, a stop or a timeout.
ROLLBACK_TIMEOUT = 900.0

HttpGet = Callable[[str], tuple[int | None, bytes, str | None]]


class Ui(Protocol):
    """What the watch loop reports to (a rich screen, or a recorder in tests)."""

    def update(self, snapshot: Snapshot) -> None: ...

    def note(self, message: str) -> None: ...


class ReleaseController(Protocol):
    def start(self, task_definition_arn: str, spec: dict[str, Any], config: str) -> str: ...

    def observe(self, deployment_id: str) -> Snapshot: ...

    def proceed(self, deployment_id: str) -> None: ...

    def stop(self, deployment_id: str) -> None: ...

    def active(self) -> list[str]: ...

    def recent(self, limit: int) -> list[Deployment]: ...


class CodeDeployController:
    """ECS blue/green through a CodeDeploy application and deployment group."""

    def __init__(self, aws: Any, env: DeployEnv):
        self.aws = aws
        self.env = env
        self._seen: set[tuple[Any, str]] | None = None

    def start(self, task_definition_arn: str, spec: dict[str, Any], config: str) -> str:
        self._seen = {(e.at, e.message) for e in self._service().events}
        return str(
            self.aws.create_deployment(
                self.env.codedeploy_app_name,
                self.env.codedeploy_group_name,
                appspec.revision(spec),
                config,
                f"opsctl: {task_definition_arn.rsplit('/', 1)[-1]}",
            )
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

    def proceed(self, deployment_id: str) -> None:
        self.aws.continue_deployment(deployment_id)

    def stop(self, deployment_id: str) -> None:
        self.aws.stop_deployment(deployment_id, rollback=True)

    def active(self) -> list[str]:
        return list(
            self.aws.list_deployments(
                self.env.codedeploy_app_name, self.env.codedeploy_group_name, active_only=True
            )
        )

    def recent(self, limit: int) -> list[Deployment]:
        """The newest deployments of the group (CodeDeploy lists ids in no promised order)."""
        app, group = self.env.codedeploy_app_name, self.env.codedeploy_group_name
        found = [self.aws.get_deployment(i) for i in self.aws.list_deployments(app, group, False)]
        found.sort(key=lambda d: d.created or _EPOCH, reverse=True)
        return found[:limit]

    def _service(self) -> Any:
        return self.aws.describe_service(self.env.cluster_name, self.env.service_name)


def controller_for(kind: Controller, aws: Any, env: DeployEnv) -> ReleaseController:
    """The one switch between CodeDeploy and ECS's built-in blue/green."""
    if kind is Controller.ecs:
        from opsctl.core.ecs_bluegreen import EcsController

        return EcsController(aws, env)
    return CodeDeployController(aws, env)


_SERVICE_CONTROLLER = {Controller.codedeploy: "CODE_DEPLOY", Controller.ecs: "ECS"}


def plan_deploy(
    aws: Any, env: DeployEnv, image_ref: str, strategy: Strategy, controller: Controller
) -> DeployPlan:
    """Resolve the image to a digest and render the next task definition; changes nothing."""
    request = parse_image(image_ref, env.ecr_repository_url)
    image = aws.describe_image(env.repository_name, request)
    service = aws.describe_service(env.cluster_name, env.service_name)
    if service.controller != _SERVICE_CONTROLLER[controller]:
        raise OpsError(
            f"service {service.name} uses the {service.controller} deployment controller, "
            f"not {_SERVICE_CONTROLLER[controller]}",
            hint="pick --controller to match the service (codedeploy or ecs)",
            exit_code=2,
        )
    active = controller_for(controller, aws, env).active()
    if active:
        raise OpsError(
            f"deployment {active[0]} is still in progress on {service.name}",
            hint=f"follow it with `opsctl status --env {env.name}`, "
            f"or stop it with `opsctl rollback --env {env.name}`",
        )
    current = aws.describe_task_definition(service.task_definition)
    return build_plan(
        env=env.name,
        cluster=env.cluster_name,
        service=env.service_name,
        controller=controller,
        strategy=strategy,
        repository_url=env.ecr_repository_url,
        image_tag=request.tag,
        digest=image.digest,
        current_arn=current.arn,
        current=current.document,
        current_tags=current.tags,
        container_name=env.container_name,
        container_port=env.container_port,
        environment=env.environment,
        secrets=env.secrets,
        hooks=env.hooks,
    )


@dataclass(frozen=True)
class WatchOptions:
    timeout: float
    clock: Clock
    ui: Ui
    interval: float = 10.0
    stop_on_interrupt: bool = False
    http_get: HttpGet | None = None  # None: no smoke test
    test_url: str | None = None


def execute(aws: Any, env: DeployEnv, plan: DeployPlan, watch_opts: WatchOptions | None) -> Outcome:
    """Register the planned task definition and start the deployment; follow it unless None."""
    arn = aws.register_task_definition(plan.task_definition)
    if watch_opts is not None:
        watch_opts.ui.note(f"registered {arn.rsplit('/', 1)[-1]}")
    return release(
        aws,
        env,
        plan.controller,
        arn,
        deployment_config(plan.controller, plan.strategy),
        watch_opts,
    )


def release(
    aws: Any,
    env: DeployEnv,
    kind: Controller,
    task_definition_arn: str,
    config: Any,
    watch_opts: WatchOptions | None,
) -> Outcome:
    """Start a blue/green deployment of a registered revision (deploy and rollback share it)."""
    ctl = controller_for(kind, aws, env)
    spec = appspec.render(task_definition_arn, env.container_name, env.container_port, env.hooks)
    deployment_id = ctl.start(task_definition_arn, spec, config)
    if watch_opts is None:
        return Outcome(deployment_id, Phase.running, True, "started", task_definition_arn)
    watch_opts.ui.note(f"deployment {deployment_id} started")
    return follow(ctl, deployment_id, watch_opts, task_definition_arn)


def follow(
    ctl: ReleaseController, deployment_id: str, opts: WatchOptions, task_definition: str | None
) -> Outcome:
    """Watch a deployment to its end; stop it with rollback on failed smoke tests or timeout."""
    started = opts.clock.now()
    last: list[Snapshot] = []
    smoke_failures: list[str] = []

    def update(snap: Snapshot) -> None:
        last[:] = [snap]
        opts.ui.update(snap)

    def on_test_traffic(snap: Snapshot) -> None:
        if opts.http_get and opts.test_url:
            failed = _smoke_test(opts.http_get, opts.test_url, opts.ui)
            if failed:
                smoke_failures.extend(failed)
                opts.ui.note("smoke test failed: stopping the deployment with rollback")
                ctl.stop(deployment_id)
                return
        if snap.deployment.status == "Ready":
            ctl.proceed(deployment_id)

    try:
        snap, timed_out = watch(
            lambda: ctl.observe(deployment_id),
            clock=opts.clock,
            timeout=opts.timeout,
            interval=opts.interval,
            on_update=update,
            on_test_traffic=on_test_traffic,
        )
    except KeyboardInterrupt:
        raise _interrupted(ctl, deployment_id, last, opts) from None
    elapsed = opts.clock.now() - started
    d = snap.deployment
    if timed_out:
        where = d.current_event or phase(d).value
        opts.ui.note(f"timed out after {opts.timeout:.0f} s: stopping with rollback")
        ctl.stop(deployment_id)
        d = _settle(ctl, deployment_id, opts)
        reason = f"timed out after {opts.timeout:.0f} s during {where}"
        return Outcome(d.id, phase(d), False, reason, task_definition, _rollback(d), elapsed)
    result = phase(d)
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
    rollback = _rollback(d)
    if d.rollback_deployment_id:
        rolled = _settle(ctl, d.rollback_deployment_id, opts)
        rollback = f"rollback deployment {rolled.id} {rolled.status.lower()}"
    return Outcome(d.id, result, False, reason, task_definition, rollback, elapsed)


def _smoke_test(http_get: HttpGet, base_url: str, ui: Ui) -> list[str]:
    failed = []
    for check in smoke.CHECKS:
        url = smoke.url_for(base_url, check)
        status, body, error = http_get(url)
        result = smoke.judge(check, url, status, body, error)
        ui.note(f"smoke {'ok' if result.ok else 'FAILED'}: GET {check.path}: {result.detail}")
        if not result.ok:
            failed.append(f"GET {check.path}: {result.detail}")
    return failed


def _settle(ctl: ReleaseController, deployment_id: str, opts: WatchOptions) -> Deployment:
    """Follow a stopping or rolling-back deployment until CodeDeploy finishes with it."""
    snap, _ = watch(
        lambda: ctl.observe(deployment_id),
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
    ctl: ReleaseController, deployment_id: str, last: list[Snapshot], opts: WatchOptions
) -> OpsError:
    where = ""
    if last:
        d = last[0].deployment
        where = f" ({d.status}, {d.current_event or phase(d).value})"
    if opts.stop_on_interrupt:
        ctl.stop(deployment_id)
        return OpsError(
            f"interrupted: stopped deployment {deployment_id}{where} with rollback",
            hint="`opsctl status` shows when CodeDeploy has finished rolling back",
            exit_code=EXIT_INTERRUPTED,
        )
    return OpsError(
        f"interrupted: deployment {deployment_id}{where} is still running",
        hint="it carries on without opsctl: follow it with `opsctl status`, stop it with "
        "`opsctl rollback`, or deploy with --stop-on-interrupt",
        exit_code=EXIT_INTERRUPTED,
    )


def rollback(
    aws: Any, env: DeployEnv, kind: Controller, strategy: Strategy, opts: WatchOptions | None
) -> Outcome:
    """Stop the active deployment with rollback, or redeploy the previous revision."""
    ctl = controller_for(kind, aws, env)
    active = ctl.active()
    if active:
        ctl.stop(active[0])
        if opts is None:
            return Outcome(active[0], Phase.stopped, True, "stop requested")
        opts.ui.note(f"stopping deployment {active[0]} with rollback")
        d = _settle(ctl, active[0], opts)
        ok = not d.active
        return Outcome(d.id, phase(d), ok, f"deployment {d.status.lower()}", None, _rollback(d))
    service = aws.describe_service(env.cluster_name, env.service_name)
    family = service.task_definition.rsplit("/", 1)[-1].rsplit(":", 1)[0]
    previous = taskdef.previous_revision(service.task_definition, aws.list_task_definitions(family))
    if previous is None:
        raise OpsError(
            f"no active revision of {family} older than {service.task_definition}",
            hint="nothing to roll back to; deploy a known-good image with `opsctl deploy --image`",
        )
    if opts is not None:
        opts.ui.note(f"redeploying {previous.rsplit('/', 1)[-1]}")
    config = deployment_config(kind, strategy)
    return release(aws, env, kind, previous, config, opts)


def deployment_config(kind: Controller, strategy: Strategy) -> Any:
    """A CodeDeploy configuration name, or ECS's deploymentConfiguration fragment."""
    return ECS_CONFIGS[strategy] if kind is Controller.ecs else CODEDEPLOY_CONFIGS[strategy]
