"""Suites are folders; `all` runs each in turn with its own JUnit report."""

from pathlib import Path

from opsctl.core.suites import EVERY_SUITE, Suite, junit_for, pytest_argv


def test_a_suite_is_its_folder() -> None:
    argv = pytest_argv("py", Suite.integration, Path("out/j.xml"), ["-k", "ward"])
    assert argv == ["py", "-m", "pytest", "tests/integration", "--junitxml=out/j.xml", "-k", "ward"]


def test_every_suite_but_all_runs_cheapest_first() -> None:
    assert (Suite.unit, Suite.integration, Suite.container, Suite.browser) == EVERY_SUITE
    assert set(EVERY_SUITE) == set(Suite) - {Suite.all}


def test_several_suites_write_one_report_each() -> None:
    assert junit_for(Suite.unit, Path("out/junit.xml"), several=True) == Path("out/junit-unit.xml")
    assert junit_for(Suite.unit, Path("out/junit.xml"), several=False) == Path("out/junit.xml")
    assert junit_for(Suite.unit, None, several=True) is None
