"""The test suites: each is a folder under tests/, and `all` is every one, in turn."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path


class Suite(StrEnum):
    unit = "unit"
    integration = "integration"
    container = "container"
    browser = "browser"
    all = "all"


# `all` is every suite, cheapest first: a broken unit test fails the run in seconds.
EVERY_SUITE = (Suite.unit, Suite.integration, Suite.container, Suite.browser)


def pytest_argv(python: str, suite: Suite, junit: Path | None, extra: list[str]) -> list[str]:
    """pytest over the suite's folder, run by `python`."""
    argv = [python, "-m", "pytest", f"tests/{suite.value}"]
    if junit is not None:
        argv.append(f"--junitxml={junit}")
    return [*argv, *extra]


def junit_for(suite: Suite, junit: Path | None, several: bool) -> Path | None:
    """One report per suite: with several, `out/junit.xml` becomes `out/junit-unit.xml`."""
    if junit is None or not several:
        return junit
    return junit.with_name(f"{junit.stem}-{suite.value}{junit.suffix}")
