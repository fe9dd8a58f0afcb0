"""The smoke test run against the test listener before production traffic moves."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    path: str
    non_empty_array: bool = False  # the body must be a JSON array with at least one item


# Readiness, then one real API call that reads the database.
CHECKS = (Check("/readyz"), Check("/api/v1/wards/1/candidates", non_empty_array=True))


@dataclass(frozen=True)
class CheckResult:
    url: str
    ok: bool
    detail: str


def judge(
    check: Check, url: str, status: int | None, body: bytes, error: str | None
) -> CheckResult:
    """Decide one check from what the HTTP call returned (status None: no answer)."""
    if status is None:
        return CheckResult(url, False, f"no answer: {error}")
    if status != 200:
        return CheckResult(url, False, f"HTTP {status}")
    if check.non_empty_array:
        try:
            data = json.loads(body)
        except ValueError:
            return CheckResult(url, False, "HTTP 200 but the body is not JSON")
        if not isinstance(data, list) or not data:
            return CheckResult(url, False, "HTTP 200 but not a non-empty JSON array")
        return CheckResult(url, True, f"HTTP 200, {len(data)} items")
    return CheckResult(url, True, "HTTP 200")


def url_for(base_url: str, check: Check) -> str:
    return base_url.rstrip("/") + check.path
