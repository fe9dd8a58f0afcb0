"""The AppSpec document CodeDeploy needs for an ECS blue/green deployment."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from opsctl.core.deployment import HOOK_EVENTS
from opsctl.errors import OpsError


def render(
    task_definition_arn: str,
    container_name: str,
    container_port: int,
    network: Mapping[str, Any] | None = None,
    hooks: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """AppSpec for one ECS service; hooks map a lifecycle event to a Lambda function.

    `network` is RunTask's `awsvpcConfiguration`; without it CodeDeploy starts the new
    task set with the service's original network configuration, whatever changed since.
    """
    unknown = sorted(set(hooks or {}) - set(HOOK_EVENTS))
    if unknown:
        raise OpsError(
            f"unknown AppSpec hook(s): {', '.join(unknown)}",
            hint=f"ECS deployments accept: {', '.join(HOOK_EVENTS)}",
            exit_code=2,
        )
    spec: dict[str, Any] = {
        "version": 0.0,
        "Resources": [
            {
                "TargetService": {
                    "Type": "AWS::ECS::Service",
                    "Properties": {
                        "TaskDefinition": task_definition_arn,
                        "LoadBalancerInfo": {
                            "ContainerName": container_name,
                            "ContainerPort": int(container_port),
                        },
                        **_network(network),
                    },
                }
            }
        ],
    }
    if hooks:
        spec["Hooks"] = [{event: hooks[event]} for event in HOOK_EVENTS if event in hooks]
    return spec


def _network(network: Mapping[str, Any] | None) -> dict[str, Any]:
    if not network:
        return {}
    return {
        "NetworkConfiguration": {
            "AwsvpcConfiguration": {
                "Subnets": list(network["subnets"]),
                "SecurityGroups": list(network.get("securityGroups", [])),
                "AssignPublicIp": network.get("assignPublicIp", "DISABLED"),
            }
        }
    }


def with_task_definition(spec: Mapping[str, Any], task_definition_arn: str) -> dict[str, Any]:
    """The planned AppSpec pointed at the revision registered when the plan runs."""
    done = json.loads(json.dumps(spec))
    done["Resources"][0]["TargetService"]["Properties"]["TaskDefinition"] = task_definition_arn
    return done


def task_definition_in(spec: Mapping[str, Any]) -> str:
    return str(spec["Resources"][0]["TargetService"]["Properties"]["TaskDefinition"])


def task_definition_of(content: str | None) -> str | None:
    """The TaskDefinition of an AppSpec sent as JSON (opsctl always sends JSON)."""
    try:
        return task_definition_in(json.loads(content or ""))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def revision(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The `revision` argument of CreateDeployment: the AppSpec inline, with its checksum."""
    content = json.dumps(spec, sort_keys=True)
    return {
        "revisionType": "AppSpecContent",
        "appSpecContent": {
            "content": content,
            "sha256": hashlib.sha256(content.encode()).hexdigest(),
        },
    }
