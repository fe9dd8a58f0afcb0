"""Run each scanner over the repository (and the built image) and collect ToolReports.

Each `scan_*` function runs one tool through `opsctl.adapters.tools` and hands
its JSON to a pure parser in `opsctl.core.scan_parsers`. A tool that cannot be
installed, run or understood becomes a report with `error` set (exit 2).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from opsctl.adapters import tools
from opsctl.core import scan_parsers, suppressions
from opsctl.core.findings import SCANNERS, Finding, ScanReport, Severity, Suppression, ToolReport
from opsctl.errors import OpsError

log = logging.getLogger(__name__)

# Never scanned: environments, caches, build output, and the planted-defect fixtures.
SKIP_DIRS = (
    ".git",
    ".venv",
    "venv",
    "node_modules",
    ".terraform",
    ".cache",
    "out",
    "build",
    "dist",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "tests/fixtures/scan",
)
# Test and benchmark code: the same folders pyproject exempts from ruff's bandit rules (S).
# Checkov's secret scan still reads them.
NOT_FOR_BANDIT = ("tests/", "benchmarks/")
REQUIREMENTS = "requirements/runtime.txt"
CHECKOV_CHECKS = tools.LOCK_DIR / "checkov_checks"


@dataclass(frozen=True)
class ScanOptions:
    root: Path
    fail_on: Severity = Severity.LOW
    allow_unknown: bool = True
    only: tuple[str, ...] = SCANNERS
    image: str | None = None  # a tag, or a `docker save` / OCI tarball
    find_image: bool = True  # look for mycandidate:<git sha> when no image is given
    baseline: Path | None = None
    sbom: Path | None = None
    advisories: bool = False  # download trivy's vulnerability database and check the image


@dataclass
class RepoFiles:
    dockerfiles: list[str] = field(default_factory=list)
    python: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # Terraform and workflows: suppression markers

    @classmethod
    def discover(cls, root: Path) -> RepoFiles:
        files = cls()
        for rel in _walk(root):
            name = rel.rsplit("/", 1)[-1]
            if (
                name == "Dockerfile"
                or name.startswith("Dockerfile.")
                or name.endswith(".Dockerfile")
            ):
                files.dockerfiles.append(rel)
            elif name.endswith(".py"):
                files.python.append(rel)
            elif name.endswith((".tf", ".yml", ".yaml")):
                files.others.append(rel)
        return files


def _walk(root: Path) -> Iterator[str]:
    for current, dirs, names in os.walk(root):
        rel_dir = Path(current).relative_to(root).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        dirs[:] = sorted(d for d in dirs if not _skipped(prefix + d))
        yield from (prefix + n for n in sorted(names))


def _skipped(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    hidden = name.startswith(".") and name != ".github"
    return hidden or any(
        rel == s or rel.endswith("/" + s) or rel.startswith(s + "/") for s in SKIP_DIRS
    )


def run_scan(options: ScanOptions, on_step: Callable[[str], None] = lambda _: None) -> ScanReport:
    """Run the selected scanners, then apply inline and baseline suppressions."""
    root = options.root.resolve()
    entries = _load_baseline(root, options.baseline)
    files = RepoFiles.discover(root)
    steps: dict[str, Callable[[], ToolReport]] = {
        "checkov": lambda: scan_checkov(root),
        "hadolint": lambda: scan_hadolint(root, files.dockerfiles),
        "bandit": lambda: scan_bandit(
            root, [p for p in files.python if not p.startswith(NOT_FOR_BANDIT)]
        ),
        "image": lambda: scan_image(root, options),
        "pip-audit": lambda: scan_pip_audit(root),
    }
    reports = []
    for name in (n for n in SCANNERS if n in options.only):
        tool = tools.TOOLS["trivy" if name == "image" else name]
        first_use = not tools.is_installed(tool)
        on_step(
            f"{name} (first use: installing {tool.package} {tool.version})" if first_use else name
        )
        reports.append(_guarded(name, steps[name]))

    inline: list[Suppression] = []
    marker_findings: list[Finding] = []
    code_scanned = bool({"checkov", "hadolint", "bandit"} & set(options.only))
    for rel in files.dockerfiles + files.python + files.others if code_scanned else []:
        if rel.startswith(NOT_FOR_BANDIT):
            continue  # test code may quote markers, and bandit does not read it
        found, bare = suppressions.find_inline(rel, (root / rel).read_text(errors="replace"))
        inline += found
        marker_findings += bare
    if marker_findings:
        reports.append(ToolReport("opsctl", "suppressions", findings=marker_findings))

    ran = {"trivy" if name == "image" else name for name in options.only} | {"opsctl"}
    stale = [e for e in entries if e.tool in ran]
    for report in reports:
        report.findings = suppressions.apply_inline(report.findings, inline)
        report.findings, unused = suppressions.apply_baseline(report.findings, entries)
        stale = [e for e in stale if e in unused]
    source = suppressions.BASELINE_NAME
    # Checkov lists the skips it honoured itself, with their reasons.
    # (A module used twice reports each skip twice: list it once.)
    checkov_skips = list(
        dict.fromkeys(
            f.suppressed_by
            for r in reports
            for f in r.findings
            if f.tool == "checkov" and f.suppressed_by and f.suppressed_by.source == "inline"
        )
    )
    return ScanReport(
        tools=reports,
        fail_on=options.fail_on,
        allow_unknown=options.allow_unknown,
        suppressions=inline + checkov_skips + [e.as_suppression(source) for e in entries],
        stale_suppressions=[e.as_suppression(source) for e in stale],
    )


def _load_baseline(root: Path, path: Path | None) -> list[suppressions.BaselineEntry]:
    path = path or root / suppressions.BASELINE_NAME
    if not path.is_file():
        return []
    try:
        return suppressions.parse_baseline(path.read_text())
    except suppressions.BaselineError as exc:
        raise OpsError(
            str(exc), hint="every entry needs tool, rule and reason", exit_code=2
        ) from exc


def _guarded(name: str, step: Callable[[], ToolReport]) -> ToolReport:
    try:
        return step()
    except (OpsError, scan_parsers.ParseError) as exc:
        message = exc.message if isinstance(exc, OpsError) else str(exc)
        return ToolReport(name, _version(name), error=message)


def _version(name: str) -> str:
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
    return ToolReport("checkov", _version("checkov"), findings=findings, unchecked=unchecked)


def scan_hadolint(root: Path, dockerfiles: list[str]) -> ToolReport:
    if not dockerfiles:
        return ToolReport(
            "hadolint", _version("hadolint"), skipped="no Dockerfile in the repository"
        )
    done = tools.run_tool("hadolint", ["-f", "json", "--no-fail", *dockerfiles], cwd=root)
    _check(done)
    return ToolReport(
        "hadolint",
        _version("hadolint"),
        findings=scan_parsers.parse_hadolint(done.stdout, str(root)),
    )


def scan_bandit(root: Path, python_files: list[str]) -> ToolReport:
    if not python_files:
        return ToolReport("bandit", _version("bandit"), skipped="no Python files")
    done = tools.run_tool("bandit", ["-f", "json", "-q", *python_files], cwd=root)
    _check(done, ok=(0, 1))
    findings, unchecked = scan_parsers.parse_bandit(done.stdout, str(root))
    return ToolReport("bandit", _version("bandit"), findings=findings, unchecked=unchecked)


def scan_pip_audit(root: Path) -> ToolReport:
    """Audit the hash-locked runtime requirements without installing them."""
    if not (root / REQUIREMENTS).is_file():
        return ToolReport("pip-audit", _version("pip-audit"), skipped=f"no {REQUIREMENTS}")
    # --disable-pip: the file is hash-locked, so nothing is installed to resolve it.
    args = ["--disable-pip", "-r", REQUIREMENTS, "-f", "json", "--progress-spinner", "off"]
    done = tools.run_tool("pip-audit", [*args, "--timeout", "15"], cwd=root, timeout=600)
    _check(done, ok=(0, 1))
    findings, unchecked = scan_parsers.parse_pip_audit(done.stdout, REQUIREMENTS)
    report = ToolReport("pip-audit", _version("pip-audit"), findings=findings, unchecked=unchecked)
    if unchecked:
        report.notes.append(
            f"{len(unchecked)} packages could not be audited: vulnerability status unknown"
        )
    return report


def scan_image(root: Path, options: ScanOptions) -> ToolReport:
    """Secrets in the image's filesystem and a CycloneDX SBOM, with trivy.

    Trivy's vulnerability database cannot be downloaded here, so vulnerabilities
    are reported as not checked rather than clean.
    """
    version = _version("image")
    source, why_not = _locate_image(root, options)
    if source is None:
        return ToolReport("image", version, skipped=f"no image ({why_not})")
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
    sbom = options.sbom or root / "out" / "scan" / "sbom.cdx.json"
    sbom.parent.mkdir(parents=True, exist_ok=True)
    sbom.unlink(missing_ok=True)
    done = tools.run_tool("trivy", ["image", "-f", "cyclonedx", "-o", str(sbom), *common, *target])
    if done.returncode != 0 or not sbom.is_file():
        raise tools.ToolError(_failed(done))
    report.artifacts["sbom"] = str(sbom)
    if options.advisories:
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


def _locate_image(root: Path, options: ScanOptions) -> tuple[str | None, str]:
    if options.image:
        return options.image, ""
    if not options.find_image:
        return None, "image scan not requested"
    from opsctl.adapters import git
    from opsctl.core.images import image_tag

    try:
        revision = git.revision(root)
    except OpsError:
        return None, "not a git checkout, pass --image"
    tag = image_tag(revision.sha, revision.dirty)  # the tag `opsctl build` gives it
    try:
        found = tools.run(["docker", "image", "inspect", "--format", "{{.Id}}", tag], timeout=30)
    except OpsError:
        return None, "docker CLI not installed"
    if found.returncode != 0:
        missing = "no such image" in found.stderr.lower()
        reason = f"{tag} not built" if missing else "Docker engine not reachable"
        return None, f"{reason}; run `opsctl build` or pass --image"
    return tag, ""
