"""`opsctl scan` as a user runs it, with the scanners replaced at the outer boundary."""

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from opsctl.app import app
from opsctl.core.findings import Finding, ScanReport, Severity, Suppression, ToolReport
from opsctl.services import scan as scanners


@pytest.mark.parametrize("command", ["scan", "diagram"])
def test_every_command_documents_an_example(command) -> None:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0
    assert f"Example: opsctl {command}" in result.output


def fake_report(options: scanners.ScanOptions) -> ScanReport:
    by = Suppression("bandit", "B603", "argv list", "inline", "ops.py", 4)
    return ScanReport(
        tools=[
            ToolReport(
                "checkov",
                "3.3.30",
                findings=[
                    Finding(
                        "checkov",
                        "CKV_DOCKER_8",
                        Severity.HIGH,
                        "last USER is root",
                        "Dockerfile",
                        3,
                    )
                ],
            ),
            ToolReport(
                "bandit",
                "1.9.4",
                findings=[
                    Finding("bandit", "B603", Severity.LOW, "subprocess", "ops.py", 4).suppress(by)
                ],
            ),
            ToolReport("pip-audit", "2.10.1", unchecked=["flask 3.1.0: not found on PyPI"]),
        ],
        fail_on=options.fail_on,
        allow_unknown=options.allow_unknown,
        suppressions=[by],
    )


@pytest.fixture
def captured(monkeypatch) -> list[scanners.ScanOptions]:
    calls: list[scanners.ScanOptions] = []

    def run_scan(options, on_step=None):
        calls.append(options)
        return fake_report(options)

    monkeypatch.setattr(scanners, "run_scan", run_scan)
    return calls


def invoke(*args: str):
    return CliRunner().invoke(app, ["scan", *args], env={"COLUMNS": "200", "NO_COLOR": "1"})


def test_table_lists_findings_suppressions_and_unknowns(captured) -> None:
    result = invoke("--only", "checkov", "--only", "bandit", "--no-image")
    assert result.exit_code == 1
    assert captured[0].only == ("checkov", "bandit") and captured[0].find_image is False
    assert "CKV_DOCKER_8" in result.output and "Dockerfile:3" in result.output
    assert "argv list" in result.output  # the suppression and its reason
    assert "pip-audit is not clean but unknown" in result.output
    assert "exit 1: 1 finding(s) at or above low" in result.output


def test_threshold_and_unknown_policy_reach_the_exit_code(captured) -> None:
    assert invoke("--fail-on", "critical").exit_code == 0
    assert invoke("--fail-on", "critical", "--no-allow-unknown").exit_code == 2
    assert captured[0].fail_on is Severity.CRITICAL


def test_output_files(captured, tmp_path: Path) -> None:
    sarif, junit, report = tmp_path / "a" / "s.sarif", tmp_path / "j.xml", tmp_path / "r.json"
    result = invoke(
        "--sarif", str(sarif), "--junit", str(junit), "--json-out", str(report), "--json"
    )
    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    assert printed == json.loads(report.read_text())
    assert [t["status"] for t in printed["tools"]] == ["findings", "clean", "unknown"]
    assert [r["tool"]["driver"]["name"] for r in json.loads(sarif.read_text())["runs"]] == [
        "checkov",
        "bandit",
        "pip-audit",
    ]
    assert ElementTree.parse(junit).getroot().get("failures") == "1"


def test_bad_severity_is_a_usage_error(captured) -> None:
    assert invoke("--fail-on", "severe").exit_code == 2
    assert captured == []
