"""Where a release's smoke test runs: inside the VPC as a one-off task, or from here.

The test listener admits only the VPC's NAT addresses (and any CIDRs an operator adds), so
from a hosted CI runner it is unreachable: by default the check runs as a one-off task of
the new revision in the app subnets (`opsctl smoke` is in the image), and its traffic
reaches the internet-facing ALB through the NAT gateways. `--smoke-from here` runs the
same checks from this machine, for a runner inside the network.
"""

from __future__ import annotations

from collections.abc import Callable

from opsctl.core import smoke, taskdef
from opsctl.core.aws_records import LogLine
from opsctl.core.deployment import Clock
from opsctl.core.environment import DeployEnv
from opsctl.core.ports import AwsPort
from opsctl.services.tasks import run_one_off


def release_of(aws: AwsPort, env: DeployEnv, task_definition: str) -> str | None:
    """The release (image digest) a revision's tasks report in /readyz."""
    doc = aws.describe_task_definition(task_definition).document
    variables = taskdef.container(doc, env.container_name).get("environment", [])
    return next((v["value"] for v in variables if v["name"] == taskdef.RELEASE_VARIABLE), None)


def in_vpc(
    aws: AwsPort,
    env: DeployEnv,
    url: str,
    clock: Clock,
    on_log: Callable[[LogLine], None],
    on_status: Callable[[str], None],
) -> Callable[[str], list[str]]:
    """A smoke test that runs `opsctl smoke` as a one-off task of the revision under test."""

    def check(task_definition: str) -> list[str]:
        command = ["opsctl", "smoke", url, "--timeout", str(int(env.smoke_timeout))]
        release = release_of(aws, env, task_definition)
        if release:
            command += ["--release", release]
        result = run_one_off(
            aws,
            env,
            task_definition,
            command,
            clock=clock,
            on_log=on_log,
            on_status=on_status,
            started_by="opsctl smoke",
        )
        return [] if result.exit_code == 0 else [f"smoke task exited with {result.exit_code}"]

    return check


def from_here(
    aws: AwsPort,
    env: DeployEnv,
    url: str,
    clock: Clock,
    http_get: smoke.HttpGet,
    on_status: Callable[[str], None],
) -> Callable[[str], list[str]]:
    """The same checks from this machine."""

    def check(task_definition: str) -> list[str]:
        release = release_of(aws, env, task_definition)
        results = smoke.run_checks(http_get, url, release, clock=clock, timeout=env.smoke_timeout)
        for r in results:
            on_status(f"smoke {'ok' if r.ok else 'FAILED'}: {r.url}: {r.detail}")
        return [f"{r.url}: {r.detail}" for r in results if not r.ok]

    return check


def check_url(
    url: str, release: str | None, clock: Clock, timeout: float
) -> list[smoke.CheckResult]:
    """`opsctl smoke`: the checks against `url` from wherever this process runs."""
    from opsctl.adapters import http

    return smoke.run_checks(http.get, url, release, clock=clock, timeout=timeout)
