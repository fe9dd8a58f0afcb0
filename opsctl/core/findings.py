"""The scan's common language: findings, per-tool reports, the exit-code policy.

Every scanner's output is normalised into `Finding`s (see `scan_parsers`), so the
threshold, suppressions and every output format work the same for all tools.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from enum import IntEnum, StrEnum
from typing import Any

# The parts of a scan, in the order they run and report.
SCANNERS = ("checkov", "hadolint", "bandit", "image", "pip-audit")

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_INCOMPLETE = 2


class Severity(IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, text: str | None, default: Severity | None = None) -> Severity:
        """'high', 'HIGH', 'error'... to a Severity; unknown words give `default`."""
        word = (text or "").strip().upper()
        aliases = {
            "ERROR": "HIGH",
            "WARNING": "MEDIUM",
            "NOTE": "LOW",
            "STYLE": "INFO",
            "MODERATE": "MEDIUM",
            "UNKNOWN": "",
        }
        word = aliases.get(word, word)
        if word in cls.__members__:
            return cls[word]
        if default is None:
            raise ValueError(
                f"unknown severity {text!r}; use one of {', '.join(s.label for s in cls)}"
            )
        return default

    @property
    def label(self) -> str:
        return self.name.lower()


class Status(StrEnum):
    """How a tool's part of the scan ended. Only CLEAN means 'looked and found nothing'."""

    CLEAN = "clean"
    FINDINGS = "findings"
    UNKNOWN = "unknown"  # ran, but some of what it should check could not be checked
    SKIPPED = "skipped"  # had nothing to look at (e.g. no image): never the same as clean
    ERROR = "error"  # could not run


@dataclass(frozen=True)
class Suppression:
    """A finding deliberately accepted, with the reason a reviewer reads."""

    tool: str
    rule_id: str
    reason: str
    source: str  # "inline" or the baseline file's name
    path: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Finding:
    tool: str
    rule_id: str
    severity: Severity
    message: str
    path: str | None = None  # repository-relative, forward slashes
    line: int | None = None
    end_line: int | None = None
    help_uri: str | None = None
    suppressed_by: Suppression | None = None

    @property
    def location(self) -> str:
        if not self.path:
            return "-"
        return f"{self.path}:{self.line}" if self.line else self.path

    def suppress(self, by: Suppression) -> Finding:
        return replace(self, suppressed_by=by)


@dataclass
class ToolReport:
    """One tool's outcome. `unchecked` names what it could not check (so not clean)."""

    tool: str
    version: str
    findings: list[Finding] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None
    error: str | None = None
    artifacts: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed_by is None]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed_by is not None]

    @property
    def status(self) -> Status:
        if self.error:
            return Status.ERROR
        if self.active:
            return Status.FINDINGS
        if self.skipped:
            return Status.SKIPPED
        if self.unchecked:
            return Status.UNKNOWN
        return Status.CLEAN


@dataclass
class ScanReport:
    tools: list[ToolReport]
    fail_on: Severity
    allow_unknown: bool
    suppressions: list[Suppression] = field(default_factory=list)
    stale_suppressions: list[Suppression] = field(default_factory=list)

    @property
    def blocking(self) -> list[Finding]:
        return [f for t in self.tools for f in t.active if f.severity >= self.fail_on]

    @property
    def incomplete(self) -> list[ToolReport]:
        return [t for t in self.tools if t.status in (Status.UNKNOWN, Status.SKIPPED)]

    @property
    def exit_code(self) -> int:
        """0 clean; 1 findings at or above the threshold; 2 a tool could not run.

        Unknown and skipped parts give 2 only with allow_unknown off: advisory
        databases cannot be reached offline, so a strict default would fail every
        run here and teach people to ignore the gate. They are never silent: the
        table, JSON, SARIF and JUnit all carry them and a warning is printed.
        """
        if any(t.status is Status.ERROR for t in self.tools):
            return EXIT_INCOMPLETE
        if self.blocking:
            return EXIT_FINDINGS
        if self.incomplete and not self.allow_unknown:
            return EXIT_INCOMPLETE
        return EXIT_CLEAN

    def to_json(self) -> dict[str, Any]:
        def finding(f: Finding) -> dict[str, Any]:
            data = asdict(f)
            data["severity"] = f.severity.label
            data["blocking"] = f.suppressed_by is None and f.severity >= self.fail_on
            return data

        return {
            "exit_code": self.exit_code,
            "fail_on": self.fail_on.label,
            "allow_unknown": self.allow_unknown,
            "tools": [
                {
                    "tool": t.tool,
                    "version": t.version,
                    "status": t.status.value,
                    "findings": [finding(f) for f in t.findings],
                    "unchecked": t.unchecked,
                    "notes": t.notes,
                    "skipped": t.skipped,
                    "error": t.error,
                    "artifacts": t.artifacts,
                }
                for t in self.tools
            ],
            "suppressions": [asdict(s) for s in self.suppressions],
            "stale_suppressions": [asdict(s) for s in self.stale_suppressions],
        }
