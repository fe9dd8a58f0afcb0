"""`opsctl scan --advisories`: trivy checks the image's OS and Python packages against its
vulnerability database (HIGH/CRITICAL, a baseline entry with a reason suppresses one), and a
database that cannot be had leaves them not checked, which `--no-allow-unknown` fails."""

from __future__ import annotations

import json

import pytest

from opsctl.adapters import scanners, tools
from opsctl.core import scan_parsers, suppressions
from opsctl.core.findings import ScanReport, Severity, ToolReport

REPORT = {
    "SchemaVersion": 2,
    "ArtifactName": "out/image.tar",
    "Results": [
        {
            "Target": "out/image.tar (debian 12.11)",
            "Class": "os-pkgs",
            "Type": "debian",
            "Vulnerabilities": [
                {
                    "VulnerabilityID": "CVE-2025-0001",
                    "PkgName": "libssl3",
                    "InstalledVersion": "3.0.15-1~deb12u1",
                    "FixedVersion": "3.0.16-1~deb12u1",
                    "Severity": "CRITICAL",
                    "Title": "openssl: a bad one",
                    "PrimaryURL": "https://avd.aquasec.com/nvd/cve-2025-0001",
                }
            ],
        },
        {
            "Target": "Python",
            "Class": "lang-pkgs",
            "Type": "python-pkg",
            "Vulnerabilities": [
                {
                    "VulnerabilityID": "GHSA-aaaa-bbbb-cccc",
                    "PkgName": "werkzeug",
                    "InstalledVersion": "3.0.0",
                    "Severity": "HIGH",
                }
            ],
        },
        {"Target": "app", "Class": "lang-pkgs", "Type": "python-pkg"},
    ],
}


def test_each_advisory_and_package_is_a_finding_of_its_severity() -> None:
    found = scan_parsers.parse_trivy_vulnerabilities(json.dumps(REPORT), "out/image.tar")
    assert [(f.tool, f.rule_id, f.severity) for f in found] == [
        ("trivy", "CVE-2025-0001", Severity.CRITICAL),
        ("trivy", "GHSA-aaaa-bbbb-cccc", Severity.HIGH),
    ]
    assert "libssl3 3.0.15-1~deb12u1" in found[0].message
    assert "fixed in: 3.0.16-1~deb12u1" in found[0].message
    assert "fixed in: none yet" in found[1].message


def test_a_baseline_entry_with_a_reason_suppresses_one_advisory() -> None:
    found = scan_parsers.parse_trivy_vulnerabilities(json.dumps(REPORT), "out/image.tar")
    entries = suppressions.parse_baseline(
        '[[suppress]]\ntool = "trivy"\nrule = "GHSA-aaaa-bbbb-cccc"\n'
        'reason = "the debugger it affects is never enabled in the image"\n'
    )
    kept, unused = suppressions.apply_baseline(found, entries)
    assert [f.rule_id for f in kept if f.suppressed_by is None] == ["CVE-2025-0001"]
    assert unused == []


@pytest.fixture
def trivy(monkeypatch):
    """The runner's boundary: record trivy's argv, answer as the test says."""
    calls: list[list[str]] = []
    answer = {"code": 1, "stdout": json.dumps(REPORT), "stderr": ""}

    def run_tool(name, args, **_):
        assert name == "trivy"
        calls.append(args)
        return tools.Completed(("trivy", *args), answer["code"], answer["stdout"], answer["stderr"])

    monkeypatch.setattr(tools, "run_tool", run_tool)
    return calls, answer


def test_ci_scan_asks_trivy_for_high_and_critical_in_os_and_python_packages(trivy, tmp_path):
    calls, _ = trivy
    findings, unchecked = scanners.scan_image_vulnerabilities(
        ["--input", "out/image.tar"], "out/image.tar", tmp_path
    )
    argv = calls[0]
    assert argv[:5] == ["image", "--scanners", "vuln", "--pkg-types", "os,library"]
    assert argv[argv.index("--severity") + 1] == "HIGH,CRITICAL"
    assert argv[argv.index("--exit-code") + 1] == "1"
    assert "--skip-db-update" not in argv and "--offline-scan" not in argv
    assert len(findings) == 2 and unchecked == []
    report = ScanReport([ToolReport("image", "x", findings=findings)], Severity.LOW, False)
    assert report.exit_code == 1


def test_no_database_is_not_checked_and_fails_only_without_allow_unknown(trivy, tmp_path):
    _, answer = trivy
    answer.update(code=1, stdout="", stderr="FATAL init error: failed to download vulnerability DB")
    findings, unchecked = scanners.scan_image_vulnerabilities(
        ["--input", "x.tar"], "x.tar", tmp_path
    )
    assert findings == []
    assert unchecked and "could not check" in unchecked[0] and "vulnerability DB" in unchecked[0]
    tool = ToolReport("image", "x", unchecked=unchecked)
    assert ScanReport([tool], Severity.LOW, allow_unknown=True).exit_code == 0
    assert ScanReport([tool], Severity.LOW, allow_unknown=False).exit_code == 2
