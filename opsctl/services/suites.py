"""The test suites, exactly as CI runs them: each suite is a folder under tests/, in turn.

The fixtures start what a suite needs (PostgreSQL, Redis, the Docker engine, Chromium).
Each suite runs as its own pytest process and is timed, so a slow one shows.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from opsctl.core.suites import EVERY_SUITE, Suite, junit_for, pytest_argv
from opsctl.errors import OpsError
from opsctl.settings import repo_root

NO_TESTS_COLLECTED = 5


@dataclass(frozen=True)
class SuiteRun:
    suite: Suite
    exit_code: int
    seconds: float


def run_suites(
    suite: Suite,
    junit: Path | None,
    extra: list[str],
    on_done: Callable[[SuiteRun], None] = lambda _: None,
) -> list[SuiteRun]:
    """Run `suite` (every one, in turn, for `all`); each run is reported as it ends."""
    chosen = EVERY_SUITE if suite is Suite.all else (suite,)
    runs = []
    for one in chosen:
        argv = pytest_argv(sys.executable, one, junit_for(one, junit, len(chosen) > 1), extra)
        began = time.monotonic()
        done = subprocess.run(argv, cwd=repo_root(), check=False)  # noqa: S603 (fixed argv)
        if done.returncode == NO_TESTS_COLLECTED:
            raise OpsError(f"no tests were collected for suite {one.value!r}")
        run = SuiteRun(one, done.returncode, time.monotonic() - began)
        on_done(run)
        runs.append(run)
    return runs
