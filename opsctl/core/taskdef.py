"""Task definitions as documents: what may be registered, the next revision, a readable diff."""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Mapping
from typing import Any

from opsctl.errors import OpsError

# The parameters RegisterTaskDefinition accepts. Everything else DescribeTaskDefinition
# returns (ARN, revision, status, registeredAt/By, compatibilities, requiresAttributes...)
# is describe-only and would be rejected, so the allow-list is safer than a deny-list
# as AWS adds fields. A unit test keeps it in step with botocore's model.
REGISTRABLE_FIELDS = frozenset(
    {
        "family",
        "taskRoleArn",
        "executionRoleArn",
        "networkMode",
        "containerDefinitions",
        "volumes",
        "placementConstraints",
        "requiresCompatibilities",
        "cpu",
        "memory",
        "tags",
        "pidMode",
        "ipcMode",
        "proxyConfiguration",
        "inferenceAccelerators",
        "ephemeralStorage",
        "runtimePlatform",
        "enableFaultInjection",
        "trustedExecutionConfiguration",
    }
)

# Tags AWS adds itself; they would make every diff noisy and cannot be registered.
_RESERVED_TAG_PREFIX = "aws:"


def registrable(described: Mapping[str, Any], tags: list[dict[str, str]] | None = None) -> dict:
    """The part of a described task definition that RegisterTaskDefinition accepts."""
    doc = {
        k: copy.deepcopy(v)
        for k, v in described.items()
        if k in REGISTRABLE_FIELDS and v not in (None, [], {})
    }
    user_tags = [t for t in tags or [] if not t["key"].startswith(_RESERVED_TAG_PREFIX)]
    if user_tags:
        doc["tags"] = sorted(user_tags, key=lambda t: t["key"])
    return doc


def container(doc: Mapping[str, Any], name: str) -> dict:
    for definition in doc.get("containerDefinitions", []):
        if definition.get("name") == name:
            return definition
    names = ", ".join(d.get("name", "?") for d in doc.get("containerDefinitions", []))
    raise OpsError(
        f"task definition {doc.get('family')} has no container named {name!r} (has: {names})",
        hint="check container_name in opsctl.toml or the infra outputs",
    )


# /readyz reports it, so a smoke test knows which tasks answered.
RELEASE_VARIABLE = "MYCANDIDATE_RELEASE"


def render(current: Mapping[str, Any], *, container_name: str, image: str, release: str) -> dict:
    """The next revision: the given registrable document with only the image changed.

    Everything else (cpu, memory, environment, secrets, roles) stays as Terraform
    registered it; `release` goes into the container's environment as RELEASE_VARIABLE.
    """
    doc = copy.deepcopy(dict(current))
    target = container(doc, container_name)
    target["image"] = image
    variables = {item["name"]: item["value"] for item in target.get("environment", [])}
    variables[RELEASE_VARIABLE] = release
    target["environment"] = [{"name": k, "value": variables[k]} for k in sorted(variables)]
    return doc


def _normalised(value: Any) -> Any:
    """Drop empty values and order name-keyed lists, so only real changes show."""
    if isinstance(value, Mapping):
        return {k: _normalised(v) for k, v in sorted(value.items()) if v not in (None, [], {})}
    if isinstance(value, list):
        items = [_normalised(v) for v in value]
        if items and all(isinstance(v, dict) and "name" in v for v in items):
            items.sort(key=lambda v: v["name"])
        elif items and all(isinstance(v, dict) and "key" in v for v in items):
            items.sort(key=lambda v: v["key"])
        return items
    return value


def diff(old: Mapping[str, Any], new: Mapping[str, Any], old_label: str, new_label: str) -> str:
    """A unified diff of the two documents as sorted JSON; empty when nothing changes."""
    before = json.dumps(_normalised(old), indent=2, sort_keys=True).splitlines()
    after = json.dumps(_normalised(new), indent=2, sort_keys=True).splitlines()
    lines = difflib.unified_diff(before, after, old_label, new_label, n=3, lineterm="")
    return "\n".join(lines)


def log_stream(doc: Mapping[str, Any], container_name: str, task_id: str) -> tuple[str, str] | None:
    """(group, stream) where the awslogs driver writes this task's container output."""
    options = container(doc, container_name).get("logConfiguration", {})
    if options.get("logDriver") != "awslogs":
        return None
    opts = options.get("options", {})
    group, prefix = opts.get("awslogs-group"), opts.get("awslogs-stream-prefix")
    if not group or not prefix:
        return None
    return group, f"{prefix}/{container_name}/{task_id}"
