"""Suppressions: every accepted finding carries a written reason, and scan lists them all.

Two places may hold one:
- in the code, in each tool's own syntax with the reason beside it:
  `#checkov:skip=CKV_AWS_18:access logs go to the central bucket`,
  `# nosec B608 # identifiers come from a fixed allow-list`,
  and for hadolint (which rejects trailing text) a comment line just above
  `# hadolint ignore=DL3008`; ruff's flake8-bandit codes count for bandit too
  (`# noqa: S603 (argv list, no shell)` suppresses B603 on that line);
- in the baseline file (`.opsctl-scan-baseline.toml`), one `[[suppress]]` table
  per accepted finding with `tool`, `rule`, optional `path` glob and `reason`.
A marker without a reason is itself a finding (for checkov, whose own output lists
its skips, the skipped finding simply stays active); a baseline entry without one
is an error.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from fnmatch import fnmatchcase

from opsctl.core.findings import Finding, Severity, Suppression, ToolReport

BASELINE_NAME = ".opsctl-scan-baseline.toml"
NO_REASON_RULE = "suppression-without-reason"

_NOSEC = re.compile(r"#\s*nosec\b:?(?P<ids>[\sA-Za-z0-9_,]*?)(?:#\s*(?P<reason>.*))?$")
_NOQA = re.compile(r"#\s*noqa:\s*(?P<ids>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)(?P<reason>[^#]*)")
_HADOLINT = re.compile(r"#\s*hadolint\s+ignore=(?P<ids>[A-Z0-9,]+)\s*$")


class BaselineError(ValueError):
    """The baseline file is malformed or an entry lacks its reason."""


@dataclass(frozen=True)
class BaselineEntry:
    tool: str
    rule: str
    reason: str
    path: str | None = None

    def matches(self, finding: Finding) -> bool:
        if finding.tool != self.tool or finding.rule_id != self.rule:
            return False
        return self.path is None or fnmatchcase(finding.path or "", self.path)

    def as_suppression(self, source: str) -> Suppression:
        return Suppression(self.tool, self.rule, self.reason, source, self.path)


def parse_baseline(text: str) -> list[BaselineEntry]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BaselineError(f"{BASELINE_NAME} is not valid TOML: {exc}") from exc
    entries = []
    for number, raw in enumerate(data.get("suppress", []), start=1):
        missing = [key for key in ("tool", "rule", "reason") if not str(raw.get(key, "")).strip()]
        if missing:
            raise BaselineError(f"{BASELINE_NAME} entry {number} lacks {', '.join(missing)}")
        entries.append(
            BaselineEntry(raw["tool"], raw["rule"], raw["reason"].strip(), raw.get("path"))
        )
    return entries


def find_inline(path: str, text: str) -> tuple[list[Suppression], list[Finding]]:
    """Suppression markers in one file, and a finding for each that gives no reason."""
    found: list[Suppression] = []
    bare: list[Finding] = []
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        for tool, ids, reason in _markers(line, _comment_above(lines, number - 1)):
            if reason:
                found.extend(
                    Suppression(tool, rule, reason, "inline", path, number) for rule in ids
                )
            else:
                bare.append(
                    Finding(
                        tool="opsctl",
                        rule_id=NO_REASON_RULE,
                        severity=Severity.HIGH,
                        path=path,
                        line=number,
                        message=f"{tool} skip of {', '.join(ids) or 'all rules'} has no reason",
                    )
                )
    return found, bare


def _markers(line: str, previous: str) -> list[tuple[str, list[str], str]]:
    hits = []
    if (match := _NOSEC.search(line)) and _is_comment(line, match):
        ids = [i for i in re.split(r"[\s,]+", match["ids"]) if i]
        hits.append(("bandit", ids, _reason(match["reason"]) if ids else ""))
    if (match := _NOQA.search(line)) and _is_comment(line, match):
        # ruff's S codes are ports of bandit's tests with the same number.
        ids = [
            f"B{i[1:]}" for i in re.split(r"\s*,\s*", match["ids"]) if re.fullmatch(r"S\d{3}", i)
        ]
        if ids:
            hits.append(("bandit", ids, _reason(match["reason"].strip(" -:()"))))
    if (match := _HADOLINT.search(line)) and _is_comment(line, match):
        reason = previous
        hits.append(("hadolint", match["ids"].split(","), reason))
    return hits


def _comment_above(lines: list[str], index: int) -> str:
    """The comment block just above lines[index], joined: hadolint's reasons live there."""
    block: list[str] = []
    for line in reversed(lines[:index]):
        text = line.strip()
        if not text.startswith("#") or "ignore=" in text or "checkov:skip=" in text:
            break
        block.insert(0, text.lstrip("#").strip())
    return " ".join(b for b in block if b)


def _is_comment(line: str, match: re.Match[str]) -> bool:
    """A marker quoted in documentation (`# nosec ...` in backticks) is not a marker."""
    return not line[: match.start()].rstrip().endswith("`")


def _reason(text: str | None) -> str:
    reason = (text or "").strip()
    # Checkov fills in this placeholder itself when a skip has no comment.
    return "" if reason.lower() in {"", "no comment provided"} else reason


def apply_baseline(
    findings: list[Finding], entries: list[BaselineEntry], source: str = BASELINE_NAME
) -> tuple[list[Finding], list[BaselineEntry]]:
    """Mark findings the baseline accepts; also return entries that matched nothing (stale)."""
    used: set[BaselineEntry] = set()
    result = []
    for finding in findings:
        entry = next((e for e in entries if e.matches(finding)), None)
        if entry and finding.suppressed_by is None:
            used.add(entry)
            finding = finding.suppress(entry.as_suppression(source))
        result.append(finding)
    return result, [e for e in entries if e not in used]


def apply_inline(findings: list[Finding], inline: list[Suppression]) -> list[Finding]:
    """Mark findings that an inline marker on their line accepts.

    Each tool already drops what its own markers hide; this catches what it
    cannot see, such as ruff's `noqa` for bandit.
    """
    by_place = {(s.tool, s.rule_id, s.path, s.line): s for s in inline}
    result = []
    for finding in findings:
        lines = range(finding.line or 0, (finding.end_line or finding.line or 0) + 1)
        hit = next(
            (
                by_place[key]
                for n in lines
                if (key := (finding.tool, finding.rule_id, finding.path, n)) in by_place
            ),
            None,
        )
        result.append(finding.suppress(hit) if hit and not finding.suppressed_by else finding)
    return result


def settle(
    reports: list[ToolReport],
    inline: list[Suppression],
    entries: list[BaselineEntry],
    ran: set[str],
) -> tuple[list[Suppression], list[Suppression]]:
    """Apply inline then baseline suppressions to every report (in place).

    Returns every suppression in force, with its reason, and the baseline entries for
    tools that ran which matched nothing (stale).
    """
    stale = [e for e in entries if e.tool in ran]
    for report in reports:
        report.findings = apply_inline(report.findings, inline)
        report.findings, unused = apply_baseline(report.findings, entries)
        stale = [e for e in stale if e in unused]
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
    every = inline + checkov_skips + [e.as_suppression(BASELINE_NAME) for e in entries]
    return every, [e.as_suppression(BASELINE_NAME) for e in stale]
