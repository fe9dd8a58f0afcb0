"""opsctl test: the test suites, with the services each needs, exactly as CI runs them."""

from __future__ import annotations

import subprocess
import sys
from enum import StrEnum
from pathlib import Path

import typer

from opsctl.errors import OpsError
from opsctl.settings import repo_root


class Suite(StrEnum):
    unit = "unit"
    integration = "integration"
    container = "container"
    browser = "browser"
    all = "all"


def register(app: typer.Typer) -> None:
    app.command("test")(test_cmd)


def pytest_argv(suite: Suite, junit: Path | None, extra: list[str]) -> list[str]:
    """Each suite is a folder; `all` is every folder. Fixtures start PostgreSQL, Redis, Docker."""
    paths = ["tests"] if suite is Suite.all else [f"tests/{suite.value}"]
    argv = [sys.executable, "-m", "pytest", *paths]
    if junit is not None:
        argv.append(f"--junitxml={junit}")
    return [*argv, *extra]


def run_suite(suite: Suite, junit: Path | None, extra: list[str]) -> int:
    argv = pytest_argv(suite, junit, extra)
    completed = subprocess.run(argv, cwd=repo_root(), check=False)  # noqa: S603 (fixed argv)
    if completed.returncode == 5:
        raise OpsError(f"no tests were collected for suite {suite.value!r}")
    return completed.returncode


def test_cmd(
    suite: Suite = typer.Argument(Suite.all, help="Which suite to run."),
    junit: Path = typer.Option(None, "--junit", help="Write a JUnit XML report here."),
    pytest_args: list[str] = typer.Argument(None, help="Extra pytest arguments, after `--`."),
) -> None:
    """Run a test suite (unit, integration, container, browser, or all).

    Integration tests start their own PostgreSQL and Redis servers; container tests
    start the Docker engine; browser tests drive headless Chromium.

    Examples:
      opsctl test unit
      opsctl test all --junit out/junit.xml
      opsctl test integration -- -k ward -x
    """
    code = run_suite(suite, junit, list(pytest_args or []))
    raise typer.Exit(code)
