"""The smoke test of a new task set, run before production traffic moves to it.

Readiness must name the release being deployed (the image digest opsctl puts in the task
definition as MYCANDIDATE_RELEASE), which proves the answer came from the new tasks and
not from the ones still serving; then one real API call that reads the database. New
tasks may still be registering, so each check is retried with backoff until a deadline.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from opsctl.core.deployment import Clock

HttpGet = Callable[[str], tuple[int | None, bytes, str | None]]


@dataclass(frozen=True)
class Check:
    path: str
    non_empty_array: bool = False  # the body must be a JSON array with at least one item
    names_release: bool = False  # the body's "release" must be the expected one


# Readiness (and whose), then one real API call that reads the database.
CHECKS = (
    Check("/readyz", names_release=True),
    Check("/api/v1/wards/1/candidates", non_empty_array=True),
)
FIRST_DELAY = 2.0
MAX_DELAY = 30.0


@dataclass(frozen=True)
class CheckResult:
    url: str
    ok: bool
    detail: str
    attempts: int = 1


def judge(
    check: Check,
    url: str,
    status: int | None,
    body: bytes,
    error: str | None,
    release: str | None = None,
) -> CheckResult:
    """Decide one check from what the HTTP call returned (status None: no answer)."""
    if status is None:
        return CheckResult(url, False, f"no answer: {error}")
    if status != 200:
        return CheckResult(url, False, f"HTTP {status}")
    if not (check.non_empty_array or check.names_release):
        return CheckResult(url, True, "HTTP 200")
    try:
        data = json.loads(body)
    except ValueError:
        return CheckResult(url, False, "HTTP 200 but the body is not JSON")
    if check.names_release:
        answered = data.get("release") if isinstance(data, dict) else None
        if release is not None and answered != release:
            return CheckResult(url, False, f"HTTP 200 from release {answered}, not {release}")
        return CheckResult(url, True, f"HTTP 200 from release {answered}")
    if not isinstance(data, list) or not data:
        return CheckResult(url, False, "HTTP 200 but not a non-empty JSON array")
    return CheckResult(url, True, f"HTTP 200, {len(data)} items")


def url_for(base_url: str, check: Check) -> str:
    return base_url.rstrip("/") + check.path


def run_checks(
    http_get: HttpGet, base_url: str, release: str | None, *, clock: Clock, timeout: float
) -> list[CheckResult]:
    """Every check in order, each retried with doubling delays until it passes or
    `timeout` (shared by all checks) runs out; a failed check ends the run."""
    deadline = clock.now() + timeout
    results = []
    for check in CHECKS:
        url = url_for(base_url, check)
        delay, attempts = FIRST_DELAY, 0
        while True:
            attempts += 1
            result = judge(check, url, *http_get(url), release=release)
            if result.ok or clock.now() + delay > deadline:
                break
            clock.sleep(delay)
            delay = min(delay * 2, MAX_DELAY)
        results.append(CheckResult(result.url, result.ok, result.detail, attempts))
        if not result.ok:
            break
    return results
