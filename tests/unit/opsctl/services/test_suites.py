"""`opsctl test all` runs each suite as its own pytest process, in turn, and times it."""

import subprocess

import pytest

from opsctl.core.suites import Suite
from opsctl.errors import OpsError
from opsctl.services import suites


@pytest.fixture
def ran(monkeypatch) -> list[list[str]]:
    calls: list[list[str]] = []
    codes = {"tests/unit": 0, "tests/integration": 1, "tests/container": 0, "tests/browser": 0}

    def run(argv, cwd, check):
        calls.append(argv)
        return subprocess.CompletedProcess(argv, codes[argv[3]])

    monkeypatch.setattr(suites.subprocess, "run", run)
    return calls


def test_all_runs_every_suite_after_a_failure_and_reports_each(ran) -> None:
    reported = []
    runs = suites.run_suites(Suite.all, None, ["-x"], on_done=reported.append)
    assert [argv[3] for argv in ran] == [
        "tests/unit",
        "tests/integration",
        "tests/container",
        "tests/browser",
    ]
    assert all(argv[-1] == "-x" for argv in ran)
    assert [(r.suite, r.exit_code) for r in runs] == [
        (Suite.unit, 0),
        (Suite.integration, 1),
        (Suite.container, 0),
        (Suite.browser, 0),
    ]
    assert reported == runs and all(r.seconds >= 0 for r in runs)


def test_an_empty_suite_is_an_error(monkeypatch) -> None:
    monkeypatch.setattr(
        suites.subprocess, "run", lambda argv, cwd, check: subprocess.CompletedProcess(argv, 5)
    )
    with pytest.raises(OpsError, match="no tests were collected for suite 'unit'"):
        suites.run_suites(Suite.unit, None, [])
