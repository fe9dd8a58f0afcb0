"""`opsctl scan`: every scanner over the repository and the image, one verdict."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from opsctl.commands import _options
from opsctl.core.findings import SCANNERS, ScanReport, Severity, Status

STATUS_STYLE = {
    Status.CLEAN: "green",
    Status.FINDINGS: "red",
    Status.UNKNOWN: "yellow",
    Status.SKIPPED: "yellow",
    Status.ERROR: "bold red",
}
SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}

Level = StrEnum("Level", {s.label: s.label for s in reversed(Severity)})  # type: ignore[misc]
Tool = StrEnum("Tool", {t: t for t in SCANNERS})  # type: ignore[misc]


def scan_cmd(
    path: Path = _options.PATH,
    fail_on: Level = typer.Option("low", help="Lowest severity that fails the scan (exit 1)."),
    allow_unknown: bool = typer.Option(
        True,
        "--allow-unknown/--no-allow-unknown",
        help="Exit 0 when some checks could not be done (offline advisory data, no image); "
        "they are always reported. --no-allow-unknown makes them exit 2.",
    ),
    advisories: bool = typer.Option(
        False,
        "--advisories",
        help="Download trivy's vulnerability database and fail on HIGH/CRITICAL advisories "
        "in the image's OS and Python packages (CI does; offline they stay not checked).",
    ),
    only: list[Tool] = typer.Option([], "--only", help="Run only this scanner (repeatable)."),
    image: str = typer.Option(
        None,
        help="Image tag or `docker save`/OCI tarball to scan "
        "(default: mycandidate:<git sha> if built).",
    ),
    find_image: bool = typer.Option(
        True, "--find-image/--no-image", help="Look for the built image."
    ),
    sarif: Path = typer.Option(None, help="Write SARIF 2.1.0 (one run per tool) here."),
    junit: Path = typer.Option(None, help="Write JUnit XML here."),
    json_out: Path = typer.Option(None, "--json-out", help="Write the JSON report here."),
    sbom: Path = typer.Option(
        None, help="Where the image's CycloneDX SBOM goes (default out/scan/)."
    ),
    baseline: Path = typer.Option(
        None, help="Suppression baseline (default .opsctl-scan-baseline.toml)."
    ),
    json_output: bool = _options.JSON,
) -> None:
    """Scan the Dockerfile, Terraform, workflows, secrets, Python code, image and dependencies.

    Exit 0 clean, 1 findings at or above --fail-on, 2 a scanner could not run.

    Example: opsctl scan --sarif out/scan.sarif --junit out/scan-junit.xml

    CI adds the advisory databases: opsctl scan --image out/image.tar --advisories
    --no-allow-unknown
    """
    from opsctl.output import stderr
    from opsctl.services import scan as service

    options = service.ScanOptions(
        root=path,
        fail_on=Severity.parse(fail_on.value),
        allow_unknown=allow_unknown,
        only=tuple(t.value for t in only) or SCANNERS,
        image=image,
        find_image=find_image,
        baseline=baseline,
        sbom=sbom,
        advisories=advisories,
    )
    with stderr().status("scanning") as status:
        report = service.run_scan(options, on_step=lambda name: status.update(f"scanning: {name}"))
    _write_files(report, sarif, junit, json_out)
    if json_output:
        from opsctl.output import print_json

        print_json(report.to_json())
    else:
        render(report)
    warn(report)  # on stderr, so also with --json: an unknown is never silent
    raise typer.Exit(report.exit_code)


def _write_files(
    report: ScanReport, sarif: Path | None, junit: Path | None, json_out: Path | None
) -> None:
    from opsctl.core.junit import to_junit
    from opsctl.core.sarif import to_sarif

    for target, text in (
        (sarif, lambda: json.dumps(to_sarif(report), indent=2)),
        (junit, lambda: to_junit(report)),
        (json_out, lambda: json.dumps(report.to_json(), indent=2, sort_keys=True)),
    ):
        if target:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text().rstrip("\n") + "\n")


def render(report: ScanReport) -> None:
    """The summary table, blocking findings, every suppression with its reason, warnings."""
    from rich.table import Table

    from opsctl.output import stdout

    out = stdout()
    summary = Table(title="opsctl scan", title_justify="left")
    for column in ("tool", "version", "status", "findings", "details"):
        summary.add_column(column)
    for tool in report.tools:
        details = (
            tool.error
            or tool.skipped
            or "; ".join(tool.notes)
            or (f"{len(tool.unchecked)} not checked" if tool.unchecked else "")
        )
        count = f"{len(tool.active)}" + (
            f" (+{len(tool.suppressed)} suppressed)" if tool.suppressed else ""
        )
        summary.add_row(
            tool.tool,
            tool.version,
            f"[{STATUS_STYLE[tool.status]}]{tool.status.value}[/]",
            count,
            details,
        )
    out.print(summary)

    findings = [f for t in report.tools for f in t.active]
    if findings:
        table = Table(
            title=f"findings (blocking at {report.fail_on.label} and above)", title_justify="left"
        )
        for column in ("severity", "tool", "rule", "location", "message"):
            table.add_column(column, overflow="fold")
        for f in sorted(findings, key=lambda f: (-f.severity, f.tool, f.location)):
            table.add_row(
                f"[{SEVERITY_STYLE[f.severity]}]{f.severity.label}[/]",
                f.tool,
                f.rule_id,
                f.location,
                f.message,
            )
        out.print(table)
    if report.suppressions:
        table = Table(title="suppressions", title_justify="left")
        for column in ("tool", "rule", "where", "reason"):
            table.add_column(column, overflow="fold")
        for s in report.suppressions:
            where = f"{s.path or '*'}{f':{s.line}' if s.line else ''} ({s.source})"
            table.add_row(s.tool, s.rule_id, where, s.reason)
        out.print(table)


def warn(report: ScanReport) -> None:
    """Stale baseline entries, every part that is not clean but unknown, the verdict."""
    from opsctl.output import stderr

    err = stderr()
    for s in report.stale_suppressions:
        err.print(
            f"[yellow]warning:[/] baseline entry {s.tool} {s.rule_id} {s.path or '*'} is stale"
        )
    for tool in report.incomplete:
        what = (
            tool.skipped or f"{len(tool.unchecked)} item(s) not checked, e.g. {tool.unchecked[0]}"
        )
        verdict = "allowed by --allow-unknown" if report.allow_unknown else "fails the scan"
        err.print(
            f"[bold yellow]warning: {tool.tool} is not clean but unknown:[/] {what} ({verdict})"
        )
    err.print(
        f"exit {report.exit_code}: "
        + {
            0: "clean",
            1: f"{len(report.blocking)} finding(s) at or above {report.fail_on.label}",
            2: "incomplete: a scanner could not run or a check could not be done",
        }[report.exit_code]
    )


def register(app: typer.Typer) -> None:
    app.command("scan")(scan_cmd)
