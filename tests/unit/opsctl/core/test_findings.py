"""The exit-code policy: clean, findings at the threshold, and incomplete scans."""

import pytest

from opsctl.core.findings import Finding, ScanReport, Severity, Status, Suppression, ToolReport


def finding(severity: Severity, rule: str = "R1") -> Finding:
    return Finding("bandit", rule, severity, "message", "app.py", 3)


def report(*tools: ToolReport, fail_on: Severity = Severity.LOW, allow_unknown: bool = True):
    return ScanReport(list(tools), fail_on=fail_on, allow_unknown=allow_unknown)


def test_clean_tools_exit_zero() -> None:
    scan = report(ToolReport("bandit", "1"), ToolReport("checkov", "2"))
    assert [t.status for t in scan.tools] == [Status.CLEAN, Status.CLEAN]
    assert scan.exit_code == 0


@pytest.mark.parametrize(
    ("severity", "fail_on", "code"),
    [
        (Severity.HIGH, Severity.LOW, 1),
        (Severity.LOW, Severity.LOW, 1),
        (Severity.INFO, Severity.LOW, 0),
        (Severity.MEDIUM, Severity.HIGH, 0),
        (Severity.CRITICAL, Severity.HIGH, 1),
    ],
)
def test_threshold(severity, fail_on, code) -> None:
    scan = report(ToolReport("bandit", "1", findings=[finding(severity)]), fail_on=fail_on)
    assert scan.exit_code == code
    assert scan.tools[0].status is Status.FINDINGS  # below the bar still shows, it just passes


def test_suppressed_findings_do_not_block() -> None:
    by = Suppression("bandit", "R1", "reviewed: input is a constant", "inline", "app.py", 3)
    tool = ToolReport("bandit", "1", findings=[finding(Severity.HIGH).suppress(by)])
    scan = report(tool)
    assert tool.status is Status.CLEAN and tool.suppressed and not tool.active
    assert scan.exit_code == 0


def test_a_tool_that_could_not_run_is_never_a_pass() -> None:
    scan = report(ToolReport("checkov", "3", error="checkov exited 2"), ToolReport("bandit", "1"))
    assert scan.tools[0].status is Status.ERROR
    assert scan.exit_code == 2


def test_an_error_outranks_findings() -> None:
    scan = report(
        ToolReport("checkov", "3", error="boom"),
        ToolReport("bandit", "1", findings=[finding(Severity.HIGH)]),
    )
    assert scan.exit_code == 2


@pytest.mark.parametrize(
    "tool",
    [
        ToolReport("pip-audit", "2", unchecked=["flask 3.1: not found"]),
        ToolReport("image", "0.7", skipped="no image"),
    ],
)
def test_unknown_and_skipped_follow_allow_unknown(tool) -> None:
    assert tool.status in (Status.UNKNOWN, Status.SKIPPED)
    assert report(tool, allow_unknown=True).exit_code == 0
    assert report(tool, allow_unknown=False).exit_code == 2
    assert report(tool).incomplete == [tool]


def test_findings_outrank_unknown() -> None:
    tool = ToolReport("pip-audit", "2", findings=[finding(Severity.HIGH)], unchecked=["x"])
    assert tool.status is Status.FINDINGS
    assert report(tool, allow_unknown=False).exit_code == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HIGH", Severity.HIGH),
        ("error", Severity.HIGH),
        ("warning", Severity.MEDIUM),
        ("style", Severity.INFO),
        ("Critical", Severity.CRITICAL),
    ],
)
def test_severity_words(text, expected) -> None:
    assert Severity.parse(text) is expected


def test_unknown_severity_word() -> None:
    assert Severity.parse(None, Severity.HIGH) is Severity.HIGH
    with pytest.raises(ValueError, match="unknown severity 'severe'"):
        Severity.parse("severe")


def test_json_marks_blocking_and_lists_status() -> None:
    tool = ToolReport(
        "bandit", "1", findings=[finding(Severity.HIGH), finding(Severity.INFO, "R2")]
    )
    data = report(tool, ToolReport("image", "1", skipped="no image")).to_json()
    assert data["exit_code"] == 1
    assert [t["status"] for t in data["tools"]] == ["findings", "skipped"]
    assert [(f["rule_id"], f["severity"], f["blocking"]) for f in data["tools"][0]["findings"]] == [
        ("R1", "high", True),
        ("R2", "info", False),
    ]
