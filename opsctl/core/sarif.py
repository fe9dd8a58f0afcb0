"""Merge the scan into one SARIF 2.1.0 log with one run per tool.

One run per tool keeps each scanner's rules and version apart, so GitHub code
scanning attributes every alert to the tool that raised it. Suppressed findings
stay in the log with their justification; what a tool could not check is a
tool execution notification, so an unknown is visible, never a silent pass.
"""

from __future__ import annotations

from typing import Any

from opsctl.core.findings import Finding, ScanReport, Severity, Status, ToolReport

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
TOOL_URIS = {
    "checkov": "https://www.checkov.io/",
    "hadolint": "https://github.com/hadolint/hadolint",
    "bandit": "https://bandit.readthedocs.io/",
    "trivy": "https://trivy.dev/",
    "pip-audit": "https://pypi.org/project/pip-audit/",
}
# GitHub ranks alerts by this number (CVSS-like, 0-10).
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "2.0",
    Severity.INFO: "0.0",
}


def level(severity: Severity) -> str:
    if severity >= Severity.HIGH:
        return "error"
    return "warning" if severity is Severity.MEDIUM else "note"


def to_sarif(report: ScanReport) -> dict[str, Any]:
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [_run(t) for t in report.tools]}


def _run(tool: ToolReport) -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    for finding in tool.findings:
        rules.setdefault(finding.rule_id, _rule(finding))
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    notifications = [_note("warning", f"not checked: {item}") for item in tool.unchecked]
    notifications += [_note("note", note) for note in tool.notes]
    if tool.skipped:
        notifications.append(_note("warning", f"skipped: {tool.skipped}"))
    if tool.error:
        notifications.append(_note("error", tool.error))
    driver: dict[str, Any] = {
        "name": tool.tool,
        "version": tool.version,
        "rules": list(rules.values()),
    }
    if tool.tool in TOOL_URIS:
        driver["informationUri"] = TOOL_URIS[tool.tool]
    return {
        "tool": {"driver": driver},
        "invocations": [
            {
                "executionSuccessful": tool.status is not Status.ERROR,
                "toolExecutionNotifications": notifications,
            }
        ],
        "results": [_result(f, index[f.rule_id]) for f in tool.findings],
        "properties": {
            "status": tool.status.value,
            **({"artifacts": tool.artifacts} if tool.artifacts else {}),
        },
    }


def _rule(finding: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": finding.rule_id,
        "shortDescription": {"text": finding.message.split(" (")[0][:200]},
        "defaultConfiguration": {"level": level(finding.severity)},
        "properties": {"security-severity": SECURITY_SEVERITY[finding.severity]},
    }
    if finding.help_uri:
        rule["helpUri"] = finding.help_uri
    return rule


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": {"text": finding.message},
        "properties": {"severity": finding.severity.label},
    }
    if finding.path:
        location: dict[str, Any] = {"artifactLocation": {"uri": finding.path, "uriBaseId": SRCROOT}}
        if finding.line:
            region = {"startLine": finding.line}
            if finding.end_line and finding.end_line >= finding.line:
                region["endLine"] = finding.end_line
            location["region"] = region
        result["locations"] = [{"physicalLocation": location}]
    if finding.suppressed_by:
        by = finding.suppressed_by
        result["suppressions"] = [
            {
                "kind": "inSource" if by.source == "inline" else "external",
                "justification": by.reason,
            }
        ]
    return result


def _note(severity_level: str, text: str) -> dict[str, Any]:
    return {"level": severity_level, "message": {"text": text}}
