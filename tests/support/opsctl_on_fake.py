"""`python -m tests.support.opsctl_on_fake ARGS`: opsctl in its own process, with CodeDeploy
played by the fake on real time (seconds-long steps) and everything else on the emulator
that AWS_ENDPOINT_URL names. FAKE_ALARM_AFTER sets an alarm that many seconds after
traffic starts to move."""

from __future__ import annotations

import os
import time
from typing import Any

import boto3

from opsctl import app as cli
from opsctl.adapters.aws import Aws
from tests.support.codedeploy_fake import FakeCodeDeploy, Timing
from tests.support.emulator import NAME


def main() -> None:
    ecs = boto3.client("ecs")

    def service() -> dict[str, Any]:
        return ecs.describe_services(cluster=NAME, services=[NAME])["services"][0]

    start = time.monotonic()
    fake = FakeCodeDeploy(
        lambda: time.monotonic() - start,
        application=NAME,
        group=NAME,
        cluster=NAME,
        service=NAME,
        blue_task_definition=lambda: service()["taskDefinition"],
        desired=lambda: service()["desiredCount"],
        timing=Timing(queued=0.1, event=0.1, install=0.2, rollback=0.2),
    )
    alarm = os.environ.get("FAKE_ALARM_AFTER")
    fake.next_plan.alarm_after = float(alarm) if alarm else None
    original = Aws.__init__

    def adapter(self: Aws, region: str, session: Any = None, clients: Any = None) -> None:
        original(self, region, session=session, clients={"codedeploy": fake, **(clients or {})})

    Aws.__init__ = adapter  # type: ignore[method-assign]
    cli.main()


if __name__ == "__main__":
    main()
