"""The scan as JUnit XML: one test suite per tool, one failing test case per blocking finding.

CI systems that read JUnit then show each finding by rule and location. A tool
that ran clean is one passing case; unknown and skipped parts are skipped cases
(never passes); a tool that could not run is an error.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement, tostring  # nosec B405 # builds, never parses

from opsctl.core.findings import ScanReport, Status, ToolReport


def to_junit(report: ScanReport) -> str:
    root = Element("testsuites", name="opsctl scan")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for tool in report.tools:
        suite = _suite(root, tool, report)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def _suite(root: Element, tool: ToolReport, report: ScanReport) -> Element:
    suite = SubElement(root, "testsuite", name=tool.tool)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}

    def case(name: str) -> Element:
        counts["tests"] += 1
        return SubElement(suite, "testcase", classname=f"scan.{tool.tool}", name=name)

    if tool.status is Status.ERROR:
        SubElement(case("run"), "error", message=tool.error or "tool failed")
        counts["errors"] += 1
    for finding in tool.findings:
        test = case(f"{finding.rule_id} {finding.location}")
        if finding.suppressed_by:
            SubElement(test, "skipped", message=f"suppressed: {finding.suppressed_by.reason}")
            counts["skipped"] += 1
        elif finding.severity >= report.fail_on:
            failure = SubElement(
                test, "failure", message=finding.message, type=finding.severity.label
            )
            failure.text = (
                f"{finding.tool} {finding.rule_id} at {finding.location}: {finding.message}"
            )
            counts["failures"] += 1
    for item in tool.unchecked:
        SubElement(case(f"not checked: {item}"[:200]), "skipped", message="unknown")
        counts["skipped"] += 1
    if tool.skipped:
        SubElement(case("run"), "skipped", message=tool.skipped)
        counts["skipped"] += 1
    if counts["tests"] == 0:
        case("clean")
    for key, value in counts.items():
        suite.set(key, str(value))
    return suite
