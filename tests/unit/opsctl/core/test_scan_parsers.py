"""Each scanner's real JSON output (captured from the pinned versions) becomes Findings."""

import pytest

from opsctl.core import scan_parsers
from opsctl.core.findings import Severity
from tests.support.paths import FIXTURES

OUTPUTS = FIXTURES / "scan" / "outputs"
ROOT = "/tmp/planted"  # where the fixture outputs were produced


def read(name: str) -> str:
    return (OUTPUTS / name).read_text()


def test_checkov_output_with_several_frameworks() -> None:
    findings, unchecked = scan_parsers.parse_checkov(read("checkov.json"), ROOT)
    by_rule = {f.rule_id: f for f in findings}
    assert {
        "CKV_DOCKER_4",
        "CKV_DOCKER_8",
        "CKV_SECRET_2",
        "CKV_GHA_2",
        "CKV2_GHA_1",
        "CKV_MYC_1",
        "CKV_AWS_145",
    } <= by_rule.keys()
    root_user = by_rule["CKV_DOCKER_8"]
    assert (root_user.path, root_user.line) == ("docker_root/Dockerfile", 3)
    assert root_user.severity is Severity.HIGH
    assert by_rule["CKV_SECRET_2"].severity is Severity.CRITICAL
    assert by_rule["CKV_SECRET_2"].path == "secret/settings.py"
    assert by_rule["CKV_MYC_1"].path == "tf_sg/main.tf"
    assert (by_rule["CKV_MYC_1"].line, by_rule["CKV_MYC_1"].end_line) == (1, 13)
    assert unchecked == []


SKIPPED = """{"check_type": "secrets", "results": {"failed_checks": [], "skipped_checks": [
  {"check_id": "CKV_SECRET_6", "check_name": "Base64 High Entropy String", "resource": "abc",
   "file_abs_path": "/r/benchmarks/http.py", "file_line_range": [2, 3],
   "check_result": {"result": "SKIPPED", "suppress_comment": "throwaway key for a loopback run"}},
  {"check_id": "CKV_AWS_18", "check_name": "S3 access logging", "resource": "aws_s3_bucket.this",
   "file_abs_path": "/r/infra/main.tf", "file_line_range": [4, 11],
   "check_result": {"result": "SKIPPED", "suppress_comment": "No comment provided"}}]}}"""


def test_checkov_skips_carry_their_reason_and_a_bare_skip_does_not_count() -> None:
    findings, _ = scan_parsers.parse_checkov(SKIPPED, "/r")
    reasoned, bare = findings
    assert reasoned.suppressed_by is not None
    assert (
        reasoned.suppressed_by.reason,
        reasoned.suppressed_by.path,
        reasoned.suppressed_by.line,
    ) == ("throwaway key for a loopback run", "benchmarks/http.py", 2)
    assert bare.suppressed_by is None
    assert (bare.rule_id, bare.path) == ("CKV_AWS_18", "infra/main.tf")
    assert bare.message.endswith("skipped with no reason")


def test_checkov_output_when_nothing_was_found() -> None:
    empty = '{"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, "resource_count": 0}'
    assert scan_parsers.parse_checkov(empty, ROOT) == ([], [])


def test_checkov_parsing_errors_are_unchecked_not_clean() -> None:
    text = '{"check_type": "terraform", "results": {"failed_checks": [], "parsing_errors": ["/r/infra/bad.tf"]}}'
    findings, unchecked = scan_parsers.parse_checkov(text, "/r")
    assert findings == []
    assert unchecked == ["terraform: could not parse infra/bad.tf"]


def test_hadolint_levels_map_to_severities() -> None:
    findings = scan_parsers.parse_hadolint(read("hadolint.json"), ROOT)
    assert [(f.rule_id, f.severity, f.path, f.line) for f in findings] == [
        ("DL3002", Severity.MEDIUM, "docker_root/Dockerfile", 3),
        ("DL3066", Severity.LOW, "docker_root/Dockerfile", 3),
    ]
    assert findings[0].help_uri and findings[0].help_uri.endswith("/DL3002")


def test_bandit_eval_and_sql_from_fstrings() -> None:
    findings, unchecked = scan_parsers.parse_bandit(read("bandit.json"), ROOT)
    assert {(f.rule_id, f.path, f.line) for f in findings} == {
        ("B307", "py_eval/schemas.py", 2),
        ("B608", "py_sql/lookup.py", 2),
    }
    assert all(f.severity is Severity.MEDIUM for f in findings)
    assert unchecked == []


def test_trivy_secrets_point_into_the_image() -> None:
    findings = scan_parsers.parse_trivy_secrets(read("trivy-secrets.json"), "image.tar")
    assert len(findings) == 1
    secret = findings[0]
    assert (secret.rule_id, secret.severity, secret.path, secret.line) == (
        "aws-access-key-id",
        Severity.CRITICAL,
        "srv/app/settings.py",
        1,
    )
    assert "image.tar" in secret.message


def test_pip_audit_offline_is_unknown_for_every_package() -> None:
    findings, unchecked = scan_parsers.parse_pip_audit(read("pip-audit-offline.json"), "req.txt")
    assert findings == []
    assert len(unchecked) == 32
    assert unchecked[0].startswith("alembic: Dependency not found on PyPI")


def test_pip_audit_vulnerability_and_skip() -> None:
    findings, unchecked = scan_parsers.parse_pip_audit(read("pip-audit-vulnerable.json"), "req.txt")
    assert [(f.rule_id, f.path, f.severity) for f in findings] == [
        ("PYSEC-2023-62", "req.txt", Severity.HIGH)
    ]
    assert "CVE-2023-30861" in findings[0].message and "2.2.5" in findings[0].message
    assert unchecked == [
        "werkzeug: Dependency not found on PyPI and could not be audited: werkzeug (2.0.2)"
    ]


@pytest.mark.parametrize("parse", [scan_parsers.parse_hadolint, scan_parsers.parse_checkov])
def test_non_json_output_is_a_parse_error(parse) -> None:
    with pytest.raises(scan_parsers.ParseError, match="did not print JSON: Traceback"):
        parse("Traceback (most recent call last): boom", ROOT)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/r/infra/main.tf", "infra/main.tf"),
        ("./infra/main.tf", "infra/main.tf"),
        ("infra/main.tf", "infra/main.tf"),
        ("/elsewhere/x.tf", "/elsewhere/x.tf"),
        (None, None),
    ],
)
def test_paths_become_repository_relative(path, expected) -> None:
    assert scan_parsers.relative(path, "/r") == expected
