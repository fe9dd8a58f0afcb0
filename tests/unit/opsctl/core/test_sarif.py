"""SARIF 2.1.0 and JUnit built from the fixture outputs of the real tools."""

from xml.etree import ElementTree

from opsctl.core import scan_parsers
from opsctl.core.findings import ScanReport, Severity, Suppression, ToolReport
from opsctl.core.junit import to_junit
from opsctl.core.sarif import to_sarif
from tests.support.paths import FIXTURES

OUTPUTS = FIXTURES / "scan" / "outputs"


def sample_report() -> ScanReport:
    checkov, _ = scan_parsers.parse_checkov((OUTPUTS / "checkov.json").read_text(), "/tmp/planted")
    bandit, _ = scan_parsers.parse_bandit((OUTPUTS / "bandit.json").read_text(), "/tmp/planted")
    reason = Suppression(
        "bandit", "B307", "input is our own constant", "inline", "py_eval/schemas.py", 2
    )
    bandit = [f.suppress(reason) if f.rule_id == "B307" else f for f in bandit]
    return ScanReport(
        tools=[
            ToolReport("checkov", "3.3.30", findings=checkov),
            ToolReport("bandit", "1.9.4", findings=bandit),
            ToolReport("pip-audit", "2.10.1", unchecked=["flask 3.1.0: not found"]),
            ToolReport("image", "0.76.0.1", skipped="no image"),
            ToolReport("hadolint", "2.15.1", error="hadolint exited 2: boom"),
        ],
        fail_on=Severity.MEDIUM,
        allow_unknown=True,
    )


def test_one_run_per_tool_with_its_own_rules() -> None:
    report = sample_report()
    sarif = to_sarif(report)
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    runs = sarif["runs"]
    assert [r["tool"]["driver"]["name"] for r in runs] == [
        "checkov",
        "bandit",
        "pip-audit",
        "image",
        "hadolint",
    ]
    for run, tool in zip(runs, report.tools, strict=True):
        rules = run["tool"]["driver"]["rules"]
        assert len(run["results"]) == len(tool.findings)
        assert len({r["id"] for r in rules}) == len(rules)
        for result in run["results"]:
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
            assert result["level"] in {"error", "warning", "note"}


def test_results_land_on_repository_lines() -> None:
    checkov_run = to_sarif(sample_report())["runs"][0]
    gha = next(r for r in checkov_run["results"] if r["ruleId"] == "CKV2_GHA_1")
    location = gha["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "gha_writeall/.github/workflows/ci.yml",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"]["startLine"] == 3
    rule = checkov_run["tool"]["driver"]["rules"][gha["ruleIndex"]]
    assert rule["properties"]["security-severity"] == "8.0"


def test_suppressions_carry_their_justification() -> None:
    bandit_run = to_sarif(sample_report())["runs"][1]
    by_rule = {r["ruleId"]: r for r in bandit_run["results"]}
    assert by_rule["B307"]["suppressions"] == [
        {"kind": "inSource", "justification": "input is our own constant"}
    ]
    assert "suppressions" not in by_rule["B608"]


def test_unknown_skipped_and_errors_are_notifications() -> None:
    runs = to_sarif(sample_report())["runs"]

    def notes(run):
        inv = run["invocations"][0]
        return inv["executionSuccessful"], [
            (n["level"], n["message"]["text"]) for n in inv["toolExecutionNotifications"]
        ]

    assert notes(runs[2]) == (True, [("warning", "not checked: flask 3.1.0: not found")])
    assert notes(runs[3]) == (True, [("warning", "skipped: no image")])
    assert notes(runs[4]) == (False, [("error", "hadolint exited 2: boom")])
    assert [r["properties"]["status"] for r in runs] == [
        "findings",
        "findings",
        "unknown",
        "skipped",
        "error",
    ]


def test_junit_fails_blocking_findings_and_skips_the_rest() -> None:
    report = sample_report()
    root = ElementTree.fromstring(to_junit(report))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    checkov_failures = len([f for f in report.tools[0].findings if f.severity >= Severity.MEDIUM])
    assert suites["checkov"].get("failures") == str(checkov_failures)
    bandit_cases = {c.get("name"): c for c in suites["bandit"].iter("testcase")}
    assert (
        bandit_cases["B307 py_eval/schemas.py:2"]
        .find("skipped")
        .get("message")
        .startswith("suppressed: ")
    )
    assert bandit_cases["B608 py_sql/lookup.py:2"].find("failure") is not None
    assert suites["pip-audit"].get("skipped") == "1"
    assert suites["image"].get("skipped") == "1"
    assert suites["hadolint"].get("errors") == "1"
    assert root.get("failures") == str(checkov_failures + 1)


def test_junit_clean_tool_is_one_passing_case() -> None:
    report = ScanReport([ToolReport("bandit", "1")], fail_on=Severity.LOW, allow_unknown=True)
    suite = ElementTree.fromstring(to_junit(report)).find("testsuite")
    assert suite is not None and suite.get("tests") == "1" and suite.get("failures") == "0"
    assert [c.get("name") for c in suite.iter("testcase")] == ["clean"]
