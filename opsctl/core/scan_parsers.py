"""Turn each scanner's JSON output into Findings. Pure: text in, dataclasses out.

Paths come back repository-relative with forward slashes so SARIF results land
on the right line in code review, whatever directory the tool ran in.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

from opsctl.core.findings import Finding, Severity, Suppression

# Checkov's open-source output carries no severity; a failed policy blocks.
CHECKOV_DEFAULT = Severity.HIGH
HADOLINT_LEVELS = {
    "error": Severity.HIGH,
    "warning": Severity.MEDIUM,
    "info": Severity.LOW,
    "style": Severity.INFO,
}


class ParseError(ValueError):
    """The tool's output was not what its documented format promises."""


def _load(text: str, tool: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        snippet = text.strip()[:120] or "(empty output)"
        raise ParseError(f"{tool} did not print JSON: {snippet}") from exc


def relative(path: str | None, root: str) -> str | None:
    """`/repo/infra/main.tf` or `./infra/main.tf` -> `infra/main.tf` (given root `/repo`)."""
    if not path:
        return None
    pure = PurePosixPath(path.replace("\\", "/"))  # PurePosixPath also drops "./"
    base = PurePosixPath(root)
    if pure.is_absolute() and pure.is_relative_to(base):
        return str(pure.relative_to(base))
    return str(pure)


def parse_checkov(text: str, root: str) -> tuple[list[Finding], list[str]]:
    """Checkov `-o json`: one object per framework (a list when several ran).

    A check skipped in the code (`#checkov:skip=ID:reason`) comes back as a
    suppressed finding carrying its reason; a skip without a reason does not
    count, so that finding stays active.
    """
    data = _load(text, "checkov")
    reports = data if isinstance(data, list) else [data]
    findings: list[Finding] = []
    unchecked: list[str] = []
    for report in reports:
        results = report.get("results") or {}
        findings += [_checkov_finding(check, root) for check in results.get("failed_checks") or []]
        for check in results.get("skipped_checks") or []:
            finding = _checkov_finding(check, root)
            reason = str((check.get("check_result") or {}).get("suppress_comment") or "").strip()
            if reason and reason.lower() != "no comment provided":
                by = Suppression(
                    "checkov", finding.rule_id, reason, "inline", finding.path, finding.line
                )
                findings.append(finding.suppress(by))
            else:
                findings.append(
                    replace(finding, message=finding.message + "; skipped with no reason")
                )
        for path in results.get("parsing_errors") or []:
            unchecked.append(
                f"{report.get('check_type', 'checkov')}: could not parse {relative(path, root)}"
            )
    return findings, unchecked


def _checkov_finding(check: dict[str, Any], root: str) -> Finding:
    rule = check["check_id"]
    default = Severity.CRITICAL if rule.startswith("CKV_SECRET") else CHECKOV_DEFAULT
    lines = check.get("file_line_range") or [None, None]
    return Finding(
        tool="checkov",
        rule_id=rule,
        severity=Severity.parse(check.get("severity"), default),
        message=f"{check.get('check_name', rule)} ({check.get('resource', '?')})",
        path=relative(check.get("file_abs_path") or check.get("file_path"), root),
        line=lines[0] or None,
        end_line=lines[1] or None,
        help_uri=check.get("guideline"),
    )


def parse_hadolint(text: str, root: str) -> list[Finding]:
    """hadolint `-f json`: a flat list of rule hits."""
    data = _load(text, "hadolint")
    if not isinstance(data, list):
        raise ParseError("hadolint JSON is not a list")
    return [
        Finding(
            tool="hadolint",
            rule_id=hit["code"],
            severity=HADOLINT_LEVELS.get(hit.get("level", ""), Severity.MEDIUM),
            message=hit["message"],
            path=relative(hit.get("file"), root),
            line=hit.get("line"),
            help_uri=f"https://github.com/hadolint/hadolint/wiki/{hit['code']}"
            if hit["code"].startswith("DL")
            else None,
        )
        for hit in data
    ]


def parse_bandit(text: str, root: str) -> tuple[list[Finding], list[str]]:
    """bandit `-f json`: results plus errors for files it could not parse."""
    data = _load(text, "bandit")
    findings = [
        Finding(
            tool="bandit",
            rule_id=hit["test_id"],
            severity=Severity.parse(hit.get("issue_severity"), Severity.MEDIUM),
            message=f"{hit['issue_text']} [{hit.get('test_name', '')}, confidence "
            f"{str(hit.get('issue_confidence', '?')).lower()}]",
            path=relative(hit.get("filename"), root),
            line=hit.get("line_number"),
            end_line=max(hit.get("line_range") or [0]) or None,
            help_uri=hit.get("more_info"),
        )
        for hit in data.get("results", [])
    ]
    unchecked = [
        f"could not parse {relative(e.get('filename'), root)}: {e.get('reason', '')}"
        for e in data.get("errors", [])
    ]
    return findings, unchecked


def parse_trivy_secrets(text: str, image: str) -> list[Finding]:
    """trivy `--scanners secret -f json`: secrets per file inside the image."""
    data = _load(text, "trivy")
    findings: list[Finding] = []
    for result in data.get("Results") or []:
        for secret in result.get("Secrets") or []:
            findings.append(
                Finding(
                    tool="trivy",
                    rule_id=secret["RuleID"],
                    severity=Severity.parse(secret.get("Severity"), Severity.HIGH),
                    message=f"{secret.get('Title', secret['RuleID'])} in image {image}",
                    path=result.get("Target", "").lstrip("/") or None,
                    line=secret.get("StartLine") or None,
                    end_line=secret.get("EndLine") or None,
                )
            )
    return findings


def parse_pip_audit(text: str, requirements: str) -> tuple[list[Finding], list[str]]:
    """pip-audit `-f json`: a vulnerability is a finding; a skipped package is unknown.

    `--strict` makes pip-audit stop at the first package it cannot audit; this
    applies the same rule to every package so the report names all of them.
    """
    data = _load(text, "pip-audit")
    findings: list[Finding] = []
    unchecked: list[str] = []
    for dep in data.get("dependencies", []):
        name = dep.get("name", "?")
        if dep.get("skip_reason"):
            unchecked.append(f"{name} {dep.get('version', '')}".strip() + f": {dep['skip_reason']}")
            continue
        for vuln in dep.get("vulns") or []:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "none yet"
            aliases = ", ".join(vuln.get("aliases") or [])
            findings.append(
                Finding(
                    tool="pip-audit",
                    rule_id=vuln["id"],
                    severity=Severity.HIGH,
                    message=f"{name} {dep.get('version', '')} is vulnerable"
                    f"{f' ({aliases})' if aliases else ''}; fixed in: {fixes}",
                    path=requirements,
                )
            )
    return findings, unchecked


def parse_trivy_vulnerabilities(text: str, image: str) -> list[Finding]:
    """trivy `--scanners vuln -f json`: one finding per advisory and package."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"trivy printed no JSON report: {exc}") from exc
    findings: list[Finding] = []
    for result in data.get("Results") or []:
        for vuln in result.get("Vulnerabilities") or []:
            fixed = vuln.get("FixedVersion") or "none yet"
            package = f"{vuln.get('PkgName', '?')} {vuln.get('InstalledVersion', '')}".strip()
            findings.append(
                Finding(
                    tool="trivy",
                    rule_id=vuln["VulnerabilityID"],
                    severity=Severity.parse(vuln.get("Severity"), Severity.HIGH),
                    message=f"{package} in image {image} ({result.get('Target', '?')}): "
                    f"{vuln.get('Title') or vuln['VulnerabilityID']}; fixed in: {fixed}",
                    help_uri=vuln.get("PrimaryURL") or None,
                )
            )
    return findings
