"""opsctl test: the test suites, with the services each needs, exactly as CI runs them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from opsctl.core.suites import Suite
from opsctl.output import stderr

if TYPE_CHECKING:
    from opsctl.services.suites import SuiteRun


def register(app: typer.Typer) -> None:
    app.command("test")(test_cmd)


def test_cmd(
    suite: Suite = typer.Argument(Suite.all, help="Which suite to run."),
    junit: Path = typer.Option(
        None, "--junit", help="Write a JUnit XML report here (with all: one per suite)."
    ),
    pytest_args: list[str] = typer.Argument(None, help="Extra pytest arguments, after `--`."),
) -> None:
    """Run a test suite (unit, integration, container, browser, or all, in turn).

    Integration tests start their own PostgreSQL and Redis servers; container tests
    start the Docker engine; browser tests drive headless Chromium. Each suite's
    time is printed when it ends.

    Examples:
      opsctl test unit
      opsctl test all --junit out/junit.xml
      opsctl test integration -- -k ward -x
    """
    from opsctl.services.suites import run_suites

    def show(run: SuiteRun) -> None:
        verdict = "passed" if run.exit_code == 0 else f"failed (exit {run.exit_code})"
        stderr().print(f"suite {run.suite.value}: {verdict} in {run.seconds:.0f} s")

    runs = run_suites(suite, junit, list(pytest_args or []), on_done=show)
    raise typer.Exit(next((r.exit_code for r in runs if r.exit_code), 0))
