"""What a deployment's state means, and the watch loop on a fake clock."""

import pytest

from opsctl.core import smoke
from opsctl.core.deployment import (
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

EVENTS = (
    "BeforeInstall",
    "Install",
    "AfterInstall",
    "AllowTestTraffic",
    "AfterAllowTestTraffic",
    "BeforeAllowTraffic",
    "AllowTraffic",
    "AfterAllowTraffic",
)


def deployment(status="InProgress", done=0, green=0.0, failed=None, **kw) -> Deployment:
    events = tuple(
        LifecycleEvent(n, "Failed" if n == failed else "Succeeded" if i < done else "Pending")
        for i, n in enumerate(EVENTS)
    )
    sets = (TaskSet("BLUE", 100 - green, 2, 2), TaskSet("GREEN", green, 2, 2))
    return Deployment(id="d-1", status=status, events=events, task_sets=sets, **kw)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (deployment("Created"), Phase.running),
        (deployment(done=3), Phase.running),
        (deployment(done=4), Phase.test_traffic),
        (deployment("Ready", done=5), Phase.ready),
        (deployment(done=7, green=100.0), Phase.test_traffic),  # AfterAllowTraffic still to run
        (deployment(done=8, green=100.0), Phase.shifted),  # only the termination wait is left
        (deployment("Succeeded", done=8, green=100.0), Phase.succeeded),
        (deployment("Failed", done=2, failed="AfterInstall"), Phase.failed),
        (deployment("Stopped", done=6), Phase.stopped),
    ],
)
def test_phase(d, expected):
    assert phase(d) is expected


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


def test_watch_runs_the_test_traffic_hook_once_then_finishes():
    script = Script(
        [
            deployment(done=1),
            deployment(done=4),
            deployment(done=5),
            deployment("Succeeded", done=8, green=100.0),
        ]
    )
    seen, hooked = [], []
    snap, timed_out = watch(
        script.observe,
        clock=script.clock(),
        timeout=100,
        interval=5,
        on_update=seen.append,
        on_test_traffic=hooked.append,
    )
    assert not timed_out and snap.deployment.status == "Succeeded"
    assert len(hooked) == 1 and hooked[0].deployment.event_status("AllowTestTraffic") == "Succeeded"
    # The hook is followed by an immediate second look, not a sleep.
    assert script.slept == [5, 5]
    assert len(seen) == 4


def test_watch_times_out_on_the_injected_clock():
    script = Script([deployment(done=1)])
    _, timed_out = watch(
        script.observe, clock=script.clock(), timeout=30, interval=10, on_update=lambda s: None
    )
    assert timed_out and script.time == 30 and script.slept == [10, 10, 10]


@pytest.mark.parametrize(
    ("check", "status", "body", "ok", "detail"),
    [
        (smoke.CHECKS[0], 200, b"ok", True, "HTTP 200"),
        (smoke.CHECKS[0], 503, b"", False, "HTTP 503"),
        (smoke.CHECKS[0], None, b"", False, "no answer: refused"),
        (smoke.CHECKS[1], 200, b'[{"name": "x"}]', True, "HTTP 200, 1 items"),
        (smoke.CHECKS[1], 200, b"[]", False, "HTTP 200 but not a non-empty JSON array"),
        (smoke.CHECKS[1], 200, b"<html>", False, "HTTP 200 but the body is not JSON"),
    ],
)
def test_smoke_judge(check, status, body, ok, detail):
    result = smoke.judge(check, "http://t/x", status, body, "refused")
    assert (result.ok, result.detail) == (ok, detail)
