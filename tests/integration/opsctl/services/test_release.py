"""Releases through the real adapter: moto for ECS, ECR, SSM and autoscaling; CodeDeploy as
documented (tests/support/codedeploy_fake.py), every answer checked against botocore's model.

Each scenario is written from CodeDeploy's API reference, not from what opsctl expects:
task-set labels are `Blue`/`Green`, the shift shows as instanceTerminationWaitTimeStarted,
the ready wait holds until ContinueDeployment(READY_WAIT), targets do not exist before the
deployment starts, and StopDeployment on a finished deployment is an error.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from opsctl.adapters import http
from opsctl.core.deployment import Phase
from opsctl.core.release_plan import Strategy
from opsctl.errors import OpsError
from opsctl.services import smoke
from opsctl.services.release import WatchOptions, continue_release, execute, plan_deploy, rollback
from tests.support.emulator import (  # noqa: F401 (fixtures)
    NAME,
    FakeClock,
    Recorder,
    aws_env_fixture,
    aws_for,
    codedeploy_for,
    moto_url_fixture,
    stack_fixture,
    test_listener_fixture,
)

pytestmark = pytest.mark.timeout(180)


class World:
    """One test's account: the stack, a fake clock, CodeDeploy and opsctl's adapter."""

    def __init__(self, stack, listener=None, **env_changes):
        import dataclasses

        self.stack, self.clock, self.ui = stack, FakeClock(), Recorder()
        self.codedeploy = codedeploy_for(stack, self.clock)
        self.calls: list = []
        self.aws = aws_for(self.codedeploy, self.calls)
        if listener is not None:
            env_changes.setdefault("test_listener_url", listener.url)
            listener.release = self.test_listener_release
        self.env = dataclasses.replace(stack.env, **env_changes)

    def test_listener_release(self):
        """The test listener reaches green once AllowTestTraffic is done, blue before."""
        service = self.stack.service()["taskDefinition"]
        if self.codedeploy.green_on_test_listener():
            return self.stack.release_of(self.codedeploy.latest().task_definition)
        return self.stack.release_of(service)

    def options(self, smoke_check=True, **kw):
        check = None
        if smoke_check and self.env.smoke_test and self.env.test_listener_url:
            check = smoke.from_here(
                self.aws,
                self.env,
                self.env.test_listener_url,
                self.clock.clock(),
                http.get,
                self.ui.note,
            )
        return WatchOptions(
            timeout=kw.pop("timeout", 3600.0),
            clock=self.clock.clock(),
            ui=self.ui,
            interval=5.0,
            smoke=check,
            env_name="staging",
            **kw,
        )

    def plan(self, image="v2", strategy=Strategy.canary, migrate=False, smoke_test=True):
        return plan_deploy(self.aws, self.env, image, strategy, smoke=smoke_test, migrate=migrate)

    def deploy(self, image="v2", strategy=Strategy.canary, migrate=None, **kw):
        plan = self.plan(image, strategy, migrate=migrate is not None)
        return plan, execute(self.aws, self.env, plan, self.options(**kw), migrate)

    def sent(self, operation):
        return [p for op, p in self.codedeploy.calls if op == operation]


def test_first_release_from_zero_raises_capacity_smoke_tests_and_continues(stack, test_listener):
    world = World(stack, test_listener)
    plan, outcome = world.deploy()

    # Traffic is all on green and the termination wait has started: done, without waiting
    # the 5 minutes (a `GREEN` label, which AWS never sends, would wait for ever).
    assert outcome.ok and outcome.phase is Phase.shifted, outcome
    assert world.codedeploy.view(world.codedeploy.latest()).termination_started
    assert "termination wait" in outcome.notes[0]
    # Before the deployment starts its targets do not exist: opsctl shows it as starting.
    assert world.ui.snapshots[0].deployment.status == "Created"
    # A service created at zero tasks gets the autoscaling floor before CodeDeploy copies
    # its desired count to the new task set.
    assert plan.capacity is not None and plan.capacity.desired == 2
    service = stack.service()
    assert service["desiredCount"] == 2
    target = stack.client("application-autoscaling").describe_scalable_targets(
        ServiceNamespace="ecs", ResourceIds=[f"service/{NAME}/{NAME}"]
    )["ScalableTargets"][0]
    assert (target["MinCapacity"], target["MaxCapacity"]) == (2, 4)
    # The smoke test reached the new tasks (they name the digest) before traffic moved.
    assert test_listener.hits == ["/readyz", "/api/v1/wards/1/candidates"]
    assert f"from release {stack.digests['v2']}" in " ".join(world.ui.notes)
    assert world.sent("ContinueDeployment") == [
        {"deploymentId": outcome.deployment_id, "deploymentWaitType": "READY_WAIT"}
    ]


def test_the_release_is_rendered_from_the_terraform_revision_changing_only_the_image(stack):
    world = World(stack)
    plan, outcome = world.deploy(smoke_check=False)
    registered = stack.client("ecs").describe_task_definition(
        taskDefinition=outcome.task_definition, include=["TAGS"]
    )
    container = registered["taskDefinition"]["containerDefinitions"][0]
    base = stack.client("ecs").describe_task_definition(
        taskDefinition=stack.env.task_definition_arn
    )
    base_container = base["taskDefinition"]["containerDefinitions"][0]
    assert container["image"] == f"{stack.env.ecr_repository_url}@{stack.digests['v2']}"
    assert container["environment"] == [
        {"name": "LOG_LEVEL", "value": "info"},
        {"name": "MYCANDIDATE_RELEASE", "value": stack.digests["v2"]},
    ]
    assert container["secrets"] == base_container["secrets"]
    assert registered["taskDefinition"]["cpu"] == base["taskDefinition"]["cpu"]
    assert registered["tags"] == [{"key": "project", "value": "mycandidate"}]
    (created,) = world.sent("CreateDeployment")
    spec = json.loads(created["revision"]["appSpecContent"]["content"])
    properties = spec["Resources"][0]["TargetService"]["Properties"]
    assert properties["TaskDefinition"] == outcome.task_definition
    assert properties["NetworkConfiguration"] == {
        "AwsvpcConfiguration": {
            "Subnets": list(stack.env.private_subnet_ids),
            "SecurityGroups": [stack.env.app_security_group_id],
            "AssignPublicIp": "DISABLED",
        }
    }
    assert created["deploymentConfigName"] == plan.deployment_config
    assert created["autoRollbackConfiguration"]["enabled"] is True


def test_ready_a_poll_after_the_smoke_test_is_still_continued(stack, test_listener):
    # The smoke test runs as soon as test traffic reaches green (AfterAllowTestTraffic still
    # running); Ready comes on a later poll, and that poll must continue the deployment.
    world = World(stack, test_listener)
    _, outcome = world.deploy(strategy=Strategy.all_at_once)
    statuses = [s.deployment.status for s in world.ui.snapshots]
    tested_at = next(
        i
        for i, s in enumerate(world.ui.snapshots)
        if s.deployment.event_status("AllowTestTraffic") == "Succeeded"
    )
    assert statuses[tested_at] == "InProgress" and "Ready" in statuses[tested_at + 1 :]
    assert outcome.ok and len(world.sent("ContinueDeployment")) == 1


def test_smoke_test_retries_until_the_new_tasks_answer(stack, test_listener):
    world = World(stack, test_listener)
    answers = iter([None, None])  # two answers from tasks without a release, then the truth
    honest = world.test_listener_release
    test_listener.release = lambda: next(answers, honest())
    _, outcome = world.deploy()
    assert outcome.ok
    assert test_listener.hits.count("/readyz") == 3


def test_smoke_test_that_only_reaches_the_old_tasks_stops_with_rollback(stack, test_listener):
    world = World(stack, test_listener)
    old = "sha256:" + "0" * 64
    test_listener.release = lambda: old
    _, outcome = world.deploy()
    assert not outcome.ok and outcome.phase is Phase.stopped
    assert f"from release {old}, not {stack.digests['v2']}" in outcome.reason
    assert world.sent("StopDeployment") == [
        {"deploymentId": outcome.deployment_id, "autoRollbackEnabled": True}
    ]
    assert world.sent("ContinueDeployment") == []
    assert outcome.rollback.startswith("rollback deployment ")


def test_smoke_test_false_is_honoured(stack, test_listener):
    world = World(stack, test_listener, smoke_test=False)
    plan, outcome = world.deploy()
    assert plan.smoke_url is None
    assert outcome.ok and test_listener.hits == []
    assert len(world.sent("ContinueDeployment")) == 1


def test_failed_lifecycle_event_reports_it_and_follows_the_rollback(stack):
    world = World(stack)
    world.codedeploy.next_plan.fail_event = "AfterInstall"
    _, outcome = world.deploy(smoke_check=False)
    assert not outcome.ok and outcome.phase is Phase.failed
    assert outcome.reason.startswith(
        "lifecycle event AfterInstall failed; a lifecycle hook reported failure"
    )
    assert outcome.rollback.endswith("succeeded")


def test_alarm_during_the_canary_stops_and_names_it(stack):
    world = World(stack)
    world.codedeploy.next_plan.alarm_after = 60.0
    _, outcome = world.deploy(smoke_check=False)
    assert not outcome.ok and outcome.phase is Phase.stopped
    assert outcome.reason.startswith("a CloudWatch alarm fired")


def test_timeout_stops_with_rollback_and_says_where(stack):
    world = World(stack)
    _, outcome = world.deploy(smoke_check=False, timeout=40.0)
    assert not outcome.ok and outcome.phase is Phase.stopped
    assert outcome.reason == "timed out after 40 s during Install"
    assert len(world.sent("StopDeployment")) == 1


def test_a_stop_that_comes_after_success_reports_the_success(stack):
    # The deployment finishes between opsctl's last look and its StopDeployment:
    # CodeDeploy answers DeploymentAlreadyCompletedException, which is not a failure.
    world = World(stack)
    world.env = __import__("dataclasses").replace(world.env, smoke_test=False)

    def late(operation):
        if operation == "StopDeployment":
            world.clock.time += 3600

    world.codedeploy.before_call = late
    _, outcome = world.deploy(smoke_check=False, timeout=400.0)
    assert outcome.ok and outcome.phase is Phase.succeeded, outcome


def test_no_wait_then_continue_finishes_the_release(stack, test_listener):
    world = World(stack, test_listener)
    plan = world.plan()
    started = execute(world.aws, world.env, plan, None)
    assert started.phase is Phase.running
    outcome = continue_release(world.aws, world.env, world.options())
    assert outcome.ok and outcome.deployment_id == started.deployment_id
    assert len(world.sent("ContinueDeployment")) == 1 and "/readyz" in test_listener.hits


def test_continue_with_nothing_in_progress_says_so(stack):
    world = World(stack)
    with pytest.raises(OpsError, match="no deployment in progress"):
        continue_release(world.aws, world.env, world.options())


def test_interrupt_names_continue(stack):
    world = World(stack)

    def interrupt(operation):
        if operation == "GetDeployment" and world.clock.time > 20:
            raise KeyboardInterrupt

    world.codedeploy.before_call = interrupt
    with pytest.raises(OpsError) as caught:
        world.deploy(smoke_check=False)
    assert caught.value.exit_code == 130
    assert "opsctl continue --env staging" in (caught.value.hint or "")


def test_migration_runs_the_new_image_before_the_release(stack):
    world = World(stack)
    ran = []

    def migrate(task_definition, command):
        ran.append((task_definition, command, len(world.sent("CreateDeployment"))))
        return 0

    _, outcome = world.deploy(migrate=migrate, smoke_check=False)
    ((arn, command, deployments_before),) = ran
    assert command == ("opsctl", "db", "upgrade") and deployments_before == 0
    described = stack.client("ecs").describe_task_definition(taskDefinition=arn)["taskDefinition"]
    assert described["family"] == f"{NAME}-migrate"
    assert described["containerDefinitions"][0]["image"].endswith(stack.digests["v2"])
    assert outcome.ok


def test_a_failed_migration_releases_nothing(stack):
    world = World(stack)
    with pytest.raises(OpsError, match="migration task exited with 1: nothing was released"):
        world.deploy(migrate=lambda arn, command: 1, smoke_check=False)
    assert world.sent("CreateDeployment") == []
    assert stack.service()["desiredCount"] == 0


def test_rollback_redeploys_the_last_succeeded_release(stack):
    world = World(stack)
    ecs = stack.client("ecs")
    good = ecs.register_task_definition(**_copy_of(ecs, stack.bootstrap_task_definition))
    failed = ecs.register_task_definition(**_copy_of(ecs, stack.bootstrap_task_definition))
    running = ecs.register_task_definition(**_copy_of(ecs, stack.bootstrap_task_definition))
    arn = {
        k: v["taskDefinition"]["taskDefinitionArn"]
        for k, v in [("good", good), ("failed", failed), ("running", running)]
    }
    world.codedeploy.add_history(arn["good"], "Succeeded", timedelta(days=3))
    world.codedeploy.add_history(arn["failed"], "Failed", timedelta(days=2))
    world.codedeploy.add_history(arn["running"], "Succeeded", timedelta(days=1))
    ecs.update_service(cluster=NAME, service=NAME, taskDefinition=arn["running"], desiredCount=2)
    now = world.codedeploy._time(world.clock.now())
    outcome = rollback(
        world.aws, world.env, Strategy.all_at_once, world.options(smoke_check=False), now
    )
    # Never the failed release (the newest older revision) nor the never-pushed bootstrap one.
    assert outcome.ok and outcome.task_definition == arn["good"]
    listed = world.sent("ListDeployments")
    assert all(
        "createTimeRange" in p for p in listed if p.get("includeOnlyStatuses") == ["Succeeded"]
    )
    assert world.sent("BatchGetDeployments") and not [
        p for p in world.sent("GetDeployment") if p["deploymentId"] != outcome.deployment_id
    ]


def test_rollback_with_a_release_in_progress_stops_it(stack):
    world = World(stack)
    started = execute(world.aws, world.env, world.plan(smoke_test=False), None)
    world.clock.time += 30
    now = world.codedeploy._time(world.clock.now())
    outcome = rollback(world.aws, world.env, Strategy.all_at_once, world.options(), now)
    assert outcome.deployment_id == started.deployment_id and outcome.phase is Phase.stopped
    assert world.sent("StopDeployment") == [
        {"deploymentId": started.deployment_id, "autoRollbackEnabled": True}
    ]


def test_unknown_tag_is_refused_before_anything_changes(stack):
    world = World(stack)
    with pytest.raises(OpsError, match="no image tag nope"):
        world.plan("nope")
    assert world.sent("CreateDeployment") == []


def test_deploy_is_refused_while_another_runs(stack):
    world = World(stack)
    execute(world.aws, world.env, world.plan(smoke_test=False), None)
    with pytest.raises(OpsError, match="still in progress") as caught:
        world.plan("v1")
    assert "opsctl continue --env staging" in (caught.value.hint or "")


def _copy_of(ecs, arn):
    doc = ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
    keep = (
        "family",
        "taskRoleArn",
        "executionRoleArn",
        "networkMode",
        "containerDefinitions",
        "requiresCompatibilities",
        "cpu",
        "memory",
    )
    return {k: doc[k] for k in keep}
