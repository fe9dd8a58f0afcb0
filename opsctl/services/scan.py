"""Scan: every scanner over the repository and the image, suppressions applied, one report.

The tools run through `opsctl.adapters.scanners`; which files they read and how
suppressions and the baseline apply are pure (`opsctl.core.scan_scope`,
`opsctl.core.suppressions`). A tool that cannot be installed, run or understood
becomes a report with `error` set (exit 2).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from opsctl.adapters import scanners, tools
from opsctl.core import scan_parsers, suppressions
from opsctl.core.findings import SCANNERS, Finding, ScanReport, Severity, Suppression, ToolReport
from opsctl.core.images import image_tag
from opsctl.core.scan_scope import RepoFiles, is_skipped
from opsctl.errors import OpsError


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


def run_scan(options: ScanOptions, on_step: Callable[[str], None] = lambda _: None) -> ScanReport:
    """Run the selected scanners, then apply inline and baseline suppressions."""
    root = options.root.resolve()
    entries = _load_baseline(root, options.baseline)
    files = RepoFiles.sort(_walk(root))
    steps: dict[str, Callable[[], ToolReport]] = {
        "checkov": lambda: scanners.scan_checkov(root),
        "hadolint": lambda: scanners.scan_hadolint(root, files.dockerfiles),
        "bandit": lambda: scanners.scan_bandit(root, files.for_bandit),
        "image": lambda: _scan_image(root, options),
        "pip-audit": lambda: scanners.scan_pip_audit(root),
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
    for rel in files.for_markers if code_scanned else []:
        found, bare = suppressions.find_inline(rel, (root / rel).read_text(errors="replace"))
        inline += found
        marker_findings += bare
    if marker_findings:
        reports.append(ToolReport("opsctl", "suppressions", findings=marker_findings))

    ran = {"trivy" if name == "image" else name for name in options.only} | {"opsctl"}
    in_force, stale = suppressions.settle(reports, inline, entries, ran)
    return ScanReport(
        tools=reports,
        fail_on=options.fail_on,
        allow_unknown=options.allow_unknown,
        suppressions=in_force,
        stale_suppressions=stale,
    )


def _walk(root: Path) -> Iterator[str]:
    for current, dirs, names in os.walk(root):
        rel_dir = Path(current).relative_to(root).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        dirs[:] = sorted(d for d in dirs if not is_skipped(prefix + d))
        yield from (prefix + n for n in sorted(names))


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
        return ToolReport(name, scanners.tool_version(name), error=message)


def _scan_image(root: Path, options: ScanOptions) -> ToolReport:
    source, why_not = _locate_image(root, options)
    if source is None:
        return ToolReport("image", scanners.tool_version("image"), skipped=f"no image ({why_not})")
    sbom = options.sbom or root / "out" / "scan" / "sbom.cdx.json"
    return scanners.scan_image(source, sbom, options.advisories)


def _locate_image(root: Path, options: ScanOptions) -> tuple[str | None, str]:
    if options.image:
        return options.image, ""
    if not options.find_image:
        return None, "image scan not requested"
    from opsctl.adapters import git

    try:
        revision = git.revision(root)
    except OpsError:
        return None, "not a git checkout, pass --image"
    tag = image_tag(revision.sha, revision.dirty)  # the tag `opsctl build` gives it
    found, why_not = scanners.local_image_id(tag)
    return (tag, "") if found else (None, why_not)
