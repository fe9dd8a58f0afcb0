"""One function per scanner: run the tool through `opsctl.adapters.tools`, parse its JSON.

Each `scan_*` function hands the tool's output to a pure parser in
`opsctl.core.scan_parsers`; a tool that cannot run or be understood raises, and
`opsctl.services.scan` turns that into a report with `error` set (exit 2).
"""

from __future__ import annotations

import re
from pathlib import Path

from opsctl.adapters import tools
from opsctl.core import scan_parsers
from opsctl.core.findings import Finding, ToolReport
from opsctl.core.scan_scope import SKIP_DIRS
from opsctl.errors import OpsError

REQUIREMENTS = "requirements/runtime.txt"
CHECKOV_CHECKS = tools.LOCK_DIR / "checkov_checks"


def tool_version(name: str) -> str:
    tool = tools.TOOLS.get("trivy" if name == "image" else name)
    return tool.version if tool else "?"


def _failed(done: tools.Completed) -> str:
    tail = " ".join((done.stderr or done.stdout).strip().splitlines()[-2:])
    return f"{Path(done.argv[0]).name} exited {done.returncode}: {tail[:300] or 'no output'}"


def _check(done: tools.Completed, ok: tuple[int, ...] = (0,)) -> None:
    """Exit codes the tool documents for 'ran', and some output: anything else is a failure."""
    if done.returncode not in ok or not done.stdout.strip():
        raise tools.ToolError(_failed(done))


def scan_checkov(root: Path) -> ToolReport:
    """Dockerfiles, Terraform, workflows, and secrets in every file of the repository."""
    args = [
        "-d",
        str(root),
        "--framework",
        "dockerfile",
        "terraform",
        "github_actions",
        "secrets",
        "--skip-download",
        "--enable-secret-scan-all-files",
        "-o",
        "json",
        "--external-checks-dir",
        str(CHECKOV_CHECKS),
    ]
    for skip in SKIP_DIRS:
        # Checkov searches each entry's absolute path (and also tests plain substrings):
        # anchor on both sides so `out` skips ./out but not opsctl/output.py.
        args += ["--skip-path", f"/{re.escape(skip)}$"]
    done = tools.run_tool("checkov", args, cwd=root)
    _check(done, ok=(0, 1))
    findings, unchecked = scan_parsers.parse_checkov(done.stdout, str(root))
    return ToolReport("checkov", tool_version("checkov"), findings=findings, unchecked=unchecked)


def scan_hadolint(root: Path, dockerfiles: list[str]) -> ToolReport:
    if not dockerfiles:
        return ToolReport(
            "hadolint", tool_version("hadolint"), skipped="no Dockerfile in the repository"
        )
    done = tools.run_tool("hadolint", ["-f", "json", "--no-fail", *dockerfiles], cwd=root)
    _check(done)
    return ToolReport(
        "hadolint",
        tool_version("hadolint"),
        findings=scan_parsers.parse_hadolint(done.stdout, str(root)),
    )


def scan_bandit(root: Path, python_files: list[str]) -> ToolReport:
    if not python_files:
        return ToolReport("bandit", tool_version("bandit"), skipped="no Python files")
    done = tools.run_tool("bandit", ["-f", "json", "-q", *python_files], cwd=root)
    _check(done, ok=(0, 1))
    findings, unchecked = scan_parsers.parse_bandit(done.stdout, str(root))
    return ToolReport("bandit", tool_version("bandit"), findings=findings, unchecked=unchecked)


def scan_pip_audit(root: Path) -> ToolReport:
    """Audit the hash-locked runtime requirements without installing them."""
    if not (root / REQUIREMENTS).is_file():
        return ToolReport("pip-audit", tool_version("pip-audit"), skipped=f"no {REQUIREMENTS}")
    # --disable-pip: the file is hash-locked, so nothing is installed to resolve it.
    args = ["--disable-pip", "-r", REQUIREMENTS, "-f", "json", "--progress-spinner", "off"]
    done = tools.run_tool("pip-audit", [*args, "--timeout", "15"], cwd=root, timeout=600)
    _check(done, ok=(0, 1))
    findings, unchecked = scan_parsers.parse_pip_audit(done.stdout, REQUIREMENTS)
    report = ToolReport(
        "pip-audit", tool_version("pip-audit"), findings=findings, unchecked=unchecked
    )
    if unchecked:
        report.notes.append(
            f"{len(unchecked)} packages could not be audited: vulnerability status unknown"
        )
    return report


def scan_image(source: str, sbom: Path, advisories: bool) -> ToolReport:
    """Secrets in the image's filesystem and a CycloneDX SBOM, with trivy.

    Trivy's vulnerability database cannot be downloaded here, so vulnerabilities
    are reported as not checked rather than clean.
    """
    version = tool_version("image")
    target = ["--input", source] if Path(source).is_file() else ["--image-src", "docker", source]
    cache = tools.cache_root().parent / "trivy"
    common = [
        "--skip-db-update",
        "--skip-java-db-update",
        "--offline-scan",
        "--skip-version-check",
        "--disable-telemetry",
        "--quiet",
        "--cache-dir",
        str(cache),
    ]
    done = tools.run_tool(
        "trivy", ["image", "--scanners", "secret", "-f", "json", *common, *target]
    )
    _check(done)
    report = ToolReport(
        "image", version, findings=scan_parsers.parse_trivy_secrets(done.stdout, source)
    )
    sbom.parent.mkdir(parents=True, exist_ok=True)
    sbom.unlink(missing_ok=True)
    done = tools.run_tool("trivy", ["image", "-f", "cyclonedx", "-o", str(sbom), *common, *target])
    if done.returncode != 0 or not sbom.is_file():
        raise tools.ToolError(_failed(done))
    report.artifacts["sbom"] = str(sbom)
    if advisories:
        findings, unchecked = scan_image_vulnerabilities(target, source, cache)
        report.findings += findings
        report.unchecked += unchecked
        checked = "secrets and HIGH/CRITICAL vulnerabilities scanned"
    else:
        report.unchecked.append("vulnerabilities: trivy's database is not downloaded offline")
        checked = "secrets scanned"
    report.notes.append(f"image {source}: {checked}, SBOM written to {sbom}")
    return report


# What blocks a release; lower severities are in the SBOM for whoever wants them.
VULNERABILITY_SEVERITIES = "HIGH,CRITICAL"


def scan_image_vulnerabilities(
    target: list[str], source: str, cache: Path
) -> tuple[list[Finding], list[str]]:
    """The image's OS packages and Python libraries against trivy's advisory database.

    The database is downloaded (where it can be reached); when it cannot be, the
    vulnerabilities are reported as not checked, never as clean.
    """
    args = ["image", "--scanners", "vuln", "--pkg-types", "os,library"]
    args += ["--severity", VULNERABILITY_SEVERITIES, "--exit-code", "1", "-f", "json"]
    args += ["--skip-version-check", "--disable-telemetry", "--quiet", "--cache-dir", str(cache)]
    done = tools.run_tool("trivy", [*args, *target], timeout=1800)
    # --exit-code 1 marks vulnerabilities, but trivy also exits 1 on a fatal error: only
    # its JSON report says it ran.
    if done.returncode not in (0, 1) or not done.stdout.strip():
        return [], [f"vulnerabilities: trivy could not check ({_failed(done)})"]
    return scan_parsers.parse_trivy_vulnerabilities(done.stdout, source), []


def local_image_id(tag: str) -> tuple[str | None, str]:
    """The engine's id for `tag`, or None and why it could not be found."""
    try:
        found = tools.run(["docker", "image", "inspect", "--format", "{{.Id}}", tag], timeout=30)
    except OpsError:
        return None, "docker CLI not installed"
    if found.returncode != 0:
        missing = "no such image" in found.stderr.lower()
        reason = f"{tag} not built" if missing else "Docker engine not reachable"
        return None, f"{reason}; run `opsctl build` or pass --image"
    return found.stdout.strip(), ""
