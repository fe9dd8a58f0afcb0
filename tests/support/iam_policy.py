"""IAM policy evaluation for the permission test: does a role's policy allow each request?

moto's own IAM enforcement matches resources only against `*` and ignores conditions,
so the documents Terraform rendered are evaluated here, as IAM documents its logic: an
explicit Deny wins, else any Allow whose Action, Resource and every Condition match.
Condition operators not implemented here never match (so a test fails, it never passes
by accident).
"""

from __future__ import annotations

import fnmatch
import json
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Request:
    action: str  # service:Operation
    resource: str  # an ARN, or "*" for actions without resource-level permissions
    context: Mapping[str, str | list[str]] = field(default_factory=dict)  # condition keys
    why: str = ""  # which opsctl call needs it


def documents(raw: Iterable[str | Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Policy documents as IAM returns them (URL-encoded JSON, JSON text or parsed)."""
    found = []
    for doc in raw:
        if isinstance(doc, str):
            text = urllib.parse.unquote(doc)
            found.append(json.loads(text))
        else:
            found.append(dict(doc))
    return found


def allowed(policies: list[dict[str, Any]], request: Request) -> bool:
    decisions = [s for p in policies for s in _statements(p) if _applies(s, request)]
    if any(s.get("Effect") == "Deny" for s in decisions):
        return False
    return any(s.get("Effect") == "Allow" for s in decisions)


def _statements(policy: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = policy.get("Statement", [])
    return [found] if isinstance(found, Mapping) else list(found)


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _like(pattern: str, value: str, case: bool = True) -> bool:
    # IAM wildcards: * any run, ? one character; nothing else is special.
    escaped = pattern.replace("[", "[[]")
    return fnmatch.fnmatchcase(
        value if case else value.lower(), escaped if case else escaped.lower()
    )


def _applies(statement: Mapping[str, Any], request: Request) -> bool:
    if "Action" in statement:
        if not any(_like(a, request.action, case=False) for a in _listed(statement["Action"])):
            return False
    elif any(_like(a, request.action, case=False) for a in _listed(statement.get("NotAction"))):
        return False
    if "Resource" in statement:
        if not any(_like(r, request.resource) for r in _listed(statement["Resource"])):
            return False
    elif any(_like(r, request.resource) for r in _listed(statement.get("NotResource"))):
        return False
    return all(
        _condition(operator, key, values, request.context)
        for operator, block in (statement.get("Condition") or {}).items()
        for key, values in block.items()
    )


def _condition(operator: str, key: str, wanted: Any, context: Mapping[str, Any]) -> bool:
    qualifier, _, op = operator.rpartition(":")
    if_exists = op.endswith("IfExists")
    op = op.removesuffix("IfExists")
    present = next((v for k, v in context.items() if k.lower() == key.lower()), None)
    if present is None:
        return if_exists or (op == "Null" and _listed(wanted) == ["true"])
    if op == "Null":
        return _listed(wanted) == ["false"]
    have = _listed(present)
    values = [str(v) for v in _listed(wanted)]
    tests = {
        "StringEquals": lambda h: h in values,
        "StringNotEquals": lambda h: h not in values,
        "StringEqualsIgnoreCase": lambda h: h.lower() in [v.lower() for v in values],
        "StringLike": lambda h: any(_like(v, h) for v in values),
        "StringNotLike": lambda h: not any(_like(v, h) for v in values),
        "ArnEquals": lambda h: h in values,
        "ArnLike": lambda h: any(_like(v, h) for v in values),
        "Bool": lambda h: h.lower() in [v.lower() for v in values],
    }
    if op not in tests:
        return False
    match = tests[op]
    if qualifier == "ForAllValues":
        return all(match(h) for h in have)
    return any(match(h) for h in have)
