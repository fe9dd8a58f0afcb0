"""What a deployment's state means (in botocore's codedeploy values), and the watch loop."""

import botocore.session
import pytest

from opsctl.core import smoke
from opsctl.core.deployment import (
    ACTIVE_STATUSES,
    GREEN,
    LIFECYCLE,
    Clock,
    Deployment,
    LifecycleEvent,
    Phase,
    Snapshot,
    TaskSet,
    failure_reason,
    phase,
    watch,
)

MODEL = botocore.session.get_session().get_service_model("codedeploy")


def deployment(status="InProgress", done=0, green=0.0, failed=None, **kw) -> Deployment:
    events = tuple(
        LifecycleEvent(n, "Failed" if n == failed else "Succeeded" if i < done else "Pending")
        for i, n in enumerate(LIFECYCLE)
    )
    sets = (TaskSet("Blue", 100 - green, 2, 2), TaskSet("Green", green, 2, 2))
    return Deployment(id="d-1", status=status, events=events, task_sets=sets, **kw)


def test_the_values_are_the_models():
    assert GREEN in MODEL.shape_for("TargetLabel").enum
    assert set(ACTIVE_STATUSES) < set(MODEL.shape_for("DeploymentStatus").enum)
    assert set(ACTIVE_STATUSES) == set(MODEL.shape_for("DeploymentStatus").enum) - {
        "Succeeded",
        "Failed",
        "Stopped",
    }


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (deployment("Created"), Phase.running),
        (deployment(done=3), Phase.running),
        (deployment(done=4), Phase.test_traffic),
        (deployment("Ready", done=5), Phase.ready),
        (deployment(done=7, green=100.0), Phase.test_traffic),  # AfterAllowTraffic still to run
        (deployment(done=8, green=100.0), Phase.shifted),  # only the termination wait is left
        (deployment(done=8, green=100.0, termination_wait_started=True), Phase.shifted),
        (deployment(done=6, termination_wait_started=True), Phase.shifted),
        (deployment("Succeeded", done=8, green=100.0), Phase.succeeded),
        (deployment("Failed", done=2, failed="AfterInstall"), Phase.failed),
        (deployment("Stopped", done=6), Phase.stopped),
    ],
)
def test_phase(d, expected):
    assert phase(d) is expected


def test_green_traffic_reads_the_green_label():
    assert deployment(green=10.0).green_traffic == 10.0
    upper = Deployment("d-1", "InProgress", task_sets=(TaskSet("GREEN", 100.0, 2, 2),))
    assert upper.green_traffic is None  # AWS never sends "GREEN"


def test_failure_reason_names_event_alarm_and_message():
    d = deployment("Stopped", done=6, error_code="ALARM_ACTIVE", error_message="5xx alarm")
    assert failure_reason(d) == "a CloudWatch alarm fired; 5xx alarm"
    d = deployment("Failed", failed="Install", error_code="SOME_NEW_CODE")
    assert failure_reason(d) == "lifecycle event Install failed; some new code"
    assert failure_reason(Deployment("d-2", "Failed")) == "deployment failed"


class Script:
    def __init__(self, states):
        self.states, self.time, self.slept = list(states), 0.0, []

    def observe(self):
        return Snapshot(self.states[0] if len(self.states) == 1 else self.states.pop(0))

    def clock(self):
        return Clock(now=lambda: self.time, sleep=self._sleep)

    def _sleep(self, seconds):
        self.slept.append(seconds)
        self.time += seconds


def test_watch_looks_again_at_once_after_acting():
    script = Script(
        [
            deployment(done=1),
            deployment(done=4),
            deployment("Ready", done=5),
            deployment("Succeeded", done=8, green=100.0),
        ]
    )
    seen, acted = [], []

    def act(snap):
        acted.append(snap.deployment.status)
        return snap.deployment.status == "Ready"

    snap, timed_out = watch(
        script.observe,
        clock=script.clock(),
        timeout=100,
        interval=5,
        on_update=seen.append,
        act=act,
    )
    assert not timed_out and snap.deployment.status == "Succeeded"
    assert acted == ["InProgress", "InProgress", "Ready"]
    # Acting is followed by an immediate second look, not a sleep.
    assert script.slept == [5, 5]
    assert len(seen) == 4


def test_watch_times_out_on_the_injected_clock():
    script = Script([deployment(done=1)])
    _, timed_out = watch(
        script.observe, clock=script.clock(), timeout=30, interval=10, on_update=lambda s: None
    )
    assert timed_out and script.time == 30 and script.slept == [10, 10, 10]


RELEASE = "sha256:" + "b" * 64


@pytest.mark.parametrize(
    ("check", "status", "body", "ok", "detail"),
    [
        (
            smoke.CHECKS[0],
            200,
            b'{"release": "%s"}' % RELEASE.encode(),
            True,
            "HTTP 200 from release " + RELEASE,
        ),
        (
            smoke.CHECKS[0],
            200,
            b'{"release": "sha256:old"}',
            False,
            f"HTTP 200 from release sha256:old, not {RELEASE}",
        ),
        (smoke.CHECKS[0], 200, b"ok", False, "HTTP 200 but the body is not JSON"),
        (smoke.CHECKS[0], 503, b"", False, "HTTP 503"),
        (smoke.CHECKS[0], None, b"", False, "no answer: refused"),
        (smoke.CHECKS[1], 200, b'[{"name": "x"}]', True, "HTTP 200, 1 items"),
        (smoke.CHECKS[1], 200, b"[]", False, "HTTP 200 but not a non-empty JSON array"),
        (smoke.CHECKS[1], 200, b"<html>", False, "HTTP 200 but the body is not JSON"),
    ],
)
def test_smoke_judge(check, status, body, ok, detail):
    result = smoke.judge(check, "http://t/x", status, body, "refused", release=RELEASE)
    assert (result.ok, result.detail) == (ok, detail)


def test_smoke_checks_retry_with_backoff_until_the_deadline():
    script = Script([deployment()])
    answers = iter([(None, b"", "refused"), (503, b"", None)])

    def get(url):
        if url.endswith("/readyz"):
            return next(answers, (200, b'{"release": "%s"}' % RELEASE.encode(), None))
        return 200, b"[1]", None

    results = smoke.run_checks(get, "http://t", RELEASE, clock=script.clock(), timeout=60)
    assert [(r.ok, r.attempts) for r in results] == [(True, 3), (True, 1)]
    assert script.slept == [2.0, 4.0]
    never = smoke.run_checks(
        lambda url: (None, b"", "refused"), "http://t", RELEASE, clock=script.clock(), timeout=20
    )
    assert [(r.ok, r.attempts) for r in never] == [(False, 4)]  # 2 + 4 + 8 s, then 16 > 20 - 14
